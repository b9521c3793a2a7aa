//! Grading one collected host with a pack, as the tests that check verdicts on a real
//! collection do.

use constat_checker_core::pack::Pack;
use constat_checker_core::report::Report;
use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed};
use constat_snapshot::Snapshot;
use std::collections::BTreeMap;

/// The report of candidate `candidate` whose host `role` is `snapshot` (end phase only, no
/// variables, no expected identity), graded at `graded_at` (RFC 3339: a fixed instant keeps
/// reports the same whatever the day).
pub fn grade_snapshot(
    pack: &Pack,
    candidate: &str,
    role: &str,
    snapshot: Snapshot,
    graded_at: &str,
) -> Report {
    let input = CandidateInput {
        id: candidate.to_owned(),
        name: None,
        variables: BTreeMap::new(),
        expected_identity: Default::default(),
        hosts: BTreeMap::from([(
            role.to_owned(),
            HostObservation {
                end: Observed::Snapshot(Box::new(snapshot)),
                start: None,
            },
        )]),
    };
    constat_checker_core::grade(
        pack,
        &input,
        &GradeOptions {
            graded_at: graded_at.to_owned(),
            profile: None,
            timezone: None,
        },
    )
}
