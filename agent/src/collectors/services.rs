//! Services: from a live systemd (`systemctl list-unit-files` + one batched `systemctl show`)
//! or, without one, from unit files on disk (enabled from `*.wants` symlinks, running from
//! /proc on a live host, unknown on an offline root).

use crate::collectors::processes::{ProcEntry, read_proc};
use crate::collectors::service_configs;
use crate::context::{Context, Update};
use crate::host::Host;
use crate::systemd::{self, UnitFile};
use constat_snapshot::Section;
use constat_snapshot::services::{Service, ServiceManager};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

const PROPERTIES: &str = "Id,Description,LoadState,ActiveState,SubState,UnitFileState,MainPID,FragmentPath,ExecStart,User,ExecMainStartTimestamp,StateChangeTimestamp";

/// Reads services.
pub fn collect(ctx: &Context) -> Update {
    let host = &*ctx.host;
    let section = if systemd::systemd_is_live(host) {
        live_services(host)
    } else {
        Section::collected(services_from_files(host))
    };
    Box::new(move |s| s.services = section)
}

fn live_services(host: &dyn Host) -> Section<Vec<Service>> {
    let mut names = BTreeSet::new();
    for args in [
        &[
            "list-unit-files",
            "--type=service",
            "--no-legend",
            "--no-pager",
        ][..],
        &[
            "list-units",
            "--type=service",
            "--all",
            "--no-legend",
            "--no-pager",
            "--plain",
        ][..],
    ] {
        match host.run("systemctl", args, Duration::from_secs(8)) {
            Ok(out) if out.success() => names.extend(unit_names(&out.stdout)),
            Ok(out) => {
                return Section::error(format!(
                    "systemctl {} failed (exit {:?}): {}",
                    args[0],
                    out.code,
                    out.stderr.trim()
                ));
            }
            Err(e) => return Section::error(e.to_string()),
        }
    }
    let names: Vec<String> = names.into_iter().collect();
    match systemd::systemctl_show(host, PROPERTIES, &names) {
        Ok(blocks) => {
            let mut services = services_from_show(&blocks);
            add_config_files(host, &mut services);
            Section::collected(services)
        }
        Err(e) => Section::error(e),
    }
}

/// First column of `list-unit-files`/`list-units` lines, templates excluded.
pub fn unit_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            l.split_whitespace()
                .find(|w| w.ends_with(".service"))
                .filter(|w| !w.contains("@."))
                .map(str::to_owned)
        })
        .collect()
}

/// Services from `systemctl show` blocks; units that are not found are dropped.
pub fn services_from_show(blocks: &[BTreeMap<String, String>]) -> Vec<Service> {
    let mut services: Vec<Service> = blocks
        .iter()
        .filter(|b| b.get("LoadState").is_none_or(|s| s != "not-found"))
        .filter_map(|b| {
            let get = |k: &str| b.get(k).filter(|v| !v.is_empty()).cloned();
            let name = get("Id")?;
            let active = get("ActiveState");
            let sub = get("SubState");
            let file_state = get("UnitFileState");
            let reloaded_at = get("StateChangeTimestamp")
                .filter(|_| active.as_deref() == Some("active"))
                .as_deref()
                .and_then(service_configs::start_from_show);
            Some(Service {
                name,
                description: get("Description"),
                manager: ServiceManager::Systemd,
                running: is_running(active.as_deref(), sub.as_deref()),
                enabled: file_state.as_deref().and_then(enabled_from_state),
                state: active,
                sub_state: sub,
                start_mode: file_state,
                main_pid: get("MainPID")
                    .and_then(|p| p.parse().ok())
                    .filter(|&p| p > 0),
                path: get("FragmentPath"),
                exec: b.get("ExecStart").and_then(|v| systemd::exec_from_show(v)),
                user: get("User"),
                started_at: get("ExecMainStartTimestamp")
                    .as_deref()
                    .and_then(service_configs::start_from_show),
                reloaded_at,
                config_files: Vec::new(),
            })
        })
        .collect();
    services.sort_by(|a, b| a.name.cmp(&b.name));
    services
}

fn is_running(active: Option<&str>, sub: Option<&str>) -> bool {
    matches!(active, Some("active" | "reloading" | "deactivating")) && sub != Some("exited")
}

fn enabled_from_state(state: &str) -> Option<bool> {
    match state {
        "enabled" | "enabled-runtime" | "alias" => Some(true),
        "disabled" | "masked" | "masked-runtime" => Some(false),
        _ => None,
    }
}

/// Services from unit files: running from /proc when the host is live, unknown offline.
pub fn services_from_files(host: &dyn Host) -> Vec<Service> {
    let processes = host.is_live().then(|| read_proc(host));
    let enablement = systemd::Enablement::load(host);
    let mut services: Vec<Service> = systemd::unit_files(host, ".service")
        .iter()
        .map(|unit| service_from_file(&enablement, unit, processes.as_deref()))
        .collect();
    for service in &mut services {
        if let Some(pid) = service.main_pid {
            service.started_at = service_configs::process_start(host, pid);
        }
    }
    add_config_files(host, &mut services);
    services
}

/// Applied vs written: the modification times of the files each known service reads.
fn add_config_files(host: &dyn Host, services: &mut [Service]) {
    for service in services {
        service.config_files = service_configs::config_files(host, &service.name);
    }
}

fn service_from_file(
    enablement: &systemd::Enablement,
    unit: &UnitFile,
    procs: Option<&[ProcEntry]>,
) -> Service {
    let state = enablement.state(unit);
    let exec = unit.values("Service", "ExecStart");
    let binary = exec
        .first()
        .and_then(|e| {
            e.trim_start_matches(['-', '@', '+', '!', ':'])
                .split_whitespace()
                .next()
        })
        .map(str::to_owned);
    let (running, main_pid, active) = match procs {
        None => (false, None, "unknown"),
        Some(procs) => {
            let found = binary.as_deref().and_then(|b| {
                procs
                    .iter()
                    .filter(|p| p.exe.as_deref() == Some(b) || p.argv0.as_deref() == Some(b))
                    .map(|p| p.pid)
                    .min()
            });
            (
                found.is_some(),
                found,
                if found.is_some() {
                    "active"
                } else {
                    "inactive"
                },
            )
        }
    };
    Service {
        name: unit.name.clone(),
        description: unit.value("Unit", "Description").map(str::to_owned),
        manager: ServiceManager::SystemdOffline,
        running,
        enabled: enabled_from_state(state),
        state: Some(active.to_owned()),
        sub_state: None,
        start_mode: Some(state.to_owned()),
        main_pid,
        path: Some(unit.path.clone()),
        exec: (!exec.is_empty()).then(|| exec.join(" ; ")),
        user: unit.value("Service", "User").map(str::to_owned),
        ..Service::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LocalHost;
    use std::fs;
    use std::os::unix::fs::symlink;

    const RECORDED: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/collectors/testdata/system"
    );

    fn recorded(name: &str) -> String {
        std::fs::read_to_string(format!("{RECORDED}/{name}")).unwrap()
    }

    #[test]
    fn show_blocks_to_services() {
        // Recorded from systemd 252 (testdata/system/SOURCES.md).
        let blocks = systemd::parse_show(&recorded("show-services.txt"));
        insta::assert_yaml_snapshot!(services_from_show(&blocks));
    }

    #[test]
    fn names_from_recorded_listings() {
        let mut names = unit_names(&recorded("list-unit-files.txt"));
        names.extend(unit_names(&recorded("list-units.txt")));
        names.sort();
        names.dedup();
        assert!(names.contains(&"broken.service".to_owned()));
        assert!(names.contains(&"cron.service".to_owned()));
        assert!(
            !names.iter().any(|n| n.contains("@.")),
            "templates are skipped"
        );
    }

    #[test]
    fn unit_files_offline() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        let w = |p: &str, t: &str| {
            let p = r.join(p);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, t).unwrap();
        };
        w(
            "lib/systemd/system/ssh.service",
            "[Unit]\nDescription=OpenBSD Secure Shell server\n[Service]\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n[Install]\nWantedBy=multi-user.target\nAlias=sshd.service\n",
        );
        w(
            "lib/systemd/system/apache2.service",
            "[Unit]\nDescription=The Apache HTTP Server\n[Service]\nExecStart=/usr/sbin/apachectl start\n[Install]\nWantedBy=multi-user.target\n",
        );
        w(
            "lib/systemd/system/getty@.service",
            "[Service]\nExecStart=-/sbin/agetty\n",
        );
        w(
            "lib/systemd/system/systemd-journald.service",
            "[Service]\nExecStart=/lib/systemd/systemd-journald\n",
        );
        w(
            "lib/systemd/system/telnet.service",
            "[Service]\nExecStart=/usr/sbin/in.telnetd\n[Install]\nWantedBy=multi-user.target\n",
        );
        fs::create_dir_all(r.join("etc/systemd/system/multi-user.target.wants")).unwrap();
        symlink(
            "/lib/systemd/system/ssh.service",
            r.join("etc/systemd/system/multi-user.target.wants/ssh.service"),
        )
        .unwrap();
        symlink(
            "/lib/systemd/system/ssh.service",
            r.join("etc/systemd/system/sshd.service"),
        )
        .unwrap();
        symlink("/dev/null", r.join("etc/systemd/system/telnet.service")).unwrap();
        let host = LocalHost::offline(r);
        insta::assert_yaml_snapshot!(services_from_files(&host));
    }

    #[test]
    fn names_from_listings() {
        let text = "ssh.service                enabled enabled\ngetty@.service enabled enabled\n\u{25cf} broken.service loaded failed failed Broken\n";
        assert_eq!(unit_names(text), vec!["ssh.service", "broken.service"]);
    }
}
