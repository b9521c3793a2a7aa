//! Shared test inputs: the lab pack, the recorded and derived snapshots, a graded report.

use crate::eval::{CandidateInput, GradeOptions, HostObservation, Observed};
use crate::pack::{Pack, load};
use crate::report::Report;
use std::collections::BTreeMap;

pub(crate) const LAB_PACK: &str = include_str!("../tests/fixtures/packs/lab-linux.yaml");

pub(crate) fn lab_pack() -> Pack {
    load("lab-linux.yaml", LAB_PACK).expect("lab pack is valid")
}

pub(crate) fn options() -> GradeOptions {
    GradeOptions {
        graded_at: "2026-11-23T17:35:00Z".to_owned(),
        profile: None,
        timezone: None,
    }
}

/// Candidate 12: start = the real recording, end = the derived end-of-lab variant.
pub(crate) fn candidate() -> CandidateInput {
    let start = crate::kinds::testing::fixture();
    let end = crate::kinds::testing::lab();
    CandidateInput {
        id: "12".to_owned(),
        name: Some("Candidate <Douze> & Cie".to_owned()),
        variables: BTreeMap::new(),
        expected_identity: Default::default(),
        hosts: BTreeMap::from([(
            "linux".to_owned(),
            HostObservation {
                end: Observed::Snapshot(Box::new(end)),
                start: Some(Observed::Snapshot(Box::new(start))),
            },
        )]),
    }
}

pub(crate) fn report() -> Report {
    crate::grade(&lab_pack(), &candidate(), &options())
}

/// Redacts nothing: reports carry no clock reading; kept as the one place to add redactions.
pub(crate) fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("report serializes")
}
