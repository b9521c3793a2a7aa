//! The grading seam: called by `session run` after collection and by `session regrade`.
//!
//! The checker core is not wired yet; this function is where it plugs in (load the pack named
//! in the inventory, grade every candidate's snapshots, write the reports). Until then it
//! grades nothing and says so.

use super::layout::SessionDir;
use super::manifest::Manifest;

/// What grading did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeOutcome {
    /// No grader in this build: snapshots are collected, nothing is graded.
    NotAvailable,
}

/// Grades a session's collected snapshots.
pub fn grade_session(_dir: &SessionDir, _manifest: &Manifest) -> anyhow::Result<GradeOutcome> {
    Ok(GradeOutcome::NotAvailable)
}
