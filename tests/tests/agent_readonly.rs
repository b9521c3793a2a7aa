//! The agent is read-only (ARCHITECTURE.md, agent invariant): it still works when `/` is
//! mounted read-only, and a live run changes no file under /etc.

use constat_tests::netns::run;
use constat_tests::real::{agent_binary, real_tests_enabled, require_programs};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Section name → status of a snapshot printed by the agent.
fn statuses(stdout: &[u8]) -> BTreeMap<String, String> {
    let snapshot: Value =
        serde_json::from_slice(stdout).unwrap_or_else(|e| panic!("agent output is not JSON: {e}"));
    snapshot["sections"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, s)| (name.clone(), s["status"].as_str().unwrap_or("?").to_owned()))
        .collect()
}

#[test]
fn full_agent_works_on_a_read_only_root() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["unshare", "mount"]);
    let agent = agent_binary();
    let normal = statuses(&run(Command::new(&agent).arg("collect")).stdout);
    // In a private mount namespace, `/` is bind-mounted on itself and made read-only; the
    // script first proves that writing to `/` now fails.
    let script = r#"set -e
mount --bind / /
mount -o remount,bind,ro /
probe="/.constat-ro-probe-$$"
if touch "$probe" 2>/dev/null; then rm -f "$probe"; echo "/ is still writable" >&2; exit 99; fi
exec "$0" collect"#;
    let out = run(Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", script])
        .arg(&agent));
    let read_only = statuses(&out.stdout);
    let lost: Vec<&String> = normal
        .iter()
        .filter(|(name, status)| {
            *status == "collected" && read_only.get(*name).map(String::as_str) != Some("collected")
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        lost.is_empty(),
        "sections collected normally but not on a read-only root: {lost:?}\nnormal: {normal:?}\nread-only: {read_only:?}"
    );
    assert!(
        normal.values().any(|s| s == "collected"),
        "nothing collected at all: {normal:?}"
    );
}

/// Every entry under `dir`: kind, mode and sha256 of the content (or the link target).
fn tree_digest(dir: &Path) -> BTreeMap<String, String> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta =
            std::fs::symlink_metadata(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let key = path
            .strip_prefix(dir)
            .map(|p| format!("/{}", p.display()))
            .unwrap_or_default();
        let mode = meta.permissions().mode();
        let value = if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap_or_default();
            format!("link -> {}", target.display())
        } else if meta.is_dir() {
            for entry in std::fs::read_dir(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .flatten()
            {
                stack.push(entry.path());
            }
            format!("dir {mode:o}")
        } else if meta.is_file() {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let digest: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("file {mode:o} {digest}")
        } else {
            format!("special {mode:o}")
        };
        out.insert(key, value);
    }
    out
}

/// Removes a directory on drop, even when the test fails.
struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn live_run_changes_nothing_under_etc() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["unshare", "mount", "cp"]);
    let agent = agent_binary();
    // The run sees a private copy of /etc in place of /etc (own mount namespace): the agent
    // cannot tell, and tests running at the same time cannot change what is compared.
    let dir = std::env::temp_dir().join(format!(
        "constat-etc-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _cleanup = RemoveOnDrop(dir.clone());
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    run(Command::new("cp").args(["-a", "/etc"]).arg(dir.join("etc")));
    let before = tree_digest(&dir.join("etc"));
    run(Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c"])
        .arg(r#"set -e; mount --bind "$1/etc" /etc; exec "$2" collect >/dev/null"#)
        .arg("sh")
        .arg(&dir)
        .arg(&agent));
    let after = tree_digest(&dir.join("etc"));
    let changed: Vec<(&String, Option<&String>, Option<&String>)> = before
        .keys()
        .chain(after.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| (k, before.get(k), after.get(k)))
        .collect();
    assert!(
        changed.is_empty(),
        "the agent changed /etc (path, before, after): {changed:#?}"
    );
    assert!(
        before.len() > 10,
        "the copy of /etc looks empty: {before:?}"
    );
}
