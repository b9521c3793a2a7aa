//! Running a read-only command with a time limit, capturing its output and its stderr.

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use std::fs::File;
use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStderr, ChildStdout, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Output of a finished command.
#[derive(Debug, Clone)]
pub struct CommandOutput {
    /// Exit code (None when killed by a signal).
    pub code: Option<i32>,
    /// Standard output, invalid UTF-8 replaced.
    pub stdout: String,
    /// Standard error, invalid UTF-8 replaced.
    pub stderr: String,
}

impl CommandOutput {
    /// Whether the command exited with status 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// Why a command gave no usable output.
#[derive(Debug, Clone, PartialEq)]
pub enum CommandError {
    /// The program is not installed.
    NotFound {
        /// Program name.
        program: String,
    },
    /// The program could not be started.
    Spawn {
        /// Program name.
        program: String,
        /// OS error.
        message: String,
    },
    /// The program ran past its time limit and was killed.
    Timeout {
        /// Program name.
        program: String,
        /// The limit.
        seconds: f64,
    },
    /// An offline root: programs from the inspected disk are never run.
    Offline {
        /// Program name.
        program: String,
    },
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::NotFound { program } => write!(f, "{program}: not installed"),
            CommandError::Spawn { program, message } => {
                write!(f, "{program}: could not start: {message}")
            }
            CommandError::Timeout { program, seconds } => {
                write!(f, "{program}: no answer within {seconds:.1} s, stopped")
            }
            CommandError::Offline { program } => {
                write!(f, "{program}: not run on an offline root")
            }
        }
    }
}

impl std::error::Error for CommandError {}

/// Where administration programs live, searched before the caller's PATH: collected without
/// sudo, a non-root PATH often lacks the sbin directories (`lvs`, `nft`, `sshd`), and a program
/// that is installed must never be reported "not installed".
pub const ADMIN_DIRS: &[&str] = &[
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
];

/// Finds a program: a name with a `/` as is; otherwise the first executable regular file named
/// so in [`ADMIN_DIRS`], then in the directories of `path` (the caller's PATH).
pub fn resolve_program(program: &str, path: Option<&str>) -> Option<PathBuf> {
    let executable = |p: &Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.contains('/') {
        return Some(PathBuf::from(program));
    }
    if program.is_empty() {
        return None;
    }
    ADMIN_DIRS
        .iter()
        .copied()
        .chain(path.unwrap_or("").split(':').filter(|d| !d.is_empty()))
        .map(|dir| Path::new(dir).join(program))
        .find(|p| executable(p))
}

/// The PATH given to a child: [`ADMIN_DIRS`] first (a program run through `env` or a wrapper
/// script finds its tools too), then the caller's own directories.
pub fn child_path(path: Option<&str>) -> String {
    let mut dirs: Vec<&str> = ADMIN_DIRS.to_vec();
    for dir in path.unwrap_or("").split(':') {
        if !dir.is_empty() && !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    dirs.join(":")
}

/// Runs `program args…` with `LC_ALL=C`, no stdin, and a time limit. The program is looked
/// up with [`resolve_program`] (sbin directories whatever PATH says).
pub fn run_command(
    program: &str,
    args: &[&str],
    timeout: Duration,
) -> Result<CommandOutput, CommandError> {
    let path = std::env::var("PATH").ok();
    let Some(resolved) = resolve_program(program, path.as_deref()) else {
        return Err(CommandError::NotFound {
            program: program.to_owned(),
        });
    };
    let mut child = Command::new(resolved)
        .args(args)
        .env("PATH", child_path(path.as_deref()))
        .env("LC_ALL", "C")
        .env("SYSTEMD_PAGER", "")
        .env("SYSTEMD_COLORS", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => CommandError::NotFound {
                program: program.to_owned(),
            },
            _ => CommandError::Spawn {
                program: program.to_owned(),
                message: e.to_string(),
            },
        })?;
    // Both pipes are read on this thread, `poll` saying which has bytes (no reader threads:
    // two thread creations per program were a good part of the agent's kernel time). Both
    // close when the program exits: that is awaited (within the time limit) instead of
    // polling its status, which cost up to 2 ms after each exit.
    let start = Instant::now();
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    read_pipes(
        child.stdout.take(),
        child.stderr.take(),
        &mut stdout,
        &mut stderr,
        || timeout.saturating_sub(start.elapsed()),
    );
    // The status follows the pipes' closing closely (or the program closed them early):
    // polled, from 50 µs up to 2 ms.
    let mut pause = Duration::from_micros(50);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CommandError::Timeout {
                    program: program.to_owned(),
                    seconds: timeout.as_secs_f64(),
                });
            }
            Ok(None) => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(2));
            }
            Err(e) => {
                return Err(CommandError::Spawn {
                    program: program.to_owned(),
                    message: e.to_string(),
                });
            }
        }
    };
    Ok(CommandOutput {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// Reads both pipes to their end of file, or until `left` says the time is up (or `poll`
/// fails): what was read so far is kept either way.
fn read_pipes(
    out: Option<ChildStdout>,
    err: Option<ChildStderr>,
    out_buf: &mut Vec<u8>,
    err_buf: &mut Vec<u8>,
    left: impl Fn() -> Duration,
) {
    let mut pipes: [(Option<File>, &mut Vec<u8>); 2] = [
        (out.map(|p| File::from(OwnedFd::from(p))), out_buf),
        (err.map(|p| File::from(OwnedFd::from(p))), err_buf),
    ];
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let mut fds: Vec<PollFd<'_>> = pipes
            .iter()
            .filter_map(|(pipe, _)| pipe.as_ref())
            .map(|p| PollFd::new(p, PollFlags::IN))
            .collect();
        let remaining = left();
        if fds.is_empty() || remaining.is_zero() {
            return;
        }
        let limit = Timespec::try_from(remaining).ok();
        match poll(&mut fds, limit.as_ref()) {
            Ok(0) => return,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => return,
        }
        let mut ready = fds.iter().map(|f| !f.revents().is_empty());
        let ready: [bool; 2] =
            std::array::from_fn(|i| pipes[i].0.is_some() && ready.next().unwrap_or(false));
        for ((pipe, buf), ready) in pipes.iter_mut().zip(ready) {
            let Some(file) = pipe.as_mut().filter(|_| ready) else {
                continue;
            };
            match file.read(&mut chunk) {
                Ok(0) => *pipe = None,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => *pipe = None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_output_and_status() {
        let out = run_command(
            "sh",
            &["-c", "echo hi; echo oops >&2; exit 3"],
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(out.stdout, "hi\n");
        assert_eq!(out.stderr, "oops\n");
        assert_eq!(out.code, Some(3));
    }

    #[test]
    fn kills_on_timeout() {
        let err = run_command("sleep", &["5"], Duration::from_millis(100)).unwrap_err();
        assert!(matches!(err, CommandError::Timeout { .. }));
    }

    #[test]
    fn finds_admin_programs_whatever_path_says() {
        // `sh` is in /bin or /usr/bin on every Linux machine; an empty PATH still finds it.
        let found = resolve_program("sh", Some("")).expect("sh is found");
        assert!(ADMIN_DIRS.iter().any(|d| found.starts_with(d)), "{found:?}");
        assert_eq!(
            resolve_program("constat-no-such-program", Some("/bin")),
            None
        );
        assert_eq!(
            resolve_program("/opt/x/tool", None),
            Some(PathBuf::from("/opt/x/tool"))
        );
    }

    #[test]
    fn child_path_puts_sbin_first_without_duplicates() {
        assert_eq!(
            child_path(Some("/usr/bin:/bin:/opt/tools")),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/tools"
        );
    }

    #[test]
    fn missing_program_is_not_found() {
        let err = run_command("constat-no-such-program", &[], Duration::from_secs(1)).unwrap_err();
        assert_eq!(err.to_string(), "constat-no-such-program: not installed");
    }
}
