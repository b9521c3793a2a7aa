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
    /// File systems on block devices (`blkid -o export`, else /dev/disk/by-uuid and
    /// by-label): what an fstab `UUID=` or `LABEL=` designates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub block_devices: Vec<BlockDevice>,
    /// Parts the collector could not look at, by field name (`mounts`, `fstab`,
    /// `logical_volumes`, `raid`, `block_devices`), with the reason: an empty list for such a part means
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
    /// Device number `major:minor` (/proc/self/mountinfo), which ties the mount to a
    /// logical volume whatever path the source shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev: Option<String>,
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
    /// Device path (`/dev/vg0/data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Device-mapper path (`/dev/mapper/vg0-data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dm_path: Option<String>,
    /// Kernel device number `major:minor` while active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev: Option<String>,
}

/// A file system on a block device, as blkid (or /dev/disk/by-*) sees it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockDevice {
    /// Device path (`/dev/mapper/vg0-data`, `/dev/sdb1`).
    pub device: String,
    /// File system type (`ext4`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fstype: Option<String>,
    /// File system UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// File system label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A software RAID array.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaidArray {
    /// Device (`md0`).
    pub device: String,
    /// Level (`raid1`).
    pub level: String,
    /// State: `clean`, `degraded` (a member missing), `recovering`, `resyncing`,
    /// `reshaping`, `checking`, `inactive` (older snapshots: `active`).
    pub state: String,
    /// Member devices.
    pub members: Vec<String>,
    /// Each member with its slot and state (`active`, `faulty`, `spare`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_states: Vec<RaidMember>,
    /// Devices the array is made of (`[2/1]`: 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raid_devices: Option<u32>,
    /// Devices working (`[2/1]`: 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_devices: Option<u32>,
    /// Running synchronisation and its progress (`recovery 8.5%`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<String>,
}

/// A member of a software RAID array.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaidMember {
    /// Device (`sdb1`).
    pub device: String,
    /// Slot number in the array (`sdb1[1]`: 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<u32>,
    /// `active`, `faulty` or `spare`.
    pub state: String,
}
