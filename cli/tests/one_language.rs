//! One language at a time, end to end (issue 14 item 5): what the commands print — `check`,
//! `grade` (with start/end changes), `validate` (good and broken packs, a broken inventory),
//! `explain`, `coverage`, `session status` and `--help` of every subcommand — holds no French
//! under `--lang en` and no English phrase of constat in French (the default).
//!
//! "Of constat": a word that no pack, référentiel, fixture or snapshot wrote (their text may be
//! French: a check titled « Comptes »). The words are those of `constat_checks::one_language`,
//! which the report test (`checks/src/one_language_tests.rs`) uses too. Inputs: the shipped
//! packs, the recorded fixtures of `checks/fixtures/` and this machine (`check`).

use constat_checks::one_language::{english, french, words};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file's text under `dir` whose name ends in one of `extensions`.
fn texts(dir: &Path, extensions: &[&str], out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            texts(&path, extensions, out);
        } else if extensions
            .iter()
            .any(|x| path.extension().is_some_and(|e| e == *x))
        {
            out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// Words that packs, the référentiel, fixtures and test inputs wrote.
fn source_words(extra: &str) -> BTreeSet<String> {
    let mut text = extra.to_owned();
    texts(&repo().join("checks/packs"), &["yaml"], &mut text);
    texts(&repo().join("checks/fixtures"), &["json"], &mut text);
    texts(
        &repo().join("checker-core/data"),
        &["yaml", "json", "md"],
        &mut text,
    );
    texts(
        &repo().join("checker-core/tests/fixtures/packs"),
        &["yaml"],
        &mut text,
    );
    words(&text).collect()
}

/// Text without its code: fenced blocks and `inline` spans (YAML keys, kind names and
/// commands are the same in both languages).
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut inside = false;
        for (i, part) in line.split('`').enumerate() {
            inside = i % 2 == 1;
            if !inside {
                out.push_str(part);
            }
        }
        let _ = inside;
        out.push('\n');
    }
    out
}

/// One command, run in both languages.
struct Case {
    name: String,
    args: Vec<String>,
    /// Files the command writes, read as output too (relative to its `--out`).
    written: Vec<&'static str>,
}

fn case(name: &str, args: &[&str]) -> Case {
    Case {
        name: name.to_owned(),
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        written: Vec::new(),
    }
}

/// Every subcommand path (`session run`, `grade`…), from the command line definition.
fn subcommands(command: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    for sub in command.get_subcommands() {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_owned());
        out.push(path.clone());
        subcommands(sub, &path, out);
    }
}

#[test]
fn every_command_speaks_one_language_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fixtures = repo().join("checks/fixtures");
    let fixture = |p: &str| fixtures.join(p).display().to_string();
    let packs = repo().join("checker-core/tests/fixtures/packs");
    let pack = |p: &str| packs.join(p).display().to_string();
    // A broken inventory: a typo, a value of the wrong type and a missing pack.
    let inventory_typo = d.join("typo.yaml");
    std::fs::write(
        &inventory_typo,
        "session: { id: s1, referentiel: tssr-2023 }\ncandidates:\n  - { id: c01, name: A }\n\
         defaults:\n  linux: { transport: ssh, address: 10.0.0.1, user: root, pasword: x }\n",
    )
    .unwrap();
    let inventory_type = d.join("type.yaml");
    std::fs::write(
        &inventory_type,
        "session: { id: s1, referentiel: tssr-2023 }\nsettings: { concurrency: many }\n",
    )
    .unwrap();
    let inventory_pack = d.join("pack.yaml");
    std::fs::write(
        &inventory_pack,
        "session: { id: s1, referentiel: tssr-2023, profile: lab, pack: nope.yaml }\n\
         candidates:\n  - { id: c01, name: A }\ndefaults:\n  linux: { transport: local }\n",
    )
    .unwrap();
    // A local session, for `session status`.
    let inventory = d.join("local.yaml");
    std::fs::write(
        &inventory,
        "session: { id: local-1, referentiel: tssr-2023, profile: lab, pack: lab-cp3-linux }\n\
         candidates:\n  - { id: c01, name: Alice }\ndefaults:\n  linux: { transport: local }\n",
    )
    .unwrap();
    let session = d.join("session");
    let init = Command::new(env!("CARGO_BIN_EXE_constat"))
        .env_remove("CONSTAT_LANG")
        .args(["session", "init", "--inventory"])
        .arg(&inventory)
        .arg(&session)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let session = session.display().to_string();
    let inventories =
        [&inventory_typo, &inventory_type, &inventory_pack].map(|p| p.display().to_string());

    let mut cases = vec![
        Case {
            written: vec!["report.md"],
            ..case(
                "check lab-cp3-linux",
                &["check", "--pack", "lab-cp3-linux", "--audience", "examiner"],
            )
        },
        case(
            "check lab-cp7-firewall",
            &[
                "check",
                "--pack",
                "lab-cp7-firewall",
                "--audience",
                "examiner",
            ],
        ),
        Case {
            written: vec!["report.md"],
            ..case(
                "grade lab-cp3-linux with changes",
                &[
                    "grade",
                    "--pack",
                    "lab-cp3-linux",
                    "--audience",
                    "examiner",
                    "--snapshot",
                    &format!("linux={}", fixture("lab-cp3-linux/fail.json")),
                    "--start",
                    &format!("linux={}", fixture("lab-cp3-linux/pass.json")),
                ],
            )
        },
        Case {
            written: vec!["report.junit.xml", "report.csv", "report.moodle.csv"],
            ..case(
                "grade lab-cp3-linux exports",
                &[
                    "grade",
                    "--pack",
                    "lab-cp3-linux",
                    "--audience",
                    "examiner",
                    "--snapshot",
                    &format!("linux={}", fixture("lab-cp3-linux/fail.json")),
                    "--report",
                    "junit,csv,moodle",
                ],
            )
        },
        case(
            "grade lab-cp7-firewall",
            &[
                "grade",
                "--pack",
                "lab-cp7-firewall",
                "--audience",
                "examiner",
                "--snapshot",
                &format!("linux={}", fixture("lab-cp7-firewall/fail.json")),
            ],
        ),
        case("validate shipped", &["validate", "lab-cp3-linux"]),
        case("validate broken", &["validate", &pack("broken.yaml")]),
        case(
            "validate fields",
            &["validate", &pack("broken-fields.yaml")],
        ),
        case(
            "validate typo",
            &["validate", &pack("typo-and-critere.yaml")],
        ),
        case("validate inventory typo", &["validate", &inventories[0]]),
        case("validate inventory type", &["validate", &inventories[1]]),
        case("validate inventory pack", &["validate", &inventories[2]]),
        case("validate missing", &["validate", "nope.yaml"]),
        case("check unknown pack", &["check", "--pack", "nope"]),
        case("explain firewall", &["explain", "firewall"]),
        case("explain ad_user", &["explain", "ad_user"]),
        case("explain unknown", &["explain", "pare-feu"]),
        case("coverage", &["coverage", "lab-cp3-linux"]),
        case("session status", &["session", "status", &session]),
        case("schema without kind", &["schema"]),
        case(
            "propose",
            &[
                "propose",
                "--snapshot",
                &fixture("lab-cp3-linux/pass.json"),
                "--start",
                &fixture("real/debian12.json"),
            ],
        ),
    ];
    let mut paths = Vec::new();
    subcommands(
        &constat_cli::clap_i18n::command(constat_cli::i18n::Lang::Fr),
        &[],
        &mut paths,
    );
    assert!(paths.len() > 10, "{paths:?}");
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        cases.push(case(&format!("{} --help", path.join(" ")), &args));
    }
    cases.push(case("--help", &["--help"]));

    let mut outputs: Vec<(String, bool, String)> = Vec::new();
    let mut snapshots = String::new();
    for (i, c) in cases.iter().enumerate() {
        for en in [false, true] {
            let out = d.join(format!("out-{i}-{en}"));
            let mut command = Command::new(env!("CARGO_BIN_EXE_constat"));
            command.env_remove("CONSTAT_LANG").env("NO_COLOR", "1");
            if en {
                command.args(["--lang", "en"]);
            }
            command.args(&c.args);
            let writes = c.args[0] == "check" || c.args[0] == "grade";
            if writes && !c.args.contains(&"nope".to_owned()) {
                command.arg("--out").arg(&out);
            }
            let output = command.output().unwrap();
            let mut text = format!(
                "{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            for file in &c.written {
                text.push_str(&std::fs::read_to_string(out.join(file)).unwrap_or_default());
            }
            // This machine's own text (`check`): host data, never translated.
            snapshots
                .push_str(&std::fs::read_to_string(out.join("snapshot.json")).unwrap_or_default());
            let text = text.replace(&d.display().to_string(), "[DIR]");
            outputs.push((c.name.clone(), en, text));
        }
    }
    let known = source_words(&snapshots);
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for (name, en, text) in &outputs {
        let text = prose(text);
        for line in text.lines() {
            for w in words(line) {
                let bad = if *en { french(&w) } else { english(&w) };
                if bad && !known.contains(&w) {
                    found
                        .entry(format!("{} [{}] {w}", name, if *en { "en" } else { "fr" }))
                        .or_insert_with(|| line.chars().take(200).collect());
                }
            }
        }
    }
    let list: Vec<String> = found.iter().map(|(k, l)| format!("{k}: {l}")).collect();
    assert!(
        found.is_empty(),
        "{} words of the other language:\n{}",
        found.len(),
        list.join("\n")
    );
}
