//! Check kind `monitoring_alert`: a supervision check exists for a condition and is in the
//! expected state (raising a problem, or back to OK).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::listed;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `monitoring_alert: {host: srv-debian-01, service: flag-file, state: problem}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoringAlertExpect {
    /// Host the check belongs to, case-insensitive.
    pub host: Sp<String>,
    /// Service name or check command (`file_age`, `check_disk`), case-insensitive.
    pub service: Sp<String>,
    /// Expected state.
    pub state: AlertState,
}

/// What the check must show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// A problem is raised: `warning`, `critical` or `unknown` (acknowledged or not).
    Problem,
    /// Checked and `ok`.
    Ok,
}

/// Compiled `monitoring_alert` expectation.
#[derive(Debug, Clone)]
pub struct MonitoringAlertMatcher {
    host: String,
    service: String,
    state: AlertState,
}

impl Kind for MonitoringAlertExpect {
    const NAME: &'static str = "monitoring_alert";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["supervision"]);
    const DOC: &'static str = r#"# monitoring_alert

## What it checks
The supervision server (section `supervision`: Nagios `status.dat` or the Icinga2 API) has a
check on `host` named `service` (or whose check command is `service`, case-insensitive) in
the expected state: `problem` (warning, critical or unknown; acknowledged or not) or `ok`. A
check never run yet (`pending`) fails either way, with that word as evidence. Several checks
matching: any one in the expected state passes.

## Why it matters
A subject asks to supervise a condition (a backup flag file, a service, a disk) and to prove
the alert fires when the condition breaks, then clears: « La démarche de diagnostic est
logique et efficace » (CP5), « Le suivi des espaces de stockage dédiés aux sauvegardes est
assuré » (CP8).

## Passing example
```yaml
expect:
  monitoring_alert: {host: srv-debian-01, service: flag-file, state: problem}
```

## Failing example
`monitoring_alert: {host: srv-debian-01, service: flag-file, state: ok}` while the flag file
is missing: `state` fails (actual « critical « FILE_AGE CRITICAL: File not found … » »).

## Critères
`tssr-2023/CP5/C3`, `tssr-2023/CP8/C2`.
"#;
    type Compiled = MonitoringAlertMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<MonitoringAlertMatcher> {
        Some(MonitoringAlertMatcher {
            host: cx.text(&self.host),
            service: cx.text(&self.service),
            state: self.state,
        })
    }

    fn evaluate(
        m: &MonitoringAlertMatcher,
        host: &HostView<'_>,
        out: &mut Vec<Evidence>,
    ) -> Status {
        const S: &str = "supervision";
        let path = format!("{}/{}", m.host, m.service);
        let Some(sup) = host.section(S, &path, &host.snapshot.sections.supervision, out) else {
            return Status::NotAssessable;
        };
        let on_host: Vec<_> = sup
            .services
            .iter()
            .filter(|s| s.host.eq_ignore_ascii_case(&m.host))
            .collect();
        let matching: Vec<_> = on_host
            .iter()
            .filter(|s| {
                s.name.eq_ignore_ascii_case(&m.service)
                    || s.check_command
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case(&m.service))
            })
            .collect();
        if matching.is_empty() {
            let names: Vec<&str> = on_host.iter().map(|s| s.name.as_str()).collect();
            out.push(host.evidence(
                S,
                &path,
                "exists",
                "supervisé",
                format!("absent (services de {} : {})", m.host, listed(&names)),
                Status::Fail,
            ));
            return Status::Fail;
        }
        let wanted = |state: &str| match m.state {
            AlertState::Problem => matches!(state, "warning" | "critical" | "unknown"),
            AlertState::Ok => state == "ok",
        };
        let best = matching
            .iter()
            .find(|s| wanted(&s.state))
            .unwrap_or(&matching[0]);
        let mut actual = best.state.clone();
        if let Some(o) = &best.output {
            actual.push_str(&format!(" « {o} »"));
        }
        if best.acknowledged {
            actual.push_str(" (acquitté)");
        }
        let status = Status::from_bool(wanted(&best.state));
        out.push(host.evidence(
            S,
            &path,
            "state",
            match m.state {
                AlertState::Problem => "problème (warning, critical ou unknown)",
                AlertState::Ok => "ok",
            },
            actual,
            status,
        ));
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case, supervision_icinga2, without};

    /// `supervision-icinga2.json`: real Icinga2 answers where the flag file is missing.
    #[test]
    fn passes_when_the_alert_fires() {
        insta::assert_snapshot!(kind_case(
            "all: [{monitoring_alert: {host: srv-debian-01, service: flag-file, state: problem}}, {monitoring_alert: {host: vm, service: http, state: problem}}]",
            &supervision_icinga2()
        ));
    }

    #[test]
    fn fails_when_not_cleared_or_not_supervised() {
        insta::assert_snapshot!(kind_case(
            "all: [{monitoring_alert: {host: srv-debian-01, service: file_age, state: ok}}, {monitoring_alert: {host: srv-debian-01, service: backup, state: problem}}]",
            &supervision_icinga2()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_supervision_section() {
        insta::assert_snapshot!(kind_case(
            "monitoring_alert: {host: vm, service: ssh, state: ok}",
            &without(supervision_icinga2(), "supervision")
        ));
    }
}
