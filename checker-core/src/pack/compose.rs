//! Composition: `extends`, `include` entries, `rename` and `overrides` turn a pack file into
//! one flat list of checks, each included check remembering where it came from.
//!
//! An included pack is loaded and validated on its own first (its errors name its file), so
//! its checks arrive already checked; what composition adds is checked here (unknown ids,
//! groups, cycles, conflicting roles or variables) and in `validate` (prerequisites,
//! overridden critères and points), at the position of the `include` or override.

use crate::pack::diagnostics::{Diagnostics, closest};
use crate::pack::load::load_at;
use crate::pack::model::Pack;
use crate::pack::raw::{
    CheckOrigin, RawCheck, RawEntry, RawHost, RawInclude, RawMeta, RawOverride, RawPack,
    RawVariable,
};
use crate::pack::sources::{PackSources, SourceError};
use crate::pack::span::Sp;
use std::collections::{BTreeMap, BTreeSet};

/// Deepest chain of includes (a pack including a pack including…).
pub const MAX_INCLUDE_DEPTH: usize = 8;

/// Most included files loaded for one pack, all levels together: a pack including a few
/// packs that include each other's neighbours cannot make the loader work exponentially.
pub const MAX_INCLUDED_LOADS: usize = 64;

/// The includes being followed: the files being loaded (outermost first) and how many
/// included files were loaded in all.
#[derive(Debug, Default)]
pub(crate) struct Chain {
    pub(crate) files: Vec<String>,
    pub(crate) loads: usize,
}

/// A pack file with its includes resolved, ready for validation.
pub(crate) struct Composed {
    pub(crate) meta: RawMeta,
    /// Every variable: the included ones, then this file's (which win).
    pub(crate) variables: BTreeMap<String, RawVariable>,
    /// The variables declared in this file (their names are validated here).
    pub(crate) own_variables: BTreeSet<String>,
    pub(crate) hosts: BTreeMap<String, RawHost>,
    pub(crate) groups: BTreeMap<String, Vec<Sp<String>>>,
    pub(crate) checks: Vec<RawCheck>,
    /// The files included directly, in order, each once.
    pub(crate) includes: Vec<String>,
}

/// What an `include` or `extends` selects.
struct Selection<'a> {
    spec: &'a Sp<String>,
    group: Option<&'a Sp<String>>,
    only: &'a [Sp<String>],
    except: &'a [Sp<String>],
    rename: Option<&'a BTreeMap<String, Sp<String>>>,
}

impl<'a> Selection<'a> {
    fn all(spec: &'a Sp<String>) -> Self {
        Selection {
            spec,
            group: None,
            only: &[],
            except: &[],
            rename: None,
        }
    }

    fn of(inc: &'a RawInclude) -> Self {
        Selection {
            spec: &inc.include,
            group: inc.group.as_ref(),
            only: &inc.checks,
            except: &inc.except,
            rename: Some(&inc.rename),
        }
    }
}

struct Ctx<'a> {
    file: &'a str,
    sources: &'a dyn PackSources,
    stack: &'a mut Chain,
    diags: &'a mut Diagnostics,
    variables: BTreeMap<String, RawVariable>,
    /// Which include gave each variable its default (for conflict messages).
    variable_from: BTreeMap<String, String>,
    hosts: BTreeMap<String, RawHost>,
    host_from: BTreeMap<String, String>,
    includes: Vec<String>,
    referentiel: &'a str,
    /// Variables this file declares: their defaults win, included ones cannot conflict.
    own_variables: BTreeSet<String>,
    /// Packs already loaded for this file (several groups of one pack load it once).
    loaded: BTreeMap<String, Pack>,
}

/// Resolves `extends`, `include` entries and `overrides` of a parsed pack file.
pub(crate) fn compose(
    file: &str,
    raw: RawPack,
    sources: &dyn PackSources,
    stack: &mut Chain,
    diags: &mut Diagnostics,
) -> Composed {
    let RawPack {
        pack,
        extends,
        variables,
        hosts,
        groups,
        overrides,
        checks: entries,
    } = raw;
    let referentiel = pack.referentiel.value.clone();
    let mut cx = Ctx {
        file,
        sources,
        stack,
        diags,
        variables: BTreeMap::new(),
        variable_from: BTreeMap::new(),
        hosts: BTreeMap::new(),
        host_from: BTreeMap::new(),
        includes: Vec::new(),
        referentiel: &referentiel,
        own_variables: variables.keys().cloned().collect(),
        loaded: BTreeMap::new(),
    };
    let mut checks = Vec::new();
    if let Some(base) = &extends {
        checks.extend(include(&mut cx, &Selection::all(base)));
    }
    for entry in entries {
        match entry {
            RawEntry::Check(c) => checks.push(*c),
            RawEntry::Include(inc) => checks.extend(include(&mut cx, &Selection::of(&inc))),
        }
    }
    let own_variables = std::mem::take(&mut cx.own_variables);
    let mut all_variables = std::mem::take(&mut cx.variables);
    for (name, v) in variables {
        // A description written here wins in both languages; else the included one's.
        let (description, description_en) = if v.description.is_some() || v.description_en.is_some()
        {
            (v.description.clone(), v.description_en.clone())
        } else {
            all_variables
                .get(&name)
                .map(|old| (old.description.clone(), old.description_en.clone()))
                .unwrap_or_default()
        };
        all_variables.insert(
            name,
            RawVariable {
                default: v.default,
                description,
                description_en,
            },
        );
    }
    let mut all_hosts = std::mem::take(&mut cx.hosts);
    for (role, h) in hosts {
        if let Some(old) = all_hosts.get(&role)
            && old.os != h.os
        {
            let from = cx.host_from.get(&role).cloned().unwrap_or_default();
            cx.diags.push_both(
                pack.id.line,
                pack.id.col,
                (
                    format!("le rôle « {role} » est déclaré avec un autre système dans {from}"),
                    format!("role \"{role}\" is declared with another OS in {from}"),
                ),
                Some((
                    "un rôle inclus garde son système : renommez le rôle de ce pack".to_owned(),
                    "an included role keeps its OS: rename this pack's role".to_owned(),
                )),
            );
        }
        all_hosts.insert(role, h);
    }
    apply_overrides(file, &overrides, &mut checks, cx.diags);
    Composed {
        meta: pack,
        variables: all_variables,
        own_variables,
        hosts: all_hosts,
        groups,
        checks,
        includes: cx.includes,
    }
}

/// The checks one `include`/`extends` brings, in order; problems go to the diagnostics.
fn include(cx: &mut Ctx<'_>, sel: &Selection<'_>) -> Vec<RawCheck> {
    let spec = sel.spec;
    let Some(pack) = load_included(cx, spec) else {
        return Vec::new();
    };
    if pack.referentiel.id != cx.referentiel {
        cx.diags.push_both(
            spec.line,
            spec.col,
            (
                format!(
                    "« {} » cite le référentiel {}, ce pack {}",
                    spec.value, pack.referentiel.id, cx.referentiel
                ),
                format!(
                    "\"{}\" cites référentiel {}, this pack {}",
                    spec.value, pack.referentiel.id, cx.referentiel
                ),
            ),
            Some((
                "n'incluez que des packs du même référentiel".to_owned(),
                "include only packs of the same référentiel".to_owned(),
            )),
        );
        return Vec::new();
    }
    merge_head(cx, spec, &pack);
    let known: Vec<&str> = pack.raw_checks.iter().map(|c| &*c.id.value).collect();
    let unknown_id = |cx: &mut Ctx<'_>, id: &Sp<String>| {
        if known.contains(&id.value.as_str()) {
            return false;
        }
        let help = match closest(&id.value, &known) {
            Some(best) => (
                format!("vouliez-vous dire « {best} » ?"),
                format!("did you mean \"{best}\"?"),
            ),
            None => (
                format!("vérifications de {} : {}", pack.id, known.join(", ")),
                format!("checks of {}: {}", pack.id, known.join(", ")),
            ),
        };
        cx.diags.push_both(
            id.line,
            id.col,
            (
                format!("« {} » n'a pas de vérification « {} »", pack.id, id.value),
                format!("\"{}\" has no check \"{}\"", pack.id, id.value),
            ),
            Some(help),
        );
        true
    };
    let mut wanted: Vec<&str> = known.clone();
    if let Some(group) = sel.group {
        match pack.groups.get(&group.value) {
            Some(ids) => wanted = ids.iter().map(String::as_str).collect(),
            None => {
                let names: Vec<&str> = pack.groups.keys().map(String::as_str).collect();
                let list = if names.is_empty() {
                    "(aucun)".to_owned()
                } else {
                    names.join(", ")
                };
                cx.diags.push_both(
                    group.line,
                    group.col,
                    (
                        format!("« {} » n'a pas de groupe « {} »", pack.id, group.value),
                        format!("\"{}\" has no group \"{}\"", pack.id, group.value),
                    ),
                    Some((
                        format!("groupes de {} : {list}", pack.id),
                        format!("groups of {}: {list}", pack.id),
                    )),
                );
                return Vec::new();
            }
        }
    }
    if !sel.only.is_empty() {
        let mut chosen = Vec::new();
        for id in sel.only {
            if !unknown_id(cx, id) {
                if !wanted.contains(&id.value.as_str()) {
                    cx.diags.push_both(
                        id.line,
                        id.col,
                        (
                            format!("« {} » n'est pas dans le groupe choisi", id.value),
                            format!("\"{}\" is not in the chosen group", id.value),
                        ),
                        None,
                    );
                }
                chosen.push(id.value.as_str());
            }
        }
        wanted = chosen;
    }
    for id in sel.except {
        if !unknown_id(cx, id) {
            wanted.retain(|w| *w != id.value);
        }
    }
    let empty = BTreeMap::new();
    let rename = sel.rename.unwrap_or(&empty);
    for (old, new) in rename {
        if !wanted.contains(&old.as_str()) {
            cx.diags.push_both(
                new.line,
                new.col,
                (
                    format!("rename : « {old} » n'est pas inclus ici"),
                    format!("rename: \"{old}\" is not included here"),
                ),
                Some((
                    format!("vérifications incluses : {}", wanted.join(", ")),
                    format!("included checks: {}", wanted.join(", ")),
                )),
            );
        }
    }
    let renamed = |id: &str| {
        rename
            .get(id)
            .map_or_else(|| id.to_owned(), |n| n.value.clone())
    };
    let mut out = Vec::new();
    for id in wanted {
        let Some(source) = pack.raw_checks.iter().find(|c| c.id.value == id) else {
            continue;
        };
        let mut check = source.clone();
        let previous = check.origin.take();
        let new_id = renamed(id);
        let renamed_from = (new_id != id)
            .then(|| id.to_owned())
            .or_else(|| previous.as_ref().and_then(|p| p.renamed_from.clone()));
        check.origin = Some(CheckOrigin {
            file: previous
                .as_ref()
                .map_or_else(|| pack.file.clone(), |p| p.file.clone()),
            line: previous.as_ref().map_or(check.id.line, |p| p.line),
            col: previous.as_ref().map_or(check.id.col, |p| p.col),
            renamed_from,
            included_line: spec.line,
            included_col: spec.col,
            overridden: previous.map(|p| p.overridden).unwrap_or_default(),
        });
        check.id.value = new_id;
        for r in &mut check.requires {
            r.value = renamed(&r.value);
        }
        out.push(check);
    }
    out
}

/// Finds, loads and validates the included pack; `None` (with a diagnostic) when it cannot.
fn load_included(cx: &mut Ctx<'_>, spec: &Sp<String>) -> Option<Pack> {
    let found = match cx.sources.find(cx.file, &spec.value) {
        Ok(found) => found,
        Err(SourceError::NotFound { known, .. }) => {
            let names: Vec<&str> = known.iter().map(String::as_str).collect();
            let help = match closest(&spec.value, &names) {
                Some(best) => (
                    format!("vouliez-vous dire « {best} » ?"),
                    format!("did you mean \"{best}\"?"),
                ),
                None if names.is_empty() => (
                    "un identifiant de pack intégré, ou un chemin relatif à ce fichier (./commun.yaml)".to_owned(),
                    "a shipped pack's id, or a path relative to this file (./commun.yaml)".to_owned(),
                ),
                None => (
                    format!(
                        "packs intégrés : {} ; ou un chemin relatif à ce fichier (./commun.yaml)",
                        names.join(", ")
                    ),
                    format!(
                        "shipped packs: {}; or a path relative to this file (./commun.yaml)",
                        names.join(", ")
                    ),
                ),
            };
            cx.diags.push_both(
                spec.line,
                spec.col,
                (
                    format!("pack inclus introuvable « {} »", spec.value),
                    format!("included pack not found \"{}\"", spec.value),
                ),
                Some(help),
            );
            return None;
        }
        Err(SourceError::Unreadable(reason)) => {
            cx.diags.push_both(
                spec.line,
                spec.col,
                (
                    format!("pack inclus illisible « {} » : {reason}", spec.value),
                    format!("included pack unreadable \"{}\": {reason}", spec.value),
                ),
                None,
            );
            return None;
        }
    };
    if let Some(start) = cx.stack.files.iter().position(|f| *f == found.name) {
        let mut chain: Vec<&str> = cx.stack.files[start..].iter().map(String::as_str).collect();
        chain.push(&found.name);
        let chain = chain.join(" → ");
        cx.diags.push_both(
            spec.line,
            spec.col,
            (
                format!("cycle d'inclusion : {chain}"),
                format!("include cycle: {chain}"),
            ),
            Some((
                "un pack ne peut pas s'inclure lui-même, même par un autre : retirez un `include`/`extends` du cycle".to_owned(),
                "a pack cannot include itself, even through another: remove one `include`/`extends` of the cycle".to_owned(),
            )),
        );
        return None;
    }
    if cx.stack.files.len() >= MAX_INCLUDE_DEPTH {
        cx.diags.push_both(
            spec.line,
            spec.col,
            (
                format!("plus de {MAX_INCLUDE_DEPTH} inclusions imbriquées"),
                format!("more than {MAX_INCLUDE_DEPTH} nested includes"),
            ),
            Some((
                "incluez directement les packs utiles".to_owned(),
                "include the packs you need directly".to_owned(),
            )),
        );
        return None;
    }
    if let Some(pack) = cx.loaded.get(&found.name) {
        return Some(pack.clone());
    }
    if cx.stack.loads >= MAX_INCLUDED_LOADS {
        cx.diags.push_both(
            spec.line,
            spec.col,
            (
                format!("plus de {MAX_INCLUDED_LOADS} packs inclus à charger en tout"),
                format!("more than {MAX_INCLUDED_LOADS} included packs to load in all"),
            ),
            Some((
                "incluez moins de packs, ou des groupes d'un même pack".to_owned(),
                "include fewer packs, or groups of one pack".to_owned(),
            )),
        );
        return None;
    }
    cx.stack.loads += 1;
    if !cx.includes.contains(&found.name) {
        cx.includes.push(found.name.clone());
    }
    match load_at(&found.name, &found.text, cx.sources, cx.stack) {
        Ok(pack) => {
            cx.loaded.insert(found.name.clone(), pack.clone());
            Some(pack)
        }
        Err(errors) => {
            let count = errors.len();
            cx.diags.list.extend(errors);
            cx.diags.push_both(
                spec.line,
                spec.col,
                (
                    format!(
                        "le pack inclus « {} » ({}) a {count} erreur(s), listées avec son nom",
                        spec.value, found.name
                    ),
                    format!(
                        "included pack \"{}\" ({}) has {count} error(s), listed under its name",
                        spec.value, found.name
                    ),
                ),
                None,
            );
            None
        }
    }
}

/// Adds the included pack's roles and variables; a role with another OS, or a variable
/// with another default than an earlier include's, is a conflict.
fn merge_head(cx: &mut Ctx<'_>, spec: &Sp<String>, pack: &Pack) {
    for (role, os) in &pack.hosts {
        match cx.hosts.get(role) {
            Some(h) if h.os != *os => {
                let other = cx.host_from.get(role).cloned().unwrap_or_default();
                cx.diags.push_both(
                    spec.line,
                    spec.col,
                    (
                        format!(
                            "le rôle « {role} » n'a pas le même système dans {} et {other}",
                            pack.file
                        ),
                        format!(
                            "role \"{role}\" has another OS in {} than in {other}",
                            pack.file
                        ),
                    ),
                    None,
                );
            }
            Some(_) => {}
            None => {
                cx.hosts.insert(
                    role.clone(),
                    RawHost {
                        os: *os,
                        description: pack.host_descriptions.get(role).cloned(),
                        description_en: pack.host_descriptions_en.get(role).cloned(),
                    },
                );
                cx.host_from.insert(role.clone(), pack.file.clone());
            }
        }
    }
    for (name, v) in &pack.variables {
        match cx.variables.get(name) {
            Some(old) if old.default.value != v.default && !cx.own_variables.contains(name) => {
                let other = cx.variable_from.get(name).cloned().unwrap_or_default();
                cx.diags.push_both(
                    spec.line,
                    spec.col,
                    (
                        format!(
                            "la variable « {name} » vaut « {} » dans {} et « {} » dans {other}",
                            v.default, pack.file, old.default.value
                        ),
                        format!(
                            "variable \"{name}\" is \"{}\" in {} and \"{}\" in {other}",
                            v.default, pack.file, old.default.value
                        ),
                    ),
                    Some((
                        format!("déclarez « {name} » sous `variables:` dans ce pack pour fixer sa valeur"),
                        format!("declare \"{name}\" under `variables:` in this pack to set its value"),
                    )),
                );
            }
            Some(_) => {}
            None => {
                cx.variables.insert(
                    name.clone(),
                    RawVariable {
                        default: Sp::unplaced(v.default.clone()),
                        description: v.description.clone(),
                        description_en: v.description_en.clone(),
                    },
                );
                cx.variable_from.insert(name.clone(), pack.file.clone());
            }
        }
    }
}

/// Applies `overrides:` to included checks and records each change in the check's origin.
fn apply_overrides(
    file: &str,
    overrides: &BTreeMap<String, Sp<RawOverride>>,
    checks: &mut [RawCheck],
    diags: &mut Diagnostics,
) {
    for (id, ov) in overrides {
        let Some(check) = checks.iter_mut().find(|c| c.id.value == *id) else {
            let included: Vec<&str> = checks
                .iter()
                .filter(|c| c.origin.is_some())
                .map(|c| &*c.id.value)
                .collect();
            let help = match closest(id, &included) {
                Some(best) => (
                    format!("vouliez-vous dire « {best} » ?"),
                    format!("did you mean \"{best}\"?"),
                ),
                None => (
                    "`overrides:` s'applique aux vérifications incluses (`include`, `extends`), par id".to_owned(),
                    "`overrides:` applies to included checks (`include`, `extends`), by id".to_owned(),
                ),
            };
            diags.push_both(
                ov.line,
                ov.col,
                (
                    format!("surcharge d'une vérification absente « {id} »"),
                    format!("override of a missing check \"{id}\""),
                ),
                Some(help),
            );
            continue;
        };
        let Some(origin) = check.origin.as_mut() else {
            diags.push_both(
                ov.line,
                ov.col,
                (
                    format!("« {id} » est écrite dans ce pack : modifiez-la directement"),
                    format!("\"{id}\" is written in this pack: change it there"),
                ),
                None,
            );
            continue;
        };
        let at = format!("{file}:{}:{}", ov.line, ov.col);
        let o = &ov.value;
        let mut changed = |field: &str| origin.overridden.push((field.to_owned(), at.clone()));
        if let Some(v) = &o.title {
            check.title = v.clone();
            changed("title");
        }
        if let Some(v) = &o.title_en {
            check.title_en = Some(v.clone());
            changed("title_en");
        }
        if let Some(v) = o.points {
            check.points = v;
            changed("points");
        }
        if let Some(v) = o.penalty {
            check.penalty = v;
            changed("penalty");
        }
        if let Some(v) = &o.criteres {
            check.criteres = v.clone();
            changed("criteres");
        }
        if let Some(v) = &o.requires {
            check.requires = v.clone();
            changed("requires");
        }
        if let Some(v) = &o.hint {
            check.hint = Some(v.clone());
            changed("hint");
        }
        if let Some(v) = &o.hint_en {
            check.hint_en = Some(v.clone());
            changed("hint_en");
        }
        if let Some(v) = &o.explanation {
            check.explanation = Some(v.clone());
            changed("explanation");
        }
        if let Some(v) = &o.explanation_en {
            check.explanation_en = Some(v.clone());
            changed("explanation_en");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::pack::render_diagnostics;
    use crate::pack::sources::{PackSources, SourceError, SourceText, is_path, relative_to};
    use crate::pack::{Pack, load_with};
    use std::collections::BTreeMap;

    /// Files in memory: shipped ids are `lib/<id>.yaml`, paths are relative to the includer.
    struct Files(BTreeMap<&'static str, String>);

    impl PackSources for Files {
        fn find(&self, from: &str, spec: &str) -> Result<SourceText, SourceError> {
            let name = if is_path(spec) {
                relative_to(from, spec).unwrap_or_default()
            } else {
                format!("lib/{spec}.yaml")
            };
            match self.0.get(name.as_str()) {
                Some(text) => Ok(SourceText {
                    name,
                    text: text.clone(),
                }),
                None => Err(SourceError::NotFound {
                    spec: spec.to_owned(),
                    known: vec!["base".to_owned()],
                }),
            }
        }
    }

    fn head(id: &str) -> String {
        format!("pack: {{id: {id}, title: t, referentiel: tssr-2023, profile: lab}}\n")
    }

    fn check(id: &str, critere: &str, extra: &str) -> String {
        format!(
            "  - id: {id}\n    title: {id}\n    criteres: [tssr-2023/{critere}]\n    hosts: [linux]\n{extra}    expect: {{user: {{name: \"${{who}}\"}}}}\n"
        )
    }

    /// A base pack: three checks, `b` requires `a`, a group, a variable.
    fn base() -> String {
        format!(
            "{}variables:\n  who: {{default: root, description: compte}}\nhosts:\n  linux: {{os: linux}}\ngroups:\n  first: [a, b]\nchecks:\n{}{}{}",
            head("base"),
            check("a", "CP3/C1", ""),
            check("b", "CP3/C1", "    requires: [a]\n"),
            check("c", "CP3/C2", "    points: 2\n"),
        )
    }

    fn files(pack: &str, extra: &[(&'static str, String)]) -> (Files, String) {
        let mut map = BTreeMap::from([("lib/base.yaml", base())]);
        map.extend(extra.iter().cloned());
        (Files(map), pack.to_owned())
    }

    fn loaded(pack: &str, extra: &[(&'static str, String)]) -> Result<Pack, String> {
        let (sources, text) = files(pack, extra);
        load_with("main.yaml", &text, &sources).map_err(|d| render_diagnostics(&d))
    }

    fn summary(pack: &Pack) -> String {
        let mut out = String::new();
        for c in pack.checks() {
            let origin = c.origin.as_ref().map(|o| {
                format!(
                    " from {}:{} renamed_from={:?} at {} overridden={:?}",
                    o.file, o.line, o.renamed_from, o.included_line, o.overridden
                )
            });
            out.push_str(&format!(
                "{} {:?} points={} requires={:?}{}\n",
                c.id,
                c.criteres,
                c.points,
                c.requires,
                origin.unwrap_or_default()
            ));
        }
        out.push_str(&format!(
            "variables={:?}\nhosts={:?}\nincludes={:?}\n",
            pack.variable_defaults(),
            pack.hosts,
            pack.includes
        ));
        out
    }

    /// `extends`, a group, `checks`, `except`, `rename` (requires follow), `overrides`
    /// (critères, points, requires) and a variable default set again: the composed pack,
    /// each included check with its origin.
    #[test]
    fn composes_with_groups_selections_renames_and_overrides() {
        let pack = format!(
            "{}extends: base\nvariables:\n  who: {{default: admin}}\noverrides:\n  c: {{points: 5, criteres: [tssr-2023/CP4/C2]}}\n  second: {{requires: []}}\nchecks:\n  - include: base\n    group: first\n    rename: {{a: first-a, b: first-b}}\n{}  - include: base\n    checks: [b]\n    rename: {{b: second}}\n  - include: ./local.yaml\n    except: [z]\n",
            head("main"),
            check("own", "CP3/C1", "    requires: [first-a]\n"),
        );
        let local = format!(
            "{}hosts:\n  linux: {{os: linux}}\n  dc: {{os: windows}}\nvariables:\n  who: {{default: admin}}\nchecks:\n{}{}",
            head("local"),
            check("y", "CP2/C1", ""),
            check("z", "CP2/C1", ""),
        );
        let p = loaded(&pack, &[("local.yaml", local)]).unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(summary(&p));
    }

    /// `overrides:` sets the English forms of an included check like its French ones, and
    /// the origin names them.
    #[test]
    fn overrides_set_the_english_forms() {
        let pack = format!(
            "{}extends: base\nvariables:\n  who: {{default: admin}}\noverrides:\n  c: {{title_en: C in English, hint_en: Look, explanation_en: Why}}\nchecks: []\n",
            head("main"),
        );
        let p = loaded(&pack, &[]).unwrap_or_else(|e| panic!("{e}"));
        let c = p.checks().find(|c| c.id == "c").unwrap();
        assert_eq!(c.title_en.as_deref(), Some("C in English"));
        assert_eq!(c.hint_en.as_deref(), Some("Look"));
        assert_eq!(c.explanation_en.as_deref(), Some("Why"));
        let fields: Vec<&str> = c
            .origin
            .as_ref()
            .unwrap()
            .overridden
            .iter()
            .map(|(f, _)| f.as_str())
            .collect();
        assert_eq!(fields, ["title_en", "hint_en", "explanation_en"]);
    }

    /// Every composition mistake, with its position and a way out; errors inside an
    /// included file are reported under that file's name.
    #[test]
    fn composition_errors_are_located() {
        let pack = format!(
            "{}overrides:\n  own: {{points: 2}}\n  nope: {{points: 2}}\n  a: {{criteres: [tssr-2023/CP3/C99], points: 5000}}\nchecks:\n  - include: bsae\n  - include: base\n    group: missing\n  - include: base\n    checks: [a, x]\n    rename: {{c: cc}}\n{}  - include: base\n    checks: [b]\n  - include: ./broken.yaml\n  - include: ./loop.yaml\n  - include: ./other-ref.yaml\n",
            head("main"),
            check("own", "CP3/C1", ""),
        );
        let broken = format!(
            "{}hosts:\n  linux: {{os: linux}}\nchecks:\n{}",
            head("broken"),
            check("k", "CP3/C42", "")
        );
        let looping = format!("{}checks:\n  - include: ./main.yaml\n", head("loop"));
        let other = "pack: {id: other, title: t, referentiel: tssr-2018, profile: lab}\nhosts:\n  linux: {os: windows}\nchecks: []\n".to_owned();
        let e = loaded(
            &pack,
            &[
                ("broken.yaml", broken),
                ("loop.yaml", looping),
                ("main.yaml", pack.clone()),
                ("other-ref.yaml", other),
            ],
        )
        .err()
        .unwrap_or_default();
        insta::assert_snapshot!(e);
    }

    /// Two includes that disagree on a variable's default or a role's system.
    /// Ten packs each including the next two: without a budget the loader would load
    /// 2^9 files; it stops at MAX_INCLUDED_LOADS with an error at an include.
    #[test]
    fn an_include_fan_out_is_bounded() {
        let mut extra = Vec::new();
        for i in 0..10 {
            let mut text = format!(
                "{}hosts:\n  linux: {{os: linux}}\nchecks:\n",
                head(&format!("p{i}"))
            );
            for j in [i + 1, i + 2] {
                if j < 10 {
                    text.push_str(&format!("  - include: ./p{j}.yaml\n"));
                }
            }
            let name: &'static str = Box::leak(format!("p{i}.yaml").into_boxed_str());
            extra.push((name, text));
        }
        let pack = format!("{}checks:\n  - include: ./p0.yaml\n", head("main"));
        let e = loaded(&pack, &extra).err().unwrap_or_default();
        assert!(
            e.contains(&format!(
                "plus de {} packs inclus",
                super::MAX_INCLUDED_LOADS
            )),
            "{e}"
        );
    }

    #[test]
    fn conflicting_variables_and_roles_are_errors() {
        let other = format!(
            "{}variables:\n  who: {{default: alice}}\nhosts:\n  linux: {{os: windows}}\nchecks:\n{}",
            head("other"),
            check("o", "CP3/C1", "")
        )
        .replace("hosts: [linux]", "hosts: [linux]");
        let pack = format!(
            "{}checks:\n  - include: base\n  - include: other\n",
            head("main")
        );
        let e = loaded(&pack, &[("lib/other.yaml", other)])
            .err()
            .unwrap_or_default();
        insta::assert_snapshot!(e);
    }
}
