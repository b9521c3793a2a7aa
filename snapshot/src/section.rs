//! The status every snapshot section carries: collected, not collected, or error.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One domain of a snapshot, with the collector's verdict on whether it could look.
///
/// `NotCollected` means the collector knowingly did not look (not installed, not
/// applicable on this OS, not requested); `Error` means it tried and failed. Neither may be
/// read as "absent" by a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum Section<T> {
    /// The collector looked; `data` is what it saw (possibly empty).
    Collected {
        /// The observed state.
        data: T,
    },
    /// The collector did not look, on purpose.
    NotCollected {
        /// Why (e.g. "systemd is not running", "not applicable on linux").
        reason: String,
    },
    /// The collector tried and failed.
    Error {
        /// What failed, with the command or file concerned.
        message: String,
    },
}

/// Reason of a section the snapshot does not contain.
const ABSENT: &str = "section absent from the snapshot";

impl<T> Default for Section<T> {
    fn default() -> Self {
        Section::NotCollected {
            reason: ABSENT.to_owned(),
        }
    }
}

impl<T> Section<T> {
    /// Shorthand for a collected section.
    pub fn collected(data: T) -> Self {
        Section::Collected { data }
    }

    /// Shorthand for a section that was not collected on purpose.
    pub fn not_collected(reason: impl Into<String>) -> Self {
        Section::NotCollected {
            reason: reason.into(),
        }
    }

    /// Shorthand for a failed section.
    pub fn error(message: impl Into<String>) -> Self {
        Section::Error {
            message: message.into(),
        }
    }

    /// Whether this is the default "section absent from the snapshot" (used to leave
    /// optional sections out of the JSON).
    pub fn is_absent(&self) -> bool {
        matches!(self, Section::NotCollected { reason } if reason == ABSENT)
    }

    /// The data when collected.
    pub fn data(&self) -> Option<&T> {
        match self {
            Section::Collected { data } => Some(data),
            _ => None,
        }
    }

    /// The status keyword as written in JSON.
    pub fn status(&self) -> &'static str {
        match self {
            Section::Collected { .. } => "collected",
            Section::NotCollected { .. } => "not_collected",
            Section::Error { .. } => "error",
        }
    }

    /// Why the data is missing, when it is.
    pub fn missing_cause(&self) -> Option<&str> {
        match self {
            Section::Collected { .. } => None,
            Section::NotCollected { reason } => Some(reason),
            Section::Error { message } => Some(message),
        }
    }
}
