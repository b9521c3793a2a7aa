//! Active script tests, for real: `constat check --active-tests` runs the scripts of a pack
//! as `nobody` (setpriv) in a throwaway directory with a time limit, records the runs in the
//! snapshot and grades them; without the flag, or with a pack that does not allow it,
//! nothing runs.
//!
//! The scripts are written by the test in its own temporary directory (they only print,
//! create a file in their working directory, sleep or fail); nothing touches the network.

use constat_tests::real::{cli_command, real_tests_enabled, require_programs};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A directory of test scripts readable by `nobody`, removed on drop (even on failure).
struct ScriptDir {
    path: PathBuf,
}

impl ScriptDir {
    fn new() -> ScriptDir {
        let path = std::env::temp_dir().join(format!(
            "constat-active-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path).expect("create the script directory");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .expect("chmod 755 the script directory");
        ScriptDir { path }
    }

    fn script(&self, name: &str, text: &str) -> String {
        let path = self.path.join(name);
        std::fs::write(&path, text).expect("write a test script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .expect("chmod 755 a test script");
        path.display().to_string()
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, text).expect("write a test file");
        path
    }
}

impl Drop for ScriptDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

const HEADER: &str = "#!/bin/bash\n# Description : script de test de constat\n# Usage : voir le pack\n# Auteur : constat-tests\n";

fn pack(dir: &ScriptDir, allow: bool) -> PathBuf {
    let ok = dir.script(
        "ok.sh",
        &format!("{HEADER}set -eu\necho \"compte : $(id -un)\"\necho \"dossier : $PWD\" >&2\necho archive > sortie.tar.gz\necho 'Sauvegarde OK'\n"),
    );
    let slow = dir.script("lent.sh", &format!("{HEADER}sleep 30 &\nsleep 30\n"));
    let failing = dir.script(
        "echec.sh",
        &format!("{HEADER}echo 'tar: /srv/sauvegarde: Cannot open: No such file or directory' >&2\nexit 2\n"),
    );
    let root_only = dir.script(
        "root.sh",
        &format!("{HEADER}touch /etc/constat-active-test\n"),
    );
    dir.file(
        "pack.yaml",
        &format!(
            r#"pack:
  id: active-test
  title: "Tests actifs"
  referentiel: tssr-2023
  profile: lab
  active_tests: {allow}
hosts:
  linux: {{os: linux}}
checks:
  - id: runs-as-nobody
    title: "Le script tourne sans privilège et produit son archive"
    criteres: [tssr-2023/CP6/C2]
    hosts: [linux]
    expect:
      script: {{path: "{ok}", run: {{args: [--test], expect_stdout: "compte : nobody(?s:.*)Sauvegarde OK", creates: sortie.tar.gz}}}}
  - id: killed-at-the-limit
    title: "Un script trop long est arrêté"
    criteres: [tssr-2023/CP6/C2]
    hosts: [linux]
    expect:
      script: {{path: "{slow}", run: {{timeout_s: 1}}}}
  - id: failing-script
    title: "Un script en échec est rapporté"
    criteres: [tssr-2023/CP6/C2]
    hosts: [linux]
    expect:
      script: {{path: "{failing}", run: {{}}}}
  - id: cannot-write-etc
    title: "Le script ne peut pas écrire dans /etc"
    criteres: [tssr-2023/CP6/C2]
    hosts: [linux]
    expect:
      script: {{path: "{root_only}", run: {{creates: /etc/constat-active-test}}}}
"#
        ),
    )
}

fn check(pack: &Path, extra: &[&str]) -> Output {
    cli_command()
        .args(["check", "--pack"])
        .arg(pack)
        .args(["--audience", "examiner"])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("run constat check")
}

/// The report lines of the test's checks, with what varies from run to run redacted.
fn report_view(stdout: &str, dir: &ScriptDir) -> String {
    let durations = regex::Regex::new(r"en \d+ ms").expect("regex");
    let workdirs = regex::Regex::new(r"constat-run-\d+-\d+").expect("regex");
    let text = stdout.replace(&dir.path.display().to_string(), "[scripts]");
    let text = durations.replace_all(&text, "en [durée] ms");
    let text = workdirs.replace_all(&text, "constat-run-[pid]-[n]");
    text.lines()
        .skip_while(|l| !l.starts_with('['))
        .take_while(|l| !l.starts_with("Critères"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn leftover_workdirs() -> Vec<String> {
    std::fs::read_dir(std::env::temp_dir())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("constat-run-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn active_tests_run_as_nobody_with_a_time_limit() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["setpriv", "kill", "bash"]);
    let dir = ScriptDir::new();
    let pack = pack(&dir, true);
    let before = leftover_workdirs();
    let out = check(&pack, &["--active-tests"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !Path::new("/etc/constat-active-test").exists(),
        "a script running as nobody wrote into /etc"
    );
    assert_eq!(
        leftover_workdirs(),
        before,
        "working directories were not removed"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "failures expected: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!(report_view(&stdout, &dir));
}

#[test]
fn nothing_runs_without_the_flag_or_the_pack_permission() {
    if !real_tests_enabled() {
        return;
    }
    let dir = ScriptDir::new();
    let allowed = pack(&dir, true);
    let without_flag = check(&allowed, &[]);
    let invalid = check(&pack(&dir, false), &["--active-tests"]);
    let refused = check(Path::new("demo"), &["--active-tests"]);
    let view = format!(
        "{}\n---\nexit {:?}\n{}\n---\nexit {:?}\n{}",
        report_view(&String::from_utf8_lossy(&without_flag.stdout), &dir),
        invalid.status.code(),
        String::from_utf8_lossy(&invalid.stderr)
            .replace(&dir.path.display().to_string(), "[scripts]"),
        refused.status.code(),
        String::from_utf8_lossy(&refused.stderr),
    );
    assert!(
        !dir.path.join("sortie.tar.gz").exists(),
        "a script ran without --active-tests"
    );
    insta::assert_snapshot!(view);
}
