//! Applied vs written: the configuration files each known service reads, with their
//! modification times, and when a service's main process started without systemd.
//!
//! A daemon reads its files when it starts (or reloads): a file modified after the start is
//! probably not applied. One table maps known services to their files; directories list their
//! entries with a given suffix (`sshd_config.d/*.conf`), symbolic links followed (nginx's
//! `sites-enabled`). Only metadata is read.

use crate::host::Host;
use constat_snapshot::services::ConfigFile;
use constat_snapshot::time::rfc3339_utc;
use std::time::UNIX_EPOCH;

/// One file, or every entry of a directory ending with a suffix (`""` = every entry).
enum Source {
    File(&'static str),
    Dir(&'static str, &'static str),
}

/// Known services (unit names without `.service`) → the files they read.
const TABLE: &[(&[&str], &[Source])] = &[
    (
        &["ssh", "sshd"],
        &[
            Source::File("/etc/ssh/sshd_config"),
            Source::Dir("/etc/ssh/sshd_config.d", ".conf"),
        ],
    ),
    (
        &["nftables"],
        &[
            Source::File("/etc/nftables.conf"),
            Source::Dir("/etc/nftables.d", ".nft"),
            Source::Dir("/etc/nftables.d", ".conf"),
        ],
    ),
    (
        &["nginx"],
        &[
            Source::File("/etc/nginx/nginx.conf"),
            Source::Dir("/etc/nginx/conf.d", ".conf"),
            Source::Dir("/etc/nginx/sites-enabled", ""),
        ],
    ),
    (
        &["apache2", "httpd"],
        &[
            Source::File("/etc/apache2/apache2.conf"),
            Source::File("/etc/apache2/ports.conf"),
            Source::Dir("/etc/apache2/sites-enabled", ""),
            Source::Dir("/etc/apache2/conf-enabled", ""),
            Source::File("/etc/httpd/conf/httpd.conf"),
            Source::Dir("/etc/httpd/conf.d", ".conf"),
        ],
    ),
    (
        &["smbd", "nmbd", "samba", "samba-ad-dc"],
        &[Source::File("/etc/samba/smb.conf")],
    ),
    (
        &["named", "bind9"],
        &[
            Source::File("/etc/bind/named.conf"),
            Source::File("/etc/bind/named.conf.options"),
            Source::File("/etc/bind/named.conf.local"),
            Source::File("/etc/named.conf"),
        ],
    ),
    (
        &["isc-dhcp-server", "dhcpd"],
        &[Source::File("/etc/dhcp/dhcpd.conf")],
    ),
    (&["vsftpd"], &[Source::File("/etc/vsftpd.conf")]),
    (
        &["bareos-dir", "bareos-sd", "bareos-fd"],
        &[
            Source::Dir("/etc/bareos/bareos-dir.d", ""),
            Source::Dir("/etc/bareos/bareos-sd.d", ""),
            Source::Dir("/etc/bareos/bareos-fd.d", ""),
        ],
    ),
];

/// The configuration files of a service (`ssh.service` or `ssh`) that exist, sorted by path.
pub fn config_files(host: &dyn Host, unit: &str) -> Vec<ConfigFile> {
    let name = unit.strip_suffix(".service").unwrap_or(unit);
    let Some((_, sources)) = TABLE.iter().find(|(names, _)| names.contains(&name)) else {
        return Vec::new();
    };
    let mut paths: Vec<String> = Vec::new();
    for source in *sources {
        match source {
            Source::File(path) => paths.push((*path).to_owned()),
            Source::Dir(dir, suffix) => paths.extend(
                host.read_dir(dir)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|n| n.ends_with(suffix) && !n.starts_with('.'))
                    .map(|n| format!("{dir}/{n}")),
            ),
        }
    }
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|path| {
            let meta = host.metadata(&path).ok().filter(|m| m.is_file())?;
            let secs = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
            Some(ConfigFile {
                path,
                modified_at: rfc3339_utc(secs.as_secs() as i64),
            })
        })
        .collect()
}

/// systemd's `ExecMainStartTimestamp` as printed with `--timestamp=unix` (`@1733130000`;
/// empty or `0` when the service never started) → RFC 3339 UTC.
pub fn start_from_show(value: &str) -> Option<String> {
    let secs: i64 = value.trim().strip_prefix('@')?.parse().ok()?;
    (secs > 0).then(|| rfc3339_utc(secs))
}

/// Start time of a process from /proc: boot time (`btime` of /proc/stat) plus field 22 of
/// /proc/<pid>/stat in clock ticks (USER_HZ, 100 on every Linux architecture constat runs on).
pub fn process_start(host: &dyn Host, pid: u32) -> Option<String> {
    let stat = host.read_to_string("/proc/stat").ok()?;
    let pid_stat = host.read_to_string(&format!("/proc/{pid}/stat")).ok()?;
    process_start_from(&stat, &pid_stat)
}

/// [`process_start`] on the texts of /proc/stat and /proc/<pid>/stat.
pub fn process_start_from(proc_stat: &str, pid_stat: &str) -> Option<String> {
    const USER_HZ: u64 = 100;
    let btime: u64 = proc_stat
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    let rest = &pid_stat[pid_stat.rfind(')')? + 1..];
    // After `comm`: state is field 3, so starttime (field 22) is the 20th here.
    let ticks: u64 = rest.split_whitespace().nth(19)?.parse().ok()?;
    Some(rfc3339_utc((btime + ticks / USER_HZ) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LocalHost;
    use std::fs;

    #[test]
    fn systemd_start_timestamps() {
        assert_eq!(
            start_from_show("@1764667200").as_deref(),
            Some("2025-12-02T09:20:00Z")
        );
        assert_eq!(start_from_show(""), None);
        assert_eq!(start_from_show("@0"), None);
        assert_eq!(start_from_show("n/a"), None);
    }

    #[test]
    fn proc_start_time_skips_a_command_name_with_spaces() {
        let stat = "cpu  1 2 3\nbtime 1764667000\nprocesses 10\n";
        let pid = "812 (sshd: a) b) S 1 812 812 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 20000 1 1";
        assert_eq!(
            process_start_from(stat, pid).as_deref(),
            Some("2025-12-02T09:20:00Z")
        );
        assert_eq!(process_start_from("", pid), None);
    }

    #[test]
    fn sshd_files_with_drop_ins_sorted_and_unknown_services_have_none() {
        let dir = std::env::temp_dir().join(format!("constat-svccfg-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("etc/ssh/sshd_config.d")).unwrap();
        fs::write(dir.join("etc/ssh/sshd_config"), "Port 22\n").unwrap();
        fs::write(dir.join("etc/ssh/sshd_config.d/50-cloud-init.conf"), "x\n").unwrap();
        fs::write(dir.join("etc/ssh/sshd_config.d/README"), "x\n").unwrap();
        let host = LocalHost::offline(&dir);
        let files: Vec<String> = config_files(&host, "ssh.service")
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(
            files,
            [
                "/etc/ssh/sshd_config",
                "/etc/ssh/sshd_config.d/50-cloud-init.conf"
            ]
        );
        assert!(config_files(&host, "cron.service").is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }
}
