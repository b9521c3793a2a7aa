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
}

/// Grading options.
#[derive(Debug, Clone, Default)]
pub struct GradeOptions {
    /// Grading time, RFC 3339 UTC (also the "now" for ages). The core never reads a clock.
    pub graded_at: String,
    /// Session profile to use instead of the pack's default.
    pub profile: Option<String>,
}
