//! Check kind `ad_ou`: an organizational unit exists with the expected description and options.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::directory::{name_path, normalize_dn};
use crate::kinds::kind::{Kind, property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// `ad_ou: {ou: Comptabilite/Postes, block_inheritance: true}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdOuExpect {
    /// The OU: its distinguished name (`OU=Postes,OU=Comptabilite,DC=tssr,DC=lan`) or, when it
    /// has no `=`, its name path from the domain root, parents first (`Comptabilite/Postes`);
    /// case-insensitive.
    pub ou: Sp<String>,
    /// Whether the OU must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// Regex the description must match.
    #[serde(default)]
    pub description: Option<Sp<String>>,
    /// GPO inheritance blocked on the OU.
    #[serde(default)]
    pub block_inheritance: Option<bool>,
    /// Protected from accidental deletion (when the collector could read the ACL).
    #[serde(default)]
    pub protected: Option<bool>,
}

fn yes() -> bool {
    true
}

/// How the OU is named in the expectation.
#[derive(Debug, Clone)]
enum OuRef {
    Dn(String),
    Path(String),
}

/// Compiled `ad_ou` expectation.
#[derive(Debug, Clone)]
pub struct AdOuMatcher {
    reference: OuRef,
    shown: String,
    exists: bool,
    description: Option<Regex>,
    block_inheritance: Option<bool>,
    protected: Option<bool>,
}

impl Kind for AdOuExpect {
    const NAME: &'static str = "ad_ou";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory"]);
    const DOC: &'static str = r#"# ad_ou

## What it checks
An organizational unit, named by its DN (`ou: "OU=Postes,OU=Comptabilite,DC=tssr,DC=lan"`)
or by its name path from the domain root (`ou: Comptabilite/Postes`), exists or does not, with a description matching a regex,
GPO inheritance blocked or not, and protection from accidental deletion.

## Why it matters
The OU tree the subject describes decides where accounts are delegated and which GPOs
apply; a misplaced OU or a forgotten "block inheritance" changes every policy below it.

## Passing example
```yaml
expect:
  ad_ou: {ou: Comptabilite/Postes, block_inheritance: true}
```
The directory has `OU=Postes,OU=Comptabilite,DC=tssr,DC=lan` with `gPOptions` = 1.

## Failing example
`ad_ou: {ou: "OU=Informatique,DC=tssr,DC=lan", description: "^Service"}` when that OU has no
description: `description` fails with observed « (absent) ».

## Critères
`tssr-2023/CP2/C1` (structurer l'annuaire), `tssr-2023/CP2/C2` for GPO inheritance.
"#;
    const DOC_FR: &'static str = r#"# ad_ou

## Ce qui est vérifié
Une unité d'organisation, désignée par son DN (`ou: "OU=Postes,OU=Comptabilite,DC=tssr,DC=lan"`)
ou par son chemin de noms depuis la racine du domaine (`ou: Comptabilite/Postes`), existe ou
n'existe pas, avec une description qui correspond à une expression régulière, l'héritage des
GPO bloqué ou non, et la protection contre la suppression accidentelle.

## Pourquoi c'est important
L'arborescence d'UO que décrit le sujet décide où les comptes sont délégués et quelles GPO
s'appliquent ; une UO mal placée ou un « bloquer l'héritage » oublié change toutes les
stratégies en dessous.

## Exemple conforme
```yaml
expect:
  ad_ou: {ou: Comptabilite/Postes, block_inheritance: true}
```
L'annuaire a `OU=Postes,OU=Comptabilite,DC=tssr,DC=lan` avec `gPOptions` = 1.

## Exemple non conforme
`ad_ou: {ou: "OU=Informatique,DC=tssr,DC=lan", description: "^Service"}` quand cette UO n'a
pas de description : `description` échoue avec observé « (absent) ».

## Critères
`tssr-2023/CP2/C1` (structurer l'annuaire), `tssr-2023/CP2/C2` pour l'héritage des GPO.
"#;
    type Compiled = AdOuMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<AdOuMatcher> {
        let text = cx.text(&self.ou);
        let reference = if text.contains('=') {
            OuRef::Dn(text)
        } else {
            OuRef::Path(text)
        };
        let shown = match &reference {
            OuRef::Dn(s) | OuRef::Path(s) => s.clone(),
        };
        Some(AdOuMatcher {
            reference,
            shown,
            exists: self.exists,
            description: cx.opt_regex(&self.description)?,
            block_inheritance: self.block_inheritance,
            protected: self.protected,
        })
    }

    fn evaluate(m: &AdOuMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "directory";
        let p = m.shown.as_str();
        let Some(dir) = host.section(S, p, &host.snapshot.sections.directory, out) else {
            return Status::NotAssessable;
        };
        let ou = dir.ous.iter().find(|ou| match &m.reference {
            OuRef::Dn(dn) => normalize_dn(&ou.dn) == normalize_dn(dn),
            OuRef::Path(path) => name_path(&ou.dn).eq_ignore_ascii_case(path.trim_matches('/')),
        });
        let exists = Status::from_bool(ou.is_some() == m.exists);
        out.push(host.evidence(
            S,
            p,
            "exists",
            if m.exists { "present" } else { "absent" },
            ou.map_or_else(|| "absent".to_owned(), |ou| format!("present ({})", ou.dn)),
            exists,
        ));
        let Some(ou) = ou.filter(|_| m.exists) else {
            return exists;
        };
        let mut status = Status::Pass;
        if let Some(re) = &m.description {
            let actual = ou.description.as_deref();
            let st = Status::from_bool(actual.is_some_and(|d| re.is_match(d)));
            out.push(host.evidence(
                S,
                p,
                "description",
                format!("~ {}", re.as_str()),
                actual.unwrap_or("(absent)").to_owned(),
                st,
            ));
            status = status.and(st);
        }
        status = status.and(property(
            host,
            out,
            S,
            p,
            "block_inheritance",
            m.block_inheritance.as_ref(),
            Some(&ou.block_inheritance),
            bool::to_string,
        ));
        if let Some(expected) = m.protected {
            let st = match ou.protected {
                Some(actual) => Status::from_bool(actual == expected),
                None => Status::NotAssessable,
            };
            out.push(
                host.evidence(
                    S,
                    p,
                    "protected",
                    expected.to_string(),
                    ou.protected
                        .map_or_else(|| "unknown (ACL not read)".to_owned(), |a| a.to_string()),
                    st,
                ),
            );
            status = status.and(st);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{ad, kind_case_as, without};

    // Fixture: the real Samba AD DC collection (tests/fixtures/snapshots/ad-samba.json).

    #[test]
    fn passes_on_the_recorded_ou_tree() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - ad_ou: {ou: comptabilite/postes, block_inheritance: true}
  - ad_ou: {ou: "ou=comptabilite,dc=tssr,dc=lan", description: "^Service compta", block_inheritance: false}
  - ad_ou: {ou: Direction, exists: false}"#,
            &ad()
        ));
    }

    #[test]
    fn fails_on_missing_description_and_ou() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - ad_ou: {ou: "OU=Informatique,DC=tssr,DC=lan", description: "^Service", block_inheritance: true, protected: true}
  - ad_ou: {ou: Informatique/Postes}"#,
            &ad()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_directory() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "ad_ou: {ou: Comptabilite}",
            &without(ad(), "directory")
        ));
    }
}
