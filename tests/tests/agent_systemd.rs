//! Services and timers as a live systemd reports them: a Debian container booted with
//! `systemd-nspawn -b`, with an enabled service, a disabled one, a failing one and an enabled
//! timer, and the agent run inside it.

use constat_tests::nspawn::{Container, debian_root};
use constat_tests::real::{agent_binary, real_tests_enabled, require_programs};
use serde_json::{Value, json};
use std::os::unix::fs::symlink;
use std::path::Path;

const UNITS: &[(&str, &str)] = &[
    (
        "constat-web.service",
        "[Unit]\nDescription=Constat test web server\n[Service]\nExecStart=/bin/sleep infinity\nUser=www-data\n[Install]\nWantedBy=multi-user.target\n",
    ),
    (
        "constat-disabled.service",
        "[Unit]\nDescription=Constat test disabled service\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n",
    ),
    (
        "constat-broken.service",
        "[Unit]\nDescription=Constat test failing service\n[Service]\nExecStart=/bin/false\n[Install]\nWantedBy=multi-user.target\n",
    ),
    (
        "constat-backup.service",
        "[Unit]\nDescription=Constat test backup\n[Service]\nType=oneshot\nExecStart=/bin/tar -czf /var/backups/etc.tar.gz /etc\n",
    ),
    (
        "constat-backup.timer",
        "[Unit]\nDescription=Nightly backup\n[Timer]\nOnCalendar=*-*-* 02:30:00\nPersistent=true\n[Install]\nWantedBy=timers.target\n",
    ),
];

fn prepare(root: &Path, agent: &Path) {
    let write = |path: &str, text: &str| {
        let p = root.join(path);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
    };
    for (name, text) in UNITS {
        write(&format!("etc/systemd/system/{name}"), text);
    }
    for (target, unit) in [
        ("multi-user.target.wants", "constat-web.service"),
        ("multi-user.target.wants", "constat-broken.service"),
        ("timers.target.wants", "constat-backup.timer"),
    ] {
        let dir = root.join("etc/systemd/system").join(target);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        symlink(format!("/etc/systemd/system/{unit}"), dir.join(unit))
            .unwrap_or_else(|e| panic!("cannot enable {unit}: {e}"));
    }
    let bin = root.join("usr/local/bin/constat-agent");
    std::fs::copy(agent, &bin).unwrap_or_else(|e| panic!("cannot copy the agent: {e}"));
}

fn ours(items: &Value) -> Vec<Value> {
    items
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| {
            let name = s["name"].as_str().unwrap_or_default();
            name.starts_with("constat-") || name == "cron.service"
        })
        .cloned()
        .collect()
}

#[test]
fn services_and_timers_of_a_booted_systemd() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["systemd-nspawn", "debootstrap", "nsenter", "ip", "mount"]);
    let agent = agent_binary();
    let root = debian_root();
    let container = Container::boot(&root, "sysd", |merged| prepare(merged, &agent));
    let out = container.exec(&[
        "/usr/local/bin/constat-agent",
        "collect",
        "--only",
        "services,scheduled_jobs",
    ]);
    assert!(
        out.status.success(),
        "agent failed in the container: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        container.console()
    );
    let snapshot: Value = serde_json::from_slice(&out.stdout).expect("agent output is JSON");
    let s = &snapshot["sections"];
    let view = json!({
        "services_status": s["services"]["status"],
        "services": ours(&s["services"]["data"]),
        "jobs_status": s["scheduled_jobs"]["status"],
        "timers": ours(&s["scheduled_jobs"]["data"]),
    });
    // The same files read as an offline root from the host: unit files and symlinks give the
    // same enablement as the live systemd; running is unknown.
    let offline = std::process::Command::new(&agent)
        .args(["collect", "--only", "services", "--root"])
        .arg(container.merged())
        .output()
        .expect("run the agent on the offline root");
    let offline: Value = serde_json::from_slice(&offline.stdout).expect("offline output is JSON");
    let offline_services = ours(&offline["sections"]["services"]["data"]);
    let live_services = ours(&s["services"]["data"]);
    assert_eq!(offline_services.len(), live_services.len());
    for (off, live) in offline_services.iter().zip(&live_services) {
        assert_eq!(off["name"], live["name"]);
        assert_eq!(off["start_mode"], live["start_mode"], "{}", live["name"]);
        assert_eq!(off["manager"], json!("systemd_offline"));
        assert_eq!(off["state"], json!("unknown"));
    }
    insta::assert_json_snapshot!(view, {
        ".services[].main_pid" => "[pid]",
        ".services[].started_at" => "[start]",
        ".services[].reloaded_at" => "[reloaded]",
        ".timers[].next_run" => "[next run]",
        ".timers[].last_run" => "[last run]",
    });
}
