//! Check kind `service`: a service runs and/or starts at boot.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::{Kind, property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::services::{Service, ServiceManager};
use schemars::JsonSchema;
use serde::Deserialize;

/// `service: {name: apache2, running: true, enabled: true}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceExpect {
    /// Unit or service name (`ssh` also matches `ssh.service`).
    pub name: Sp<String>,
    /// Whether it must run now.
    #[serde(default)]
    pub running: Option<bool>,
    /// Whether it must start at boot (Windows: start type automatic or automatic delayed).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Windows start type.
    #[serde(default)]
    pub start_type: Option<StartType>,
}

/// Windows service start types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StartType {
    /// Starts at boot.
    Automatic,
    /// Starts shortly after boot.
    AutomaticDelayed,
    /// Started on demand.
    Manual,
    /// Cannot start.
    Disabled,
}

impl StartType {
    /// Reads the raw Windows start mode (`Auto`, `Automatic`, `Manual`, `Disabled`,
    /// `AutomaticDelayedStart`).
    fn parse(raw: &str) -> Option<StartType> {
        let raw = raw.to_ascii_lowercase();
        if raw.contains("delayed") {
            Some(StartType::AutomaticDelayed)
        } else if raw.starts_with("auto") {
            Some(StartType::Automatic)
        } else if raw == "manual" || raw == "demand" {
            Some(StartType::Manual)
        } else if raw == "disabled" {
            Some(StartType::Disabled)
        } else {
            None
        }
    }

    fn word(self) -> &'static str {
        match self {
            StartType::Automatic => "automatic",
            StartType::AutomaticDelayed => "automatic_delayed",
            StartType::Manual => "manual",
            StartType::Disabled => "disabled",
        }
    }
}

/// Compiled `service` expectation.
#[derive(Debug, Clone)]
pub struct ServiceMatcher {
    name: String,
    running: Option<bool>,
    enabled: Option<bool>,
    start_type: Option<StartType>,
}

/// Records the `start_type` property of a Windows service.
fn start_type(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    m: &ServiceMatcher,
    service: &Service,
) -> Status {
    const S: &str = "services";
    let Some(expected) = m.start_type else {
        return Status::Pass;
    };
    let raw = service.start_mode.as_deref().unwrap_or("(absent)");
    let (status, actual) = match (service.manager, StartType::parse(raw)) {
        (ServiceManager::Windows, Some(actual)) if actual == expected => {
            (Status::Pass, raw.to_owned())
        }
        // The probe reads `StartMode`, which says `Auto` for both automatic start types.
        (ServiceManager::Windows, Some(StartType::Automatic))
            if expected == StartType::AutomaticDelayed =>
        {
            (
                Status::NotAssessable,
                format!("{raw} (delayed start not told apart by the probe)"),
            )
        }
        (ServiceManager::Windows, Some(_)) => (Status::Fail, raw.to_owned()),
        (ServiceManager::Windows, None) => (Status::Fail, format!("{raw} (unknown type)")),
        (_, _) => (
            Status::NotAssessable,
            format!("{raw} (Windows start type, host not Windows)"),
        ),
    };
    out.push(host.evidence(S, &m.name, "start_type", expected.word(), actual, status));
    status
}

impl Kind for ServiceExpect {
    const NAME: &'static str = "service";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["services"]);
    const DOC: &'static str = r#"# service

## What it checks
A service (systemd unit or Windows service) exists, runs and/or starts at boot. A service
that does not exist fails `running: true` and passes `running: false`. On Windows, `enabled`
means start type automatic (delayed or not), and `start_type` (`automatic`,
`automatic_delayed`, `manual`, `disabled`) compares the start type itself; the probe reads
`StartMode`, which does not tell delayed from immediate automatic start, so
`automatic_delayed` against `Auto` is not assessable.

## Why it matters
"Le serveur et les services sont opérationnels": a service started by hand but not enabled
will not survive the jury's reboot.

## Passing example
```yaml
expect:
  service: {name: apache2, running: true, enabled: true}
```
On a Windows server: `service: {name: NTDS, running: true, start_type: automatic}`.

## Failing example
The same when apache2 is `inactive`: `running` fails (expected true, actual false).

## Critères
`tssr-2023/CP3/C2`, `tssr-2023/CP2/C2`, `tssr-2023/CT2/C3`.
"#;
    const DOC_FR: &'static str = r#"# service

## Ce qui est vérifié
Un service (unité systemd ou service Windows) existe, tourne et/ou démarre au boot. Un
service qui n'existe pas échoue à `running: true` et réussit `running: false`. Sous Windows,
`enabled` signifie un type de démarrage automatique (différé ou non), et `start_type`
(`automatic`, `automatic_delayed`, `manual`, `disabled`) compare le type de démarrage
lui-même ; la sonde lit `StartMode`, qui ne distingue pas le démarrage automatique différé de
l'immédiat : `automatic_delayed` face à `Auto` est donc non évaluable.

## Pourquoi c'est important
« Le serveur et les services sont opérationnels » : un service démarré à la main mais non
activé ne survit pas au redémarrage que fait le jury.

## Exemple conforme
```yaml
expect:
  service: {name: apache2, running: true, enabled: true}
```
Sur un serveur Windows : `service: {name: NTDS, running: true, start_type: automatic}`.

## Exemple non conforme
La même attente quand apache2 est `inactive` : `running` échoue (attendu true, observé false).

## Critères
`tssr-2023/CP3/C2`, `tssr-2023/CP2/C2`, `tssr-2023/CT2/C3`.
"#;
    type Compiled = ServiceMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<ServiceMatcher> {
        Some(ServiceMatcher {
            name: cx.text(&self.name),
            running: self.running,
            enabled: self.enabled,
            start_type: self.start_type,
        })
    }

    fn evaluate(m: &ServiceMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "services";
        if host
            .section(S, &m.name, &host.snapshot.sections.services, out)
            .is_none()
        {
            return Status::NotAssessable;
        }
        let Some(service) = host.service(&m.name) else {
            let holds = m.running != Some(true) && m.enabled != Some(true);
            let s = Status::from_bool(holds);
            out.push(host.evidence(
                S,
                &m.name,
                "exists",
                if holds {
                    "absent or stopped"
                } else {
                    "present"
                },
                "absent",
                s,
            ));
            return s;
        };
        let running = Some(service.running);
        property(
            host,
            out,
            S,
            &m.name,
            "running",
            m.running.as_ref(),
            running.as_ref(),
            bool::to_string,
        )
        .and(property(
            host,
            out,
            S,
            &m.name,
            "enabled",
            m.enabled.as_ref(),
            service.enabled.as_ref(),
            bool::to_string,
        ))
        .and(start_type(host, out, m, service))
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, kind_case_as, lab, windows_lab};

    #[test]
    fn passes_when_running_and_enabled() {
        insta::assert_snapshot!(kind_case(
            "service: {name: apache2, running: true, enabled: true}",
            &lab()
        ));
    }

    #[test]
    fn fails_when_stopped_or_missing() {
        insta::assert_snapshot!(kind_case(
            "all: [{service: {name: nftables, running: true}}, {service: {name: nginx, running: true}}]",
            &lab()
        ));
    }

    /// `windows-lab.json`'s services have the shape services.rs gives Win32_Service.
    #[test]
    fn windows_start_types() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{service: {name: NTDS, running: true, enabled: true, start_type: automatic}}, {service: {name: Spooler, running: false, enabled: false, start_type: disabled}}, {service: {name: WSearch, start_type: automatic}}, {service: {name: DNS, start_type: automatic_delayed}}]",
            &windows_lab()
        ));
    }

    #[test]
    fn is_not_assessable_on_the_real_host_without_systemd() {
        insta::assert_snapshot!(kind_case("service: {name: ssh, running: true}", &fixture()));
    }
}
