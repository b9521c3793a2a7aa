//! A session whose `dc` hosts are read over LDAPS from a real Samba AD DC
//! (tests/src/samba.rs: DC in its own namespaces, `constat` run in a client namespace with
//! no default route). One candidate's DC is collected with the right password; another's
//! bind is refused and the manifest says so; others meet a closed port, plain LDAP on the
//! LDAPS port and a certificate not verified, each worded in French then read in English. Needs root and CONSTAT_REAL_TESTS=1.

use constat_tests::real::real_tests_enabled;
use constat_tests::samba::{ADMIN_PASSWORD, DC_IP, SambaDc};
use constat_tests::sshhost::workspace_binary;
use serde_json::{Value, json};
use std::path::Path;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `constat` in the DC's client namespace with the credentials in the environment.
fn constat(dc: &SambaDc, args: &[&str]) -> Run {
    let binary = workspace_binary("constat").display().to_string();
    let mut full = vec![
        "CONSTAT_CRED_DC=".to_owned() + ADMIN_PASSWORD,
        "CONSTAT_CRED_DC_WRONG=not-the-password".to_owned(),
        binary,
    ];
    full.extend(args.iter().map(|a| (*a).to_owned()));
    let full: Vec<&str> = full.iter().map(String::as_str).collect();
    let output = dc
        .run_in_client(Path::new("/usr/bin/env"), &full, "")
        .unwrap_or_else(|e| panic!("{e}"));
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn a_session_reads_the_dc_over_ldaps_and_reports_a_refused_bind() {
    if !real_tests_enabled() {
        return;
    }
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    let work = tempfile::tempdir().unwrap();
    let inventory = format!(
        "session: {{ id: lab-ldap-{pid}, referentiel: TSSR }}
settings: {{ concurrency: 2, connect_timeout_s: 10, host_timeout_s: 120 }}
defaults:
  dc: {{ transport: ldap, address: '{DC_IP}', user: Administrator@tssr.lan, cred: dc, tls: insecure, utc_offset_minutes: 60 }}
candidates:
  - {{ id: c01, name: Alice Martin }}
  - id: c02-badpw
    name: Bruno Petit
    hosts: {{ dc: {{ cred: dc-wrong, sysvol: false }} }}
  - id: c03-port1
    name: Chloé Port
    hosts: {{ dc: {{ port: 1, sysvol: false }} }}
  - id: c04-plain
    name: Denis Clair
    hosts: {{ dc: {{ port: 636, tls: plain, sysvol: false }} }}
  - id: c05-verify
    name: Emma Verif
    hosts: {{ dc: {{ tls: verify, sysvol: false }} }}
",
        pid = std::process::id()
    );
    let inventory_path = work.path().join("inventory.yaml");
    std::fs::write(&inventory_path, inventory).unwrap();
    let session = work.path().join("session");
    let session_arg = session.display().to_string();

    let init = constat(
        &dc,
        &[
            "session",
            "init",
            "--inventory",
            &inventory_path.display().to_string(),
            &session_arg,
        ],
    );
    assert_eq!(init.code, Some(0), "{}\n{}", init.stdout, init.stderr);

    let run = constat(
        &dc,
        &["session", "run", &session_arg, "--phase", "end", "--quiet"],
    );
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(
        !run.stdout.contains(ADMIN_PASSWORD) && !run.stderr.contains(ADMIN_PASSWORD),
        "the password leaked"
    );

    // One language at a time: each failure reads in French first (the run's language), the
    // library's own text only after « détail »; read back in English, the same failures are
    // English.
    let status_fr = constat(&dc, &["session", "status", &session_arg]);
    assert_eq!(status_fr.code, Some(0), "{}", status_fr.stderr);
    let status_en = constat(&dc, &["--lang", "en", "session", "status", &session_arg]);
    assert_eq!(status_en.code, Some(0), "{}", status_en.stderr);
    let failures = |text: &str| -> String {
        text.lines()
            .filter(|l| l.starts_with("  "))
            .collect::<Vec<_>>()
            .join("\n")
            .replace(DC_IP, "[DC]")
    };
    constat_cli::one_language::assert_french_first(&failures(&status_fr.stdout));
    insta::assert_snapshot!(
        "ldap_failures_both_languages",
        format!(
            "{}\n---\n{}",
            failures(&status_fr.stdout),
            failures(&status_en.stdout)
        )
    );

    let manifest_text = std::fs::read_to_string(session.join("manifest.json")).unwrap();
    assert!(!manifest_text.contains(ADMIN_PASSWORD));
    let manifest: Value = serde_json::from_str(&manifest_text).unwrap();
    insta::assert_json_snapshot!("ldap_session_manifest", manifest, {
        ".phases.*.frozen_at" => "[TIME]",
        ".phases.*.finished_at" => "[TIME]",
        ".hosts[].collected_at" => "[TIME]",
        ".hosts[].duration_ms" => "[MS]",
        ".hosts[].sha256" => "[SHA256]",
        ".hosts[].round_trips" => "[N]",
        ".session.id" => "[ID]",
    });

    let text = std::fs::read_to_string(session.join("c01/end/dc.json")).unwrap();
    assert!(!text.contains(ADMIN_PASSWORD));
    let snapshot: Value = serde_json::from_str(&text).unwrap();
    let directory = &snapshot["sections"]["directory"];
    let users: Vec<Value> = directory["data"]["users"]
        .as_array()
        .unwrap_or_else(|| panic!("no users in {directory}"))
        .iter()
        .map(|u| json!([u["sam_account_name"], u["ou_dn"], u["enabled"]]))
        .collect();
    let view = json!({
        "agent": snapshot["collection"]["agent"],
        "transport": snapshot["collection"]["transport"],
        "directory": directory["status"],
        "gpos": snapshot["sections"]["gpos"]["status"],
        "domain": directory["data"]["domain"]["dns_name"],
        "users": users,
    });
    insta::assert_json_snapshot!("ldap_session_dc_view", view);
}
