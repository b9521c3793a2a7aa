//! The exam, end to end: two candidates of the subject `tssr-2023-msp-titre`, each with a
//! real Samba AD DC (collected over LDAPS with the lab CA, SYSVOL over SMB) and a real
//! Debian server booted with systemd (collected over SSH with the agent, `sudo`), in the lab
//! of `constat_tests::exam_lab`. `constat session run --phase start` records the start
//! state; candidate A then does the subject exactly, candidate B with the subject's listed
//! mistakes; `--phase end` collects again and grades. The client VM (Windows 11) is not in
//! the lab, and the DC's Windows-only parts need the PowerShell probe: those checks must say
//! why they are not assessable. Needs root and CONSTAT_REAL_TESTS=1.

use constat_tests::exam_lab::{ExamLab, JURY_PASSWORD, JURY_USER};
use constat_tests::real::{real_tests_enabled, require_programs};
use constat_tests::sshhost::workspace_binary;
use serde_json::Value;
use std::path::Path;

/// The pack that grades the session (embedded in the `constat` binary).
const PACK: &str = "tssr-2023-msp-titre";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `constat` in the examiner namespace with the credentials in the environment.
fn constat(lab: &ExamLab, args: &[&str]) -> Run {
    let binary = workspace_binary("constat");
    let agent = workspace_binary("constat-agent");
    let out = lab
        .examiner_command(&binary)
        .args(args)
        .env("CONSTAT_CRED_DC", lab.dc_password())
        .env("CONSTAT_CRED_JURY", JURY_PASSWORD)
        .env("CONSTAT_AGENT_BIN", &agent)
        .env("LC_ALL", "C")
        .output()
        .unwrap_or_else(|e| panic!("cannot run constat: {e}"));
    Run {
        code: out.status.code(),
        stdout: lab.redact(&String::from_utf8_lossy(&out.stdout)),
        stderr: lab.redact(&String::from_utf8_lossy(&out.stderr)),
    }
}

fn inventory(lab: &ExamLab, ca: &Path) -> String {
    let mut text = format!(
        "session: {{ id: exam-e2e, referentiel: TSSR, pack: {PACK} }}
settings: {{ concurrency: 4, connect_timeout_s: 10, host_timeout_s: 300 }}
defaults:
  dc:
    transport: ldap
    address: '${{dc_ip}}'
    user: Administrator@tssr.lan
    cred: dc
    tls: verify
    ca_file: '{ca}'
  linux:
    transport: ssh
    address: '${{linux_ip}}'
    user: {JURY_USER}
    key: '{key}'
    cred: jury
    sudo: true
candidates:
",
        ca = ca.display(),
        key = lab.client_key().display(),
    );
    for (vms, name) in lab.candidates.iter().zip(["Candidat A", "Candidat B"]) {
        text.push_str(&format!(
            "  - {{ id: {id}, name: {name}, vars: {{ dc_ip: '{dc}', linux_ip: '{linux}' }} }}\n",
            id = vms.id,
            dc = vms.dc_ip(),
            linux = vms.linux_ip(),
        ));
    }
    text
}

/// Replaces what changes from run to run in a report: times, durations, host keys, the
/// GPO's GUID, the lab directory.
fn redact_report(lab: &ExamLab, text: &str, guids: &[String]) -> String {
    let mut text = lab.redact(text);
    for guid in guids {
        text = text.replace(guid.as_str(), "{GPO-GUID}");
    }
    let patterns = [
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
            "[TIME]",
        ),
        (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}( UTC)?", "[TIME]"),
        // The report's local time for the jury (« 02/12/2026 10:54 (heure de Paris) · 09:54 UTC »).
        (
            r"\d{2}/\d{2}/\d{4} \d{2}:\d{2} \(heure de Paris\) · \d{2}:\d{2} UTC",
            "[TIME]",
        ),
        // Logon hours name the offset in force on the day of the collection (« UTC+01:00 le
        // 2026-12-02 »): both change with the day the test runs.
        (
            r"UTC[+-]\d{2}:\d{2} (le|on) \d{4}-\d{2}-\d{2}",
            "UTC[OFFSET] $1 [DATE]",
        ),
        (r"SHA256:[A-Za-z0-9+/=]+", "SHA256:[KEY]"),
        (r"\b\d+(\.\d+)? ?ms\b", "[MS]"),
        (r"S-1-5-21-\d+-\d+-\d+", "S-1-5-21-[DOMAIN]"),
    ];
    for (pattern, replacement) in patterns {
        let re = regex::Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        text = re.replace_all(&text, replacement).into_owned();
    }
    text
}

/// GUIDs of GPO_Commercial in a candidate's end snapshot of the DC (created during the
/// exam, so different on every run).
fn gpo_guids(session: &Path, candidate: &str) -> Vec<String> {
    let path = session.join(candidate).join("end/dc.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let snapshot: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let gpos = snapshot["sections"]["directory"]["data"]["gpos"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut guids = Vec::new();
    for gpo in gpos
        .iter()
        .filter(|g| g["display_name"] == "GPO_Commercial")
    {
        if let Some(guid) = gpo["guid"].as_str() {
            let bare = guid.trim_matches(['{', '}']);
            guids.push(format!("{{{bare}}}"));
            guids.push(bare.to_owned());
            guids.push(bare.to_ascii_lowercase());
        }
    }
    assert!(!guids.is_empty(), "no GPO_Commercial in {}", path.display());
    guids
}

/// `id: status [critères]` of every check of a candidate's report that did not pass.
fn not_passed(reports: &Path, candidate: &str) -> Vec<String> {
    let path = reports.join(format!("{candidate}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    report["checks"]
        .as_array()
        .unwrap_or_else(|| panic!("no checks in {}", path.display()))
        .iter()
        .filter(|c| c["outcome"]["status"] != "pass")
        .map(|c| {
            let criteres: Vec<&str> = c["criteres"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            format!(
                "{}: {} [{}]",
                c["id"].as_str().unwrap_or("?"),
                c["outcome"]["status"].as_str().unwrap_or("?"),
                criteres.join(", ")
            )
        })
        .collect()
}

#[test]
fn two_candidates_sit_the_exam_and_are_graded_with_evidence() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&[
        "systemd-nspawn",
        "debootstrap",
        "nsenter",
        "ip",
        "samba",
        "samba-tool",
        "smbclient",
        "ldapmodify",
        "ssh-keygen",
        "openssl",
        "zstd",
    ]);
    let lab = ExamLab::start(&["cand-a", "cand-b"]);
    let ca = lab.dir.join("lab-ca.pem");
    std::fs::copy(
        lab.candidates[0].dc.dir().join("private/lab-tls/ca.pem"),
        &ca,
    )
    .unwrap_or_else(|e| panic!("lab CA: {e}"));
    let inventory_path = lab.dir.join("inventory.yaml");
    std::fs::write(&inventory_path, inventory(&lab, &ca)).unwrap_or_else(|e| panic!("{e}"));
    let session = lab.dir.join("session");
    let session_arg = session.display().to_string();

    let init = constat(
        &lab,
        &[
            "session",
            "init",
            "--inventory",
            &inventory_path.display().to_string(),
            &session_arg,
        ],
    );
    assert_eq!(init.code, Some(0), "{}\n{}", init.stdout, init.stderr);
    let start = constat(
        &lab,
        &[
            "session",
            "run",
            &session_arg,
            "--phase",
            "start",
            "--quiet",
        ],
    );
    assert_eq!(start.code, Some(0), "{}\n{}", start.stdout, start.stderr);

    // The candidates work.
    let linux_script = std::fs::read_to_string(
        constat_tests::exam_lab::scripts_dir().join("exam-candidate-linux.sh"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (vms, variant) in lab.candidates.iter().zip(["a", "b"]) {
        vms.dc_script(
            "exam-candidate-dc.sh",
            &[
                variant,
                &vms.dc_ip(),
                &vms.linux_ip(),
                &vms.dc.dir().display().to_string(),
            ],
        );
        vms.linux_sh(&linux_script, &[variant, &vms.dc_ip()]);
    }

    let end = constat(
        &lab,
        &["session", "run", &session_arg, "--phase", "end", "--quiet"],
    );
    assert_eq!(end.code, Some(0), "{}\n{}", end.stdout, end.stderr);

    let reports = session.join("reports");
    for secret in [lab.dc_password(), JURY_PASSWORD] {
        for entry in std::fs::read_dir(&reports).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                !text.contains(secret),
                "a password leaked into {}",
                path.display()
            );
        }
    }
    // A: everything assessable passes; what is not assessable is only what this lab cannot
    // see (the Windows probe's parts, the absent client).
    let a_not_passed = not_passed(&reports, "cand-a");
    assert!(
        a_not_passed
            .iter()
            .all(|c| c.contains(": not_assessable [")),
        "candidate A must pass every assessable check: {a_not_passed:#?}"
    );
    // B: each mistake of the subject, on its critère (the checks after a failed
    // prerequisite are skipped).
    let b_failed: Vec<String> = not_passed(&reports, "cand-b")
        .into_iter()
        .filter(|c| !c.contains(": not_assessable ["))
        .collect();
    insta::assert_debug_snapshot!("cand_b_not_passed", b_failed);

    let mut guids = gpo_guids(&session, "cand-a");
    guids.extend(gpo_guids(&session, "cand-b"));
    for candidate in ["cand-a", "cand-b"] {
        let text = std::fs::read_to_string(reports.join(format!("{candidate}.md")))
            .unwrap_or_else(|e| panic!("{candidate}.md: {e}"));
        insta::assert_snapshot!(
            format!("report_{}", candidate.replace('-', "_")),
            redact_report(&lab, &text, &guids)
        );
    }
    let jury = std::fs::read_to_string(reports.join("jury.csv")).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("jury_csv", redact_report(&lab, &jury, &guids));
}
