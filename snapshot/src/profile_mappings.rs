//! Network drives and printers mapped in each user profile of a Windows host, read by the
//! PowerShell probe from the registry of every loaded user hive: `HKU\<sid>\Network\<letter>`
//! (persistent drive mappings: what `net use /persistent:yes`, a Group Policy Preferences
//! drive map with "reconnect", `MapNetworkDrive …, True` or `New-PSDrive -Persist` leave),
//! `HKU\<sid>\Printers\Connections` (per-user printer connections) and the share names of
//! `…\Explorer\MountPoints2` (`##SRV-AD#Commercial`: shares this profile has mounted).
//!
//! A profile whose hive is not loaded (the user has no session open) is listed with
//! `loaded: false` and nothing read: loading a hive (`reg load`) would change the host.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The mappings of one user profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileMappings {
    /// SID of the profile (`S-1-5-21-…-1121`).
    pub sid: String,
    /// Account name as the host translates the SID (`TSSR\alefevre`), when it could.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Profile folder (`C:\Users\alefevre`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_path: Option<String>,
    /// The hive is loaded (`HKU\<sid>` exists), so the lists below were read.
    pub loaded: bool,
    /// Persistent drive mappings, sorted by letter.
    #[serde(default)]
    pub drives: Vec<MappedDrive>,
    /// Printer connections (`\\SRV-AD\Imprimante-RDC`), sorted.
    #[serde(default)]
    pub printers: Vec<String>,
    /// UNC shares this profile mounted, from `MountPoints2` (`\\SRV-AD\Commercial`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mounted_shares: Vec<String>,
    /// What could not be read in this hive, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// One `HKU\<sid>\Network\<letter>` key.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MappedDrive {
    /// Drive letter, upper case without the colon (`S`).
    pub letter: String,
    /// `RemotePath` (`\\SRV-AD\Commercial`).
    pub remote_path: String,
    /// `UserName` when the mapping uses other credentials (empty in the registry = absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// `ProviderName` (`Microsoft Windows Network`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
}
