//! Start/end diff: what changed on a host during the exam (users, groups, services,
//! firewall, scheduled jobs, packages, requested files; on a DC the directory: OUs, users,
//! groups, computers, GPOs and their links, DNS records). Details are language-neutral
//! (English words around the host's data); `eval::words::change_display` shows them in French.

use crate::kinds::logon_week::{UtcHours, ranges, to_local, utc_hours};
use crate::report::{Change, ChangeKind};
use constat_snapshot::Snapshot;
use constat_snapshot::section::Section;
use std::collections::BTreeMap;

/// Compares two keyed lists; `describe` gives the text compared for "modified".
fn keyed<T>(
    section: &str,
    before: &Section<Vec<T>>,
    after: &Section<Vec<T>>,
    key: impl Fn(&T) -> String,
    describe: impl Fn(&T) -> String,
    out: &mut Vec<Change>,
) {
    let (Some(b), Some(a)) = (before.data(), after.data()) else {
        return;
    };
    let b: BTreeMap<String, String> = b.iter().map(|x| (key(x), describe(x))).collect();
    let a: BTreeMap<String, String> = a.iter().map(|x| (key(x), describe(x))).collect();
    compare(section, &b, &a, out);
}

fn compare(
    section: &str,
    b: &BTreeMap<String, String>,
    a: &BTreeMap<String, String>,
    out: &mut Vec<Change>,
) {
    for (k, v) in a {
        match b.get(k) {
            None => out.push(Change {
                section: section.to_owned(),
                item: k.clone(),
                kind: ChangeKind::Added,
                detail: v.clone(),
            }),
            Some(old) if old != v => out.push(Change {
                section: section.to_owned(),
                item: k.clone(),
                kind: ChangeKind::Modified,
                detail: format!("{old} → {v}"),
            }),
            Some(_) => {}
        }
    }
    for (k, v) in b {
        if !a.contains_key(k) {
            out.push(Change {
                section: section.to_owned(),
                item: k.clone(),
                kind: ChangeKind::Removed,
                detail: v.clone(),
            });
        }
    }
}

/// Changes from `before` to `after`, sorted.
/// `offset_minutes`: the exam zone's offset at the end collection, for logon hours (both
/// phases are shown with it, so a daylight-saving change between them is no change).
pub(crate) fn diff(before: &Snapshot, after: &Snapshot, offset_minutes: i32) -> Vec<Change> {
    let (b, a) = (&before.sections, &after.sections);
    let mut out = Vec::new();
    keyed(
        "users",
        &b.users,
        &a.users,
        |u| u.name.clone(),
        |u| {
            format!(
                "uid {}; groups {}; shell {}",
                u.uid.map_or("-".to_owned(), |x| x.to_string()),
                u.groups.join(","),
                u.shell.as_deref().unwrap_or("-")
            )
        },
        &mut out,
    );
    keyed(
        "groups",
        &b.groups,
        &a.groups,
        |g| g.name.clone(),
        |g| format!("members {}", g.members.join(",")),
        &mut out,
    );
    keyed(
        "services",
        &b.services,
        &a.services,
        |s| s.name.clone(),
        |s| {
            format!(
                "{}; {}",
                if s.running { "running" } else { "stopped" },
                match s.enabled {
                    Some(true) => "enabled",
                    Some(false) => "disabled",
                    None => "?",
                }
            )
        },
        &mut out,
    );
    keyed(
        "scheduled_jobs",
        &b.scheduled_jobs,
        &a.scheduled_jobs,
        |j| format!("{} {}", j.source, j.command),
        |j| j.cron.clone().unwrap_or_else(|| j.schedule.clone()),
        &mut out,
    );
    keyed(
        "files",
        &b.files,
        &a.files,
        |f| f.path.clone(),
        |f| {
            if !f.exists {
                return "absent".to_owned();
            }
            format!(
                "{} {}:{} {}",
                f.mode.as_deref().unwrap_or("?"),
                f.owner.as_deref().unwrap_or("?"),
                f.group.as_deref().unwrap_or("?"),
                f.sha256
                    .as_deref()
                    .map(|h| &h[..h.len().min(12)])
                    .unwrap_or("")
            )
        },
        &mut out,
    );
    if let (Some(pb), Some(pa)) = (b.packages.data(), a.packages.data()) {
        let m = |p: &constat_snapshot::packages::Packages| {
            p.installed
                .iter()
                .map(|x| (x.name.clone(), x.version.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        compare("packages", &m(pb), &m(pa), &mut out);
    }
    if let (Some(fb), Some(fa)) = (b.firewall.data(), a.firewall.data()) {
        let m = |f: &constat_snapshot::firewall::Firewall| {
            let mut map = BTreeMap::new();
            for backend in &f.backends {
                map.insert(
                    format!("backend {}", backend.kind),
                    if backend.active {
                        "active".to_owned()
                    } else {
                        "inactive".to_owned()
                    },
                );
            }
            for c in &f.chains {
                map.insert(
                    format!("{} {} {}", c.family, c.table, c.name),
                    format!(
                        "policy {}; {} rule(s)",
                        c.policy.as_deref().unwrap_or("-"),
                        c.rules.len()
                    ),
                );
                for r in &c.rules {
                    map.insert(
                        format!("{} {} {}: {}", c.family, c.table, c.name, r.raw),
                        "rule".to_owned(),
                    );
                }
            }
            map
        };
        compare("firewall", &m(fb), &m(fa), &mut out);
    }
    if let (Some(db), Some(da)) = (b.directory.data(), a.directory.data()) {
        compare(
            "directory",
            &directory_items(db, offset_minutes),
            &directory_items(da, offset_minutes),
            &mut out,
        );
    }
    out.sort();
    out
}

fn yes_no(value: bool, yes: &str, no: &str) -> String {
    if value { yes } else { no }.to_owned()
}

/// The directory as keyed items (`ou …`, `user …`, `group …`, `computer …`, `gpo …`,
/// `dns …`) with what an examiner compares; volatile attributes (whenChanged,
/// pwdLastSet dates) are left out.
fn directory_items(
    d: &constat_snapshot::ad::Directory,
    offset_minutes: i32,
) -> BTreeMap<String, String> {
    use constat_snapshot::ad::GroupScope;
    let mut map = BTreeMap::new();
    for ou in &d.ous {
        map.insert(
            format!("ou {}", ou.dn),
            format!("description {}", ou.description.as_deref().unwrap_or("-")),
        );
    }
    for u in &d.users {
        let hours = match utc_hours(&u.logon_hours) {
            UtcHours::Always => "always".to_owned(),
            UtcHours::Malformed(length) => format!("malformed value ({length} bytes)"),
            UtcHours::Unreadable => "unreadable".to_owned(),
            UtcHours::Grid(utc) => ranges(&to_local(&utc, offset_minutes)),
        };
        map.insert(
            format!("user {}", u.sam_account_name),
            format!(
                "{}; {}; password change {}; department {}; hours {}; member of {}",
                u.ou_dn,
                yes_no(u.enabled, "enabled", "disabled"),
                yes_no(u.must_change_password, "required", "not required"),
                u.department.as_deref().unwrap_or("-"),
                hours,
                sorted(&u.member_of)
            ),
        );
    }
    for g in &d.groups {
        let scope = match g.scope {
            GroupScope::Global => "global",
            GroupScope::DomainLocal => "domain local",
            GroupScope::Universal => "universal",
            GroupScope::Builtin => "builtin",
        };
        let members = if g.member_names.is_empty() {
            &g.members
        } else {
            &g.member_names
        };
        map.insert(
            format!("group {}", g.name),
            format!("{}; {scope}; members {}", g.ou_dn, sorted(members)),
        );
    }
    for c in &d.computers {
        map.insert(format!("computer {}", c.name), c.ou_dn.clone());
    }
    for g in &d.gpos {
        let extensions: Vec<&str> = g
            .user_extensions
            .iter()
            .chain(&g.machine_extensions)
            .map(|e| e.name.as_deref().unwrap_or(e.cse.as_str()))
            .collect();
        map.insert(
            format!("gpo {}", g.display_name),
            format!(
                "version {}; linked to {}; extensions {}",
                g.version,
                if g.linked_to.is_empty() {
                    "no OU".to_owned()
                } else {
                    g.linked_to.join(", ")
                },
                if extensions.is_empty() {
                    "none".to_owned()
                } else {
                    extensions.join(", ")
                }
            ),
        );
    }
    // SOA serials move with every update: left out. Several values of one name are sorted.
    let mut records: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for z in &d.dns_zones {
        for r in z.records.iter().filter(|r| r.record_type != "SOA") {
            records
                .entry(format!("dns {} {} {}", z.name, r.name, r.record_type))
                .or_default()
                .push(&r.data);
        }
    }
    for (key, mut values) in records {
        values.sort_unstable();
        map.insert(key, values.join(", "));
    }
    map
}

/// Sorted and comma-separated, `-` when empty.
fn sorted(items: &[String]) -> String {
    if items.is_empty() {
        return "-".to_owned();
    }
    let mut items: Vec<&str> = items.iter().map(String::as_str).collect();
    items.sort_unstable();
    items.join(",")
}

#[cfg(test)]
mod tests {
    use super::diff;
    use crate::kinds::testing::ad;

    /// Fixture: the real Samba AD DC collection; the "end" state is derived from it by
    /// the changes a candidate makes (a user enabled, one moved, a group member removed,
    /// a GPO unlinked, a DNS record added).
    #[test]
    fn directory_changes_of_a_dc() {
        let before = ad();
        let mut after = ad();
        let constat_snapshot::section::Section::Collected { data: d } =
            &mut after.sections.directory
        else {
            panic!("the fixture has a directory")
        };
        let pdurand = d.users.iter_mut().find(|u| u.sam_account_name == "pdurand");
        let Some(pdurand) = pdurand else {
            panic!("pdurand in the fixture")
        };
        pdurand.enabled = true;
        pdurand.ou_dn = "CN=Users,DC=tssr,DC=lan".to_owned();
        if let Some(g) = d.groups.iter_mut().find(|g| g.name == "GG_Compta") {
            g.member_names.retain(|m| m != "mmartin");
        }
        for gpo in &mut d.gpos {
            gpo.linked_to.clear();
        }
        if let Some(zone) = d.dns_zones.iter_mut().find(|z| z.name == "tssr.lan")
            && let Some(record) = zone.records.first().cloned()
        {
            zone.records.push(constat_snapshot::ad::DnsRecord {
                name: "intranet2".to_owned(),
                record_type: "A".to_owned(),
                data: "10.204.0.30".to_owned(),
                ..record
            });
        }
        let changes: Vec<String> = diff(&before, &after, 60)
            .iter()
            .map(|c| format!("{:?} {} {}: {}", c.kind, c.section, c.item, c.detail))
            .collect();
        insta::assert_debug_snapshot!(changes);
    }
}
