//! Collect what the pack reads, for real: a pack reading only `users` and `files` makes the
//! agent run only the collectors of those sections (the snapshot's collector list, and the
//! programs it starts counted with `strace -f -e execve`), and grading that snapshot gives
//! the same report as grading a full collection of the same host.

use constat_checker_core::pack::{file_requests, load, sections_for};
use constat_snapshot::Snapshot;
use constat_tests::grading::grade_snapshot;
use constat_tests::real::{agent_binary, real_tests_enabled, require_programs};
use std::process::Command;

const PACK: &str = "pack: {id: users-files, title: t, referentiel: tssr-2023, profile: lab}
hosts: {linux: {os: linux}}
checks:
  - id: root-account
    title: root exists with uid 0
    criteres: [tssr-2023/CP3/C1]
    hosts: [linux]
    expect: {user: {name: root, uid: 0}}
  - id: passwd-mode
    title: /etc/passwd is 0644 root
    criteres: [tssr-2023/CP3/C1]
    hosts: [linux]
    expect: {file: {path: /etc/passwd, mode: \"0644\", owner: root}}
  - id: no-such-account
    title: an account that is not there
    criteres: [tssr-2023/CP3/C1]
    hosts: [linux]
    expect: {user: {name: constat-nobody-here}}
";

/// Runs the agent on the live host with `request` on stdin, under strace; returns the
/// snapshot and the number of programs the agent started (its own exec excluded).
fn collect(request: &str, dir: &std::path::Path, name: &str) -> (Snapshot, usize) {
    let request_path = dir.join(format!("{name}-request.json"));
    std::fs::write(&request_path, request).expect("write the request");
    let trace = dir.join(format!("{name}.strace"));
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=execve", "-o"])
        .arg(&trace)
        .arg(agent_binary())
        .arg("collect")
        .arg("--request")
        .arg(&request_path)
        .output()
        .expect("run strace");
    assert!(
        out.status.success(),
        "agent failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let execs = std::fs::read_to_string(&trace)
        .expect("strace output")
        .lines()
        .filter(|l| l.contains("execve(") && !l.contains("= -1"))
        .count()
        - 1;
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    (Snapshot::from_json(&text).expect("a snapshot"), execs)
}

fn graded(pack: &constat_checker_core::pack::Pack, snapshot: Snapshot) -> serde_json::Value {
    let report = grade_snapshot(pack, "live", "linux", snapshot, "2026-12-02T00:00:00Z");
    let mut report = serde_json::to_value(report).expect("report JSON");
    // The hosts' collection times differ between the two runs; nothing else may.
    for host in report["hosts"].as_array_mut().expect("hosts") {
        host["observed_at"] = serde_json::Value::Null;
    }
    report
}

#[test]
fn a_users_and_files_pack_runs_only_those_collectors_and_grades_the_same() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["strace"]);
    let pack = load("users-files.yaml", PACK).expect("valid pack");
    let mut request = file_requests(&pack).remove("linux").unwrap_or_default();
    let full_request = serde_json::to_string(&request).expect("request JSON");
    request.sections = sections_for(&pack, "linux", false);
    assert_eq!(
        request.sections.as_deref(),
        Some(&["files".to_owned(), "users".to_owned()][..])
    );
    let selected_request = serde_json::to_string(&request).expect("request JSON");

    let dir = tempfile::tempdir().expect("temporary directory");
    let (full, full_execs) = collect(&full_request, dir.path(), "full");
    let (selected, selected_execs) = collect(&selected_request, dir.path(), "selected");

    let mut ran: Vec<&str> = selected
        .collection
        .collectors
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    ran.sort_unstable();
    ran.dedup();
    assert_eq!(ran, ["files", "users"], "only the requested collectors run");
    assert!(
        full.collection.collectors.len() > ran.len(),
        "the full collection runs every collector"
    );
    let sections = serde_json::to_value(&selected.sections).expect("sections JSON");
    assert_eq!(
        sections["packages"]["reason"], "not requested (the checks read no data from this section)",
        "a skipped section says why"
    );
    println!("programs started: full collection {full_execs}, users+files {selected_execs}");
    assert!(
        selected_execs < full_execs,
        "the selection starts fewer programs ({selected_execs}) than a full collection ({full_execs})"
    );
    assert_eq!(
        graded(&pack, full),
        graded(&pack, selected),
        "grading differs between a full and a selected collection"
    );
}
