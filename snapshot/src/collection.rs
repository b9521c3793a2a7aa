//! Collection metadata: which collector ran, when, and how long each part took.

use crate::files::FileRequest;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How the snapshot was produced.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionMeta {
    /// Producer name: `constat-agent`, `constat-probe.ps1`, `constat-ldap`.
    pub agent: String,
    /// Producer version.
    pub agent_version: String,
    /// Start time, RFC 3339 UTC.
    pub started_at: String,
    /// End time, RFC 3339 UTC.
    pub finished_at: String,
    /// Total wall time in milliseconds.
    pub duration_ms: u64,
    /// Offline root directory when the agent read a mounted disk instead of the live host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// How the collector reached the host and how the channel was secured (`ssh`,
    /// `winrm https`, `ldaps, certificate NOT verified (insecure chosen)`), when remote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport: Option<String>,
    /// Whether the collector ran with administrator rights (root / elevated).
    #[serde(default)]
    pub privileged: bool,
    /// One entry per collector, in run order.
    #[serde(default)]
    pub collectors: Vec<CollectorRun>,
    /// The file request the collector answered, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<FileRequest>,
    /// What the running SSH server offered the examiner's own connection (transport
    /// evidence, recorded by the CLI, not by the agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_server: Option<SshServerOffer>,
}

/// What a running sshd advertised to the examiner's SSH client.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SshServerOffer {
    /// Account the `none` authentication attempt was made for (`Match User` blocks apply).
    pub user: String,
    /// Authentication methods that can continue, as the server listed them after a `none`
    /// attempt (`publickey`, `password`, `keyboard-interactive`).
    pub auth_methods: Vec<String>,
    /// Algorithm of the host key the server presented (`ssh-ed25519`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_key_algorithm: Option<String>,
}

/// One collector's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectorRun {
    /// Collector name, equal to the section it fills.
    pub name: String,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
    /// Status of the section it produced (`collected`, `not_collected`, `error`).
    pub status: String,
    /// Whether it stopped because its time budget ran out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
}
