//! Start/end diff: what changed on a host during the exam (users, groups, services,
//! firewall, scheduled jobs, packages, requested files).

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
pub(crate) fn diff(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let (b, a) = (&before.sections, &after.sections);
    let mut out = Vec::new();
    keyed(
        "users",
        &b.users,
        &a.users,
        |u| u.name.clone(),
        |u| {
            format!(
                "uid {} ; groupes {} ; shell {}",
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
        |g| format!("membres {}", g.members.join(",")),
        &mut out,
    );
    keyed(
        "services",
        &b.services,
        &a.services,
        |s| s.name.clone(),
        |s| {
            format!(
                "{} ; {}",
                if s.running { "démarré" } else { "arrêté" },
                match s.enabled {
                    Some(true) => "activé",
                    Some(false) => "désactivé",
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
                        "actif".to_owned()
                    } else {
                        "inactif".to_owned()
                    },
                );
            }
            for c in &f.chains {
                map.insert(
                    format!("{} {} {}", c.family, c.table, c.name),
                    format!(
                        "politique {} ; {} règle(s)",
                        c.policy.as_deref().unwrap_or("-"),
                        c.rules.len()
                    ),
                );
                for r in &c.rules {
                    map.insert(
                        format!("{} {} {}: {}", c.family, c.table, c.name, r.raw),
                        "règle".to_owned(),
                    );
                }
            }
            map
        };
        compare("firewall", &m(fb), &m(fa), &mut out);
    }
    out.sort();
    out
}
