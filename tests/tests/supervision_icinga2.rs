//! A session whose `supervision` host is a real Icinga2 2.13 read through its REST API
//! (tests/src/icinga2.rs: icinga2 in a network namespace with only loopback, its API
//! certificate signed by a CA made for the test; `constat` runs in that namespace). The
//! service `backup-flag` is CRITICAL: `monitoring_alert` sees the problem. One candidate
//! verifies the certificate with the CA file, one reads by IP with `tls: insecure`, one by IP
//! with verification (refused: the certificate names `localhost`), one gives a wrong password
//! (refused). Needs root and CONSTAT_REAL_TESTS=1.

use constat_tests::icinga2::{Icinga2Lab, READER_PASSWORD, READER_USER};
use constat_tests::real::real_tests_enabled;
use constat_tests::sshhost::workspace_binary;
use serde_json::{Value, json};

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

#[test]
fn a_session_reads_icinga2_and_sees_the_critical_service() {
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
        .map(|h| json!([h["candidate"], h["status"], h["error"]["kind"]]))
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
        constat_tests::one_language::assert_french_first(failure);
    }
    assert!(
        failures
            .iter()
            .any(|f| f.contains("le certificat du serveur ne porte pas le nom")),
        "{failures:?}"
    );

    let end = session.join("c01/end/supervision.json");
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&end).unwrap()).unwrap();
    let insecure: Value = serde_json::from_str(
        &std::fs::read_to_string(session.join("c02-insecure/end/supervision.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        snapshot["sections"]["supervision"],
        insecure["sections"]["supervision"]
    );
    // The downtime scheduled through the API, read back; its times are this run's clock.
    let mut supervision = snapshot["sections"]["supervision"].clone();
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
    insta::assert_json_snapshot!(
        "icinga2_view",
        json!({
            "agent": snapshot["collection"]["agent"],
            "transport": [snapshot["collection"]["transport"], insecure["collection"]["transport"]],
            "supervision": supervision,
        })
    );

    let pack = work.path().join("pack.yaml");
    std::fs::write(&pack, PACK).unwrap();
    let (_, out, err) = constat(
        &lab,
        &[],
        &[
            "grade",
            "--format",
            "json",
            "--pack",
            &pack.display().to_string(),
            "--snapshot",
            &format!("supervision={}", end.display()),
        ],
    );
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}\n{err}"));
    let outcomes: Vec<(String, String)> = report["checks"]
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
        .collect();
    assert_eq!(
        outcomes,
        [
            ("supervised".to_owned(), "pass".to_owned()),
            ("alert-open".to_owned(), "pass".to_owned()),
            // Icinga2 keeps no problem history: never failed, not assessable.
            ("alert-resolved".to_owned(), "not_assessable".to_owned()),
        ]
    );
}
