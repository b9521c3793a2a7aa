//! The one shell command an SSH host runs per collection, and how its output is read back.
//!
//! Everything travels in one exec round trip (issue 13): stdin carries, in this order, the
//! sudo password line (only with `sudo`), the request JSON on one line, then the agent's bytes
//! (only when uploading: gzip, see `agent_gzip.rs`, or raw for a host without `gzip`). The
//! command reads the two lines with `IFS= read -r` (a shell reads a pipe one byte at a time:
//! the agent's bytes are never touched), writes the agent to `/tmp/constat-…-agent` through
//! `gzip -dc` (mode 0700, `umask 077`), checks `uname -m` against the agent's
//! architecture, runs `collect`, and removes what it wrote whatever happened, in the same
//! command. The password never appears on a command line: the shell's builtin `printf` pipes
//! it to `sudo -S`.
//!
//! What comes back on stdout: first the `constat-removed <path>` lines of the session's stale
//! files swept (see `ssh.rs`), then either the snapshot, or one marker line saying that the
//! upload failed ([`UPLOAD_FAILED`]), that the host has no `gzip` ([`NO_GZIP`]: the client
//! then sends the raw bytes, once) or that the host's architecture does not match
//! ([`ARCH_MARK`]). A hostile host can print these lines too: it only gets itself a named
//! error, quoted escaped and bounded like any other host text.

use zeroize::Zeroizing;

/// Marks a removed stale file.
pub(super) const REMOVED_MARK: &str = "constat-removed ";

/// Marks an architecture mismatch, followed by the host's `uname -m`.
pub(super) const ARCH_MARK: &str = "constat-arch ";

/// Marks a failed upload (the reason is on stderr).
pub(super) const UPLOAD_FAILED: &str = "constat-upload-failed";

/// Marks a host without `gzip`: nothing was written, the raw agent is to be sent instead.
pub(super) const NO_GZIP: &str = "constat-no-gzip";

/// How the uploaded agent's bytes are packed on stdin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Packing {
    /// A gzip stream, inflated on the host by `gzip -dc` (the default: under sshd's 2 MiB
    /// channel window, see `agent_gzip.rs`).
    Gzip,
    /// The executable as is, for a host without `gzip`.
    Raw,
}

/// How the agent reaches the host.
#[derive(Debug, Clone, Copy)]
pub(super) enum AgentSource<'a> {
    /// Installed by the examiner (`agent_path`): run as is.
    Installed(&'a str),
    /// Sent on stdin, written to `path`, run only on a host whose `uname -m` matches `arch`
    /// (`uname -m` name of the binary's architecture; `None`: unrecognised, never run).
    Upload {
        /// Where it is written on the host.
        path: &'a str,
        /// The binary's architecture.
        arch: Option<&'a str>,
        /// How its bytes travel.
        packing: Packing,
    },
}

/// What the host runs for one collection.
#[derive(Debug, Clone, Copy)]
pub(super) struct RemoteCollect<'a> {
    /// The agent.
    pub(super) agent: AgentSource<'a>,
    /// With sudo: where the request is written on the host (stdin carries the password).
    pub(super) sudo_request: Option<&'a str>,
    /// Shell run first (the session's stale-file sweep), ending in `; `.
    pub(super) sweep: Option<&'a str>,
}

/// Single-quotes `word` for a POSIX shell.
pub(super) fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A `case` pattern matching the `uname -m` of hosts that run a binary of `arch`.
fn arch_pattern(arch: Option<&str>) -> String {
    match arch {
        // 32-bit x86 hosts say i386, i486, i586 or i686.
        Some("i686") => "i*86".to_owned(),
        Some(arch) => quote(arch),
        // No `uname -m` is empty: an unrecognised binary is never run.
        None => "''".to_owned(),
    }
}

impl RemoteCollect<'_> {
    /// The command line (POSIX sh). It contains ` collect `, like every agent run.
    pub(super) fn command(&self) -> String {
        let sudo = self.sudo_request.is_some();
        let mut script = String::from("umask 077; ");
        script.push_str(self.sweep.unwrap_or_default());
        if sudo {
            script.push_str("IFS= read -r pw; ");
        }
        script.push_str("IFS= read -r req; ");
        let mut written = Vec::new();
        let (agent, run_guarded) = match self.agent {
            AgentSource::Installed(path) => (quote(path), false),
            AgentSource::Upload { path, .. } => {
                written.push(quote(path));
                (quote(path), true)
            }
        };
        let run = match self.sudo_request {
            Some(request) => {
                let request = quote(request);
                written.push(request.clone());
                format!(
                    "printf '%s' \"$req\" > {request} && {{ printf '%s\\n' \"$pw\" | sudo -S -p '' {agent} collect --request {request}; }}"
                )
            }
            None => format!("printf '%s' \"$req\" | {agent} collect --request -"),
        };
        let body = match self.agent {
            AgentSource::Upload { arch, packing, .. } if run_guarded => {
                // Without gzip nothing is written: stdin is drained and the marker asks for
                // the raw bytes.
                let write = match packing {
                    Packing::Gzip => format!(
                        "if ! command -v gzip >/dev/null 2>&1; then cat > /dev/null; echo {NO_GZIP}; rc=0; elif gzip -dc > {agent}"
                    ),
                    Packing::Raw => format!("if cat > {agent}"),
                };
                format!(
                    "{write} && chmod 700 {agent}; then m=$(uname -m); case \"$m\" in {pattern}) {run}; rc=$? ;; *) printf '{ARCH_MARK}%s\\n' \"$m\"; rc=0 ;; esac; else rc=$?; cat > /dev/null; echo {UPLOAD_FAILED}; fi",
                    pattern = arch_pattern(arch),
                )
            }
            _ => format!("{run}; rc=$?"),
        };
        script.push_str(&body);
        if !written.is_empty() {
            script.push_str(&format!("; rm -f {}", written.join(" ")));
        }
        script.push_str("; exit $rc");
        script
    }

    /// What goes on stdin before the agent's bytes: the password line (with sudo), then the
    /// request on one line. Wiped from memory when dropped.
    pub(super) fn stdin_head(&self, request: &[u8], password: Option<&str>) -> Zeroizing<Vec<u8>> {
        let mut head = Zeroizing::new(Vec::with_capacity(request.len() + 64));
        if self.sudo_request.is_some() {
            head.extend_from_slice(password.unwrap_or_default().as_bytes());
            head.push(b'\n');
        }
        // Compact JSON has no raw newline: one line, read whole by `read -r`.
        head.extend(request.iter().copied().filter(|&b| b != b'\n'));
        head.push(b'\n');
        head
    }
}

/// What the host's stdout says, once the sweep's lines are set aside.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum RemoteOutcome {
    /// The agent ran: its stdout (the snapshot, to validate).
    Ran(Vec<u8>),
    /// The host's `uname -m` does not match the agent.
    ArchMismatch(String),
    /// The agent could not be written (see stderr).
    UploadFailed,
    /// The host has no `gzip`: nothing was written or run.
    NoGzip,
}

/// Splits the host's stdout: the stale files removed, and the outcome.
pub(super) fn read_output(mut stdout: Vec<u8>) -> (Vec<String>, RemoteOutcome) {
    let mut removed = Vec::new();
    let mut start = 0;
    while stdout[start..].starts_with(REMOVED_MARK.as_bytes()) {
        let end = stdout[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(stdout.len(), |i| start + i);
        let line = String::from_utf8_lossy(&stdout[start + REMOVED_MARK.len()..end]);
        removed.push(line.into_owned());
        start = (end + 1).min(stdout.len());
    }
    let rest = &stdout[start..];
    let first_line = |bytes: &[u8]| -> String {
        let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        // A host's text, bounded: `uname -m` is a short word.
        String::from_utf8_lossy(&line[..line.len().min(64)]).into_owned()
    };
    if rest.starts_with(ARCH_MARK.as_bytes()) {
        let arch = first_line(&rest[ARCH_MARK.len()..]);
        return (removed, RemoteOutcome::ArchMismatch(arch.trim().to_owned()));
    }
    if rest.starts_with(UPLOAD_FAILED.as_bytes()) {
        return (removed, RemoteOutcome::UploadFailed);
    }
    if rest.starts_with(NO_GZIP.as_bytes()) {
        return (removed, RemoteOutcome::NoGzip);
    }
    stdout.drain(..start);
    (removed, RemoteOutcome::Ran(stdout))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    use std::process::{Command, Stdio};

    /// Runs `command` with `sh -c` (the shell a login runs an SSH command with), feeding
    /// `stdin`; returns (exit code, stdout, stderr).
    fn sh(command: &str, stdin: &[u8]) -> (i32, Vec<u8>, String) {
        let mut child = Command::new("sh")
            .args(["-c", command])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A shell that stops reading early closes the pipe: not an error here.
        let _ = child.stdin.take().unwrap().write_all(stdin);
        let output = child.wait_with_output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            output.stdout,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// A stand-in "agent": a script that prints its arguments and the request it reads (from
    /// stdin or the `--request` file), exiting 0.
    const FAKE_AGENT: &[u8] =
        b"#!/bin/sh\nprintf 'args: %s\\n' \"$*\"\nif [ \"$3\" = - ]; then cat; else cat \"$3\"; fi\n";

    fn this_arch() -> String {
        String::from_utf8(Command::new("uname").arg("-m").output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_owned()
    }

    /// `bytes` as a gzip stream, as `agent_gzip.rs` sends the agent.
    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// The real shell: the request line and the uploaded agent are split exactly (the agent
    /// written byte for byte — inflated by `gzip -dc`, or raw — run with the request on
    /// stdin), its output comes back, and nothing is left in the directory.
    #[test]
    fn one_exec_uploads_runs_and_removes_the_agent() {
        for (packing, bytes) in [
            (Packing::Gzip, gzip(FAKE_AGENT)),
            (Packing::Raw, FAKE_AGENT.to_vec()),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("constat-x-agent").display().to_string();
            let arch = this_arch();
            let run = RemoteCollect {
                agent: AgentSource::Upload {
                    path: &path,
                    arch: Some(&arch),
                    packing,
                },
                sudo_request: None,
                sweep: None,
            };
            let command = run.command();
            assert!(command.contains(" collect "), "{command}");
            let request = br#"{"paths":["/etc/it's here"],"sections":["users"]}"#;
            let mut stdin = run.stdin_head(request, None).to_vec();
            stdin.extend_from_slice(&bytes);
            let (code, stdout, stderr) = sh(&command, &stdin);
            assert_eq!(code, 0, "{packing:?}: {stderr}");
            let (removed, outcome) = read_output(stdout);
            assert!(removed.is_empty());
            let expected = format!(
                "args: collect --request -\n{}",
                String::from_utf8_lossy(request)
            );
            assert_eq!(
                outcome,
                RemoteOutcome::Ran(expected.into_bytes()),
                "{packing:?}"
            );
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }

    /// A host without `gzip`: nothing is written or run, stdin is drained, and the marker
    /// asks for the raw bytes.
    #[test]
    fn a_host_without_gzip_asks_for_the_raw_agent() {
        let dir = tempfile::tempdir().unwrap();
        // A PATH with `cat` and `uname` only.
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        for tool in ["cat", "uname", "chmod", "rm"] {
            let found = Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .output()
                .unwrap();
            let found = String::from_utf8(found.stdout).unwrap();
            std::os::unix::fs::symlink(found.trim(), bin.join(tool)).unwrap();
        }
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let path = tmp.join("constat-x-agent").display().to_string();
        let marker = dir.path().join("ran");
        let agent = format!("#!/bin/sh\ntouch '{}'\n", marker.display());
        let arch = this_arch();
        let run = RemoteCollect {
            agent: AgentSource::Upload {
                path: &path,
                arch: Some(&arch),
                packing: Packing::Gzip,
            },
            sudo_request: None,
            sweep: None,
        };
        let mut stdin = run.stdin_head(b"{}", None).to_vec();
        stdin.extend_from_slice(&gzip(agent.as_bytes()));
        stdin.extend_from_slice(&[0u8; 300_000]);
        let command = format!("PATH={}; {}", bin.display(), run.command());
        let (code, stdout, stderr) = sh(&command, &stdin);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(read_output(stdout).1, RemoteOutcome::NoGzip);
        assert!(!marker.exists());
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    }

    /// Another architecture: the binary is written, not run, removed; the host's `uname -m`
    /// comes back. An unrecognised binary never runs either.
    #[test]
    fn a_binary_of_another_architecture_is_never_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("constat-x-agent").display().to_string();
        let marker = dir.path().join("ran");
        let agent = format!("#!/bin/sh\ntouch '{}'\n", marker.display());
        for arch in [Some("riscv64"), None] {
            let run = RemoteCollect {
                agent: AgentSource::Upload {
                    path: &path,
                    arch,
                    packing: Packing::Gzip,
                },
                sudo_request: None,
                sweep: None,
            };
            let mut stdin = run.stdin_head(b"{}", None).to_vec();
            stdin.extend_from_slice(&gzip(agent.as_bytes()));
            let (code, stdout, stderr) = sh(&run.command(), &stdin);
            assert_eq!(code, 0, "{stderr}");
            assert_eq!(
                read_output(stdout).1,
                RemoteOutcome::ArchMismatch(this_arch())
            );
            assert!(!marker.exists());
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }

    /// An agent that cannot be written (no such directory) is said so, the rest of stdin is
    /// drained, and the exit code is the failure's; so is a stream `gzip` refuses (a
    /// corrupt upload), and nothing of it is left or run.
    #[test]
    fn an_upload_that_fails_is_named() {
        for packing in [Packing::Gzip, Packing::Raw] {
            let run = RemoteCollect {
                agent: AgentSource::Upload {
                    path: "/nonexistent-constat-dir/agent",
                    arch: Some("x86_64"),
                    packing,
                },
                sudo_request: None,
                sweep: None,
            };
            let mut stdin = run.stdin_head(b"{}", None).to_vec();
            stdin.extend_from_slice(&gzip(&[0u8; 300_000]));
            stdin.extend_from_slice(&[0u8; 300_000]);
            let (code, stdout, stderr) = sh(&run.command(), &stdin);
            assert_ne!(code, 0, "{packing:?}");
            assert_eq!(read_output(stdout).1, RemoteOutcome::UploadFailed);
            assert!(stderr.contains("nonexistent-constat-dir"), "{stderr}");
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("constat-x-agent").display().to_string();
        let arch = this_arch();
        let run = RemoteCollect {
            agent: AgentSource::Upload {
                path: &path,
                arch: Some(&arch),
                packing: Packing::Gzip,
            },
            sudo_request: None,
            sweep: None,
        };
        let mut stdin = run.stdin_head(b"{}", None).to_vec();
        let mut corrupt = gzip(FAKE_AGENT);
        let middle = corrupt.len() / 2;
        corrupt[middle] ^= 0xff;
        stdin.extend_from_slice(&corrupt);
        let (code, stdout, stderr) = sh(&run.command(), &stdin);
        assert_ne!(code, 0);
        assert_eq!(read_output(stdout).1, RemoteOutcome::UploadFailed);
        assert!(stderr.contains("gzip"), "{stderr}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// With sudo: the password goes to `sudo -S` through a pipe (never on a command line),
    /// the request through a file removed afterwards. A `sudo` stand-in on the PATH prints
    /// the line it read on stdin and runs the rest.
    #[test]
    fn with_sudo_the_password_is_piped_and_the_request_is_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let sudo = bin.join("sudo");
        std::fs::write(
            &sudo,
            "#!/bin/sh\nIFS= read -r pw; printf 'sudo read: %s\\n' \"$pw\"; shift 3; exec \"$@\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&sudo, std::fs::Permissions::from_mode(0o755)).unwrap();
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).unwrap();
        let agent = tmp.join("agent").display().to_string();
        let request = tmp.join("request.json").display().to_string();
        let arch = this_arch();
        let run = RemoteCollect {
            agent: AgentSource::Upload {
                path: &agent,
                arch: Some(&arch),
                packing: Packing::Gzip,
            },
            sudo_request: Some(&request),
            sweep: None,
        };
        let command = run.command();
        assert!(!command.contains("S3cr3t"));
        let mut stdin = run
            .stdin_head(br#"{"paths":[]}"#, Some("S3cr3t 'x"))
            .to_vec();
        stdin.extend_from_slice(&gzip(FAKE_AGENT));
        let command = format!("PATH={}:$PATH; {command}", bin.display());
        let (code, stdout, stderr) = sh(&command, &stdin);
        assert_eq!(code, 0, "{stderr}");
        let (_, outcome) = read_output(stdout);
        let expected =
            format!("sudo read: S3cr3t 'x\nargs: collect --request {request}\n{{\"paths\":[]}}");
        assert_eq!(outcome, RemoteOutcome::Ran(expected.into_bytes()));
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    }

    /// An installed agent reads the request on stdin; the agent's exit code is kept.
    #[test]
    fn an_installed_agent_keeps_its_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        let agent = dir.path().join("agent");
        std::fs::write(&agent, "#!/bin/sh\ncat; exit 7\n").unwrap();
        std::fs::set_permissions(&agent, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = agent.display().to_string();
        let run = RemoteCollect {
            agent: AgentSource::Installed(&path),
            sudo_request: None,
            sweep: None,
        };
        let (code, stdout, _) = sh(&run.command(), &run.stdin_head(b"{\"a\":\n1}", None));
        assert_eq!(code, 7);
        assert_eq!(
            read_output(stdout).1,
            RemoteOutcome::Ran(b"{\"a\":1}".to_vec())
        );
        assert!(agent.exists(), "an installed agent is never removed");
    }

    #[test]
    fn swept_lines_come_first_and_are_set_aside() {
        let out = b"constat-removed /tmp/constat-a-1-agent\nconstat-removed /tmp/constat-a-1-request.json\n{\"x\":1}\n".to_vec();
        let (removed, outcome) = read_output(out);
        assert_eq!(
            removed,
            ["/tmp/constat-a-1-agent", "/tmp/constat-a-1-request.json"]
        );
        assert_eq!(outcome, RemoteOutcome::Ran(b"{\"x\":1}\n".to_vec()));
        let (_, arch) = read_output(format!("{ARCH_MARK}{}\n", "a".repeat(500)).into_bytes());
        assert_eq!(arch, RemoteOutcome::ArchMismatch("a".repeat(64)));
        assert_eq!(
            read_output(format!("{NO_GZIP}\n").into_bytes()).1,
            RemoteOutcome::NoGzip
        );
    }
}
