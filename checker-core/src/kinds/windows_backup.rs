//! Check kind `windows_backup`: a Windows Server Backup policy with target, time, sources.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::{Kind, includes};
use crate::kinds::windows::{listed, same, within_hours};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `windows_backup: {target: 'E:', schedule: "21:00", last_success_within_hours: 26, includes: ['C:']}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowsBackupExpect {
    /// A backup target (`E:`, `\\srv\backup`), case-insensitive, trailing `\` ignored.
    #[serde(default)]
    pub target: Option<Sp<String>>,
    /// A scheduled time (`21:00`).
    #[serde(default)]
    pub schedule: Option<Sp<String>>,
    /// The last successful backup is younger than this many hours at grading time.
    #[serde(default)]
    pub last_success_within_hours: Option<u32>,
    /// Sources that must be backed up (`C:`, `SystemState`, `BareMetalRecovery`).
    #[serde(default)]
    pub includes: Vec<Sp<String>>,
}

/// Compiled `windows_backup` expectation.
#[derive(Debug, Clone)]
pub struct WindowsBackupMatcher {
    target: Option<String>,
    schedule: Option<String>,
    last_success_within_hours: Option<u32>,
    includes: Vec<String>,
}

fn volume(s: &str) -> &str {
    s.trim().trim_end_matches('\\')
}

impl Kind for WindowsBackupExpect {
    const NAME: &'static str = "windows_backup";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["windows_backup"]);
    const DOC: &'static str = r#"# windows_backup

## What it checks
A scheduled Windows Server Backup policy exists (`Get-WBPolicy`), optionally with the
expected target (`E:`, `\\srv\backup`; case-insensitive, trailing `\` ignored), a scheduled
time (`21:00`), the sources it must include (`C:`, `SystemState`), and a last successful backup
(`Get-WBSummary`) younger than `last_success_within_hours` at grading time.

## Why it matters
« Les sauvegardes sont fonctionnelles et conformes au PRA et au PCA » (CP8): a policy that
never ran, or that skips the system volume, restores nothing on exam day.

## Passing example
```yaml
expect:
  windows_backup: {target: 'E:', schedule: "21:00", includes: ['C:', SystemState]}
```

## Failing example
The same on a server where only one-off backups were made: `policy` fails (expected
configured, actual none).

## Critères
`tssr-2023/CP8/C1`.
"#;
    const DOC_FR: &'static str = r#"# windows_backup

## Ce qui est vérifié
Une stratégie planifiée de Sauvegarde Windows Server existe (`Get-WBPolicy`), éventuellement
avec la cible attendue (`E:`, `\\srv\backup` ; sans tenir compte de la casse, `\` final
ignoré), une heure planifiée (`21:00`), les sources qu'elle doit inclure (`C:`, `SystemState`),
et une dernière sauvegarde réussie (`Get-WBSummary`) de moins de `last_success_within_hours`
heures au moment de la notation.

## Pourquoi c'est important
« Les sauvegardes sont fonctionnelles et conformes au PRA et au PCA » (CP8) : une stratégie
qui n'a jamais tourné, ou qui oublie le volume système, ne restaure rien le jour de l'épreuve.

## Exemple conforme
```yaml
expect:
  windows_backup: {target: 'E:', schedule: "21:00", includes: ['C:', SystemState]}
```

## Exemple non conforme
La même attente sur un serveur où seules des sauvegardes ponctuelles ont été faites : `policy`
échoue (attendu configurée, observé aucune).

## Critères
`tssr-2023/CP8/C1`.
"#;
    type Compiled = WindowsBackupMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<WindowsBackupMatcher> {
        Some(WindowsBackupMatcher {
            target: cx.opt_text(&self.target),
            schedule: cx.opt_text(&self.schedule),
            last_success_within_hours: self.last_success_within_hours,
            includes: cx.texts(&self.includes),
        })
    }

    fn evaluate(m: &WindowsBackupMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "windows_backup";
        const P: &str = "WBPolicy";
        let Some(b) = host.section(S, P, &host.snapshot.sections.windows_backup, out) else {
            return Status::NotAssessable;
        };
        let policy = Status::from_bool(b.policy_configured);
        out.push(host.evidence(
            S,
            P,
            "policy",
            "configured",
            if b.policy_configured {
                "configured"
            } else {
                "none"
            },
            policy,
        ));
        let mut status = policy;
        if let Some(target) = &m.target {
            let s = Status::from_bool(b.targets.iter().any(|t| same(volume(t), volume(target))));
            out.push(host.evidence(
                S,
                P,
                "targets",
                format!("includes {target}"),
                listed(&b.targets),
                s,
            ));
            status = status.and(s);
        }
        if let Some(time) = &m.schedule {
            let s = Status::from_bool(b.schedule.iter().any(|t| same(t, time)));
            out.push(host.evidence(
                S,
                P,
                "schedule",
                format!("includes {time}"),
                listed(&b.schedule),
                s,
            ));
            status = status.and(s);
        }
        let sources: Vec<&str> = b.sources.iter().map(|s| volume(s)).collect();
        let wanted: Vec<String> = m.includes.iter().map(|s| volume(s).to_owned()).collect();
        status = status.and(includes(host, out, S, P, "sources", &wanted, &sources));
        status.and(within_hours(
            host,
            out,
            (S, P),
            "last_success",
            m.last_success_within_hours,
            b.last_success.as_deref(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, windows_lab, windows_probe, without};

    /// `windows-lab.json`'s policy has the shape of Microsoft's documentation (Get-WBPolicy).
    #[test]
    fn passes_on_the_lab_policy() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "windows_backup: {target: 'e:\\', schedule: '21:00', includes: ['C:\\', systemstate], last_success_within_hours: 26}",
            &windows_lab()
        ));
    }

    /// The recorded `wbadmin get versions` output has versions but no policy.
    #[test]
    fn fails_without_a_policy() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "windows_backup: {target: 'E:'}",
            &windows_probe()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_section() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "windows_backup: {}",
            &without(windows_lab(), "windows_backup")
        ));
    }
}
