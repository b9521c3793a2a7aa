//! Logon and startup scripts of a domain: the DC's NETLOGON share (SYSVOL's `scripts/`) and
//! the scripts stored in GPO folders (`Policies/{GUID}/User/Scripts/Logon/…`), with the drive
//! mappings each one makes (`net use`, `New-PSDrive -Persist`, `New-SmbMapping`,
//! `WScript.Network.MapNetworkDrive`).
//!
//! Filled by the `constat-ldap` collector (SMB, bounded in count and size). Scripts are not
//! kept: only their size, SHA-256 and the mapping statements, secrets masked. Paths keep
//! their variables as written (`\\srv\home\%USERNAME%`): normalising them is the checker's
//! business.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The logon scripts the collector could read, and those it did not.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogonScripts {
    /// Scripts read, sorted by source then path.
    #[serde(default)]
    pub scripts: Vec<LogonScript>,
    /// Files listed but not read (over a limit, an unsafe name, a download failure), with
    /// why. A script skipped here is unknown, not absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedScript>,
}

/// Where a script is stored.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ScriptSource {
    #[default]
    /// The NETLOGON share (`\\domain\NETLOGON`, SYSVOL's `scripts/`): what a user's
    /// `scriptPath` names.
    Netlogon,
    /// A GPO folder (`Policies/{GUID}/Machine|User/Scripts/…`).
    Gpo,
}

/// Script language, from the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScriptLanguage {
    #[default]
    /// `.bat`, `.cmd`.
    Batch,
    /// `.ps1`.
    Powershell,
    /// `.vbs`.
    Vbscript,
}

/// One script read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogonScript {
    /// NETLOGON or a GPO folder.
    pub source: ScriptSource,
    /// For a GPO script: the GPO GUID in braces, upper case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpo_guid: Option<String>,
    /// Path inside the share or the GPO folder, `\`-separated, case as stored
    /// (`map.bat`, `Commercial\map.bat`, `User\Scripts\Logon\map.ps1`).
    pub path: String,
    /// Language.
    pub language: ScriptLanguage,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// Drive mappings found, in file order.
    #[serde(default)]
    pub drive_maps: Vec<ScriptDriveMap>,
}

/// How a script maps a drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DriveMapMethod {
    /// `net use S: \\srv\share` (batch, or PowerShell calling net.exe).
    #[default]
    NetUse,
    /// `New-PSDrive -Name S -PSProvider FileSystem -Root \\srv\share` (a Windows drive
    /// only with `-Persist`).
    NewPsDrive,
    /// `New-SmbMapping -LocalPath S: -RemotePath \\srv\share`.
    NewSmbMapping,
    /// `WScript.Network`'s `MapNetworkDrive "S:", "\\srv\share"` (VBScript or COM from
    /// PowerShell).
    MapNetworkDrive,
}

/// One drive mapping statement of a script.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScriptDriveMap {
    /// Drive letter, upper case without the colon (`S`); `*` for "next free letter".
    pub letter: String,
    /// Remote path as written, quotes removed, variables kept (`\\srv\home\%USERNAME%`,
    /// `"\\srv\home\" & strUser`).
    pub path: String,
    /// Line of the statement (1-based; the first line of a continued statement).
    pub line: u32,
    /// Command used.
    pub method: DriveMapMethod,
    /// Reconnected at the next logon: `/persistent:yes`, `-Persistent $true`,
    /// `MapNetworkDrive …, True`; for `New-PSDrive`, whether `-Persist` is given (without
    /// it the drive exists only inside PowerShell). Absent when the statement does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent: Option<bool>,
    /// Account given to the mapping (`/user:TSSR\svc`), when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The statement, passwords replaced by `***`, at most 300 characters.
    pub statement: String,
}

/// A file listed and not read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkippedScript {
    /// NETLOGON or a GPO folder.
    pub source: ScriptSource,
    /// Path as listed (control characters shown as `\xNN`).
    pub path: String,
    /// Size as listed, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Why it was not read (`larger than 262144 bytes`, `more than 200 scripts`…).
    pub reason: String,
}
