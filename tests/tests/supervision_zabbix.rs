//! A session whose `supervision` host is a real Zabbix 6.0 read through its JSON-RPC API
//! (tests/src/zabbix.rs: PostgreSQL, zabbix_server, zabbix_agentd and the API under `php -S`
//! in a network namespace with only loopback; `constat` runs in that namespace). The trapper
//! item `backup.flag` is fed 0: the trigger raises a problem, the collection sees it and the
//! alert check passes; then fed 1: the problem is resolved, collected again, and the
//! `resolved` check passes. One candidate logs in with the read-only account, one uses its
//! API token, one gives a wrong password (refused, named in the manifest). Needs root and
//! CONSTAT_REAL_TESTS=1.

use constat_tests::real::real_tests_enabled;
use constat_tests::sshhost::workspace_binary;
use constat_tests::zabbix::{API_PORT, HOST, READER_PASSWORD, READER_USER, ZabbixLab};
use serde_json::{Value, json};
use std::path::Path;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn constat(lab: &ZabbixLab, env: &[String], args: &[&str]) -> Run {
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
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const PACK: &str = "pack:
  id: zabbix-live
  title: Zabbix live
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
      monitored_host: {host: srv-debian-01, services: [backup.flag]}
  - id: alert-open
    title: alert open
    criteres: [tssr-2023/CP5/C3]
    hosts: [supervision]
    points: 1
    expect:
      monitoring_alert: {host: srv-debian-01, service: backup.flag, state: problem}
  - id: alert-resolved
    title: alert resolved
    criteres: [tssr-2023/CP5/C3]
    hosts: [supervision]
    points: 1
    expect:
      monitoring_alert: {host: srv-debian-01, service: Backup missing on srv-debian-01, state: resolved}
";

/// Grades `snapshot` with `pack`: each check's id and outcome.
fn outcomes(lab: &ZabbixLab, pack: &Path, snapshot: &Path) -> Vec<(String, String)> {
    let run = constat(
        lab,
        &[],
        &[
            "grade",
            "--format",
            "json",
            "--pack",
            &pack.display().to_string(),
            "--snapshot",
            &format!("supervision={}", snapshot.display()),
        ],
    );
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", run.stdout, run.stderr));
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

/// The parts of a collected snapshot that do not depend on the run (times, ids).
fn view(path: &Path) -> Value {
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let sup = &snapshot["sections"]["supervision"];
    let data = &sup["data"];
    json!({
        "agent": snapshot["collection"]["agent"],
        "transport": snapshot["collection"]["transport"],
        "status": sup["status"],
        "product": data["product"],
        "hosts": data["hosts"],
        "services": data["services"],
        // The agent's own items (`agent.ping`) get their first value whenever the server first
        // polls the agent: before or after the collection, so their value is not compared.
        "items": data["items"].as_array().map(|items| items.iter().map(|i| {
            let value = if i["key"].as_str().is_some_and(|k| k.starts_with("agent.")) {
                json!("[polled when the server gets to it]")
            } else {
                i["last_value"].clone()
            };
            json!([i["host"], i["key"], i["state"], value])
        }).collect::<Vec<_>>()),
        "problems": data["problems"].as_array().map(|ps| ps.iter().map(|p| json!([p["host"], p["service"], p["severity"], p["resolved_at"].is_string()])).collect::<Vec<_>>()),
    })
}

#[test]
fn a_session_reads_zabbix_sees_the_problem_then_its_resolution() {
    if !real_tests_enabled() {
        return;
    }
    let lab = ZabbixLab::start().unwrap_or_else(|e| panic!("{e}"));
    lab.send_flag(0).unwrap();
    lab.wait_trigger("1").unwrap();

    let work = tempfile::tempdir().unwrap();
    let pack = work.path().join("pack.yaml");
    std::fs::write(&pack, PACK).unwrap();
    let inventory = format!(
        "session: {{ id: lab-zabbix-{pid}, referentiel: TSSR }}
settings: {{ concurrency: 3, connect_timeout_s: 10, host_timeout_s: 120 }}
defaults:
  supervision: {{ transport: zabbix, address: 127.0.0.1, port: {API_PORT}, tls: plain, api_path: /api_jsonrpc.php, user: {READER_USER}, cred: zbx }}
candidates:
  - {{ id: c01, name: Alice Martin }}
  - id: c02-token
    name: Bruno Petit
    hosts: {{ supervision: {{ user: '', cred: zbx-token }} }}
  - id: c03-badpw
    name: Chloé Durand
    hosts: {{ supervision: {{ cred: zbx-wrong }} }}
",
        pid = std::process::id()
    );
    let inventory_path = work.path().join("inventory.yaml");
    std::fs::write(&inventory_path, inventory).unwrap();
    let session = work.path().join("session");
    let session_arg = session.display().to_string();
    let env = [
        format!("CONSTAT_CRED_ZBX={READER_PASSWORD}"),
        format!("CONSTAT_CRED_ZBX_TOKEN={}", lab.reader_token),
        "CONSTAT_CRED_ZBX_WRONG=not-the-password".to_owned(),
    ];

    let init = constat(
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
    assert_eq!(init.code, Some(0), "{}\n{}", init.stdout, init.stderr);

    // Problem open: collected at the start phase.
    let run = constat(
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
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    for secret in [READER_PASSWORD, lab.reader_token.as_str()] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    }
    let manifest_text = std::fs::read_to_string(session.join("manifest.json")).unwrap();
    assert!(!manifest_text.contains(READER_PASSWORD) && !manifest_text.contains(&lab.reader_token));
    let manifest: Value = serde_json::from_str(&manifest_text).unwrap();
    let hosts: Vec<Value> = manifest["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| json!([h["candidate"], h["phase"], h["status"], h["error"]["kind"]]))
        .collect();
    insta::assert_json_snapshot!("zabbix_start_manifest_hosts", hosts);

    let start = session.join("c01/start/supervision.json");
    let token_start = session.join("c02-token/start/supervision.json");
    assert_eq!(
        view(&start),
        view(&token_start),
        "token and login read the same"
    );
    insta::assert_json_snapshot!("zabbix_start_view", view(&start));
    assert_eq!(
        outcomes(&lab, &pack, &start),
        [
            ("supervised".to_owned(), "pass".to_owned()),
            ("alert-open".to_owned(), "pass".to_owned()),
            ("alert-resolved".to_owned(), "fail".to_owned()),
        ]
    );

    // The candidate fixes it: the problem is resolved, collected at the end phase.
    lab.send_flag(1).unwrap();
    lab.wait_trigger("0").unwrap();
    let run = constat(
        &lab,
        &env,
        &["session", "run", &session_arg, "--phase", "end", "--quiet"],
    );
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let end = session.join("c01/end/supervision.json");
    insta::assert_json_snapshot!("zabbix_end_view", view(&end));
    assert_eq!(
        outcomes(&lab, &pack, &end),
        [
            ("supervised".to_owned(), "pass".to_owned()),
            ("alert-open".to_owned(), "fail".to_owned()),
            ("alert-resolved".to_owned(), "pass".to_owned()),
        ]
    );
    // The shipped CP5 pack: the supervision checks pass; the VM is not assessable (no
    // hypervisor here).
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../checks/packs/lab-cp5-supervision.yaml");
    assert_eq!(
        outcomes(&lab, &shipped, &end),
        [
            ("cp5-vm".to_owned(), "not_assessable".to_owned()),
            ("cp5-supervised".to_owned(), "pass".to_owned()),
            ("cp5-alert-resolved".to_owned(), "pass".to_owned()),
        ]
    );
    let _ = HOST;
}
