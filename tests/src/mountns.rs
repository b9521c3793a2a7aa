//! A throw-away view of this machine: commands run in a private mount namespace
//! (`unshare --mount --propagation private`) where /etc, /home, /root, /var/spool/cron and
//! /srv are overlay mounts whose upper directories live in a temporary directory. `useradd`,
//! `crontab -u`, writing /etc/sudoers.d… happen for real but never reach the machine.
//!
//! Every call enters a new namespace with the same upper directories, so a scenario can be
//! set up by one call and observed by the next. Dropping the [`OverlayRoot`] deletes the
//! directories; the mounts die with each namespace.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

/// Host directories covered by an overlay.
pub const OVERLAID: &[&str] = &["/etc", "/home", "/root", "/var/spool/cron", "/srv"];

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Upper and work directories of the overlays; removed on drop.
#[derive(Debug)]
pub struct OverlayRoot {
    dir: PathBuf,
}

impl OverlayRoot {
    /// Creates fresh (empty) upper directories under /tmp, named after the process id and a
    /// counter so that tests can run concurrently.
    pub fn new(label: &str) -> OverlayRoot {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = PathBuf::from(format!(
            "/tmp/constat-mountns-{label}-{}-{n}",
            std::process::id()
        ));
        for target in OVERLAID {
            let name = overlay_name(target);
            for sub in ["upper", "work"] {
                std::fs::create_dir_all(dir.join(&name).join(sub)).unwrap_or_else(|e| {
                    panic!("cannot create {}: {e}", dir.join(&name).join(sub).display())
                });
            }
        }
        std::fs::create_dir_all(dir.join("shared"))
            .unwrap_or_else(|e| panic!("cannot create {}/shared: {e}", dir.display()));
        OverlayRoot { dir }
    }

    /// A directory outside the overlays, visible at the same path inside (request files,
    /// outputs).
    pub fn shared(&self) -> PathBuf {
        self.dir.join("shared")
    }

    /// The shell lines that mount the overlays (run first inside the namespace).
    fn mount_script(&self) -> String {
        let mut script = String::from("set -e\n");
        for target in OVERLAID {
            if !Path::new(target).is_dir() {
                script.push_str(&format!("mkdir -p {target}\n"));
            }
            let d = self.dir.join(overlay_name(target));
            script.push_str(&format!(
                "mount -t overlay overlay -o lowerdir={target},upperdir={}/upper,workdir={}/work {target}\n",
                d.display(),
                d.display()
            ));
        }
        script
    }

    /// Runs `sh -c script` inside a fresh private mount namespace with the overlays mounted.
    /// Extra `args` are passed as `$1…`. Fails the test with the output if it fails.
    pub fn run(&self, script: &str, args: &[&str]) -> Output {
        let full = format!("{}set +e\n{script}", self.mount_script());
        let mut command = Command::new("unshare");
        command
            .args([
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                &full,
                "sh",
            ])
            .args(args);
        let out = command
            .output()
            .unwrap_or_else(|e| panic!("cannot run unshare: {e}"));
        assert!(
            out.status.success(),
            "script in the mount namespace failed ({}):\n{script}\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

impl Drop for OverlayRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn overlay_name(target: &str) -> String {
    target.trim_start_matches('/').replace('/', "_")
}
