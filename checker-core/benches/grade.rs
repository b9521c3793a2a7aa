//! Grading throughput: 1,000 candidates × a 100-check pack, rendering excluded.
//!
//! Run with `cargo bench -p constat-checker-core --bench grade`. Prints the median of
//! several runs and the check evaluations per second (one core: grading is sequential).
//! Wall time is at the mercy of other processes on a shared machine, so the CPU time of the
//! grading thread (Linux `/proc/thread-self/schedstat`, nanoseconds) is printed too: on a
//! loaded machine, compare that one.
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock; the library does not"
)]

/// The allocator of the binary that grades (`constat`, see `cli/src/main.rs`): measure what
/// examiners run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use constat_checker_core::pack::load;
use constat_checker_core::{GradeOptions, grade};
use constat_snapshot::Snapshot;
use std::time::Instant;

#[path = "support/candidates.rs"]
mod support;
use support::candidates;

const CANDIDATES: usize = 1_000;
const RUNS: usize = 5;

/// 100 checks cycling through the kinds, facts and combinators, on one Linux host.
fn pack_text() -> String {
    let templates = [
        r#"user: {name: alice, shell: /bin/bash, groups: [compta]}"#,
        r#"group: {name: compta, members: [alice, bob]}"#,
        r#"sudo: {principal: alice, command: /usr/bin/systemctl restart apache2}"#,
        r#"file: {path: /srv/compta, kind: directory, mode: "2770", group: compta}"#,
        r#"package: {name: apache2}"#,
        r#"service: {name: apache2, running: true, enabled: true}"#,
        r#"port: {port: 80, process: apache2}"#,
        r#"firewall: {active: true, input_policy: drop, allow: ["22/tcp", "80/tcp"], deny: ["23/tcp"]}"#,
        r#"scheduled_job: {command: "tar czf /srv/backup", schedule: "30 23 * * *"}"#,
        r#"backup_job: {tool: tar, destination: "^/srv/backup/", max_age_hours: 24}"#,
        r#"share: {name: compta, path: /srv/compta, valid_users: ["@compta"]}"#,
        r#"sshd: {settings: {PermitRootLogin: "no"}}"#,
        r#"network: {gateway: 192.0.2.1, nameservers: [10.255.255.53]}"#,
        r#"fact: {path: "users[name=bob].password.must_change", equals: true}"#,
        r#"fact: {path: "packages.installed[name=openssh-server].version", regex: "^1:9"}"#,
        r#"all: [{user: {name: bob}}, {none: [{package: {name: telnetd}}, {port: {port: 23}}]}]"#,
        r#"at_least: {n: 2, of: [{user: {name: alice}}, {user: {name: bob}}, {user: {name: carol}}]}"#,
        r#"any: [{service: {name: nginx, running: true}}, {service: {name: apache2, running: true}}]"#,
    ];
    let mut text = String::from(
        "pack: {id: bench, title: bench, referentiel: tssr-2023, profile: lab}\nhosts: {linux: {os: linux}}\nchecks:\n",
    );
    let criteres = [
        "tssr-2023/CP3/C1",
        "tssr-2023/CP3/C2",
        "tssr-2023/CP4/C2",
        "tssr-2023/CP7/C1",
        "tssr-2023/CP8/C1",
    ];
    for i in 0..100 {
        text.push_str(&format!(
            "  - id: c{i:03}\n    title: \"vérification {i}\"\n    criteres: [{}]\n    hosts: [linux]\n    points: {}\n    expect: {{{}}}\n",
            criteres[i % criteres.len()],
            1 + i % 3,
            templates[i % templates.len()]
        ));
    }
    text
}

/// CPU time consumed by this thread so far, in seconds (`None` off Linux).
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn main() {
    let pack = load("bench.yaml", &pack_text()).unwrap_or_else(|d| panic!("{d:#?}"));
    let base = Snapshot::from_json(include_str!("../tests/fixtures/snapshots/linux-lab.json"))
        .expect("fixture");
    let candidates = candidates(&base, "linux", "srv", CANDIDATES);
    let options = GradeOptions {
        graded_at: "2026-11-23T17:35:00Z".to_owned(),
        profile: None,
        timezone: None,
    };
    let checks = pack.checks().count();
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut sink = 0.0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let cpu_start = thread_cpu_seconds();
        for c in &candidates {
            let report = grade(&pack, c, &options);
            sink += report.total.earned;
        }
        times.push(start.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_seconds()) {
            cpu_times.push(b - a);
        }
    }
    times.sort_by(f64::total_cmp);
    cpu_times.sort_by(f64::total_cmp);
    let median = times[RUNS / 2];
    let evals = (CANDIDATES * checks) as f64;
    println!(
        "graded {CANDIDATES} candidates × {checks} checks: median {:.1} ms over {RUNS} runs (min {:.1}, max {:.1}); {:.0} check evaluations/s; {:.1} µs per candidate report (checksum {sink})",
        median * 1e3,
        times[0] * 1e3,
        times[RUNS - 1] * 1e3,
        evals / median,
        median * 1e6 / CANDIDATES as f64
    );
    if let Some(&cpu) = cpu_times.get(RUNS / 2) {
        println!(
            "thread CPU time: median {:.1} ms (min {:.1}, max {:.1}); {:.0} check evaluations per CPU second; {:.1} µs CPU per candidate report",
            cpu * 1e3,
            cpu_times[0] * 1e3,
            cpu_times[cpu_times.len() - 1] * 1e3,
            evals / cpu,
            cpu * 1e6 / CANDIDATES as f64
        );
    }
}
