//! Effective POSIX access (`file_access`, issue 15 item 7) and per-member home checks (item 2)
//! against the kernel: real accounts, groups and ACLs made with `useradd`, `groupadd`,
//! `setfacl` in a private mount namespace whose /etc, /home and /srv are throw-away overlays;
//! the agent collects them with the request the pack computes (paths and `{home}`
//! templates); every verdict is compared with `sudo -u U test -r|-w|-x P` run in the same
//! namespace (the kernel is the oracle).

use constat_snapshot::Snapshot;
use constat_tests::grading::grade_snapshot;
use constat_tests::mountns::OverlayRoot;
use constat_tests::real::{agent_binary, real_tests_enabled, require_programs};
use std::collections::{BTreeMap, BTreeSet};

/// The candidate's work: groups, accounts, shared folders with ACLs, homes.
const SCENARIO: &str = r#"set -e
groupadd compta
groupadd direction
groupadd rh
useradd -m -s /bin/bash -G compta alice
useradd -m -s /bin/bash -G compta bob
useradd -m -s /bin/bash dora
useradd -m -s /bin/bash -G direction eve
useradd -m -s /bin/bash -G rh zoe
chmod 0700 /home/alice
chmod 0755 /home/bob
chmod 0750 /home/dora
setfacl -m u:eve:r-x /home/dora
mkdir -p -m 0755 /srv/acl
# Accounting: the group writes, dora is named rwx but the mask keeps r-x, direction reads.
mkdir -m 0770 /srv/acl/compta
chgrp compta /srv/acl/compta
setfacl -m u:dora:rwx,g:direction:r-x /srv/acl/compta
setfacl -m m::r-x /srv/acl/compta
echo budget > /srv/acl/compta/budget.ods
chown alice:compta /srv/acl/compta/budget.ods
chmod 0660 /srv/acl/compta/budget.ods
setfacl -m u:zoe:r-- /srv/acl/compta/budget.ods
# HR: the owning group's entry denies (its members never reach others' r-x).
mkdir -m 0705 /srv/acl/rh
chgrp rh /srv/acl/rh
setfacl -m g:direction:r-x /srv/acl/rh
# The owner has fewer rights than everybody else.
echo x > /srv/acl/owner-denied
chown alice:compta /srv/acl/owner-denied
chmod 0077 /srv/acl/owner-denied
# Root may not execute a file without an execute bit; the group may run the tool.
printf '#!/bin/sh\n' > /srv/acl/script.sh
chmod 0640 /srv/acl/script.sh
printf '#!/bin/sh\n' > /srv/acl/tool
chgrp compta /srv/acl/tool
chmod 0750 /srv/acl/tool
"#;

const USERS: [&str; 6] = ["root", "alice", "bob", "dora", "eve", "zoe"];
const PATHS: [&str; 9] = [
    "/srv/acl/compta",
    "/srv/acl/compta/budget.ods",
    "/srv/acl/rh",
    "/srv/acl/owner-denied",
    "/srv/acl/script.sh",
    "/srv/acl/tool",
    "/home/alice",
    "/home/bob",
    "/home/dora",
];

/// `sudo -u U test -r|-w|-x P` for each case, in a fresh namespace over the same overlays
/// (a private tmpfs on /run keeps sudo's timestamps off the machine).
fn kernel_says(root: &OverlayRoot, cases: &[(String, String, char)]) -> Vec<bool> {
    let mut script = String::from("mount -t tmpfs tmpfs /run\n");
    for (user, path, right) in cases {
        script.push_str(&format!(
            "if sudo -n -u '{user}' test -{right} '{path}' 2>/dev/null; then echo yes; else echo no; fi\n"
        ));
    }
    let out = root.run(&script, &[]);
    let lines: Vec<bool> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l == "yes")
        .collect();
    assert_eq!(lines.len(), cases.len(), "one answer per case");
    lines
}

fn rights(granted: &[char]) -> String {
    granted.iter().collect()
}

fn graded(pack_text: &str, snapshot: Snapshot) -> constat_checker_core::report::Report {
    let pack = constat_checker_core::pack::load("file-access.yaml", pack_text)
        .unwrap_or_else(|e| panic!("pack: {e:?}\n{pack_text}"));
    grade_snapshot(&pack, "a", "linux", snapshot, "2026-12-02T16:00:00Z")
}

const HEAD: &str = "pack: {id: file-access, title: t, referentiel: tssr-2023, profile: lab}\n\
                    hosts: {linux: {os: linux}}\nchecks:\n";

/// The agent run in the namespace with the request `file_requests` computed for `pack_text`.
fn collect(root: &OverlayRoot, pack_text: &str) -> Snapshot {
    let pack = constat_checker_core::pack::load("file-access.yaml", pack_text).expect("pack");
    let mut request = constat_checker_core::pack::file_requests(&pack)
        .remove("linux")
        .expect("the pack requests files");
    request.sections = constat_checker_core::pack::sections_for(&pack, "linux", false);
    let path = root.shared().join("request.json");
    std::fs::write(&path, serde_json::to_vec(&request).expect("json")).expect("write request");
    let agent = agent_binary();
    let out = root.run(
        r#"exec "$1" collect --request "$2""#,
        &[
            agent.to_str().expect("utf-8 agent path"),
            path.to_str().expect("utf-8 request path"),
        ],
    );
    Snapshot::from_json(&String::from_utf8_lossy(&out.stdout)).expect("agent snapshot")
}

#[test]
fn every_verdict_matches_the_kernel() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["unshare", "mount", "useradd", "groupadd", "setfacl", "sudo"]);
    let root = OverlayRoot::new("file-access");
    root.run(SCENARIO, &[]);

    let mut cases = Vec::new();
    for user in USERS {
        for path in PATHS {
            for right in ['r', 'w', 'x'] {
                cases.push((user.to_owned(), path.to_owned(), right));
            }
        }
    }
    let oracle = kernel_says(&root, &cases);

    // One check per account and path: what the kernel grants must be `can`, the rest
    // `cannot`; every check passes exactly when constat decides as the kernel did.
    let mut pack = HEAD.to_owned();
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for (i, chunk) in cases.chunks(3).enumerate() {
        let (user, path, _) = &chunk[0];
        let granted: Vec<char> = chunk
            .iter()
            .zip(&oracle[i * 3..i * 3 + 3])
            .filter(|(_, yes)| **yes)
            .map(|((_, _, r), _)| *r)
            .collect();
        let denied: Vec<char> = ['r', 'w', 'x']
            .into_iter()
            .filter(|r| !granted.contains(r))
            .collect();
        let mut expect = format!("{{path: \"{path}\", user: {user}");
        if !granted.is_empty() {
            expect.push_str(&format!(", can: {}", rights(&granted)));
        }
        if !denied.is_empty() {
            expect.push_str(&format!(", cannot: {}", rights(&denied)));
        }
        expect.push('}');
        let id = format!("c{i}");
        pack.push_str(&format!(
            "  - {{id: {id}, title: \"{user} {path}\", criteres: [tssr-2023/CP3/C1], hosts: [linux], expect: {{file_access: {expect}}}}}\n"
        ));
        expected.insert(
            id,
            format!("{user} {path}: kernel grants [{}]", rights(&granted)),
        );
    }
    let snapshot = collect(&root, &pack);
    let report = graded(&pack, snapshot);
    let mut lines = Vec::new();
    let mut wrong = Vec::new();
    for check in &report.checks {
        let what = &expected[&*check.id];
        if !matches!(check.outcome, constat_checker_core::report::Outcome::Pass) {
            wrong.push(format!(
                "{what}: constat says {:?} {:#?}",
                check.outcome, check.evidence
            ));
        }
        let deciders: Vec<String> = check
            .evidence
            .iter()
            .map(|e| format!("{} {}", e.property, e.actual))
            .collect();
        lines.push(format!("{what} | {}", deciders.join("; ")));
    }
    assert!(
        wrong.is_empty(),
        "constat and the kernel disagree:\n{}",
        wrong.join("\n")
    );
    insta::assert_snapshot!(lines.join("\n"));
}

/// A selection's members' homes reach the agent as `{home}` templates; each member is judged
/// on its own home (owner, kind, nobody else may read), with partial credit, and the verdict
/// on "nobody else" is the kernel's for every other account of the host.
#[test]
fn member_homes_are_requested_and_judged_per_member() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["unshare", "mount", "useradd", "groupadd", "setfacl", "sudo"]);
    let root = OverlayRoot::new("member-homes");
    root.run(SCENARIO, &[]);
    let pack = format!(
        "{HEAD}  - id: homes\n    title: homes\n    criteres: [tssr-2023/CP3/C1]\n    hosts: [linux]\n    \
         partial: true\n    expect:\n      select:\n        user: {{member_of: compta}}\n        all:\n          all:\n            \
         - {{file: {{path: \"${{member.home}}\", kind: directory, owner: \"${{member}}\"}}}}\n            \
         - {{file_access: {{path: \"${{member.home}}\", user: \"${{member}}\", can: rwx}}}}\n            \
         - {{file_access: {{path: \"${{member.home}}\", other_than: [\"${{member}}\"], cannot: r}}}}\n"
    );
    let snapshot = collect(&root, &pack);
    assert_eq!(
        snapshot
            .collection
            .request
            .as_ref()
            .map(|r| r.home_paths.clone()),
        Some(vec!["{home}".to_owned()]),
        "the pack's member-home template reached the agent"
    );
    // The kernel's answer for every other account of the host (system ones included).
    let accounts: Vec<String> = snapshot
        .sections
        .users
        .data()
        .expect("users collected")
        .iter()
        .filter(|u| u.uid != Some(0))
        .map(|u| u.name.clone())
        .collect();
    let mut cases = Vec::new();
    for (member, home) in [("alice", "/home/alice"), ("bob", "/home/bob")] {
        for other in accounts.iter().filter(|a| *a != member) {
            cases.push((other.clone(), home.to_owned(), 'r'));
        }
    }
    let oracle = kernel_says(&root, &cases);
    let readers: BTreeSet<(String, String)> = cases
        .iter()
        .zip(&oracle)
        .filter(|(_, yes)| **yes)
        .map(|((user, home, _), _)| (home.clone(), user.clone()))
        .collect();
    assert!(
        !readers.iter().any(|(home, _)| home == "/home/alice"),
        "the kernel lets someone read alice's 0700 home: {readers:?}"
    );
    assert!(readers.iter().any(|(home, _)| home == "/home/bob"));

    let report = graded(&pack, snapshot);
    let check = &report.checks[0];
    // Each member's own verdict line, then the quantifier; names other than the scenario's
    // (the machine's own accounts) and their number are redacted.
    let ours = |text: &str| {
        let mut t = text.to_owned();
        for a in &accounts {
            if !USERS.contains(&a.as_str()) {
                t = t.replace(&format!("{a} ("), "[account] (");
            }
        }
        let t = regex::Regex::new(r"all \d+ other")
            .expect("regex")
            .replace_all(&t, "all [n] other")
            .into_owned();
        // How many more accounts read it depends on the machine's own accounts (a package
        // installed since, such as nagios4-core, adds one): redacted too.
        regex::Regex::new(r", \+\d+$")
            .expect("regex")
            .replace_all(&t, ", +[n]")
            .into_owned()
    };
    let lines: Vec<String> = check
        .evidence
        .iter()
        .map(|e| {
            format!(
                "[{:?}] {} {}: {} | {}",
                e.status,
                e.path,
                e.property,
                ours(&e.expected),
                ours(&e.actual)
            )
        })
        .collect();
    // bob's home fails "nobody else reads it": the accounts named are readers for the kernel.
    for e in &check.evidence {
        if let Some(names) = e.actual.strip_prefix("granted to ") {
            for name in names.split(", ").filter_map(|n| n.split(" (").next()) {
                if !name.starts_with('+') {
                    assert!(
                        readers.contains(&("/home/bob".to_owned(), name.to_owned())),
                        "{name} named as a reader of /home/bob, the kernel disagrees"
                    );
                }
            }
        }
    }
    insta::assert_snapshot!(format!(
        "{:?} earned {} of {}\n{}",
        check.outcome,
        check.earned,
        check.points,
        lines.join("\n")
    ));
}
