//! The SSH transport (russh): one connection per host, one exec round trip.
//!
//! The command ([`super::ssh_command`]) reads the request line (and, with `sudo`, the password
//! line) from stdin, writes the agent that follows on stdin to
//! `/tmp/constat-<tag>-<random>-agent` (mode 0700), runs it only if `uname -m` matches the
//! binary's architecture, with the request on its stdin (through `sudo -S` when asked: the
//! password is piped by the shell's builtin `printf`, never on a command line; the request
//! then goes through `…-request.json`), and removes what it wrote, all in the same command.
//! An installed `agent_path` is run as is (nothing sent but the request). In a session,
//! `<tag>` is derived from the session id and the host (`candidate/role`): a run that writes
//! files first removes the login account's own `/tmp/constat-<tag>-*` files left by an
//! interrupted earlier run of the same session on the same host (never anything else), and
//! reports their names. If the command never finished (time limit, lost connection), a last
//! `rm -f` is attempted.
//!
//! The agent is uploaded on every run, never cached on the host (issue 13 item 3, decided):
//! the rule is that nothing of ours outlives a run on the candidate's machine, and a binary
//! kept between a session's start and end phases would sit for the whole exam on a machine
//! where the candidate is root (a sha256 check before reuse cannot exclude a swap between the
//! check and the exec). The cost is bounded instead: the static `release-agent` build
//! (~3.2 MB, found first by `agent_binary.rs`) is read once per process and shared by every
//! host ([`super::agent_binary::load_agent`]), and it travels as gzip (~1.4 MB, under sshd's
//! 2 MiB channel window: `agent_gzip.rs`) in the same round trip as the request and the run: a
//! host costs one exec round trip whatever it had before.
//!
//! Host keys: trust on first use recorded in the session's `known_hosts`, or refusal of
//! unknown keys with `--strict-host-keys`; a changed key is always refused, showing both
//! fingerprints. A refused or reset connection is retried once; authentication failures are not.

use super::agent_binary::load_agent;
use super::bounded::{BoundedOutput, SMALL_OUTPUT, too_large};
use super::cause;
use super::collector::{CollectContext, Collected, validate_snapshot};
use super::host_error::{HostError, HostErrorKind};
use super::known_hosts::{KeyCheck, KnownHosts};
use super::ssh_command::{
    AgentSource, Packing, REMOVED_MARK, RemoteCollect, RemoteOutcome, quote, read_output,
};
use crate::i18n::tf;
use crate::inventory::HostTarget;
use crate::secret::Secret;
use russh::client::{self, Handle, KeyboardInteractiveAuthResponse};
use russh::keys::{HashAlg, PrivateKey, PrivateKeyWithHashAlg, PublicKey, PublicKeyOrCertificate};
use russh::{ChannelMsg, Disconnect};
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Time allowed for the last-chance cleanup of uploaded files.
const CLEANUP_LIMIT: Duration = Duration::from_secs(5);

struct KeyPolicy {
    host_field: String,
    known_hosts: Arc<KnownHosts>,
    strict: bool,
    issue: Arc<Mutex<Option<HostError>>>,
}

impl KeyPolicy {
    fn refuse(&self, error: HostError) -> bool {
        *self.issue.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
        false
    }

    fn decide(&self, key: &PublicKey) -> bool {
        let Ok(text) = key.to_openssh() else {
            return self.refuse(HostError::new(
                HostErrorKind::HostKey,
                tf("ssh.key_unreadable", &[("host", &self.host_field)]),
            ));
        };
        let fingerprint = key.fingerprint(HashAlg::Sha256);
        let check = self.known_hosts.check(&self.host_field, &text);
        if check != KeyCheck::Known
            && self
                .known_hosts
                .accepts(&self.host_field, &fingerprint.to_string())
        {
            // `--accept-host-key`: the examiner checked this fingerprint on the machine.
            return match self.known_hosts.replace(&self.host_field, &text) {
                Ok(()) => true,
                Err(e) => self.refuse(known_hosts_unwritable(&e)),
            };
        }
        match check {
            KeyCheck::Known => true,
            KeyCheck::Unknown if !self.strict => {
                match self.known_hosts.record(&self.host_field, &text) {
                    Ok(()) => true,
                    Err(e) => self.refuse(known_hosts_unwritable(&e)),
                }
            }
            KeyCheck::Unknown => {
                // Kept for `constat serve`, which words the refusal for its class page.
                self.known_hosts.refuse(&self.host_field, &text);
                self.refuse(HostError::new(
                    HostErrorKind::HostKey,
                    tf(
                        "ssh.key_unknown",
                        &[("host", &self.host_field), ("fingerprint", &fingerprint)],
                    ),
                ))
            }
            KeyCheck::Changed(recorded) => {
                self.known_hosts.refuse(&self.host_field, &text);
                let old = PublicKey::from_openssh(&recorded)
                    .map(|k| k.fingerprint(HashAlg::Sha256).to_string())
                    .unwrap_or(recorded);
                self.refuse(HostError::new(
                    HostErrorKind::HostKey,
                    tf(
                        "ssh.key_changed",
                        &[
                            ("host", &self.host_field),
                            ("old", &old),
                            ("new", &fingerprint),
                        ],
                    ),
                ))
            }
        }
    }
}

fn known_hosts_unwritable(error: &std::io::Error) -> HostError {
    HostError::new(
        HostErrorKind::Other,
        tf(
            "ssh.known_hosts_unwritable",
            &[("error", &cause::io(error))],
        ),
    )
}

impl client::Handler for KeyPolicy {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let public = match key {
            PublicKeyOrCertificate::PublicKey { key, .. } => key.clone(),
            PublicKeyOrCertificate::Certificate(cert) => PublicKey::from(cert.public_key().clone()),
        };
        Ok(self.decide(&public))
    }
}

struct ExecOutput {
    output: BoundedOutput,
    status: Option<u32>,
}

/// Collects one host over SSH.
pub async fn collect_ssh(
    target: &HostTarget,
    ctx: &CollectContext,
) -> Result<Collected, HostError> {
    let deadline = Instant::now() + ctx.host_timeout;
    let password = match &target.cred {
        Some(name) => Some(ctx.password(name)?),
        None => None,
    };
    let key = match &target.key {
        Some(path) => Some(russh::keys::load_secret_key(path, None).map_err(|e| {
            HostError::new(
                HostErrorKind::Credentials,
                tf(
                    "ssh.key_file",
                    &[("file", path), ("error", &cause::key_file(&e))],
                ),
            )
        })?),
        None => None,
    };
    let issue = Arc::new(Mutex::new(None));
    let mut handle = connect_with_retry(target, ctx, deadline, &issue).await?;
    let offer = tokio::time::timeout(
        remaining(deadline),
        super::ssh_offer::offered(&mut handle, &target.user),
    )
    .await
    .ok()
    .flatten();
    let handle = tokio::time::timeout(
        remaining(deadline),
        authenticate(handle, target, key, password.as_ref()),
    )
    .await
    .map_err(|_| timeout_error(ctx))??;
    let uploaded = Mutex::new(Vec::new());
    let mut round_trips = 0;
    let names = UploadNames::new(ctx.session_id.as_deref(), &target.label());
    let mut removed_stale = Vec::new();
    let result = tokio::time::timeout(
        remaining(deadline),
        run_agent(
            &handle,
            target,
            ctx,
            password.as_ref(),
            &Uploads {
                names: &names,
                uploaded: &uploaded,
            },
            &mut round_trips,
            &mut removed_stale,
        ),
    )
    .await
    .unwrap_or_else(|_| Err(timeout_error(ctx)));
    let leftovers = std::mem::take(&mut *uploaded.lock().unwrap_or_else(|p| p.into_inner()));
    if !leftovers.is_empty() {
        let command = format!("rm -f {}", leftovers.join(" "));
        let cleanup = exec(&handle, &command, &[], SMALL_OUTPUT, "rm -f");
        let _ = tokio::time::timeout(CLEANUP_LIMIT, cleanup).await;
    }
    let _ = handle.disconnect(Disconnect::ByApplication, "", "en").await;
    result.map(|json| Collected {
        json: super::ssh_offer::record(json, offer),
        round_trips,
        removed_stale,
    })
}

fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

fn timeout_error(ctx: &CollectContext) -> HostError {
    HostError::new(
        HostErrorKind::Timeout,
        tf(
            "ssh.host_timeout",
            &[("seconds", &ctx.host_timeout.as_secs())],
        ),
    )
}

fn is_transient(error: &russh::Error) -> bool {
    matches!(error, russh::Error::IO(e) if matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::ConnectionReset
    ))
}

async fn connect_with_retry(
    target: &HostTarget,
    ctx: &CollectContext,
    deadline: Instant,
    issue: &Arc<Mutex<Option<HostError>>>,
) -> Result<Handle<KeyPolicy>, HostError> {
    let config = Arc::new(client::Config {
        inactivity_timeout: Some(ctx.host_timeout),
        preferred: preferred_algorithms(),
        ..client::Config::default()
    });
    let mut attempt = 0;
    loop {
        attempt += 1;
        let policy = KeyPolicy {
            host_field: KnownHosts::host_field(&target.address, target.port),
            known_hosts: ctx.known_hosts.clone(),
            strict: ctx.strict_host_keys,
            issue: issue.clone(),
        };
        let limit = ctx.connect_timeout.min(remaining(deadline));
        let connecting = client::connect(
            config.clone(),
            (target.address.as_str(), target.port),
            policy,
        );
        match tokio::time::timeout(limit, connecting).await {
            Ok(Ok(handle)) => return Ok(handle),
            Ok(Err(e)) if attempt == 1 && is_transient(&e) => {
                tokio::time::sleep(Duration::from_millis(500).min(remaining(deadline))).await;
            }
            Ok(Err(e)) => {
                if let Some(refused) = issue.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    return Err(refused);
                }
                return Err(connect_error(target, &e));
            }
            Err(_) => {
                return Err(HostError::new(
                    HostErrorKind::Timeout,
                    tf(
                        "ssh.connect_timeout",
                        &[
                            ("address", &target.address),
                            ("port", &target.port),
                            ("seconds", &format!("{:.1}", limit.as_secs_f64())),
                        ],
                    ),
                ));
            }
        }
    }
}

/// russh's algorithms, with the cipher order chosen for this processor: where it has AES and
/// carry-less multiplication instructions, `aes256-gcm@openssh.com` first (ring's AES-GCM
/// seals the agent's 3 MB in about a fifth of the instructions ChaCha20-Poly1305 needs,
/// BENCHMARKS.md round 7); elsewhere russh's own order (ChaCha20-Poly1305 first, faster
/// without them). Both are AEADs OpenSSH offers by default; the server still has to accept one.
fn preferred_algorithms() -> russh::Preferred {
    let default = russh::Preferred::default();
    if !hardware_aes() {
        return default;
    }
    let mut ciphers = default.cipher.to_vec();
    if let Some(at) = ciphers
        .iter()
        .position(|c| *c == russh::cipher::AES_256_GCM)
    {
        let gcm = ciphers.remove(at);
        ciphers.insert(0, gcm);
    }
    russh::Preferred {
        cipher: ciphers.into(),
        ..default
    }
}

/// Whether AES-GCM runs on dedicated instructions here.
fn hardware_aes() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("aes")
            && std::arch::is_x86_feature_detected!("pclmulqdq")
    }
    #[cfg(target_arch = "aarch64")]
    {
        std::arch::is_aarch64_feature_detected!("aes")
            && std::arch::is_aarch64_feature_detected!("pmull")
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        false
    }
}

fn connect_error(target: &HostTarget, error: &russh::Error) -> HostError {
    let kind = match error {
        russh::Error::IO(_) | russh::Error::Disconnect | russh::Error::HUP => {
            HostErrorKind::Unreachable
        }
        russh::Error::ConnectionTimeout
        | russh::Error::InactivityTimeout
        | russh::Error::Elapsed(_) => HostErrorKind::Timeout,
        _ => HostErrorKind::Other,
    };
    HostError::new(
        kind,
        tf(
            "ssh.connect_failed",
            &[
                ("address", &target.address),
                ("port", &target.port),
                ("error", &cause::russh(error)),
            ],
        ),
    )
}

fn protocol_error(error: russh::Error) -> HostError {
    let kind = match &error {
        russh::Error::InactivityTimeout | russh::Error::Elapsed(_) => HostErrorKind::Timeout,
        russh::Error::IO(_) | russh::Error::Disconnect | russh::Error::HUP => {
            HostErrorKind::Unreachable
        }
        _ => HostErrorKind::Other,
    };
    HostError::new(
        kind,
        tf("ssh.protocol", &[("error", &cause::russh(&error))]),
    )
}

async fn authenticate(
    mut handle: Handle<KeyPolicy>,
    target: &HostTarget,
    key: Option<PrivateKey>,
    password: Option<&Secret>,
) -> Result<Handle<KeyPolicy>, HostError> {
    let mut tried = Vec::new();
    if let Some(key) = key {
        tried.push("publickey");
        // Only RSA keys need the server's preferred hash, and asking can wait up to 1 s for
        // the server's extension info.
        let hash = if key.algorithm().is_rsa() {
            handle
                .best_supported_rsa_hash()
                .await
                .map_err(protocol_error)?
                .flatten()
        } else {
            None
        };
        let result = handle
            .authenticate_publickey(
                &target.user,
                PrivateKeyWithHashAlg::new(Arc::new(key), hash),
            )
            .await
            .map_err(protocol_error)?;
        if result.success() {
            return Ok(handle);
        }
    }
    if let Some(password) = password {
        tried.push("password");
        let result = handle
            .authenticate_password(&target.user, password.expose())
            .await
            .map_err(protocol_error)?;
        if result.success() {
            return Ok(handle);
        }
        tried.push("keyboard-interactive");
        let mut reply = handle
            .authenticate_keyboard_interactive_start(&target.user, None)
            .await
            .map_err(protocol_error)?;
        for _ in 0..5 {
            match reply {
                KeyboardInteractiveAuthResponse::Success => return Ok(handle),
                KeyboardInteractiveAuthResponse::Failure { .. } => break,
                KeyboardInteractiveAuthResponse::InfoRequest { prompts, .. } => {
                    let answers = prompts
                        .iter()
                        .map(|_| password.expose().to_owned())
                        .collect();
                    reply = handle
                        .authenticate_keyboard_interactive_respond(answers)
                        .await
                        .map_err(protocol_error)?;
                }
            }
        }
    }
    Err(HostError::new(
        HostErrorKind::AuthRefused,
        tf(
            "ssh.auth_refused",
            &[("user", &target.user), ("methods", &tried.join(", "))],
        ),
    ))
}

/// Runs one command, feeding the `stdin` parts in order then end-of-file (the agent's bytes
/// are sent from the copy every host shares). Whatever the host sends is bounded:
/// past `limit` bytes on stdout (or on stderr, of which only a tail is kept) the channel is
/// closed and the command fails with `output_too_large`, naming `what`.
async fn exec(
    handle: &Handle<KeyPolicy>,
    command: &str,
    stdin: &[&[u8]],
    limit: u64,
    what: &str,
) -> Result<ExecOutput, HostError> {
    let channel = handle
        .channel_open_session()
        .await
        .map_err(protocol_error)?;
    channel.exec(true, command).await.map_err(protocol_error)?;
    // Stdin is written while the output is read: a host that floods its output without
    // reading its stdin must meet the output limit, not a stalled write (the SSH window of
    // our stdin never reopens while we wait on it).
    let (mut reader, writer) = channel.split();
    let send = async {
        for bytes in stdin.iter().filter(|b| !b.is_empty()) {
            writer.data(*bytes).await?;
        }
        writer.eof().await
    };
    tokio::pin!(send);
    let mut sending = true;
    let mut output = BoundedOutput::new(limit);
    let mut status = None;
    loop {
        let message = tokio::select! {
            // A host that closed its stdin early answers through its output and status.
            _ = &mut send, if sending => {
                sending = false;
                continue;
            }
            message = reader.wait() => message,
        };
        let Some(message) = message else { break };
        let pushed = match message {
            ChannelMsg::Data { data } => output.push_stdout(&data),
            ChannelMsg::ExtendedData { data, .. } => output.push_stderr(&data),
            ChannelMsg::ExitStatus { exit_status } => {
                status = Some(exit_status);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(stream) = pushed {
            let _ = writer.close().await;
            return Err(too_large(stream, limit, what));
        }
    }
    Ok(ExecOutput { output, status })
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = ((nanos as u64) ^ u64::from(std::process::id())).to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Names of the files uploaded to one host in one run.
struct UploadNames {
    /// `constat-<tag>-` in a session (what stale-file removal matches), else `constat-`.
    prefix: String,
    /// This run's `<prefix><random>-`.
    run: String,
    /// Whether earlier runs' files are looked for.
    sweep: bool,
}

impl UploadNames {
    fn new(session_id: Option<&str>, label: &str) -> UploadNames {
        let prefix = match session_id {
            Some(id) => format!(
                "constat-{}-",
                &crate::session::sha256_hex(format!("{id}\n{label}").as_bytes())[..12]
            ),
            None => "constat-".to_owned(),
        };
        let run = format!("{prefix}{}-", random_suffix());
        UploadNames {
            sweep: session_id.is_some(),
            prefix,
            run,
        }
    }

    fn path(&self, what: &str) -> String {
        format!("/tmp/{}{what}", self.run)
    }

    /// Shell that removes this session's stale files for this host (the login account's
    /// own regular files in /tmp, not this run's) and prints one `constat-removed <path>`
    /// line per file.
    fn sweep_command(&self) -> Option<String> {
        self.sweep.then(|| {
            format!(
                "find /tmp -maxdepth 1 -type f -user \"$(id -u)\" -name {own} ! -name {this} -print -delete 2>/dev/null | sed 's/^/{REMOVED_MARK}/'; ",
                own = quote(&format!("{}*", self.prefix)),
                this = quote(&format!("{}*", self.run)),
            )
        })
    }
}

/// This run's upload names and the paths written so far (removed at the end if the run's own
/// removal never ran).
struct Uploads<'a> {
    names: &'a UploadNames,
    uploaded: &'a Mutex<Vec<String>>,
}

/// One exec round trip: sends the request (and the agent, unless installed), runs it, removes
/// what was written, in the same command ([`RemoteCollect`]). Stale files of the session
/// swept on the way are added to `removed`.
async fn run_agent(
    handle: &Handle<KeyPolicy>,
    target: &HostTarget,
    ctx: &CollectContext,
    password: Option<&Secret>,
    uploads: &Uploads<'_>,
    round_trips: &mut u32,
    removed: &mut Vec<String>,
) -> Result<Vec<u8>, HostError> {
    let use_sudo = target.sudo && target.user != "root";
    if use_sudo && password.is_none() {
        return Err(HostError::new(
            HostErrorKind::Credentials,
            tf("ssh.sudo_needs_password", &[("host", &target.label())]),
        ));
    }
    let loaded = match &target.agent_path {
        Some(_) => None,
        None => {
            Some(load_agent().map_err(|message| HostError::new(HostErrorKind::NoAgent, message))?)
        }
    };
    let agent_path = uploads.names.path("agent");
    let request_path = uploads.names.path("request.json");
    // Stale files are swept by a run that writes files of its own (as before: only then
    // can an interrupted earlier run have left some).
    let writes = loaded.is_some() || use_sudo;
    let sweep = if writes {
        uploads.names.sweep_command()
    } else {
        None
    };
    let request = serde_json::to_vec(&ctx.request)
        .map_err(|e| HostError::new(HostErrorKind::Other, e.to_string()))?;
    // Gzip first; a host without `gzip` says so before writing anything, and is sent the
    // raw bytes in a second round trip (`agent_gzip.rs`).
    let mut packing = Packing::Gzip;
    let (status, stderr, outcome) = loop {
        // What this exec may write, for the last-chance removal if it never finishes; set
        // again for the raw retry, since a finished exec clears it.
        {
            let mut uploaded = uploads.uploaded.lock().unwrap_or_else(|p| p.into_inner());
            uploaded.clear();
            if loaded.is_some() {
                uploaded.push(quote(&agent_path));
            }
            if use_sudo {
                uploaded.push(quote(&request_path));
            }
        }
        let agent = match &target.agent_path {
            Some(installed) => AgentSource::Installed(installed),
            None => AgentSource::Upload {
                path: &agent_path,
                arch: loaded.as_ref().and_then(|l| l.binary.arch.as_deref()),
                packing,
            },
        };
        let remote = RemoteCollect {
            agent,
            sudo_request: use_sudo.then_some(request_path.as_str()),
            sweep: sweep.as_deref(),
        };
        let head = remote.stdin_head(&request, password.map(Secret::expose));
        let agent_bytes: Arc<[u8]> = match (&loaded, packing) {
            (Some(loaded), Packing::Gzip) => loaded.gzipped(),
            (Some(loaded), Packing::Raw) => loaded.bytes.clone(),
            (None, _) => Arc::from(&[][..]),
        };
        *round_trips += 1;
        let output = exec(
            handle,
            &remote.command(),
            &[&head, &agent_bytes],
            target.output_limit,
            "constat-agent collect",
        )
        .await;
        drop(head);
        let output = output?;
        if output.status.is_some() {
            uploads
                .uploaded
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clear();
        }
        let stderr = output.output.stderr_excerpt();
        let (swept, outcome) = read_output(output.output.into_stdout());
        removed.extend(swept);
        if outcome == RemoteOutcome::NoGzip && packing == Packing::Gzip && loaded.is_some() {
            packing = Packing::Raw;
            continue;
        }
        break (output.status, stderr, outcome);
    };
    let stdout = match outcome {
        RemoteOutcome::Ran(stdout) => stdout,
        RemoteOutcome::ArchMismatch(arch) => {
            let binary = loaded.as_ref().map(|l| &l.binary);
            return Err(HostError::new(
                HostErrorKind::NoAgent,
                tf(
                    "ssh.arch_mismatch",
                    &[
                        ("arch", &arch),
                        (
                            "path",
                            &binary
                                .map(|b| b.path.display().to_string())
                                .unwrap_or_default(),
                        ),
                        (
                            "binary_arch",
                            &binary
                                .and_then(|b| b.arch.clone())
                                .unwrap_or_else(|| "?".to_owned()),
                        ),
                    ],
                ),
            ));
        }
        // A second `no gzip` answer to the raw upload is a host that lies: named as a failed
        // upload, never retried again.
        RemoteOutcome::UploadFailed | RemoteOutcome::NoGzip => {
            return Err(HostError::new(
                HostErrorKind::AgentFailed,
                tf(
                    "ssh.upload_failed",
                    &[("path", &agent_path), ("stderr", &stderr)],
                ),
            ));
        }
    };
    if use_sudo
        && status != Some(0)
        && (stderr.contains("incorrect password")
            || stderr.contains("Sorry, try again")
            || stderr.contains("not in the sudoers")
            || stderr.contains("is not allowed"))
    {
        return Err(HostError::new(
            HostErrorKind::SudoRefused,
            tf(
                "ssh.sudo_refused",
                &[("user", &target.user), ("stderr", &stderr)],
            ),
        ));
    }
    match status {
        Some(0) => {}
        Some(code) => {
            return Err(HostError::new(
                HostErrorKind::AgentFailed,
                tf("ssh.agent_failed", &[("code", &code), ("stderr", &stderr)]),
            ));
        }
        None => {
            return Err(HostError::new(
                HostErrorKind::AgentFailed,
                tf("ssh.agent_no_status", &[("stderr", &stderr)]),
            ));
        }
    }
    validate_snapshot(&stdout)?;
    Ok(stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_named_by_session_and_host_and_only_those_are_swept() {
        let names = UploadNames::new(Some("tssr-2026-11"), "c01/linux");
        let other = UploadNames::new(Some("tssr-2026-11"), "c02/linux");
        assert_eq!(names.prefix.len(), "constat-".len() + 13);
        assert_ne!(names.prefix, other.prefix);
        assert!(
            names
                .path("agent")
                .starts_with(&format!("/tmp/{}", names.run))
        );
        let sweep = names.sweep_command().unwrap();
        let shown = sweep
            .replace(&names.run, "<run>-")
            .replace(&names.prefix, "<session-host>-");
        insta::assert_snapshot!(shown);
        assert_eq!(UploadNames::new(None, "-/host").sweep_command(), None);
    }
}
