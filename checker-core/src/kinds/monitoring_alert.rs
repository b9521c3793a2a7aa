//! Check kind `monitoring_alert`: a supervision check exists for a condition and is in the
//! expected state (raising a problem, or back to OK).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::listed;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::supervision::{MonitoredService, Supervision};
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
    /// A problem was raised on the check and resolved, and the check is `ok` now (needs the
    /// server's problem history, Zabbix, or each check's last problem, Nagios and Icinga2).
    Resolved,
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
The supervision server (section `supervision`: Nagios `status.dat`, read over SSH by the
agent or imported, or the Zabbix or Icinga2 API) has a check on `host` named `service` (or whose check command is `service`, case-insensitive) in
the expected state: `problem` (warning, critical or unknown; acknowledged or not), `ok`, or
`resolved`: a problem was raised on it and resolved, and it is `ok` now — the proof that
the alert fires and clears. A check never run yet (`pending`) fails, with that word as
evidence. Several checks matching: any one in the expected state passes. With Zabbix
(section read from its API), a check is a trigger (`service` = its name or its item key,
`backup.flag`) and `resolved` reads the problems Zabbix lists (open, and resolved in its
« display OK triggers » time, 5 min by default: collect soon after the fix). With Nagios
(`status.dat`, read over SSH by the agent or imported), `resolved` reads each check's last
problem (`last_time_warning`, `last_time_critical`, `last_time_unknown`) and since when it is
ok (`last_state_change`): a check ok now that was seen in a problem state before passes (these
times survive a Nagios restart only with its retention file). With Icinga2 (its API),
`resolved` reads the same facts of each service (`last_state_warning`, `last_state_critical`,
`last_state_unknown`, `last_state_change`; kept across restarts in its state file); an answer
without them leaves `resolved` not assessable (with why), never failed.

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

```yaml
expect:
  monitoring_alert: {host: srv-debian-01, service: backup.flag, state: resolved}
```
passes when Zabbix lists « Backup missing on srv-debian-01 » raised then resolved, and the
trigger is OK.

## Critères
`tssr-2023/CP5/C3`, `tssr-2023/CP8/C2`.
"#;
    const DOC_FR: &'static str = r#"# monitoring_alert

## Ce qui est vérifié
Le serveur de supervision (section `supervision` : `status.dat` de Nagios, relevé par SSH
par l'agent ou importé, ou l'API de Zabbix ou d'Icinga2) a sur `host` une vérification nommée `service` (ou dont la commande de
vérification est `service`, sans tenir compte de la casse) dans l'état attendu : `problem`
(warning, critical ou unknown ; acquitté ou non), `ok`, ou `resolved` : un problème a été
levé puis résolu, et la vérification est `ok` maintenant — la preuve que l'alerte se déclenche
puis retombe. Une vérification jamais encore exécutée (`pending`) échoue, avec ce mot comme
preuve. Si plusieurs vérifications correspondent, il suffit que l'une soit dans l'état
attendu. Avec Zabbix (section lue par son API), une vérification est un déclencheur
(`service` = son nom ou la clé de son élément, `backup.flag`) et `resolved` lit les problèmes
que liste Zabbix (ouverts, et résolus pendant sa durée d'affichage des déclencheurs OK,
5 min par défaut : collecter peu après la correction). Avec Nagios (`status.dat`, relevé par
SSH par l'agent ou importé), `resolved` lit le dernier problème de chaque vérification
(`last_time_warning`, `last_time_critical`, `last_time_unknown`) et depuis quand elle est ok
(`last_state_change`) : une vérification ok maintenant, vue en problème avant, réussit (ces
dates ne survivent à un redémarrage de Nagios qu'avec son fichier de rétention). Avec Icinga2
(son API), `resolved` lit les mêmes informations de chaque service (`last_state_warning`,
`last_state_critical`, `last_state_unknown`, `last_state_change` ; conservées d'un
redémarrage à l'autre dans son fichier d'état) ; une réponse qui ne les donne pas laisse
`resolved` non évaluable (avec la raison), jamais en échec.

## Pourquoi c'est important
Un sujet demande de superviser une condition (un fichier témoin de sauvegarde, un service, un
disque) et de prouver que l'alerte se déclenche quand la condition est rompue, puis retombe :
« La démarche de diagnostic est logique et efficace » (CP5), « Le suivi des espaces de
stockage dédiés aux sauvegardes est assuré » (CP8).

## Exemple conforme
```yaml
expect:
  monitoring_alert: {host: srv-debian-01, service: flag-file, state: problem}
```

## Exemple non conforme
`monitoring_alert: {host: srv-debian-01, service: flag-file, state: ok}` alors que le fichier
témoin manque : `state` échoue (observé « critical « FILE_AGE CRITICAL: File not found … » »).

```yaml
expect:
  monitoring_alert: {host: srv-debian-01, service: backup.flag, state: resolved}
```
réussit quand Zabbix liste « Backup missing on srv-debian-01 » levé puis résolu, et que le
déclencheur est OK.

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
                "monitored",
                format!("absent (services of {}: {})", m.host, listed(&names)),
                Status::Fail,
            ));
            return Status::Fail;
        }
        if m.state == AlertState::Resolved {
            return resolved(host, sup, &matching, &path, out);
        }
        let wanted = |state: &str| match m.state {
            AlertState::Problem => matches!(state, "warning" | "critical" | "unknown"),
            AlertState::Ok | AlertState::Resolved => state == "ok",
        };
        let best = matching
            .iter()
            .find(|s| wanted(&s.state))
            .unwrap_or(&matching[0]);
        let mut actual = best.state.clone();
        if let Some(o) = &best.output {
            actual.push_str(&format!(" \"{o}\""));
        }
        if best.acknowledged {
            actual.push_str(" (acknowledged)");
        }
        let status = Status::from_bool(wanted(&best.state));
        out.push(host.evidence(
            S,
            &path,
            "state",
            match m.state {
                AlertState::Problem => "problem (warning, critical or unknown)",
                AlertState::Ok | AlertState::Resolved => "ok",
            },
            actual,
            status,
        ));
        status
    }
}

/// `state: resolved`: a problem of one of the `matching` checks was resolved, and that check
/// is `ok` now.
fn resolved(
    host: &HostView<'_>,
    sup: &Supervision,
    matching: &[&&MonitoredService],
    path: &str,
    out: &mut Vec<Evidence>,
) -> Status {
    const S: &str = "supervision";
    const EXPECTED: &str = "problem raised then resolved, check ok";
    if !sup.problems_read && sup.last_problems_read {
        return resolved_from_last_problem(host, matching, path, out);
    }
    if !sup.problems_read {
        let why = if sup.product == "icinga2" {
            // Read from each service (`last_state_*`), when the API answer has them.
            format!(
                "each check's last problem not read (no last_state_warning, last_state_critical, last_state_unknown, last_state_change in the {} answer)",
                sup.product
            )
        } else {
            format!("problem history not read ({} keeps none)", sup.product)
        };
        out.push(host.evidence(S, path, "resolved", EXPECTED, why, Status::NotAssessable));
        return Status::NotAssessable;
    }
    let mut seen = Vec::new();
    for check in matching {
        let problems: Vec<_> = sup
            .problems
            .iter()
            .filter(|p| p.host.eq_ignore_ascii_case(&check.host) && p.service == check.name)
            .collect();
        if let Some(p) = problems.iter().rev().find(|p| p.resolved_at.is_some())
            && check.state == "ok"
        {
            out.push(host.evidence(
                S,
                path,
                "resolved",
                EXPECTED,
                format!(
                    "\"{}\" raised at {}, resolved at {}; check ok",
                    p.name,
                    p.started_at,
                    p.resolved_at.as_deref().unwrap_or_default()
                ),
                Status::Pass,
            ));
            return Status::Pass;
        }
        let raised = problems.len();
        let solved = problems.iter().filter(|p| p.resolved_at.is_some()).count();
        seen.push(format!(
            "{}: {}; problems raised: {raised}, resolved: {solved}",
            check.name, check.state
        ));
    }
    out.push(host.evidence(
        S,
        path,
        "resolved",
        EXPECTED,
        seen.join(" | "),
        Status::Fail,
    ));
    Status::Fail
}

/// `state: resolved` from each check's last problem (Nagios `status.dat`: `last_time_warning`,
/// `last_time_critical`, `last_time_unknown`, `last_state_change`; Icinga2 services:
/// `last_state_warning`, `last_state_critical`, `last_state_unknown`, `last_state_change`): a
/// matching check that is `ok` now and was seen in a problem state before it turned ok.
fn resolved_from_last_problem(
    host: &HostView<'_>,
    matching: &[&&MonitoredService],
    path: &str,
    out: &mut Vec<Evidence>,
) -> Status {
    const S: &str = "supervision";
    const EXPECTED: &str = "problem raised then resolved, check ok";
    let mut seen = Vec::new();
    for check in matching {
        let before_ok = match (&check.last_problem_at, &check.state_since) {
            (Some(at), Some(since)) => at <= since,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if check.state == "ok"
            && before_ok
            && let (Some(state), Some(at)) = (&check.last_problem_state, &check.last_problem_at)
        {
            let actual = match &check.state_since {
                Some(since) => format!(
                    "\"{}\" {state} last seen at {at}, ok since {since}; check ok",
                    check.name
                ),
                None => format!("\"{}\" {state} last seen at {at}; check ok", check.name),
            };
            out.push(host.evidence(S, path, "resolved", EXPECTED, actual, Status::Pass));
            return Status::Pass;
        }
        seen.push(match (&check.last_problem_state, &check.last_problem_at) {
            (Some(state), Some(at)) => {
                format!(
                    "{}: {}; last problem: {state} at {at}",
                    check.name, check.state
                )
            }
            _ => format!("{}: {}; never in a problem state", check.name, check.state),
        });
    }
    out.push(host.evidence(
        S,
        path,
        "resolved",
        EXPECTED,
        seen.join(" | "),
        Status::Fail,
    ));
    Status::Fail
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{
        kind_case, supervision_icinga2, supervision_nagios, supervision_zabbix, without,
    };

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

    /// `supervision-zabbix.json`: real Zabbix 6.0 answers, the backup flag's trigger raised,
    /// resolved, raised again (open now).
    #[test]
    fn zabbix_problem_and_resolution() {
        insta::assert_snapshot!(kind_case(
            "all: [{monitoring_alert: {host: srv-debian-01, service: backup.flag, state: problem}}, {monitoring_alert: {host: srv-debian-01, service: Backup missing on srv-debian-01, state: resolved}}, {monitoring_alert: {host: srv-debian-01, service: flag-file, state: resolved}}]",
            &supervision_zabbix()
        ));
    }

    #[test]
    fn resolved_passes_once_the_trigger_is_ok_again() {
        let mut snapshot = supervision_zabbix();
        if let constat_snapshot::section::Section::Collected { data } =
            &mut snapshot.sections.supervision
        {
            data.services[0].state = "ok".to_owned();
            data.services[0].output = None;
        }
        insta::assert_snapshot!(kind_case(
            "monitoring_alert: {host: srv-debian-01, service: backup.flag, state: resolved}",
            &snapshot
        ));
    }

    /// `supervision-nagios.json`: a real Nagios 4.4 collected over SSH, `backup.flag` OK after
    /// it was CRITICAL (`last_time_critical`, `last_state_change`).
    #[test]
    fn nagios_resolved_from_the_last_problem() {
        insta::assert_snapshot!(kind_case(
            "all: [{monitoring_alert: {host: srv-debian-01, service: backup.flag, state: resolved}}, {monitoring_alert: {host: srv-debian-01, service: check_flag, state: ok}}]",
            &supervision_nagios()
        ));
    }

    /// Still CRITICAL, or never in a problem state: not resolved.
    #[test]
    fn nagios_not_resolved_while_critical_or_never_raised() {
        let mut snapshot = supervision_nagios();
        if let constat_snapshot::section::Section::Collected { data } =
            &mut snapshot.sections.supervision
        {
            let flag = &mut data.services[0];
            flag.state = "critical".to_owned();
            flag.output = Some("FLAG CRITICAL: /srv/backup/flag is missing".to_owned());
            flag.last_problem_at = Some("2026-12-03T08:31:00Z".to_owned());
        }
        insta::assert_snapshot!(kind_case(
            "all: [{monitoring_alert: {host: srv-debian-01, service: backup.flag, state: resolved}}, {monitoring_alert: {host: srv-debian-01, service: ssh, state: resolved}}, {monitoring_alert: {host: srv-debian-01, service: backup.flag, state: problem}}]",
            &snapshot
        ));
    }

    /// Icinga2's services read with `last_state_critical` and `last_state_change` (the
    /// reader's `last_problems_read`): OK now after CRITICAL passes, CRITICAL now fails.
    #[test]
    fn icinga2_resolved_from_the_last_state_times() {
        let mut snapshot = supervision_icinga2();
        if let constat_snapshot::section::Section::Collected { data } =
            &mut snapshot.sections.supervision
        {
            data.last_problems_read = true;
            for service in &mut data.services {
                service.last_problem_state = Some("critical".to_owned());
                service.last_problem_at = Some("2026-12-03T08:31:00Z".to_owned());
                service.state_since = Some("2026-12-03T08:29:00Z".to_owned());
            }
            let flag = data
                .services
                .iter_mut()
                .find(|s| s.name == "flag-file")
                .expect("flag-file in the fixture");
            flag.state = "ok".to_owned();
            flag.output = Some("FILE_AGE OK: /tmp/constat-flag is 3 seconds old".to_owned());
            flag.state_since = Some("2026-12-03T08:31:01Z".to_owned());
        }
        insta::assert_snapshot!(kind_case(
            "all: [{monitoring_alert: {host: srv-debian-01, service: flag-file, state: resolved}}, {monitoring_alert: {host: vm, service: http, state: resolved}}]",
            &snapshot
        ));
    }

    /// `supervision-icinga2.json` was read without the `last_state_*` attributes: not
    /// assessable, with why.
    #[test]
    fn resolved_is_not_assessable_without_a_problem_history() {
        insta::assert_snapshot!(kind_case(
            "monitoring_alert: {host: srv-debian-01, service: flag-file, state: resolved}",
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
