//! Installed packages (/var/lib/dpkg/status, or `rpm -qa` on a live RPM host) and pending
//! updates computed from the dpkg status and the local apt lists (`apt_pending.rs`: what
//! `apt-get -s dist-upgrade` would install, without running apt), unless the request leaves
//! them out (`without: ["packages.updates"]`): the lists are then not read at all and the
//! updates are `not_collected`.

use super::{apt_lists, apt_pending};
use crate::context::{Context, Update};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::packages::{Package, Packages, PendingUpdate, PendingUpdates};
use constat_snapshot::time::rfc3339_utc;
use std::time::{Duration, UNIX_EPOCH};

const DPKG_STATUS: &str = "/var/lib/dpkg/status";
const APT_LISTS: &str = "/var/lib/apt/lists";

/// The request's name of the pending updates part (`FileRequest::without`).
const UPDATES_PART: &str = "packages.updates";

/// Reads packages.
pub fn collect(ctx: &Context) -> Update {
    let updates = !ctx.request.without.iter().any(|p| p == UPDATES_PART);
    let section = read_packages(&*ctx.host, updates);
    Box::new(move |s| s.packages = section)
}

/// The packages section; pending updates only when `updates` (else `not_collected`).
fn read_packages(host: &dyn Host, updates: bool) -> Section<Packages> {
    match host.read_to_string(DPKG_STATUS) {
        Ok(text) => {
            return Section::collected(Packages {
                manager: "dpkg".to_owned(),
                installed: parse_dpkg_status(&text),
                updates: if updates {
                    apt_updates(host, &text)
                } else {
                    PendingUpdates::not_requested()
                },
            });
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Section::error(format!("cannot read {DPKG_STATUS}: {e}"));
        }
        Err(_) => {}
    }
    let rpm_db = ["/var/lib/rpm", "/usr/lib/sysimage/rpm"]
        .iter()
        .any(|d| host.metadata(d).is_ok_and(|m| m.is_dir()));
    if !rpm_db {
        return Section::not_collected("no package database found (neither dpkg nor rpm)");
    }
    if !host.is_live() {
        return Section::not_collected(
            "rpm database on an offline root: it can only be read by running rpm on the host",
        );
    }
    match host.run(
        "rpm",
        &[
            "-qa",
            "--qf",
            "%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\n",
        ],
        Duration::from_secs(20),
    ) {
        Ok(out) if out.success() => Section::collected(Packages {
            manager: "rpm".to_owned(),
            installed: parse_rpm_qa(&out.stdout),
            updates: if updates {
                PendingUpdates {
                    known: false,
                    reason: Some(
                        "pending updates on rpm hosts need the network (dnf check-update): not computed"
                            .to_owned(),
                    ),
                    pending: Some(Vec::new()),
                    ..PendingUpdates::default()
                }
            } else {
                PendingUpdates::not_requested()
            },
        }),
        Ok(out) => Section::error(format!("rpm -qa failed: {}", out.stderr.trim())),
        Err(e) => Section::error(e.to_string()),
    }
}

/// Installed packages of a dpkg status file, sorted by name then arch.
pub fn parse_dpkg_status(text: &str) -> Vec<Package> {
    let mut out = Vec::new();
    for paragraph in apt_lists::split_blank_lines(text) {
        let mut name = None;
        let mut version = None;
        let mut arch = None;
        let mut installed = false;
        for line in paragraph.lines() {
            if let Some(v) = line.strip_prefix("Package: ") {
                name = Some(v.trim().to_owned());
            } else if let Some(v) = line.strip_prefix("Version: ") {
                version = Some(v.trim().to_owned());
            } else if let Some(v) = line.strip_prefix("Architecture: ") {
                arch = Some(v.trim().to_owned());
            } else if let Some(v) = line.strip_prefix("Status: ") {
                installed = v.split_whitespace().nth(2) == Some("installed");
            }
        }
        if let (Some(name), Some(version), true) = (name, version, installed) {
            out.push(Package {
                name,
                version,
                arch,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.arch.cmp(&b.arch)));
    out
}

/// `name\tversion-release\tarch` lines.
pub fn parse_rpm_qa(text: &str) -> Vec<Package> {
    let mut out: Vec<Package> = text
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some(Package {
                name: f.next()?.to_owned(),
                version: f.next()?.to_owned(),
                arch: f.next().filter(|a| *a != "(none)").map(str::to_owned),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.arch.cmp(&b.arch)));
    out
}

fn apt_updates(host: &dyn Host, status: &str) -> PendingUpdates {
    let unknown = |reason: String, at: Option<String>| PendingUpdates {
        known: false,
        reason: Some(reason),
        lists_updated_at: at,
        pending: Some(Vec::new()),
        ..PendingUpdates::default()
    };
    let lists: Vec<String> = host
        .read_dir(APT_LISTS)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.contains("_Packages") || n.ends_with("Release"))
        .collect();
    let newest = lists
        .iter()
        .filter_map(|n| {
            host.metadata(&format!("{APT_LISTS}/{n}"))
                .ok()?
                .modified()
                .ok()
        })
        .filter_map(|t| t.duration_since(UNIX_EPOCH).ok())
        .max()
        .map(|d| rfc3339_utc(d.as_secs() as i64));
    if !lists.iter().any(|n| n.contains("_Packages")) {
        return unknown(
            "apt lists absent (/var/lib/apt/lists): run `apt update` on the host first".to_owned(),
            newest,
        );
    }
    match apt_pending::pending_updates(host, status) {
        Ok(pending) => PendingUpdates {
            known: true,
            reason: None,
            lists_updated_at: newest,
            pending: Some(pending),
            ..PendingUpdates::default()
        },
        Err(reason) => unknown(reason, newest),
    }
}

/// `Inst pkg [current] (candidate archive [arch])` lines of an apt simulation (kept to compare
/// with apt itself in the real tier).
#[doc(hidden)]
/// `Inst pkg [current] (candidate archive [arch])` lines of an apt simulation.
pub fn parse_apt_simulation(text: &str) -> Vec<PendingUpdate> {
    let mut out: Vec<PendingUpdate> = text
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("Inst ")?;
            let (name, rest) = rest.split_once(' ')?;
            let (current, rest) = match rest.strip_prefix('[') {
                Some(r) => {
                    let (cur, tail) = r.split_once(']')?;
                    (Some(cur.to_owned()), tail.trim_start())
                }
                None => (None, rest),
            };
            let inner = rest.strip_prefix('(')?;
            let inner = inner.rsplit_once(')').map(|(i, _)| i).unwrap_or(inner);
            let (candidate, archives) = inner.split_once(' ').unwrap_or((inner, ""));
            let candidate = candidate.to_owned();
            // Several archives may be listed, comma-separated.
            let archive = archives.to_ascii_lowercase();
            Some(PendingUpdate {
                name: name.to_owned(),
                current,
                candidate,
                security: archive.contains("-security") || archive.contains("security:"),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_status_installed_only() {
        let text = "Package: openssh-server\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nVersion: 1:9.2p1-2+deb12u3\nDescription: secure shell\n more text\n\n\
Package: apache2\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 2.4.62-1~deb12u1\n\n\
Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b7\n\n\
Package: libc6\nStatus: install ok installed\nArchitecture: i386\nVersion: 2.36-9+deb12u9\n";
        insta::assert_yaml_snapshot!(parse_dpkg_status(text));
    }

    #[test]
    fn apt_simulation_lines() {
        // Format of `apt-get -s dist-upgrade` (apt 2.6, Debian 12); the libgcrypt20-dev and
        // bash lines were recorded on the development machine (several archives, trailing `[]`).
        let text = "NOTE: This is only a simulation!\nReading package lists...\n\
The following packages will be upgraded:\n  libssl3 openssl\n2 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.\n\
Inst libssl3 [3.0.15-1~deb12u1] (3.0.16-1~deb12u1 Debian-Security:12/stable-security [amd64])\n\
Inst openssl [3.0.15-1~deb12u1] (3.0.16-1~deb12u1 Debian:12.11/stable [amd64])\n\
Inst linux-image-6.1.0-35-amd64 (6.1.137-1 Debian:12.11/stable [amd64])\n\
Inst libgcrypt20-dev [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64]) []\n\
Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\n\
Conf libssl3 (3.0.16-1~deb12u1 Debian-Security:12/stable-security [amd64])\n";
        insta::assert_yaml_snapshot!(parse_apt_simulation(text));
    }

    /// Left out of the request, pending updates are `not_collected` with no list at all (never
    /// an empty list read as "nothing pending"); asked for, they are computed as before.
    #[test]
    fn pending_updates_only_when_requested() {
        let dir = tempfile::tempdir().unwrap();
        crate::test_root::write(
            dir.path(),
            DPKG_STATUS,
            "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b7\n",
            0o644,
        );
        let host = crate::host::LocalHost::offline(dir.path());
        let json = |updates: bool| {
            let section = read_packages(&host, updates);
            serde_json::to_value(&section).unwrap()["data"].clone()
        };
        let left_out = json(false);
        assert_eq!(left_out["installed"][0]["name"], "bash");
        assert_eq!(
            left_out["updates"],
            serde_json::json!({
                "status": "not_collected",
                "known": false,
                "reason": "not requested (the checks read no pending updates)"
            })
        );
        let asked = json(true);
        assert_eq!(asked["installed"], left_out["installed"]);
        assert_eq!(asked["updates"].get("status"), None, "{asked}");
        assert_eq!(asked["updates"]["pending"], serde_json::json!([]));
        assert_eq!(
            asked["updates"]["known"], false,
            "no apt lists in this root"
        );
    }

    #[test]
    fn rpm_lines() {
        let pkgs = parse_rpm_qa("bash\t5.1.8-9.el9\tx86_64\ngpg-pubkey\tabc-def\t(none)\n");
        assert_eq!(pkgs[0].name, "bash");
        assert_eq!(pkgs[1].arch, None);
    }
}
