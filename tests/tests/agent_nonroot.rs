//! The agent run as an unprivileged user with a minimal PATH (`env -i PATH=/usr/bin:/bin`,
//! `setpriv` to nobody), as when an examiner collects without sudo: no section may claim an
//! absence it did not see. An installed program is never "not installed" (the agent looks in
//! the sbin directories whatever PATH says), and what the user could not read is
//! `not_collected`/`error` with the reason, never an empty list.

use constat_tests::real::{agent_binary, real_tests_enabled, require_programs};
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use constat_agent::command::ADMIN_DIRS;

fn installed(program: &str) -> bool {
    ADMIN_DIRS
        .iter()
        .any(|d| std::path::Path::new(&format!("{d}/{program}")).is_file())
}

#[test]
fn unprivileged_collection_with_a_minimal_path_claims_no_absence() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["setpriv", "env", "nft", "sshd"]);
    // nobody cannot read the build directory: a world-readable copy of the agent.
    let dir = std::env::temp_dir().join(format!("constat-nonroot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod dir");
    let agent = dir.join("constat-agent");
    std::fs::copy(agent_binary(), &agent).expect("copy the agent");
    std::fs::set_permissions(&agent, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = Command::new("setpriv")
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
        .args(["env", "-i", "PATH=/usr/bin:/bin"])
        .arg(&agent)
        .args(["collect", "--only", "firewall,storage,sshd"])
        .current_dir(&dir)
        .output()
        .expect("run setpriv");
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "agent failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let snapshot: Value = serde_json::from_str(&text).expect("agent output is JSON");
    assert_eq!(snapshot["collection"]["privileged"], json!(false));

    // Every "X: not installed" names a program absent from every sbin and bin directory.
    let claim = regex::Regex::new(r"([A-Za-z0-9_.+-]+): not installed").expect("regex");
    for c in claim.captures_iter(&text) {
        assert!(
            !installed(&c[1]),
            "{} is installed but the snapshot says it is not: {text}",
            &c[1]
        );
    }
    let s = &snapshot["sections"];
    // Storage: logical volumes are listed or said not collected, never an unexplained [].
    let storage = &s["storage"]["data"];
    assert!(
        storage["logical_volumes"]
            .as_array()
            .is_some_and(|l| !l.is_empty())
            || storage["not_collected"]["logical_volumes"].is_string(),
        "empty LVM list without a reason: {storage}"
    );
    // nft is installed (required above) but unreadable without privilege: an error naming
    // nftables, never "no firewall tool".
    let firewall = &s["firewall"];
    let message = firewall["message"].as_str().unwrap_or_default();
    assert!(message.contains("nftables"), "{firewall}");
    assert!(message.contains("run the agent as root"), "{firewall}");
    let view = json!({
        "firewall": firewall["status"],
        "storage": s["storage"]["status"],
        "storage_logical_volumes": if storage["not_collected"]["logical_volumes"].is_string() {
            "not_collected"
        } else {
            "listed"
        },
        "sshd": s["sshd"]["status"],
    });
    insta::assert_json_snapshot!("nonroot_statuses", view);
}
