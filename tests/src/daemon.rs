//! Commands for processes that may outlive the step that starts them (a DC, sshd, PostgreSQL,
//! Zabbix, Icinga2, php, chromedriver, a container, `constat serve`): their child keeps only
//! stdin, stdout and stderr.
//!
//! The real tier runs under `flock /tmp/constat-real-tier.lock …` ([`REAL_TIER_LOCK`]), and
//! flock(1) passes the locked descriptor down to cargo, to the test binary and to every child
//! it starts: a daemon that survived its test (the test killed, a `Drop` that never ran)
//! would hold the lock for every later run. The test process cannot mark an inherited
//! descriptor close-on-exec without `unsafe` (denied in this workspace), so the child does
//! it: `bash` closes every descriptor above 2, then execs the program (same process, so
//! `Child::id` and `kill` still reach the program). `flock -o` (close the descriptor before
//! running the command) keeps the lock out of the test process as well; README.md says so.

use std::ffi::OsStr;
use std::process::Command;

/// The file the real tier serialises on (`flock`, held only while a test binary runs).
pub const REAL_TIER_LOCK: &str = "/tmp/constat-real-tier.lock";

/// A command that runs `program` with no inherited descriptor but 0, 1 and 2. Arguments,
/// environment, standard streams and the working directory are set on it as usual.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new("bash");
    command
        .args([
            "-c",
            "for fd in $(ls /proc/$$/fd); do if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\"; fi; done; exec \"$@\"",
            "bash",
        ])
        .arg(program);
    command
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Stdio;

    /// Set by [`a_daemon_started_under_flock_does_not_hold_the_lock`] for the run of
    /// [`probe_under_flock`] it starts under `flock`.
    const PROBE_ENV: &str = "CONSTAT_TESTS_LOCK_PROBE";

    /// The files `pid` has open (`/proc/<pid>/fd` link targets).
    fn open_files(pid: u32) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| std::fs::read_link(e.path()).ok())
            .map(|p| p.display().to_string())
            .collect()
    }

    /// A `sleep` started by `command`, with what it has open once it runs `sleep` (bash has
    /// exec'd it when `/proc/<pid>/exe` is sleep).
    fn sleeper_files(mut command: Command) -> Vec<String> {
        let mut child = command
            .arg("30")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("sleep starts");
        let pid = child.id();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::fs::read_link(format!("/proc/{pid}/exe"))
            .is_ok_and(|exe| !exe.display().to_string().ends_with("/sleep"))
        {
            assert!(std::time::Instant::now() < deadline, "sleep never ran");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let files = open_files(pid);
        let _ = child.kill();
        let _ = child.wait();
        files
    }

    /// Runs only under `flock` (started by the test below): this process holds the lock
    /// file, a plain child inherits it, a child of [`command`] does not.
    #[test]
    fn probe_under_flock() {
        let Ok(lock) = std::env::var(PROBE_ENV) else {
            return;
        };
        // `/proc/<pid>/fd` shows resolved paths.
        let lock = std::fs::canonicalize(&lock).unwrap().display().to_string();
        assert!(
            open_files(std::process::id()).contains(&lock),
            "flock did not pass {lock} down: the probe proves nothing"
        );
        assert!(
            sleeper_files(Command::new("sleep")).contains(&lock),
            "a plain child should inherit {lock} (the check would see no leak)"
        );
        let files = sleeper_files(command("sleep"));
        assert!(
            !files.contains(&lock),
            "a daemon command still holds {lock}: {files:?}"
        );
    }

    #[test]
    fn a_daemon_started_under_flock_does_not_hold_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("real-tier.lock");
        let exe = std::env::current_exe().unwrap();
        let out = Command::new("flock")
            .arg(&lock)
            .arg(&exe)
            .args(["--exact", "daemon::tests::probe_under_flock", "--nocapture"])
            .env(PROBE_ENV, &lock)
            .stdin(Stdio::null())
            .output()
            .expect("flock (util-linux) runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "probe under flock failed:\n{text}");
        assert!(text.contains("1 passed"), "the probe did not run:\n{text}");
        // Nothing is left holding the lock.
        let free = Command::new("flock")
            .args(["-n", "-E", "75"])
            .arg(&lock)
            .arg("true")
            .status()
            .unwrap();
        assert!(
            free.success(),
            "{} still locked",
            Path::new(&lock).display()
        );
    }
}
