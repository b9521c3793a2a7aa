//! Check kind `firewall`: the normalised filter lets a port in or not, default policy, active.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::port::Protocol;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::firewall::{FirewallChain, FirewallRule};
use schemars::JsonSchema;
use serde::Deserialize;

/// Default policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Let through what no rule drops.
    Accept,
    /// Drop what no rule accepts.
    Drop,
}

/// `firewall: {active: true, input_policy: drop, allow: ["22/tcp", "80/tcp"], deny: ["23/tcp"]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirewallExpect {
    /// Whether a firewall must be active (rules loaded).
    #[serde(default)]
    pub active: Option<bool>,
    /// Default policy of the input chains.
    #[serde(default)]
    pub input_policy: Option<Policy>,
    /// Ports that new incoming connections from anywhere must reach (`22/tcp`, `53/udp`, `80`).
    #[serde(default)]
    pub allow: Vec<Sp<String>>,
    /// Ports that new incoming connections must not reach.
    #[serde(default)]
    pub deny: Vec<Sp<String>>,
}

/// Compiled `firewall` expectation.
#[derive(Debug, Clone)]
pub struct FirewallMatcher {
    active: Option<bool>,
    input_policy: Option<Policy>,
    allow: Vec<(u16, Protocol)>,
    deny: Vec<(u16, Protocol)>,
}

fn parse_port(cx: &mut Compile<'_>, s: &Sp<String>) -> Option<(u16, Protocol)> {
    let text = cx.text(s);
    let (port, proto) = text.split_once('/').unwrap_or((&text, "tcp"));
    let proto = match proto {
        "tcp" => Some(Protocol::Tcp),
        "udp" => Some(Protocol::Udp),
        _ => None,
    };
    match (port.parse::<u16>(), proto) {
        (Ok(p), Some(proto)) => Some((p, proto)),
        _ => {
            cx.error(
                s,
                format!("port invalide « {text} »"),
                Some("écrivez PORT/PROTO, par ex. 22/tcp ou 53/udp".to_owned()),
            );
            None
        }
    }
}

enum Decision {
    Allowed(String),
    Denied(String),
    Unknown(String),
}

fn port_in(dports: &[String], port: u16) -> bool {
    dports.iter().any(|d| match d.split_once('-') {
        Some((a, b)) => {
            a.parse::<u16>().is_ok_and(|a| a <= port) && b.parse::<u16>().is_ok_and(|b| port <= b)
        }
        None => d.parse::<u16>() == Ok(port),
    })
}

fn applies(rule: &FirewallRule, port: u16, proto: Protocol) -> bool {
    let new_traffic = rule.ct_states.is_empty() || rule.ct_states.iter().any(|s| s == "new");
    let unrestricted = rule.sources.is_empty() && rule.in_interface.is_none();
    let proto_ok = rule.protocol.as_deref().is_none_or(|p| p == proto.as_str());
    let port_ok = rule.dports.is_empty() || port_in(&rule.dports, port);
    new_traffic
        && unrestricted
        && proto_ok
        && port_ok
        && (rule.protocol.is_some() || rule.dports.is_empty())
}

fn decide(chain: &FirewallChain, port: u16, proto: Protocol) -> Decision {
    for rule in &chain.rules {
        if !applies(rule, port, proto) {
            continue;
        }
        if !rule.complete {
            return Decision::Unknown(format!("règle non interprétée : {}", rule.raw));
        }
        match rule.action.as_str() {
            "accept" => return Decision::Allowed(rule.raw.clone()),
            "drop" | "reject" => return Decision::Denied(rule.raw.clone()),
            _ => {}
        }
    }
    match chain.policy.as_deref() {
        Some("drop") => Decision::Denied(format!("politique drop de {}", chain.name)),
        _ => Decision::Allowed(format!("politique accept de {}", chain.name)),
    }
}

impl Kind for FirewallExpect {
    const NAME: &'static str = "firewall";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["firewall"]);
    const DOC: &'static str = r#"# firewall

## What it checks
On the normalised view of every active backend (nftables, iptables, ufw...): whether a
firewall is active, the default policy of the input chains, and for each listed port whether
a new connection from anywhere is accepted or dropped (first matching rule, else the
policy; rules limited to some sources or interfaces do not decide). A rule the normaliser
did not fully understand makes the port not assessable rather than guessed.

## Why it matters
Opening exactly the ports a service needs, without disabling the firewall, is both a
requested change and a security rule; `ufw` or raw nftables are equally accepted.

## Passing example
```yaml
expect:
  firewall: {active: true, input_policy: drop, allow: ["22/tcp", "80/tcp"], deny: ["23/tcp"]}
```

## Failing example
The same when the input policy is `accept` and nothing drops 23/tcp.

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP7/C2`, `tssr-2023/CP5/C4`; as a penalty ("firewall
disabled") on any CP.
"#;
    type Compiled = FirewallMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<FirewallMatcher> {
        let allow: Vec<_> = self.allow.iter().map(|p| parse_port(cx, p)).collect();
        let deny: Vec<_> = self.deny.iter().map(|p| parse_port(cx, p)).collect();
        Some(FirewallMatcher {
            active: self.active,
            input_policy: self.input_policy,
            allow: allow.into_iter().collect::<Option<_>>()?,
            deny: deny.into_iter().collect::<Option<_>>()?,
        })
    }

    fn evaluate(m: &FirewallMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "firewall";
        let Some(fw) = host.section(S, "filter", &host.snapshot.sections.firewall, out) else {
            return Status::NotAssessable;
        };
        let mut status = Status::Pass;
        let active = fw.backends.iter().any(|b| b.active) || fw.profiles.iter().any(|p| p.enabled);
        if let Some(want) = m.active {
            let s = Status::from_bool(active == want);
            let backends: Vec<String> = fw
                .backends
                .iter()
                .map(|b| format!("{}: {}", b.kind, if b.active { "actif" } else { "inactif" }))
                .collect();
            out.push(host.evidence(
                S,
                "filter",
                "active",
                want.to_string(),
                if backends.is_empty() {
                    "aucun pare-feu".to_owned()
                } else {
                    backends.join(", ")
                },
                s,
            ));
            status = status.and(s);
        }
        let inputs: Vec<&FirewallChain> = fw
            .chains
            .iter()
            .filter(|c| c.hook.as_deref() == Some("input"))
            .collect();
        if let Some(want) = m.input_policy {
            let want_text = if want == Policy::Drop {
                "drop"
            } else {
                "accept"
            };
            let policies: Vec<String> = inputs
                .iter()
                .map(|c| {
                    format!(
                        "{} {}: {}",
                        c.table,
                        c.name,
                        c.policy.as_deref().unwrap_or("accept")
                    )
                })
                .collect();
            let holds = !inputs.is_empty()
                && inputs
                    .iter()
                    .all(|c| c.policy.as_deref().unwrap_or("accept") == want_text);
            let holds = holds || (inputs.is_empty() && want == Policy::Accept);
            let s = Status::from_bool(holds);
            out.push(host.evidence(
                S,
                "input",
                "policy",
                want_text,
                if policies.is_empty() {
                    "aucune chaîne input".to_owned()
                } else {
                    policies.join(", ")
                },
                s,
            ));
            status = status.and(s);
        }
        for (list, want_allowed) in [(&m.allow, true), (&m.deny, false)] {
            for (port, proto) in list {
                let id = format!("{port}/{}", proto.as_str());
                let mut decision =
                    Decision::Allowed("aucune chaîne input (pas de filtrage)".to_owned());
                for chain in &inputs {
                    match decide(chain, *port, *proto) {
                        Decision::Allowed(why) => {
                            if let Decision::Allowed(_) = decision {
                                decision = Decision::Allowed(why);
                            }
                        }
                        other => {
                            decision = other;
                            break;
                        }
                    }
                }
                let (s, actual) = match decision {
                    Decision::Allowed(why) => {
                        (Status::from_bool(want_allowed), format!("autorisé ({why})"))
                    }
                    Decision::Denied(why) => {
                        (Status::from_bool(!want_allowed), format!("bloqué ({why})"))
                    }
                    Decision::Unknown(why) => (Status::NotAssessable, why),
                };
                out.push(host.evidence(
                    S,
                    &id,
                    "input",
                    if want_allowed { "autorisé" } else { "bloqué" },
                    actual,
                    s,
                ));
                status = status.and(s);
            }
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};

    #[test]
    fn passes_on_the_lab_filter() {
        insta::assert_snapshot!(kind_case(
            r#"firewall: {active: true, input_policy: drop, allow: ["22/tcp", "80", "443/tcp"], deny: ["23/tcp", "445/tcp", "53/udp"]}"#,
            &lab()
        ));
    }

    #[test]
    fn fails_on_the_real_host_without_rules() {
        insta::assert_snapshot!(kind_case(
            r#"firewall: {active: true, input_policy: drop, deny: ["23/tcp"]}"#,
            &fixture()
        ));
    }

    #[test]
    fn is_not_assessable_when_nft_failed() {
        insta::assert_snapshot!(kind_case(
            "firewall: {active: true}",
            &without(lab(), "firewall")
        ));
    }
}
