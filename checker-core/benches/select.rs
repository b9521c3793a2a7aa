//! Grading cost of `select` (issue 15 item 1): the per-member expectation is compiled again
//! for each account, and a hostile directory may hold many accounts and deep group chains.
//!
//! Run with `cargo bench -p constat-checker-core --bench select`. Three cases, sequential,
//! median of several runs:
//! * `subject`: 1,000 candidates × a pack of selections on the real Samba collection
//!   (`ad-samba.json`): hours for every member of GG_Compta, two accounts per group over a
//!   `for_each` of three groups, at least two enabled accounts of the OU;
//! * `judged`: one directory whose group holds 500 accounts (the most judged one by one,
//!   half through a nested group), every one judged on its logon hours;
//! * `hostile`: 50,000 accounts and 5,000 groups nested in one chain, counted.
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock; the library does not"
)]

/// The allocator of the binary that grades (`constat`, see `cli/src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use constat_checker_core::pack::load;
use constat_checker_core::{CandidateInput, GradeOptions, grade};
use constat_snapshot::Snapshot;
use constat_snapshot::ad::{Directory, DirectoryGroup, DirectoryUser};
use constat_snapshot::section::Section;
use std::time::Instant;

#[path = "support/candidates.rs"]
mod support;
use support::candidates;

const RUNS: usize = 5;

const HEAD: &str = "pack: {id: bench-select, title: Bench, referentiel: tssr-2023, profile: titre}
hosts: {dc: {os: windows}}
checks:
";

const SUBJECT: &str = r#"  - id: hours
    title: Horaires des membres de GG_Compta
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    partial: true
    expect:
      select:
        ad_user: {member_of: GG_Compta}
        all: {ad_user: {name: "${member}", logon_hours: ["Mon-Fri 08:00-18:00"]}}
  - id: two-per-group
    title: Deux comptes par groupe
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    for_each: [GG_Compta, U_Tous, DL_Partage_Compta_RW]
    expect:
      select: {ad_user: {member_of: "${item}"}, count: {min: 2}}
  - id: ou
    title: Deux comptes actifs dans l'OU
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    expect:
      select:
        ad_user: {ou: Comptabilite}
        at_least: {n: 2, expect: {ad_user: {name: "${member}", enabled: true}}}
"#;

const JUDGED: &str = r#"  - id: hours
    title: Horaires des membres de GG_Big
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    partial: true
    expect:
      select:
        ad_user: {member_of: GG_Big}
        all: {ad_user: {name: "${member}", logon_hours: ["Mon-Fri 08:00-18:00"]}}
"#;

const HOSTILE: &str = r#"  - id: count
    title: Membres de G0000
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    expect:
      select: {ad_user: {member_of: G0000}, count: {min: 2}}
"#;

fn group(name: &str, members: Vec<String>) -> DirectoryGroup {
    DirectoryGroup {
        name: name.to_owned(),
        dn: format!("CN={name},OU=Bench,DC=tssr,DC=lan"),
        ou_dn: "OU=Bench,DC=tssr,DC=lan".to_owned(),
        members,
        ..Default::default()
    }
}

fn user(name: &str, group: &str) -> DirectoryUser {
    DirectoryUser {
        sam_account_name: name.to_owned(),
        dn: format!("CN={name},OU=Bench,DC=tssr,DC=lan"),
        ou_dn: "OU=Bench,DC=tssr,DC=lan".to_owned(),
        enabled: true,
        member_of: vec![format!("CN={group},OU=Bench,DC=tssr,DC=lan")],
        primary_group: Some("Domain Users".to_owned()),
        ..Default::default()
    }
}

/// A directory of `users` accounts spread over `groups` groups, group `i + 1` a member of
/// group `i` (one chain).
fn directory(users: usize, groups: usize, first: &str) -> Directory {
    let name = |i: usize| {
        if i == 0 {
            first.to_owned()
        } else {
            format!("G{i:04}")
        }
    };
    let mut dir = Directory::default();
    for i in 0..groups {
        let mut members: Vec<String> = (0..users)
            .filter(|u| u % groups == i)
            .map(|u| format!("CN=u{u:05},OU=Bench,DC=tssr,DC=lan"))
            .collect();
        if i + 1 < groups {
            members.push(format!("CN={},OU=Bench,DC=tssr,DC=lan", name(i + 1)));
        }
        dir.groups.push(group(&name(i), members));
    }
    for u in 0..users {
        dir.users.push(user(&format!("u{u:05}"), &name(u % groups)));
    }
    dir
}

fn time(label: &str, pack_checks: &str, inputs: &[CandidateInput], evaluations: usize) {
    let pack = load("bench-select.yaml", &format!("{HEAD}{pack_checks}"))
        .unwrap_or_else(|d| panic!("{d:#?}"));
    let options = GradeOptions {
        graded_at: "2026-12-02T13:30:00Z".to_owned(),
        profile: None,
        timezone: None,
    };
    let mut times = Vec::new();
    let mut sink = 0.0;
    for _ in 0..RUNS {
        let start = Instant::now();
        for c in inputs {
            sink += grade(&pack, c, &options).total.earned;
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[RUNS / 2];
    println!(
        "{label}: {} candidate(s), median {:.2} ms over {RUNS} runs (min {:.2}, max {:.2}); {:.1} µs per candidate; {:.2} µs per member judged (checksum {sink})",
        inputs.len(),
        median * 1e3,
        times[0] * 1e3,
        times[RUNS - 1] * 1e3,
        median * 1e6 / inputs.len() as f64,
        median * 1e6 / (inputs.len() * evaluations.max(1)) as f64,
    );
}

fn main() {
    let base = Snapshot::from_json(include_str!("../tests/fixtures/snapshots/ad-samba.json"))
        .expect("fixture");
    // 3 members of GG_Compta + 3 accounts of the OU judged per candidate.
    time("subject", SUBJECT, &candidates(&base, "dc", "DC", 1_000), 6);

    let mut judged = base.clone();
    judged.sections.directory = Section::collected(directory(500, 2, "GG_Big"));
    time("judged", JUDGED, &candidates(&judged, "dc", "DC", 1), 500);

    let mut hostile = base;
    hostile.sections.directory = Section::collected(directory(50_000, 5_000, "G0000"));
    time("hostile", HOSTILE, &candidates(&hostile, "dc", "DC", 1), 0);
}
