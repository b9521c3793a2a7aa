//! Drafts a pack from a reference solution: what the golden snapshot has that the start
//! snapshot lacks (users, groups, packages, services, firewall, scheduled jobs), as YAML for
//! a trainer to prune and complete (titles, critères, points).

use constat_snapshot::Snapshot;
use constat_snapshot::firewall::Firewall;
use std::fmt::Write;

/// A draft pack YAML. Without `start`, every non-system user and group, the firewall and the
/// jobs of /etc/cron.d and user crontabs are proposed; packages and services need `start`
/// (a fresh machine already has hundreds of them).
pub fn propose(golden: &Snapshot, start: Option<&Snapshot>) -> String {
    let mut checks = Vec::new();
    users(golden, start, &mut checks);
    groups(golden, start, &mut checks);
    packages(golden, start, &mut checks);
    services(golden, start, &mut checks);
    firewall(golden, start, &mut checks);
    jobs(golden, start, &mut checks);
    let mut s = String::from(
        "# Brouillon généré par `constat` à partir d'une solution de référence.\n\
         # À relire : supprimez ce qui ne relève pas du sujet, renommez, ajustez critères et points.\n\
         # Complétion dans l'éditeur : `constat schema pack > pack.schema.json` à côté de ce\n\
         # fichier, puis une première ligne de modèle yaml-language-server avec $schema=pack.schema.json.\n\
         pack:\n  id: brouillon\n  title: \"Brouillon à renommer\"\n  version: \"0.1\"\n  referentiel: tssr-2023\n  profile: titre\n",
    );
    let _ = writeln!(
        s,
        "  description: {}\n\nhosts:\n  linux:\n    os: linux\n    description: {}\n",
        quote(&format!(
            "Écarts entre {} et la solution de référence {}.",
            start.map_or_else(
                || "une installation neuve".to_owned(),
                |s| format!("l'état initial de {}", s.host.hostname)
            ),
            golden.host.hostname
        )),
        quote(&format!("Serveur Linux ({})", golden.host.hostname))
    );
    if checks.is_empty() {
        s.push_str("checks: []\n");
        return s;
    }
    s.push_str("checks:\n");
    // Two host names may give the same slug (`Alice`, `alice`, `a\x1bb`/`a b`): ids stay unique.
    let mut seen = std::collections::BTreeSet::new();
    for mut c in checks {
        if !seen.insert(c.id.clone()) {
            let mut n = 2;
            while seen.contains(&format!("{}-{n}", c.id)) {
                n += 1;
            }
            c.id = format!("{}-{n}", c.id);
            seen.insert(c.id.clone());
        }
        let _ = write!(
            s,
            "  - id: {}\n    title: {}\n    criteres: [{}]\n    hosts: [linux]\n    points: 1\n    expect:\n      {}\n\n",
            c.id,
            quote(&c.title),
            c.critere,
            c.expect
        );
    }
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

struct Draft {
    id: String,
    title: String,
    critere: &'static str,
    expect: String,
}

/// A YAML double-quoted scalar.
fn quote(text: &str) -> String {
    let mut q = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            // Host-derived text may hold any character: whatever YAML cannot print (C0, DEL,
            // C1, U+FFFE/U+FFFF, BOM) and the bidi controls become `\uXXXX`, so the draft
            // always re-parses and shows no reordered text.
            c if constat_checker_core::render::escape::is_control(c)
                || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') =>
            {
                let _ = write!(q, "\\u{:04x}", c as u32);
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|i| quote(i))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Escapes the regex metacharacters of the `regex` crate.
fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A check id fragment: lowercase ASCII letters, digits and dashes.
fn slug(text: &str) -> String {
    let mut s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    s.trim_matches('-').chars().take(40).collect()
}

fn users(golden: &Snapshot, start: Option<&Snapshot>, out: &mut Vec<Draft>) {
    let Some(all) = golden.sections.users.data() else {
        return;
    };
    let before = start.and_then(|s| s.sections.users.data());
    for u in all.iter().filter(|u| !u.system) {
        if before.is_some_and(|b| b.iter().any(|x| x.name == u.name)) {
            continue;
        }
        let mut fields = vec![format!("name: {}", quote(&u.name))];
        if let Some(shell) = &u.shell {
            fields.push(format!("shell: {}", quote(shell)));
        }
        let groups: Vec<String> = u
            .groups
            .iter()
            .filter(|g| **g != u.name && u.primary_group.as_ref() != Some(g))
            .cloned()
            .collect();
        if !groups.is_empty() {
            fields.push(format!("groups: {}", list(&groups)));
        }
        out.push(Draft {
            id: format!("user-{}", slug(&u.name)),
            title: format!("Le compte {} existe", u.name),
            critere: "tssr-2023/CP3/C1",
            expect: format!("user: {{{}}}", fields.join(", ")),
        });
    }
}

fn groups(golden: &Snapshot, start: Option<&Snapshot>, out: &mut Vec<Draft>) {
    let Some(all) = golden.sections.groups.data() else {
        return;
    };
    let users = golden.sections.users.data();
    let before = start.and_then(|s| s.sections.groups.data());
    for g in all.iter().filter(|g| !g.system) {
        if before.is_some_and(|b| b.iter().any(|x| x.name == g.name)) {
            continue;
        }
        // A user's private group is proposed with the user.
        if g.members.is_empty() && users.is_some_and(|u| u.iter().any(|u| u.name == g.name)) {
            continue;
        }
        let mut expect = format!("group: {{name: {}", quote(&g.name));
        if !g.members.is_empty() {
            let _ = write!(expect, ", members: {}", list(&g.members));
        }
        expect.push('}');
        out.push(Draft {
            id: format!("group-{}", slug(&g.name)),
            title: format!("Le groupe {} existe avec ses membres", g.name),
            critere: "tssr-2023/CP3/C1",
            expect,
        });
    }
}

fn packages(golden: &Snapshot, start: Option<&Snapshot>, out: &mut Vec<Draft>) {
    let (Some(all), Some(before)) = (
        golden.sections.packages.data(),
        start.and_then(|s| s.sections.packages.data()),
    ) else {
        return;
    };
    for p in &all.installed {
        if before.installed.iter().any(|x| x.name == p.name) {
            continue;
        }
        out.push(Draft {
            id: format!("package-{}", slug(&p.name)),
            title: format!("Le paquet {} est installé", p.name),
            critere: "tssr-2023/CP3/C2",
            expect: format!("package: {{name: {}}}", quote(&p.name)),
        });
    }
}

fn services(golden: &Snapshot, start: Option<&Snapshot>, out: &mut Vec<Draft>) {
    let (Some(all), Some(before)) = (
        golden.sections.services.data(),
        start.and_then(|s| s.sections.services.data()),
    ) else {
        return;
    };
    for sv in all {
        let was = before.iter().find(|x| x.name == sv.name);
        let changed = match was {
            None => sv.running || sv.enabled == Some(true),
            Some(w) => w.running != sv.running || w.enabled != sv.enabled,
        };
        if !changed {
            continue;
        }
        let name = sv.name.trim_end_matches(".service");
        let mut expect = format!("service: {{name: {}, running: {}", quote(name), sv.running);
        if let Some(e) = sv.enabled {
            let _ = write!(expect, ", enabled: {e}");
        }
        expect.push('}');
        out.push(Draft {
            id: format!("service-{}", slug(name)),
            title: format!(
                "Le service {name} est {}",
                if sv.running { "démarré" } else { "arrêté" }
            ),
            critere: "tssr-2023/CP3/C2",
            expect,
        });
    }
}

/// Ports accepted from anywhere by the input chains (`22/tcp`).
fn open_ports(fw: &Firewall) -> Vec<String> {
    let mut ports = Vec::new();
    for chain in fw
        .chains
        .iter()
        .filter(|c| c.hook.as_deref() == Some("input"))
    {
        for r in &chain.rules {
            if r.action != "accept" || !r.sources.is_empty() || r.in_interface.is_some() {
                continue;
            }
            for p in &r.dports {
                let port = format!("{p}/{}", r.protocol.as_deref().unwrap_or("tcp"));
                if !ports.contains(&port) {
                    ports.push(port);
                }
            }
        }
    }
    ports
}

fn firewall(golden: &Snapshot, start: Option<&Snapshot>, out: &mut Vec<Draft>) {
    let Some(fw) = golden.sections.firewall.data() else {
        return;
    };
    if fw.chains.is_empty() {
        return;
    }
    let policy = fw
        .chains
        .iter()
        .filter(|c| c.hook.as_deref() == Some("input"))
        .find_map(|c| c.policy.clone());
    let ports = open_ports(fw);
    let before = start.and_then(|s| s.sections.firewall.data());
    if before.is_some_and(|b| open_ports(b) == ports && b.chains.len() == fw.chains.len()) {
        return;
    }
    let mut expect = String::from("firewall: {active: true");
    if let Some(p) = policy.filter(|p| p == "drop" || p == "accept") {
        let _ = write!(expect, ", input_policy: {p}");
    }
    if !ports.is_empty() {
        let _ = write!(expect, ", allow: {}", list(&ports));
    }
    expect.push('}');
    out.push(Draft {
        id: "firewall".to_owned(),
        title: "Le pare-feu filtre les flux entrants".to_owned(),
        critere: "tssr-2023/CP7/C1",
        expect,
    });
}

fn jobs(golden: &Snapshot, start: Option<&Snapshot>, out: &mut Vec<Draft>) {
    let Some(all) = golden.sections.scheduled_jobs.data() else {
        return;
    };
    let before = start.and_then(|s| s.sections.scheduled_jobs.data());
    for (n, j) in all.iter().enumerate() {
        let new = match before {
            Some(b) => !b.iter().any(|x| x.command == j.command && x.cron == j.cron),
            None => {
                j.source.starts_with("/etc/cron.d/")
                    || j.kind == constat_snapshot::jobs::JobKind::UserCron
            }
        };
        if !new {
            continue;
        }
        let mut expect = format!(
            "scheduled_job: {{command: {}",
            quote(&regex_escape(&j.command))
        );
        if let Some(c) = &j.cron {
            let _ = write!(expect, ", schedule: {}", quote(c));
        }
        if let Some(u) = &j.user {
            let _ = write!(expect, ", user: {}", quote(u));
        }
        expect.push('}');
        out.push(Draft {
            id: format!("job-{}", n + 1),
            title: format!("La tâche planifiée « {} » est en place", j.command),
            critere: "tssr-2023/CP6/C2",
            expect,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack_tests::snapshot;
    use constat_checker_core::pack::{load, render_diagnostics};

    fn checked(yaml: String) -> String {
        if let Err(d) = load("brouillon.yaml", &yaml) {
            panic!("draft does not load:\n{}\n{yaml}", render_diagnostics(&d));
        }
        yaml
    }

    #[test]
    fn drafts_the_cp3_solution_from_the_start_state() {
        let golden = snapshot("lab-cp3-linux/pass.json");
        let start = snapshot("real/debian12.json");
        insta::assert_snapshot!(checked(propose(&golden, Some(&start))));
    }

    #[test]
    fn drafts_firewall_and_jobs_without_start() {
        let mut golden = snapshot("lab-cp7-firewall/pass.json");
        let jobs = snapshot("lab-cp6-scripts/pass.json");
        golden.sections.scheduled_jobs = jobs.sections.scheduled_jobs;
        insta::assert_snapshot!(checked(propose(&golden, None)));
    }

    /// A hostile golden snapshot (names, shells, cron lines with escape sequences, bidi
    /// overrides, quotes, YAML structure, colliding slugs): the draft still loads.
    #[test]
    fn hostile_names_and_commands_round_trip() {
        const H: &str =
            "x\u{1b}]52;c;cA==\u{7}\u{9b}\u{202e}\u{feff}\u{ffff}\"'\\: #{a}[b]\r\n\0- &*!|>%@`";
        let mut golden = snapshot("lab-cp3-linux/pass.json");
        golden.host.hostname = H.to_owned();
        let start = snapshot("real/debian12.json");
        if let constat_snapshot::Section::Collected { data: users } = &mut golden.sections.users {
            let mut evil = users.iter().find(|u| !u.system).cloned().expect("a user");
            evil.name = format!("{H}1");
            evil.shell = Some(H.to_owned());
            evil.groups = vec![H.to_owned()];
            let mut twin = evil.clone();
            twin.name = format!("{H}2");
            users.push(evil);
            users.push(twin);
        }
        let jobs = snapshot("lab-cp6-scripts/pass.json");
        golden.sections.scheduled_jobs = jobs.sections.scheduled_jobs;
        if let constat_snapshot::Section::Collected { data: jobs } =
            &mut golden.sections.scheduled_jobs
            && let Some(j) = jobs.first_mut()
        {
            j.command = H.to_owned();
            j.user = Some(H.to_owned());
        }
        let draft = checked(propose(&golden, Some(&start)));
        assert!(
            !draft
                .chars()
                .any(|c| c != '\n' && constat_checker_core::render::escape::is_control(c))
        );
        assert!(draft.contains("\\u001b]52"), "{draft}");
    }

    #[test]
    fn nothing_changed_gives_an_empty_draft() {
        let start = snapshot("real/debian12.json");
        insta::assert_snapshot!(checked(propose(&start, Some(&start))));
    }
}
