//! systemd helpers shared by the services and scheduled-jobs collectors: unit files on disk,
//! enablement from `*.wants` symlinks, and `systemctl show` output.

use crate::host::Host;
use std::collections::BTreeMap;
use std::time::Duration;

/// Unit directories, highest priority first (a unit in /etc hides the vendor one).
pub const UNIT_DIRS: &[&str] = &[
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
];

/// Whether a live systemd manages the host (`/run/systemd/system` exists on a live host).
pub fn systemd_is_live(host: &dyn Host) -> bool {
    host.is_live()
        && host
            .metadata("/run/systemd/system")
            .is_ok_and(|m| m.is_dir())
}

/// A unit file found on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFile {
    /// Unit name (`ssh.service`).
    pub name: String,
    /// Host path of the file.
    pub path: String,
    /// Parsed `[Section]` → key → values (a key may repeat).
    pub sections: BTreeMap<String, Vec<(String, String)>>,
}

impl UnitFile {
    /// Values of `key` in `section`, in order.
    pub fn values(&self, section: &str, key: &str) -> Vec<&str> {
        self.sections
            .get(section)
            .map(|kv| {
                kv.iter()
                    .filter(|(k, _)| k == key)
                    .map(|(_, v)| v.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Last value of `key` in `section` (systemd: later assignments win).
    pub fn value(&self, section: &str, key: &str) -> Option<&str> {
        self.values(section, key).last().copied()
    }
}

/// Every unit file with `suffix` (`.service`, `.timer`), templates and aliases excluded,
/// sorted by name. Symlinks to /dev/null (masked) are returned with an empty body.
pub fn unit_files(host: &dyn Host, suffix: &str) -> Vec<UnitFile> {
    let mut found: BTreeMap<String, UnitFile> = BTreeMap::new();
    for dir in UNIT_DIRS {
        for name in host.read_dir(dir).unwrap_or_default() {
            if !name.ends_with(suffix) || name.contains("@.") || found.contains_key(&name) {
                continue;
            }
            let path = format!("{dir}/{name}");
            if let Ok(target) = host.read_link(&path) {
                let target = target.to_string_lossy().into_owned();
                // A link to another unit name is an alias; only masks are kept.
                if target != "/dev/null" {
                    continue;
                }
                found.insert(
                    name.clone(),
                    UnitFile {
                        name,
                        path,
                        sections: BTreeMap::new(),
                    },
                );
                continue;
            }
            let Ok(text) = host.read_to_string(&path) else {
                continue;
            };
            found.insert(
                name.clone(),
                UnitFile {
                    name,
                    path,
                    sections: parse_unit(&text),
                },
            );
        }
    }
    found.into_values().collect()
}

/// Reads one unit by name from the unit directories.
pub fn find_unit(host: &dyn Host, name: &str) -> Option<UnitFile> {
    UNIT_DIRS.iter().find_map(|dir| {
        let path = format!("{dir}/{name}");
        let text = host.read_to_string(&path).ok()?;
        Some(UnitFile {
            name: name.to_owned(),
            path,
            sections: parse_unit(&text),
        })
    })
}

/// Parses a unit file (`[Section]`, `Key=Value`, `\` continuations, `#`/`;` comments).
pub fn parse_unit(text: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut sections: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current = String::new();
    let mut pending = String::new();
    for raw in text.lines() {
        let line = raw.trim();
        if pending.is_empty() && (line.starts_with('#') || line.starts_with(';')) {
            continue;
        }
        if let Some(body) = line.strip_suffix('\\') {
            pending.push_str(body);
            pending.push(' ');
            continue;
        }
        let full = format!("{pending}{line}");
        pending.clear();
        if let Some(name) = full.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.to_owned();
            continue;
        }
        if let Some((k, v)) = full.split_once('=') {
            sections
                .entry(current.clone())
                .or_default()
                .push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    sections
}

/// Units named by a `*.wants`/`*.requires` symlink, and masked units: read once, then
/// asked for each unit.
#[derive(Debug, Clone, Default)]
pub struct Enablement {
    wanted: std::collections::BTreeSet<String>,
    masked: std::collections::BTreeSet<String>,
}

impl Enablement {
    /// Reads the `*.wants`/`*.requires` directories of the unit directories.
    pub fn load(host: &dyn Host) -> Enablement {
        let mut index = Enablement::default();
        for dir in [
            "/etc/systemd/system",
            "/lib/systemd/system",
            "/usr/lib/systemd/system",
        ] {
            for entry in host.read_dir(dir).unwrap_or_default() {
                let path = format!("{dir}/{entry}");
                if entry.ends_with(".wants") || entry.ends_with(".requires") {
                    index
                        .wanted
                        .extend(host.read_dir(&path).unwrap_or_default());
                } else if dir == "/etc/systemd/system"
                    && host
                        .read_link(&path)
                        .is_ok_and(|t| t.as_os_str() == "/dev/null")
                {
                    index.masked.insert(entry);
                }
            }
        }
        index
    }

    /// `masked`, `enabled` (a `*.wants`/`*.requires` symlink names it), `disabled` (has an
    /// `[Install]` section), or `static`.
    pub fn state(&self, unit: &UnitFile) -> &'static str {
        if self.masked.contains(&unit.name) {
            "masked"
        } else if self.wanted.contains(&unit.name) {
            "enabled"
        } else if unit.sections.contains_key("Install") {
            "disabled"
        } else {
            "static"
        }
    }
}

/// Runs one batched `systemctl show -p <props> <units…>` and parses it. Timestamps come as
/// `@unix` where systemd honours `--timestamp=unix`, and in UTC otherwise (`TZ=UTC`).
pub fn systemctl_show(
    host: &dyn Host,
    properties: &str,
    units: &[String],
) -> Result<Vec<BTreeMap<String, String>>, String> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = vec![
        "TZ=UTC",
        "systemctl",
        "show",
        "--timestamp=unix",
        "-p",
        properties,
    ];
    args.extend(units.iter().map(String::as_str));
    let out = host
        .run("env", &args, Duration::from_secs(8))
        .map_err(|e| e.to_string())?;
    if !out.success() && out.stdout.trim().is_empty() {
        return Err(format!(
            "systemctl show failed (exit {:?}): {}",
            out.code,
            out.stderr.trim()
        ));
    }
    Ok(parse_show(&out.stdout))
}

/// Parses `systemctl show` output: `Key=Value` blocks separated by blank lines.
pub fn parse_show(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut blocks = Vec::new();
    let mut current = BTreeMap::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            current.insert(k.to_owned(), v.to_owned());
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// The command lines of an `ExecStart` property value
/// (`{ path=/usr/sbin/sshd ; argv[]=/usr/sbin/sshd -D ; … }`), joined by ` ; `.
pub fn exec_from_show(value: &str) -> Option<String> {
    let commands: Vec<&str> = value
        .split("argv[]=")
        .skip(1)
        .filter_map(|part| part.split(" ;").next())
        .map(str::trim)
        .collect();
    (!commands.is_empty()).then(|| commands.join(" ; "))
}

/// A `systemctl show` timestamp to RFC 3339: `@1700000000` (`--timestamp=unix`) or
/// `Tue 2026-11-24 02:30:00 UTC` (properties systemd 252 prints in local time, made UTC by
/// `TZ=UTC`). None for empty, `n/a`, or another time zone.
pub fn unix_timestamp(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(secs) = value.strip_prefix('@') {
        let secs: i64 = secs.parse().ok()?;
        return (secs > 0).then(|| constat_snapshot::time::rfc3339_utc(secs));
    }
    let words: Vec<&str> = value.split_whitespace().collect();
    let [_day, date, time, "UTC"] = words.as_slice() else {
        return None;
    };
    let secs = constat_snapshot::time::parse_rfc3339(&format!("{date}T{time}Z"))?;
    Some(constat_snapshot::time::rfc3339_utc(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_show_output() {
        let unit = parse_unit(
            "[Unit]\nDescription=Backup\n# c\n[Service]\nExecStart=/bin/sh -c \\\n  'tar czf /b.tgz /srv'\nUser=backup\n",
        );
        assert_eq!(
            unit["Service"],
            vec![
                (
                    "ExecStart".to_owned(),
                    "/bin/sh -c  'tar czf /b.tgz /srv'".to_owned()
                ),
                ("User".to_owned(), "backup".to_owned())
            ]
        );
        let blocks = parse_show("Id=a.service\nMainPID=0\n\nId=b.service\nMainPID=12\n");
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[1]["MainPID"], "12");
        assert_eq!(
            exec_from_show("{ path=/usr/sbin/sshd ; argv[]=/usr/sbin/sshd -D $SSHD_OPTS ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }").as_deref(),
            Some("/usr/sbin/sshd -D $SSHD_OPTS")
        );
        assert_eq!(
            unix_timestamp("@1700000000").as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        assert_eq!(unix_timestamp("n/a"), None);
        // NextElapseUSecRealtime as systemd 252 printed it (testdata/system/show-timers.txt).
        assert_eq!(
            unix_timestamp("Tue 2026-11-24 02:30:00 UTC").as_deref(),
            Some("2026-11-24T02:30:00Z")
        );
        assert_eq!(unix_timestamp("Tue 2026-11-24 02:30:00 CET"), None);
        assert_eq!(unix_timestamp(""), None);
    }
}
