//! A whole exam session over SSH against simulated hosts (network namespaces with their own
//! sshd, users and /etc): one host is down, one refuses the password, one hangs (frozen sshd) past the
//! time limit, one returns garbage. The session completes, each failure is reported with its
//! cause, nothing collected is lost, and `--resume` after fixing collects only the missing
//! hosts; a host whose key changed is refused, then accepted by the fingerprint checked on
//! it (`--accept-host-key`). Needs root and CONSTAT_REAL_TESTS=1.

use constat_tests::sshhost::{Account, Lab, real_tests_enabled, workspace_binary};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

const TOOLS: &[&str] = &[
    "ip",
    "sshd",
    "ssh-keygen",
    "unshare",
    "tc",
    "useradd",
    "chpasswd",
    "sudo",
];

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(lab: &Lab, args: &[&str], env: &[(&str, &str)]) -> Run {
    let constat = workspace_binary("constat");
    let mut command = lab.client_command(&constat);
    command.args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().unwrap();
    Run {
        code: status.code(),
        stdout: lab.redact(&String::from_utf8_lossy(&stdout)),
        stderr: lab.redact(&String::from_utf8_lossy(&stderr)),
    }
}

/// `constat session init --inventory INVENTORY SESSION`, which must succeed.
fn init_session(lab: &Lab, inventory: &Path, session: &Path, env: &[(&str, &str)]) {
    let init = run(
        lab,
        &[
            "session",
            "init",
            "--inventory",
            &inventory.display().to_string(),
            &session.display().to_string(),
        ],
        env,
    );
    assert_eq!(init.code, Some(0), "{}", init.stderr);
}

fn manifest_view(lab: &Lab, session: &Path) -> Value {
    let text = std::fs::read_to_string(session.join("manifest.json")).unwrap();
    serde_json::from_str(&lab.redact(&text)).unwrap()
}

#[test]
fn a_session_survives_failing_hosts_and_resumes_only_the_missing_ones() {
    if !real_tests_enabled(TOOLS) {
        return;
    }
    let agent = workspace_binary("constat-agent");
    let mut lab = Lab::new();
    let exam = Account {
        name: "exam".to_owned(),
        password: "Exam-2026!".to_owned(),
        sudo: true,
    };
    // 0: root by key; 1: exam by password + sudo; 2: down; 3: wrong password; 4: hung;
    // 5: garbage agent.
    for _ in 0..6 {
        lab.add_host(vec![exam.clone()]);
    }
    for i in [0, 1, 3, 4, 5] {
        lab.start(i);
    }
    lab.set_frozen(4, true);
    let junk = lab.dir.join("junk-agent.sh");
    std::fs::write(
        &junk,
        "#!/bin/sh\ncat >/dev/null\necho 'Segmentation fault? not JSON'\n",
    )
    .unwrap();
    std::fs::set_permissions(&junk, std::fs::Permissions::from_mode(0o755)).unwrap();

    let key = lab.client_key.display().to_string();
    let inventory = format!(
        "session: {{ id: lab-{id}, referentiel: TSSR }}
settings: {{ concurrency: 4, connect_timeout_s: 5, host_timeout_s: 60 }}
defaults:
  linux: {{ transport: ssh, address: '10.203.{net}.${{ip}}', user: root, key: '{key}' }}
candidates:
  - {{ id: c00-key, name: Root Key, vars: {{ ip: '10' }} }}
  - id: c01-sudo
    name: Exam Sudo
    vars: {{ ip: '11' }}
    hosts: {{ linux: {{ user: exam, cred: exam, sudo: true }} }}
  - {{ id: c02-down, name: Down, vars: {{ ip: '12' }} }}
  - id: c03-badpw
    name: Bad Password
    vars: {{ ip: '13' }}
    hosts: {{ linux: {{ user: exam, cred: wrong }} }}
  - {{ id: c04-slow, name: Slow, vars: {{ ip: '14' }} }}
  - id: c05-junk
    name: Junk
    vars: {{ ip: '15' }}
    hosts: {{ linux: {{ agent_path: '{junk}' }} }}
",
        id = lab.id,
        net = lab.subnet,
        junk = junk.display(),
    );
    let inventory_path = lab.dir.join("inventory.yaml");
    std::fs::write(&inventory_path, inventory).unwrap();
    let credentials = lab.dir.join("credentials.yaml");
    std::fs::write(
        &credentials,
        "exam: 'Exam-2026!'\nwrong: 'not-the-password'\n",
    )
    .unwrap();
    std::fs::set_permissions(&credentials, std::fs::Permissions::from_mode(0o600)).unwrap();
    let session = lab.dir.join("session");
    let session_arg = session.display().to_string();
    let creds_arg = credentials.display().to_string();
    let agent_env = agent.display().to_string();
    let env = [("CONSTAT_AGENT_BIN", agent_env.as_str())];

    init_session(&lab, &inventory_path, &session, &env);

    let first = run(
        &lab,
        &[
            "session",
            "run",
            &session_arg,
            "--phase",
            "start",
            "--credentials",
            &creds_arg,
            "--quiet",
        ],
        &env,
    );
    assert_eq!(first.code, Some(1), "{}\n{}", first.stdout, first.stderr);
    let summary: Vec<&str> = first.stdout.lines().skip(1).collect();
    insta::assert_snapshot!("first_run_failures", summary.join("\n"));
    // One language at a time: each failure reads in French first, the library's own text
    // only after « détail »; read back in English, the same failures are English.
    constat_cli::one_language::assert_french_first(&first.stdout);
    let status_en = run(
        &lab,
        &["--lang", "en", "session", "status", &session_arg],
        &env,
    );
    assert_eq!(status_en.code, Some(0), "{}", status_en.stderr);
    let failures_en: Vec<&str> = status_en
        .stdout
        .lines()
        .filter(|l| l.contains(": "))
        .collect();
    insta::assert_snapshot!("first_run_failures_en", failures_en.join("\n"));
    insta::assert_json_snapshot!("first_run_manifest", manifest_view(&lab, &session), {
        ".phases.*.frozen_at" => "[TIME]",
        ".phases.*.finished_at" => "[TIME]",
        ".hosts[].collected_at" => "[TIME]",
        ".hosts[].duration_ms" => "[MS]",
        ".hosts[].sha256" => "[SHA256]",
        ".session.id" => "[ID]",
    });
    for i in 0..6 {
        assert!(
            lab.tmp_files(i).is_empty(),
            "host {i} kept {:?}",
            lab.tmp_files(i)
        );
    }
    let known_hosts = std::fs::read_to_string(session.join("known_hosts")).unwrap();
    assert_eq!(known_hosts.lines().count(), 4, "{known_hosts}");
    let collected_before = std::fs::read(session.join("c00-key/start/linux.json")).unwrap();
    // Root by key, and the exam account through `sudo -S`: both collected with root rights.
    for candidate in ["c00-key", "c01-sudo"] {
        let path = session.join(format!("{candidate}/start/linux.json"));
        let snapshot: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(snapshot["collection"]["privileged"], true, "{candidate}");
        // What the real sshd offered the examiner's connection (its config: password on,
        // keyboard-interactive off), recorded by the transport, not the agent.
        let offered: Vec<&str> = snapshot["collection"]["ssh_server"]["auth_methods"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(offered, ["publickey", "password"], "{candidate}");
    }

    // Fix the hosts: start the down one, give the right password, thaw the hung one, point
    // the junk host at no agent path (upload).
    lab.start(2);
    std::fs::write(&credentials, "exam: 'Exam-2026!'\nwrong: 'Exam-2026!'\n").unwrap();
    lab.set_frozen(4, false);
    let stored = session.join("inventory.yaml");
    let mut stored_inventory: Value =
        serde_json::from_str(&std::fs::read_to_string(&stored).unwrap()).unwrap();
    let junk_host = stored_inventory["candidates"][5]["hosts"]["linux"]
        .as_object_mut()
        .unwrap();
    assert!(junk_host.remove("agent_path").is_some());
    std::fs::write(
        &stored,
        serde_json::to_string_pretty(&stored_inventory).unwrap(),
    )
    .unwrap();

    let second = run(
        &lab,
        &[
            "--format",
            "json",
            "session",
            "run",
            &session_arg,
            "--phase",
            "start",
            "--resume",
            "--credentials",
            &creds_arg,
        ],
        &env,
    );
    assert_eq!(second.code, Some(0), "{}\n{}", second.stdout, second.stderr);
    let summary: Value = serde_json::from_str(&second.stdout).unwrap();
    insta::assert_json_snapshot!("resume_summary", summary, { ".duration_ms" => "[MS]" });
    assert_eq!(
        std::fs::read(session.join("c00-key/start/linux.json")).unwrap(),
        collected_before,
        "a resumed run rewrote a snapshot that was already collected"
    );

    let status = run(&lab, &["session", "status", &session_arg], &env);
    assert_eq!(status.code, Some(0), "{}", status.stderr);
    insta::assert_snapshot!("status_after_resume", status.stdout);

    let signer = lab.dir.join("examiner");
    constat_tests::sshhost::sh(
        "ssh-keygen",
        &[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            &signer.display().to_string(),
        ],
    );
    let sign = run(
        &lab,
        &[
            "session",
            "sign",
            &session_arg,
            "--key",
            &signer.display().to_string(),
        ],
        &env,
    );
    assert_eq!(sign.code, Some(0), "{}", sign.stderr);
    let public = format!("{}.pub", signer.display());
    let verify = run(
        &lab,
        &["session", "verify", &session_arg, "--signer", &public],
        &env,
    );
    assert_eq!(verify.code, Some(0), "{}{}", verify.stdout, verify.stderr);
    insta::assert_snapshot!("verify_ok", verify.stdout);
    let export = lab.dir.join("export");
    let exported = run(
        &lab,
        &[
            "session",
            "export",
            &session_arg,
            "--out",
            &export.display().to_string(),
        ],
        &env,
    );
    assert_eq!(exported.code, Some(0), "{}", exported.stderr);
    // Tampering with a snapshot is caught.
    std::fs::write(session.join("c04-slow/start/linux.json"), "{}").unwrap();
    let tampered = run(
        &lab,
        &["session", "verify", &session_arg, "--signer", &public],
        &env,
    );
    assert_eq!(tampered.code, Some(1));
    insta::assert_snapshot!("verify_tampered", tampered.stdout);
}

#[test]
fn strict_host_keys_refuse_unknown_and_changed_keys_with_both_fingerprints() {
    if !real_tests_enabled(TOOLS) {
        return;
    }
    let agent = workspace_binary("constat-agent");
    let mut lab = Lab::new();
    lab.add_host(Vec::new());
    lab.start(0);
    let address = lab.hosts[0].address.clone();
    let key = lab.client_key.display().to_string();
    let known = lab.dir.join("known_hosts").display().to_string();
    let out = lab.dir.join("snap.json").display().to_string();
    let env = [("CONSTAT_AGENT_BIN", agent.to_str().unwrap())];
    let collect = |lab: &Lab, strict: bool| {
        let mut args = vec![
            "collect",
            "--transport",
            "ssh",
            "--address",
            &address,
            "--key",
            &key,
            "--known-hosts",
            &known,
            "--out",
            &out,
            "--timeout",
            // Generous: a full agent run (apt-get -s alone takes 6-8 s) on a loaded 2-core
            // CI machine; this test is about host keys, not time limits.
            "120",
        ];
        if strict {
            args.push("--strict-host-keys");
        }
        run(lab, &args, &env)
    };
    let strict_unknown = collect(&lab, true);
    assert_eq!(strict_unknown.code, Some(1), "{}", strict_unknown.stderr);
    assert!(
        strict_unknown.stderr.contains("inconnue (SHA256:"),
        "{}",
        strict_unknown.stderr
    );
    let first = collect(&lab, false);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let again = collect(&lab, true);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    // New host key: the machine was "reinstalled".
    let host_key = lab.hosts[0].dir.join("keys/host_key");
    std::fs::remove_file(&host_key).unwrap();
    std::fs::remove_file(host_key.with_extension("pub")).unwrap();
    constat_tests::sshhost::sh(
        "ssh-keygen",
        &[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            host_key.to_str().unwrap(),
        ],
    );
    lab.start(0);
    let changed = collect(&lab, false);
    assert_eq!(changed.code, Some(1), "{}", changed.stderr);
    // Both fingerprints, the new one twice: in the refusal and in the flag that accepts it.
    let fingerprints = changed.stderr.matches("SHA256:").count();
    assert_eq!(fingerprints, 3, "{}", changed.stderr);
    assert!(changed.stderr.contains("a changé"), "{}", changed.stderr);
    assert!(
        changed
            .stderr
            .contains("--accept-host-key '[[NET].10]:22=SHA256:"),
        "{}",
        changed.stderr
    );
}

/// The agent travels as gzip (under sshd's 2 MiB channel window, `agent_gzip.rs`); a host
/// without `gzip` (here left out of its /usr/bin, in the host's own mount namespace) says so before writing anything and is sent the raw agent: the
/// collection succeeds, and nothing of ours is left in its /tmp either way.
#[test]
fn a_host_without_gzip_is_sent_the_raw_agent() {
    if !real_tests_enabled(TOOLS) {
        return;
    }
    let agent = workspace_binary("constat-agent");
    let mut lab = Lab::new();
    for _ in 0..2 {
        lab.add_host(Vec::new());
    }
    // /usr/bin seen through symlinks to the real one, gzip left out (merged /usr: /bin is
    // /usr/bin), in host 1's own mount namespace.
    lab.hosts[1].setup = "mkdir -p /run/bin && mount --bind /usr/bin /run/bin && \
         mount -t tmpfs tmpfs /usr/bin && /run/bin/ln -s /run/bin/* /usr/bin/ && rm -f /usr/bin/gzip && \
         ! command -v gzip"
        .to_owned();
    lab.start(0);
    lab.start(1);
    let key = lab.client_key.display().to_string();
    let known = lab.dir.join("known_hosts").display().to_string();
    let request = lab.dir.join("request.json");
    std::fs::write(&request, r#"{"sections":["users"]}"#).unwrap();
    let request = request.display().to_string();
    let env = [("CONSTAT_AGENT_BIN", agent.to_str().unwrap())];
    for i in 0..2 {
        let address = lab.hosts[i].address.clone();
        let out = lab.dir.join(format!("snap-{i}.json")).display().to_string();
        let collected = run(
            &lab,
            &[
                "collect",
                "--transport",
                "ssh",
                "--address",
                &address,
                "--key",
                &key,
                "--known-hosts",
                &known,
                "--request",
                &request,
                "--out",
                &out,
                "--timeout",
                "120",
            ],
            &env,
        );
        assert_eq!(collected.code, Some(0), "host {i}: {}", collected.stderr);
        let snapshot: Value =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(
            snapshot["sections"]["users"]["status"], "collected",
            "host {i}: {}",
            snapshot["sections"]["users"]
        );
        assert!(
            lab.tmp_files(i).is_empty(),
            "host {i}: {:?}",
            lab.tmp_files(i)
        );
    }
}

/// The host's entry in the session's manifest for `phase`.
fn host_entry(session: &Path, phase: &str) -> Value {
    let text = std::fs::read_to_string(session.join("manifest.json")).unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    manifest["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["phase"] == phase)
        .cloned()
        .unwrap_or_else(|| panic!("no {phase} host in {text}"))
}

/// A VM reinstalled between the phases: `session run` refuses its new key, naming both
/// fingerprints and the flag that accepts it; `--accept-host-key HOST=FINGERPRINT` with
/// another fingerprint than the one presented is refused still; with the one checked on the
/// machine (`ssh-keygen -l` of its key) the host is collected and the session's known_hosts
/// holds the new key, so the next run needs no flag.
#[test]
fn a_reinstalled_host_is_accepted_by_the_fingerprint_checked_on_it() {
    if !real_tests_enabled(TOOLS) {
        return;
    }
    let agent = workspace_binary("constat-agent");
    let mut lab = Lab::new();
    lab.add_host(Vec::new());
    lab.start(0);
    let address = lab.hosts[0].address.clone();
    let inventory = format!(
        "session: {{ id: lab-{id}-reinstalled, referentiel: TSSR }}
settings: {{ connect_timeout_s: 10, host_timeout_s: 120 }}
defaults:
  linux: {{ transport: ssh, address: '{address}', user: root, key: '{key}' }}
candidates:
  - {{ id: c00, name: Reinstalled }}
",
        id = lab.id,
        key = lab.client_key.display(),
    );
    let inventory_path = lab.dir.join("inventory-reinstalled.yaml");
    std::fs::write(&inventory_path, inventory).unwrap();
    let session = lab.dir.join("session-reinstalled");
    let session_arg = session.display().to_string();
    let agent_env = agent.display().to_string();
    let env = [("CONSTAT_AGENT_BIN", agent_env.as_str())];
    init_session(&lab, &inventory_path, &session, &env);
    let end = |lab: &Lab, accept: Option<&str>| {
        let mut args = vec!["session", "run", &session_arg, "--phase", "end", "--quiet"];
        if let Some(accept) = accept {
            args.extend(["--accept-host-key", accept]);
        }
        run(lab, &args, &env)
    };
    let start = run(
        &lab,
        &[
            "session",
            "run",
            &session_arg,
            "--phase",
            "start",
            "--quiet",
        ],
        &env,
    );
    assert_eq!(start.code, Some(0), "{}\n{}", start.stdout, start.stderr);
    let old = lab.host_key_fingerprint(0);
    let new = lab.new_host_key(0);
    assert_ne!(old, new);
    let host = format!("[{address}]:22");

    let refused = end(&lab, None);
    assert_eq!(
        refused.code,
        Some(1),
        "{}\n{}",
        refused.stdout,
        refused.stderr
    );
    let entry = host_entry(&session, "end");
    let message = entry["error"]["message"].as_str().unwrap_or_default();
    assert_eq!(entry["error"]["kind"], "host_key", "{entry}");
    for part in [
        format!("enregistrée {old}, présentée {new}"),
        format!("relancez avec --accept-host-key '{host}={new}'"),
    ] {
        assert!(message.contains(&part), "{part}\n{message}");
    }

    // A fingerprint that is not the one presented accepts nothing.
    let wrong = end(&lab, Some(&format!("{host}={old}")));
    assert_eq!(wrong.code, Some(1), "{}\n{}", wrong.stdout, wrong.stderr);
    assert_eq!(host_entry(&session, "end")["error"]["kind"], "host_key");

    let accepted = end(&lab, Some(&format!("{host}={new}")));
    assert_eq!(
        accepted.code,
        Some(0),
        "{}\n{}",
        accepted.stdout,
        accepted.stderr
    );
    assert_eq!(host_entry(&session, "end")["status"], "collected");
    let public = std::fs::read_to_string(lab.hosts[0].dir.join("keys/host_key.pub")).unwrap();
    let material: Vec<&str> = public.split_whitespace().take(2).collect();
    let known_hosts = std::fs::read_to_string(session.join("known_hosts")).unwrap();
    assert_eq!(
        known_hosts,
        format!("{host} {}\n", material.join(" ")),
        "the new key replaces the old one"
    );
    let again = end(&lab, None);
    assert_eq!(again.code, Some(0), "{}\n{}", again.stdout, again.stderr);
}
