//! What the caller gives to [`crate::grade`]: one candidate's observations and options.

use constat_snapshot::Snapshot;
use std::collections::BTreeMap;

/// What was observed on one host at one moment.
#[derive(Debug, Clone)]
pub enum Observed {
    /// A snapshot.
    Snapshot(Box<Snapshot>),
    /// The collector could not reach the host.
    Unreachable {
        /// Why (connection refused, authentication failed...).
        cause: String,
    },
    /// The host answered but gave no snapshot: the account or sudo was refused, or the
    /// collection itself failed. Not "unreachable": the report says which, with the cause.
    Failed {
        /// What went wrong.
        failure: HostFailure,
        /// Why (the transport's message).
        cause: String,
    },
}

/// Why a reachable host gave no snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostFailure {
    /// The account, password or key was refused.
    AuthRefused,
    /// The account may log in but `sudo` was refused (not in sudoers, wrong password).
    SudoRefused,
    /// The connection worked and the collection failed (agent error, unreadable output).
    CollectionFailed,
}

impl HostFailure {
    /// The report's host status for this failure.
    pub fn status(self) -> crate::report::HostStatus {
        use crate::report::HostStatus;
        match self {
            HostFailure::AuthRefused => HostStatus::AuthRefused,
            HostFailure::SudoRefused => HostStatus::SudoRefused,
            HostFailure::CollectionFailed => HostStatus::CollectionFailed,
        }
    }

    /// The label of evidence lines, in English as every model value (French through
    /// `eval/words.rs`).
    pub fn label(self) -> &'static str {
        match self {
            HostFailure::AuthRefused => "authentication refused",
            HostFailure::SudoRefused => "sudo refused",
            HostFailure::CollectionFailed => "collection failed",
        }
    }
}

/// One host role of a candidate: the end state, and optionally the start state.
#[derive(Debug, Clone)]
pub struct HostObservation {
    /// State at the end of the exam.
    pub end: Observed,
    /// State at the start, for `changed` checks and the change list.
    pub start: Option<Observed>,
}

/// Everything about one candidate.
#[derive(Debug, Clone, Default)]
pub struct CandidateInput {
    /// Candidate id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Variable overrides (e.g. `n: "12"` for candidate 12).
    pub variables: BTreeMap<String, String>,
    /// Observations by host role.
    pub hosts: BTreeMap<String, HostObservation>,
    /// What the inventory says each role's host must be (`expect_hostname`...); roles
    /// left out expect nothing.
    pub expected_identity: BTreeMap<String, crate::eval::ExpectedIdentity>,
}

/// Grading options.
#[derive(Debug, Clone, Default)]
pub struct GradeOptions {
    /// Grading time, RFC 3339 UTC (also the "now" for ages). The core never reads a clock.
    pub graded_at: String,
    /// Session profile to use instead of the pack's default.
    pub profile: Option<String>,
    /// The exam's IANA time zone from the inventory (`Europe/Paris`), instead of the
    /// pack's `timezone`; an unknown name is a report warning and the pack's zone is used.
    pub timezone: Option<String>,
}
