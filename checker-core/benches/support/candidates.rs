//! Bench support: a session of candidates that each bring their own copy of one snapshot.

use constat_checker_core::{CandidateInput, HostObservation, Observed};
use constat_snapshot::Snapshot;
use std::collections::BTreeMap;

/// `count` candidates `0000`, `0001`…, each with a clone of `base` as the end snapshot of
/// `role`, renamed `<host_prefix>-<n>` so that no two reports are the same.
pub(crate) fn candidates(
    base: &Snapshot,
    role: &str,
    host_prefix: &str,
    count: usize,
) -> Vec<CandidateInput> {
    (0..count)
        .map(|n| {
            let mut s = base.clone();
            s.host.hostname = format!("{host_prefix}-{n:04}");
            CandidateInput {
                id: format!("{n:04}"),
                name: None,
                variables: BTreeMap::new(),
                expected_identity: Default::default(),
                hosts: BTreeMap::from([(
                    role.to_owned(),
                    HostObservation {
                        end: Observed::Snapshot(Box::new(s)),
                        start: None,
                    },
                )]),
            }
        })
        .collect()
}
