//! Installed packages and pending updates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Package state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Packages {
    /// `dpkg`, `rpm`, `windows` (installed programs / features).
    pub manager: String,
    /// Installed packages, sorted by name.
    #[serde(default)]
    pub installed: Vec<Package>,
    /// Pending updates, when knowable without network access.
    #[serde(default)]
    pub updates: PendingUpdates,
}

/// One installed package.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Architecture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
}

/// What is known about pending updates.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PendingUpdates {
    /// Whether the list below is meaningful.
    pub known: bool,
    /// Why not, when it is not (e.g. "apt lists absent: run apt update").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the package lists were last refreshed (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists_updated_at: Option<String>,
    /// Upgradable packages.
    #[serde(default)]
    pub pending: Vec<PendingUpdate>,
}

/// One upgradable package.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PendingUpdate {
    /// Name.
    pub name: String,
    /// Installed version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// Candidate version.
    pub candidate: String,
    /// From a security archive.
    #[serde(default)]
    pub security: bool,
}
