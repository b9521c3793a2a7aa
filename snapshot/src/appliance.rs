//! A firewall appliance (pfSense, OPNsense) as read from its `config.xml`: interfaces, VLANs,
//! aliases, filter rules in order and VPN tunnels.
//!
//! Values are kept as the appliance writes them (logical interface keys `wan`/`lan`/`optN`,
//! alias names, `lanip`-style networks); the checker resolves aliases and interface names.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One appliance configuration.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appliance {
    /// `pfsense` or `opnsense` (the root element of `config.xml`).
    pub product: String,
    /// Configuration format version (`<version>`), when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Interfaces, in file order.
    #[serde(default)]
    pub interfaces: Vec<ApplianceInterface>,
    /// VLAN devices, in file order.
    #[serde(default)]
    pub vlans: Vec<ApplianceVlan>,
    /// Aliases (named hosts, networks, ports), in file order.
    #[serde(default)]
    pub aliases: Vec<ApplianceAlias>,
    /// Filter rules, in evaluation order (file order).
    #[serde(default)]
    pub rules: Vec<ApplianceRule>,
    /// VPN tunnels (OpenVPN servers and clients, IPsec phase 1 with their phase 2 networks,
    /// WireGuard).
    #[serde(default)]
    pub vpn_tunnels: Vec<VpnTunnel>,
    /// Parts of the file that exist but could not be read (what, and why), e.g. OPNsense
    /// 23.x+ MVC OpenVPN instances not yet understood. Never silently dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
}

/// An assigned interface.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplianceInterface {
    /// Logical key (`wan`, `lan`, `opt1`…).
    pub key: String,
    /// Device (`<if>`: `em0`, `vmx1.1100`, `vlan01`).
    pub device: String,
    /// Description (`<descr>`), when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Enabled (`<enable/>` on pfSense, `<enable>1</enable>` on OPNsense).
    pub enabled: bool,
    /// IPv4 address with prefix (`192.168.1.1/24`), or `dhcp`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4: Option<String>,
    /// IPv6 address with prefix, or a mode (`dhcp6`, `track6`), when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<String>,
}

/// A VLAN device.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplianceVlan {
    /// Parent device (`vmx1`).
    pub parent: String,
    /// 802.1Q tag.
    pub tag: u16,
    /// VLAN device name (`vmx1.1100`, `vlan01`).
    pub device: String,
    /// Description, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Logical interface the device is assigned to (`opt3`), when assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface: Option<String>,
}

/// A named alias.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplianceAlias {
    /// Name as rules use it.
    pub name: String,
    /// Type (`host`, `network`, `port`, `url`…).
    pub alias_type: String,
    /// Members (space-separated `<address>` on pfSense, newline-separated `<content>` on
    /// OPNsense).
    #[serde(default)]
    pub values: Vec<String>,
}

/// A filter rule.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplianceRule {
    /// 1-based position among the `<filter><rule>` elements.
    pub position: usize,
    /// Logical interface(s) the rule is on (`wan`; floating rules may list several,
    /// comma-separated in the file).
    #[serde(default)]
    pub interfaces: Vec<String>,
    /// `pass`, `block` or `reject`.
    pub action: String,
    /// False when `<disabled>` is set.
    pub enabled: bool,
    /// Floating rule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub floating: bool,
    /// `in`, `out` or `any`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// `inet`, `inet6` or `inet46`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_protocol: Option<String>,
    /// `tcp`, `udp`, `tcp/udp`, `icmp`…; absent means any protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Source.
    pub source: RuleEndpoint,
    /// Destination.
    pub destination: RuleEndpoint,
    /// Schedule name (`<sched>`): the rule applies only during it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// Logged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub log: bool,
    /// Description, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Source or destination of a rule.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleEndpoint {
    /// `any`, an address or alias (`192.168.1.165`, `srv_admin`, `10.0.0.0/8`), or a network
    /// keyword of the appliance (`lan`, `lanip`, `(self)`, `wanip`).
    pub target: String,
    /// True when `target` is a network keyword (`<network>` in the file).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub network: bool,
    /// Negated (`<not/>`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not: bool,
    /// Port, range (`8000-8080`) or port alias, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
}

/// A VPN tunnel.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VpnTunnel {
    /// `openvpn`, `ipsec` or `wireguard`.
    pub vpn_type: String,
    /// `server`, `client` (OpenVPN), `site_to_site` (IPsec).
    pub role: String,
    /// Identifier in the file (`vpnid`, `ikeid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Description, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// False when `<disable>`/`<disabled>` is set.
    pub enabled: bool,
    /// Mode (`server_tls_user`, `p2p_tls`, `ikev2`…), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Logical interface it listens on or leaves from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interface: Option<String>,
    /// Transport protocol and port (`UDP4/1194`), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Remote peer (IPsec remote gateway, OpenVPN client's server address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_gateway: Option<String>,
    /// Tunnel network (OpenVPN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tunnel_network: Option<String>,
    /// Local networks reached through the tunnel (`lan`, `192.168.1.0/24`).
    #[serde(default)]
    pub local_networks: Vec<String>,
    /// Remote networks reached through the tunnel.
    #[serde(default)]
    pub remote_networks: Vec<String>,
}
