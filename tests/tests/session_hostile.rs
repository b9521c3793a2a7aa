//! The hostile-host tier: real sshd hosts (network namespaces of [`Lab`]) whose login is
//! hostile through an sshd `ForceCommand` wrapper that runs the real command except the
//! agent's `collect` step, which instead floods stdout, floods stderr, echoes stdin (the sudo
//! password) to stderr, drips one byte a second, corrupts the snapshot with invalid UTF-8, or
//! prints terminal escape sequences. A session (start and end phases) over them plus two
//! normal candidates completes: the normal candidates are collected and graded, each hostile
//! host fails with its named cause, no credential and no raw ESC byte appears in constat's
//! output or in any file of the session directory, and constat's peak memory (VmHWM) stays
//! under [`PEAK_RSS_LIMIT_KIB`]. Needs root and CONSTAT_REAL_TESTS=1.
//!
//! Identity is evidence: one more host ([`OTHER_HOST`]) collects normally at the start and
//! returns "another host's snapshot" at the end (host name and machine-id rewritten); its
//! report and the session summary show the identity warning, and a normal candidate whose
//! inventory expects another host name (`expect_hostname`) shows an "unexpected identity".

use constat_tests::sshhost::{Account, Lab, real_tests_enabled, workspace_binary};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

const TOOLS: &[&str] = &[
    "ip",
    "sshd",
    "ssh-keygen",
    "unshare",
    "useradd",
    "chpasswd",
    "sudo",
];

/// The sudo password of the exam account: must never come back.
const PASSWORD: &str = "Exam-Hostile-2026!";

/// Bound on constat's peak resident memory, whatever the hosts send. Measured on a debug
/// build: 184–268 MiB over the runs of 2026-12-02 (load 0–3): the spread is how much of the
/// stdout flood is in flight (SSH channel buffers, the buffer's last doubling) when the 64 MiB
/// cap is reached. The bound is what must hold, with room for that spread; lowering the peak
/// itself is issue 13's lean-client item (see BENCHMARKS.md).
const PEAK_RSS_LIMIT_KIB: u64 = 384 * 1024;

/// The hostile behaviours, by candidate id: what the `collect` step does instead.
const HOSTILE: &[(&str, &str)] = &[
    (
        "c10-flood-out",
        "exec yes AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ),
    (
        "c11-flood-err",
        "exec yes BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB >&2",
    ),
    (
        "c12-echo-stdin",
        "printf 'sudo: mot de passe recu: %s\\n' \"$(head -n 2)\" >&2; exit 1",
    ),
    ("c13-drip", "while :; do printf x; sleep 1; done"),
    (
        "c14-bad-utf8",
        "eval \"$SSH_ORIGINAL_COMMAND\" | LC_ALL=C sed \"s/\\\"hostname\\\"/\\\"host$(printf '\\377')name\\\"/\"",
    ),
    (
        "c15-escapes",
        "printf '\\033]52;c;SGVsbG8=\\007\\033[2J\\033]0;pwned\\007' ; printf '\\033[2J\\033]0;pwned\\007 agent crashed' >&2; exit 3",
    ),
];

/// The host that answers with another host's snapshot in the end phase: its wrapper lets
/// the first `collect` through and rewrites the host name and machine-id of the later ones.
/// `{state}` is a file outside the session directory marking that the start was collected.
const OTHER_HOST: (&str, &str) = (
    "c16-other-host",
    "if [ -e '{state}' ]; then eval \"$SSH_ORIGINAL_COMMAND\" | sed -e 's/\"hostname\": *\"[^\"]*\"/\"hostname\":\"another-host\"/' -e 's/\"machine_id\": *\"[^\"]*\"/\"machine_id\":\"0000000000000000000000000000abcd\"/'; else : > '{state}'; eval \"$SSH_ORIGINAL_COMMAND\"; fi",
);

/// A host name no lab host has: candidate c01's inventory expects it.
const UNEXPECTED_NAME: &str = "not-this-vm";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    raw: Vec<u8>,
    peak_kib: u64,
}

/// Runs constat in the client namespace, sampling its VmHWM until it exits.
fn run(lab: &Lab, args: &[&str], env: &[(&str, &str)]) -> Run {
    let constat = workspace_binary("constat");
    let out_path = lab.dir.join("constat.out");
    let err_path = lab.dir.join("constat.err");
    let mut command = lab.client_command(&constat);
    command
        .args(args)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    // `ip netns exec` execs constat in the same process: its status is constat's.
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kib = 0;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_path)
            && let Some(kib) = text.lines().find_map(|l| {
                l.strip_prefix("VmHWM:")
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = std::fs::read(&out_path).unwrap();
    let stderr = std::fs::read(&err_path).unwrap();
    let mut raw = stdout.clone();
    raw.extend_from_slice(&stderr);
    Run {
        code: status.code(),
        stdout: lab.redact(&String::from_utf8_lossy(&stdout)),
        stderr: lab.redact(&String::from_utf8_lossy(&stderr)),
        raw,
        peak_kib,
    }
}

/// Every file under `dir`, with its bytes.
fn files_under(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Asserts that no credential and no raw ESC byte is in `bytes`.
fn assert_clean(what: &str, bytes: &[u8]) {
    assert!(
        !contains(bytes, PASSWORD.as_bytes()),
        "{what}: the sudo password leaked"
    );
    assert!(!bytes.contains(&0x1b), "{what}: a raw ESC byte");
}

/// The summary lines of a run, sorted (hosts finish in any order).
fn failures(run: &Run) -> String {
    let mut lines: Vec<String> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(redact_machine_id)
        .collect();
    lines.sort_unstable();
    lines.join("\n")
}

/// The machine's machine-id (quoted in the invalid-UTF-8 host's error) depends on the
/// machine: its hex digits become `[machine-id]`.
fn redact_machine_id(line: &str) -> String {
    const KEY: &str = "machine_id\\\":\\\"";
    let Some(at) = line.find(KEY) else {
        return line.to_owned();
    };
    let start = at + KEY.len();
    let hex = line[start..]
        .find(|c: char| !c.is_ascii_hexdigit())
        .unwrap_or(line.len() - start);
    format!("{}[machine-id]{}", &line[..start], &line[start + hex..])
}

#[test]
fn a_session_over_hostile_hosts_completes_bounded_and_leaks_nothing() {
    if !real_tests_enabled(TOOLS) {
        return;
    }
    let agent = workspace_binary("constat-agent");
    let mut lab = Lab::new();
    let exam = Account {
        name: "exam".to_owned(),
        password: PASSWORD.to_owned(),
        sudo: true,
    };
    // 0: root by key; 1: exam + sudo; then one host per hostile behaviour.
    let mut candidates = String::new();
    for (id, name, user) in [
        ("c00-ok", "Root Key", "root"),
        ("c01-sudo", "Exam Sudo", "exam"),
    ] {
        let i = lab.add_host(vec![exam.clone()]);
        lab.start(i);
        let extra = if id == "c01-sudo" {
            format!(", expect_hostname: {UNEXPECTED_NAME}")
        } else {
            String::new()
        };
        candidates.push_str(&candidate(id, name, user, &lab.hosts[i].address, &extra));
    }
    let state = lab.dir.join(format!("{}.started", OTHER_HOST.0));
    let other = OTHER_HOST
        .1
        .replace("{state}", &state.display().to_string());
    for (id, behaviour) in HOSTILE
        .iter()
        .copied()
        .chain([(OTHER_HOST.0, other.as_str())])
    {
        let i = lab.add_host(vec![exam.clone()]);
        let wrapper = lab.dir.join(format!("{id}.sh"));
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\ncase \"$SSH_ORIGINAL_COMMAND\" in\n  *' collect '*) {behaviour} ;;\n  *) eval \"$SSH_ORIGINAL_COMMAND\" ;;\nesac\n"
            ),
        )
        .unwrap();
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        let config = lab.hosts[i].dir.join("sshd_config");
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str(&format!("ForceCommand {}\n", wrapper.display()));
        std::fs::write(&config, text).unwrap();
        lab.start(i);
        let user = if id == "c12-echo-stdin" {
            "exam"
        } else {
            "root"
        };
        candidates.push_str(&candidate(id, id, user, &lab.hosts[i].address, ""));
    }
    let key = lab.client_key.display().to_string();
    let inventory = format!(
        "session: {{ id: hostile-{id}, referentiel: TSSR, pack: lab-cp3-linux }}
settings: {{ concurrency: 8, connect_timeout_s: 5, host_timeout_s: 20 }}
defaults:
  linux: {{ transport: ssh, user: root, key: '{key}', cred: exam }}
candidates:
{candidates}",
        id = lab.id,
    );
    let inventory_path = lab.dir.join("inventory.yaml");
    std::fs::write(&inventory_path, inventory).unwrap();
    let session = lab.dir.join("session");
    let session_arg = session.display().to_string();
    let agent_env = agent.display().to_string();
    let env = [
        ("CONSTAT_AGENT_BIN", agent_env.as_str()),
        ("CONSTAT_CRED_EXAM", PASSWORD),
    ];
    let init = run(
        &lab,
        &[
            "session",
            "init",
            "--inventory",
            &inventory_path.display().to_string(),
            &session_arg,
        ],
        &env,
    );
    assert_eq!(init.code, Some(0), "{}", init.stderr);

    let mut outputs = Vec::new();
    for phase in ["start", "end"] {
        let phase_run = run(
            &lab,
            &["session", "run", &session_arg, "--phase", phase, "--quiet"],
            &env,
        );
        assert_eq!(
            phase_run.code,
            Some(1),
            "{}\n{}",
            phase_run.stdout,
            phase_run.stderr
        );
        assert!(
            phase_run.peak_kib > 0 && phase_run.peak_kib < PEAK_RSS_LIMIT_KIB,
            "{phase}: constat's peak RSS was {} KiB",
            phase_run.peak_kib
        );
        // The figure BENCHMARKS.md quotes (run with --nocapture).
        println!(
            "peak RSS of `session run --phase {phase}` over 2 normal + {} hostile hosts: {} KiB",
            HOSTILE.len(),
            phase_run.peak_kib
        );
        assert_clean(&format!("constat's output ({phase})"), &phase_run.raw);
        insta::assert_snapshot!(format!("hostile_{phase}_failures"), failures(&phase_run));
        outputs.push(phase_run);
    }

    // The normal candidates were collected in both phases and graded.
    for candidate in ["c00-ok", "c01-sudo"] {
        for phase in ["start", "end"] {
            assert!(
                session
                    .join(format!("{candidate}/{phase}/linux.json"))
                    .exists(),
                "{candidate} {phase} not collected:\n{}",
                outputs[1].stdout
            );
        }
    }
    let mut files = Vec::new();
    files_under(&session, &mut files);
    let mut names: Vec<String> = files
        .iter()
        .map(|(p, _)| p.strip_prefix(&session).unwrap().display().to_string())
        .collect();
    names.sort();
    insta::assert_snapshot!("hostile_session_files", names.join("\n"));
    for (path, bytes) in &files {
        assert_clean(&path.display().to_string(), bytes);
    }

    // Identity is evidence: the swapped snapshot and the unexpected host name are shown.
    assert!(
        outputs[1]
            .stdout
            .lines()
            .any(|l| l.starts_with(&format!("[!!] {} — Identité changée", OTHER_HOST.0))),
        "{}",
        outputs[1].stdout
    );
    let read = |name: &str| std::fs::read_to_string(session.join("reports").join(name)).unwrap();
    let other_md = read(&format!("{}.md", OTHER_HOST.0));
    assert!(
        other_md.contains("Identité changée : linux — nom d'hôte au début")
            && other_md.contains("à la fin « another-host »"),
        "{other_md}"
    );
    let other_json: serde_json::Value =
        serde_json::from_str(&read(&format!("{}.json", OTHER_HOST.0))).unwrap();
    let warnings = other_json["identity_warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["property"] == "hostname"
            && w["reference"] == "start"
            && w["observed"] == "another-host"),
        "{warnings:?}"
    );
    let other_html = read(&format!("{}.html", OTHER_HOST.0));
    assert!(other_html.contains("Identité changée"), "{other_html}");
    let unexpected = read("c01-sudo.md");
    assert!(
        unexpected.contains(&format!(
            "Identité inattendue : linux — nom d'hôte attendu (inventaire) « {UNEXPECTED_NAME} »"
        )),
        "{unexpected}"
    );
    let normal: serde_json::Value = serde_json::from_str(&read("c00-ok.json")).unwrap();
    assert_eq!(normal["identity_warnings"], serde_json::json!([]));
    let summary = read("summary.html");
    let row = summary
        .lines()
        .find(|l| l.contains(OTHER_HOST.0))
        .unwrap_or_default();
    assert!(row.contains("Identité changée"), "{summary}");
    let jury = read("jury.csv");
    assert!(
        jury.lines()
            .filter(|l| l.starts_with(OTHER_HOST.0))
            .all(|l| l.contains("linux : nom d'hôte (début)")),
        "{jury}"
    );
    assert!(
        jury.lines()
            .filter(|l| l.starts_with("c00-ok"))
            .all(|l| !l.contains("(début)")),
        "{jury}"
    );
}

fn candidate(id: &str, name: &str, user: &str, address: &str, extra: &str) -> String {
    format!(
        "  - {{ id: {id}, name: '{name}', hosts: {{ linux: {{ address: '{address}', user: {user}, sudo: {}{extra} }} }} }}\n",
        user != "root"
    )
}
