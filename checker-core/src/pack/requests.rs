//! File requests: which paths each host role must report for a pack (agent `--request`).

use crate::pack::model::Pack;
use constat_snapshot::{FileRequest, ScriptRunRequest};
use std::collections::{BTreeMap, BTreeSet};

/// Paths each role must report, sorted and deduplicated. Roles with no file get no entry.
pub fn file_requests(pack: &Pack) -> BTreeMap<String, FileRequest> {
    let mut by_role: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for check in &pack.checks {
        for role in &check.meta.hosts {
            let mut found = Vec::new();
            for (_, e) in &check.items {
                e.files(role, &mut found);
            }
            for (r, path) in found {
                by_role.entry(r).or_default().insert(path);
            }
        }
    }
    by_role
        .into_iter()
        .map(|(role, paths)| {
            (
                role,
                FileRequest {
                    paths: paths.into_iter().collect(),
                    head_bytes: None,
                    sections: None,
                },
            )
        })
        .collect()
}

/// Script runs each role must perform for a pack that allows active tests (`pack.active_tests`),
/// sorted and deduplicated; empty for any other pack. The core only declares them: the CLI
/// runs them when the examiner passes `--active-tests` and stores the results in the
/// snapshot's `script_runs` section.
pub fn script_run_requests(pack: &Pack) -> BTreeMap<String, Vec<ScriptRunRequest>> {
    let mut by_role: BTreeMap<String, BTreeSet<ScriptRunRequest>> = BTreeMap::new();
    if !pack.active_tests {
        return BTreeMap::new();
    }
    for check in &pack.checks {
        for role in &check.meta.hosts {
            let mut found = Vec::new();
            for (_, e) in &check.items {
                e.runs(role, &mut found);
            }
            for (r, request) in found {
                by_role.entry(r).or_default().insert(request);
            }
        }
    }
    by_role
        .into_iter()
        .map(|(role, runs)| (role, runs.into_iter().collect()))
        .collect()
}
