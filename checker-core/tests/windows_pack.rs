//! A pack using every Windows kind, graded end to end on the derived Windows DC
//! (`tests/fixtures/snapshots/windows-lab.json`, see FIXTURES.md): checks that the kinds
//! load from YAML with variables, `for_each` and `all` partial credit.

use constat_checker_core::pack::load;
use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
use constat_snapshot::Snapshot;
use std::collections::BTreeMap;

#[test]
fn grades_the_windows_lab() {
    let pack = load(
        "lab-windows.yaml",
        include_str!("fixtures/packs/lab-windows.yaml"),
    )
    .expect("valid pack");
    let snapshot = Snapshot::from_json(include_str!("fixtures/snapshots/windows-lab.json"))
        .expect("fixture parses");
    let input = CandidateInput {
        id: "7".to_owned(),
        name: None,
        variables: BTreeMap::new(),
        expected_identity: Default::default(),
        hosts: BTreeMap::from([(
            "dc".to_owned(),
            HostObservation {
                end: Observed::Snapshot(Box::new(snapshot)),
                start: None,
            },
        )]),
    };
    let options = GradeOptions {
        graded_at: "2026-11-23T17:30:00Z".to_owned(),
        profile: None,
        timezone: None,
    };
    let report = grade(&pack, &input, &options);
    let lines: Vec<String> = report
        .checks
        .iter()
        .map(|c| format!("{} {:?} earned {}", c.id, c.outcome, c.earned))
        .collect();
    insta::assert_snapshot!(format!("{}\n{:?}", lines.join("\n"), report.total));
}
