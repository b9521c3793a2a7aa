//! `for_each` over records (`{dir: commercial, group: GG_Commercial}` with
//! `${item.dir}`) and the `user` kind's `primary_group`, graded end to end on the derived
//! Linux lab (`tests/fixtures/snapshots/linux-lab.json`, see FIXTURES.md); a field missing
//! from an item is a located error that lists the fields the item has.

use constat_checker_core::pack::{load, render_diagnostics};
use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
use constat_snapshot::Snapshot;
use std::collections::BTreeMap;

#[test]
fn grades_one_check_per_record() {
    let pack = load(
        "for-each-records.yaml",
        include_str!("fixtures/packs/for-each-records.yaml"),
    )
    .unwrap_or_else(|d| panic!("{}", render_diagnostics(&d)));
    let snapshot = Snapshot::from_json(include_str!("fixtures/snapshots/linux-lab.json"))
        .expect("fixture parses");
    let input = CandidateInput {
        id: "1".to_owned(),
        name: None,
        variables: BTreeMap::new(),
        expected_identity: Default::default(),
        hosts: BTreeMap::from([(
            "linux".to_owned(),
            HostObservation {
                end: Observed::Snapshot(Box::new(snapshot)),
                start: None,
            },
        )]),
    };
    let options = GradeOptions {
        graded_at: "2026-12-02T09:00:00Z".to_owned(),
        profile: None,
        timezone: None,
    };
    let report = grade(&pack, &input, &options);
    let mut lines = Vec::new();
    for c in &report.checks {
        lines.push(format!("{} {:?} earned {}", c.id, c.outcome, c.earned));
        for e in c.evidence.iter().filter(|e| e.property != "exists") {
            // The record is said beside the object (`Evidence::item`), as it used to be
            // glued to it.
            let item = e
                .item
                .as_ref()
                .map_or_else(String::new, |i| format!(" [{i}]"));
            lines.push(format!(
                "  [{:?}] {}{item} {}: attendu « {} », observé « {} »",
                e.status, e.path, e.property, e.expected, e.actual
            ));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn a_missing_record_field_is_a_located_error() {
    let text = "pack: {id: x, title: t, referentiel: tssr-2023, profile: lab}\nhosts: {linux: {os: linux}}\nchecks:\n  - id: a\n    title: t\n    criteres: [tssr-2023/CP3/C1]\n    hosts: [linux]\n    for_each:\n      - {dir: commercial, group: GG_Commercial}\n      - {dir: compta}\n    expect: {user: {name: \"${item.dir}\", primary_group: \"${item.group}\"}}\n  - id: b\n    title: t\n    criteres: [tssr-2023/CP3/C1]\n    hosts: [linux]\n    for_each: [alice]\n    expect: {user: {name: \"${item.dir}\"}}\n";
    let nested = "pack: {id: x, title: t, referentiel: tssr-2023, profile: lab}\nhosts: {linux: {os: linux}}\nchecks:\n  - id: c\n    title: t\n    criteres: [tssr-2023/CP3/C1]\n    hosts: [linux]\n    for_each: [{dir: [nested]}]\n    expect: {user: {name: \"${item.dir}\"}}\n";
    let errors = |name: &str, text: &str| match load(name, text) {
        Ok(_) => "valid".to_owned(),
        Err(d) => render_diagnostics(&d),
    };
    insta::assert_snapshot!(format!(
        "{}\n{}",
        errors("records.yaml", text),
        errors("nested.yaml", nested)
    ));
}
