//! Check kind `scheduled_job`: a cron entry, systemd timer or Windows task runs a command on
//! a schedule.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// `scheduled_job: {command: "backup\\.sh", schedule: "30 23 * * *", user: root}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledJobExpect {
    /// Regex the command must match.
    pub command: Sp<String>,
    /// Schedule as five cron fields, compared with the job's normalised schedule.
    #[serde(default)]
    pub schedule: Option<Sp<String>>,
    /// Account the job runs as.
    #[serde(default)]
    pub user: Option<Sp<String>>,
    /// Whether it must be enabled (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// Compiled `scheduled_job` expectation.
#[derive(Debug, Clone)]
pub struct ScheduledJobMatcher {
    command: Regex,
    schedule: Option<String>,
    user: Option<String>,
    enabled: bool,
}

fn fields(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Kind for ScheduledJobExpect {
    const NAME: &'static str = "scheduled_job";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["scheduled_jobs"]);
    const DOC: &'static str = r#"# scheduled_job

## What it checks
Some scheduled job (cron, user crontab, anacron, systemd timer, Windows task) runs a
command matching a regex, with the expected schedule (five cron fields, compared with the
normalised schedule), account and enabled state. Any scheduler passes when the subject
does not impose one.

## Why it matters
"Planifier sur un serveur le déclenchement d'une tâche automatisée" is a CP6 savoir-faire;
a script that is never scheduled does not do the job.

## Passing example
```yaml
expect:
  scheduled_job: {command: "tar czf /srv/backup", schedule: "30 23 * * *", user: root}
```

## Failing example
The same when the job runs at `0 2 * * *`: `schedule` fails with the schedule observed.

## Critères
`tssr-2023/CP6/C1`, `tssr-2023/CP6/C2`, `tssr-2023/CP8/C1`.
"#;
    const DOC_FR: &'static str = r#"# scheduled_job

## Ce qui est vérifié
Une tâche planifiée (cron, crontab d'un compte, anacron, timer systemd, tâche Windows) lance
une commande qui correspond à une expression régulière, avec la planification attendue (cinq
champs cron, comparés à la planification normalisée), le compte et l'état activé attendus.
N'importe quel planificateur convient quand le sujet n'en impose pas.

## Pourquoi c'est important
« Planifier sur un serveur le déclenchement d'une tâche automatisée » est un savoir-faire de
la CP6 ; un script jamais planifié ne fait pas le travail.

## Exemple conforme
```yaml
expect:
  scheduled_job: {command: "tar czf /srv/backup", schedule: "30 23 * * *", user: root}
```

## Exemple non conforme
La même attente quand la tâche tourne à `0 2 * * *` : `schedule` échoue avec la planification
observée.

## Critères
`tssr-2023/CP6/C1`, `tssr-2023/CP6/C2`, `tssr-2023/CP8/C1`.
"#;
    type Compiled = ScheduledJobMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<ScheduledJobMatcher> {
        let schedule = cx.opt_text(&self.schedule);
        if let (Some(s), Some(at)) = (&schedule, &self.schedule)
            && s.split_whitespace().count() != 5
        {
            cx.error(
                at,
                (
                    format!("planification « {s} » : 5 champs cron attendus"),
                    format!("schedule \"{s}\": 5 cron fields expected"),
                ),
                Some((
                    "par ex. \"30 23 * * *\" (minute heure jour mois jour-de-semaine)".to_owned(),
                    "e.g. \"30 23 * * *\" (minute hour day month weekday)".to_owned(),
                )),
            );
        }
        Some(ScheduledJobMatcher {
            command: cx.regex(&self.command)?,
            schedule: schedule.map(|s| fields(&s)),
            user: cx.opt_text(&self.user),
            enabled: self.enabled,
        })
    }

    fn evaluate(m: &ScheduledJobMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "scheduled_jobs";
        let id = format!("/{}/", m.command.as_str());
        let Some(jobs) = host.section(S, &id, &host.snapshot.sections.scheduled_jobs, out) else {
            return Status::NotAssessable;
        };
        let candidates: Vec<_> = jobs
            .iter()
            .filter(|j| m.command.is_match(&j.command))
            .collect();
        let good = candidates.iter().find(|j| {
            m.schedule
                .as_ref()
                .is_none_or(|s| j.cron.as_deref().map(fields).as_ref() == Some(s))
                && m.user.as_ref().is_none_or(|u| j.user.as_ref() == Some(u))
                && j.enabled == m.enabled
        });
        let expected = format!(
            "{}{}",
            m.schedule.as_deref().unwrap_or("any schedule"),
            m.user
                .as_ref()
                .map(|u| format!(" (user {u})"))
                .unwrap_or_default()
        );
        let describe = |j: &constat_snapshot::jobs::ScheduledJob| {
            format!(
                "{} \"{}\"{} ({})",
                j.cron.as_deref().unwrap_or(&j.schedule),
                j.command,
                j.user
                    .as_ref()
                    .map(|u| format!(" (user {u})"))
                    .unwrap_or_default(),
                j.source
            )
        };
        let (status, actual) = match (good, candidates.first()) {
            (Some(j), _) => (Status::Pass, describe(j)),
            (None, Some(j)) => (Status::Fail, describe(j)),
            (None, None) => (Status::Fail, format!("no job among {}", jobs.len())),
        };
        out.push(host.evidence(S, &id, "schedule", expected, actual, status));
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};

    #[test]
    fn passes_on_recorded_and_lab_jobs() {
        let a = kind_case(
            r#"scheduled_job: {command: "run-parts --report /etc/cron.hourly", schedule: "17 * * * *", user: root}"#,
            &fixture(),
        );
        let b = kind_case(
            r#"scheduled_job: {command: "tar czf /srv/backup", schedule: "30  23 * * *"}"#,
            &lab(),
        );
        insta::assert_snapshot!(format!("{a}{b}"));
    }

    #[test]
    fn fails_on_a_wrong_schedule() {
        insta::assert_snapshot!(kind_case(
            r#"scheduled_job: {command: "tar czf /srv/backup", schedule: "0 2 * * *"}"#,
            &lab()
        ));
    }

    #[test]
    fn is_not_assessable_without_jobs() {
        insta::assert_snapshot!(kind_case(
            r#"scheduled_job: {command: "tar"}"#,
            &without(lab(), "scheduled_jobs")
        ));
    }
}
