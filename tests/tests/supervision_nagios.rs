//! A supervision server running the real Nagios 4.4 from Debian (`nagios4-core`), collected
//! over a real SSH by the agent and graded with the `lab-cp5-supervision` pack.
//!
//! The simulated host (`sshhost.rs`: its own network, mount and pid namespaces, an overlay
//! over /etc) gets `/etc/nagios4/nagios.cfg` written by this test in its overlay (never the
//! machine's /etc), naming a status file under the host's private /tmp; Nagios runs there as
//! a user created in the overlay (`nagtest`), with a one-second interval length, and dies with
//! the host's pid namespace. The service `backup.flag` runs a script this test writes: exit 2
//! (CRITICAL), then exit 0. The examiner configures nothing: `constat check --host ssh://…
//! --role supervision` finds the status file from the main configuration.
//!
//! Phase 1: the host is up, `backup.flag` is CRITICAL: the alert is seen, not resolved.
//! Phase 2: the script exits 0: `backup.flag` is OK after a problem: resolved.
//! Each report is compared in full (times and lab addresses redacted). The same server is
//! also an exam session's `supervision` role (`session run --phase start` in phase 1,
//! `--phase end` in phase 2, the pack `lab-cp5-supervision` named in the inventory): the
//! session's report of the candidate is compared in full too. Needs root and
//! CONSTAT_REAL_TESTS=1.

use constat_snapshot::nagios_status::parse_nagios_status;
use constat_snapshot::supervision::Supervision;
use constat_tests::sshhost::{Lab, real_tests_enabled, workspace_binary};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

const TOOLS: &[&str] = &["ip", "sshd", "ssh-keygen", "unshare", "useradd", "nagios4"];

/// Run in the host's namespaces before its sshd: the Nagios user, the main configuration
/// (in the /etc overlay), Nagios started as a daemon (it drops to `nagtest`).
const SETUP: &str = r#"useradd -r -M -s /usr/sbin/nologin nagtest
mkdir -p /etc/nagios4 /tmp/nagios/var/checkresults
cat > /etc/nagios4/nagios.cfg <<'EOF'
log_file=/tmp/nagios/var/nagios.log
cfg_file=/tmp/nagios/objects.cfg
object_cache_file=/tmp/nagios/var/objects.cache
precached_object_file=/tmp/nagios/var/objects.precache
status_file=/tmp/nagios/var/status.dat
status_update_interval=1
nagios_user=nagtest
nagios_group=nagtest
check_external_commands=0
command_file=/tmp/nagios/var/nagios.cmd
query_socket=/tmp/nagios/var/nagios.qh
lock_file=/tmp/nagios/var/nagios.lock
temp_file=/tmp/nagios/var/nagios.tmp
temp_path=/tmp/nagios/var
check_result_path=/tmp/nagios/var/checkresults
retain_state_information=0
state_retention_file=/tmp/nagios/var/retention.dat
interval_length=1
max_service_check_spread=1
max_host_check_spread=1
service_inter_check_delay_method=n
host_inter_check_delay_method=n
check_result_reaper_frequency=1
enable_notifications=0
enable_flap_detection=0
use_syslog=0
log_rotation_method=n
illegal_macro_output_chars=`~$&|'"<>
EOF
chown -R nagtest:nagtest /tmp/nagios/var
/usr/sbin/nagios4 -d /etc/nagios4/nagios.cfg
"#;

/// One host, its backup flag check (the script) and an SSH check, every second.
const OBJECTS: &str = r#"define timeperiod {
    timeperiod_name 24x7
    alias           24x7
    sunday          00:00-24:00
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
}
define command {
    command_name check_flag
    command_line /tmp/nagios/check_backup.sh
}
define command {
    command_name check_alive
    command_line /bin/echo "PING OK - srv-debian-01 answers"
}
define contact {
    contact_name                  jury
    host_notifications_enabled    0
    service_notifications_enabled 0
    host_notification_period      24x7
    service_notification_period   24x7
    host_notification_options     n
    service_notification_options  n
    host_notification_commands    check_alive
    service_notification_commands check_alive
}
define host {
    host_name             srv-debian-01
    address               127.0.0.1
    check_command         check_alive
    max_check_attempts    1
    check_interval        1
    retry_interval        1
    check_period          24x7
    notification_period   24x7
    notification_interval 0
    notifications_enabled 0
    contacts              jury
}
define service {
    host_name             srv-debian-01
    service_description   backup.flag
    check_command         check_flag
    max_check_attempts    1
    check_interval        1
    retry_interval        1
    check_period          24x7
    notification_period   24x7
    notification_interval 0
    notifications_enabled 0
    contacts              jury
}
define service {
    host_name             srv-debian-01
    service_description   ssh
    check_command         check_alive
    max_check_attempts    1
    check_interval        1
    retry_interval        1
    check_period          24x7
    notification_period   24x7
    notification_interval 0
    notifications_enabled 0
    contacts              jury
}
"#;

fn write_script(dir: &Path, exit: u8, output: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("check_backup.sh");
    let tmp = dir.join("check_backup.sh.new");
    std::fs::write(&tmp, format!("#!/bin/sh\necho '{output}'\nexit {exit}\n")).unwrap();
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Renamed into place: Nagios never runs a half-written script.
    std::fs::rename(&tmp, &path).unwrap();
}

/// Waits until Nagios's status file shows `backup.flag` in `state` and the host up.
fn wait_for(dir: &Path, state: &str) -> Supervision {
    let started = Instant::now();
    loop {
        let status = std::fs::read(dir.join("var/status.dat")).unwrap_or_default();
        if let Ok(s) = parse_nagios_status(&status, "status.dat") {
            let flag = s.services.iter().find(|x| x.name == "backup.flag");
            let host_up = s.hosts.iter().any(|h| h.state == "up");
            if host_up && flag.is_some_and(|f| f.state == state) {
                return s;
            }
        }
        if started.elapsed() > Duration::from_secs(90) {
            let log = std::fs::read_to_string(dir.join("var/nagios.log")).unwrap_or_default();
            panic!(
                "Nagios did not show backup.flag {state} within 90 s\n--- status.dat\n{}\n--- nagios.log\n{log}",
                String::from_utf8_lossy(&status)
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `constat check` of the supervision role over SSH; the report, redacted, and the whole
/// process's wall time in milliseconds.
fn check(lab: &Lab, out: &Path) -> (Value, u128) {
    let agent = workspace_binary("constat-agent");
    let constat = workspace_binary("constat");
    let _ = std::fs::remove_dir_all(out);
    let key = lab.client_key.display().to_string();
    let known = lab.dir.join("known_hosts").display().to_string();
    let whole = Instant::now();
    let output = lab
        .client_command(&constat)
        .env("CONSTAT_AGENT_BIN", &agent)
        .args([
            "check",
            "--pack",
            "lab-cp5-supervision",
            "--role",
            "supervision",
            "--audience",
            "examiner",
            "--lang",
            "en",
            "--host",
            &format!("ssh://root@{}", lab.hosts[0].address),
            "--ssh-key",
            &key,
            "--known-hosts",
            &known,
            "--report",
            "json",
            "--out",
            &out.display().to_string(),
        ])
        .output()
        .expect("run constat check");
    let ms = whole.elapsed().as_millis();
    let report = std::fs::read_to_string(out.join("report.json")).unwrap_or_else(|e| {
        panic!(
            "no report ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let times = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    let redacted = times
        .replace_all(&lab.redact(&report), "[TIME]")
        .into_owned();
    (serde_json::from_str(&redacted).expect("report is JSON"), ms)
}

/// A session of one candidate whose `supervision` role is the Nagios host over SSH (no
/// `pve` host: that role is not assessable); `session init` run. Returns the session
/// directory.
fn init_session(lab: &Lab, work: &Path) -> std::path::PathBuf {
    let inventory = format!(
        "session: {{ id: lab-nagios, referentiel: TSSR, pack: lab-cp5-supervision }}
settings: {{ concurrency: 1, connect_timeout_s: 10, host_timeout_s: 60 }}
candidates:
  - id: c01
    name: Alice Martin
    hosts: {{ supervision: {{ transport: ssh, address: '{address}', user: root, key: '{key}' }} }}
",
        address = lab.hosts[0].address,
        key = lab.client_key.display(),
    );
    let path = work.join("inventory.yaml");
    std::fs::write(&path, inventory).unwrap();
    let session = work.join("session");
    session_command(
        lab,
        &[
            "session",
            "init",
            "--inventory",
            &path.display().to_string(),
            &session.display().to_string(),
        ],
    );
    session
}

/// Runs `constat ARGS` (a session command, in English) in the client namespace; it must
/// succeed. Returns its whole wall time in milliseconds.
fn session_command(lab: &Lab, args: &[&str]) -> u128 {
    let agent = workspace_binary("constat-agent");
    let whole = Instant::now();
    let output = lab
        .client_command(&workspace_binary("constat"))
        .env("CONSTAT_AGENT_BIN", &agent)
        .args(["--lang", "en"])
        .args(args)
        .output()
        .expect("run constat");
    let ms = whole.elapsed().as_millis();
    assert!(
        output.status.success(),
        "constat {args:?}: {:?}\n{}\n{}",
        output.status.code(),
        lab.redact(&String::from_utf8_lossy(&output.stdout)),
        lab.redact(&String::from_utf8_lossy(&output.stderr))
    );
    ms
}

/// `session run --phase PHASE`; for BENCHMARKS.md its wall time is printed, never asserted.
fn session_phase(lab: &Lab, session: &Path, phase: &str) {
    let ms = session_command(
        lab,
        &[
            "session",
            "run",
            &session.display().to_string(),
            "--phase",
            phase,
            "--quiet",
        ],
    );
    eprintln!("constat session run --phase {phase} (Nagios over SSH): whole process {ms} ms");
}

fn outcome(report: &Value, id: &str) -> String {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == id)
        .map(|c| {
            c["outcome"]["status"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .unwrap_or_default()
}

fn snapshot_report(name: &str, report: &Value) {
    insta::assert_json_snapshot!(name, report, {
        ".tool" => "[TOOL]",
        ".hosts[].hostname" => "[HOST]",
        ".hosts[].os" => "[OS]",
        ".hosts[].duration_ms" => "[MS]",
    });
}

#[test]
fn nagios_over_ssh_sees_the_alert_raised_then_resolved() {
    if !real_tests_enabled(TOOLS) {
        return;
    }
    let mut lab = Lab::new();
    lab.add_host(Vec::new());
    let nagios_dir = lab.hosts[0].dir.join("tmp/nagios");
    std::fs::create_dir_all(&nagios_dir).unwrap();
    std::fs::write(nagios_dir.join("objects.cfg"), OBJECTS).unwrap();
    write_script(&nagios_dir, 2, "FLAG CRITICAL: /srv/backup/flag is missing");
    lab.hosts[0].setup = SETUP.to_owned();
    lab.start(0);
    let work = tempfile::tempdir().unwrap();
    let session = init_session(&lab, work.path());

    // Phase 1: the flag is missing, the check is CRITICAL.
    wait_for(&nagios_dir, "critical");
    let (report, _) = check(&lab, &work.path().join("critical"));
    assert_eq!(outcome(&report, "cp5-supervised"), "pass", "{report:#}");
    assert_eq!(outcome(&report, "cp5-alert-resolved"), "fail", "{report:#}");
    snapshot_report("critical", &report);
    session_phase(&lab, &session, "start");

    // Phase 2: the candidate restores the flag; the check is OK after its problem.
    write_script(&nagios_dir, 0, "FLAG OK: /srv/backup/flag is 3 minutes old");
    wait_for(&nagios_dir, "ok");
    let (report, ms) = check(&lab, &work.path().join("resolved"));
    assert_eq!(outcome(&report, "cp5-supervised"), "pass", "{report:#}");
    assert_eq!(outcome(&report, "cp5-alert-resolved"), "pass", "{report:#}");
    snapshot_report("resolved", &report);
    session_phase(&lab, &session, "end");
    let session_report = session_report(&lab, &session);
    assert_eq!(outcome(&session_report, "cp5-supervised"), "pass");
    assert_eq!(outcome(&session_report, "cp5-alert-resolved"), "pass");
    assert_eq!(outcome(&session_report, "cp5-vm"), "not_assessable");
    insta::assert_json_snapshot!("session_report", session_report, {
        ".tool" => "[TOOL]",
        ".hosts[].hostname" => "[HOST]",
        ".hosts[].os" => "[OS]",
    });
    // For BENCHMARKS.md (`CONSTAT_BENCH_RUNS=N … -- --nocapture`): the median of N whole
    // `constat check` processes, printed, never asserted.
    let runs: usize = std::env::var("CONSTAT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let mut times = vec![ms];
    for i in 1..runs {
        times.push(check(&lab, &work.path().join(format!("bench-{i}"))).1);
    }
    times.sort_unstable();
    eprintln!(
        "constat check over SSH (Nagios): whole process median {} ms of {} run(s) {times:?}",
        times[times.len() / 2],
        times.len()
    );
    write_checker_fixture(&work.path().join("resolved/snapshot.json"));
}

/// The session's report of `c01` (`reports/c01.json`), times and lab addresses redacted.
fn session_report(lab: &Lab, session: &Path) -> Value {
    let text = std::fs::read_to_string(session.join("reports/c01.json"))
        .expect("session run --phase end graded the session");
    let times = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    serde_json::from_str(&times.replace_all(&lab.redact(&text), "[TIME]"))
        .expect("the session report is JSON")
}

/// `checker-core/tests/fixtures/snapshots/supervision-nagios.json` is the resolved phase's
/// snapshot with the machine's identity replaced; written with `UPDATE_FIXTURES=1` only (its
/// times are those of the run that wrote it).
fn write_checker_fixture(path: &Path) {
    if std::env::var_os("UPDATE_FIXTURES").is_none() {
        return;
    }
    let text = std::fs::read_to_string(path).expect("check wrote snapshot.json");
    let mut fixture: Value = serde_json::from_str(&text).expect("snapshot is JSON");
    fixture["host"] = serde_json::json!({
        "hostname": "srv-supervision",
        "os": {"family": "linux", "id": "debian", "name": "Debian GNU/Linux 12 (bookworm)", "version": "12"}
    });
    fixture["collection"]["started_at"] = "2026-12-03T09:00:00Z".into();
    fixture["collection"]["finished_at"] = "2026-12-03T09:00:01Z".into();
    fixture["collection"]["duration_ms"] = 1.into();
    fixture["collection"]["agent_version"] = "0".into();
    if let Some(runs) = fixture["collection"]["collectors"].as_array_mut() {
        for run in runs {
            run["duration_ms"] = 1.into();
        }
    }
    let out = format!(
        "{}/../checker-core/tests/fixtures/snapshots/supervision-nagios.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::write(out, serde_json::to_string_pretty(&fixture).unwrap() + "\n")
        .expect("write the checker fixture");
}
