//! Validation of a `select` expectation into its compiled form.

use crate::kinds::RawExpect;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use crate::selection::member::{Source, Template};
use crate::selection::raw::{AdUserSelector, RawSelect, UserSelector};
use regex::Regex;

/// Which directory accounts, compiled.
#[derive(Debug, Clone)]
pub(crate) struct DirectorySelector {
    pub(crate) member_of: Option<String>,
    pub(crate) nested: bool,
    pub(crate) ou: Option<String>,
    pub(crate) recursive: bool,
    pub(crate) enabled: Option<bool>,
    pub(crate) name: Option<Regex>,
    pub(crate) department: Option<String>,
    pub(crate) title: Option<String>,
}

/// Which local accounts, compiled.
#[derive(Debug, Clone)]
pub(crate) struct LocalSelector {
    pub(crate) member_of: Option<String>,
    pub(crate) nested: bool,
    pub(crate) name: Option<Regex>,
    pub(crate) enabled: Option<bool>,
    pub(crate) system: Option<bool>,
}

/// The accounts a selection reads.
#[derive(Debug, Clone)]
pub(crate) enum Selector {
    Directory(DirectorySelector),
    Local(LocalSelector),
}

/// What the selected accounts must satisfy.
#[derive(Debug, Clone)]
pub(crate) enum Quantifier {
    /// Every one (an empty selection fails unless `allow_empty`).
    All {
        template: Template,
        allow_empty: bool,
    },
    /// At least `n` of them.
    AtLeast { n: u32, template: Template },
}

/// A validated `select`.
#[derive(Debug, Clone)]
pub(crate) struct CompiledSelect {
    pub(crate) selector: Selector,
    /// Inclusive bounds on the number of accounts selected.
    pub(crate) count: Option<(Option<u32>, Option<u32>)>,
    pub(crate) quantifier: Option<Quantifier>,
}

impl CompiledSelect {
    pub(crate) fn template(&self) -> Option<&Template> {
        match &self.quantifier {
            Some(Quantifier::All { template, .. } | Quantifier::AtLeast { template, .. }) => {
                Some(template)
            }
            None => None,
        }
    }

    /// Sections the selection itself reads.
    pub(crate) fn source_sections(&self) -> &'static [&'static str] {
        match &self.selector {
            Selector::Directory(_) => &["directory"],
            Selector::Local(_) => &["users", "groups"],
        }
    }
}

fn both(cx: &mut Compile<'_>, at: &Sp<RawExpect>, fr: &str, en: &str, help: (&str, &str)) {
    cx.diags.push_both(
        at.line,
        at.col,
        (fr.to_owned(), en.to_owned()),
        Some((help.0.to_owned(), help.1.to_owned())),
    );
}

/// Compiles `select`; problems go to `cx` and give `None`.
pub(crate) fn compile_select(
    raw: &Sp<RawExpect>,
    s: &RawSelect,
    cx: &mut Compile<'_>,
) -> Option<CompiledSelect> {
    let (selector, source) = match (&s.ad_user, &s.user) {
        (Some(d), None) => (directory(d, cx).map(Selector::Directory), Source::Directory),
        (None, Some(l)) => (local(l, cx).map(Selector::Local), Source::Local),
        (Some(_), Some(_)) => {
            both(
                cx,
                raw,
                "select : deux sources, `ad_user` et `user`",
                "select: two sources, `ad_user` and `user`",
                (
                    "une sélection lit soit l'annuaire (`ad_user`), soit les comptes locaux (`user`) : écrivez deux vérifications",
                    "a selection reads either the directory (`ad_user`) or local accounts (`user`): write two checks",
                ),
            );
            return None;
        }
        (None, None) => {
            both(
                cx,
                raw,
                "select : aucune source de comptes",
                "select: no source of accounts",
                (
                    "ajoutez `ad_user: {member_of: GG_Compta}` (annuaire) ou `user: {member_of: compta}` (comptes locaux)",
                    "add `ad_user: {member_of: GG_Compta}` (directory) or `user: {member_of: compta}` (local accounts)",
                ),
            );
            return None;
        }
    };
    let count = match &s.count {
        None => Some(None),
        Some(c) => match (c.value.min, c.value.max) {
            (None, None) => {
                cx.diags.push_both(
                    c.line,
                    c.col,
                    (
                        "select : count sans borne".to_owned(),
                        "select: count without a bound".to_owned(),
                    ),
                    Some((
                        "donnez `min`, `max` ou les deux : `count: {min: 2, max: 5}`".to_owned(),
                        "give `min`, `max` or both: `count: {min: 2, max: 5}`".to_owned(),
                    )),
                );
                None
            }
            (Some(min), Some(max)) if min > max => {
                cx.diags.push_both(
                    c.line,
                    c.col,
                    (
                        format!("select : count min {min} > max {max}"),
                        format!("select: count min {min} > max {max}"),
                    ),
                    None,
                );
                None
            }
            (min, max) => Some(Some((min, max))),
        },
    };
    if s.allow_empty && s.all.is_none() {
        both(
            cx,
            raw,
            "select : allow_empty sans all",
            "select: allow_empty without all",
            (
                "allow_empty dit si une sélection vide satisfait `all` ; retirez-le ou ajoutez `all`",
                "allow_empty says whether an empty selection satisfies `all`; remove it or add `all`",
            ),
        );
        return None;
    }
    let quantifier = match (&s.all, &s.at_least) {
        (Some(_), Some(_)) => {
            both(
                cx,
                raw,
                "select : all et at_least ensemble",
                "select: all and at_least together",
                (
                    "gardez un seul quantificateur (écrivez deux vérifications pour deux règles)",
                    "keep one quantifier (write two checks for two rules)",
                ),
            );
            return None;
        }
        (Some(all), None) => Template::compile(all, source, cx).map(|template| {
            Some(Quantifier::All {
                template,
                allow_empty: s.allow_empty,
            })
        }),
        (None, Some(a)) => {
            if a.value.n == 0 {
                cx.diags.push_both(
                    a.line,
                    a.col,
                    (
                        "select : at_least.n = 0".to_owned(),
                        "select: at_least.n = 0".to_owned(),
                    ),
                    Some((
                        "n vaut au moins 1".to_owned(),
                        "n must be at least 1".to_owned(),
                    )),
                );
                None
            } else {
                Template::compile(&a.value.expect, source, cx).map(|template| {
                    Some(Quantifier::AtLeast {
                        n: a.value.n,
                        template,
                    })
                })
            }
        }
        (None, None) if s.count.is_none() => {
            both(
                cx,
                raw,
                "select : ni count, ni all, ni at_least",
                "select: neither count, all nor at_least",
                (
                    "dites ce qui doit tenir : `count: {min: 2}`, `all: {...}` ou `at_least: {n: 2, expect: {...}}`",
                    "say what must hold: `count: {min: 2}`, `all: {...}` or `at_least: {n: 2, expect: {...}}`",
                ),
            );
            return None;
        }
        (None, None) => Some(None),
    };
    Some(CompiledSelect {
        selector: selector?,
        count: count?,
        quantifier: quantifier?,
    })
}

fn directory(d: &AdUserSelector, cx: &mut Compile<'_>) -> Option<DirectorySelector> {
    let name = cx.opt_regex(&d.name);
    Some(DirectorySelector {
        member_of: cx.opt_text(&d.member_of),
        nested: d.nested,
        ou: cx.opt_text(&d.ou),
        recursive: d.recursive,
        enabled: d.enabled,
        name: name?,
        department: cx.opt_text(&d.department),
        title: cx.opt_text(&d.title),
    })
}

fn local(l: &UserSelector, cx: &mut Compile<'_>) -> Option<LocalSelector> {
    let name = cx.opt_regex(&l.name);
    Some(LocalSelector {
        member_of: cx.opt_text(&l.member_of),
        nested: l.nested,
        name: name?,
        enabled: l.enabled,
        system: l.system,
    })
}

#[cfg(test)]
mod tests {
    use crate::expect::compile;
    use crate::pack::Diagnostics;
    use crate::pack::compile::Compile;
    use crate::pack::raw::HostOs;
    use crate::pack::span::Sp;
    use std::collections::BTreeMap;

    /// The diagnostics of one expectation (`ok` when none).
    fn diagnostics(yaml: &str) -> String {
        let raw: Sp<crate::kinds::RawExpect> = serde_saphyr::from_str(yaml).expect("parses");
        let roles = BTreeMap::from([("dc".to_owned(), HostOs::Windows)]);
        let mut diags = Diagnostics::new("test.yaml");
        let compiled = compile(
            &raw,
            &mut Compile {
                vars: &BTreeMap::new(),
                roles: &roles,
                diags: &mut diags,
            },
        );
        let list = diags.finish();
        if list.is_empty() && compiled.is_some() {
            return "ok".to_owned();
        }
        list.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn malformed_selections_are_located_and_explained() {
        let cases = [
            "select: {count: {min: 1}}",
            "select: {ad_user: {}, user: {}, count: {min: 1}}",
            "select: {ad_user: {}}",
            "select: {ad_user: {}, count: {}}",
            "select: {ad_user: {}, count: {min: 3, max: 2}}",
            "select: {ad_user: {}, allow_empty: true, count: {min: 1}}",
            r#"select: {ad_user: {}, all: {ad_user: {name: "${member}"}}, at_least: {n: 1, expect: {ad_user: {name: "${member}"}}}}"#,
            r#"select: {ad_user: {}, at_least: {n: 0, expect: {ad_user: {name: "${member}"}}}}"#,
            r#"select: {user: {}, all: {file: {path: "${member.dn}"}}}"#,
            r#"select: {ad_user: {name: "("}, all: {ad_user: {name: "${membre}"}}}"#,
            r#"select: {ad_user: {member_of: GG_Compta}, count: {min: 2}, all: {on: {host: client, expect: {user: {name: "${member}"}}}}}"#,
            r#"select: {ad_user: {member_of: GG_Compta, ou: Compta}, at_least: {n: 2, expect: {file: {path: "${member.home}", owner: "${member}"}}}}"#,
        ];
        let text: Vec<String> = cases
            .iter()
            .map(|c| format!("{c}\n{}\n", diagnostics(c)))
            .collect();
        insta::assert_snapshot!(text.join("\n"));
    }

    #[test]
    fn the_collector_is_asked_for_member_homes_and_what_names_no_member() {
        let raw: Sp<crate::kinds::RawExpect> = serde_saphyr::from_str(
            r#"select: {user: {member_of: compta}, all: {all: [{file: {path: "${member.home}"}}, {file: {path: /srv/compta}}, {service: {name: ssh}}]}}"#,
        )
        .expect("parses");
        let roles = BTreeMap::from([("linux".to_owned(), HostOs::Linux)]);
        let mut diags = Diagnostics::new("t.yaml");
        let compiled = compile(
            &raw,
            &mut Compile {
                vars: &BTreeMap::new(),
                roles: &roles,
                diags: &mut diags,
            },
        )
        .expect("compiles");
        let mut files = Vec::new();
        compiled.files("linux", &mut files);
        let mut sections = Vec::new();
        compiled.sections("linux", &mut sections);
        sections.sort();
        sections.dedup();
        // The member's home is a template the collector expands for every account.
        assert_eq!(
            files,
            [
                ("linux".to_owned(), "{home}".to_owned()),
                ("linux".to_owned(), "/srv/compta".to_owned())
            ]
        );
        let names: Vec<&str> = sections.iter().filter_map(|(_, s)| s.as_deref()).collect();
        assert_eq!(names, ["files", "groups", "services", "users"]);
    }
}
