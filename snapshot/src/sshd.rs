//! OpenSSH server settings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Effective sshd settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sshd {
    /// `sshd -T` (effective, defaults included) or `config` (files only, defaults absent).
    pub source: String,
    /// Files read.
    #[serde(default)]
    pub files: Vec<String>,
    /// Settings with lower-case keys; multi-valued keywords keep every value in order.
    #[serde(default)]
    pub settings: BTreeMap<String, Vec<String>>,
    /// `Match` blocks of the configuration files, in order, kept apart from the global
    /// settings (they apply only to the connections they match).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<SshdMatch>,
    /// Where each global keyword is set in the files (`/etc/ssh/sshd_config.d/50-cloud-init.conf:1`),
    /// lower-case keys; a multi-valued keyword lists every line. Absent keywords take sshd's default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub origins: BTreeMap<String, Vec<String>>,
    /// Why `sshd -T` could not be used when `source` is `config` on a live host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
}

/// A `Match` block of sshd_config.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SshdMatch {
    /// The criteria as written after `Match` (`Address 10.0.0.0/24`, `Group sftp`).
    pub criteria: String,
    /// Settings of the block with lower-case keys.
    #[serde(default)]
    pub settings: BTreeMap<String, Vec<String>>,
}
