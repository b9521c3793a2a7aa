//! Check kind `gpo_applied`: a GPO is in the resultant set of policy of the host or user.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::directory::same_account;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{listed, same};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `gpo_applied: {gpo: GPO_Commercial, scope: user, user: alefevre}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GpoAppliedExpect {
    /// GPO display name (case-insensitive).
    pub gpo: Sp<String>,
    /// User or computer part of the RSoP (default user).
    #[serde(default)]
    pub scope: PolicyPart,
    /// The user the RSoP must have been computed for (`alefevre` or `TSSR\alefevre`).
    #[serde(default)]
    pub user: Option<Sp<String>>,
}

/// Which part of the resultant set of policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyPart {
    /// User configuration.
    #[default]
    User,
    /// Computer configuration.
    Computer,
}

/// Compiled `gpo_applied` expectation.
#[derive(Debug, Clone)]
pub struct GpoAppliedMatcher {
    gpo: String,
    scope: PolicyPart,
    user: Option<String>,
}

/// `TSSR\alefevre` matches `alefevre`, `alefevre@tssr.lan` and `tssr\ALEFEVRE` (a computer
/// `CLIENT1$` matches `CLIENT1`); an expected domain must be the actual one.
fn same_user(actual: &str, expected: &str) -> bool {
    same(actual, expected) || (!expected.contains('\\') && same_account(actual, expected))
}

impl Kind for GpoAppliedExpect {
    const NAME: &'static str = "gpo_applied";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["rsop"]);
    const DOC: &'static str = r#"# gpo_applied

## What it checks
In the resultant set of policy the probe computed on the host (`gpresult`), the GPO `gpo`
(display name, case-insensitive) is among the applied GPOs of the user part (`scope: user`,
the default) or of the computer part (`scope: computer`). With `user`, the RSoP must be the one
of that user (`alefevre` or `TSSR\alefevre`). A GPO listed as filtered out fails with the
reason Windows gave (`Denied (Security)`, `Empty`, `Disabled link`).

## Why it matters
« Spécifier et implémenter les nouvelles règles de gestion (GPO) dans un annuaire Active
Directory » (CP5): a GPO that exists and is linked but is filtered out by security, or linked to
the wrong OU, changes nothing on the user's session. Only the RSoP shows what the client really
applied.

## Passing example
```yaml
expect:
  gpo_applied: {gpo: GPO_Commercial, scope: user, user: alefevre}
```

## Failing example
The same when the GPO is filtered: `applied` fails (expected applied, actual filtered:
Denied (Security)).

## Critères
`tssr-2023/CP5/C2`, `tssr-2023/CP2/C2`, `tssr-2023/CP9/C1`.
"#;
    const DOC_FR: &'static str = r#"# gpo_applied

## Ce qui est vérifié
Dans le jeu de stratégie résultant que la sonde a calculé sur la machine (`gpresult`), la GPO
`gpo` (nom d'affichage, sans tenir compte de la casse) fait partie des GPO appliquées de la
partie utilisateur (`scope: user`, par défaut) ou de la partie ordinateur
(`scope: computer`). Avec `user`, le RSoP doit être celui de ce compte (`alefevre` ou
`TSSR\alefevre`). Une GPO listée comme filtrée échoue avec la raison qu'a donnée Windows
(`Denied (Security)`, `Empty`, `Disabled link`).

## Pourquoi c'est important
« Spécifier et implémenter les nouvelles règles de gestion (GPO) dans un annuaire Active
Directory » (CP5) : une GPO qui existe et qui est liée mais filtrée par la sécurité, ou liée à
la mauvaise UO, ne change rien à la session de l'utilisateur. Seul le RSoP montre ce que le
poste a réellement appliqué.

## Exemple conforme
```yaml
expect:
  gpo_applied: {gpo: GPO_Commercial, scope: user, user: alefevre}
```

## Exemple non conforme
La même attente quand la GPO est filtrée : `applied` échoue (attendu appliquée, observé
filtrée : Denied (Security)).

## Critères
`tssr-2023/CP5/C2`, `tssr-2023/CP2/C2`, `tssr-2023/CP9/C1`.
"#;
    type Compiled = GpoAppliedMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<GpoAppliedMatcher> {
        Some(GpoAppliedMatcher {
            gpo: cx.text(&self.gpo),
            scope: self.scope,
            user: cx.opt_text(&self.user),
        })
    }

    fn evaluate(m: &GpoAppliedMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "rsop";
        let part = match m.scope {
            PolicyPart::User => "user_gpos",
            PolicyPart::Computer => "computer_gpos",
        };
        let path = format!("{part}/{}", m.gpo);
        let Some(rsop) = host.section(S, &path, &host.snapshot.sections.rsop, out) else {
            return Status::NotAssessable;
        };
        let mut status = Status::Pass;
        if let Some(user) = &m.user {
            // The RSoP of another user says nothing about this one: not assessable.
            let s = if rsop.user.as_deref().is_some_and(|u| same_user(u, user)) {
                Status::Pass
            } else {
                Status::NotAssessable
            };
            out.push(host.evidence(
                S,
                "user",
                "user",
                user.clone(),
                match &rsop.user {
                    Some(u) if s == Status::Pass => u.clone(),
                    Some(u) => format!("RSoP computed for {u}, not for {user}"),
                    None => "RSoP without a user".to_owned(),
                },
                s,
            ));
            if s != Status::Pass {
                return s;
            }
            status = s;
        }
        let list = match m.scope {
            PolicyPart::User => &rsop.user_gpos,
            PolicyPart::Computer => &rsop.computer_gpos,
        };
        let gpo = list.iter().find(|g| same(&g.name, &m.gpo));
        let s = Status::from_bool(gpo.is_some_and(|g| g.applied));
        let actual = match gpo {
            Some(g) if g.applied => match &g.link {
                Some(link) => format!("applied (linked to {link})"),
                None => "applied".to_owned(),
            },
            Some(g) => format!(
                "filtered: {}",
                g.filter_reason.as_deref().unwrap_or("no reason given")
            ),
            None => {
                let names: Vec<&str> = list.iter().map(|g| g.name.as_str()).collect();
                format!("absent (GPOs: {})", listed(&names))
            }
        };
        out.push(host.evidence(S, &path, "applied", "applied", actual, s));
        status.and(s)
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, windows_lab, windows_probe, without};

    /// `windows-lab.json`'s RSoP has the shape gpresult reports (see the probe's parser).
    #[test]
    fn passes_when_the_gpo_applies_to_the_user() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{gpo_applied: {gpo: gpo_commercial, user: JDUPONT}}, {gpo_applied: {gpo: Default Domain Policy, scope: computer}}]",
            &windows_lab()
        ));
    }

    /// The French `gpresult /r` of windows-probe.json was recorded on a real client.
    #[test]
    fn fails_when_filtered_or_absent() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{gpo_applied: {gpo: Stratégie de groupe locale}}, {gpo_applied: {gpo: GPO_Commercial, user: 'CLIENT2\\wilder'}}, {gpo_applied: {gpo: GPO_Compta}}]",
            &windows_probe()
        ));
    }

    #[test]
    fn is_not_assessable_without_rsop_or_for_another_user() {
        insta::assert_snapshot!(format!(
            "{}\n{}",
            kind_case_as(
                "dc",
                "gpo_applied: {gpo: GPO_Commercial}",
                &without(windows_lab(), "rsop")
            ),
            kind_case_as(
                "dc",
                "gpo_applied: {gpo: GPO_Commercial, user: alefevre}",
                &windows_lab()
            )
        ));
    }
}
