//! Group Policy settings, read from SYSVOL files (or a `Get-GPOReport` XML report) per GPO.
//!
//! One [`GpoSettings`] per GPO GUID. What the GPO *configures* is in the settings lists;
//! whether a client will *apply* a preference depends on its client-side extension being
//! registered in the GPO container, which [`Preference::effective`] records.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The settings of one GPO.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GpoSettings {
    /// GPO GUID in braces, upper case.
    pub guid: String,
    /// Display name, when known (from the container or the report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Where the settings were read: `sysvol` or `gpo_report`.
    pub source: String,
    /// `Version=` of GPT.INI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpt_ini_version: Option<u32>,
    /// Registry-based policies (Registry.pol, Machine then User) or Administrative Templates
    /// from a report.
    #[serde(default)]
    pub registry: Vec<RegistrySetting>,
    /// Security template (GptTmpl.inf), when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<SecurityTemplate>,
    /// Group Policy Preferences items.
    #[serde(default)]
    pub preferences: Vec<Preference>,
    /// Logon, logoff, startup and shutdown scripts.
    #[serde(default)]
    pub scripts: Vec<GpoScript>,
    /// Administrative template policies by name, as a GPO report lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_templates: Vec<AdminTemplatePolicy>,
    /// Software installation advertise scripts (`Machine|User/Applications/*.aas`). Their
    /// format is Windows Installer's undocumented binary script format ([MS-GPSI] only
    /// names them), so they are described, not parsed: path, size and SHA-256.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advertise_scripts: Vec<AdvertiseScript>,
    /// Files found in the GPO folder, relative paths with `/`, sorted.
    #[serde(default)]
    pub files: Vec<String>,
    /// Files that could not be read or parsed, with the reason (`Machine/Registry.pol: …`).
    /// The other settings are still reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// Settings files listed in the folder but not downloaded: over a size or count limit
    /// (named in the reason), a name smbclient's command line cannot carry, a failed
    /// download. What they would set is unknown, not absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedGpoFile>,
}

/// A settings file of a GPO folder the collector did not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SkippedGpoFile {
    /// Path relative to the GPO folder, `/`-separated (`Machine/Registry.pol`), control
    /// characters shown as `\xNN`.
    pub path: String,
    /// Size in bytes as listed, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Why it was not read, naming the limit when one was reached
    /// (`larger than 4194304 bytes (the per-file limit): not read`).
    pub reason: String,
}

/// Machine (computer) or user half of a GPO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyScope {
    /// Computer configuration (`Machine/`).
    #[default]
    Machine,
    /// User configuration (`User/`).
    User,
}

/// What a Registry.pol record does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistryAction {
    /// Set the value.
    #[default]
    Set,
    /// `**del.<value>`: delete that value.
    DeleteValue,
    /// `**delvals.`: delete every value of the key.
    DeleteAllValues,
    /// `**DeleteValues`: delete the listed values.
    DeleteValues,
    /// `**DeleteKeys`: delete the listed keys.
    DeleteKeys,
    /// `**SecureKey`: set the key's ACL to administrators only (data 1) or default (0).
    SecureKey,
    /// `**soft.<value>`: set the value only when absent.
    SoftSet,
    /// A key record with no value name (creates the key).
    CreateKey,
}

/// One registry policy record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrySetting {
    /// Machine (HKLM) or user (HKCU).
    pub scope: PolicyScope,
    /// Key path under the hive (`Software\Policies\Microsoft\Windows\WindowsUpdate`).
    pub key: String,
    /// Value name with any `**` marker removed (`WUServer`; empty for key-level actions).
    pub value_name: String,
    /// What the record does.
    pub action: RegistryAction,
    /// Registry type name (`REG_SZ`, `REG_DWORD`, …).
    pub value_type: String,
    /// Data: a number for DWORD/QWORD, a string for SZ/EXPAND_SZ, an array for MULTI_SZ,
    /// lower-case hex for binary and other types.
    pub data: serde_json::Value,
}

/// A security template (GptTmpl.inf) by section.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityTemplate {
    /// Text encoding of the file: `utf-16le` (Windows) or `utf-8` (samba-tool).
    pub encoding: String,
    /// `[System Access]`: `MinimumPasswordLength` → `12`, …
    #[serde(default)]
    pub system_access: BTreeMap<String, String>,
    /// `[Kerberos Policy]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kerberos_policy: BTreeMap<String, String>,
    /// `[Event Audit]`: `AuditLogonEvents` → `3`, …
    #[serde(default)]
    pub event_audit: BTreeMap<String, String>,
    /// `[Privilege Rights]`: right → principals (`*S-1-5-32-544` or names), in file order.
    #[serde(default)]
    pub privilege_rights: BTreeMap<String, Vec<String>>,
    /// `[Registry Values]`: `MACHINE\…\Name` → `type,value`.
    #[serde(default)]
    pub registry_values: BTreeMap<String, String>,
    /// `[Group Membership]` (restricted groups).
    #[serde(default)]
    pub restricted_groups: Vec<RestrictedGroup>,
    /// Other sections, key → value, as written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other: BTreeMap<String, BTreeMap<String, String>>,
}

/// A restricted group from `[Group Membership]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictedGroup {
    /// The group (`*S-1-5-32-544` or a name).
    pub group: String,
    /// `__Members`: the exact member list enforced (absent when not set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    /// `__Memberof`: groups this group is added to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_of: Option<Vec<String>>,
}

/// One Group Policy Preferences item (Drives, Groups, ScheduledTasks, Files, Printers,
/// Shortcuts, …).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Preference {
    /// Preference family (`drives`, `groups`, `scheduled_tasks`, `files`, `printers`,
    /// `shortcuts`, `registry`, `folders`, `shares`, `environment`, `ini_files`, …).
    pub kind: String,
    /// Machine or user part.
    pub scope: PolicyScope,
    /// XML element name (`Drive`, `Group`, `User`, `TaskV2`, `File`, …).
    pub element: String,
    /// Item name as shown in GPMC.
    pub name: String,
    /// `create`, `replace`, `update`, `delete` (from `action="C|R|U|D"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The item is disabled in the editor (`disabled="1"`).
    #[serde(default)]
    pub disabled: bool,
    /// The client-side extension for this family is registered in the GPO container, so
    /// clients will apply it. `None` when the container was not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<bool>,
    /// The CSE GUID of this family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cse_guid: Option<String>,
    /// Drives: letter (`H`), Files/Shortcuts: target path, Printers: path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<String>,
    /// Drives: UNC path; Files: target; Shortcuts: shortcut path; Printers: path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Drives: label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Groups: members (`DOMAIN\name` or SIDs) with their action (`ADD:TSSR\GG_Compta`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// Scheduled tasks, shortcuts: command run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Scheduled tasks, shortcuts: arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// Scheduled tasks: triggers in short form (`daily 02:00`, `logon`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<String>,
    /// Scheduled tasks: account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as: Option<String>,
    /// The item stores a `cpassword` (GPP password, readable by every domain user).
    #[serde(default)]
    pub has_cpassword: bool,
    /// Item-level targeting present (`<Filters>`).
    #[serde(default)]
    pub filtered: bool,
    /// Every attribute of the `<Properties>` element, except `cpassword`.
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

/// A script assigned by a GPO.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GpoScript {
    /// Machine (startup/shutdown) or user (logon/logoff).
    pub scope: PolicyScope,
    /// `logon`, `logoff`, `startup`, `shutdown`.
    pub trigger: String,
    /// From `psscripts.ini` (PowerShell) rather than `scripts.ini`.
    pub powershell: bool,
    /// Order (the `N` of `NCmdLine`).
    pub order: u32,
    /// Script path as written.
    pub command: String,
    /// Parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<String>,
}

/// An Administrative Templates policy as named in a GPO report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminTemplatePolicy {
    /// Machine or user part.
    pub scope: PolicyScope,
    /// Policy name (`Desktop Wallpaper`).
    pub name: String,
    /// `Enabled`, `Disabled`, `Not Configured`.
    pub state: String,
    /// Category path (`Desktop/Desktop`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Options shown under the policy, name → value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
}

/// A software installation advertise script (`.aas`) found in a GPO folder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvertiseScript {
    /// Machine or user part.
    pub scope: PolicyScope,
    /// Path relative to the GPO folder (`Machine/Applications/{…}.aas`).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}
