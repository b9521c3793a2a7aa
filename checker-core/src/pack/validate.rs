//! Semantic validation of a parsed pack: référentiel, critères, roles, ids, requires,
//! variables, expectations. Collects every problem instead of stopping at the first.

use crate::expect::compile;
use crate::pack::compile::Compile;
use crate::pack::compose::Composed;
use crate::pack::diagnostics::Diagnostics;
use crate::pack::limits::{MAX_CHECKS, MAX_FOR_EACH, MAX_POINTS};
use crate::pack::model::{CheckMeta, CompiledCheck, Pack, SharedMeta, Variable};
use crate::pack::raw::{ForEachItem, HostOs, RawCheck};
use crate::pack::variables::resolve;
use crate::referentiel::{self, Referentiel};
use std::collections::BTreeMap;

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// A number as written back in a message (`1e308`, not 309 digits).
fn shown(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e6 {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

fn valid_variable(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Compiles the expectations of one check with a variable binding.
pub(crate) fn compile_items(
    check: &RawCheck,
    vars: &BTreeMap<String, String>,
    roles: &BTreeMap<String, HostOs>,
    diags: &mut Diagnostics,
) -> Option<Vec<(Option<String>, crate::expect::CompiledExpect)>> {
    if check.for_each.len() > MAX_FOR_EACH {
        diags.push_both(
            check.id.line,
            check.id.col,
            (
                format!(
                    "« {} » : for_each a {} éléments, au plus {MAX_FOR_EACH}",
                    check.id.value,
                    check.for_each.len()
                ),
                format!(
                    "\"{}\": for_each has {} items, at most {MAX_FOR_EACH}",
                    check.id.value,
                    check.for_each.len()
                ),
            ),
            Some((
                "découpez la liste en plusieurs vérifications, ou utilisez un motif (regex) plutôt qu'une liste".to_owned(),
                "split the list into several checks, or use a pattern (regex) instead of a list".to_owned(),
            )),
        );
        return None;
    }
    if check.for_each.is_empty() {
        let mut cx = Compile { vars, roles, diags };
        return compile(&check.expect, &mut cx).map(|e| vec![(None, e)]);
    }
    let mut items = Vec::new();
    for item in &check.for_each {
        let mut with_item = vars.clone();
        let label = match &item.value {
            ForEachItem::Text(text) => {
                let value = Compile { vars, roles, diags }.text(&item.with_value(text.clone()));
                with_item.insert("item".to_owned(), value.clone());
                value
            }
            ForEachItem::Record(fields) => {
                if fields.is_empty() {
                    diags.push_both(
                        item.line,
                        item.col,
                        (
                            format!("« {} » : élément for_each vide", check.id.value),
                            format!("\"{}\": empty for_each item", check.id.value),
                        ),
                        Some((
                            "donnez au moins un champ : `{dir: commercial, group: GG_Commercial}`"
                                .to_owned(),
                            "give at least one field: `{dir: commercial, group: GG_Commercial}`"
                                .to_owned(),
                        )),
                    );
                    return None;
                }
                let mut parts = Vec::new();
                for (field, text) in fields {
                    if !valid_variable(field) {
                        diags.push_both(
                            item.line,
                            item.col,
                            (
                                format!(
                                    "« {} » : champ for_each « {field} » invalide",
                                    check.id.value
                                ),
                                format!(
                                    "\"{}\": invalid for_each field \"{field}\"",
                                    check.id.value
                                ),
                            ),
                            Some((
                                "lettres, chiffres et _".to_owned(),
                                "letters, digits and _".to_owned(),
                            )),
                        );
                        return None;
                    }
                    let value = Compile { vars, roles, diags }.text(&item.with_value(text.clone()));
                    parts.push(format!("{field}={value}"));
                    with_item.insert(format!("item.{field}"), value);
                }
                let label = parts.join(", ");
                with_item.insert("item".to_owned(), label.clone());
                label
            }
        };
        let mut cx = Compile {
            vars: &with_item,
            roles,
            diags,
        };
        items.push((Some(label), compile(&check.expect, &mut cx)?));
    }
    Some(items)
}

/// Compiles every check with a binding; `None` when a problem was reported.
pub(crate) fn compile_checks(
    raw: &[RawCheck],
    vars: &BTreeMap<String, String>,
    roles: &BTreeMap<String, HostOs>,
    ids: &BTreeMap<String, usize>,
    diags: &mut Diagnostics,
) -> Vec<Option<CompiledCheck>> {
    raw.iter()
        .map(|c| {
            // An included check's texts are in its own file: its errors name that file.
            let home = c.origin.as_ref().map(|o| diags.set_file(&o.file));
            let items = compile_items(c, vars, roles, diags);
            if let Some(home) = home {
                diags.set_file(&home);
            }
            let items = items?;
            let mut runs = Vec::new();
            for (_, e) in &items {
                e.runs("", &mut runs);
            }
            let meta = CheckMeta {
                id: c.id.value.clone(),
                title: c.title.clone(),
                title_en: c.title_en.clone(),
                criteres: c.criteres.iter().map(|k| k.value.clone()).collect(),
                hosts: c.hosts.iter().map(|h| h.value.clone()).collect(),
                points: c.points,
                penalty: c.penalty,
                requires: c.requires.iter().map(|r| r.value.clone()).collect(),
                partial: c.partial,
                changed: c.changed,
                hint: c.hint.clone(),
                hint_en: c.hint_en.clone(),
                explanation: c.explanation.clone(),
                explanation_en: c.explanation_en.clone(),
                active: !runs.is_empty(),
                near_miss: c.near_miss.as_ref().map(crate::eval::NearMiss::of),
                origin: c.origin.clone(),
            };
            Some(CompiledCheck {
                shared: SharedMeta::of(&meta),
                meta,
                requires: c
                    .requires
                    .iter()
                    .filter_map(|r| ids.get(&r.value).copied())
                    .collect(),
                competences: Vec::new(),
                scored_in: Vec::new(),
                items,
            })
        })
        .collect()
}

fn check_critere(r: &Referentiel, id: &crate::pack::span::Sp<String>, diags: &mut Diagnostics) {
    if r.critere(&id.value).is_some() {
        return;
    }
    let competence = id
        .value
        .rsplit_once('/')
        .map(|(cp, _)| cp)
        .unwrap_or_default();
    let all: Vec<&str> = r
        .competences
        .iter()
        .flat_map(|cp| cp.criteres.iter().map(|k| &*k.id))
        .collect();
    let guess = crate::pack::diagnostics::closest(&id.value, &all);
    let help = match (guess, r.competence(competence)) {
        (Some(best), _) => (
            format!("vouliez-vous dire « {best} » ?"),
            format!("did you mean \"{best}\"?"),
        ),
        (None, Some(cp)) => {
            let list = cp
                .criteres
                .iter()
                .map(|k| &*k.id)
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("critères de {} : {list}", cp.id),
                format!("critères of {}: {list}", cp.id),
            )
        }
        (None, None) => (
            format!("les ids ont la forme {}/CP3/C1 (voir referential.md)", r.id),
            format!("ids look like {}/CP3/C1 (see referential.md)", r.id),
        ),
    };
    diags.push_both(
        id.line,
        id.col,
        (
            format!("critère inconnu « {} » dans {}", id.value, r.id),
            format!("unknown critère \"{}\" in {}", id.value, r.id),
        ),
        Some(help),
    );
}

/// Topological order of the checks (prerequisites first); reports cycles.
fn order(raw: &[RawCheck], ids: &BTreeMap<String, usize>, diags: &mut Diagnostics) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        i: usize,
        raw: &[RawCheck],
        ids: &BTreeMap<String, usize>,
        marks: &mut Vec<Mark>,
        path: &mut Vec<usize>,
        out: &mut Vec<usize>,
        diags: &mut Diagnostics,
    ) {
        match marks[i] {
            Mark::Done => return,
            Mark::Active => {
                let start = path.iter().position(|&p| p == i).unwrap_or(0);
                let mut names: Vec<&str> = path[start..]
                    .iter()
                    .map(|&p| raw[p].id.value.as_str())
                    .collect();
                names.push(&raw[i].id.value);
                let at = position(&raw[i]);
                diags.push_both(
                    at.0,
                    at.1,
                    (
                        format!("cycle de prérequis : {}", names.join(" → ")),
                        format!("prerequisite cycle: {}", names.join(" → ")),
                    ),
                    Some((
                        "retirez un des `requires:` du cycle".to_owned(),
                        "remove one of the `requires:` of the cycle".to_owned(),
                    )),
                );
                return;
            }
            Mark::New => {}
        }
        marks[i] = Mark::Active;
        path.push(i);
        for r in &raw[i].requires {
            if let Some(&j) = ids.get(&r.value) {
                visit(j, raw, ids, marks, path, out, diags);
            }
        }
        path.pop();
        marks[i] = Mark::Done;
        out.push(i);
    }
    let mut marks = vec![Mark::New; raw.len()];
    let mut out = Vec::new();
    for i in 0..raw.len() {
        visit(i, raw, ids, &mut marks, &mut Vec::new(), &mut out, diags);
    }
    out
}

/// Where to report a problem of a whole check: its `id`, or the `include` that brought it.
fn position(c: &RawCheck) -> (u32, u32) {
    match &c.origin {
        Some(o) => (o.included_line, o.included_col),
        None => (c.id.line, c.id.col),
    }
}

/// Whether this file's `overrides:` set `field` of the check (its values then carry
/// positions in this file and are validated here).
fn overridden_here(c: &RawCheck, file: &str, field: &str) -> bool {
    let here = format!("{file}:");
    c.origin.as_ref().is_some_and(|o| {
        o.overridden
            .iter()
            .any(|(f, at)| f == field && at.starts_with(&here))
    })
}

/// Validates a composed pack into a [`Pack`]; every problem goes to `diags`.
pub(crate) fn validate(file: &str, raw: Composed, diags: &mut Diagnostics) -> Option<Pack> {
    let meta = &raw.meta;
    if raw.checks.len() > MAX_CHECKS {
        diags.push_both(
            meta.id.line,
            meta.id.col,
            (
                format!(
                    "le pack a {} vérifications, au plus {MAX_CHECKS}",
                    raw.checks.len()
                ),
                format!(
                    "the pack has {} checks, at most {MAX_CHECKS}",
                    raw.checks.len()
                ),
            ),
            Some((
                "découpez-le en plusieurs packs (un par compétence)".to_owned(),
                "split it into several packs (one per competence)".to_owned(),
            )),
        );
        return None;
    }
    if !valid_id(&meta.id.value) {
        diags.push_both(
            meta.id.line,
            meta.id.col,
            (
                format!("id de pack invalide « {} »", meta.id.value),
                format!("invalid pack id \"{}\"", meta.id.value),
            ),
            Some((
                "minuscules, chiffres, - _ . uniquement".to_owned(),
                "lowercase letters, digits, - _ . only".to_owned(),
            )),
        );
    }
    let timezone = match &meta.timezone {
        None => crate::eval::ExamZone::default(),
        Some(name) => match crate::eval::ExamZone::named(&name.value) {
            Ok(zone) => zone,
            Err(message) => {
                diags.push_both(
                    name.line,
                    name.col,
                    (message, format!("unknown time zone \"{}\"", name.value)),
                    Some((
                        "un nom IANA : Europe/Paris, Indian/Reunion, America/Cayenne, America/Martinique, Pacific/Noumea…".to_owned(),
                        "an IANA name: Europe/Paris, Indian/Reunion, America/Cayenne, America/Martinique, Pacific/Noumea…".to_owned(),
                    )),
                );
                crate::eval::ExamZone::default()
            }
        },
    };
    let referentiel = referentiel::get(&meta.referentiel.value);
    match referentiel {
        None => {
            let known: Vec<&str> = referentiel::all().iter().map(|r| r.id.as_str()).collect();
            diags.push_both(
                meta.referentiel.line,
                meta.referentiel.col,
                (
                    format!("référentiel inconnu « {} »", meta.referentiel.value),
                    format!("unknown référentiel \"{}\"", meta.referentiel.value),
                ),
                Some((
                    format!("référentiels intégrés : {}", known.join(", ")),
                    format!("embedded référentiels: {}", known.join(", ")),
                )),
            );
        }
        Some(r) if r.profile(&meta.profile.value).is_none() => {
            let known: Vec<&str> = r.profiles.iter().map(|p| p.id.as_str()).collect();
            diags.push_both(
                meta.profile.line,
                meta.profile.col,
                (
                    format!(
                        "profil de session inconnu « {} » pour {}",
                        meta.profile.value, r.id
                    ),
                    format!(
                        "unknown session profile \"{}\" for {}",
                        meta.profile.value, r.id
                    ),
                ),
                Some((
                    format!("profils : {}", known.join(", ")),
                    format!("profiles: {}", known.join(", ")),
                )),
            );
        }
        Some(_) => {}
    }
    let mut defaults = BTreeMap::new();
    for (name, v) in &raw.variables {
        if raw.own_variables.contains(name) && (!valid_variable(name) || name == "item") {
            diags.push_both(
                v.default.line,
                v.default.col,
                (
                    format!("nom de variable invalide « {name} »"),
                    format!("invalid variable name \"{name}\""),
                ),
                Some((
                    "lettres, chiffres et _ ; « item » est réservé à for_each".to_owned(),
                    "letters, digits and _; \"item\" is reserved for for_each".to_owned(),
                )),
            );
        }
        defaults.insert(name.clone(), v.default.value.clone());
    }
    let vars = match resolve(&defaults, &BTreeMap::new()) {
        Ok(v) => v,
        Err(errors) => {
            for (name, message) in errors {
                // An included variable has no position in this file: the pack id has one.
                let at = raw
                    .variables
                    .get(&name)
                    .map(|v| (v.default.line, v.default.col))
                    .filter(|at| at.0 > 0)
                    .unwrap_or((meta.id.line, meta.id.col));
                diags.push_both(
                    at.0,
                    at.1,
                    message,
                    Some((
                        "chaque ${nom} doit être déclaré sous `variables:`, sans cycle".to_owned(),
                        "every ${name} must be declared under `variables:`, with no cycle"
                            .to_owned(),
                    )),
                );
            }
            defaults.clone()
        }
    };
    if raw.hosts.is_empty() {
        diags.push_both(
            meta.id.line,
            meta.id.col,
            (
                "aucun rôle d'hôte déclaré".to_owned(),
                "no host role declared".to_owned(),
            ),
            Some((
                "déclarez au moins un rôle sous `hosts:`, par ex. linux: {os: linux}".to_owned(),
                "declare at least one role under `hosts:`, e.g. linux: {os: linux}".to_owned(),
            )),
        );
    }
    let roles: BTreeMap<String, HostOs> =
        raw.hosts.iter().map(|(k, h)| (k.clone(), h.os)).collect();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for (i, c) in raw.checks.iter().enumerate() {
        if !valid_id(&c.id.value) {
            diags.push_both(
                c.id.line,
                c.id.col,
                (
                    format!("id de vérification invalide « {} »", c.id.value),
                    format!("invalid check id \"{}\"", c.id.value),
                ),
                Some((
                    "minuscules, chiffres, - _ . uniquement".to_owned(),
                    "lowercase letters, digits, - _ . only".to_owned(),
                )),
            );
        }
        if let Some(&first) = ids.get(&c.id.value) {
            let f = position(&raw.checks[first]);
            let at = position(c);
            diags.push_both(
                at.0,
                at.1,
                (
                    format!(
                        "id de vérification en double « {} » (déjà utilisé ligne {})",
                        c.id.value, f.0
                    ),
                    format!(
                        "duplicate check id \"{}\" (already used on line {})",
                        c.id.value, f.0
                    ),
                ),
                Some((
                    "chaque vérification doit avoir un id unique et stable".to_owned(),
                    "every check needs a unique, stable id".to_owned(),
                )),
            );
        } else {
            ids.insert(c.id.value.clone(), i);
        }
    }
    for c in &raw.checks {
        if c.origin.is_some() {
            validate_included(file, c, referentiel, &ids, diags);
            continue;
        }
        if c.criteres.is_empty() {
            diags.push_both(
                c.id.line,
                c.id.col,
                (
                    format!("la vérification « {} » ne cite aucun critère", c.id.value),
                    format!("check \"{}\" cites no critère", c.id.value),
                ),
                Some((
                    "ajoutez criteres: [tssr-2023/CP3/C1]".to_owned(),
                    "add criteres: [tssr-2023/CP3/C1]".to_owned(),
                )),
            );
        }
        if let Some(r) = referentiel {
            for k in &c.criteres {
                check_critere(r, k, diags);
            }
        }
        if c.hosts.is_empty() {
            diags.push_both(
                c.id.line,
                c.id.col,
                (
                    format!("la vérification « {} » ne désigne aucun hôte", c.id.value),
                    format!("check \"{}\" names no host", c.id.value),
                ),
                Some((
                    "ajoutez hosts: [linux]".to_owned(),
                    "add hosts: [linux]".to_owned(),
                )),
            );
        }
        for h in &c.hosts {
            if !roles.contains_key(&h.value) {
                let known: Vec<&str> = roles.keys().map(String::as_str).collect();
                let list = known.join(", ");
                let help = match crate::pack::diagnostics::closest(&h.value, &known) {
                    Some(best) => (
                        format!(
                            "vouliez-vous dire « {best} » ? Rôles déclarés sous `hosts:` : {list}"
                        ),
                        format!("did you mean \"{best}\"? Roles declared under `hosts:`: {list}"),
                    ),
                    None => (
                        format!("rôles déclarés sous `hosts:` : {list}"),
                        format!("roles declared under `hosts:`: {list}"),
                    ),
                };
                diags.push_both(
                    h.line,
                    h.col,
                    (
                        format!("rôle d'hôte inconnu « {} »", h.value),
                        format!("unknown host role \"{}\"", h.value),
                    ),
                    Some(help),
                );
            }
        }
        let bounded = |x: f64| x.is_finite() && (0.0..=MAX_POINTS).contains(&x);
        if !(bounded(c.points) && bounded(c.penalty)) {
            diags.push_both(
                c.id.line,
                c.id.col,
                (
                    format!(
                        "points ou pénalité hors bornes dans « {} » (points: {}, penalty: {})",
                        c.id.value,
                        shown(c.points),
                        shown(c.penalty)
                    ),
                    format!(
                        "points or penalty out of bounds in \"{}\" (points: {}, penalty: {})",
                        c.id.value,
                        shown(c.points),
                        shown(c.penalty)
                    ),
                ),
                Some((
                    format!("points et penalty sont des nombres de 0 à {MAX_POINTS} ; la pénalité est retirée quand la vérification échoue"),
                    format!("points and penalty are numbers from 0 to {MAX_POINTS}; the penalty is taken off when the check fails"),
                )),
            );
        }
        if let Some(near) = &c.near_miss {
            if !(near.points.is_finite() && (0.0..=c.points).contains(&near.points)) {
                diags.push_both(
                    c.id.line,
                    c.id.col,
                    (
                        format!(
                            "near_miss.points hors bornes dans « {} » ({} pour une vérification de {} points)",
                            c.id.value,
                            shown(near.points),
                            shown(c.points)
                        ),
                        format!(
                            "near_miss.points out of range in \"{}\" ({} for a check worth {} points)",
                            c.id.value,
                            shown(near.points),
                            shown(c.points)
                        ),
                    ),
                    Some((
                        "le crédit d'un mécanisme voisin va de 0 aux points de la vérification".to_owned(),
                        "the credit for a look-alike goes from 0 to the check's points".to_owned(),
                    )),
                );
            }
            for m in &near.mechanisms {
                if !crate::eval::LOOK_ALIKE_MECHANISMS.contains(&m.value.as_str()) {
                    let known = crate::eval::LOOK_ALIKE_MECHANISMS.join(", ");
                    diags.push_both(
                        m.line,
                        m.col,
                        (
                            format!("mécanisme voisin inconnu « {} »", m.value),
                            format!("unknown look-alike mechanism \"{}\"", m.value),
                        ),
                        Some((format!("connus : {known}"), format!("known: {known}"))),
                    );
                }
            }
        }
        for r in &c.requires {
            if r.value == c.id.value {
                diags.push_both(
                    r.line,
                    r.col,
                    (
                        format!("« {} » se requiert elle-même", r.value),
                        format!("\"{}\" requires itself", r.value),
                    ),
                    None,
                );
            } else if !ids.contains_key(&r.value) {
                let known: Vec<&str> = ids.keys().map(String::as_str).collect();
                let help = match crate::pack::diagnostics::closest(&r.value, &known) {
                    Some(best) => (
                        format!("vouliez-vous dire « {best} » ?"),
                        format!("did you mean \"{best}\"?"),
                    ),
                    None => (
                        "requires cite des ids de vérifications du même pack".to_owned(),
                        "requires names check ids of the same pack".to_owned(),
                    ),
                };
                diags.push_both(
                    r.line,
                    r.col,
                    (
                        format!("prérequis inconnu « {} »", r.value),
                        format!("unknown prerequisite \"{}\"", r.value),
                    ),
                    Some(help),
                );
            }
        }
    }
    let order = order(&raw.checks, &ids, diags);
    let compiled = compile_checks(&raw.checks, &vars, &roles, &ids, diags);
    let referentiel = referentiel?;
    let checks: Option<Vec<CompiledCheck>> = compiled.into_iter().collect();
    let mut checks = checks?;
    if !meta.active_tests {
        for (c, raw_check) in checks.iter().zip(&raw.checks) {
            if c.meta.active {
                let at = position(raw_check);
                diags.push_both(
                    at.0,
                    at.1,
                    (
                        format!(
                            "« {} » exécute un script (run:) mais le pack n'autorise pas les tests actifs",
                            c.meta.id
                        ),
                        format!(
                            "\"{}\" runs a script (run:) but the pack does not allow active tests",
                            c.meta.id
                        ),
                    ),
                    Some((
                        "ajoutez `active_tests: true` sous `pack:` (l'examinateur devra en plus passer --active-tests)".to_owned(),
                        "add `active_tests: true` under `pack:` (the examiner must also pass --active-tests)".to_owned(),
                    )),
                );
            }
        }
        if checks.iter().any(|c| c.meta.active) {
            return None;
        }
    }
    let groups = validate_groups(&raw.groups, &ids, diags);
    resolve_competences(referentiel, &mut checks);
    Some(Pack {
        file: file.to_owned(),
        id: meta.id.value.clone(),
        title: meta.title.clone(),
        title_en: meta.title_en.clone(),
        version: meta.version.clone(),
        description: meta.description.clone(),
        description_en: meta.description_en.clone(),
        referentiel,
        profile: meta.profile.value.clone(),
        variables: raw
            .variables
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    Variable {
                        default: v.default.value.clone(),
                        description: v.description.clone(),
                        description_en: v.description_en.clone(),
                    },
                )
            })
            .collect(),
        hosts: roles,
        active_tests: meta.active_tests,
        groups,
        includes: raw.includes,
        host_descriptions: raw
            .hosts
            .iter()
            .filter_map(|(k, h)| Some((k.clone(), h.description.clone()?)))
            .collect(),
        host_descriptions_en: raw
            .hosts
            .iter()
            .filter_map(|(k, h)| Some((k.clone(), h.description_en.clone()?)))
            .collect(),
        timezone,
        raw_checks: raw.checks,
        checks,
        order,
    })
}

/// An included check: its file validated it; what this file changed is checked here (the
/// overridden critères and points, prerequisites that must exist in this pack).
fn validate_included(
    file: &str,
    c: &RawCheck,
    referentiel: Option<&Referentiel>,
    ids: &BTreeMap<String, usize>,
    diags: &mut Diagnostics,
) {
    let at = position(c);
    if overridden_here(c, file, "criteres") {
        if c.criteres.is_empty() {
            diags.push_both(
                at.0,
                at.1,
                (
                    format!("la surcharge de « {} » ne cite aucun critère", c.id.value),
                    format!("the override of \"{}\" cites no critère", c.id.value),
                ),
                None,
            );
        }
        if let Some(r) = referentiel {
            for k in &c.criteres {
                check_critere(r, k, diags);
            }
        }
    }
    let bounded = |x: f64| x.is_finite() && (0.0..=MAX_POINTS).contains(&x);
    if !(bounded(c.points) && bounded(c.penalty)) {
        diags.push_both(
            at.0,
            at.1,
            (
                format!(
                    "points ou pénalité hors bornes dans la surcharge de « {} » (points: {}, penalty: {})",
                    c.id.value,
                    shown(c.points),
                    shown(c.penalty)
                ),
                format!(
                    "points or penalty out of bounds in the override of \"{}\" (points: {}, penalty: {})",
                    c.id.value,
                    shown(c.points),
                    shown(c.penalty)
                ),
            ),
            Some((
                format!("points et penalty sont des nombres de 0 à {MAX_POINTS}"),
                format!("points and penalty are numbers from 0 to {MAX_POINTS}"),
            )),
        );
    }
    let requires_here = overridden_here(c, file, "requires");
    for r in &c.requires {
        let (line, col) = if requires_here { (r.line, r.col) } else { at };
        if r.value == c.id.value {
            diags.push_both(
                line,
                col,
                (
                    format!("« {} » se requiert elle-même", r.value),
                    format!("\"{}\" requires itself", r.value),
                ),
                None,
            );
        } else if !ids.contains_key(&r.value) {
            diags.push_both(
                line,
                col,
                (
                    format!(
                        "« {} » (incluse) requiert « {} », absente de ce pack",
                        c.id.value, r.value
                    ),
                    format!(
                        "\"{}\" (included) requires \"{}\", missing from this pack",
                        c.id.value, r.value
                    ),
                ),
                Some((
                    format!(
                        "incluez aussi « {} », ou changez ses prérequis : `overrides: {{{}: {{requires: [...]}}}}`",
                        r.value, c.id.value
                    ),
                    format!(
                        "include \"{}\" too, or change its prerequisites: `overrides: {{{}: {{requires: [...]}}}}`",
                        r.value, c.id.value
                    ),
                )),
            );
        }
    }
}

/// The pack's named groups, each id checked against the pack's checks.
fn validate_groups(
    groups: &BTreeMap<String, Vec<crate::pack::span::Sp<String>>>,
    ids: &BTreeMap<String, usize>,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Vec<String>> {
    let known: Vec<&str> = ids.keys().map(String::as_str).collect();
    let mut out = BTreeMap::new();
    for (name, members) in groups {
        for m in members {
            if !ids.contains_key(&m.value) {
                let help = crate::pack::diagnostics::closest(&m.value, &known).map(|best| {
                    (
                        format!("vouliez-vous dire « {best} » ?"),
                        format!("did you mean \"{best}\"?"),
                    )
                });
                diags.push_both(
                    m.line,
                    m.col,
                    (
                        format!(
                            "le groupe « {name} » cite une vérification absente « {} »",
                            m.value
                        ),
                        format!("group \"{name}\" names a missing check \"{}\"", m.value),
                    ),
                    help,
                );
            }
        }
        out.insert(
            name.clone(),
            members.iter().map(|m| m.value.clone()).collect(),
        );
    }
    out
}

/// Fills each check's competences from its critères, and whether each profile of the
/// référentiel scores it.
pub(crate) fn resolve_competences(r: &'static Referentiel, checks: &mut [CompiledCheck]) {
    for c in checks {
        let mut cps: Vec<&'static crate::referentiel::Competence> = Vec::new();
        for k in &c.meta.criteres {
            if let Some((cp, _)) = r.critere(k)
                && !cps.iter().any(|x| x.id == cp.id)
            {
                cps.push(cp);
            }
        }
        c.scored_in = r
            .profiles
            .iter()
            .map(|p| cps.iter().any(|cp| p.scores(cp)))
            .collect();
        c.competences = cps;
    }
}

/// Recompiles a validated pack's checks with another variable binding (candidate overrides).
pub(crate) fn recompile(
    pack: &Pack,
    vars: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> Vec<Option<CompiledCheck>> {
    let ids: BTreeMap<String, usize> = pack
        .raw_checks
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.value.clone(), i))
        .collect();
    let mut compiled = compile_checks(&pack.raw_checks, vars, &pack.hosts, &ids, diags);
    for c in compiled.iter_mut().flatten() {
        resolve_competences(pack.referentiel, std::slice::from_mut(c));
    }
    compiled
}
