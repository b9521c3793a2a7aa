//! Collection requests: which paths each host role must report for a pack, and which
//! snapshot sections its checks read (agent `--request`).

use crate::pack::model::Pack;
use constat_snapshot::files::{HOME_PLACEHOLDER, OPTIONAL_PARTS};
use constat_snapshot::{FileRequest, ScriptRunRequest};
use std::collections::{BTreeMap, BTreeSet};

/// Paths each role must report, sorted and deduplicated; paths under a selected member's
/// home (`${member.home}`) become `home_paths` templates (`{home}/…`) the collector expands
/// for every account. Roles with no file get no entry.
pub fn file_requests(pack: &Pack) -> BTreeMap<String, FileRequest> {
    let mut by_role: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for check in &pack.checks {
        for role in &check.meta.hosts {
            let mut found = Vec::new();
            for (_, e) in &check.items {
                e.files(role, &mut found);
            }
            for (r, path) in found {
                by_role.entry(r).or_default().insert(path);
            }
        }
    }
    by_role
        .into_iter()
        .map(|(role, paths)| {
            let (home_paths, paths): (Vec<String>, Vec<String>) = paths
                .into_iter()
                .partition(|p| p.starts_with(HOME_PLACEHOLDER));
            (
                role,
                FileRequest {
                    paths,
                    head_bytes: None,
                    sections: None,
                    home_paths,
                    without: Vec::new(),
                },
            )
        })
        .collect()
}

/// Sections the report's start/end diff compares (`eval/diff.rs`): a session's end phase
/// collects them beside the pack's, so the jury's list of changes is as complete as with a
/// full collection.
pub const DIFF_SECTIONS: &[&str] = &[
    "users",
    "groups",
    "services",
    "scheduled_jobs",
    "files",
    "packages",
    "firewall",
    "directory",
];

/// Snapshot sections each role's checks read (kinds' declared sections, `fact` path roots,
/// through `on:` to the role they name), sorted, with the optional parts they read
/// (`packages.updates`, see [`OPTIONAL_PARTS`]) as `section.part` entries. `None` for a role:
/// one of its checks uses a kind that has not declared its sections, so it needs every
/// section. A role that no check reads gets no entry: callers collect it in full. A
/// `changed` check reads the same sections in the start snapshot, which is always collected
/// in full.
pub fn section_requests(pack: &Pack) -> BTreeMap<String, Option<Vec<String>>> {
    let mut by_role: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    for check in &pack.checks {
        for role in &check.meta.hosts {
            let mut found = Vec::new();
            for (_, e) in &check.items {
                e.sections(role, &mut found);
            }
            for (r, section) in found {
                let entry = by_role.entry(r).or_insert_with(|| Some(BTreeSet::new()));
                match (entry.as_mut(), section) {
                    (Some(set), Some(section)) => {
                        set.insert(section);
                    }
                    (Some(_), None) => *entry = None,
                    (None, _) => {}
                }
            }
        }
    }
    by_role
        .into_iter()
        .map(|(role, set)| (role, set.map(|s| s.into_iter().collect())))
        .collect()
}

/// The sections to ask `role` for when grading `pack`: the pack's, plus [`DIFF_SECTIONS`]
/// when a start snapshot will be diffed against this one (a session's end phase). `None`
/// = every section (a role no check reads, or a kind that has not declared).
pub fn sections_for(pack: &Pack, role: &str, with_diff: bool) -> Option<Vec<String>> {
    let mut sections: Vec<String> = section_requests(pack)
        .remove(role)??
        .into_iter()
        .filter(|s| !s.contains('.'))
        .collect();
    if with_diff {
        sections.extend(DIFF_SECTIONS.iter().map(|s| (*s).to_owned()));
        sections.sort();
        sections.dedup();
    }
    Some(sections)
}

/// The optional parts ([`OPTIONAL_PARTS`]) of the sections asked of `role` that no check of
/// `pack` reads, for the request's `without`: `["packages.updates"]` when the role's checks
/// read `packages` only through the `package` kind or `packages.installed` facts. Empty
/// when the role is collected in full (no entry, or a kind that has not declared) or a
/// check reads the part; the diff (`with_diff`) reads no optional part.
pub fn unread_parts_for(pack: &Pack, role: &str, with_diff: bool) -> Vec<String> {
    let Some(Some(read)) = section_requests(pack).remove(role) else {
        return Vec::new();
    };
    let sections = sections_for(pack, role, with_diff).unwrap_or_default();
    OPTIONAL_PARTS
        .iter()
        .filter(|part| {
            let section = part.split_once('.').map_or(**part, |(s, _)| s);
            sections.iter().any(|s| s == section) && !read.iter().any(|r| r == *part)
        })
        .map(|part| (*part).to_owned())
        .collect()
}

/// Narrows `request` to what grading `role` with `pack` reads: its `sections`
/// ([`sections_for`]) and the optional parts left out ([`unread_parts_for`]).
pub fn narrow_request(pack: &Pack, role: &str, with_diff: bool, request: &mut FileRequest) {
    request.sections = sections_for(pack, role, with_diff);
    request.without = unread_parts_for(pack, role, with_diff);
}

/// Script runs each role must perform for a pack that allows active tests (`pack.active_tests`),
/// sorted and deduplicated; empty for any other pack. The core only declares them: the CLI
/// runs them when the examiner passes `--active-tests` and stores the results in the
/// snapshot's `script_runs` section.
pub fn script_run_requests(pack: &Pack) -> BTreeMap<String, Vec<ScriptRunRequest>> {
    let mut by_role: BTreeMap<String, BTreeSet<ScriptRunRequest>> = BTreeMap::new();
    if !pack.active_tests {
        return BTreeMap::new();
    }
    for check in &pack.checks {
        for role in &check.meta.hosts {
            let mut found = Vec::new();
            for (_, e) in &check.items {
                e.runs(role, &mut found);
            }
            for (r, request) in found {
                by_role.entry(r).or_default().insert(request);
            }
        }
    }
    by_role
        .into_iter()
        .map(|(role, runs)| (role, runs.into_iter().collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{section_requests, sections_for};
    use crate::pack::{Pack, load};

    /// A pack declaring `hosts` with one check `a` on `linux` that expects `expect` (YAML).
    fn pack_with(hosts: &str, expect: &str) -> Pack {
        load(
            "x.yaml",
            &format!(
                "pack: {{id: x, title: t, referentiel: tssr-2023, profile: lab}}\n\
                 hosts: {hosts}\n\
                 checks:\n\
                 \x20 - id: a\n\
                 \x20   title: t\n\
                 \x20   criteres: [tssr-2023/CP3/C1]\n\
                 \x20   hosts: [linux]\n\
                 \x20   expect: {expect}\n"
            ),
        )
        .expect("valid pack")
    }

    /// A member's home is a `{home}` template; a path naming a member otherwise is not
    /// requestable; a path naming no member is requested as is.
    #[test]
    fn member_homes_become_home_templates() {
        let pack = pack_with(
            "{linux: {os: linux}}",
            "{select: {user: {member_of: compta}, all: {all: [\
             {file: {path: \"${member.home}\", owner: \"${member}\"}}, \
             {file: {path: \"${member.home}/.ssh/authorized_keys\"}}, \
             {file: {path: \"/home/${member}/notes\"}}, \
             {file_access: {path: \"${member.home}/public\", other_than: [\"${member}\"], cannot: w}}, \
             {file: {path: /srv/compta}}]}}}",
        );
        let request = super::file_requests(&pack).remove("linux").expect("linux");
        assert_eq!(request.paths, ["/", "/srv/compta"]);
        assert_eq!(
            request.home_paths,
            ["{home}", "{home}/.ssh/authorized_keys", "{home}/public"]
        );
    }

    #[test]
    fn sections_per_role_of_the_lab_pack() {
        insta::assert_debug_snapshot!(section_requests(&crate::test_support::lab_pack()));
    }

    #[test]
    fn fact_roots_and_on_name_their_sections_and_roles() {
        let pack = pack_with(
            "{linux: {os: linux}, dc: {os: windows}}",
            "{all: [{fact: {path: \"storage.mounts[*].target\", exists: true}}, \
             {fact: {path: \"host.hostname\", equals: srv}}, {user: {name: alice}}, \
             {on: {host: dc, expect: {ad_user: {name: alice}}}}]}",
        );
        let sections = section_requests(&pack);
        assert_eq!(
            sections.get("linux"),
            Some(&Some(vec!["storage".to_owned(), "users".to_owned()])),
            "host.* is not a section; the fact's root and the kind's sections are"
        );
        assert_eq!(
            sections.get("dc"),
            Some(&Some(vec!["directory".to_owned()]))
        );
        let end = sections_for(&pack, "linux", true).expect("declared");
        for s in super::DIFF_SECTIONS {
            assert!(end.iter().any(|e| e == s), "end phase lacks {s}");
        }
        assert!(end.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicate");
        assert_eq!(sections_for(&pack, "nobody-reads-me", false), None);
    }

    /// Pending updates are asked for only when a check reads them: a `fact` under
    /// `packages.updates` or on `packages` whole, or a kind that has not declared its
    /// sections; the `package` kind and `packages.installed` facts do not.
    #[test]
    fn pending_updates_only_for_the_checks_that_read_them() {
        let unread = |expect: &str| {
            let pack = pack_with("{linux: {os: linux}, other: {os: linux}}", expect);
            assert_eq!(
                super::unread_parts_for(&pack, "other", false),
                Vec::<String>::new()
            );
            let mut request = constat_snapshot::FileRequest::default();
            super::narrow_request(&pack, "linux", false, &mut request);
            assert_eq!(
                request.without,
                super::unread_parts_for(&pack, "linux", false)
            );
            assert!(
                request.sections.iter().flatten().all(|s| !s.contains('.')),
                "parts never reach `sections`: {request:?}"
            );
            request.without
        };
        let left_out = vec!["packages.updates".to_owned()];
        assert_eq!(unread("{package: {name: apache2}}"), left_out);
        assert_eq!(
            unread("{fact: {path: \"packages.installed[name=apache2].version\", regex: \"^2\"}}"),
            left_out
        );
        assert_eq!(
            unread("{fact: {path: packages.manager, equals: dpkg}}"),
            left_out
        );
        for reads in [
            "{fact: {path: packages.updates.known, equals: true}}",
            "{fact: {path: \"packages.updates.pending[*]\", count: {eq: 0}}}",
            "{fact: {path: packages, exists: true}}",
            "{all: [{package: {name: apache2}}, {fact: {path: packages.updates.known, equals: true}}]}",
        ] {
            assert_eq!(unread(reads), Vec::<String>::new(), "{reads}");
        }
        // No `packages` asked: nothing to leave out of it.
        assert_eq!(unread("{user: {name: alice}}"), Vec::<String>::new());
        // The diff of a session's end phase reads installed packages only.
        let pack = pack_with("{linux: {os: linux}}", "{user: {name: alice}}");
        assert_eq!(
            super::unread_parts_for(&pack, "linux", true),
            ["packages.updates"]
        );
    }
}
