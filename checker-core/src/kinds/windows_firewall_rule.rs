//! Check kind `windows_firewall_rule`: an enabled Windows firewall rule with its filters.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{listed, same};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::firewall::{FirewallChain, FirewallRule};
use schemars::JsonSchema;
use serde::Deserialize;

/// `windows_firewall_rule: {display_name: .., direction: inbound, action: allow, protocol: TCP,
/// local_port: "3389"}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowsFirewallRuleExpect {
    /// Display name (`DisplayName`) or rule name (`Name`), case-insensitive.
    pub display_name: Sp<String>,
    /// Whether the rule must be enabled (default true); `false` passes when no enabled rule
    /// has that name.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Direction (default inbound).
    #[serde(default)]
    pub direction: Direction,
    /// Action.
    #[serde(default)]
    pub action: Option<RuleAction>,
    /// Protocol (`TCP`, `UDP`, `ICMPv4`), case-insensitive.
    #[serde(default)]
    pub protocol: Option<Sp<String>>,
    /// A local port the rule must cover (`3389`).
    #[serde(default)]
    pub local_port: Option<Sp<String>>,
    /// A remote address or network the rule must list (`192.168.10.0/24`).
    #[serde(default)]
    pub remote_address: Option<Sp<String>>,
}

fn yes() -> bool {
    true
}

/// Traffic direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Incoming traffic.
    #[default]
    Inbound,
    /// Outgoing traffic.
    Outbound,
}

/// Rule action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    /// Allow the traffic.
    Allow,
    /// Block the traffic.
    Block,
}

/// Compiled `windows_firewall_rule` expectation.
#[derive(Debug, Clone)]
pub struct WindowsFirewallRuleMatcher {
    name: String,
    enabled: bool,
    direction: Direction,
    action: Option<RuleAction>,
    protocol: Option<String>,
    local_port: Option<String>,
    remote_address: Option<String>,
}

/// The display name the probe keeps in the comment (`Name [profiles: Domain]`).
fn display_name(rule: &FirewallRule) -> &str {
    let comment = rule.comment.as_deref().unwrap_or_default();
    comment
        .rsplit_once(" [profiles: ")
        .map_or(comment, |(name, _)| name)
}

/// Whether a port list (`3389`, `5000-5010`) covers `port`.
fn covers(ports: &[String], port: &str) -> bool {
    let wanted: Option<u32> = port.trim().parse().ok();
    ports.iter().any(|p| {
        let p = p.trim();
        p == port.trim()
            || match (p.split_once('-'), wanted) {
                (Some((lo, hi)), Some(w)) => {
                    lo.trim().parse::<u32>().is_ok_and(|lo| lo <= w)
                        && hi.trim().parse::<u32>().is_ok_and(|hi| w <= hi)
                }
                _ => false,
            }
    })
}

/// Compares the filters of one rule; evidence lines go to `out`.
fn compare(
    m: &WindowsFirewallRuleMatcher,
    host: &HostView<'_>,
    chain: &FirewallChain,
    rule: &FirewallRule,
    out: &mut Vec<Evidence>,
) -> Status {
    const S: &str = "firewall";
    let path = format!("{}/{}", chain.name, rule.raw);
    let mut status = Status::Pass;
    let mut line = |name: &'static str, expected: String, actual: String, s: Status| {
        out.push(host.evidence(S, &path, name, expected, actual, s));
        status = status.and(s);
    };
    let direction = format!("{:?}", m.direction).to_lowercase();
    line(
        "direction",
        direction.clone(),
        chain.name.clone(),
        Status::from_bool(same(&chain.name, &direction)),
    );
    if let Some(action) = m.action {
        let want = match action {
            RuleAction::Allow => "accept",
            RuleAction::Block => "drop",
        };
        line(
            "action",
            format!("{action:?}").to_lowercase(),
            match rule.action.as_str() {
                "accept" => "allow".to_owned(),
                "drop" => "block".to_owned(),
                other => other.to_owned(),
            },
            Status::from_bool(rule.action == want),
        );
    }
    // Filters the probe could not read are unknown, never "any".
    let unknown = |empty: bool| empty && !rule.complete;
    if let Some(protocol) = &m.protocol {
        let (s, actual) = match &rule.protocol {
            Some(p) => (Status::from_bool(same(p, protocol)), p.clone()),
            None if unknown(true) => (Status::NotAssessable, "not collected".to_owned()),
            None => (Status::Fail, "Any".to_owned()),
        };
        line("protocol", protocol.clone(), actual, s);
    }
    if let Some(port) = &m.local_port {
        let (s, actual) = if unknown(rule.dports.is_empty()) {
            (Status::NotAssessable, "not collected".to_owned())
        } else if rule.dports.is_empty() {
            (Status::Fail, "Any".to_owned())
        } else {
            (
                Status::from_bool(covers(&rule.dports, port)),
                rule.dports.join(", "),
            )
        };
        line("local_port", port.clone(), actual, s);
    }
    if let Some(remote) = &m.remote_address {
        let (s, actual) = if unknown(rule.sources.is_empty()) {
            (Status::NotAssessable, "not collected".to_owned())
        } else if rule.sources.is_empty() {
            (Status::Fail, "Any".to_owned())
        } else {
            (
                Status::from_bool(rule.sources.iter().any(|a| same(a, remote))),
                rule.sources.join(", "),
            )
        };
        line("remote_address", remote.clone(), actual, s);
    }
    status
}

impl Kind for WindowsFirewallRuleExpect {
    const NAME: &'static str = "windows_firewall_rule";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["firewall"]);
    const DOC: &'static str = r#"# windows_firewall_rule

## What it checks
An enabled Windows firewall rule (`Get-NetFirewallRule` with its port and address filters)
whose display name (or rule name) is `display_name`, case-insensitive, with the expected
direction (default `inbound`), action (`allow`, `block`), protocol, a local port it covers
(`3389`, also inside a range `3000-4000`) and a remote address it lists. When several rules
share the name (TCP and UDP), the one that matches counts. The probe exports enabled rules
only: `enabled: false` passes when no enabled rule has that name. A filter the probe could not
read is not assessable, never taken as "any".

## Why it matters
« Configurer, tester et dépanner un service de filtrage IP (pare-feu) » (CP7): opening
exactly the service needed (RDP from the admin network only) rather than switching the firewall
off is what the jury looks for.

## Passing example
```yaml
expect:
  windows_firewall_rule: {display_name: "Bureau à distance - Mode utilisateur (TCP-Entrée)",
                          action: allow, protocol: TCP, local_port: "3389"}
```

## Failing example
The same when the rule allows every port: `local_port` fails (expected 3389, actual Any).

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP2/C2`.
"#;
    const DOC_FR: &'static str = r#"# windows_firewall_rule

## Ce qui est vérifié
Une règle activée du pare-feu Windows (`Get-NetFirewallRule` avec ses filtres de ports et
d'adresses) dont le nom d'affichage (ou le nom de règle) est `display_name`, sans tenir compte
de la casse, avec le sens (`inbound` par défaut), l'action (`allow`, `block`) et le protocole
attendus, un port local qu'elle couvre (`3389`, aussi à l'intérieur d'une plage `3000-4000`) et
une adresse distante qu'elle liste. Quand plusieurs règles portent le même nom (TCP et UDP),
celle qui correspond compte. La sonde n'exporte que les règles activées : `enabled: false`
réussit quand aucune règle activée ne porte ce nom. Un filtre que la sonde n'a pas pu lire est
non évaluable, jamais pris pour « tout ».

## Pourquoi c'est important
« Configurer, tester et dépanner un service de filtrage IP (pare-feu) » (CP7) : ouvrir
exactement le service nécessaire (RDP depuis le réseau d'administration seulement) plutôt que
désactiver le pare-feu, c'est ce que le jury recherche.

## Exemple conforme
```yaml
expect:
  windows_firewall_rule: {display_name: "Bureau à distance - Mode utilisateur (TCP-Entrée)",
                          action: allow, protocol: TCP, local_port: "3389"}
```

## Exemple non conforme
La même attente quand la règle autorise tous les ports : `local_port` échoue (attendu 3389,
observé Any).

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP2/C2`.
"#;
    type Compiled = WindowsFirewallRuleMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<WindowsFirewallRuleMatcher> {
        Some(WindowsFirewallRuleMatcher {
            name: cx.text(&self.display_name),
            enabled: self.enabled,
            direction: self.direction,
            action: self.action,
            protocol: cx.opt_text(&self.protocol),
            local_port: cx.opt_text(&self.local_port),
            remote_address: cx.opt_text(&self.remote_address),
        })
    }

    fn evaluate(
        m: &WindowsFirewallRuleMatcher,
        host: &HostView<'_>,
        out: &mut Vec<Evidence>,
    ) -> Status {
        const S: &str = "firewall";
        let Some(fw) = host.section(S, &m.name, &host.snapshot.sections.firewall, out) else {
            return Status::NotAssessable;
        };
        let chains: Vec<&FirewallChain> = fw
            .chains
            .iter()
            .filter(|c| c.backend == "windows")
            .collect();
        if chains.is_empty() {
            out.push(host.evidence(
                S,
                &m.name,
                "rules",
                "Windows firewall rules",
                "no \"windows\" chain in the snapshot",
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        }
        let found: Vec<(&FirewallChain, &FirewallRule)> = chains
            .iter()
            .flat_map(|c| c.rules.iter().map(move |r| (*c, r)))
            .filter(|(_, r)| same(display_name(r), &m.name) || same(&r.raw, &m.name))
            .collect();
        if !m.enabled || found.is_empty() {
            let holds = found.is_empty() != m.enabled;
            let s = Status::from_bool(holds);
            let paths: Vec<String> = found
                .iter()
                .map(|(c, r)| format!("{}/{}", c.name, r.raw))
                .collect();
            out.push(host.evidence(
                S,
                &m.name,
                "enabled",
                if m.enabled {
                    "enabled rule"
                } else {
                    "no enabled rule"
                },
                if found.is_empty() {
                    "no enabled rule of this name".to_owned()
                } else {
                    format!("enabled rule(s): {}", listed(&paths))
                },
                s,
            ));
            return s;
        }
        let mut best: Option<(Status, Vec<Evidence>)> = None;
        for (chain, rule) in found {
            let mut lines = Vec::new();
            let s = compare(m, host, chain, rule, &mut lines);
            let better = best.as_ref().is_none_or(|(b, _)| {
                matches!(
                    (s, *b),
                    (Status::Pass, Status::Fail | Status::NotAssessable)
                        | (Status::NotAssessable, Status::Fail)
                )
            });
            if better {
                best = Some((s, lines));
            }
        }
        let (status, lines) = best.unwrap_or((Status::Fail, Vec::new()));
        out.extend(lines);
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, lab, windows_lab, windows_probe};

    /// The OpenSSH rules come from a recorded Get-NetFirewallRule (filters not exported).
    #[test]
    fn passes_on_a_recorded_rule_and_the_lab_rdp_rule() {
        insta::assert_snapshot!(format!(
            "{}\n{}",
            kind_case_as(
                "dc",
                "windows_firewall_rule: {display_name: openssh-server-in-tcp, action: allow}",
                &windows_probe()
            ),
            kind_case_as(
                "dc",
                "windows_firewall_rule: {display_name: 'Bureau à distance - Mode utilisateur (TCP-Entrée)', action: allow, protocol: TCP, local_port: '3389', remote_address: 192.168.10.0/24}",
                &windows_lab()
            )
        ));
    }

    #[test]
    fn fails_on_direction_port_or_a_missing_rule() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{windows_firewall_rule: {display_name: RemoteDesktop-UserMode-In-TCP, direction: outbound, local_port: '3390'}}, {windows_firewall_rule: {display_name: Partage de fichiers (SMB-Entrée)}}, {windows_firewall_rule: {display_name: sshd, enabled: false}}]",
            &windows_lab()
        ));
    }

    #[test]
    fn is_not_assessable_on_unread_filters_or_linux() {
        insta::assert_snapshot!(format!(
            "{}\n{}",
            kind_case_as(
                "dc",
                "windows_firewall_rule: {display_name: sshd, protocol: TCP, local_port: '22'}",
                &windows_probe()
            ),
            kind_case_as("dc", "windows_firewall_rule: {display_name: sshd}", &lab())
        ));
    }
}
