//! Grades every embedded pack against its fixtures and snapshots the examiner report.
//!
//! Fixtures live under `checks/fixtures/` (see `FIXTURES.md` there for how each was derived).

use crate::embedded::find;
use constat_checker_core::i18n::Lang;
use constat_checker_core::pack::{Pack, load, render_diagnostics};
use constat_checker_core::render::{Audience, RenderOptions, terminal};
use constat_checker_core::report::{Outcome, Report};
use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
use constat_snapshot::Snapshot;
use std::collections::BTreeMap;
use std::path::Path;

/// Loads an embedded pack, panicking with the full diagnostics.
pub(crate) fn pack(id: &str) -> Pack {
    let p = find(id).unwrap_or_else(|| panic!("no embedded pack {id}"));
    load(p.file_name, p.text).unwrap_or_else(|d| panic!("{}", render_diagnostics(&d)))
}

/// Reads a fixture snapshot, relative to `checks/fixtures/`.
pub(crate) fn snapshot(rel: &str) -> Snapshot {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Snapshot::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Grades `pack` with the fixture as the `linux` host, at a fixed time.
pub(crate) fn graded(pack: &Pack, fixture: &str, graded_at: &str) -> Report {
    let input = CandidateInput {
        id: "fixture".to_owned(),
        name: Some(fixture.to_owned()),
        variables: BTreeMap::new(),
        hosts: BTreeMap::from([(
            "linux".to_owned(),
            HostObservation {
                end: Observed::Snapshot(Box::new(snapshot(fixture))),
                start: None,
            },
        )]),
    };
    let options = GradeOptions {
        graded_at: graded_at.to_owned(),
        profile: None,
    };
    grade(pack, &input, &options)
}

/// The French examiner terminal report, without colours.
pub(crate) fn rendered(report: &Report) -> String {
    terminal(
        report,
        &RenderOptions {
            lang: Lang::Fr,
            audience: Audience::Examiner,
            color: false,
        },
    )
}

/// The real recording was made at 2026-11-23T16:45Z; grade shortly after.
const GRADED_AT: &str = "2026-11-23T18:00:00Z";

#[test]
fn demo_on_the_real_recording() {
    let report = rendered(&graded(&pack("demo"), "real/debian12.json", GRADED_AT));
    insta::assert_snapshot!(report);
}

/// The lab packs and the check ids their `fail` fixture must fail (not pass).
const LABS: &[(&str, &[&str])] = &[
    (
        "lab-cp3-linux",
        &[
            "cp3-users",
            "cp3-group",
            "cp3-shared-dir",
            "cp3-web",
            "cp3-ssh-root",
            "cp3-no-telnet",
        ],
    ),
    (
        "lab-cp4-network",
        &["cp4-address", "cp4-gateway", "cp4-dns", "cp4-hosts"],
    ),
    (
        "lab-cp6-scripts",
        &[
            "cp6-script-present",
            "cp6-script-scheduled",
            "cp6-script-tested",
        ],
    ),
    (
        "lab-cp7-firewall",
        &["cp7-web-open", "cp7-ssh-lan-only", "cp7-persistent"],
    ),
    (
        "lab-cp8-backup",
        &["cp8-destination", "cp8-job", "cp8-recent"],
    ),
];

#[test]
fn lab_pass_fixtures_pass_every_assessable_check() {
    for (id, _) in LABS {
        let report = graded(&pack(id), &format!("{id}/pass.json"), GRADED_AT);
        for c in &report.checks {
            assert!(
                matches!(c.outcome, Outcome::Pass) || !c.outcome.is_assessable(),
                "{id}/pass.json: {} is {}\n{}",
                c.id,
                c.outcome.keyword(),
                rendered(&report)
            );
        }
        insta::assert_snapshot!(format!("{id}-pass"), rendered(&report));
    }
}

#[test]
fn lab_fail_fixtures_fail_the_intended_checks() {
    for (id, failing) in LABS {
        let report = graded(&pack(id), &format!("{id}/fail.json"), GRADED_AT);
        let not_passed: Vec<&str> = report
            .checks
            .iter()
            .filter(|c| !matches!(c.outcome, Outcome::Pass))
            .map(|c| &*c.id)
            .collect();
        for want in *failing {
            assert!(
                not_passed.contains(want),
                "{id}/fail.json: {want} should not pass\n{}",
                rendered(&report)
            );
        }
        insta::assert_snapshot!(format!("{id}-fail"), rendered(&report));
    }
}

#[test]
fn demo_shows_skipped_partial_and_not_assessable() {
    let report = rendered(&graded(&pack("demo"), "demo/laptop.json", GRADED_AT));
    insta::assert_snapshot!(report);
}
