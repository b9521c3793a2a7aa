//! Applied vs written on a booted systemd Debian (`systemd-nspawn -b`): `sshd_config` edited
//! without restarting sshd must not pass a `sshd` check, and says why; after
//! `systemctl reload ssh` the same check passes. The agent runs inside the container, the
//! `constat` CLI grades its snapshot on this machine.
//!
//! The file's modification time is set from systemd's own timestamps (one second after the
//! daemon started and turned active, then one second before the reload), so the result never
//! depends on how fast the machine is; the container is used once systemd says it has
//! finished starting up (`systemctl is-system-running --wait`).

use constat_tests::nspawn::{Container, debian_root};
use constat_tests::real::{agent_binary, cli_command, real_tests_enabled, require_programs};
use serde_json::Value;
use std::path::Path;

const PACK: &str = r#"pack:
  id: applied-sshd
  title: "sshd appliqué"
  version: "1"
  referentiel: tssr-2023
  profile: titre
hosts:
  linux: {os: linux}
checks:
  - id: no-root-ssh
    title: "Connexion SSH de root interdite"
    criteres: [tssr-2023/CP3/C1]
    hosts: [linux]
    points: 1
    expect:
      sshd: {settings: {PermitRootLogin: "no"}}
"#;

fn sh(container: &Container, script: &str) -> String {
    let out = container.exec(&["/bin/sh", "-c", script]);
    assert!(
        out.status.success(),
        "`{script}` failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        container.console()
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// systemd's `property` of ssh.service in seconds since the epoch (`@1733130000`).
fn unix_timestamp(container: &Container, property: &str) -> i64 {
    let text = sh(
        container,
        &format!("systemctl show -p {property} --timestamp=unix --value ssh"),
    );
    text.trim_start_matches('@')
        .parse()
        .unwrap_or_else(|e| panic!("{property} {text:?}: {e}"))
}

/// Collects sshd and services in the container and grades them; the check's result JSON.
fn grade(container: &Container, dir: &Path, label: &str) -> Value {
    let out = container.exec(&[
        "/usr/local/bin/constat-agent",
        "collect",
        "--only",
        "sshd,services",
    ]);
    assert!(
        out.status.success(),
        "agent failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
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
    let report: Value = serde_json::from_slice(
        &std::fs::read(report_dir.join("report.json")).unwrap_or_else(|e| {
            panic!(
                "no report ({e}): {}",
                String::from_utf8_lossy(&graded.stderr)
            )
        }),
    )
    .expect("report is JSON");
    report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "no-root-ssh"))
        .cloned()
        .expect("the check is in the report")
}

#[test]
fn sshd_config_edited_without_restart_does_not_pass() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["systemd-nspawn", "debootstrap", "nsenter", "ip", "mount"]);
    let agent = agent_binary();
    let root = debian_root();
    let container = Container::boot(&root, "applied", |merged| {
        std::fs::copy(&agent, merged.join("usr/local/bin/constat-agent"))
            .unwrap_or_else(|e| panic!("cannot copy the agent: {e}"));
    });
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("pack.yaml"), PACK).expect("write the pack");
    sh(&container, "systemctl is-active ssh");
    // The candidate's mistake: the file is right, sshd was never restarted. The kind takes
    // sshd as applied when its main process started or systemd last changed its state,
    // whichever is later; ssh turns active only once sshd says it is ready, which on a loaded
    // machine is seconds after the process started: the file is dated one second after both.
    let applied = unix_timestamp(&container, "ExecMainStartTimestamp")
        .max(unix_timestamp(&container, "StateChangeTimestamp"));
    sh(
        &container,
        &format!(
            "sed -i 's/^#\\?PermitRootLogin.*/PermitRootLogin no/' /etc/ssh/sshd_config && \
             grep -q '^PermitRootLogin no' /etc/ssh/sshd_config && \
             touch -d @{} /etc/ssh/sshd_config",
            applied + 1
        ),
    );
    let check = grade(&container, dir.path(), "edited");
    assert_ne!(check["outcome"]["status"], "pass", "{check:#}");
    let text = check.to_string();
    assert!(text.contains("change probably not applied"), "{check:#}");
    assert!(text.contains("/etc/ssh/sshd_config"), "{check:#}");

    // Reloaded: the files are applied, the check passes.
    sh(&container, "systemctl reload ssh");
    let reloaded = unix_timestamp(&container, "StateChangeTimestamp");
    sh(
        &container,
        &format!("touch -d @{} /etc/ssh/sshd_config", reloaded - 1),
    );
    let check = grade(&container, dir.path(), "reloaded");
    assert_eq!(check["outcome"]["status"], "pass", "{check:#}");
}
