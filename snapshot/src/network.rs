//! Network configuration: interfaces, routes, resolvers, hosts file.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The host's network state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Interfaces.
    #[serde(default)]
    pub interfaces: Vec<Interface>,
    /// Routes of the main table.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// Default gateways (from the routes).
    #[serde(default)]
    pub default_gateways: Vec<String>,
    /// DNS resolver configuration.
    #[serde(default)]
    pub dns: DnsConfig,
    /// Static host entries (/etc/hosts, Windows hosts file).
    #[serde(default)]
    pub hosts: Vec<HostsEntry>,
    /// Where the configuration comes from (`ifupdown`, `netplan`, `NetworkManager`,
    /// `systemd-networkd`), with the files found.
    #[serde(default)]
    pub config_sources: Vec<ConfigSource>,
    /// Parts the collector could not look at, by field name (`interfaces`, `routes`, `dns`,
    /// `hosts`), with the reason: an empty list for such a part means "unknown", not "none".
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_collected: BTreeMap<String, String>,
}

/// A network interface.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interface {
    /// Name (`eth0`, `ens18`, `Ethernet0`).
    pub name: String,
    /// MAC address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// Operational state (`up`, `down`, `unknown`).
    pub state: String,
    /// MTU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtu: Option<u32>,
    /// Kind (`ether`, `loopback`, `vlan`, `bridge`, `veth`, `wireguard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// VLAN id and parent, for a VLAN sub-interface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<Vlan>,
    /// Addresses in CIDR form.
    #[serde(default)]
    pub addresses: Vec<InterfaceAddress>,
    /// Address obtained by DHCP (Windows DhcpEnabled; Linux: dynamic flag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhcp: Option<bool>,
}

/// A VLAN tag on a parent interface.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vlan {
    /// VLAN id.
    pub id: u16,
    /// Parent interface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// An address on an interface.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterfaceAddress {
    /// `ipv4` or `ipv6`.
    pub family: String,
    /// Address without prefix.
    pub address: String,
    /// Prefix length.
    pub prefix_len: u8,
    /// Scope (`global`, `link`, `host`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// A route.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// `ipv4` or `ipv6`.
    pub family: String,
    /// Destination in CIDR form, `default` for the default route.
    pub destination: String,
    /// Next hop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    /// Output interface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface: Option<String>,
    /// Metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<u32>,
}

/// Resolver configuration.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsConfig {
    /// Name servers in order.
    #[serde(default)]
    pub nameservers: Vec<String>,
    /// Search domains.
    #[serde(default)]
    pub search: Vec<String>,
    /// Where they were read (`/etc/resolv.conf`, `systemd-resolved`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One hosts-file line.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostsEntry {
    /// Address.
    pub address: String,
    /// Names, canonical first.
    pub names: Vec<String>,
}

/// A network configuration system and its files.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigSource {
    /// `ifupdown`, `netplan`, `NetworkManager`, `systemd-networkd`.
    pub kind: String,
    /// Configuration files found.
    #[serde(default)]
    pub files: Vec<String>,
}
