//! Host identity: os-release, hostname, FQDN, machine-id, kernel, uptime, time zone.

use crate::context::Context;
use constat_snapshot::{HostIdentity, OsFamily, OsInfo};

/// Reads the host identity. Never fails: unknown facts are left empty.
pub fn collect(ctx: &Context) -> HostIdentity {
    let host = &*ctx.host;
    let os_release = host
        .read_to_string("/etc/os-release")
        .or_else(|_| host.read_to_string("/usr/lib/os-release"))
        .unwrap_or_default();
    let fields = parse_os_release(&os_release);
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let hostname = if host.is_live() {
        host.read_to_string("/proc/sys/kernel/hostname").ok()
    } else {
        None
    }
    .or_else(|| host.read_to_string("/etc/hostname").ok())
    .map(|s| s.trim().to_owned())
    .unwrap_or_default();
    let fqdn = fqdn_from_hosts(
        &host.read_to_string("/etc/hosts").unwrap_or_default(),
        &hostname,
    );
    let machine_id = host
        .read_to_string("/etc/machine-id")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let (kernel, arch, uptime_seconds) = if host.is_live() {
        (
            host.read_to_string("/proc/sys/kernel/osrelease")
                .ok()
                .map(|s| s.trim().to_owned()),
            Some(std::env::consts::ARCH.to_owned()),
            host.read_to_string("/proc/uptime")
                .ok()
                .and_then(|s| {
                    s.split_whitespace()
                        .next()
                        .and_then(|u| u.parse::<f64>().ok())
                })
                .map(|u| u as u64),
        )
    } else {
        (None, None, None)
    };
    HostIdentity {
        hostname,
        fqdn,
        machine_id,
        os: OsInfo {
            family: OsFamily::Linux,
            id: get("ID"),
            name: get("PRETTY_NAME").or_else(|| get("NAME")),
            version: get("VERSION_ID"),
            like: get("ID_LIKE")
                .map(|s| s.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
        },
        kernel,
        arch,
        uptime_seconds,
        timezone: timezone(host),
        domain: None,
    }
}

/// Parses os-release `KEY=value` lines, unquoting values.
pub fn parse_os_release(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.starts_with('#') {
                return None;
            }
            let (k, v) = line.split_once('=')?;
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(v);
            Some((k.trim().to_owned(), v.replace("\\\"", "\"")))
        })
        .collect()
}

fn fqdn_from_hosts(hosts: &str, hostname: &str) -> Option<String> {
    if hostname.contains('.') {
        return Some(hostname.to_owned());
    }
    hosts.lines().find_map(|line| {
        let line = line.split('#').next()?.trim();
        let names: Vec<&str> = line.split_whitespace().skip(1).collect();
        if names.contains(&hostname) {
            names
                .iter()
                .find(|n| n.starts_with(&format!("{hostname}.")))
                .map(|n| (*n).to_owned())
        } else {
            None
        }
    })
}

fn timezone(host: &dyn crate::host::Host) -> Option<String> {
    if let Ok(target) = host.read_link("/etc/localtime") {
        let t = target.to_string_lossy();
        if let Some(idx) = t.find("zoneinfo/") {
            return Some(t[idx + "zoneinfo/".len()..].to_owned());
        }
    }
    host.read_to_string("/etc/timezone")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release_unquotes() {
        let f = parse_os_release(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n# c\nVERSION_ID='12'\n",
        );
        assert_eq!(
            f[0],
            (
                "PRETTY_NAME".into(),
                "Debian GNU/Linux 12 (bookworm)".into()
            )
        );
        assert_eq!(f[2], ("VERSION_ID".into(), "12".into()));
    }

    #[test]
    fn fqdn_from_hosts_file() {
        let hosts = "127.0.0.1 localhost\n192.168.10.20 srv-lnx.horizon.lan srv-lnx\n";
        assert_eq!(
            fqdn_from_hosts(hosts, "srv-lnx").as_deref(),
            Some("srv-lnx.horizon.lan")
        );
        assert_eq!(fqdn_from_hosts(hosts, "other"), None);
    }
}
