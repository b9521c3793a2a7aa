//! Check kind `wsus_server`: the WSUS role has its groups, clients, synchronisation, approvals.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{listed, same, within_hours};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `wsus_server: {group: Postes, computers_at_least: 1, synced_within_hours: 48}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WsusServerExpect {
    /// A computer target group that must exist (case-insensitive).
    #[serde(default)]
    pub group: Option<Sp<String>>,
    /// At least this many computers registered (in `group` when given).
    #[serde(default)]
    pub computers_at_least: Option<u32>,
    /// Last synchronisation younger than this many hours at grading time.
    #[serde(default)]
    pub synced_within_hours: Option<u32>,
    /// At least this many approved updates (not collected by the probe yet: not assessable).
    #[serde(default)]
    pub approved_updates_at_least: Option<u32>,
}

/// Compiled `wsus_server` expectation.
#[derive(Debug, Clone)]
pub struct WsusServerMatcher {
    group: Option<String>,
    computers_at_least: Option<u32>,
    synced_within_hours: Option<u32>,
    approved_updates_at_least: Option<u32>,
}

impl Kind for WsusServerExpect {
    const NAME: &'static str = "wsus_server";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["wsus_server"]);
    const DOC: &'static str = r#"# wsus_server

## What it checks
On the WSUS server (`Get-WsusServer`): a computer target group exists (`group`), at least
`computers_at_least` computers are registered (in that group when `group` is given), the last
synchronisation is younger than `synced_within_hours` at grading time, and at least
`approved_updates_at_least` updates are approved. At least one property must be given.
The probe does not collect approvals yet: `approved_updates_at_least` is then not assessable,
never a failure.

## Why it matters
« Le déploiement des mises à jour a lieu sur tous les équipements » (CP9): a WSUS server that
never synchronised, with no client and no approval, distributes nothing.

## Passing example
```yaml
expect:
  wsus_server: {group: Postes, computers_at_least: 1, synced_within_hours: 48}
```

## Failing example
The same when no client reported yet: `computers` fails (expected ≥ 1, actual 0).

## Critères
`tssr-2023/CP9/C2`, `tssr-2023/CP2/C2`.
"#;
    const DOC_FR: &'static str = r#"# wsus_server

## Ce qui est vérifié
Sur le serveur WSUS (`Get-WsusServer`) : un groupe d'ordinateurs cible existe (`group`), au
moins `computers_at_least` ordinateurs sont inscrits (dans ce groupe quand `group` est donné),
la dernière synchronisation a moins de `synced_within_hours` heures au moment de la notation,
et au moins `approved_updates_at_least` mises à jour sont approuvées. Au moins une propriété
doit être donnée. La sonde ne collecte pas encore les approbations : `approved_updates_at_least`
est alors non évaluable, jamais un échec.

## Pourquoi c'est important
« Le déploiement des mises à jour a lieu sur tous les équipements » (CP9) : un serveur WSUS
qui ne s'est jamais synchronisé, sans client et sans approbation, ne distribue rien.

## Exemple conforme
```yaml
expect:
  wsus_server: {group: Postes, computers_at_least: 1, synced_within_hours: 48}
```

## Exemple non conforme
La même attente quand aucun poste ne s'est encore rapporté : `computers` échoue (attendu ≥ 1,
observé 0).

## Critères
`tssr-2023/CP9/C2`, `tssr-2023/CP2/C2`.
"#;
    type Compiled = WsusServerMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<WsusServerMatcher> {
        let m = WsusServerMatcher {
            group: cx.opt_text(&self.group),
            computers_at_least: self.computers_at_least,
            synced_within_hours: self.synced_within_hours,
            approved_updates_at_least: self.approved_updates_at_least,
        };
        if m.group.is_none()
            && m.computers_at_least.is_none()
            && m.synced_within_hours.is_none()
            && m.approved_updates_at_least.is_none()
        {
            cx.diags.push_both(
                0,
                0,
                (
                    "wsus_server : aucune propriété à vérifier".to_owned(),
                    "wsus_server: no property to check".to_owned(),
                ),
                Some((
                    "donnez au moins group, computers_at_least, synced_within_hours ou approved_updates_at_least"
                        .to_owned(),
                    "give at least group, computers_at_least, synced_within_hours or approved_updates_at_least"
                        .to_owned(),
                )),
            );
            return None;
        }
        Some(m)
    }

    fn evaluate(m: &WsusServerMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "wsus_server";
        let path = m.group.as_deref().unwrap_or("WSUS");
        let Some(w) = host.section(S, path, &host.snapshot.sections.wsus_server, out) else {
            return Status::NotAssessable;
        };
        let mut status = Status::Pass;
        if let Some(group) = &m.group {
            let s = Status::from_bool(w.target_groups.iter().any(|g| same(g, group)));
            out.push(host.evidence(
                S,
                path,
                "target_groups",
                format!("includes {group}"),
                listed(&w.target_groups),
                s,
            ));
            status = status.and(s);
        }
        if let Some(least) = m.computers_at_least {
            let names: Vec<&str> = w
                .computers
                .iter()
                .filter(|c| {
                    m.group
                        .as_ref()
                        .is_none_or(|g| c.groups.iter().any(|x| same(x, g)))
                })
                .map(|c| c.name.as_str())
                .collect();
            let s = Status::from_bool(names.len() >= least as usize);
            out.push(host.evidence(
                S,
                path,
                "computers",
                format!("at least {least}"),
                format!("{} [{}]", names.len(), names.join(", ")),
                s,
            ));
            status = status.and(s);
        }
        status = status.and(within_hours(
            host,
            out,
            (S, path),
            "last_sync",
            m.synced_within_hours,
            w.last_sync.as_deref(),
        ));
        if let Some(least) = m.approved_updates_at_least {
            out.push(host.evidence(
                S,
                path,
                "approved_updates",
                format!("at least {least}"),
                "not collected by the probe",
                Status::NotAssessable,
            ));
            status = status.and(Status::NotAssessable);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, windows_lab, windows_probe};

    /// `windows-lab.json`'s WSUS section has the shape of Microsoft's documentation.
    #[test]
    fn passes_on_the_lab_server() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "wsus_server: {group: postes, computers_at_least: 1, synced_within_hours: 48}",
            &windows_lab()
        ));
    }

    #[test]
    fn fails_on_a_missing_group_and_an_old_sync() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "wsus_server: {group: Serveurs, computers_at_least: 1, synced_within_hours: 1, approved_updates_at_least: 1}",
            &windows_lab()
        ));
    }

    #[test]
    fn rejects_an_expectation_without_properties() {
        insta::assert_snapshot!(kind_case_as("dc", "wsus_server: {}", &windows_lab()));
    }

    #[test]
    fn is_not_assessable_when_the_role_is_absent() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "wsus_server: {group: Postes}",
            &windows_probe()
        ));
    }
}
