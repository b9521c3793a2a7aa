//! Storage: mounted file systems, LVM and software RAID.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Storage state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// Mounted file systems (pseudo file systems left out).
    #[serde(default)]
    pub mounts: Vec<Mount>,
    /// Entries of /etc/fstab.
    #[serde(default)]
    pub fstab: Vec<FstabEntry>,
    /// LVM logical volumes (`lvs`), when LVM tools are present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logical_volumes: Vec<LogicalVolume>,
    /// Software RAID arrays (/proc/mdstat).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub raid: Vec<RaidArray>,
    /// Parts the collector could not look at, by field name (`mounts`, `fstab`,
    /// `logical_volumes`, `raid`), with the reason: an empty list for such a part means
    /// "unknown", not "none".
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_collected: BTreeMap<String, String>,
}

/// A mounted file system.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mount {
    /// Device or source.
    pub source: String,
    /// Mount point.
    pub target: String,
    /// File system type.
    pub fstype: String,
    /// Mount options.
    pub options: String,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// Available bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_bytes: Option<u64>,
    /// Used percentage (0-100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_percent: Option<u8>,
}

/// An /etc/fstab line.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FstabEntry {
    /// Device, `UUID=...` or `LABEL=...`.
    pub source: String,
    /// Mount point.
    pub target: String,
    /// File system type.
    pub fstype: String,
    /// Options.
    pub options: String,
}

/// An LVM logical volume.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogicalVolume {
    /// Volume group.
    pub vg: String,
    /// Logical volume.
    pub lv: String,
    /// Size in bytes.
    pub size_bytes: u64,
}

/// A software RAID array.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaidArray {
    /// Device (`md0`).
    pub device: String,
    /// Level (`raid1`).
    pub level: String,
    /// State (`active`, `degraded`).
    pub state: String,
    /// Member devices.
    pub members: Vec<String>,
}
