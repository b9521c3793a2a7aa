//! Check kind `password_policy`: the password and lockout policy that applies to the domain,
//! or to a group or user through a fine-grained policy (PSO), naming the mechanism found
//! and the look-alikes when it is not the one that applies.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::directory::{is_within, same_account};
use crate::kinds::kind::Kind;
use crate::kinds::policy_sources::{gpo_label, policy_gpos, system_access};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::ad::{Directory, FineGrainedPasswordPolicy, GroupScope};
use constat_snapshot::gpo::GpoSettings;
use schemars::JsonSchema;
use serde::Deserialize;

/// `password_policy: {applies_to: GG_Admins, min_length: 14, complexity: true}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicyExpect {
    /// A group or user (`sAMAccountName`): the policy must reach it through a fine-grained
    /// password policy (PSO). Absent: the domain's default policy.
    #[serde(default)]
    pub applies_to: Option<Sp<String>>,
    /// Minimum length, at least this.
    #[serde(default)]
    pub min_length: Option<u32>,
    /// Complexity required (or not).
    #[serde(default)]
    pub complexity: Option<bool>,
    /// Passwords remembered, at least this.
    #[serde(default)]
    pub history_length: Option<u32>,
    /// Maximum age in days, at most this (and not "never expires").
    #[serde(default)]
    pub max_age_days: Option<u64>,
    /// Minimum age in days, at least this.
    #[serde(default)]
    pub min_age_days: Option<u64>,
    /// Failed attempts before lockout, at most this (and not 0 = never locked).
    #[serde(default)]
    pub lockout_threshold: Option<u32>,
    /// Lockout duration in minutes, at least this (locked until an administrator unlocks
    /// also holds).
    #[serde(default)]
    pub lockout_duration_minutes: Option<u64>,
}

/// Compiled `password_policy` expectation.
#[derive(Debug, Clone)]
pub struct PasswordPolicyMatcher {
    applies_to: Option<String>,
    expect: PasswordPolicyExpect,
}

/// GptTmpl.inf `[System Access]` keys of the password and lockout policy.
const TEMPLATE_KEYS: [&str; 8] = [
    "MinimumPasswordLength",
    "PasswordComplexity",
    "PasswordHistorySize",
    "MaximumPasswordAge",
    "MinimumPasswordAge",
    "LockoutBadCount",
    "LockoutDuration",
    "ClearTextPassword",
];

impl Kind for PasswordPolicyExpect {
    const NAME: &'static str = "password_policy";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory", "gpos"]);
    const DOC: &'static str = r#"# password_policy

## What it checks
The password and lockout policy in force, by the mechanism Active Directory really
applies, named in the evidence:
* without `applies_to`: the domain's default policy, read on the domain object (what the
  DC enforces, written there by the GPO linked to the domain root — the Default Domain
  Policy unless another linked GPO wins);
* with `applies_to: GG_Admins` (a group, or a user): the fine-grained password policy
  (Password Settings Object, `msDS-PasswordSettings`, read over LDAP) that reaches it — a
  PSO applied to the user wins over those of its groups, then the lowest precedence —;
  AD applies a PSO through *global* security groups only, so a PSO on a domain local group
  fails and says so.

Each property is « at least as strict »: `min_length`, `history_length`, `min_age_days`,
`lockout_duration_minutes` at least the value; `max_age_days` and `lockout_threshold` at
most the value and set (not "never expires", not 0 = never locked); `complexity` equal.

When the expectation fails, the look-alikes are named without changing the verdict: the
policy set in a GPO linked to an OU (« sans effet : une stratégie de mot de passe ne
s'applique aux comptes du domaine que depuis une GPO liée au domaine ; pour un groupe,
un PSO »), a PSO applied to other accounts.

## Why it matters
« 14 caractères pour les administrateurs » is a classic subject: a GPO linked to the
administrators' OU looks right in the editor and changes nothing; only a PSO does it.

## Passing example
```yaml
expect:
  all:
    - password_policy: {min_length: 12, complexity: true, lockout_threshold: 5}
    - password_policy: {applies_to: adminit, min_length: 15}
```
The domain requires 12 characters and complexity and locks after 5 attempts; the PSO
`PSO_Admins` (precedence 10) applied to `adminit` requires 15.

## Failing example
`password_policy: {applies_to: GG_Compta, min_length: 12}` when the candidate set 12 in
`GPO_Compta_Securite`, linked to the group's OU: observed « aucun PSO ne s'applique à
GG_Compta ; trouvé à la place : MinimumPasswordLength = 12 dans GPO « GPO_Compta_Securite »
(liée à OU=Comptabilite,DC=tssr,DC=lan) (sans effet …) ».

## Critères
`tssr-2023/CP2/C1` (gérer les comptes de l'annuaire), `tssr-2023/CP2/C2` (stratégies de
groupe).
"#;
    const DOC_FR: &'static str = r#"# password_policy

## Ce qui est vérifié
La stratégie de mot de passe et de verrouillage en vigueur, selon le mécanisme qu'Active
Directory applique réellement, cité dans la preuve :
* sans `applies_to` : la stratégie par défaut du domaine, lue sur l'objet domaine (ce que le
  DC impose, écrit là par la GPO liée à la racine du domaine — la Default Domain Policy, sauf
  si une autre GPO liée l'emporte) ;
* avec `applies_to: GG_Admins` (un groupe, ou un utilisateur) : la stratégie de mot de passe
  affinée (objet PSO, Password Settings Object, `msDS-PasswordSettings`, lu par LDAP) qui
  l'atteint — un PSO appliqué à l'utilisateur l'emporte sur ceux de ses groupes, puis la
  priorité la plus faible — ; AD n'applique un PSO que par des groupes de sécurité
  *globaux*, donc un PSO sur un groupe de domaine local échoue et le dit.

Chaque propriété doit être « au moins aussi stricte » : `min_length`, `history_length`,
`min_age_days`, `lockout_duration_minutes` au moins égaux à la valeur ; `max_age_days` et
`lockout_threshold` au plus égaux à la valeur et définis (pas « n'expire jamais », pas 0 =
jamais verrouillé) ; `complexity` égale.

Quand l'attente échoue, les réglages ressemblants sont cités sans changer le verdict : la
stratégie définie dans une GPO liée à une UO (« sans effet : une stratégie de mot de passe ne
s'applique aux comptes du domaine que depuis une GPO liée au domaine ; pour un groupe,
un PSO »), un PSO appliqué à d'autres comptes.

## Pourquoi c'est important
« 14 caractères pour les administrateurs » est un sujet classique : une GPO liée à l'UO des
administrateurs a l'air juste dans l'éditeur et ne change rien ; seul un PSO y parvient.

## Exemple conforme
```yaml
expect:
  all:
    - password_policy: {min_length: 12, complexity: true, lockout_threshold: 5}
    - password_policy: {applies_to: adminit, min_length: 15}
```
Le domaine exige 12 caractères et la complexité, et verrouille après 5 tentatives ; le PSO
`PSO_Admins` (priorité 10) appliqué à `adminit` exige 15 caractères.

## Exemple non conforme
`password_policy: {applies_to: GG_Compta, min_length: 12}` quand le candidat a fixé 12 dans
`GPO_Compta_Securite`, liée à l'UO du groupe : observé « aucun PSO ne s'applique à
GG_Compta ; trouvé à la place : MinimumPasswordLength = 12 dans GPO « GPO_Compta_Securite »
(liée à OU=Comptabilite,DC=tssr,DC=lan) (sans effet …) ».

## Critères
`tssr-2023/CP2/C1` (gérer les comptes de l'annuaire), `tssr-2023/CP2/C2` (stratégies de
groupe).
"#;
    type Compiled = PasswordPolicyMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<PasswordPolicyMatcher> {
        Some(PasswordPolicyMatcher {
            applies_to: cx.opt_text(&self.applies_to),
            expect: self.clone(),
        })
    }

    fn evaluate(m: &PasswordPolicyMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        let path = m.applies_to.as_deref().unwrap_or("domain");
        let Some(dir) = host.section("directory", path, &host.snapshot.sections.directory, out)
        else {
            return Status::NotAssessable;
        };
        // SYSVOL only serves the look-alikes: without it the verdict still stands.
        let gpos = host
            .snapshot
            .sections
            .gpos
            .data()
            .map_or(&[][..], Vec::as_slice);
        let (policy, mechanism) = match &m.applies_to {
            None => (
                &dir.domain.password_policy,
                "domain policy, read on the domain object".to_owned(),
            ),
            Some(account) => match resultant_pso(dir, account) {
                Ok((pso, note)) => (
                    &pso.policy,
                    format!(
                        "PSO \"{}\", precedence {}{note}",
                        pso.name,
                        pso.precedence
                            .map_or_else(|| "?".to_owned(), |p| p.to_string())
                    ),
                ),
                Err(why) => {
                    let mut found = lookalikes(dir, gpos, account);
                    found.extend(other_psos(dir));
                    let actual = if found.is_empty() {
                        why
                    } else {
                        format!("{why}; found instead: {}", found.join("; "))
                    };
                    out.push(host.evidence(
                        "directory",
                        path,
                        "pso",
                        format!("a PSO applies to {account}"),
                        actual,
                        Status::Fail,
                    ));
                    return Status::Fail;
                }
            },
        };
        let e = &m.expect;
        let mut lines: Vec<(&'static str, String, String, Status)> = Vec::new();
        let mut line = |name: &'static str, expected: String, actual: String, holds: bool| {
            lines.push((
                name,
                expected,
                format!("{actual} ({mechanism})"),
                Status::from_bool(holds),
            ));
        };
        let show = |v: Option<u64>| v.map_or_else(|| "(absent)".to_owned(), |v| v.to_string());
        if let Some(want) = e.min_length {
            let have = policy.min_length;
            line(
                "min_length",
                format!("≥ {want}"),
                show(have.map(u64::from)),
                have.is_some_and(|h| h >= want),
            );
        }
        if let Some(want) = e.complexity {
            line(
                "complexity",
                want.to_string(),
                policy.complexity.to_string(),
                policy.complexity == want,
            );
        }
        if let Some(want) = e.history_length {
            let have = policy.history_length;
            line(
                "history_length",
                format!("≥ {want}"),
                show(have.map(u64::from)),
                have.is_some_and(|h| h >= want),
            );
        }
        if let Some(want) = e.max_age_days {
            let have = policy.max_age_days;
            line(
                "max_age_days",
                format!("≤ {want}"),
                have.map_or_else(|| "never expires".to_owned(), |h| h.to_string()),
                have.is_some_and(|h| h <= want),
            );
        }
        if let Some(want) = e.min_age_days {
            let have = policy.min_age_days;
            line(
                "min_age_days",
                format!("≥ {want}"),
                show(have),
                have.is_some_and(|h| h >= want),
            );
        }
        if let Some(want) = e.lockout_threshold {
            let have = policy.lockout_threshold;
            line(
                "lockout_threshold",
                format!("≤ {want} (never 0)"),
                show(have.map(u64::from)),
                have.is_some_and(|h| h > 0 && h <= want),
            );
        }
        if let Some(want) = e.lockout_duration_minutes {
            let have = policy.lockout_duration_minutes;
            line(
                "lockout_duration_minutes",
                format!("≥ {want}"),
                have.map_or_else(
                    || "until an administrator unlocks it".to_owned(),
                    |h| h.to_string(),
                ),
                have.is_none_or(|h| h >= want),
            );
        }
        // The look-alikes go with the last line that fails: why the candidate's setting
        // did not count is read where the failure is.
        if let Some(last) = lines.iter_mut().rev().find(|l| l.3 == Status::Fail) {
            let found = lookalikes(dir, gpos, m.applies_to.as_deref().unwrap_or_default());
            if !found.is_empty() {
                last.2 = format!("{}; also found: {}", last.2, found.join("; "));
            }
        }
        let mut status = Status::Pass;
        for (name, expected, actual, st) in lines {
            out.push(host.evidence("directory", path, name, expected, actual, st));
            status = status.and(st);
        }
        status
    }
}

/// The PSO that reaches `account` (AD's resultant PSO): applied to the user itself first,
/// else through its global groups, lowest precedence first. A group named directly gets
/// the PSOs applied to it. `Err` says why none applies.
fn resultant_pso<'d>(
    dir: &'d Directory,
    account: &str,
) -> Result<(&'d FineGrainedPasswordPolicy, String), String> {
    let best = |dns: &[&str]| -> Option<&'d FineGrainedPasswordPolicy> {
        dir.domain
            .fine_grained_policies
            .iter()
            .filter(|p| {
                p.applies_to
                    .iter()
                    .any(|a| dns.iter().any(|dn| a.eq_ignore_ascii_case(dn)))
            })
            .min_by_key(|p| (p.precedence.unwrap_or(u32::MAX), p.name.clone()))
    };
    if let Some(user) = dir
        .users
        .iter()
        .find(|u| same_account(&u.sam_account_name, account))
    {
        if let Some(pso) = best(&[user.dn.as_str()]) {
            return Ok((pso, String::new()));
        }
        let groups: Vec<&str> = dir
            .groups
            .iter()
            .filter(|g| g.scope == GroupScope::Global)
            .filter(|g| {
                user.member_of_transitive
                    .iter()
                    .any(|n| same_account(n, &g.name))
            })
            .map(|g| g.dn.as_str())
            .collect();
        return best(&groups)
            .map(|p| (p, ", through a global group".to_owned()))
            .ok_or_else(|| format!("no PSO applies to {account} (nor to its global groups)"));
    }
    let Some(group) = dir.groups.iter().find(|g| same_account(&g.name, account)) else {
        return Err(format!(
            "{account}: neither a user nor a group of the directory"
        ));
    };
    match best(&[group.dn.as_str()]) {
        Some(pso) if group.scope != GroupScope::Global => Err(format!(
            "PSO \"{}\" applied to {account}, group {:?}: AD applies a PSO only through a \
             global security group",
            pso.name, group.scope
        )),
        Some(pso) => Ok((pso, String::new())),
        None => Err(format!("no PSO applies to {account}")),
    }
}

/// PSOs that exist but apply elsewhere (named with their targets).
fn other_psos(dir: &Directory) -> Vec<String> {
    dir.domain
        .fine_grained_policies
        .iter()
        .map(|p| {
            let targets: Vec<&str> = p
                .applies_to
                .iter()
                .map(|dn| crate::kinds::directory::rdn_value(dn))
                .collect();
            format!(
                "PSO \"{}\" applied to {}",
                p.name,
                if targets.is_empty() {
                    "(nobody)".to_owned()
                } else {
                    targets.join(", ")
                }
            )
        })
        .collect()
}

/// Password settings written in GPOs that are not the ones AD applies: an OU-linked (or
/// unlinked) GPO's `[System Access]` for the domain policy; any GPO's for a group or user.
fn lookalikes(dir: &Directory, gpos: &[GpoSettings], account: &str) -> Vec<String> {
    // An account's look-alikes are the GPOs linked above it (its OU or a parent).
    let account_dn = dir
        .users
        .iter()
        .find(|u| same_account(&u.sam_account_name, account))
        .map(|u| u.ou_dn.as_str())
        .or_else(|| {
            dir.groups
                .iter()
                .find(|g| same_account(&g.name, account))
                .map(|g| g.ou_dn.as_str())
        });
    let mut found = Vec::new();
    for gpo in policy_gpos(dir, gpos) {
        if account.is_empty() && gpo.domain_link.is_some() {
            continue;
        }
        if !account.is_empty()
            && !account_dn
                .is_some_and(|dn| gpo.container.linked_to.iter().any(|ou| is_within(dn, ou)))
        {
            continue;
        }
        let set: Vec<String> = TEMPLATE_KEYS
            .iter()
            .filter_map(|k| system_access(&gpo, k).map(|v| format!("{k} = {v}")))
            .collect();
        if set.is_empty() {
            continue;
        }
        let why = if account.is_empty() {
            "no effect: a password policy applies to the domain's accounts only from a GPO linked to the domain"
        } else {
            "no effect for a group or an account: it takes a PSO"
        };
        found.push(format!("{} in {} ({why})", set.join(", "), gpo_label(&gpo)));
    }
    found
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{ad, kind_case_as, without};

    // Fixture: the real Samba AD DC collection (tests/fixtures/snapshots/ad-samba.json):
    // domain policy 12 characters, complexity, lockout after 5; PSO_Admins (precedence 10,
    // 15 characters) applied to the user adminit; GPO_Compta_Securite (linked to
    // OU=Comptabilite) sets MinimumPasswordLength = 12 in its GptTmpl.inf.

    #[test]
    fn passes_on_the_domain_policy_and_the_recorded_pso() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{password_policy: {min_length: 12, complexity: true, history_length: 24, max_age_days: 90, lockout_threshold: 5, lockout_duration_minutes: 30}}, {password_policy: {applies_to: ADMINIT, min_length: 15, lockout_threshold: 3}}]",
            &ad()
        ));
    }

    /// The issue's case: a per-group policy written in the group's OU GPO instead of a PSO;
    /// a domain policy weaker than asked names the OU-linked GPOs that set more.
    #[test]
    fn names_the_gpo_look_alikes_when_no_pso_applies() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{password_policy: {applies_to: GG_Compta, min_length: 12}}, {password_policy: {min_length: 14}}, {password_policy: {applies_to: DL_Partage_Compta_RW, min_length: 8}}, {password_policy: {applies_to: nobody, min_length: 8}}]",
            &ad()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_directory() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "password_policy: {min_length: 12}",
            &without(ad(), "directory")
        ));
    }
}
