//! A hypervisor (Proxmox VE) as evidence: its guests with resources, state and networks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a hypervisor hosts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hypervisor {
    /// `proxmox`.
    pub product: String,
    /// Guests (VMs and containers), sorted by id.
    #[serde(default)]
    pub guests: Vec<Guest>,
    /// Parts the API did not give, each with why (`qemu/101 on pve: HTTP 403 …`): the guests
    /// concerned keep `config_read: false`, never an empty config.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
}

/// A virtual machine or container.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guest {
    /// Numeric id (`vmid`).
    pub id: u32,
    /// Name (`name`, or a container's `hostname`).
    pub name: String,
    /// `qemu` (VM) or `lxc` (container).
    pub guest_type: String,
    /// Node it runs on.
    pub node: String,
    /// `running`, `stopped`…, or empty when the API did not say.
    pub status: String,
    /// A template, not a guest that runs.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub template: bool,
    /// vCPUs (`maxcpu`, else `sockets` × `cores` of the config), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<u32>,
    /// Memory in MiB (`maxmem`, else the config's `memory`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mib: Option<u64>,
    /// Network interfaces from the guest's config (`net0`…), empty when the config was not
    /// read (see `config_read`).
    #[serde(default)]
    pub networks: Vec<GuestNetwork>,
    /// Whether the guest's config was read (networks, cores, memory).
    pub config_read: bool,
}

/// A guest network interface.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestNetwork {
    /// Key in the config (`net0`).
    pub key: String,
    /// Bridge (`vmbr0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bridge: Option<String>,
    /// 802.1Q tag (`tag=`), when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan_tag: Option<u16>,
    /// Proxmox firewall enabled on the interface (`firewall=1`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub firewall: bool,
}
