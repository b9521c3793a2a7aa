//! Real nftables, graded: a network namespace this test creates (10.202.<n>.0/24, no default
//! route, no traffic sent) holds a live ruleset and a private /etc/nftables.conf; the agent
//! collects inside it and the `constat` CLI grades the snapshot with a pack.
//!
//! The candidate's classic mistake: /etc/nftables.conf is right (backup ports 9101-9103 from
//! the LAN only, in a named set) but was never applied, and the live ruleset still opens 9101
//! to everyone. "From the LAN only" must fail naming the rule, and "persisted" must list the
//! rules that are live only and in the file only. After `nft -f /etc/nftables.conf` (what
//! `systemctl reload nftables` does) both pass. The agent compares the file by loading it in
//! a throw-away network namespace of its own (nested in this test's).

use constat_tests::netns::{NetNs, run};
use constat_tests::real::{agent_binary, cli_command, real_tests_enabled, require_programs};
use serde_json::{Value, json};
use std::path::Path;

const PACK: &str = r#"pack:
  id: firewall-live
  title: "Pare-feu du serveur de sauvegarde"
  version: "1"
  referentiel: tssr-2023
  profile: titre
hosts:
  linux: {os: linux}
checks:
  - id: backup-lan-only
    title: "Ports Bareos 9101-9103 ouverts au seul réseau local"
    criteres: [tssr-2023/CP7/C1]
    hosts: [linux]
    points: 2
    expect:
      firewall:
        input_policy: drop
        allow: ["22/tcp"]
        access:
          - {port: 9101-9103/tcp, from: 192.168.1.0/24, only: true}
  - id: persisted
    title: "Les règles en vigueur sont celles de /etc/nftables.conf"
    criteres: [tssr-2023/CP7/C2]
    hosts: [linux]
    points: 1
    expect:
      firewall: {persisted: true}
"#;

/// What the candidate wrote in /etc/nftables.conf (right, never applied).
const NFTABLES_CONF: &str = r#"#!/usr/sbin/nft -f
flush ruleset
table inet filter {
  set lan {
    type ipv4_addr
    flags interval
    elements = { 192.168.1.0/24 }
  }
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    iifname "lo" accept
    tcp dport 22 accept
    tcp dport 9101-9103 jump backup
  }
  chain backup {
    ip saddr @lan accept
  }
}
"#;

/// What is live: the first attempt, which opens 9101 to everyone.
const LIVE: &str = r#"flush ruleset
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    ct state established,related accept
    iifname "lo" accept
    tcp dport 22 accept
    ip saddr 192.168.1.0/24 tcp dport 9101-9103 accept
    tcp dport 9101 accept
  }
}
"#;

/// Collects firewall and network in the namespace, grades, returns the checks' verdicts and
/// evidence.
fn grade(ns: &NetNs, dir: &Path, label: &str) -> Value {
    let out = run(&mut ns.command(agent_binary(), &["collect", "--only", "firewall,network"]));
    let snapshot = dir.join(format!("{label}.json"));
    std::fs::write(&snapshot, &out.stdout).expect("write the snapshot");
    let report_dir = dir.join(label);
    let graded = cli_command()
        .arg("grade")
        .arg("--pack")
        .arg(dir.join("pack.yaml"))
        .arg("--snapshot")
        .arg(format!("linux={}", snapshot.display()))
        .arg("--out")
        .arg(&report_dir)
        .output()
        .expect("run constat grade");
    let text = std::fs::read_to_string(report_dir.join("report.json")).unwrap_or_else(|e| {
        panic!(
            "no report ({e}): {}",
            String::from_utf8_lossy(&graded.stderr)
        )
    });
    let report: Value = serde_json::from_str(&ns.redact(&text)).expect("report is JSON");
    let mut checks = report["checks"].clone();
    for check in checks.as_array_mut().into_iter().flatten() {
        let mut kept = json!({"id": check["id"], "status": check["outcome"]["status"]});
        let evidence: Vec<Value> = check["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| json!({"path": e["path"], "actual": e["actual"], "status": e["status"]}))
            .collect();
        kept["evidence"] = json!(evidence);
        *check = kept;
    }
    checks
}

#[test]
fn live_ruleset_differs_from_nftables_conf() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["ip", "nft", "unshare"]);
    assert!(
        Path::new("/lib/systemd/system/nftables.service").exists(),
        "the nftables package (its unit) is needed: apt-get install nftables"
    );
    let ns = NetNs::create();
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("pack.yaml"), PACK).expect("write the pack");
    std::fs::write(dir.path().join("live.nft"), LIVE).expect("write the live ruleset");
    ns.write_etc("nftables.conf", NFTABLES_CONF);
    // nftables.service enabled in the namespace's /etc, whatever this machine's says.
    let wants = ns.dir().join("etc/systemd/system/sysinit.target.wants");
    std::fs::create_dir_all(&wants).expect("wants directory");
    let _ = std::fs::remove_file(wants.join("nftables.service"));
    std::os::unix::fs::symlink(
        "/lib/systemd/system/nftables.service",
        wants.join("nftables.service"),
    )
    .expect("enable nftables in the namespace");
    ns.sh(&format!("nft -f {}", dir.path().join("live.nft").display()));

    let edited = grade(&ns, dir.path(), "edited");
    assert_eq!(edited[0]["status"], "fail", "{edited:#}");
    assert_eq!(edited[1]["status"], "fail", "{edited:#}");
    insta::assert_json_snapshot!("edited_not_applied", edited);

    // Applied: the live ruleset is the file's; both checks hold.
    ns.sh("nft -f /etc/nftables.conf");
    let applied = grade(&ns, dir.path(), "applied");
    assert_eq!(applied[0]["status"], "pass", "{applied:#}");
    assert_eq!(applied[1]["status"], "pass", "{applied:#}");
    insta::assert_json_snapshot!("applied", applied);
}
