//! A passing `any` never shows its unused alternatives as « non conforme » (issue 15 item 8,
//! fixed with issue 14): graded end to end and rendered in every format, both languages.

use constat_checker_core::i18n::Lang;
use constat_checker_core::render::{RenderOptions, html, markdown, terminal};
use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
use constat_snapshot::Snapshot;
use std::collections::BTreeMap;

const PACK: &str = r#"pack: {id: any-alt, title: "Any", referentiel: tssr-2023, profile: lab}
hosts: {linux: {os: linux}}
checks:
  - id: admin-account
    title: "Un compte d'administration existe"
    criteres: [tssr-2023/CP3/C1]
    hosts: [linux]
    points: 1
    expect:
      any:
        - user: {name: no-such-admin}
        - user: {name: root}
"#;

#[test]
fn a_passing_any_does_not_show_its_unused_alternatives_as_failed() {
    let pack = constat_checker_core::pack::load("any.yaml", PACK).expect("valid pack");
    // The real recording of the test machine (tests/fixtures/FIXTURES.md): root exists,
    // no-such-admin does not.
    let snapshot =
        Snapshot::from_json(include_str!("fixtures/snapshots/linux-real.json")).expect("fixture");
    let input = CandidateInput {
        id: "c".to_owned(),
        hosts: BTreeMap::from([(
            "linux".to_owned(),
            HostObservation {
                end: Observed::Snapshot(Box::new(snapshot)),
                start: None,
            },
        )]),
        ..CandidateInput::default()
    };
    let report = grade(
        &pack,
        &input,
        &GradeOptions {
            graded_at: "2026-11-23T17:35:00Z".to_owned(),
            profile: None,
            timezone: None,
        },
    );
    let check = &report.checks[0];
    assert_eq!(
        format!("{:?}", check.outcome),
        "Pass",
        "{:#?}",
        check.evidence
    );
    // The unused alternative keeps its machine verdict, marked unused.
    assert!(check.evidence.iter().any(|e| {
        e.path == "no-such-admin"
            && e.context == Some(constat_checker_core::eval::EvidenceContext::UnusedAlternative)
    }));
    for lang in [Lang::Fr, Lang::En] {
        let options = RenderOptions {
            lang,
            ..RenderOptions::default()
        };
        for (format, text) in [
            ("html", html(&report, &options)),
            ("markdown", markdown(&report, &options)),
            ("terminal", terminal(&report, &options)),
        ] {
            for failed in ["non conforme", "not ok", "[KO]"] {
                assert!(
                    !text.contains(failed),
                    "{format} ({lang:?}) shows « {failed} »:\n{text}"
                );
            }
        }
        let page = html(&report, &options);
        let unused = match lang {
            Lang::Fr => "non utilisée",
            Lang::En => "unused",
        };
        assert!(page.contains(unused), "html ({lang:?}) lacks « {unused} »");
    }
}
