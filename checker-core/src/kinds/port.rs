//! Check kind `port`: a port is (or is not) listening.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// Transport protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// TCP.
    #[default]
    Tcp,
    /// UDP.
    Udp,
}

impl Protocol {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }
}

/// `port: {port: 80}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortExpect {
    /// Port number.
    pub port: u16,
    /// Protocol (default tcp).
    #[serde(default)]
    pub protocol: Protocol,
    /// Whether it must listen (default) or must not.
    #[serde(default = "yes")]
    pub listening: bool,
    /// Process that must own the socket (when visible).
    #[serde(default)]
    pub process: Option<Sp<String>>,
    /// Whether it must be reachable from the network (not only on loopback).
    #[serde(default)]
    pub external: Option<bool>,
}

fn yes() -> bool {
    true
}

/// Compiled `port` expectation.
#[derive(Debug, Clone)]
pub struct PortMatcher {
    id: String,
    port: u16,
    protocol: Protocol,
    listening: bool,
    process: Option<String>,
    external: Option<bool>,
}

impl Kind for PortExpect {
    const NAME: &'static str = "port";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["listening"]);
    const DOC: &'static str = r#"# port

## What it checks
A TCP or UDP port is listening (or not), optionally owned by a given process and bound to
a non-loopback address.

## Why it matters
A running service that does not listen where clients connect is not operational.

## Passing example
```yaml
expect:
  port: {port: 80, process: apache2}
```

## Failing example
`port: {port: 23, listening: false}` when telnetd listens on 23.

## Critères
`tssr-2023/CP3/C2`, `tssr-2023/CP4/C3`.
"#;
    const DOC_FR: &'static str = r#"# port

## Ce qui est vérifié
Un port TCP ou UDP est en écoute (ou ne l'est pas), éventuellement par un programme donné et
sur une adresse autre que la boucle locale.

## Pourquoi c'est important
Un service démarré qui n'écoute pas là où les clients se connectent n'est pas opérationnel.

## Exemple conforme
```yaml
expect:
  port: {port: 80, process: apache2}
```

## Exemple non conforme
`port: {port: 23, listening: false}` quand telnetd écoute sur le port 23.

## Critères
`tssr-2023/CP3/C2`, `tssr-2023/CP4/C3`.
"#;
    type Compiled = PortMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<PortMatcher> {
        Some(PortMatcher {
            id: format!("{}/{}", self.port, self.protocol.as_str()),
            port: self.port,
            protocol: self.protocol,
            listening: self.listening,
            process: cx.opt_text(&self.process),
            external: self.external,
        })
    }

    fn evaluate(m: &PortMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "listening";
        let Some(sockets) = host.section(S, &m.id, &host.snapshot.sections.listening, out) else {
            return Status::NotAssessable;
        };
        let found: Vec<_> = sockets
            .iter()
            .filter(|s| s.port == m.port && s.protocol == m.protocol.as_str())
            .collect();
        let status = Status::from_bool(found.is_empty() != m.listening);
        let shown: Vec<String> = found
            .iter()
            .map(|s| {
                format!(
                    "{}:{}{}",
                    s.address,
                    s.port,
                    s.process
                        .as_ref()
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default()
                )
            })
            .collect();
        out.push(host.evidence(
            S,
            &m.id,
            "listening",
            if m.listening { "listening" } else { "closed" },
            if shown.is_empty() {
                "closed".to_owned()
            } else {
                shown.join(", ")
            },
            status,
        ));
        if found.is_empty() || !m.listening {
            return status;
        }
        let mut status = status;
        if let Some(p) = &m.process {
            let s = Status::from_bool(found.iter().any(|x| x.process.as_deref() == Some(p)));
            let actual: Vec<&str> = found.iter().filter_map(|x| x.process.as_deref()).collect();
            out.push(host.evidence(
                S,
                &m.id,
                "process",
                p.clone(),
                if actual.is_empty() {
                    "unknown".to_owned()
                } else {
                    actual.join(", ")
                },
                s,
            ));
            status = status.and(s);
        }
        if let Some(external) = m.external {
            let is_external = found
                .iter()
                .any(|x| !(x.address.starts_with("127.") || x.address == "::1"));
            let s = Status::from_bool(is_external == external);
            out.push(host.evidence(
                S,
                &m.id,
                "external",
                external.to_string(),
                is_external.to_string(),
                s,
            ));
            status = status.and(s);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case, lab, without};

    #[test]
    fn passes_when_apache_listens() {
        insta::assert_snapshot!(kind_case(
            "all: [{port: {port: 80, process: apache2, external: true}}, {port: {port: 23, listening: false}}]",
            &lab()
        ));
    }

    #[test]
    fn fails_when_nothing_listens() {
        insta::assert_snapshot!(kind_case("port: {port: 443}", &lab()));
    }

    #[test]
    fn is_not_assessable_without_sockets() {
        insta::assert_snapshot!(kind_case("port: {port: 80}", &without(lab(), "listening")));
    }
}
