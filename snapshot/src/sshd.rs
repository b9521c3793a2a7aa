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
}
