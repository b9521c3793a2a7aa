//! Windows Defender Firewall: profiles and enabled rules with their port and address
//! filters, normalised into inbound/outbound chains.

use crate::probe::value::{boolean, enum_name, list, strings, text};
use constat_snapshot::firewall::{
    Firewall, FirewallBackend, FirewallChain, FirewallProfile, FirewallRule,
};
use serde_json::Value;

const ACTION: &[(i64, &str)] = &[(0, "NotConfigured"), (2, "Allow"), (4, "Block")];
const DIRECTION: &[(i64, &str)] = &[(1, "Inbound"), (2, "Outbound")];
const PROFILE: &[(i64, &str)] = &[
    (0, "Any"),
    (1, "Domain"),
    (2, "Private"),
    (3, "Domain, Private"),
    (4, "Public"),
    (5, "Domain, Public"),
    (6, "Private, Public"),
    (7, "Domain, Private, Public"),
];

fn any_filtered(values: Vec<String>) -> Vec<String> {
    values
        .into_iter()
        .filter(|v| !v.eq_ignore_ascii_case("Any"))
        .collect()
}

/// `{profiles: [...], rules: [...]}`.
pub fn normalise_firewall(data: &Value) -> Result<Firewall, String> {
    let profiles: Vec<FirewallProfile> = list(data, "profiles")
        .iter()
        .map(|p| {
            Ok(FirewallProfile {
                name: text(p, "Name")
                    .or_else(|| text(p, "Profile"))
                    .ok_or("a firewall profile has no name")?,
                enabled: boolean(p, "Enabled").unwrap_or(false),
                default_inbound: enum_name(p, "DefaultInboundAction", ACTION),
                default_outbound: enum_name(p, "DefaultOutboundAction", ACTION),
            })
        })
        .collect::<Result<_, String>>()?;
    let mut inbound = Vec::new();
    let mut outbound = Vec::new();
    for rule in list(data, "rules") {
        if boolean(&rule, "Enabled") == Some(false) {
            continue;
        }
        let action = match enum_name(&rule, "Action", ACTION).as_deref() {
            Some("Allow") => "accept",
            Some("Block") => "drop",
            _ => "other",
        };
        let has_filters = rule.get("LocalPort").is_some() || rule.get("RemoteAddress").is_some();
        let protocol = text(&rule, "Protocol")
            .filter(|p| !p.eq_ignore_ascii_case("Any"))
            .map(|p| p.to_ascii_lowercase());
        let profile = enum_name(&rule, "Profile", PROFILE).unwrap_or_else(|| "Any".to_owned());
        let name = text(&rule, "Name").unwrap_or_default();
        let normalised = FirewallRule {
            action: action.to_owned(),
            protocol,
            dports: any_filtered(strings(&rule, "LocalPort")),
            sources: any_filtered(strings(&rule, "RemoteAddress")),
            destinations: any_filtered(strings(&rule, "LocalAddress")),
            comment: text(&rule, "DisplayName").map(|d| format!("{d} [profiles: {profile}]")),
            // Without the port/address filters the rule's scope is unknown.
            complete: has_filters,
            raw: name,
            ..FirewallRule::default()
        };
        match enum_name(&rule, "Direction", DIRECTION).as_deref() {
            Some("Outbound") => outbound.push(normalised),
            _ => inbound.push(normalised),
        }
    }
    let chain = |name: &str, hook: &str, rules: Vec<FirewallRule>| FirewallChain {
        backend: "windows".to_owned(),
        family: "inet".to_owned(),
        table: "windows-firewall".to_owned(),
        name: name.to_owned(),
        hook: Some(hook.to_owned()),
        policy: None,
        rules,
    };
    Ok(Firewall {
        backends: vec![FirewallBackend {
            kind: "windows".to_owned(),
            active: profiles.iter().any(|p| p.enabled),
            ..FirewallBackend::default()
        }],
        chains: vec![
            chain("inbound", "input", inbound),
            chain("outbound", "output", outbound),
        ],
        profiles,
        ..Firewall::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// Recorded real `Get-NetFirewallProfile` / `Get-NetFirewallRule | ConvertTo-Json`
    /// (SOURCES.md §3.3, mondoohq/cnquery testdata): integer enums, no port filters, so the
    /// rules are marked incomplete.
    #[test]
    fn recorded_profiles_and_rules() {
        let parse =
            |name: &str| -> Value { serde_json::from_str(&sample(name)).unwrap_or_default() };
        let data = serde_json::json!({
            "profiles": parse("mondoohq_cnquery__windows_testdata__firewall-profiles.json"),
            "rules": parse("mondoohq_cnquery__windows_testdata__firewall-rules.json"),
        });
        insta::assert_yaml_snapshot!(normalise_firewall(&data));
    }
}
