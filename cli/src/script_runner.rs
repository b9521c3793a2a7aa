//! Runs the scripts of a pack's active tests on this machine (`constat check --active-tests`).
//!
//! The only place constat executes candidate code, and only when the pack allows it and the
//! examiner asked for it. Each script runs as `nobody` (through `setpriv`, when constat runs
//! as root; otherwise as the invoking, already unprivileged, user), in a fresh directory
//! removed afterwards, with an empty environment but `PATH`, stdin closed, and a time limit
//! after which its whole process group is killed. Results go into the snapshot's
//! `script_runs` section, so grading stays pure.

use constat_snapshot::{ScriptRun, ScriptRunRequest};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Bytes kept of each output stream.
const KEEP_BYTES: usize = 4096;
/// `PATH` given to the script.
const SAFE_PATH: &str = "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The account scripts run as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunAs {
    /// Name shown in the evidence.
    pub name: String,
    /// `Some((uid, gid))` to switch to with `setpriv` (constat runs as root).
    pub switch_to: Option<(u32, u32)>,
}

impl RunAs {
    /// `nobody` when this process is root (read from /etc/passwd), else the current user,
    /// already unprivileged.
    pub fn unprivileged() -> Result<RunAs, String> {
        if effective_uid()? != 0 {
            let name = std::env::var("USER").unwrap_or_else(|_| "utilisateur courant".to_owned());
            return Ok(RunAs {
                name,
                switch_to: None,
            });
        }
        let passwd = std::fs::read_to_string("/etc/passwd")
            .map_err(|e| format!("/etc/passwd illisible : {e}"))?;
        let (uid, gid) = passwd_ids(&passwd, "nobody").ok_or(
            "aucun compte nobody dans /etc/passwd : impossible de lancer le script sans privilèges",
        )?;
        Ok(RunAs {
            name: "nobody".to_owned(),
            switch_to: Some((uid, gid)),
        })
    }
}

/// Runs every request in order.
pub fn run_all(requests: &[ScriptRunRequest], run_as: &RunAs) -> Vec<ScriptRun> {
    requests.iter().map(|r| run_one(r, run_as)).collect()
}

/// Runs one request in its own throwaway directory.
pub fn run_one(request: &ScriptRunRequest, run_as: &RunAs) -> ScriptRun {
    let mut result = ScriptRun {
        path: request.path.clone(),
        args: request.args.clone(),
        run_as: run_as.name.clone(),
        creates: request.creates.clone(),
        ..ScriptRun::default()
    };
    let dir = match WorkDir::create(run_as) {
        Ok(d) => d,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    let mut command = match run_as.switch_to {
        Some((uid, gid)) => {
            let mut c = Command::new("setpriv");
            c.arg(format!("--reuid={uid}"))
                .arg(format!("--regid={gid}"))
                .arg("--clear-groups")
                .arg("--no-new-privs")
                .arg("--")
                .arg(&request.path);
            c
        }
        None => Command::new(&request.path),
    };
    command
        .args(&request.args)
        .current_dir(&dir.path)
        .env_clear()
        .env("PATH", SAFE_PATH)
        .env("HOME", &dir.path)
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let started = Instant::now();
    let child = match command.spawn() {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && run_as.switch_to.is_some() => {
            result.error = Some("setpriv introuvable (paquet util-linux)".to_owned());
            return result;
        }
        Err(e) => {
            result.error = Some(format!("lancement impossible : {e}"));
            return result;
        }
    };
    let outcome = supervise(child, Duration::from_secs(u64::from(request.timeout_s)));
    result.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    result.exit_code = outcome.exit_code;
    result.timed_out = outcome.timed_out;
    result.stdout = outcome.stdout;
    result.stderr = outcome.stderr;
    if let Some(error) = outcome.error {
        result.error = Some(error);
    }
    if let Some(c) = &request.creates {
        result.created = Some(dir.resolve(c).exists());
    }
    result
}

struct Outcome {
    exit_code: Option<i32>,
    timed_out: bool,
    stdout: String,
    stderr: String,
    error: Option<String>,
}

/// Waits for the child up to `limit`, killing its process group after it.
fn supervise(mut child: Child, limit: Duration) -> Outcome {
    let stdout = child.stdout.take().map(keep_start);
    let stderr = child.stderr.take().map(keep_start);
    let deadline = Instant::now() + limit;
    let mut timed_out = false;
    let mut error = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                timed_out = true;
                kill_group(child.id());
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                error = Some(format!("attente du script impossible : {e}"));
                kill_group(child.id());
                break child.wait().ok();
            }
        }
    };
    // Whatever the script left running in its group goes too (a background job would
    // otherwise keep the output pipes open).
    kill_group(child.id());
    let collect = |rx: Option<mpsc::Receiver<String>>| {
        rx.and_then(|rx| rx.recv_timeout(Duration::from_secs(2)).ok())
            .unwrap_or_default()
    };
    Outcome {
        exit_code: if timed_out {
            None
        } else {
            status.and_then(|s| s.code())
        },
        timed_out,
        stdout: collect(stdout),
        stderr: collect(stderr),
        error,
    }
}

/// Reads a stream to its end on a thread, keeping its first bytes.
fn keep_start(mut stream: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = KEEP_BYTES.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                }
            }
        }
        let _ = tx.send(String::from_utf8_lossy(&kept).into_owned());
    });
    rx
}

/// SIGKILL to the process group `pgid` (the child is its leader, see `process_group(0)`).
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A fresh directory the script may write in, removed on drop.
struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    fn create(run_as: &RunAs) -> Result<WorkDir, String> {
        let path = std::env::temp_dir().join(format!(
            "constat-run-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path)
            .map_err(|e| format!("dossier de travail {} : {e}", path.display()))?;
        let dir = WorkDir { path };
        if let Some((uid, gid)) = run_as.switch_to {
            std::os::unix::fs::chown(&dir.path, Some(uid), Some(gid))
                .map_err(|e| format!("dossier de travail {} : {e}", dir.path.display()))?;
        }
        Ok(dir)
    }

    /// `creates` relative to the working directory, or absolute.
    fn resolve(&self, creates: &str) -> PathBuf {
        if Path::new(creates).is_absolute() {
            PathBuf::from(creates)
        } else {
            self.path.join(creates)
        }
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The effective uid, from /proc/self/status (`Uid: real effective saved fs`).
fn effective_uid() -> Result<u32, String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("/proc/self/status illisible : {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        .and_then(|euid| euid.parse().ok())
        .ok_or_else(|| "uid effectif introuvable dans /proc/self/status".to_owned())
}

/// `(uid, gid)` of `name` in passwd text.
fn passwd_ids(passwd: &str, name: &str) -> Option<(u32, u32)> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        if fields.next()? != name {
            return None;
        }
        let _password = fields.next()?;
        Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_from_passwd_text() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
        assert_eq!(passwd_ids(passwd, "nobody"), Some((65534, 65534)));
        assert_eq!(passwd_ids(passwd, "absent"), None);
        assert_eq!(passwd_ids("nobody:x:oops:1:::\n", "nobody"), None);
    }
}
