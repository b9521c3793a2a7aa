//! A session whose `supervision` host is a real Icinga2 2.13 read through its REST API
//! (tests/src/icinga2.rs: icinga2 in a network namespace with only loopback, its API
//! certificate signed by a CA made for the test; `constat` runs in that namespace).
//! Phase start: the service `backup-flag` is CRITICAL: `monitoring_alert` sees the problem,
//! not its resolution. Phase end: its plugin exits 0, the service is OK after its problem:
//! `resolved` passes (read from `last_state_critical` and `last_state_change`). Each phase's
//! report is compared in full (times redacted). One candidate
//! verifies the certificate with the CA file, one reads by IP with `tls: insecure`, one by IP
//! with verification (refused: the certificate names `localhost`), one gives a wrong password
//! (refused). Needs root and CONSTAT_REAL_TESTS=1.

use constat_tests::icinga2::{FLAG_CRITICAL, Icinga2Lab, READER_PASSWORD, READER_USER};
use constat_tests::real::real_tests_enabled;
use constat_tests::sshhost::workspace_binary;
use serde_json::{Value, json};
use std::path::Path;

const PACK: &str = "pack:
  id: icinga2-live
  title: Icinga2 live
  version: '1'
  referentiel: tssr-2023
  profile: lab
hosts:
  supervision: {os: appliance}
checks:
  - id: supervised
    title: supervised
    criteres: [tssr-2023/CP5/C2]
    hosts: [supervision]
    points: 1
    expect:
      monitored_host: {host: srv-debian-01, services: [backup-flag]}
  - id: alert-open
    title: alert open
    criteres: [tssr-2023/CP5/C3]
    hosts: [supervision]
    points: 1
    expect:
      monitoring_alert: {host: srv-debian-01, service: backup-flag, state: problem}
  - id: alert-resolved
    title: alert resolved
    criteres: [tssr-2023/CP5/C3]
    hosts: [supervision]
    points: 1
    expect:
      monitoring_alert: {host: srv-debian-01, service: backup-flag, state: resolved}
";

fn constat(lab: &Icinga2Lab, env: &[String], args: &[&str]) -> (Option<i32>, String, String) {
    let binary = workspace_binary("constat").display().to_string();
    let mut argv: Vec<&str> = vec!["env"];
    argv.extend(env.iter().map(String::as_str));
    argv.push(&binary);
    argv.extend(args);
    let whole = std::time::Instant::now();
    let out = lab.in_ns(&argv).expect("run constat in the lab namespace");
    // For BENCHMARKS.md (`-- --nocapture`), printed, never asserted.
    eprintln!(
        "constat {}: whole process {} ms",
        args.join(" "),
        whole.elapsed().as_millis()
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every RFC 3339 time of `text` as `[TIME]`: the run's clock, never asserted.
fn without_times(text: &str) -> String {
    regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
        .unwrap()
        .replace_all(text, "[TIME]")
        .into_owned()
}

/// `constat grade --format json` of the supervision snapshot `snapshot` with [`PACK`], the
/// report with its times redacted.
fn grade(lab: &Icinga2Lab, pack: &Path, snapshot: &Path) -> Value {
    let (_, out, err) = constat(
        lab,
        &[],
        &[
            "grade",
            "--format",
            "json",
            "--lang",
            "en",
            "--pack",
            &pack.display().to_string(),
            "--snapshot",
            &format!("supervision={}", snapshot.display()),
        ],
    );
    serde_json::from_str(&without_times(&out)).unwrap_or_else(|e| panic!("{e}\n{out}\n{err}"))
}

fn outcomes(report: &Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_owned(),
                c["outcome"]["status"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

fn snapshot_report(name: &str, report: &Value) {
    insta::assert_json_snapshot!(name, report, {
        ".tool" => "[TOOL]",
        ".hosts[].duration_ms" => "[MS]",
    });
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_session_reads_icinga2_sees_the_alert_then_its_resolution() {
    if !real_tests_enabled() {
        return;
    }
    let lab = Icinga2Lab::start().unwrap_or_else(|e| panic!("{e}"));
    lab.schedule_downtime().unwrap_or_else(|e| panic!("{e}"));
    let work = tempfile::tempdir().unwrap();
    let ca = lab.ca_file().display().to_string();
    let inventory = format!(
        "session: {{ id: lab-icinga2-{pid}, referentiel: TSSR }}
settings: {{ concurrency: 4, connect_timeout_s: 10, host_timeout_s: 60 }}
defaults:
  supervision: {{ transport: icinga2, address: localhost, user: {READER_USER}, cred: ic }}
candidates:
  - id: c01
    name: Alice Martin
    hosts: {{ supervision: {{ ca_file: '{ca}' }} }}
  - id: c02-insecure
    name: Bruno Petit
    hosts: {{ supervision: {{ address: 127.0.0.1, tls: insecure }} }}
  - id: c03-wrong-name
    name: Chloé Durand
    hosts: {{ supervision: {{ address: 127.0.0.1, ca_file: '{ca}' }} }}
  - id: c04-badpw
    name: Denis Moreau
    hosts: {{ supervision: {{ cred: ic-wrong, ca_file: '{ca}' }} }}
",
        pid = std::process::id()
    );
    let inventory_path = work.path().join("inventory.yaml");
    std::fs::write(&inventory_path, inventory).unwrap();
    let session = work.path().join("session");
    let session_arg = session.display().to_string();
    let env = [
        format!("CONSTAT_CRED_IC={READER_PASSWORD}"),
        "CONSTAT_CRED_IC_WRONG=not-the-password".to_owned(),
    ];
    let (code, out, err) = constat(
        &lab,
        &env,
        &[
            "session",
            "init",
            "--inventory",
            &inventory_path.display().to_string(),
            &session_arg,
        ],
    );
    assert_eq!(code, Some(0), "{out}\n{err}");
    let pack = work.path().join("pack.yaml");
    std::fs::write(&pack, PACK).unwrap();

    // Phase start: the flag is missing, `backup-flag` is CRITICAL (Icinga2::start waited
    // for its first check).
    let (code, out, err) = constat(
        &lab,
        &env,
        &[
            "session",
            "run",
            &session_arg,
            "--phase",
            "start",
            "--quiet",
        ],
    );
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(!out.contains(READER_PASSWORD) && !err.contains(READER_PASSWORD));
    let start = session.join("c01/start/supervision.json");
    let snapshot = read_json(&start);
    let insecure = read_json(&session.join("c02-insecure/start/supervision.json"));
    // Read one after the other: the same objects, but `last_state_critical` may have moved
    // by a check in between.
    assert_eq!(
        without_times(&snapshot["sections"]["supervision"].to_string()),
        without_times(&insecure["sections"]["supervision"].to_string())
    );
    // The downtime scheduled through the API, read back; its times are this run's clock.
    let mut supervision = snapshot["sections"]["supervision"].clone();
    assert_eq!(
        supervision["data"]["services"][0]["output"], FLAG_CRITICAL,
        "{supervision}"
    );
    assert_eq!(supervision["data"]["downtimes_read"], true, "{supervision}");
    let downtimes = supervision["data"]["downtimes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(downtimes.len(), 1, "{supervision}");
    let d = &downtimes[0];
    assert_eq!(
        (
            &d["host"],
            &d["service"],
            &d["author"],
            &d["comment"],
            &d["fixed"]
        ),
        (
            &json!("srv-debian-01"),
            &json!("backup-flag"),
            &json!("examiner"),
            &json!("maintenance de la sauvegarde"),
            &json!(true)
        )
    );
    let (from, until) = (
        d["start"].as_str().unwrap_or_default(),
        d["end"].as_str().unwrap_or_default(),
    );
    assert!(from.ends_with('Z') && until > from, "{d}");
    supervision["data"]["downtimes"] = json!("(checked above)");
    let supervision: Value =
        serde_json::from_str(&without_times(&supervision.to_string())).unwrap();
    insta::assert_json_snapshot!(
        "icinga2_view",
        json!({
            "agent": snapshot["collection"]["agent"],
            "transport": [snapshot["collection"]["transport"], insecure["collection"]["transport"]],
            "supervision": supervision,
        })
    );
    let report = grade(&lab, &pack, &start);
    assert_eq!(
        outcomes(&report),
        [
            ("supervised".to_owned(), "pass".to_owned()),
            ("alert-open".to_owned(), "pass".to_owned()),
            // CRITICAL now: not resolved (and never not assessable: the facts were read).
            ("alert-resolved".to_owned(), "fail".to_owned()),
        ]
    );
    snapshot_report("icinga2_critical_report", &report);

    // Phase end: the candidate restores the flag, the plugin exits 0; `backup-flag` is OK
    // after its problem.
    lab.set_flag_check(0, "OK: backup flag present")
        .unwrap_or_else(|e| panic!("{e}"));
    lab.wait_for_flag_state(0).unwrap_or_else(|e| panic!("{e}"));
    let (code, out, err) = constat(
        &lab,
        &env,
        &["session", "run", &session_arg, "--phase", "end", "--quiet"],
    );
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(!out.contains(READER_PASSWORD) && !err.contains(READER_PASSWORD));
    let manifest_text = std::fs::read_to_string(session.join("manifest.json")).unwrap();
    assert!(!manifest_text.contains(READER_PASSWORD));
    let manifest: Value = serde_json::from_str(&manifest_text).unwrap();
    let hosts: Vec<Value> = manifest["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| json!([h["candidate"], h["phase"], h["status"], h["error"]["kind"]]))
        .collect();
    insta::assert_json_snapshot!("icinga2_manifest_hosts", hosts);
    // One language at a time: the refused certificate (another name) and the refused
    // password read in French first, the library's own text only after « détail ».
    let failures: Vec<&str> = manifest["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["error"]["message"].as_str())
        .collect();
    assert!(!failures.is_empty(), "{manifest}");
    for failure in &failures {
        constat_cli::one_language::assert_french_first(failure);
    }
    assert!(
        failures
            .iter()
            .any(|f| f.contains("le certificat du serveur ne porte pas le nom")),
        "{failures:?}"
    );
    let report = grade(&lab, &pack, &session.join("c01/end/supervision.json"));
    assert_eq!(
        outcomes(&report),
        [
            ("supervised".to_owned(), "pass".to_owned()),
            ("alert-open".to_owned(), "fail".to_owned()),
            ("alert-resolved".to_owned(), "pass".to_owned()),
        ]
    );
    snapshot_report("icinga2_resolved_report", &report);
}
