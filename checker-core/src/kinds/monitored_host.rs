//! Check kind `monitored_host`: the supervision server knows a host, sees it up, and checks
//! the expected services on it.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::listed;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `monitored_host: {host: srv-debian-01, services: [ssh, http]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoredHostExpect {
    /// Host name in the supervision, case-insensitive.
    pub host: Sp<String>,
    /// Whether the host must be seen up (default true).
    #[serde(default = "yes")]
    pub up: bool,
    /// Services (by name, or by check command) that must be checked on it, in any state.
    #[serde(default)]
    pub services: Vec<Sp<String>>,
}

fn yes() -> bool {
    true
}

/// Compiled `monitored_host` expectation.
#[derive(Debug, Clone)]
pub struct MonitoredHostMatcher {
    host: String,
    up: bool,
    services: Vec<String>,
}

impl Kind for MonitoredHostExpect {
    const NAME: &'static str = "monitored_host";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["supervision"]);
    const DOC: &'static str = r#"# monitored_host

## What it checks
The supervision server (section `supervision`: Nagios `status.dat`, read over SSH by the
agent or imported, or the Zabbix or Icinga2 API) knows
the host `host` (case-insensitive), sees it `up` (unless `up: false`; a host never checked yet
is `pending` and fails), and runs every listed service on it (matched by service name or check
command, case-insensitive), whatever their current state.

## Why it matters
« Maintenir des serveurs dans une infrastructure virtualisée » (CP5) includes their
supervision (the 2018 title's « Superviser l'infrastructure »): a server that the supervision
does not know, or whose services are not checked, fails silently.

## Passing example
```yaml
expect:
  monitored_host: {host: vm, services: [ssh, http, apt]}
```

## Failing example
`monitored_host: {host: srv-web-02}` when the supervision knows `srv-debian-01` and `vm` only:
`exists` fails (actual « absent (hôtes : srv-debian-01, vm) »).

## Critères
`tssr-2023/CP5/C2`.
"#;
    const DOC_FR: &'static str = r#"# monitored_host

## Ce qui est vérifié
Le serveur de supervision (section `supervision` : `status.dat` de Nagios, relevé par SSH
par l'agent ou importé, ou l'API de Zabbix ou d'Icinga2) connaît l'hôte `host` (sans tenir compte de la casse), le voit `up` (sauf
`up: false` ; un hôte jamais encore vérifié est `pending` et échoue), et exécute sur lui
chacun des services listés (reconnus par nom de service ou commande de vérification, sans
tenir compte de la casse), quel que soit leur état du moment.

## Pourquoi c'est important
« Maintenir des serveurs dans une infrastructure virtualisée » (CP5) comprend leur supervision
(le « Superviser l'infrastructure » du titre de 2018) : un serveur que la supervision ne
connaît pas, ou dont les services ne sont pas vérifiés, tombe en panne en silence.

## Exemple conforme
```yaml
expect:
  monitored_host: {host: vm, services: [ssh, http, apt]}
```

## Exemple non conforme
`monitored_host: {host: srv-web-02}` quand la supervision ne connaît que `srv-debian-01` et
`vm` : `exists` échoue (observé « absent (hôtes : srv-debian-01, vm) »).

## Critères
`tssr-2023/CP5/C2`.
"#;
    type Compiled = MonitoredHostMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<MonitoredHostMatcher> {
        Some(MonitoredHostMatcher {
            host: cx.text(&self.host),
            up: self.up,
            services: cx.texts(&self.services),
        })
    }

    fn evaluate(m: &MonitoredHostMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "supervision";
        let Some(sup) = host.section(S, &m.host, &host.snapshot.sections.supervision, out) else {
            return Status::NotAssessable;
        };
        let found = sup
            .hosts
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(&m.host));
        let names: Vec<&str> = sup.hosts.iter().map(|h| h.name.as_str()).collect();
        out.push(host.evidence(
            S,
            &m.host,
            "exists",
            "monitored",
            match found {
                Some(h) => format!("{} ({})", h.name, sup.product),
                None => format!("absent (hosts: {})", listed(&names)),
            },
            Status::from_bool(found.is_some()),
        ));
        let Some(h) = found else {
            return Status::Fail;
        };
        let up = Status::from_bool((h.state == "up") == m.up && h.state != "pending");
        let mut actual = h.state.clone();
        if let Some(o) = &h.output {
            actual.push_str(&format!(" \"{o}\""));
        }
        out.push(host.evidence(
            S,
            &m.host,
            "state",
            if m.up { "up" } else { "not up" },
            actual,
            up,
        ));
        let mut status = up;
        if !m.services.is_empty() {
            let on_host: Vec<_> = sup
                .services
                .iter()
                .filter(|s| s.host.eq_ignore_ascii_case(&h.name))
                .collect();
            let missing: Vec<&str> = m
                .services
                .iter()
                .filter(|want| {
                    !on_host.iter().any(|s| {
                        s.name.eq_ignore_ascii_case(want)
                            || s.check_command
                                .as_deref()
                                .is_some_and(|c| c.eq_ignore_ascii_case(want))
                    })
                })
                .map(String::as_str)
                .collect();
            let have: Vec<String> = on_host
                .iter()
                .map(|s| format!("{} ({})", s.name, s.state))
                .collect();
            let s = Status::from_bool(missing.is_empty());
            out.push(host.evidence(
                S,
                &m.host,
                "services",
                format!("includes {}", m.services.join(", ")),
                if missing.is_empty() {
                    listed(&have)
                } else {
                    format!("[{}]; missing {}", listed(&have), missing.join(", "))
                },
                s,
            ));
            status = status.and(s);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case, supervision_icinga2, without};

    /// `supervision-icinga2.json`: the parser's output on real Icinga2 2.13 API answers.
    #[test]
    fn passes_on_a_supervised_host_with_its_services() {
        insta::assert_snapshot!(kind_case(
            "monitored_host: {host: VM, services: [ssh, http, apt]}",
            &supervision_icinga2()
        ));
    }

    #[test]
    fn fails_on_an_unknown_host_or_a_missing_service() {
        insta::assert_snapshot!(kind_case(
            "all: [{monitored_host: {host: srv-web-02}}, {monitored_host: {host: srv-debian-01, services: [ssh, mysql]}}]",
            &supervision_icinga2()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_supervision_section() {
        insta::assert_snapshot!(kind_case(
            "monitored_host: {host: vm}",
            &without(supervision_icinga2(), "supervision")
        ));
    }
}
