//! Report files on every grading command (`--report`, `--csv-dialect`) and, on a local
//! session, jury notes, waivers, decisions and subsets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `constat` binary, French by default whatever the caller's `CONSTAT_LANG`.
fn constat() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_constat"));
    command.env_remove("CONSTAT_LANG");
    command
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `constat args` and asserts exit 0 or 1 (graded with failures).
fn ok(args: &[&str]) -> String {
    let output = constat().args(args).output().unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `grade --report junit=PATH --report csv,moodle --out DIR`: JUnit at its path, the other
/// formats into --out, no default files; the French CSV and a Moodle file with dot decimals.
#[test]
fn grade_writes_every_requested_format() {
    // Input: the unedited agent recording of a Debian 12 machine (checks/fixtures/real).
    let dir = tempfile::tempdir().unwrap();
    let snapshot = repo().join("checks/fixtures/real/debian12.json");
    let junit = dir.path().join("ci/results.xml");
    let out = dir.path().join("out");
    let text = ok(&[
        "grade",
        "--pack",
        "demo",
        "--snapshot",
        &format!("linux={}", snapshot.display()),
        "--report",
        &format!("junit={}", junit.display()),
        "--report",
        "csv,moodle",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(text.contains("Fichiers écrits"), "{text}");
    let xml = read(&junit);
    assert!(xml.contains("<testcase classname=\"demo\""), "{xml}");
    assert!(xml.contains("<failure"), "{xml}");
    let csv = read(&out.join("report.csv"));
    assert!(csv.starts_with("\u{feff}candidat;nom;pack;"), "{csv}");
    let moodle = read(&out.join("report.moodle.csv"));
    assert!(
        moodle.starts_with(
            "ID number,Email address,constat candidate,Full name,demo total (points),demo total (%)"
        ),
        "{moodle}"
    );
    assert!(!out.join("report.json").exists() && !out.join("report.html").exists());
}

/// `--csv-dialect intl` on `grade`; a format without --out nor a path is refused before
/// anything is graded, with a hint; an unknown format lists the known ones.
#[test]
fn grade_csv_dialect_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = repo().join("checks/fixtures/real/debian12.json");
    let csv = dir.path().join("grid.csv");
    ok(&[
        "grade",
        "--pack",
        "demo",
        "--snapshot",
        &format!("linux={}", snapshot.display()),
        "--report",
        &format!("csv={}", csv.display()),
        "--csv-dialect",
        "intl",
    ]);
    let text = read(&csv);
    assert!(text.starts_with("candidat,nom,pack,"), "{text}");
    let pair = format!("linux={}", snapshot.display());
    for (args, wanted) in [
        (
            vec![
                "grade",
                "--pack",
                "demo",
                "--snapshot",
                &pair,
                "--report",
                "junit",
            ],
            "--out",
        ),
        (
            vec![
                "grade",
                "--pack",
                "demo",
                "--snapshot",
                &pair,
                "--report",
                "pdf",
            ],
            "moodle",
        ),
    ] {
        let output = constat().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(wanted), "{}", stderr(&output));
    }
}

/// Writes an inventory of local candidates graded with the demo pack.
fn local_session(dir: &Path, candidates: &[&str]) -> PathBuf {
    let inventory = dir.join("inv.yaml");
    let mut text = String::from(
        "session: { id: local-notes, referentiel: tssr-2023, profile: lab, pack: demo }\n\
         defaults:\n  linux: { transport: local }\ncandidates:\n",
    );
    for (i, c) in candidates.iter().enumerate() {
        text.push_str(&format!(
            "  - {{ id: {c}, name: Candidat {i}, idnumber: 'ID-{i}', email: '{c}@example.org' }}\n"
        ));
    }
    std::fs::write(&inventory, text).unwrap();
    let session = dir.join("session");
    ok(&[
        "session",
        "init",
        "--inventory",
        inventory.to_str().unwrap(),
        session.to_str().unwrap(),
    ]);
    session
}

/// A session writes the session files it is asked for: the jury grid in the international
/// form, JUnit for the whole session and the Moodle gradebook with the inventory's
/// `idnumber` and `email`.
#[test]
fn a_session_writes_junit_moodle_and_the_chosen_csv_form() {
    let dir = tempfile::tempdir().unwrap();
    let session = local_session(dir.path(), &["c01", "c02"]);
    let s = session.to_str().unwrap();
    ok(&[
        "session",
        "run",
        s,
        "--phase",
        "end",
        "--quiet",
        "--report",
        "json,csv,junit,moodle",
        "--csv-dialect",
        "intl",
    ]);
    let reports = session.join("reports");
    for file in [
        "c01.json",
        "c01.csv",
        "c02.json",
        "jury.csv",
        "junit.xml",
        "moodle.csv",
    ] {
        assert!(reports.join(file).is_file(), "{file}");
    }
    assert!(!reports.join("c01.html").exists() && !reports.join("summary.html").exists());
    let jury = read(&reports.join("jury.csv"));
    assert!(jury.starts_with("candidat,nom,"), "{jury}");
    let junit = read(&reports.join("junit.xml"));
    assert_eq!(junit.matches("<testsuite ").count(), 2, "{junit}");
    let moodle = read(&reports.join("moodle.csv"));
    let lines: Vec<&str> = moodle.lines().collect();
    assert_eq!(lines.len(), 3, "{moodle}");
    assert!(
        lines[1].starts_with("ID-0,c01@example.org,c01,Candidat 0,"),
        "{moodle}"
    );
    assert!(
        lines[2].starts_with("ID-1,c02@example.org,c02,Candidat 1,"),
        "{moodle}"
    );
    // Regrade with the defaults: today's files, French jury grid.
    ok(&["session", "regrade", s]);
    assert!(reports.join("summary.html").is_file() && reports.join("c01.html").is_file());
    assert!(read(&reports.join("jury.csv")).starts_with("\u{feff}candidat;nom;"));
    // A path for a per-candidate format is refused.
    let output = constat()
        .args(["session", "regrade", s, "--report", "html=x.html"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("csv, junit, moodle"),
        "{}",
        stderr(&output)
    );
}

fn report_json(session: &Path, candidate: &str) -> serde_json::Value {
    serde_json::from_str(&read(&session.join(format!("reports/{candidate}.json")))).unwrap()
}

/// `session note` records a waiver in notes.json (who, when, why, what), regrades at once:
/// the waived check keeps its machine verdict, is marked, and leaves the total's
/// denominator; the note is in the report. A notes file edited afterwards fails
/// `session verify` with a clear message. Bad notes are refused with a hint.
#[test]
fn a_jury_note_waives_a_check_is_signed_and_refused_when_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let session = local_session(dir.path(), &["c01", "c02"]);
    let s = session.to_str().unwrap();
    ok(&["session", "run", s, "--phase", "end", "--quiet"]);
    let before = report_json(&session, "c01");
    let check = before["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "demo-shadow-protected")
        .unwrap()
        .clone();
    let text = ok(&[
        "session",
        "note",
        s,
        "--candidate",
        "c01",
        "--author",
        "Mme Martin",
        "--text",
        "Incident de salle : /etc/shadow restauré par l'équipe technique",
        "--waive",
        "demo-shadow-protected",
    ]);
    assert!(text.contains("Note du jury enregistrée pour c01"), "{text}");
    let notes: serde_json::Value =
        serde_json::from_str(&read(&session.join("notes.json"))).unwrap();
    let note = &notes["notes"][0];
    assert_eq!(note["candidate"], "c01");
    assert_eq!(note["author"], "Mme Martin");
    assert_eq!(note["waive"], serde_json::json!(["demo-shadow-protected"]));
    assert!(note["at"].as_str().unwrap().ends_with('Z'), "{note}");
    let after = report_json(&session, "c01");
    let waived = after["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "demo-shadow-protected")
        .unwrap();
    assert_eq!(
        waived["jury"],
        serde_json::json!({"by": "waived", "note": 0})
    );
    assert_eq!(waived["outcome"], check["outcome"], "machine verdict kept");
    if check["outcome"]["status"] != "not_assessable" {
        let points = check["points"].as_f64().unwrap();
        let max = |r: &serde_json::Value| r["total"]["max"].as_f64().unwrap();
        assert_eq!(max(&after), max(&before) - points);
    }
    assert_eq!(after["jury_notes"][0]["author"], "Mme Martin");
    let md = read(&session.join("reports/c01.md"));
    assert!(md.contains("## Notes du jury"), "{md}");
    assert!(md.contains("neutralisé par le jury"), "{md}");
    let summary = read(&session.join("reports/summary.html"));
    assert!(summary.contains("<h2>Notes du jury</h2>"), "{summary}");
    assert!(summary.contains("<strong>c01</strong> — "), "{summary}");
    // c02 is untouched.
    assert!(report_json(&session, "c02").get("jury_notes").is_none());
    // Verified as recorded; then a hand-edited notes file is named.
    let verify = constat().args(["session", "verify", s]).output().unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
    let edited = read(&session.join("notes.json")).replace("Mme Martin", "M. Autre");
    std::fs::write(session.join("notes.json"), edited).unwrap();
    let verify = constat().args(["session", "verify", s]).output().unwrap();
    assert_eq!(verify.status.code(), Some(1));
    assert!(
        stdout(&verify).contains("notes.json a été modifié après son enregistrement"),
        "{}",
        stdout(&verify)
    );
    // Refusals: unknown candidate, unknown id, a decision on a machine check.
    for (extra, wanted) in [
        (vec!["--candidate", "c09"], "c09"),
        (
            vec!["--candidate", "c01", "--waive", "nope"],
            "--waive nope",
        ),
        (
            vec![
                "--candidate",
                "c01",
                "--decide",
                "demo-shadow-protected=pass",
            ],
            "n'est pas une vérification `jury`",
        ),
        (
            vec![
                "--candidate",
                "c01",
                "--decide",
                "demo-shadow-protected=peut-être",
            ],
            "décision illisible",
        ),
    ] {
        let mut args = vec!["session", "note", s, "--author", "X", "--text", "Y"];
        args.extend(extra);
        let output = constat().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(wanted), "{}", stderr(&output));
    }
}

/// `session run --candidates c02 --roles linux` collects only c02 and keeps c01's earlier
/// snapshot; both are graded. An unknown candidate is refused with the known ones.
#[test]
fn a_subset_run_merges_with_earlier_results() {
    let dir = tempfile::tempdir().unwrap();
    let session = local_session(dir.path(), &["c01", "c02"]);
    let s = session.to_str().unwrap();
    ok(&[
        "session",
        "run",
        s,
        "--phase",
        "end",
        "--quiet",
        "--candidates",
        "c01",
    ]);
    let manifest = || -> serde_json::Value {
        serde_json::from_str(&read(&session.join("manifest.json"))).unwrap()
    };
    let hosts = manifest()["hosts"].as_array().unwrap().clone();
    assert_eq!(hosts.len(), 1, "{hosts:?}");
    let c01_sha = hosts[0]["sha256"].clone();
    let output = constat()
        .args([
            "--format",
            "json",
            "session",
            "run",
            s,
            "--phase",
            "end",
            "--candidates",
            "c02",
            "--roles",
            "linux",
        ])
        .output()
        .unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        summary["collected"],
        serde_json::json!(["c02/linux"]),
        "{summary}"
    );
    let hosts = manifest()["hosts"].as_array().unwrap().clone();
    assert_eq!(hosts.len(), 2);
    assert_eq!(hosts[0]["candidate"], "c01");
    assert_eq!(hosts[0]["sha256"], c01_sha, "c01 kept as collected");
    assert!(
        session.join("reports/c01.json").is_file() && session.join("reports/c02.json").is_file()
    );
    let output = constat()
        .args(["session", "run", s, "--phase", "end", "--candidates", "c03"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("c01, c02"), "{}", stderr(&output));
}

/// A pack with a `jury` check: « à vérifier par le jury » and out of the total until the jury
/// decides; `--decide ID=partial:N` then scores it N points, in the report and the JUnit file.
#[test]
fn a_jury_decision_scores_a_jury_check() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("demo-jury.yaml");
    let demo = read(&repo().join("checks/packs/demo.yaml"));
    std::fs::write(
        &pack,
        format!(
            "{}\n  - id: demo-proc\n    title: Procédure de restauration rédigée\n    criteres: [tssr-2023/CP2/C2]\n    hosts: [linux]\n    points: 2\n    expect:\n      jury: {{look_at: \"Procédure imprimée\"}}\n",
            demo.trim_end()
        ),
    )
    .unwrap();
    let inventory = dir.path().join("inv.yaml");
    std::fs::write(
        &inventory,
        format!(
            "session: {{ id: local-jury, referentiel: tssr-2023, profile: lab, pack: '{}' }}\n\
             defaults:\n  linux: {{ transport: local }}\ncandidates:\n  - {{ id: c01, name: Candidat }}\n",
            pack.display()
        ),
    )
    .unwrap();
    let session = dir.path().join("session");
    let s = session.to_str().unwrap();
    ok(&[
        "session",
        "init",
        "--inventory",
        inventory.to_str().unwrap(),
        s,
    ]);
    ok(&["session", "run", s, "--phase", "end", "--quiet"]);
    let find = |r: &serde_json::Value| {
        r["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "demo-proc")
            .unwrap()
            .clone()
    };
    let before = report_json(&session, "c01");
    assert_eq!(find(&before)["jury"], serde_json::json!({"by": "pending"}));
    assert!(read(&session.join("reports/c01.md")).contains("à vérifier par le jury"));
    ok(&[
        "session",
        "note",
        s,
        "--candidate",
        "c01",
        "--author",
        "Jury",
        "--text",
        "Procédure présentée, incomplète",
        "--decide",
        "demo-proc=partial:1,5",
    ]);
    let after = report_json(&session, "c01");
    let proc = find(&after);
    assert_eq!(proc["earned"], 1.5);
    assert_eq!(
        proc["jury"],
        serde_json::json!({"by": "decided", "note": 0})
    );
    let total = |r: &serde_json::Value, k: &str| r["total"][k].as_f64().unwrap();
    // The total counts the checks the session profile scores.
    let scored = if proc["scored"] == true { 1.0 } else { 0.0 };
    assert_eq!(total(&after, "max"), total(&before, "max") + 2.0 * scored);
    assert_eq!(
        total(&after, "earned"),
        total(&before, "earned") + 1.5 * scored
    );
    // More points than the check is worth is refused.
    let output = constat()
        .args([
            "session",
            "note",
            s,
            "--candidate",
            "c01",
            "--author",
            "Jury",
            "--text",
            "x",
            "--decide",
            "demo-proc=partial:3",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("vaut 2 points"),
        "{}",
        stderr(&output)
    );
}

/// A host failure is recorded in `manifest.json` in the language of the run that met it
/// (here: a private key that does not exist, no network needed). `session status` and the
/// session's reports read it in the reader's language, the operating system's words too:
/// no « No such file or directory (os error 2) » in French, no « clé privée » in English.
#[test]
fn a_recorded_failure_reads_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = d.join("absent-key");
    let inventory = d.join("inv.yaml");
    std::fs::write(
        &inventory,
        format!(
            "session: {{ id: s-lang, referentiel: tssr-2023, profile: lab, pack: lab-cp3-linux }}\n\
             candidates:\n  - id: c01\n    name: A\n    hosts: {{ linux: {{ transport: ssh, \
             address: 127.0.0.1, user: root, key: {} }} }}\n\
             defaults:\n  linux: {{ transport: local }}\n",
            key.display()
        ),
    )
    .unwrap();
    let session = d.join("session");
    let s = session.to_str().unwrap();
    ok(&[
        "session",
        "init",
        "--inventory",
        inventory.to_str().unwrap(),
        s,
    ]);
    let run = constat()
        .args(["session", "run", s, "--phase", "end", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let manifest = read(&session.join("manifest.json"));
    assert!(manifest.contains("clé privée"), "{manifest}");

    let french = ok(&["session", "status", s]);
    assert!(french.contains("clé privée"), "{french}");
    assert!(french.contains("(erreur système 2)"), "{french}");
    assert!(!french.contains("os error"), "{french}");
    let jury = read(&session.join("reports/jury.csv"));
    let summary = read(&session.join("reports/summary.html"));
    for text in [&jury, &summary] {
        assert!(text.contains("fichier ou dossier introuvable"), "{text}");
        assert!(!text.contains("os error"), "{text}");
    }

    let english = ok(&["--lang", "en", "session", "status", s]);
    assert!(english.contains("unreadable private key"), "{english}");
    assert!(
        english.contains("No such file or directory (os error 2)"),
        "{english}"
    );
    assert!(!english.contains("clé"), "{english}");
    assert!(!english.contains("erreur"), "{english}");
    ok(&["--lang", "en", "session", "regrade", s]);
    let summary = read(&session.join("reports/summary.html"));
    assert!(summary.contains("unreadable private key"), "{summary}");
    assert!(!summary.contains("clé privée"), "{summary}");
}

/// Issue 14 item 6 through the command line: a learner's `grade`, in every report format and
/// on the terminal, holds none of the expected values the examiner's report shows on its
/// failed lines (values the host also shows, like a property name, are not counted).
#[test]
fn the_learner_sees_no_expected_value_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = repo().join("checks/fixtures/lab-cp3-linux/fail.json");
    let snapshot = format!("linux={}", snapshot.display());
    let examiner = ok(&[
        "--format",
        "json",
        "grade",
        "--pack",
        "lab-cp3-linux",
        "--audience",
        "examiner",
        "--snapshot",
        &snapshot,
    ]);
    let examiner: serde_json::Value = serde_json::from_str(&examiner).unwrap();
    // Expected values of failed lines, and everything the report shows as observed.
    let mut expected = std::collections::BTreeSet::new();
    let mut shown = String::new();
    for check in examiner["checks"].as_array().unwrap() {
        for e in check["evidence"].as_array().unwrap() {
            shown.push_str(&e.to_string());
            if let Some(x) = e["expected"].as_str()
                && Some(x) != e["actual"].as_str()
            {
                expected.insert(x.to_owned());
            }
            if let Some(x) = e["display"]["expected"].as_str() {
                expected.insert(x.to_owned());
            }
        }
    }
    // What the examiner's report shows besides its expected values (titles, property names
    // such as « port 80/tcp — en écoute », observed values): not answers.
    fn without_expected(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("expected");
                map.values_mut().for_each(without_expected);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(without_expected),
            _ => {}
        }
    }
    let mut rest = examiner.clone();
    without_expected(&mut rest);
    let rest = rest.to_string();
    let learner_shown = |x: &str| rest.contains(x) || rest.contains(&x.replace('"', "\\\""));
    let secrets: Vec<String> = expected
        .into_iter()
        .filter(|x| x.chars().count() > 3 && !learner_shown(x))
        .collect();
    assert!(!secrets.is_empty(), "{shown}");
    let out = dir.path().join("learner");
    let terminal = ok(&[
        "grade",
        "--pack",
        "lab-cp3-linux",
        "--audience",
        "learner",
        "--snapshot",
        &snapshot,
        "--out",
        out.to_str().unwrap(),
        "--report",
        "html,json,junit,md,csv,moodle",
    ]);
    let mut outputs = vec![("terminal".to_owned(), terminal)];
    for ext in ["html", "json", "junit.xml", "md", "csv", "moodle.csv"] {
        outputs.push((ext.to_owned(), read(&out.join(format!("report.{ext}")))));
    }
    for (name, text) in &outputs {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{name} shows the expected value « {secret} »"
            );
        }
    }
}

/// `session regrade` after a recorded snapshot went missing: graded as a failed collection
/// (in the reports) and said on stderr with what to do, exit 1, not « 1 candidat noté » alone.
#[test]
fn regrading_a_missing_snapshot_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let session = local_session(dir.path(), &["c01"]);
    let s = session.to_str().unwrap();
    ok(&["session", "run", s, "--phase", "end", "--quiet"]);
    let regrade = constat().args(["session", "regrade", s]).output().unwrap();
    assert_eq!(regrade.status.code(), Some(0), "{}", stderr(&regrade));
    std::fs::remove_file(session.join("c01/end/linux.json")).unwrap();
    let regrade = constat().args(["session", "regrade", s]).output().unwrap();
    assert_eq!(regrade.status.code(), Some(1), "{}", stderr(&regrade));
    let said = stderr(&regrade);
    assert!(said.contains("c01/linux/end"), "{said}");
    assert!(said.contains("session verify"), "{said}");
    let summary = read(&session.join("reports/summary.html"));
    assert!(summary.contains("collecte échouée"), "{summary}");
    assert!(!summary.contains("os error"), "{summary}");
}

/// `demo` grades too, so it takes `--report` like `check` (issue 14 item 3: every report
/// format on every command that grades); `report.html`, which it points to, is always written.
#[test]
fn demo_writes_the_requested_formats_and_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let printed = ok(&[
        "demo",
        "--out",
        out.to_str().unwrap(),
        "--report",
        "junit,csv",
    ]);
    assert!(printed.contains("report.junit.xml"), "{printed}");
    for file in ["report.html", "report.junit.xml", "report.csv"] {
        assert!(out.join(file).is_file(), "{file}");
    }
    assert!(!out.join("report.md").exists());
    assert!(read(&out.join("report.csv")).starts_with('\u{feff}'));
}
