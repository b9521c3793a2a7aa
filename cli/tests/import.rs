//! `constat import` end to end on real exported files (`systems/testdata/`, provenance in its
//! SOURCES.md: no pfSense/OPNsense or Nagios runs here), then `constat grade` on the result.

use std::path::PathBuf;
use std::process::Command;

fn constat() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_constat"));
    c.env_remove("CONSTAT_LANG");
    c
}

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../systems/testdata")
        .join(name)
}

#[test]
fn an_imported_opnsense_export_is_graded_with_the_appliance_pack() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("fw.json");
    let import = constat()
        .args(["import", "appliance"])
        .arg(testdata(
            "idx39993198255__opnsense_25_vlans_interfaces_rules_excerpt.xml",
        ))
        .arg("--out")
        .arg(&snap)
        .output()
        .unwrap();
    assert!(import.status.success(), "{import:?}");
    let grade = constat()
        .args(["grade", "--pack", "lab-cp7-appliance", "--snapshot"])
        .arg(format!("fw={}", snap.display()))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&grade.stdout);
    // The real export opens SSH on its WAN: the subject's mistake, seen from its rule.
    assert!(
        text.contains("[KO] cp7-wan-no-admin")
            && text.contains("règle n°2 pass tcp wan → wanip:22"),
        "{text}"
    );
    assert!(text.contains("[OK] cp7-wan-https"), "{text}");
}

#[test]
fn a_wrong_file_is_a_located_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = constat()
        .args(["--lang", "en", "import", "appliance"])
        .arg(testdata("recorded_nagios-4.4__status.dat"))
        .arg("--out")
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("recorded_nagios-4.4__status.dat:1:1: not well-formed XML")
            && err.contains("what to do"),
        "{err}"
    );
    assert!(!dir.path().join("x.json").exists());
}

/// A `config.xml` given to `import nagios`: the reader's located error in the reader's
/// language, French by default, English with `--lang en` (never a half-English message).
#[test]
fn a_wrong_status_file_is_a_located_error_in_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    for lang in ["fr", "en"] {
        let out = constat()
            .args(["--lang", lang, "import", "nagios"])
            .arg(testdata(
                "idx39993198255__opnsense_25_vlans_interfaces_rules_excerpt.xml",
            ))
            .arg("--out")
            .arg(dir.path().join("x.json"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        let line = err
            .lines()
            .find(|l| l.contains("excerpt.xml:"))
            .unwrap_or_else(|| panic!("{err}"));
        seen.push(line[line.find("excerpt.xml:").unwrap()..].to_owned());
    }
    assert!(!dir.path().join("x.json").exists());
    assert!(
        seen[0].contains(" hors de tout bloc : donnez le status.dat tel que Nagios l'a écrit"),
        "{seen:?}"
    );
    assert!(
        seen[1].contains(" outside any block: pass the status.dat as Nagios wrote it"),
        "{seen:?}"
    );
}
