//! Why one host could not be collected: a kind (for the manifest and the summary) and a
//! message (for people).

use crate::i18n::{t, tf};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Category of a host failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostErrorKind {
    /// No connection (refused, no route, DNS).
    Unreachable,
    /// The account or password was refused.
    AuthRefused,
    /// A time limit ran out.
    Timeout,
    /// The server's TLS certificate was refused.
    Tls,
    /// The host key is unknown (strict mode) or changed.
    HostKey,
    /// The agent's output is not a snapshot.
    BadOutput,
    /// The host sent more than the size limit (snapshot or stderr); the channel was closed.
    OutputTooLarge,
    /// The agent ran but failed.
    AgentFailed,
    /// No agent binary for the host's architecture.
    NoAgent,
    /// `sudo` refused the password or is not allowed.
    SudoRefused,
    /// The credential could not be found.
    Credentials,
    /// The transport is not available in this build.
    Unsupported,
    /// Anything else (SSH protocol error, local I/O).
    Other,
}

impl HostErrorKind {
    /// Short translated label.
    pub fn label(self) -> &'static str {
        match self {
            HostErrorKind::Unreachable => t("kind.unreachable"),
            HostErrorKind::AuthRefused => t("kind.auth_refused"),
            HostErrorKind::Timeout => t("kind.timeout"),
            HostErrorKind::Tls => t("kind.tls"),
            HostErrorKind::HostKey => t("kind.host_key"),
            HostErrorKind::BadOutput => t("kind.bad_output"),
            HostErrorKind::AgentFailed => t("kind.agent_failed"),
            HostErrorKind::OutputTooLarge => t("kind.output_too_large"),
            HostErrorKind::NoAgent => t("kind.no_agent"),
            HostErrorKind::SudoRefused => t("kind.sudo_refused"),
            HostErrorKind::Credentials => t("kind.credentials"),
            HostErrorKind::Unsupported => t("kind.unsupported"),
            HostErrorKind::Other => t("kind.other"),
        }
    }
}

/// A host failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostError {
    /// Category.
    pub kind: HostErrorKind,
    /// What happened (translated, no secret).
    pub message: String,
}

impl HostError {
    /// A failure of `kind`.
    pub fn new(kind: HostErrorKind, message: impl Into<String>) -> HostError {
        HostError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&tf(
            "host_error.display",
            &[
                ("kind", &self.kind.label()),
                ("message", &crate::i18n::os_errors(&self.message)),
            ],
        ))
    }
}

impl std::error::Error for HostError {}
