//! Check kind `service`: a service runs and/or starts at boot.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::{Kind, property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
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
    /// Whether it must start at boot.
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// Compiled `service` expectation.
#[derive(Debug, Clone)]
pub struct ServiceMatcher {
    name: String,
    running: Option<bool>,
    enabled: Option<bool>,
}

impl Kind for ServiceExpect {
    const NAME: &'static str = "service";
    const DOC: &'static str = r#"# service

## What it checks
A service (systemd unit or Windows service) exists, runs and/or starts at boot. A service
that does not exist fails `running: true` and passes `running: false`.

## Why it matters
"Le serveur et les services sont opérationnels": a service started by hand but not enabled
will not survive the jury's reboot.

## Passing example
```yaml
expect:
  service: {name: apache2, running: true, enabled: true}
```

## Failing example
The same when apache2 is `inactive`: `running` fails (expected true, actual false).

## Critères
`tssr-2023/CP3/C2`, `tssr-2023/CP2/C2`, `tssr-2023/CT2/C3`.
"#;
    type Compiled = ServiceMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<ServiceMatcher> {
        Some(ServiceMatcher {
            name: cx.text(&self.name),
            running: self.running,
            enabled: self.enabled,
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
                    "absent ou arrêté"
                } else {
                    "présent"
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
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab};

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

    #[test]
    fn is_not_assessable_on_the_real_host_without_systemd() {
        insta::assert_snapshot!(kind_case("service: {name: ssh, running: true}", &fixture()));
    }
}
