//! Real tier: the agent never keeps the text of a secret-bearing file, whatever leads to it.
//! In a private mount namespace (overlays over /etc, /srv… from `mountns.rs`), /etc/shadow gets
//! a real password hash (`chpasswd`), then is reached through a real bind mount at a requested
//! path, a symlinked parent directory and a hard link under an innocent name.

use constat_tests::mountns::OverlayRoot;
use constat_tests::real::{agent_binary, real_tests_enabled, require_programs};
use serde_json::Value;

const SCENARIO: &str = r#"
set -e
useradd -M -s /usr/sbin/nologin secretuser
echo 'secretuser:Secret-Pass-1' | chpasswd
mkdir -p /srv/bind /srv/links
touch /srv/bind/users.db
mount --bind /etc/shadow /srv/bind/users.db
ln -s /etc /srv/etclink
ln /etc/shadow /srv/links/copie.txt 2>/dev/null || true
exec "$1" collect --only files --request "$2"
"#;

#[test]
fn shadow_reached_by_bind_mount_symlinked_parent_or_hard_link_is_withheld() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["unshare", "mount", "useradd", "chpasswd"]);
    let agent = agent_binary();
    let root = OverlayRoot::new("secrets");
    let request = root.shared().join("request.json");
    std::fs::create_dir_all(root.shared()).expect("create the shared directory");
    std::fs::write(
        &request,
        r#"{"paths": ["/etc/shadow", "/srv/bind/users.db", "/srv/etclink/shadow", "/srv/links/copie.txt"]}"#,
    )
    .expect("write the request");
    let out = root.run(
        SCENARIO,
        &[
            agent.to_str().expect("utf-8 agent path"),
            request.to_str().expect("utf-8 request path"),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for secret in ["$y$", "$6$", "secretuser:"] {
        assert!(!text.contains(secret), "{secret} leaked into the snapshot");
    }
    let snapshot: Value = serde_json::from_str(&text).expect("agent output is JSON");
    let files = snapshot["sections"]["files"]["data"]
        .as_array()
        .expect("files collected");
    for file in files {
        let path = file["path"].as_str().unwrap_or_default();
        if path == "/srv/links/copie.txt" && file["exists"] == false {
            // A hard link across overlay layers may be refused: nothing to judge then.
            continue;
        }
        assert_eq!(file["exists"], true, "{file}");
        assert_eq!(file["head_withheld"], "secret_file", "{file}");
        assert!(
            file.get("head").is_none() && file.get("sha256").is_none(),
            "{file}"
        );
        assert!(file["mode"].is_string(), "{file}");
    }
}
