//! The `constat` binary end to end: schemas on disk are current, errors and exit codes.

use std::path::PathBuf;
use std::process::Command;

/// The `constat` binary, French by default whatever the caller's `CONSTAT_LANG`.
fn constat() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_constat"));
    command.env_remove("CONSTAT_LANG");
    command
}

/// Every file under `dir` is 0600 and every directory below it 0700, and no file holds a
/// crypt hash (`$y$`, `$6$`, `$5$`, `$1$`, `$2b$` followed by a salt).
fn assert_private_and_secret_free(dir: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        if entry.file_type().unwrap().is_dir() {
            assert_eq!(mode, 0o700, "{}", path.display());
            assert_private_and_secret_free(&path);
        } else {
            assert_eq!(mode, 0o600, "{}", path.display());
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            for marker in ["$y$j", "$6$", "$5$", "$1$", "$2b$", "$gy$"] {
                assert!(!text.contains(marker), "{} holds {marker}", path.display());
            }
        }
    }
}

/// Issue 14: with `--lang en` the demo reads English throughout, the pack's own text too
/// (every check's `title_en` and `hint_en`, the pack's `title_en`), in the terminal and in
/// the HTML report; French by default.
#[test]
fn the_demo_shows_the_packs_english_text_in_english_and_french_by_default() {
    let embedded = constat_checks::find("demo").unwrap();
    let pack = constat_checker_core::pack::load(embedded.file_name, embedded.text).unwrap();
    for (lang, english) in [(None, false), (Some("en"), true)] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("constat-demo");
        let mut command = constat();
        if let Some(lang) = lang {
            command.args(["--lang", lang]);
        }
        let output = command.args(["demo", "--out"]).arg(&out).output().unwrap();
        assert!(matches!(output.status.code(), Some(0 | 1)));
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        let pack_en = pack.title_en.as_deref().unwrap();
        let (shown, hidden) = if english {
            (pack_en, pack.title.as_str())
        } else {
            (pack.title.as_str(), pack_en)
        };
        assert!(
            stdout.contains(shown) && !stdout.contains(hidden),
            "{stdout}"
        );
        for check in pack.checks() {
            let title_en = check
                .title_en
                .as_deref()
                .expect("every demo check has title_en");
            assert!(check.hint_en.is_some(), "{} has no hint_en", check.id);
            let (shown, hidden) = if english {
                (title_en, check.title.as_str())
            } else {
                (check.title.as_str(), title_en)
            };
            assert!(stdout.contains(shown), "{shown:?} missing: {stdout}");
            assert!(!stdout.contains(hidden), "{hidden:?} shown: {stdout}");
            let escaped = |t: &str| t.replace('\'', "&#39;").replace('"', "&quot;");
            assert!(
                html.contains(&escaped(shown)) || html.contains(shown),
                "{shown:?} missing from report.html"
            );
        }
    }
}

/// One language at a time for every shipped pack, not only the demo: a lab pack and the
/// title's exam pack (its checks included from the CCP packs) graded `--lang en` on their
/// recorded fixtures show, in the terminal and in report.html, the English title of every
/// check and none of the pack's French titles, hints or explanations (texts that read the
/// same in both languages, such as a bare command, are left out).
#[test]
fn shipped_packs_in_english_show_none_of_their_french_texts() {
    let fixtures = repo().join("checks/fixtures");
    let cases: [(&str, Vec<String>); 2] = [
        (
            "lab-cp3-linux",
            vec![
                "--snapshot".into(),
                format!(
                    "linux={}",
                    fixtures.join("lab-cp3-linux/fail.json").display()
                ),
            ],
        ),
        ("tssr-2023-msp-titre", {
            let dir = fixtures.join("tssr-2023-msp-titre");
            let mut args = Vec::new();
            for role in ["client", "dc", "linux"] {
                args.push("--snapshot".to_owned());
                args.push(format!(
                    "{role}={}",
                    dir.join(format!("fail/{role}.json")).display()
                ));
            }
            for role in ["dc", "linux"] {
                args.push("--start".to_owned());
                args.push(format!(
                    "{role}={}",
                    dir.join(format!("start/{role}.json")).display()
                ));
            }
            args
        }),
    ];
    let escaped = |t: &str| {
        t.replace('&', "&amp;")
            .replace('\'', "&#39;")
            .replace('"', "&quot;")
    };
    for (id, inputs) in cases {
        let embedded = constat_checks::find(id).unwrap();
        let pack = constat_checker_core::pack::load_with(
            embedded.file_name,
            embedded.text,
            &constat_checks::EmbeddedSources,
        )
        .unwrap();
        let mut french: Vec<&str> = vec![pack.title.as_str()];
        let mut english: Vec<&str> = vec![pack.title_in(constat_checker_core::i18n::Lang::En)];
        for c in pack.checks() {
            let en = constat_checker_core::i18n::Lang::En;
            english.push(c.title_in(en));
            for (fr, en) in [
                (Some(c.title.as_str()), Some(c.title_in(en))),
                (c.hint.as_deref(), c.hint_in(en)),
                (c.explanation.as_deref(), c.explanation_in(en)),
            ] {
                if let Some(fr) = fr
                    && Some(fr) != en
                {
                    french.push(fr);
                }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let output = constat()
            .args([
                "--lang",
                "en",
                "grade",
                "--pack",
                id,
                "--audience",
                "trainer",
            ])
            .args(&inputs)
            .arg("--out")
            .arg(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{id}: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
        for text in &english {
            assert!(stdout.contains(text), "{id}: {text:?} missing: {stdout}");
            assert!(
                html.contains(&escaped(text)) || html.contains(text),
                "{id}: {text:?} missing from report.html"
            );
        }
        for text in &french {
            assert!(
                !stdout.contains(text),
                "{id}: French {text:?} shown: {stdout}"
            );
            assert!(
                !html.contains(&escaped(text)) && !html.contains(text),
                "{id}: French {text:?} in report.html"
            );
        }
    }
}

#[test]
fn demo_keeps_no_password_hash_and_writes_private_files() {
    // `constat demo` grades this machine with the demo pack, which checks /etc/shadow's
    // mode and owner: run as root, the agent can read shadow but must keep none of it.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("constat-demo");
    let output = constat()
        .args(["demo", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mode = std::fs::metadata(&out).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o700
    );
    assert_private_and_secret_free(&out);
    // Whatever this machine's shadow holds (a CI box may have no password at all), its
    // content and hash are withheld, its mode and owner kept.
    let snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("snapshot.json")).unwrap()).unwrap();
    let shadow = snapshot["sections"]["files"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "/etc/shadow")
        .unwrap();
    assert_eq!(shadow["head_withheld"], "secret_file", "{shadow}");
    assert!(shadow.get("head").is_none() && shadow.get("sha256").is_none());
    assert!(shadow["mode"].is_string() && shadow["owner"].is_string());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains("$y$j") && !stdout.contains("$6$"),
        "{stdout}"
    );
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn committed_inventory_schema_is_current() {
    let path = repo().join("schemas/inventory.schema.json");
    let fresh = constat_cli::inventory::inventory_schema();
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "schemas/inventory.schema.json is stale: run `UPDATE_SCHEMAS=1 cargo test -p constat-cli --test cli`"
    );
}

#[test]
fn schema_command_prints_the_committed_schemas() {
    for (kind, file) in [
        ("snapshot", "schemas/snapshot.schema.json"),
        ("inventory", "schemas/inventory.schema.json"),
    ] {
        let output = constat().args(["schema", kind]).output().unwrap();
        assert!(output.status.success());
        let committed = std::fs::read_to_string(repo().join(file)).unwrap();
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            committed,
            "{kind}"
        );
    }
}

/// `constat schema` names the schema it prints: no silent default.
#[test]
fn schema_without_a_kind_is_a_usage_error() {
    let output = constat().arg("schema").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    // The error names the kinds to choose from.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("<snapshot|inventory|pack|report>"),
        "{stderr}"
    );
}

/// A reader that closes the pipe at once (`constat completions bash | head -1`) is the
/// ordinary broken-pipe exit (0, nothing on stderr), never a panic.
#[test]
fn completions_into_a_closed_pipe_do_not_panic() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = constat()
        .args(["completions", "bash"])
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn an_invalid_inventory_exits_2_with_location_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.yaml");
    std::fs::write(
        &path,
        "session:\n  id: s1\n  referentiel: TSSR\n  pakc: x\n",
    )
    .unwrap();
    let output = constat().arg("validate").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr)
        .unwrap()
        .replace(&dir.path().display().to_string(), "[DIR]");
    insta::assert_snapshot!(stderr, @r"
    erreur : [DIR]/inv.yaml:4:3 : inventaire invalide : champ inconnu « pakc » (possibles : id, referentiel, profile, pack, start, end, timezone) ; vouliez-vous dire « pack » ?
    que faire : comparez avec le schéma : « constat schema inventory »
    ");
    let output = constat()
        .args(["--lang", "en", "--format", "json", "validate"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(
        value["hint"],
        "compare with the schema: \"constat schema inventory\""
    );
}

#[test]
fn a_missing_file_exits_3() {
    let output = constat()
        .args(["validate", "/nonexistent/inventory.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap(), @r"
    erreur : pack ou inventaire illisible : /nonexistent/inventory.yaml
    cause : fichier ou dossier introuvable (erreur système 2)
    ");
}

/// A file or directory constat cannot write is named, with the OS's cause in the user's
/// language, and exits 3 (`check --out` said « fichier ou dossier introuvable (erreur système
/// 2) » without a path). `/proc` refuses new entries even to root.
#[test]
fn an_unwritable_output_is_named_and_exits_3() {
    let fixture = repo().join("checks/fixtures/lab-cp3-linux/fail.json");
    let snapshot = format!("linux={}", fixture.display());
    let inventory = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        inventory.path(),
        "session: { id: s1, referentiel: tssr-2023 }\ncandidates:\n  - { id: c01, name: A }\n\
         defaults:\n  linux: { transport: local }\n",
    )
    .unwrap();
    let inventory = inventory.path().to_str().unwrap();
    let mut text = String::new();
    for (lang, args) in [
        (
            "fr",
            vec![
                "check",
                "--pack",
                "lab-cp3-linux",
                "--out",
                "/proc/constat-x",
            ],
        ),
        (
            "fr",
            vec![
                "grade",
                "--pack",
                "lab-cp3-linux",
                "--snapshot",
                &snapshot,
                "--report",
                "junit=/proc/constat-x/r.xml",
            ],
        ),
        (
            "en",
            vec![
                "session",
                "init",
                "--inventory",
                inventory,
                "/proc/constat-x",
            ],
        ),
    ] {
        let output = constat()
            .args(["--lang", lang])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(3), "{args:?}");
        text.push_str(&format!("$ constat {}\n", args[0]));
        text.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    // Non-root `check` warns first; only the error lines are compared.
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("attention"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!(text, @r"
    $ constat check
    erreur : impossible de créer ou de lire le dossier /proc/constat-x
    cause : fichier ou dossier introuvable (erreur système 2)
    $ constat grade
    erreur : impossible d'écrire /proc/constat-x/r.xml
    cause : fichier ou dossier introuvable (erreur système 2)
    $ constat session
    error: cannot create or read the directory /proc/constat-x
    cause: No such file or directory (os error 2)
    ");
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let mut child = constat()
        .args(["schema", "snapshot"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn local_collection_writes_a_valid_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("host.json");
    let output = constat()
        .args([
            "--format",
            "json",
            "collect",
            "--transport",
            "local",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    constat_snapshot::Snapshot::from_json(&text).unwrap();
    let sidecar: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sidecar["round_trips"], 0);
}

#[test]
fn running_a_directory_that_is_not_a_session_explains_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = constat()
        .args(["session", "run", "--phase", "start"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr)
        .unwrap()
        .replace(&dir.path().display().to_string(), "[DIR]");
    insta::assert_snapshot!(stderr, @r"
    erreur : [DIR] n'est pas un dossier de session (pas d'inventory.yaml)
    que faire : créez-le avec « constat session init --inventory session.yaml <dossier> »
    ");
}

#[test]
fn a_local_session_runs_resumes_verifies_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv.yaml");
    std::fs::write(
        &inventory,
        "session: { id: local-1, referentiel: TSSR }\ndefaults:\n  this: { transport: local }\n",
    )
    .unwrap();
    let csv = dir.path().join("candidats.csv");
    std::fs::write(&csv, "id;name\nc01;Alice Martin\n").unwrap();
    let session = dir.path().join("session");
    let run = |args: &[&str]| {
        let output = constat().args(args).output().unwrap();
        let text = String::from_utf8(output.stdout)
            .unwrap()
            .replace(&dir.path().display().to_string(), "[DIR]");
        (output.status.code(), text)
    };
    let s = session.to_str().unwrap();
    let (code, text) = run(&[
        "session",
        "init",
        "--inventory",
        inventory.to_str().unwrap(),
        "--candidates",
        csv.to_str().unwrap(),
        s,
    ]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!(text, @"session créée dans [DIR]/session : 1 candidats, 1 hôtes");
    let (code, _) = run(&["session", "run", s, "--phase", "start", "--quiet"]);
    assert_eq!(code, Some(0));
    let (code, text) = run(&[
        "--format", "json", "session", "run", s, "--phase", "start", "--resume",
    ]);
    assert_eq!(code, Some(0));
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(summary["skipped"], serde_json::json!(["c01/this"]));
    let (code, text) = run(&["session", "status", s]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!(text, @r"
    candidat  this (début)  this (fin)
    c01       relevé        à faire
    ");
    let (code, text) = run(&["--lang", "en", "session", "verify", s]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!(text, @r"
    1 snapshots checked, signature: absent
    everything matches
    ");
    let export = dir.path().join("export");
    let (code, _) = run(&["session", "export", s, "--out", export.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(export.join("c01/start/this.json.sha256").is_file());
}

#[test]
fn grade_writes_reports_and_exits_1_when_a_check_fails() {
    // Input: the unedited agent recording of a Debian 12 machine (checks/fixtures/real).
    let dir = tempfile::tempdir().unwrap();
    let snapshot = repo().join("checks/fixtures/real/debian12.json");
    let output = constat()
        .args(["grade", "--pack", "demo", "--snapshot"])
        .arg(format!("linux={}", snapshot.display()))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    // The recorded machine has no firewall: the demo's firewall check fails.
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("demo-firewall-policy"), "{stdout}");
    assert!(stdout.contains("Score indicatif"), "{stdout}");
    for file in ["report.json", "report.html", "report.md"] {
        assert!(dir.path().join(file).is_file(), "{file}");
    }
    assert_private_and_secret_free(dir.path());
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(!html.contains("acquis") && !html.contains("validé"));
}

#[test]
fn validate_reports_every_pack_error_with_its_location() {
    let pack = repo().join("checker-core/tests/fixtures/packs/broken.yaml");
    let output = constat().arg("validate").arg(&pack).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr)
        .unwrap()
        .replace(&repo().display().to_string(), "[REPO]");
    insta::assert_snapshot!("validate_broken_pack", stderr);
}

#[test]
fn explain_prints_a_kind_doc_and_an_unknown_name_exits_2() {
    let output = constat().args(["explain", "firewall"]).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("# firewall"), "{stdout}");
    // One language at a time (issue 14 item 5): French by default, English with --lang en.
    assert!(stdout.contains("## Ce qui est vérifié"), "{stdout}");
    assert!(!stdout.contains("## What it checks"), "{stdout}");
    let output = constat()
        .args(["--lang", "en", "explain", "firewall"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("## What it checks"), "{stdout}");
    assert!(!stdout.contains("## Ce qui est vérifié"), "{stdout}");
    let output = constat().args(["explain", "pare-feu"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_local_session_with_a_pack_is_graded_after_the_end_phase_and_regraded() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv.yaml");
    std::fs::write(
        &inventory,
        "session: { id: local-2, referentiel: tssr-2023, profile: lab, pack: demo }\n\
         defaults:\n  linux: { transport: local, expect_hostname: 'not-${candidate}.invalid' }\n\
         candidates:\n  - { id: c01, name: Alice Martin }\n",
    )
    .unwrap();
    let session = dir.path().join("session");
    let s = session.to_str().unwrap();
    let ok = |args: &[&str]| {
        let output = constat().args(args).output().unwrap();
        assert!(
            output.status.code() == Some(0) || output.status.code() == Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    ok(&[
        "session",
        "init",
        "--inventory",
        inventory.to_str().unwrap(),
        s,
    ]);
    ok(&["session", "run", s, "--phase", "start", "--quiet"]);
    assert!(
        !session.join("reports").exists(),
        "graded before the end phase"
    );
    let text = ok(&["session", "run", s, "--phase", "end", "--quiet"]);
    assert!(text.contains("1 candidat(s) noté(s)"), "{text}");
    assert!(
        text.contains("[!!] c01 — Identité inattendue : linux — nom d'hôte attendu (inventaire) « not-c01.invalid »"),
        "{text}"
    );
    for file in ["c01.json", "c01.html", "c01.md", "summary.html", "jury.csv"] {
        assert!(session.join("reports").join(file).is_file(), "{file}");
    }
    // The demo pack asks for /etc/shadow and this session collects this machine: its
    // password hashes are in no file, and every file is the examiner's alone.
    assert_private_and_secret_free(&session);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(session.join("reports/c01.json")).unwrap())
            .unwrap();
    assert_eq!(report["candidate"]["id"], "c01");
    assert_eq!(report["pack"]["id"], "demo");
    // Identity: the same machine at the start and the end (no change), but not the host name
    // the inventory expects: one warning, shown in the report and the summary.
    let warnings = report["identity_warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["reference"], "expected");
    assert_eq!(warnings[0]["property"], "hostname");
    assert_eq!(warnings[0]["expected"], "not-c01.invalid");
    assert_eq!(
        report["hosts"][0]["identity_compared"],
        serde_json::json!(["start", "expected"])
    );
    let md = std::fs::read_to_string(session.join("reports/c01.md")).unwrap();
    assert!(
        md.contains(
            "Identité inattendue : linux — nom d'hôte attendu (inventaire) « not-c01.invalid »"
        ),
        "{md}"
    );
    let summary = std::fs::read_to_string(session.join("reports/summary.html")).unwrap();
    assert!(summary.contains("Identité inattendue"), "{summary}");
    // The session's name heads the candidate's report and the summary (issue 14 item 1).
    assert!(md.contains("Session : local-2 · "), "{md}");
    assert!(
        summary.contains("<h1>Synthèse de session — local-2</h1>"),
        "{summary}"
    );
    assert_eq!(report["session"], "local-2");
    std::fs::remove_dir_all(session.join("reports")).unwrap();
    let text = ok(&["session", "regrade", s]);
    assert!(text.contains("1 candidat(s) noté(s)"), "{text}");
    assert!(session.join("reports/jury.csv").is_file());
}

/// A candidate whose report cannot be written (a directory stands where `c01.md` goes) does
/// not prevent the other candidate's reports, the summary or the jury grid; the error names
/// the path and the exit code is 3.
#[test]
fn one_unwritable_report_never_blocks_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv.yaml");
    std::fs::write(
        &inventory,
        "session: { id: local-3, referentiel: tssr-2023, profile: lab, pack: demo }\n\
         defaults:\n  linux: { transport: local }\n\
         candidates:\n  - { id: c01, name: A }\n  - { id: c02, name: B }\n",
    )
    .unwrap();
    let session = dir.path().join("session");
    let s = session.to_str().unwrap();
    let run = |args: &[&str]| constat().args(args).output().unwrap();
    assert!(
        run(&[
            "session",
            "init",
            "--inventory",
            inventory.to_str().unwrap(),
            s
        ])
        .status
        .success()
    );
    run(&["session", "run", s, "--phase", "end", "--quiet"]);
    std::fs::remove_dir_all(session.join("reports")).unwrap();
    std::fs::create_dir_all(session.join("reports/c01.md")).unwrap();
    let output = run(&["session", "regrade", s]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("reports/c01.md"), "{stderr}");
    for file in ["c02.json", "c02.html", "c02.md", "summary.html", "jury.csv"] {
        assert!(session.join("reports").join(file).is_file(), "{file}");
    }
}

/// `session init` refuses a candidate id that would collide with the session's own files,
/// with the inventory's line and column, before anything is written.
#[test]
fn session_init_refuses_colliding_ids_with_their_location() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv.yaml");
    std::fs::write(
        &inventory,
        "session: { id: s1, referentiel: tssr-2023 }\n\
         defaults:\n  linux: { transport: local }\n\
         candidates:\n  - { id: c01, name: A }\n  - { id: known_hosts, name: B }\n",
    )
    .unwrap();
    let session = dir.path().join("session");
    let output = constat()
        .args(["session", "init", "--inventory"])
        .arg(&inventory)
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("inv.yaml:6:"), "{stderr}");
    assert!(stderr.contains("« known_hosts » refusé"), "{stderr}");
    assert!(!session.join("known_hosts").exists());
}

/// Local inputs are bounded: `grade --snapshot linux=/dev/zero` used to grow without end and
/// `validate` on a FIFO used to block; both are refused at once with the path and a hint
/// (exit 2). No timing is asserted: a regression would hang or exhaust memory instead.
#[test]
fn devices_and_fifos_are_refused_as_local_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pack.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let cases: [Vec<std::ffi::OsString>; 3] = [
        vec!["validate".into(), fifo.clone().into()],
        vec![
            "grade".into(),
            "--pack".into(),
            "demo".into(),
            "--snapshot".into(),
            "linux=/dev/zero".into(),
        ],
        vec!["propose".into(), "--snapshot".into(), dir.path().into()],
    ];
    let mut shown = String::new();
    for args in cases {
        let output = constat().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        shown.push_str(
            &String::from_utf8(output.stderr)
                .unwrap()
                .replace(&dir.path().display().to_string(), "[DIR]"),
        );
    }
    insta::assert_snapshot!(shown);
}

/// The binary picks its language before clap parses: clap's help and errors follow `--lang`
/// and `CONSTAT_LANG` (issue 14 item 5); help goes to stdout with exit 0, errors to stderr
/// with exit 2.
#[test]
fn clap_speaks_the_language_asked_for() {
    let run = |env: Option<&str>, args: &[&str]| {
        let mut command = constat();
        command.env_remove("CONSTAT_LANG").args(args);
        if let Some(lang) = env {
            command.env("CONSTAT_LANG", lang);
        }
        command.output().unwrap()
    };
    let french = run(None, &["check"]);
    assert_eq!(french.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&french.stderr);
    assert!(
        stderr.starts_with("erreur : arguments obligatoires manquants"),
        "{stderr}"
    );
    assert!(stderr.contains("Utilisation : constat check"), "{stderr}");
    for (env, args) in [
        (Some("en"), &["check"][..]),
        (None, &["--lang", "en", "check"][..]),
    ] {
        let english = run(env, args);
        assert_eq!(english.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&english.stderr);
        assert!(
            stderr.starts_with("error: the following required arguments"),
            "{stderr}"
        );
        assert!(stderr.contains("Usage: constat check"), "{stderr}");
    }
    let help = run(Some("en"), &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&help.stdout);
    assert!(
        stdout.contains("Exit codes:") && !stdout.contains("Codes de sortie"),
        "{stdout}"
    );
    let help = run(None, &["session", "run", "--help"]);
    let stdout = String::from_utf8_lossy(&help.stdout);
    assert!(
        stdout.contains("Utilisation :") && !stdout.contains("Usage:"),
        "{stdout}"
    );
    let bad = run(Some("de"), &["check"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("CONSTAT_LANG=de"));
}

/// `validate` checks every file even after one fails (a typo and an unknown critère in one
/// pack both reported), accepts a shipped pack name, refuses an inventory whose pack does not
/// exist; `session regrade` on a missing directory names it (issue 14 items 5 and 7).
#[test]
fn validate_reports_every_file_and_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv.yaml");
    std::fs::write(
        &inventory,
        "session: { id: s1, referentiel: tssr-2023, profile: lab, pack: nope.yaml }\n\
         candidates:\n  - { id: c01, name: A }\ndefaults:\n  linux: { transport: local }\n",
    )
    .unwrap();
    let typo = repo().join("checker-core/tests/fixtures/packs/typo-and-critere.yaml");
    let output = constat()
        .args(["validate", "lab-cp3-linux"])
        .arg(&typo)
        .arg(&inventory)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr)
        .unwrap()
        .replace(&dir.path().display().to_string(), "[DIR]")
        .replace(&repo().display().to_string(), "[REPO]");
    insta::assert_snapshot!(format!("{stdout}---\n{stderr}"));
    let missing = dir.path().join("s2");
    let output = constat()
        .args(["session", "regrade"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
    assert!(!stderr.contains("os error"), "{stderr}");
}

/// Issue 14 item 6: `constat --format json check --audience learner` printed 14 expected
/// values that the learner's terminal view hides; the JSON holds none now, and its values are
/// neutral words with their display text beside them.
#[test]
fn the_learner_json_has_no_expected_value() {
    let run = |audience: &str| {
        let output = constat()
            .args([
                "--format",
                "json",
                "check",
                "--pack",
                "lab-cp3-linux",
                "--audience",
            ])
            .arg(audience)
            .output()
            .unwrap();
        assert!(matches!(output.status.code(), Some(0 | 1)));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let learner = run("learner");
    let evidence: Vec<&serde_json::Value> = learner["checks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["evidence"].as_array().unwrap())
        .collect();
    assert!(!evidence.is_empty());
    for e in &evidence {
        assert!(e.get("expected").is_none(), "{e}");
    }
    let examiner = run("examiner").to_string();
    assert!(
        examiner.contains("\"expected\":\"listening\""),
        "{examiner}"
    );
    assert!(
        examiner.contains("\"display\":{\"expected\":\"en écoute\""),
        "{examiner}"
    );
}

/// Paper cuts (issue 14 item 7): `coverage`, `explain` and `propose` honour `--format json`;
/// `propose` writes no `$schema` path that only holds inside the repository; `--verbose`
/// details the steps on stderr.
#[test]
fn coverage_explain_and_propose_speak_json() {
    let json = |args: &[&str]| {
        let output = constat()
            .arg("--format")
            .arg("json")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let coverage = json(&["coverage", "lab-cp3-linux"]);
    assert_eq!(coverage["referentiel"], "tssr-2023");
    assert!(coverage["criteres"][0]["assessment"].is_string());
    assert_eq!(json(&["explain", "port"])["kind"], "port");
    let snapshot = repo().join("checker-core/tests/fixtures/snapshots/linux-lab.json");
    let proposed = json(&["propose", "--snapshot", snapshot.to_str().unwrap()]);
    let draft = proposed["pack"].as_str().unwrap();
    assert!(!draft.contains("$schema=../"), "{draft}");
    assert!(draft.contains("constat schema pack"), "{draft}");
    let output = constat()
        .args(["--verbose", "explain", "cp3-users"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pack : "), "{stderr}");
}

/// `constat check` as a non-root user says « lancez avec sudo » and names what it could not
/// see (issue 14 item 7). Run as nobody through runuser when the test runs as root.
#[test]
fn check_as_non_root_says_to_use_sudo() {
    let root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"));
    let binary = env!("CARGO_BIN_EXE_constat");
    let mut command = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "nobody", "--", binary]);
        c
    } else {
        Command::new(binary)
    };
    let output = command
        .env_remove("CONSTAT_LANG")
        .args(["check", "--pack", "lab-cp3-linux"])
        .current_dir("/")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("lancez avec sudo"), "{stderr}");
    assert!(stderr.contains("Non relevé ou incomplet"), "{stderr}");
}

/// A trainer's pack on disk extends a shipped pack by id and includes a file beside it by
/// relative path, with an override: `validate` says where each overridden check came from;
/// a missing include and a cycle are errors at their `file:line:col`.
#[test]
fn validate_composes_packs_by_id_and_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("commun")).unwrap();
    std::fs::write(
        dir.path().join("commun/linux.yaml"),
        "pack: {id: commun-linux, title: Commun, referentiel: tssr-2023, profile: lab}\n\
         hosts:\n  linux: {os: linux}\n\
         checks:\n  - id: root-ssh\n    title: SSH root interdit\n    criteres: [tssr-2023/CP3/C1]\n    hosts: [linux]\n    expect: {sshd: {settings: {PermitRootLogin: \"no\"}}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sujet.yaml"),
        "pack: {id: sujet, title: Sujet, referentiel: tssr-2023, profile: lab}\n\
         extends: lab-cp3-linux\n\
         overrides:\n  root-ssh: {points: 3}\n\
         checks:\n  - include: ./commun/linux.yaml\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("casse.yaml"),
        "pack: {id: casse, title: Cassé, referentiel: tssr-2023, profile: lab}\n\
         hosts:\n  linux: {os: linux}\n\
         checks:\n  - include: ./absent.yaml\n  - include: ./casse.yaml\n",
    )
    .unwrap();
    let output = constat()
        .current_dir(dir.path())
        .args(["validate", "sujet.yaml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{stdout}");
    let output = constat()
        .current_dir(dir.path())
        .args(["validate", "casse.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    insta::assert_snapshot!(format!("{stdout}---\n{stderr}"));
}

#[test]
fn serve_refuses_a_database_url_with_a_password_without_repeating_it() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_ca = dir.path().join("ca.pem");
    std::fs::write(&not_a_ca, "not a certificate\n").unwrap();
    let not_a_ca = not_a_ca.display().to_string();
    for (lang, url, ca, expected) in [
        (
            "en",
            "postgres://constat:S3cret-pg@db.example:5432/classes",
            None,
            "PGPASSWORD",
        ),
        (
            "fr",
            "postgres://constat:S3cret-pg@db.example/classes",
            None,
            "PGPASSWORD",
        ),
        (
            "en",
            "postgres://constat@db.example/classes?sslmode=verify-ca",
            None,
            "sslmode=verify-ca is not supported",
        ),
        // Refused before any connection: a CA file that verify-full would not use, or
        // that holds no certificate.
        (
            "en",
            "postgres://constat@db.example/classes?sslmode=require",
            Some(not_a_ca.as_str()),
            "used only with sslmode=verify-full",
        ),
        (
            "en",
            "postgres://constat@db.example/classes?sslmode=verify-full",
            Some(not_a_ca.as_str()),
            "no certificate in it",
        ),
    ] {
        let mut command = constat();
        command
            .args(["--lang", lang, "serve", "--data"])
            .arg(dir.path())
            .args(["--database", url]);
        if let Some(ca) = ca {
            command.args(["--database-ca", ca]);
        }
        let output = command.env_remove("PGPASSWORD").output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains("S3cret-pg"), "{stderr}");
        assert!(
            stderr.contains("postgres://USER@HOST")
                || stderr.contains("postgres://UTILISATEUR@HÔTE"),
            "{stderr}"
        );
    }
    // --database-cred without --database is a usage error.
    let output = constat()
        .args(["serve", "--database-cred", "db"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
