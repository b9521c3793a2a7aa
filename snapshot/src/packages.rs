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
    /// `not_collected` when the collector did not compute them because the request left
    /// them out (the request's `without` names `packages.updates`): `known` is then
    /// false, `reason` says why and `pending` is absent, so that no check reads "no pending
    /// updates". Absent = the collector looked (`known` says whether it could tell).
    #[serde(default, skip_serializing_if = "PartStatus::is_collected")]
    pub status: PartStatus,
    /// Whether the list below is meaningful.
    pub known: bool,
    /// Why not, when it is not (e.g. "apt lists absent: run apt update").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the package lists were last refreshed (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists_updated_at: Option<String>,
    /// Upgradable packages; absent when not collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Vec<PendingUpdate>>,
}

impl PendingUpdates {
    /// Pending updates the collector did not compute because the request left them out.
    pub fn not_requested() -> Self {
        PendingUpdates {
            status: PartStatus::NotCollected,
            known: false,
            reason: Some(NOT_REQUESTED.to_owned()),
            lists_updated_at: None,
            pending: None,
        }
    }
}

/// Reason of pending updates left out of a request.
pub const NOT_REQUESTED: &str = "not requested (the checks read no pending updates)";

/// Whether the collector looked at one part of a collected section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartStatus {
    /// It looked (the default, left out of the JSON).
    #[default]
    Collected,
    /// It did not look, on purpose (the request left the part out).
    NotCollected,
}

impl PartStatus {
    /// Whether this is `collected` (left out of the JSON).
    pub fn is_collected(&self) -> bool {
        *self == PartStatus::Collected
    }
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
