//! Storage: mounted file systems (/proc/self/mounts, sizes from `df -P -B1`), /etc/fstab,
//! LVM logical volumes (`lvs --reportformat json --units b`) and software RAID (/proc/mdstat).
//!
//! Pseudo file systems are left out (proc, sysfs, cgroup, devpts, ...); tmpfs is kept only
//! under /tmp and overlay only as the root. Sizes come from `df` rather than statvfs(2), which
//! would need a libc binding (`rustix`/`nix`) for one call; `df` has a time limit, so a hung
//! network mount cannot block the collection. An offline root has no mounts: fstab only.

use crate::collect::{Context, Update};
use crate::collectors::command_text::{CommandFailure, run_text};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::storage::{FstabEntry, LogicalVolume, Mount, RaidArray, Storage};
use serde_json::Value;
use std::collections::BTreeMap;

/// File systems that hold no data of the host.
const PSEUDO: &[&str] = &[
    "proc",
    "sysfs",
    "cgroup",
    "cgroup2",
    "devpts",
    "devtmpfs",
    "securityfs",
    "debugfs",
    "tracefs",
    "pstore",
    "bpf",
    "mqueue",
    "hugetlbfs",
    "configfs",
    "fusectl",
    "binfmt_misc",
    "autofs",
    "efivarfs",
    "nsfs",
    "rpc_pipefs",
    "ramfs",
    "selinuxfs",
    "fuse.gvfsd-fuse",
    "fuse.portal",
];

/// Collects the `storage` section.
pub fn collect(ctx: &Context) -> Update {
    let section = Section::collected(storage(&*ctx.host));
    Box::new(move |s| s.storage = section)
}

fn storage(host: &dyn Host) -> Storage {
    let mut storage = Storage::default();
    if host.is_live() {
        match host.read_to_string("/proc/self/mounts") {
            Ok(text) => {
                storage.mounts = parse_mounts(&text);
                match run_text(host, "df", &["-P", "-B1"]) {
                    Ok(df) => apply_df(&mut storage.mounts, &parse_df(&df)),
                    Err(e) => {
                        storage
                            .not_collected
                            .insert("mount sizes".to_owned(), e.to_string());
                    }
                }
            }
            Err(e) => {
                storage
                    .not_collected
                    .insert("mounts".to_owned(), format!("/proc/self/mounts: {e}"));
            }
        }
    } else {
        storage.not_collected.insert(
            "mounts".to_owned(),
            "offline root: mounts exist only on a running system; see fstab".to_owned(),
        );
    }
    match host.read_to_string("/etc/fstab") {
        Ok(text) => storage.fstab = parse_fstab(&text),
        Err(e) => {
            storage
                .not_collected
                .insert("fstab".to_owned(), format!("/etc/fstab: {e}"));
        }
    }
    if host.is_live() {
        match run_text(
            host,
            "lvs",
            &["--reportformat", "json", "--units", "b", "--nosuffix"],
        ) {
            Ok(text) => match parse_lvs(&text) {
                Ok(lvs) => storage.logical_volumes = lvs,
                Err(e) => {
                    storage
                        .not_collected
                        .insert("logical_volumes".to_owned(), format!("lvs: {e}"));
                }
            },
            // Not even in the sbin directories: say so, an empty list would claim "no LV".
            Err(CommandFailure::Unavailable(e)) => {
                storage.not_collected.insert(
                    "logical_volumes".to_owned(),
                    format!("{e} (LVM tools absent: logical volumes not listed)"),
                );
            }
            Err(e) => {
                storage
                    .not_collected
                    .insert("logical_volumes".to_owned(), e.to_string());
            }
        }
        // /proc/mdstat is absent when the md driver is not loaded: no software RAID.
        if let Ok(text) = host.read_to_string("/proc/mdstat") {
            storage.raid = parse_mdstat(&text);
        }
    } else {
        storage.not_collected.insert(
            "logical_volumes".to_owned(),
            "offline root: LVM and RAID are read on a running system".to_owned(),
        );
    }
    storage
}

/// Decodes the octal escapes of /proc/self/mounts and fstab (`\040` for a space).
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && i + 3 < bytes.len()
            && let Some(code) = field
                .get(i + 1..i + 4)
                .and_then(|o| u8::from_str_radix(o, 8).ok())
        {
            out.push(code);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses /proc/self/mounts, leaving pseudo file systems out.
pub fn parse_mounts(text: &str) -> Vec<Mount> {
    let mut mounts: Vec<Mount> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let [source, target, fstype, options, ..] = f.as_slice() else {
            continue;
        };
        let target = unescape(target);
        let keep = match *fstype {
            "tmpfs" => target == "/tmp" || target.starts_with("/tmp/"),
            "overlay" => target == "/",
            t => !PSEUDO.contains(&t),
        };
        if !keep {
            continue;
        }
        // A mount point mounted over again: the last one is what is visible.
        mounts.retain(|m| m.target != target);
        mounts.push(Mount {
            source: unescape(source),
            target,
            fstype: (*fstype).to_owned(),
            options: (*options).to_owned(),
            ..Mount::default()
        });
    }
    mounts
}

/// Sizes from `df -P -B1`, by mount point: (size, available, used %).
pub fn parse_df(text: &str) -> BTreeMap<String, (u64, u64, u8)> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 6 {
                return None;
            }
            // The mount point is the last column and may contain spaces.
            let target = f[5..].join(" ");
            let size = f[1].parse().ok()?;
            let available = f[3].parse().ok()?;
            let percent = f[4].trim_end_matches('%').parse().ok()?;
            Some((target, (size, available, percent)))
        })
        .collect()
}

fn apply_df(mounts: &mut [Mount], df: &BTreeMap<String, (u64, u64, u8)>) {
    for m in mounts {
        if let Some((size, available, percent)) = df.get(&m.target) {
            m.size_bytes = Some(*size);
            m.available_bytes = Some(*available);
            m.used_percent = Some(*percent);
        }
    }
}

/// Parses /etc/fstab.
pub fn parse_fstab(text: &str) -> Vec<FstabEntry> {
    text.lines()
        .filter_map(|line| {
            let line = line.split('#').next()?.trim();
            let f: Vec<&str> = line.split_whitespace().collect();
            let [source, target, fstype, rest @ ..] = f.as_slice() else {
                return None;
            };
            Some(FstabEntry {
                source: unescape(source),
                target: unescape(target),
                fstype: (*fstype).to_owned(),
                options: rest.first().copied().unwrap_or("defaults").to_owned(),
            })
        })
        .collect()
}

/// Parses `lvs --reportformat json --units b --nosuffix`.
pub fn parse_lvs(text: &str) -> Result<Vec<LogicalVolume>, String> {
    let json: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let lvs = json
        .pointer("/report/0/lv")
        .and_then(Value::as_array)
        .ok_or("no report[0].lv array in the output")?;
    Ok(lvs
        .iter()
        .filter_map(|lv| {
            let size = lv
                .get("lv_size")?
                .as_str()?
                .trim_end_matches(['B', 'b'])
                .parse()
                .ok()?;
            Some(LogicalVolume {
                vg: lv.get("vg_name")?.as_str()?.to_owned(),
                lv: lv.get("lv_name")?.as_str()?.to_owned(),
                size_bytes: size,
            })
        })
        .collect())
}

/// Parses /proc/mdstat: `md0 : active raid1 sdb1[1] sda1[0]` then `[2/2] [UU]`.
pub fn parse_mdstat(text: &str) -> Vec<RaidArray> {
    let mut arrays: Vec<RaidArray> = Vec::new();
    for line in text.lines() {
        if let Some((device, rest)) = line.split_once(" : ")
            && device.starts_with("md")
        {
            let mut words = rest.split_whitespace();
            let state = words.next().unwrap_or_default().to_owned();
            let mut level = String::new();
            let mut members = Vec::new();
            for w in words {
                if w.starts_with("raid") || w == "linear" {
                    level = w.to_owned();
                } else if let Some((dev, _)) = w.split_once('[') {
                    members.push(dev.to_owned());
                } else if w == "(auto-read-only)" || w == "(read-only)" {
                    continue;
                }
            }
            arrays.push(RaidArray {
                device: device.trim().to_owned(),
                level,
                state,
                members,
            });
        } else if let Some(last) = arrays.last_mut()
            && let Some(status) = line.split_whitespace().last()
            && status.starts_with('[')
            && status.contains('_')
            && last.state == "active"
        {
            // `[U_]`: a member is missing.
            last.state = "degraded".to_owned();
        }
    }
    arrays
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixture in, snapshot out: this machine's mounts and df (testdata/SOURCES.md).
    #[test]
    fn recorded_mounts_and_df() {
        let mut mounts = parse_mounts(include_str!("testdata/proc-mounts"));
        apply_df(&mut mounts, &parse_df(include_str!("testdata/df-P-B1.txt")));
        insta::assert_json_snapshot!(mounts);
    }

    #[test]
    fn fstab_with_escapes() {
        insta::assert_json_snapshot!(parse_fstab(
            "# <file system> <mount point> <type> <options> <dump> <pass>\nUUID=1234 / ext4 errors=remount-ro 0 1\n/dev/vg0/data /srv/my\\040data xfs defaults,nofail 0 2\n/swapfile none swap sw 0 0\n"
        ));
    }

    /// Not recorded (no md device here): written in the format md(4) documents.
    #[test]
    fn mdstat_degraded() {
        let text = "Personalities : [raid1]\nmd0 : active raid1 sdb1[1] sda1[0]\n      1046528 blocks super 1.2 [2/2] [UU]\n\nmd1 : active raid1 sdc1[0]\n      1046528 blocks super 1.2 [2/1] [U_]\n\nunused devices: <none>\n";
        insta::assert_json_snapshot!(parse_mdstat(text));
    }

    /// Not recorded (no LVM tools here): the shape `lvs --reportformat json` documents.
    #[test]
    fn lvs_json() {
        let text = r#"{"report":[{"lv":[{"lv_name":"data","vg_name":"vg0","lv_attr":"-wi-ao----","lv_size":"10737418240"}]}]}"#;
        assert_eq!(
            parse_lvs(text).unwrap(),
            [LogicalVolume {
                vg: "vg0".into(),
                lv: "data".into(),
                size_bytes: 10737418240
            }]
        );
    }
}
