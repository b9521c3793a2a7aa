//! Check kind `ad_group`: a domain group exists with the expected OU, scope, type and members.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::directory::{in_ou, same_account};
use crate::kinds::existence::existence;
use crate::kinds::kind::{Kind, includes_by, property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::ad::{GroupKind, GroupScope};
use schemars::JsonSchema;
use serde::Deserialize;

/// `ad_group: {name: GG_Compta, scope: global, members: [jdupont, mmartin]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdGroupExpect {
    /// Group name (`sAMAccountName`, case-insensitive).
    pub name: Sp<String>,
    /// Whether the group must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// DN of the OU the group must be in (directly or below it), case-insensitive.
    #[serde(default)]
    pub ou: Option<Sp<String>>,
    /// Scope: `global`, `domain_local`, `universal` (`builtin` for built-in groups).
    #[serde(default)]
    pub scope: Option<GroupScope>,
    /// Type: `security` or `distribution`.
    #[serde(default, rename = "type")]
    pub kind: Option<GroupKind>,
    /// Members (users, computers or groups, by name) the group must include; a computer may be
    /// written `CLIENT1` or `CLIENT1$`, any account `DOMAIN\name` or `name@domain`.
    #[serde(default)]
    pub members: Vec<Sp<String>>,
    /// The members must be exactly `members`, no more.
    #[serde(default)]
    pub exactly: bool,
    /// Compare with every member reached through nested groups instead of direct members.
    #[serde(default)]
    pub nested: bool,
}

fn yes() -> bool {
    true
}

/// Compiled `ad_group` expectation.
#[derive(Debug, Clone)]
pub struct AdGroupMatcher {
    name: String,
    exists: bool,
    ou: Option<String>,
    scope: Option<GroupScope>,
    kind: Option<GroupKind>,
    members: Vec<String>,
    exactly: bool,
    nested: bool,
}

impl Kind for AdGroupExpect {
    const NAME: &'static str = "ad_group";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory"]);
    const DOC: &'static str = r#"# ad_group

## What it checks
A domain group exists, or does not, in the expected OU (the OU itself or one below it), with
the expected scope (`global`, `domain_local`, `universal`), type (`security`,
`distribution`) and members: they must include the listed names, or be exactly them with
`exactly: true`; direct members (plus accounts whose primary group it is) by default, every
member reached through nested groups with `nested: true`. Account names compare as the
directory does: a computer is `CLIENT1` or `CLIENT1$`, and `TSSR\CLIENT1$` or
`client1@tssr.lan` name the same account (in `name` and `members` alike).

## Why it matters
The AGDLP method the exam expects (accounts in global groups, global groups in domain local
groups, rights on domain local groups) only works when each group has the right scope and
the right members; a distribution group grants no right at all.

## Passing example
```yaml
expect:
  ad_group:
    name: DL_Partage_Compta_RW
    ou: "OU=Comptabilite,DC=tssr,DC=lan"
    scope: domain_local
    type: security
    members: [GG_Compta]
    exactly: true
```

## Failing example
`ad_group: {name: U_Tous, type: security, members: [jdupont]}` when `U_Tous` is a
distribution group whose direct members are `adminit` and `GG_Compta`: `type` fails, and
`members` fails with `manque jdupont` (it passes with `nested: true`).

## Critères
`tssr-2023/CP2/C1` (gérer les comptes et groupes de l'annuaire).
"#;
    const DOC_FR: &'static str = r#"# ad_group

## Ce qui est vérifié
Un groupe du domaine existe, ou n'existe pas, dans l'UO attendue (l'UO elle-même ou une UO
en dessous), avec l'étendue (`global`, `domain_local`, `universal`), le type (`security`,
`distribution`) et les membres attendus : ils doivent inclure les noms listés, ou être
exactement ceux-là avec `exactly: true` ; par défaut les membres directs (plus les comptes dont
c'est le groupe principal), tous les membres atteints par les groupes imbriqués avec
`nested: true`. Les noms de comptes se comparent comme le fait l'annuaire : un ordinateur est
`CLIENT1` ou `CLIENT1$`, et `TSSR\CLIENT1$` ou `client1@tssr.lan` désignent le même compte
(dans `name` comme dans `members`).

## Pourquoi c'est important
La méthode AGDLP qu'attend l'épreuve (comptes dans des groupes globaux, groupes globaux dans
des groupes de domaine local, droits sur les groupes de domaine local) ne fonctionne que si
chaque groupe a la bonne étendue et les bons membres ; un groupe de distribution ne donne aucun
droit.

## Exemple conforme
```yaml
expect:
  ad_group:
    name: DL_Partage_Compta_RW
    ou: "OU=Comptabilite,DC=tssr,DC=lan"
    scope: domain_local
    type: security
    members: [GG_Compta]
    exactly: true
```

## Exemple non conforme
`ad_group: {name: U_Tous, type: security, members: [jdupont]}` quand `U_Tous` est un groupe
de distribution dont les membres directs sont `adminit` et `GG_Compta` : `type` échoue, et
`members` échoue avec `manque jdupont` (il réussit avec `nested: true`).

## Critères
`tssr-2023/CP2/C1` (gérer les comptes et groupes de l'annuaire).
"#;
    type Compiled = AdGroupMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<AdGroupMatcher> {
        if self.exactly && self.members.is_empty() {
            cx.error(
                &self.name,
                (
                    "`exactly: true` sans liste `members`".to_owned(),
                    "`exactly: true` without a `members` list".to_owned(),
                ),
                Some((
                    "donnez la liste complète des membres attendus sous `members:`".to_owned(),
                    "give the complete list of the expected members under `members:`".to_owned(),
                )),
            );
            return None;
        }
        Some(AdGroupMatcher {
            name: cx.text(&self.name),
            exists: self.exists,
            ou: cx.opt_text(&self.ou),
            scope: self.scope,
            kind: self.kind,
            members: cx.texts(&self.members),
            exactly: self.exactly,
            nested: self.nested,
        })
    }

    fn evaluate(m: &AdGroupMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "directory";
        let Some(dir) = host.section(S, &m.name, &host.snapshot.sections.directory, out) else {
            return Status::NotAssessable;
        };
        let group = dir.groups.iter().find(|g| same_account(&g.name, &m.name));
        let exists = existence(host, out, "directory", &m.name, m.exists, group.is_some());
        let Some(group) = group.filter(|_| m.exists) else {
            return exists;
        };
        let mut status = in_ou(host, out, &m.name, m.ou.as_ref(), &group.ou_dn);
        status = status.and(property(
            host,
            out,
            S,
            &m.name,
            "scope",
            m.scope.as_ref(),
            Some(&group.scope),
            serde_name,
        ));
        status = status.and(property(
            host,
            out,
            S,
            &m.name,
            "type",
            m.kind.as_ref(),
            Some(&group.kind),
            serde_name,
        ));
        let members: Vec<&str> = if m.nested {
            group
                .members_transitive
                .iter()
                .map(String::as_str)
                .collect()
        } else {
            group
                .member_names
                .iter()
                .chain(&group.primary_members)
                .map(String::as_str)
                .collect()
        };
        let label = if m.nested {
            "members (nested)"
        } else {
            "members"
        };
        if !m.exactly {
            return status.and(includes_by(
                host,
                out,
                S,
                &m.name,
                label,
                &m.members,
                &members,
                same_account,
            ));
        }
        let missing: Vec<&str> = m
            .members
            .iter()
            .filter(|e| !members.iter().any(|a| same_account(a, e)))
            .map(String::as_str)
            .collect();
        let extra: Vec<&str> = members
            .iter()
            .filter(|a| !m.members.iter().any(|e| same_account(e, a)))
            .copied()
            .collect();
        let holds = Status::from_bool(missing.is_empty() && extra.is_empty());
        let mut sorted = members.clone();
        sorted.sort_unstable_by_key(|s| s.to_lowercase());
        let mut actual = sorted.join(", ");
        if !missing.is_empty() {
            actual.push_str(&format!("; missing {}", missing.join(", ")));
        }
        if !extra.is_empty() {
            actual.push_str(&format!("; extra {}", extra.join(", ")));
        }
        out.push(host.evidence(
            S,
            &m.name,
            label,
            format!("exactement {}", m.members.join(", ")),
            actual,
            holds,
        ));
        status.and(holds)
    }
}

/// The YAML spelling of a snake_case enum value (`domain_local`).
pub(crate) fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{ad, kind_case_as, without};

    // Fixture: the real Samba AD DC collection (tests/fixtures/snapshots/ad-samba.json).

    #[test]
    fn passes_on_the_recorded_agdlp_groups() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - ad_group: {name: dl_partage_compta_rw, ou: "OU=Comptabilite,DC=tssr,DC=lan", scope: domain_local, type: security, members: [GG_Compta], exactly: true}
  - ad_group: {name: GG_Compta, scope: global, members: [jdupont, mmartin, pdurand], exactly: true}
  - ad_group: {name: U_Tous, scope: universal, type: distribution, members: [jdupont], nested: true}
  - ad_group: {name: GG_Direction, exists: false}"#,
            &ad()
        ));
    }

    #[test]
    fn fails_on_wrong_type_and_members() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - ad_group: {name: U_Tous, ou: "OU=Comptabilite,DC=tssr,DC=lan", type: security, members: [jdupont]}
  - ad_group: {name: GG_Compta, scope: domain_local, members: [jdupont, adminit], exactly: true}
  - ad_group: {name: GG_Direction}"#,
            &ad()
        ));
    }

    /// "CLIENT1 belongs to GrpComputers": a computer is `PC-COMPTA01` or `PC-COMPTA01$` (and
    /// `TSSR\\…`, `…@tssr.lan`) in members, in `exactly` and in the group name alike.
    #[test]
    fn accepts_every_spelling_of_a_computer_member() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - ad_group: {name: Domain Computers, members: [PC-COMPTA01]}
  - ad_group: {name: Domain Computers, members: [pc-compta01@tssr.lan], nested: true, exactly: true}
  - ad_group: {name: 'TSSR\Domain Controllers', members: ['TSSR\DC01'], exactly: true}
  - ad_group: {name: Domain Computers, members: [PC-COMPTA02]}"#,
            &ad()
        ));
    }

    #[test]
    fn rejects_exactly_without_members() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "ad_group: {name: GG_Compta, exactly: true}",
            &ad()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_directory() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "ad_group: {name: GG_Compta}",
            &without(ad(), "directory")
        ));
    }
}
