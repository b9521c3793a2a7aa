//! The compiled expectation tree and its compilation from YAML.

use crate::expect::fact::CompiledFact;
use crate::kinds::RawExpect;
use crate::kinds::registry::{CompiledKind, compile_kind};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `at_least: {n: 2, of: [...]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAtLeast {
    /// How many members must hold.
    pub n: u32,
    /// The members.
    pub of: Vec<Sp<RawExpect>>,
}

/// `on: {host: dc, expect: {...}}`: evaluate on another role of the same candidate.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOn {
    /// Host role.
    pub host: Sp<String>,
    /// What must hold there.
    pub expect: Box<Sp<RawExpect>>,
}

/// A validated expectation.
#[derive(Debug, Clone)]
pub(crate) enum CompiledExpect {
    Kind(CompiledKind),
    Fact(CompiledFact),
    All(Vec<CompiledExpect>),
    Any(Vec<CompiledExpect>),
    None(Vec<CompiledExpect>),
    AtLeast(u32, Vec<CompiledExpect>),
    On(String, Box<CompiledExpect>),
    Select(Box<crate::selection::CompiledSelect>),
}

/// Compiles an expectation; `None` when a problem was reported.
pub(crate) fn compile(raw: &Sp<RawExpect>, cx: &mut Compile<'_>) -> Option<CompiledExpect> {
    if let Some(kind) = compile_kind(&raw.value, cx) {
        return kind.map(CompiledExpect::Kind);
    }
    let list = |items: &[Sp<RawExpect>], cx: &mut Compile<'_>| -> Option<Vec<CompiledExpect>> {
        if items.is_empty() {
            cx.error(
                raw,
                (
                    "combinateur sans membre".to_owned(),
                    "combinator without members".to_owned(),
                ),
                Some((
                    "donnez au moins une attente dans la liste".to_owned(),
                    "give at least one expectation in the list".to_owned(),
                )),
            );
            return None;
        }
        let compiled: Vec<Option<CompiledExpect>> = items.iter().map(|i| compile(i, cx)).collect();
        compiled.into_iter().collect()
    };
    match &raw.value {
        RawExpect::Fact(f) => f.compile(raw, cx).map(CompiledExpect::Fact),
        RawExpect::All(items) => list(items, cx).map(CompiledExpect::All),
        RawExpect::Any(items) => list(items, cx).map(CompiledExpect::Any),
        RawExpect::None(items) => list(items, cx).map(CompiledExpect::None),
        RawExpect::AtLeast(a) => {
            let members = list(&a.of, cx)?;
            if a.n == 0 || a.n as usize > members.len() {
                cx.error(
                    raw,
                    (
                        format!("at_least: n = {} pour {} membre(s)", a.n, members.len()),
                        format!("at_least: n = {} for {} member(s)", a.n, members.len()),
                    ),
                    Some((
                        "n doit être entre 1 et le nombre de membres".to_owned(),
                        "n must be between 1 and the number of members".to_owned(),
                    )),
                );
                return None;
            }
            Some(CompiledExpect::AtLeast(a.n, members))
        }
        RawExpect::Select(s) => crate::selection::compile_select(raw, s, cx)
            .map(|s| CompiledExpect::Select(Box::new(s))),
        RawExpect::On(on) => {
            let role = cx.text(&on.host);
            if !cx.roles.contains_key(&role) {
                let known: Vec<&str> = cx.roles.keys().map(String::as_str).collect();
                cx.error(
                    &on.host,
                    (
                        format!("rôle d'hôte inconnu « {role} »"),
                        format!("unknown host role \"{role}\""),
                    ),
                    Some(match crate::pack::closest(&role, &known) {
                        Some(best) => (
                            format!(
                                "vouliez-vous dire « {best} » ? Rôles déclarés sous `hosts:` : {}",
                                known.join(", ")
                            ),
                            format!(
                                "did you mean \"{best}\"? Roles declared under `hosts:`: {}",
                                known.join(", ")
                            ),
                        ),
                        None => (
                            format!("rôles déclarés sous `hosts:` : {}", known.join(", ")),
                            format!("roles declared under `hosts:`: {}", known.join(", ")),
                        ),
                    }),
                );
                return None;
            }
            compile(&on.expect, cx).map(|e| CompiledExpect::On(role, Box::new(e)))
        }
        _ => None,
    }
}

impl CompiledExpect {
    /// Files any member needs, and the roles it reads through `on`.
    pub(crate) fn files(&self, default_role: &str, out: &mut Vec<(String, String)>) {
        match self {
            CompiledExpect::Kind(k) => {
                let mut paths = Vec::new();
                crate::kinds::registry::kind_files(k, &mut paths);
                out.extend(paths.into_iter().map(|p| (default_role.to_owned(), p)));
            }
            CompiledExpect::Fact(_) => {}
            CompiledExpect::All(v)
            | CompiledExpect::Any(v)
            | CompiledExpect::None(v)
            | CompiledExpect::AtLeast(_, v) => {
                for e in v {
                    e.files(default_role, out);
                }
            }
            CompiledExpect::On(role, e) => e.files(role, out),
            CompiledExpect::Select(s) => {
                // Members are known only at grading: a path under `${member.home}` becomes a
                // `{home}` template the collector expands for every account; any other
                // path naming a member cannot be requested.
                if let Some(t) = s.template() {
                    let mut found = Vec::new();
                    t.shape.files(default_role, &mut found);
                    out.extend(found.into_iter().filter_map(|(role, p)| {
                        crate::selection::home_template(&p).map(|p| (role, p))
                    }));
                }
            }
        }
    }

    /// Sections any member reads, with the role it reads them on; `None` for the section
    /// means every section (a kind that has not declared what it reads). An optional part
    /// a member reads (`packages.updates`, see `constat_snapshot::files::OPTIONAL_PARTS`)
    /// comes as its own `section.part` entry beside its section.
    pub(crate) fn sections(&self, default_role: &str, out: &mut Vec<(String, Option<String>)>) {
        match self {
            CompiledExpect::Kind(k) => match crate::kinds::registry::kind_sections(k) {
                Some(names) => out.extend(
                    names
                        .iter()
                        .map(|n| (default_role.to_owned(), Some((*n).to_owned()))),
                ),
                None => out.push((default_role.to_owned(), None)),
            },
            CompiledExpect::Fact(f) => {
                if let Some(section) = f.section() {
                    out.push((default_role.to_owned(), Some(section.to_owned())));
                }
                out.extend(
                    f.parts()
                        .map(|part| (default_role.to_owned(), Some(part.to_owned()))),
                );
            }
            CompiledExpect::All(v)
            | CompiledExpect::Any(v)
            | CompiledExpect::None(v)
            | CompiledExpect::AtLeast(_, v) => {
                for e in v {
                    e.sections(default_role, out);
                }
            }
            CompiledExpect::On(role, e) => e.sections(role, out),
            CompiledExpect::Select(s) => {
                out.extend(
                    s.source_sections()
                        .iter()
                        .map(|n| (default_role.to_owned(), Some((*n).to_owned()))),
                );
                if let Some(t) = s.template() {
                    t.shape.sections(default_role, out);
                }
            }
        }
    }

    /// Script runs any member asks for (`script: {run: ...}`), with the role they run on.
    pub(crate) fn runs(
        &self,
        default_role: &str,
        out: &mut Vec<(String, constat_snapshot::ScriptRunRequest)>,
    ) {
        match self {
            CompiledExpect::Kind(crate::kinds::registry::CompiledKind::Script(m)) => {
                if let Some(request) = m.run_request() {
                    out.push((default_role.to_owned(), request));
                }
            }
            CompiledExpect::Kind(_) | CompiledExpect::Fact(_) => {}
            CompiledExpect::All(v)
            | CompiledExpect::Any(v)
            | CompiledExpect::None(v)
            | CompiledExpect::AtLeast(_, v) => {
                for e in v {
                    e.runs(default_role, out);
                }
            }
            CompiledExpect::On(role, e) => e.runs(role, out),
            // A script run per member is not known before grading: none is requested.
            CompiledExpect::Select(_) => {}
        }
    }
}
