//! File shares: Samba and NFS on Linux, SMB on Windows.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A shared directory.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Share {
    /// Share name (SMB) or export path (NFS).
    pub name: String,
    /// `smb` or `nfs`.
    pub protocol: String,
    /// Local path shared.
    pub path: String,
    /// Comment / description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Read-only for everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// Users or `@groups` allowed (Samba `valid users`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub valid_users: Vec<String>,
    /// Users or groups with write access (Samba `write list`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_list: Vec<String>,
    /// Guests allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_ok: Option<bool>,
    /// NFS clients and their options (`192.168.10.0/24(rw,sync)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<String>,
    /// Share-level access entries (Windows share ACL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access: Vec<AccessEntry>,
    /// NTFS access entries of the shared path (Windows `Get-Acl`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ntfs: Vec<AccessEntry>,
    /// Every other option as written (Samba keys lower-cased).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// An access-control entry (share or file system).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessEntry {
    /// Principal (`TSSR\GG_Compta`, `BUILTIN\Users`, `Everyone`).
    pub principal: String,
    /// `allow` or `deny`.
    pub kind: String,
    /// Rights as named by the system (`Full`, `Change`, `Read`, `Modify`, `ReadAndExecute`).
    pub rights: Vec<String>,
    /// Inherited from a parent (NTFS).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
}
