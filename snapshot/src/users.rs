//! Accounts: users, groups and privilege rules (sudo on Linux).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A local account (Linux passwd entry or Windows local user).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// Login name.
    pub name: String,
    /// Numeric user id (Linux).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    /// Security identifier (Windows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Primary group id (Linux).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// Primary group name, when resolvable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_group: Option<String>,
    /// Full name (GECOS first field or Windows FullName).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Home directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
    /// Login shell (Linux).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<String>,
    /// Every group the user belongs to, primary group included, sorted.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Whether the account can log in (Windows Enabled; Linux: not locked and not expired).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// System account (Linux uid below 1000, or listed in login.defs range).
    #[serde(default)]
    pub system: bool,
    /// Password state, never the hash.
    #[serde(default)]
    pub password: PasswordState,
    /// Public keys allowed to log in as this user (`~/.ssh/authorized_keys`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorized_keys: Vec<AuthorizedKey>,
    /// Where the account is defined: `files` (/etc/passwd) or `nss` (seen only through
    /// `getent`, e.g. a domain account on an AD-joined Linux host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// What can be said about an account's password without reading the hash.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordState {
    /// Whether a password is set, empty, or the account is locked.
    pub status: PasswordStatus,
    /// Date of last change (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_change: Option<String>,
    /// The user must change the password at next login (shadow last change = 0, pwdLastSet = 0).
    #[serde(default)]
    pub must_change: bool,
    /// Minimum days between changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_days: Option<i64>,
    /// Maximum password age in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_days: Option<i64>,
    /// Warning period in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warn_days: Option<i64>,
    /// Inactivity period in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_days: Option<i64>,
    /// Account expiry date (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_expires: Option<String>,
    /// The password never expires (Windows flag, or no maximum age on Linux).
    #[serde(default)]
    pub never_expires: bool,
    /// Why the state is `unknown` or partial (e.g. "/etc/shadow unreadable: not root").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Password status of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PasswordStatus {
    /// A usable password is set.
    Set,
    /// The password field is empty: anyone can log in without one.
    Empty,
    /// Locked (`!` or `*` prefix in shadow, or disabled).
    Locked,
    /// No password was ever set (`!` or `*` alone in shadow).
    NotSet,
    /// The shadow data could not be read (not privileged).
    #[default]
    Unknown,
}

/// A public key authorized for SSH login, identified by its fingerprint only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorizedKey {
    /// Key type (`ssh-ed25519`, `ssh-rsa`).
    pub key_type: String,
    /// OpenSSH SHA256 fingerprint (`SHA256:...`).
    pub fingerprint: String,
    /// Trailing comment of the key line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Options before the key (`from="10.0.0.0/8"`, `command=...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<String>,
}

/// A local group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Group name.
    pub name: String,
    /// Numeric group id (Linux).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// Security identifier (Windows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Explicit members as listed by the group (Linux: /etc/group last field; Windows:
    /// local group members, `DOMAIN\name`).
    #[serde(default)]
    pub members: Vec<String>,
    /// Users whose primary group this is (Linux), not listed in `members`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_members: Vec<String>,
    /// System group (Linux gid below 1000).
    #[serde(default)]
    pub system: bool,
}

/// Privilege-escalation rules (sudoers on Linux).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SudoRules {
    /// Files read, in order (`/etc/sudoers`, `/etc/sudoers.d/...`).
    #[serde(default)]
    pub files: Vec<SudoFile>,
    /// Every user specification, aliases expanded where they are defined in the same files.
    #[serde(default)]
    pub rules: Vec<SudoRule>,
}

/// One sudoers file and what the agent could make of it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SudoFile {
    /// Path.
    pub path: String,
    /// Mode in octal (`0440`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Lines the parser did not understand (`line: text`); sudo itself may reject the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<String>,
}

/// One sudoers user specification: who may run what, as whom.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SudoRule {
    /// Where it was read: `path:line`.
    pub source: String,
    /// Who: user names, `%group`, or `ALL`.
    pub principals: Vec<String>,
    /// Hosts (`ALL` usually).
    pub hosts: Vec<String>,
    /// Run-as users (`root`, `ALL`); empty means root.
    #[serde(default)]
    pub run_as: Vec<String>,
    /// No password asked.
    #[serde(default)]
    pub nopasswd: bool,
    /// Commands allowed, as written (`/usr/bin/systemctl restart apache2`, `ALL`).
    pub commands: Vec<String>,
}
