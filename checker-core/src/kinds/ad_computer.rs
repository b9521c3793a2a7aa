//! Check kind `ad_computer`: a computer account exists in the expected OU, enabled or not.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::directory::{in_ou, same_account};
use crate::kinds::existence::existence;
use crate::kinds::kind::{Kind, property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `ad_computer: {name: PC-COMPTA01, ou: "OU=Postes,OU=Comptabilite,DC=tssr,DC=lan"}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdComputerExpect {
    /// Computer name (`PC-COMPTA01`, `PC-COMPTA01$`, `TSSR\PC-COMPTA01$` or
    /// `pc-compta01@tssr.lan`), case-insensitive.
    pub name: Sp<String>,
    /// Whether the account must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// DN of the OU it must be in (directly or below it), case-insensitive.
    #[serde(default)]
    pub ou: Option<Sp<String>>,
    /// Account enabled.
    #[serde(default)]
    pub enabled: Option<bool>,
}

fn yes() -> bool {
    true
}

/// Compiled `ad_computer` expectation.
#[derive(Debug, Clone)]
pub struct AdComputerMatcher {
    name: String,
    exists: bool,
    ou: Option<String>,
    enabled: Option<bool>,
}

impl Kind for AdComputerExpect {
    const NAME: &'static str = "ad_computer";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory"]);
    const DOC: &'static str = r#"# ad_computer

## What it checks
A computer account exists in the domain, or does not, in the expected OU (the OU itself or
one below it), enabled or disabled.

## Why it matters
Joining the client to the domain creates its account in `CN=Computers`; the subject usually
asks to move it to the workstations OU so that the computer GPOs linked there apply.

## Passing example
```yaml
expect:
  ad_computer: {name: PC-COMPTA01, ou: "OU=Postes,OU=Comptabilite,DC=tssr,DC=lan"}
```

## Failing example
`ad_computer: {name: PC-COMPTA01, enabled: true}` when the account is disabled: `enabled`
fails with expected `true`, actual `false`.

## Critères
`tssr-2023/CP2/C1` (intégrer les postes au domaine), `tssr-2023/CP2/C2`.
"#;
    const DOC_FR: &'static str = r#"# ad_computer

## Ce qui est vérifié
Un compte d'ordinateur existe dans le domaine, ou n'existe pas, dans l'UO attendue (l'UO
elle-même ou une UO en dessous), activé ou désactivé.

## Pourquoi c'est important
Joindre le poste client au domaine crée son compte dans `CN=Computers` ; le sujet demande
d'ordinaire de le déplacer dans l'UO des postes pour que les GPO ordinateur qui y sont liées
s'appliquent.

## Exemple conforme
```yaml
expect:
  ad_computer: {name: PC-COMPTA01, ou: "OU=Postes,OU=Comptabilite,DC=tssr,DC=lan"}
```

## Exemple non conforme
`ad_computer: {name: PC-COMPTA01, enabled: true}` quand le compte est désactivé : `enabled`
échoue avec attendu `true`, observé `false`.

## Critères
`tssr-2023/CP2/C1` (intégrer les postes au domaine), `tssr-2023/CP2/C2`.
"#;
    type Compiled = AdComputerMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<AdComputerMatcher> {
        let name = cx.text(&self.name);
        Some(AdComputerMatcher {
            name: name.trim_end_matches('$').to_owned(),
            exists: self.exists,
            ou: cx.opt_text(&self.ou),
            enabled: self.enabled,
        })
    }

    fn evaluate(m: &AdComputerMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "directory";
        let Some(dir) = host.section(S, &m.name, &host.snapshot.sections.directory, out) else {
            return Status::NotAssessable;
        };
        let computer = dir
            .computers
            .iter()
            .find(|c| same_account(&c.name, &m.name) || same_account(&c.sam_account_name, &m.name));
        let exists = existence(
            host,
            out,
            "directory",
            &m.name,
            m.exists,
            computer.is_some(),
        );
        let Some(computer) = computer.filter(|_| m.exists) else {
            return exists;
        };
        in_ou(host, out, &m.name, m.ou.as_ref(), &computer.ou_dn).and(property(
            host,
            out,
            S,
            &m.name,
            "enabled",
            m.enabled.as_ref(),
            Some(&computer.enabled),
            bool::to_string,
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{ad, kind_case_as, without};

    // Fixture: the real Samba AD DC collection (tests/fixtures/snapshots/ad-samba.json).

    #[test]
    fn passes_on_the_recorded_computers() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - ad_computer: {name: pc-compta01$, ou: "OU=Comptabilite,DC=tssr,DC=lan", enabled: false}
  - ad_computer: {name: DC01, ou: "OU=Domain Controllers,DC=tssr,DC=lan", enabled: true}
  - ad_computer: {name: PC-INFO01, exists: false}"#,
            &ad()
        ));
    }

    #[test]
    fn fails_on_a_disabled_or_missing_computer() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - ad_computer: {name: PC-COMPTA01, ou: "OU=Informatique,DC=tssr,DC=lan", enabled: true}
  - ad_computer: {name: PC-INFO01}"#,
            &ad()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_directory() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "ad_computer: {name: PC-COMPTA01}",
            &without(ad(), "directory")
        ));
    }
}
