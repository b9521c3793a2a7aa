//! Firewall: raw rule sets per backend plus one normalised view.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Firewall state of a host.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Firewall {
    /// Each backend found, with its raw output.
    #[serde(default)]
    pub backends: Vec<FirewallBackend>,
    /// Normalised chains from every active backend, for checks that do not care which
    /// tool the candidate used.
    #[serde(default)]
    pub chains: Vec<FirewallChain>,
    /// Windows firewall profiles (Domain, Private, Public).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<FirewallProfile>,
    /// Backends whose rules are not in `chains`, with the reason (e.g. `nftables` on an
    /// offline root: its text configuration is kept raw, not normalised).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_collected: BTreeMap<String, String>,
    /// Live nftables ruleset vs what `/etc/nftables.conf` would load (live hosts with nft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nftables_file: Option<NftablesFile>,
}

/// What `/etc/nftables.conf` (with its includes) would load, compared rule by rule with the
/// live ruleset. The file is loaded by `nft -f` in a throw-away network namespace the agent
/// creates (`unshare --net`), whose ruleset is listed then vanishes with it: the host's own
/// ruleset is never touched.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NftablesFile {
    /// The file (`/etc/nftables.conf`).
    pub path: String,
    /// Whether the file exists.
    pub present: bool,
    /// Its modification time (RFC 3339 UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<String>,
    /// Why the file's ruleset could not be obtained (syntax error, unknown interface, no
    /// privilege to create a namespace); then the lists below are empty and mean nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Live only: `inet filter input: tcp dport 22 accept` (rules, chain policies and set
    /// contents in nft's words, counters and handles left out), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub live_only: Vec<String>,
    /// In the file only, same form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_only: Vec<String>,
    /// Chains holding the same rules in another order (`inet filter input`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reordered: Vec<String>,
}

/// One firewall tool and what it reported.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirewallBackend {
    /// `nftables`, `iptables`, `ip6tables`, `ufw`, `firewalld`, `windows`.
    pub kind: String,
    /// Whether it is active (has rules loaded / reports itself enabled).
    pub active: bool,
    /// Whether it is enabled at boot (service enabled), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_at_boot: Option<bool>,
    /// Raw text output (`iptables-save`, `ufw status verbose`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_text: Option<String>,
    /// Raw JSON output (`nft -j list ruleset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_json: Option<serde_json::Value>,
    /// Problem while reading this backend (the others are still reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A chain in normalised form.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirewallChain {
    /// Backend it comes from.
    pub backend: String,
    /// Address family (`ip`, `ip6`, `inet`).
    pub family: String,
    /// Table name (`filter`, `nat`); the family is in `family`.
    pub table: String,
    /// Chain name.
    pub name: String,
    /// Hook for base chains: `input`, `forward`, `output`, `prerouting`, `postrouting`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hook: Option<String>,
    /// Default policy of a base chain: `accept` or `drop`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Rules in order.
    #[serde(default)]
    pub rules: Vec<FirewallRule>,
}

/// A rule in normalised form. Fields left empty mean "any".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirewallRule {
    /// `accept`, `drop`, `reject`, `jump:<chain>`, `goto:<chain>`, `return`, `log` (log
    /// only, the packet goes on), `masquerade`, `snat`, `dnat`, `redirect`, `other`.
    pub action: String,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, or empty for any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Destination ports or ranges (`22`, `8000-8080`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dports: Vec<String>,
    /// Source addresses or networks; a leading `!` means "not" (`!10.0.0.1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Destination addresses or networks; a leading `!` means "not".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<String>,
    /// Input interface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_interface: Option<String>,
    /// Connection states matched (`established`, `related`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ct_states: Vec<String>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Whether the normaliser understood every match of the rule; when false, a check
    /// must not conclude from it.
    #[serde(default = "yes")]
    pub complete: bool,
    /// The rule as the tool prints it.
    pub raw: String,
    /// nftables rule handle (`nft -a list ruleset` shows it), to find the rule on the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<u64>,
    /// The rule in nft's words (`tcp dport 9101-9103 ip saddr 192.168.1.0/24 accept`), for
    /// evidence a jury can read; absent in snapshots from older agents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

fn yes() -> bool {
    true
}

/// A Windows firewall profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirewallProfile {
    /// `Domain`, `Private`, `Public`.
    pub name: String,
    /// Whether the profile is on.
    pub enabled: bool,
    /// Default inbound action (`Block`, `Allow`, `NotConfigured`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_inbound: Option<String>,
    /// Default outbound action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_outbound: Option<String>,
}
