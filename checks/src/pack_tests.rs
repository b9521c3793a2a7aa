//! Grades every embedded pack against its fixtures and snapshots the examiner report.
//!
//! Fixtures live under `checks/fixtures/` (see `FIXTURES.md` there for how each was derived).

use crate::embedded::{find, load_embedded};
use constat_checker_core::i18n::Lang;
use constat_checker_core::pack::{Pack, render_diagnostics};
use constat_checker_core::render::{Audience, RenderOptions, terminal};
use constat_checker_core::report::{Outcome, Report};
use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
use constat_snapshot::{Section, Snapshot};
use std::collections::BTreeMap;
use std::path::Path;

/// Loads an embedded pack, panicking with the full diagnostics.
pub(crate) fn pack(id: &str) -> Pack {
    let p = find(id).unwrap_or_else(|| panic!("no embedded pack {id}"));
    load_embedded(p).unwrap_or_else(|d| panic!("{}", render_diagnostics(&d)))
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
        expected_identity: Default::default(),
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
        timezone: None,
    };
    grade(pack, &input, &options)
}

/// Grades a multi-host pack: `<dir>/<state>/<role>.json` for every role of the pack, from
/// the first of `dirs` that has it, with `<dir>/start/<role>.json` (same directory) as the
/// start state when it exists. Roles without a fixture are absent (their checks are not
/// assessable), as in a lab without that VM.
pub(crate) fn graded_roles(pack: &Pack, dirs: &[&str], state: &str, graded_at: &str) -> Report {
    let input = graded_input(pack, dirs, state);
    let options = GradeOptions {
        graded_at: graded_at.to_owned(),
        profile: None,
        timezone: None,
    };
    grade(pack, &input, &options)
}

/// The candidate input [`graded_roles`] grades.
fn graded_input(pack: &Pack, dirs: &[&str], state: &str) -> CandidateInput {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut hosts = BTreeMap::new();
    for role in pack.hosts.keys() {
        let Some(dir) = dirs
            .iter()
            .find(|d| root.join(format!("{d}/{state}/{role}.json")).exists())
        else {
            continue;
        };
        let start = format!("{dir}/start/{role}.json");
        let start = root
            .join(&start)
            .exists()
            .then(|| Observed::Snapshot(Box::new(snapshot(&start))));
        hosts.insert(
            role.clone(),
            HostObservation {
                end: Observed::Snapshot(Box::new(snapshot(&format!("{dir}/{state}/{role}.json")))),
                start,
            },
        );
    }
    assert!(!hosts.is_empty(), "no fixture under {dirs:?} for {state}");
    CandidateInput {
        id: "fixture".to_owned(),
        name: Some(format!("{}/{state}", pack.id)),
        variables: BTreeMap::new(),
        expected_identity: Default::default(),
        hosts,
    }
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
        &[
            "cp8-destination",
            "cp8-job",
            "cp8-recent",
            "cp8-storage-monitored",
            "cp8-free-space",
            "cp8-restore-tested",
        ],
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

/// The multi-host packs (exams, and the labs with a directory side), the fixture
/// directories their roles are read from (first match wins), and the checks the `fail/`
/// state fails. `pass/` (candidate A) passes every assessable check; `fail/` (candidate B)
/// fails exactly the listed mistakes and passes everything else.
type Exam = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);
const EXAMS: &[Exam] = &[
    (
        "tssr-2023-msp-titre",
        &["tssr-2023-msp-titre"],
        &[
            "cp2-users",
            "cp2-logon-hours",
            "cp2-gg-commercial",
            "cp5-gpo-linked",
            "cp5-gpo-applied",
            "cp5-drive-on-client",
            "cp3-nginx",
            "cp4-firewall-policy",
            "cp4-firewall-services",
            "cp4-firewall-persistent",
            "cp4-firewall-not-open",
            "cp6-lnx-script-documented",
            "cp6-lnx-script-content",
            "cp6-lnx-script-scheduled",
            "cp6-lnx-backup-destination",
            "doc-exploitation-entries",
        ],
    ),
    (
        "tssr-2023-msp-ccp1",
        &["tssr-2023-msp-titre"],
        &[
            "cp2-users",
            "cp2-gg-commercial",
            "cp3-nginx",
            "doc-exploitation-entries",
        ],
    ),
    (
        "tssr-2023-msp-ccp2",
        &["tssr-2023-msp-ccp2", "tssr-2023-msp-titre"],
        &[
            "cp5-gpo-linked",
            "cp5-gpo-applied",
            "cp6-lnx-script-documented",
            "cp6-lnx-script-content",
            "cp6-lnx-script-scheduled",
            "cp6-lnx-backup-destination",
            "cp7-firewall-policy",
            "cp7-firewall-services",
            "cp7-firewall-persistent",
            "cp7-firewall-not-open",
            "cp7-firewall-vpn-proxy-open",
            "cp7-vpn-config",
            "cp7-proxy-lan-only",
        ],
    ),
    (
        "lab-cp2-windows",
        &["lab-cp2-windows"],
        &[
            "cp2-share",
            "cp2-services",
            "cp2-dns-record",
            "cp2-dhcp-reservation",
        ],
    ),
    (
        "lab-cp5-gpo",
        &["lab-cp5-gpo"],
        &[
            "cp5-drive-map",
            "cp5-drive-applied",
            "cp5-security",
            "cp5-enforced",
            "cp5-block-inheritance",
            "cp5-software",
            "cp5-linux-site",
        ],
    ),
    (
        "lab-cp1-helpdesk",
        &["lab-cp1-helpdesk"],
        &["cp1-tickets-qualified", "cp1-kb-article"],
    ),
    (
        "lab-cp5-supervision",
        &["lab-cp5-supervision"],
        &["cp5-vm", "cp5-alert-resolved"],
    ),
    (
        "lab-cp7-appliance",
        &["lab-cp7-appliance"],
        &["cp7-vlans", "cp7-wan-no-admin"],
    ),
    (
        "lab-cp9-deploy",
        &["lab-cp9-deploy"],
        &[
            "cp9-wsus-gpo",
            "cp9-wsus-dns",
            "cp9-wsus-client",
            "cp9-wsus-server",
            "cp9-mdt-share",
            "cp9-wds-images",
            "cp9-apt-repository",
            "cp9-apt-source",
        ],
    ),
];

#[test]
fn exam_candidate_a_passes_every_assessable_check() {
    for (id, dirs, _) in EXAMS {
        let report = graded_roles(&pack(id), dirs, "pass", GRADED_AT);
        for c in &report.checks {
            assert!(
                matches!(c.outcome, Outcome::Pass) || !c.outcome.is_assessable(),
                "{id}/pass: {} is {}\n{}",
                c.id,
                c.outcome.keyword(),
                rendered(&report)
            );
        }
        insta::assert_snapshot!(format!("{id}-pass"), rendered(&report));
    }
}

#[test]
fn exam_candidate_b_fails_exactly_the_subject_mistakes() {
    for (id, dirs, failing) in EXAMS {
        let report = graded_roles(&pack(id), dirs, "fail", GRADED_AT);
        for c in &report.checks {
            let passed = matches!(c.outcome, Outcome::Pass);
            let meant_to_fail = failing.contains(&&*c.id);
            assert!(
                !c.outcome.is_assessable() || passed != meant_to_fail,
                "{id}/fail: {} is {} (expected {})\n{}",
                c.id,
                c.outcome.keyword(),
                if meant_to_fail { "not pass" } else { "pass" },
                rendered(&report)
            );
        }
        insta::assert_snapshot!(format!("{id}-fail"), rendered(&report));
    }
}

/// The shape of the end-to-end lab (a Samba AD DC collected over LDAP + SMB, no PowerShell
/// probe, no Windows client): candidate A's `dc` without its probe sections and no `client`.
/// Every directory and Linux check still passes; every check needing the probe or the client
/// is not assessable — never a failure.
#[test]
fn exam_in_the_e2e_lab_shape_leaves_probe_checks_not_assessable() {
    let id = "tssr-2023-msp-titre";
    let p = pack(id);
    let mut dc = snapshot(&format!("{id}/pass/dc.json"));
    let probe = "le lab e2e n'exécute pas la sonde PowerShell (contrôleur Samba lu par LDAP)";
    let s = &mut dc.sections;
    s.shares = Section::not_collected(probe);
    s.windows_features = Section::not_collected(probe);
    s.services = Section::not_collected(probe);
    s.dhcp_server = Section::not_collected(probe);
    s.scheduled_jobs = Section::not_collected(probe);
    s.files = Section::not_collected(probe);
    let start = |role: &str| {
        Some(Observed::Snapshot(Box::new(snapshot(&format!(
            "{id}/start/{role}.json"
        )))))
    };
    let input = CandidateInput {
        id: "e2e".to_owned(),
        name: Some("A, lab e2e".to_owned()),
        variables: BTreeMap::new(),
        expected_identity: Default::default(),
        hosts: BTreeMap::from([
            (
                "dc".to_owned(),
                HostObservation {
                    end: Observed::Snapshot(Box::new(dc)),
                    start: start("dc"),
                },
            ),
            (
                "linux".to_owned(),
                HostObservation {
                    end: Observed::Snapshot(Box::new(snapshot(&format!("{id}/pass/linux.json")))),
                    start: start("linux"),
                },
            ),
        ]),
    };
    let report = grade(
        &p,
        &input,
        &GradeOptions {
            graded_at: GRADED_AT.to_owned(),
            profile: None,
            timezone: None,
        },
    );
    for c in &report.checks {
        assert!(
            matches!(c.outcome, Outcome::Pass | Outcome::NotAssessable { .. }),
            "{}: {} in the e2e shape\n{}",
            c.id,
            c.outcome.keyword(),
            rendered(&report)
        );
    }
    insta::assert_snapshot!(rendered(&report));
}

/// The addendum's documents (tasks 22 and 23) are only seen if the pack asks the agent for
/// them: the core derives the `linux` file request from the `file` checks.
#[test]
fn exam_packs_request_the_addendum_documents() {
    for id in ["tssr-2023-msp-titre", "tssr-2023-msp-ccp1"] {
        let requests = constat_checker_core::pack::file_requests(&pack(id));
        let linux = &requests["linux"].paths;
        for path in [
            "/srv/docs/exploitation.md",
            "/srv/docs/kb/reactivation-compte.md",
        ] {
            assert!(
                linux.iter().any(|p| p == path),
                "{id}: {path} not requested: {linux:?}"
            );
        }
    }
}

/// The snapshot an agent would send for a section selection: every section outside it is
/// `not_collected` ("not requested"), as `agent/src/collect.rs` records it, and the optional
/// parts left out (`without`: pending updates) are `not_collected` as the agent's
/// `packages.rs` records them. `None` = all.
fn as_if_requested(snapshot: &mut Snapshot, sections: Option<&[String]>, without: &[String]) {
    if without.iter().any(|p| p == "packages.updates")
        && let Section::Collected { data } = &mut snapshot.sections.packages
    {
        data.updates = constat_snapshot::packages::PendingUpdates::not_requested();
    }
    let Some(wanted) = sections else { return };
    let mut value = serde_json::to_value(&snapshot.sections).expect("sections serialize");
    let map = value.as_object_mut().expect("an object");
    for (name, section) in map.iter_mut() {
        if !wanted.iter().any(|w| w == name) {
            *section = serde_json::to_value(Section::<()>::not_collected(
                "not requested (the checks read no data from this section)",
            ))
            .expect("a status");
        }
    }
    snapshot.sections = serde_json::from_value(value).expect("sections deserialize");
}

/// Collecting only the sections the pack reads (`constat check`; a session's end phase with
/// the diff's sections too) grades exactly as a full collection: every shipped pack, on its
/// pass and fail fixtures, gives the same report. This is what keeps each kind's declared
/// `SECTIONS` honest.
#[test]
fn grading_on_the_requested_sections_equals_grading_on_everything() {
    use constat_checker_core::pack::{sections_for, unread_parts_for};
    let same = |pack: &Pack, full: Report, reduced: Report, what: &str| {
        assert_eq!(
            serde_json::to_value(&full).unwrap(),
            serde_json::to_value(&reduced).unwrap(),
            "{}: {what}: grading differs when only the requested sections are collected",
            pack.id
        );
    };
    for (id, _) in LABS {
        let p = pack(id);
        let sections = sections_for(&p, "linux", false);
        let without = unread_parts_for(&p, "linux", false);
        for state in ["pass", "fail"] {
            let fixture = format!("{id}/{state}.json");
            let mut end = snapshot(&fixture);
            as_if_requested(&mut end, sections.as_deref(), &without);
            let input = CandidateInput {
                id: "fixture".to_owned(),
                name: Some(fixture.clone()),
                variables: BTreeMap::new(),
                expected_identity: Default::default(),
                hosts: BTreeMap::from([(
                    "linux".to_owned(),
                    HostObservation {
                        end: Observed::Snapshot(Box::new(end)),
                        start: None,
                    },
                )]),
            };
            let options = GradeOptions {
                graded_at: GRADED_AT.to_owned(),
                profile: None,
                timezone: None,
            };
            same(
                &p,
                graded(&p, &fixture, GRADED_AT),
                grade(&p, &input, &options),
                &fixture,
            );
        }
    }
    for (id, dirs, _) in EXAMS {
        let p = pack(id);
        for state in ["pass", "fail"] {
            let full = graded_roles(&p, dirs, state, GRADED_AT);
            let mut reduced_input = graded_input(&p, dirs, state);
            for (role, host) in reduced_input.hosts.iter_mut() {
                let sections = sections_for(&p, role, host.start.is_some());
                let without = unread_parts_for(&p, role, host.start.is_some());
                if let Observed::Snapshot(end) = &mut host.end {
                    as_if_requested(end, sections.as_deref(), &without);
                }
            }
            let options = GradeOptions {
                graded_at: GRADED_AT.to_owned(),
                profile: None,
                timezone: None,
            };
            same(&p, full, grade(&p, &reduced_input, &options), state);
        }
    }
}

/// One language at a time: every shipped pack writes the English form of each French text
/// (pack title and description, role and variable descriptions, each check's title, hint
/// and explanation, and what `overrides:` changes), so an English reader never gets a
/// report in two languages.
#[test]
fn every_shipped_pack_has_the_english_form_of_each_french_text() {
    let mut missing = Vec::new();
    for p in crate::embedded::packs() {
        for u in pack(p.id).untranslated() {
            missing.push(format!("{}:{} lacks {}", p.id, u.place, u.field));
        }
    }
    assert!(
        missing.is_empty(),
        "French texts without their English form (write the `_en` field beside the French one):\n{}",
        missing.join("\n")
    );
}
