//! Report files on every grading command (`--report`, `--csv-dialect`) and, on a local
//! session, jury notes, waivers, decisions and subsets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn constat() -> Command {
    Command::new(env!("CARGO_BIN_EXE_constat"))
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
