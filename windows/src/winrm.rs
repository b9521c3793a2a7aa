//! Running the probe over WinRM (winrm-rs 1.1: NTLM over HTTP with message encryption, or
//! HTTPS) and turning its output into a snapshot.
//!
//! The probe (~20 KB) is far over what `powershell -EncodedCommand` accepts through WinRS
//! (cmd.exe's 8191-character line, ~3 KB of script once UTF-16 + base64 encoded). So a tiny
//! bootstrap is passed with `-EncodedCommand`; it reads the real script from **stdin** as
//! base64 (so accents survive any console code page), decodes it and runs it. The script is
//! streamed in chunks with WS-Man `Send`, then end-of-stream.
//!
//! The pack's file request travels the same way, never on the command line (no quoting, no
//! length limit): stdin is `<script base64>.<request JSON base64>` (`.` is not a base64
//! character); the bootstrap turns the request into `-Files` / `-HeadBytes`.
//!
//! Not yet run against a live Windows host: only the command building, chunking and error
//! mapping are tested here (a loopback listener stands in for failing servers).

use crate::ldap::target::Secret;
use crate::probe::normalise::{ProbeError, normalise_probe_output};
use crate::probe::script::PROBE_SCRIPT;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use constat_snapshot::{FileRequest, Snapshot};
use std::time::Duration;
use winrm_rs::{
    AuthMethod, EncryptionMode, WinrmClient, WinrmConfig, WinrmCredentials, WinrmError,
};

/// cmd.exe's command-line limit, which WinRS commands go through.
pub const CMD_LINE_LIMIT: usize = 8191;
/// Size of one stdin chunk (base64 text), well under the default MaxEnvelopeSize (150 KB
/// in winrm-rs, 500 KB on the server).
pub const CHUNK_SIZE: usize = 32 * 1024;

/// A Windows host reachable over WinRM.
#[derive(Debug, Clone)]
pub struct WinrmTarget {
    /// Host name or address.
    pub host: String,
    /// Port; 5985 (HTTP) or 5986 (HTTPS) when `None`.
    pub port: Option<u16>,
    /// HTTPS instead of HTTP + NTLM message encryption.
    pub https: bool,
    /// Accept any HTTPS certificate (self-signed lab listener); recorded in the snapshot.
    pub insecure_tls: bool,
    /// Account (`Administrateur`).
    pub username: String,
    /// Domain or computer name (`TSSR`), empty for a local account.
    pub domain: String,
    /// Password.
    pub password: Secret,
    /// TCP connection timeout.
    pub connect_timeout: Duration,
    /// Limit for the whole probe run.
    pub timeout: Duration,
    /// User whose RSoP is recorded (`TSSR\jdupont`), for clients.
    pub rsop_user: Option<String>,
    /// Files the pack asks about on this host (`C:\Scripts\Export-Comptes.ps1`).
    pub files: FileRequest,
    /// Largest probe output accepted, in bytes (stdout, and stderr in total); past it the
    /// command is abandoned with [`WinrmRunError::OutputTooLarge`].
    pub output_limit: u64,
}

/// Bytes of the probe's stderr kept (its last ones).
pub const STDERR_TAIL: usize = 16 * 1024;

/// Why a WinRM collection failed, with what to check.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WinrmRunError {
    /// 401 / NTLM refused.
    #[error(
        "WinRM authentication as {user} on {host} refused: {message} (check the account and password; a local account needs the domain field set to the computer name)"
    )]
    Auth {
        /// Host.
        host: String,
        /// Account.
        user: String,
        /// Library message.
        message: String,
    },
    /// Connection refused, unreachable, TLS failure.
    #[error(
        "cannot reach WinRM on {host}:{port}: {message} (is WinRM enabled? run Enable-PSRemoting on the host and allow TCP {port} in its firewall)"
    )]
    Connect {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// Cause.
        message: String,
        /// The cause, typed (for the caller's own wording).
        failure: crate::link::LinkFailure,
    },
    /// No answer in time.
    #[error("WinRM on {host} did not answer within {seconds} s")]
    Timeout {
        /// Host.
        host: String,
        /// Limit.
        seconds: u64,
    },
    /// The service answered with a fault or something that is not WS-Management.
    #[error("WinRM on {host} refused the request: {message}")]
    Protocol {
        /// Host.
        host: String,
        /// Fault or parse error.
        message: String,
        /// What the link said, when the failure is the link's (`Other` for a fault).
        failure: crate::link::LinkFailure,
    },
    /// The probe sent more than the size limit: the command was abandoned.
    #[error(
        "the probe on {host} sent more than {limit} bytes on its {stream}: abandoned (raise max_output_mib for this host in the inventory if the output is legitimate)"
    )]
    OutputTooLarge {
        /// Host.
        host: String,
        /// `stdout` or `stderr`.
        stream: &'static str,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The probe ran but its output is unusable.
    #[error(
        "the probe on {host} exited with code {exit_code} and its output could not be read: {source}; stderr: {stderr}"
    )]
    Output {
        /// Host.
        host: String,
        /// Exit code.
        exit_code: i32,
        /// Why.
        source: ProbeError,
        /// First 500 characters of stderr.
        stderr: String,
    },
}

impl WinrmTarget {
    fn port(&self) -> u16 {
        self.port.unwrap_or(if self.https { 5986 } else { 5985 })
    }
}

/// Maps a winrm-rs error to what the examiner must check.
pub fn map_error(target: &WinrmTarget, error: WinrmError) -> WinrmRunError {
    let host = target.host.clone();
    match error {
        WinrmError::AuthFailed(message) => WinrmRunError::Auth {
            host,
            user: if target.domain.is_empty() {
                target.username.clone()
            } else {
                format!("{}\\{}", target.domain, target.username)
            },
            message,
        },
        WinrmError::Ntlm(e) => WinrmRunError::Auth {
            host,
            user: target.username.clone(),
            message: e.to_string(),
        },
        WinrmError::Timeout(seconds) => WinrmRunError::Timeout { host, seconds },
        WinrmError::Http(e) if e.is_timeout() => WinrmRunError::Timeout {
            host,
            seconds: target.connect_timeout.as_secs(),
        },
        WinrmError::Http(e) => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            let failure = crate::link::classify(&e);
            if e.is_connect() {
                WinrmRunError::Connect {
                    host,
                    port: target.port(),
                    message,
                    failure,
                }
            } else {
                WinrmRunError::Protocol {
                    host,
                    message: format!(
                        "{message} (the port answered but not as a WinRM HTTP listener: check the port and HTTP/HTTPS)"
                    ),
                    failure,
                }
            }
        }
        other => WinrmRunError::Protocol {
            host,
            message: other.to_string(),
            failure: crate::link::LinkFailure::Other,
        },
    }
}

/// The bootstrap PowerShell: read `<script>.<request>` (both base64) from stdin, decode the
/// script (UTF-8), turn the request JSON into `-Files`/`-HeadBytes`, run with the arguments.
pub fn bootstrap_script(rsop_user: Option<&str>) -> String {
    let args = rsop_user
        .map(|u| format!(" -RsopUser '{}'", u.replace('\'', "''")))
        .unwrap_or_default();
    format!(
        "$ErrorActionPreference='Stop';$p=([Console]::In.ReadToEnd() -replace '\\s','') -split '\\.';\
         $t=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($p[0]));$a=@{{}};\
         if($p.Count -gt 1 -and $p[1]){{$r=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($p[1]))|ConvertFrom-Json;\
         if(@($r.paths).Count){{$a.Files=[string[]]@($r.paths)}};if($r.head_bytes){{$a.HeadBytes=[int]$r.head_bytes}}}};\
         & ([scriptblock]::Create($t)) @a{args}"
    )
}

/// The command line run by WinRS: `powershell.exe … -EncodedCommand <UTF-16LE base64>`.
pub fn bootstrap_command(rsop_user: Option<&str>) -> (String, Vec<String>) {
    let utf16: Vec<u8> = bootstrap_script(rsop_user)
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    (
        "powershell.exe".to_owned(),
        [
            "-NoProfile",
            "-NonInteractive",
            "-ExecutionPolicy",
            "Bypass",
            "-EncodedCommand",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([STANDARD.encode(utf16)])
        .collect(),
    )
}

/// What stdin carries: the script as base64, `.`, the file request JSON as base64.
pub fn stdin_payload(script: &str, files: &FileRequest) -> String {
    let request = serde_json::to_vec(files).unwrap_or_default();
    format!(
        "{}.{}",
        STANDARD.encode(script.as_bytes()),
        STANDARD.encode(request)
    )
}

/// The stdin payload (script and request, see [`stdin_payload`]) split into chunks.
pub fn script_chunks(script: &str, files: &FileRequest, chunk_size: usize) -> Vec<Vec<u8>> {
    let encoded = stdin_payload(script, files);
    encoded
        .as_bytes()
        .chunks(chunk_size.max(4))
        .map(<[u8]>::to_vec)
        .collect()
}

/// Runs the probe and returns its exit code, stdout and stderr.
pub async fn run_probe(target: &WinrmTarget) -> Result<(i32, String, String), WinrmRunError> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = WinrmConfig {
        port: target.port(),
        use_tls: target.https,
        accept_invalid_certs: target.insecure_tls,
        connect_timeout_secs: target.connect_timeout.as_secs().max(1),
        operation_timeout_secs: 60,
        auth_method: AuthMethod::Ntlm,
        encryption: if target.https {
            EncryptionMode::Never
        } else {
            EncryptionMode::Auto
        },
        ..WinrmConfig::default()
    };
    let credentials =
        WinrmCredentials::new(&target.username, target.password.expose(), &target.domain);
    let client = WinrmClient::new(config, credentials).map_err(|e| map_error(target, e))?;
    let run = async {
        let shell = client.open_shell(&target.host).await?;
        let (program, args) = bootstrap_command(target.rsop_user.as_deref());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let command = shell.start_command(&program, &args).await?;
        for chunk in script_chunks(PROBE_SCRIPT, &target.files, CHUNK_SIZE) {
            shell.send_input(&command, &chunk, false).await?;
        }
        shell.send_input(&command, b"", true).await?;
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let mut stderr_total = 0u64;
        let exit_code = loop {
            let output = shell.receive_next(&command).await?;
            let over = if stdout.len() as u64 + output.stdout.len() as u64 > target.output_limit {
                Some("stdout")
            } else {
                stderr_total += output.stderr.len() as u64;
                (stderr_total > target.output_limit).then_some("stderr")
            };
            if let Some(stream) = over {
                let _ = shell.close().await;
                return Ok(Err(WinrmRunError::OutputTooLarge {
                    host: target.host.clone(),
                    stream,
                    limit: target.output_limit,
                }));
            }
            stdout.extend(output.stdout);
            keep_tail(&mut stderr, &output.stderr);
            if output.done {
                break output.exit_code.unwrap_or(-1);
            }
        };
        let _ = shell.close().await;
        Ok::<_, WinrmError>(Ok((
            exit_code,
            String::from_utf8_lossy(&stdout).into_owned(),
            String::from_utf8_lossy(&stderr).into_owned(),
        )))
    };
    match tokio::time::timeout(target.timeout, run).await {
        Err(_) => Err(WinrmRunError::Timeout {
            host: target.host.clone(),
            seconds: target.timeout.as_secs(),
        }),
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(map_error(target, e)),
    }
}

/// Appends `data` to `tail`, keeping only the last [`STDERR_TAIL`] bytes.
fn keep_tail(tail: &mut Vec<u8>, data: &[u8]) {
    tail.extend_from_slice(&data[data.len().saturating_sub(STDERR_TAIL)..]);
    let excess = tail.len().saturating_sub(STDERR_TAIL);
    tail.drain(..excess);
}

/// Runs the probe and normalises its output into a snapshot.
pub async fn collect_windows(target: &WinrmTarget) -> Result<Snapshot, WinrmRunError> {
    let (exit_code, stdout, stderr) = run_probe(target).await?;
    let mut snapshot = normalise_probe_output(&stdout).map_err(|source| WinrmRunError::Output {
        host: target.host.clone(),
        exit_code,
        source,
        stderr: stderr.chars().take(500).collect(),
    })?;
    snapshot.collection.transport = Some(match (target.https, target.insecure_tls) {
        (true, true) => "winrm https, certificate NOT verified (insecure chosen)".to_owned(),
        (true, false) => "winrm https, certificate verified".to_owned(),
        (false, _) => "winrm http, NTLM message encryption".to_owned(),
    });
    Ok(snapshot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    fn target(port: u16) -> WinrmTarget {
        WinrmTarget {
            host: "127.0.0.1".to_owned(),
            port: Some(port),
            https: false,
            insecure_tls: false,
            username: "Administrateur".to_owned(),
            domain: "TSSR".to_owned(),
            password: Secret::new("P@ssw0rd"),
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
            rsop_user: None,
            output_limit: 1 << 20,
            files: FileRequest::default(),
        }
    }

    #[test]
    fn bootstrap_fits_cmd_line_and_script_round_trips() {
        let (program, args) = bootstrap_command(Some("TSSR\\j'dupont"));
        let line = format!("{program} {}", args.join(" "));
        assert!(line.len() < CMD_LINE_LIMIT, "{} chars", line.len());
        assert!(
            PROBE_SCRIPT.len() > 3000,
            "the probe would not fit in -EncodedCommand"
        );
        // Paths with quotes, spaces and accents never reach the command line: they travel
        // on stdin, after the script, as base64 JSON.
        let files = FileRequest {
            paths: vec![
                "C:\\Scripts\\Export-Comptes.ps1".to_owned(),
                "C:\\Partages\\Comptabilité d'Élodie\\notes.txt".to_owned(),
            ],
            head_bytes: Some(8192),
            sections: None,
            home_paths: Vec::new(),
            without: Vec::new(),
        };
        let chunks = script_chunks(PROBE_SCRIPT, &files, CHUNK_SIZE);
        assert!(chunks.iter().all(|c| c.len() <= CHUNK_SIZE));
        let joined = String::from_utf8(chunks.concat()).unwrap_or_default();
        let (script, request) = joined.split_once('.').unwrap_or_default();
        let decoded = STANDARD.decode(script).unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&decoded), PROBE_SCRIPT);
        let request: FileRequest =
            serde_json::from_slice(&STANDARD.decode(request).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(request, files);
        let (_, args) = bootstrap_command(None);
        assert!(!args.concat().contains("Scripts"));
        assert!(bootstrap_script(Some("TSSR\\j'dupont")).ends_with("-RsopUser 'TSSR\\j''dupont'"));
        assert!(bootstrap_script(None).contains("$a.Files=[string[]]@($r.paths)"));
    }

    #[test]
    fn stderr_keeps_only_its_tail() {
        let mut tail = Vec::new();
        for _ in 0..40 {
            keep_tail(&mut tail, &[b'x'; 1000]);
        }
        keep_tail(&mut tail, b"cause");
        assert_eq!(tail.len(), STDERR_TAIL);
        assert!(tail.ends_with(b"xcause"));
        keep_tail(&mut tail, &vec![b'y'; 3 * STDERR_TAIL]);
        assert_eq!(tail, vec![b'y'; STDERR_TAIL]);
    }

    /// Serves `answers` to successive connections on 127.0.0.1 (loopback only).
    fn serve(answers: Vec<&'static [u8]>) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        std::thread::spawn(move || {
            for answer in answers {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let mut buffer = [0u8; 65536];
                let _ = stream.read(&mut buffer);
                let _ = stream.write_all(answer);
            }
        });
        port
    }

    fn error_of(port: u16) -> String {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        match runtime.block_on(run_probe(&target(port))) {
            Ok(_) => "succeeded".to_owned(),
            Err(e) => {
                let kind = match &e {
                    WinrmRunError::Auth { .. } => "auth",
                    WinrmRunError::Connect { .. } => "connect",
                    WinrmRunError::Timeout { .. } => "timeout",
                    WinrmRunError::Protocol { .. } => "protocol",
                    WinrmRunError::Output { .. } => "output",
                    WinrmRunError::OutputTooLarge { .. } => "too large",
                };
                // Port numbers differ per run.
                format!(
                    "{kind}: {}",
                    e.to_string().replace(&port.to_string(), "PORT")
                )
            }
        }
    }

    #[test]
    fn failures_are_mapped() {
        let unauthorized: &[u8] = b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let garbage: &[u8] = b"SSH-2.0-OpenSSH_9.2\r\n";
        let closed = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
            listener.local_addr().map(|a| a.port()).unwrap_or(0)
        };
        insta::assert_yaml_snapshot!((
            error_of(serve(vec![unauthorized, unauthorized, unauthorized])),
            error_of(serve(vec![garbage, garbage, garbage])),
            error_of(closed),
        ));
    }
}
