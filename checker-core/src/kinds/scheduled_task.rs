//! Check kind `scheduled_task`: a Windows scheduled task with its action, trigger, account.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{bool_property, listed, on_linux, same};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::jobs::{JobKind, ScheduledJob};
use schemars::JsonSchema;
use serde::Deserialize;

/// `scheduled_task: {name: Export-Comptes, command: Export-Comptes.ps1, trigger: daily}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledTaskExpect {
    /// Task name (case-insensitive).
    pub name: Sp<String>,
    /// Task folder (`\`, `\TSSR\`); any folder when absent.
    #[serde(default)]
    pub folder: Option<Sp<String>>,
    /// Text the action's command and arguments must contain (case-insensitive).
    #[serde(default)]
    pub command: Option<Sp<String>>,
    /// Trigger kind.
    #[serde(default)]
    pub trigger: Option<Trigger>,
    /// Account it runs as (`SYSTEM`, `TSSR\adminit`), case-insensitive, domain optional.
    #[serde(default)]
    pub principal: Option<Sp<String>>,
    /// Whether the task must be enabled (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// Trigger kinds of the Task Scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Every N days.
    Daily,
    /// Some days of the week.
    Weekly,
    /// At a user's logon.
    Logon,
    /// At system startup (`MSFT_TaskBootTrigger`).
    Startup,
}

impl Trigger {
    /// The word the probe writes for it (`MSFT_Task<Word>Trigger` lower-cased).
    fn word(self) -> &'static str {
        match self {
            Trigger::Daily => "daily",
            Trigger::Weekly => "weekly",
            Trigger::Logon => "logon",
            Trigger::Startup => "boot",
        }
    }
}

/// Compiled `scheduled_task` expectation.
#[derive(Debug, Clone)]
pub struct ScheduledTaskMatcher {
    name: String,
    folder: Option<String>,
    command: Option<String>,
    trigger: Option<Trigger>,
    principal: Option<String>,
    enabled: bool,
}

/// `\TSSR\` and `\TSSR` and `TSSR` are the same folder; `\` and `` are the root.
fn folder_key(folder: &str) -> String {
    folder.trim().trim_matches('\\').to_ascii_lowercase()
}

/// The folder of a task from its source path (`\TSSR\Export-Comptes` → `\TSSR\`).
fn folder_of(job: &ScheduledJob) -> &str {
    job.source
        .rsplit_once('\\')
        .map_or("\\", |(folder, _)| folder)
}

/// Account names that mean the same: `SYSTEM` = `NT AUTHORITY\SYSTEM` = `S-1-5-18`.
fn same_account(actual: &str, expected: &str) -> bool {
    let short = |s: &str| {
        let s = s.trim();
        let s = s.rsplit_once('\\').map_or(s, |(_, n)| n);
        match s.to_ascii_lowercase().as_str() {
            "s-1-5-18" | "système" | "local system" => "system".to_owned(),
            "s-1-5-19" => "local service".to_owned(),
            "s-1-5-20" => "network service".to_owned(),
            other => other.to_owned(),
        }
    };
    same(actual, expected) || short(actual) == short(expected)
}

impl Kind for ScheduledTaskExpect {
    const NAME: &'static str = "scheduled_task";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["scheduled_jobs"]);
    const DOC: &'static str = r#"# scheduled_task

## What it checks
A Windows scheduled task (`Get-ScheduledTask`) named `name` (case-insensitive), in `folder`
when given (`\` the root, `\TSSR\`), whose action (command and arguments) contains `command`
(case-insensitive), with a trigger of kind `trigger` (`daily`, `weekly`, `logon`, `startup`),
running as `principal` (`SYSTEM` also matches `NT AUTHORITY\SYSTEM` and `S-1-5-18`; a domain
prefix is optional), enabled unless `enabled: false`. On a Linux host it is not assessable
(use `scheduled_job` there).

## Why it matters
« Planifier sur un serveur le déclenchement d'une tâche automatisée » (CP6): a script that is
not scheduled, or scheduled as a user who logs off, does not run when the jury checks.

## Passing example
```yaml
expect:
  scheduled_task: {name: Export-Comptes, command: Export-Comptes.ps1, trigger: daily,
                   principal: SYSTEM}
```

## Failing example
The same when the task runs at logon: `trigger` fails (expected daily, actual logon).

## Critères
`tssr-2023/CP6/C1`.
"#;
    const DOC_FR: &'static str = r#"# scheduled_task

## Ce qui est vérifié
Une tâche planifiée Windows (`Get-ScheduledTask`) nommée `name` (sans tenir compte de la
casse), dans le dossier `folder` quand il est donné (`\` la racine, `\TSSR\`), dont l'action
(commande et arguments) contient `command` (sans tenir compte de la casse), avec un
déclencheur de type `trigger` (`daily`, `weekly`, `logon`, `startup`), exécutée en tant que
`principal` (`SYSTEM` correspond aussi à `NT AUTHORITY\SYSTEM` et `S-1-5-18` ; le préfixe de
domaine est facultatif), activée sauf `enabled: false`. Sur une machine Linux elle est non
évaluable (y employer `scheduled_job`).

## Pourquoi c'est important
« Planifier sur un serveur le déclenchement d'une tâche automatisée » (CP6) : un script non
planifié, ou planifié sous un compte qui ferme sa session, ne tourne pas quand le jury
vérifie.

## Exemple conforme
```yaml
expect:
  scheduled_task: {name: Export-Comptes, command: Export-Comptes.ps1, trigger: daily,
                   principal: SYSTEM}
```

## Exemple non conforme
La même attente quand la tâche se lance à l'ouverture de session : `trigger` échoue (attendu
daily, observé logon).

## Critères
`tssr-2023/CP6/C1`.
"#;
    type Compiled = ScheduledTaskMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<ScheduledTaskMatcher> {
        Some(ScheduledTaskMatcher {
            name: cx.text(&self.name),
            folder: cx.opt_text(&self.folder),
            command: cx.opt_text(&self.command),
            trigger: self.trigger,
            principal: cx.opt_text(&self.principal),
            enabled: self.enabled,
        })
    }

    fn evaluate(m: &ScheduledTaskMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "scheduled_jobs";
        if on_linux(host, out, (S, &m.name)) {
            return Status::NotAssessable;
        }
        let Some(jobs) = host.section(S, &m.name, &host.snapshot.sections.scheduled_jobs, out)
        else {
            return Status::NotAssessable;
        };
        let tasks: Vec<&ScheduledJob> = jobs
            .iter()
            .filter(|j| j.kind == JobKind::WindowsTask && same(&j.name, &m.name))
            .collect();
        let task = tasks.iter().copied().find(|j| {
            m.folder
                .as_ref()
                .is_none_or(|f| folder_key(folder_of(j)) == folder_key(f))
        });
        let Some(task) = task else {
            let sources: Vec<&str> = tasks.iter().map(|j| j.source.as_str()).collect();
            let wanted = match &m.folder {
                Some(f) => format!("{}\\{}", f.trim_end_matches('\\'), m.name),
                None => m.name.clone(),
            };
            out.push(host.evidence(
                S,
                &m.name,
                "exists",
                wanted,
                if sources.is_empty() {
                    "absent".to_owned()
                } else {
                    format!("elsewhere: {}", listed(&sources))
                },
                Status::Fail,
            ));
            return Status::Fail;
        };
        let path = task.source.as_str();
        out.push(host.evidence(S, path, "exists", "present", "present", Status::Pass));
        let mut status = bool_property(
            host,
            out,
            (S, path),
            "enabled",
            Some(m.enabled),
            Some(task.enabled),
        );
        if let Some(command) = &m.command {
            let s = Status::from_bool(
                task.command
                    .to_lowercase()
                    .contains(&command.to_lowercase()),
            );
            out.push(host.evidence(
                S,
                path,
                "command",
                format!("includes {command}"),
                task.command.clone(),
                s,
            ));
            status = status.and(s);
        }
        if let Some(trigger) = m.trigger {
            let s = Status::from_bool(
                task.schedule
                    .split("; ")
                    .any(|t| t.trim().to_ascii_lowercase().starts_with(trigger.word())),
            );
            out.push(host.evidence(
                S,
                path,
                "trigger",
                format!("{trigger:?}").to_lowercase(),
                if task.schedule.is_empty() {
                    "(no trigger)".to_owned()
                } else {
                    task.schedule.clone()
                },
                s,
            ));
            status = status.and(s);
        }
        if let Some(principal) = &m.principal {
            let s = Status::from_bool(
                task.user
                    .as_deref()
                    .is_some_and(|u| same_account(u, principal)),
            );
            out.push(host.evidence(
                S,
                path,
                "principal",
                principal.clone(),
                task.user.clone().unwrap_or_else(|| "(absent)".to_owned()),
                s,
            ));
            status = status.and(s);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case_as, windows_lab, windows_probe};

    /// The `OneShot` task of windows-probe.json comes from a recorded Get-ScheduledTask.
    #[test]
    fn passes_on_the_recorded_task() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r"scheduled_task: {name: oneshot, folder: '\', command: 'ECHO HI', trigger: weekly, principal: 'NT AUTHORITY\SYSTEM'}",
            &windows_probe()
        ));
    }

    #[test]
    fn fails_on_trigger_folder_or_account() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r"all: [{scheduled_task: {name: Export-Comptes, command: Export-Comptes.ps1, trigger: logon, principal: TSSR\adminit}}, {scheduled_task: {name: Export-Comptes, folder: '\'}}]",
            &windows_lab()
        ));
    }

    #[test]
    fn is_not_assessable_without_tasks_or_on_linux() {
        insta::assert_snapshot!(format!(
            "{}\n{}",
            kind_case_as(
                "dc",
                "scheduled_task: {name: Export-Comptes}",
                &crate::kinds::testing::without(windows_lab(), "scheduled_jobs")
            ),
            kind_case_as("dc", "scheduled_task: {name: Export-Comptes}", &fixture())
        ));
    }
}
