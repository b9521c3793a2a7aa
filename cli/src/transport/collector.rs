//! The seam every transport shares: what a collection needs ([`CollectContext`]), what comes
//! back ([`Collected`], checked by [`validate_snapshot`]) and the trait plugged-in transports
//! implement ([`RemoteCollector`]). [`super::collect_host`] dispatches to them.

use super::host_error::{HostError, HostErrorKind};
use super::known_hosts::KnownHosts;
use crate::credentials::CredentialStore;
use crate::i18n::tf;
use crate::inventory::HostTarget;
use crate::secret::Secret;
use constat_snapshot::FileRequest;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// What every transport needs besides the host.
#[derive(Clone)]
pub struct CollectContext {
    /// Credentials by name.
    pub credentials: Arc<CredentialStore>,
    /// Host keys of the session.
    pub known_hosts: Arc<KnownHosts>,
    /// Refuse unknown host keys.
    pub strict_host_keys: bool,
    /// Time limit to connect.
    pub connect_timeout: Duration,
    /// Time limit for the whole host.
    pub host_timeout: Duration,
    /// Files the agent reports on (never the pack itself).
    pub request: FileRequest,
    /// Collectors for other transports (WinRM, LDAP), by kind.
    pub plugged: BTreeMap<&'static str, Arc<dyn RemoteCollector>>,
    /// The session's id: files uploaded to a host are named `/tmp/constat-<tag>-…` with a
    /// tag derived from it and the host, so that every later run on that host removes the
    /// stale ones it owns (and nothing else). `None` outside a session (`collect`).
    pub session_id: Option<String>,
}

/// A snapshot as returned by a host.
#[derive(Debug, Clone)]
pub struct Collected {
    /// The snapshot JSON, exactly as the agent printed it (already validated).
    pub json: Vec<u8>,
    /// SSH exec round trips used (0 for local).
    pub round_trips: u32,
    /// Files of an earlier, interrupted run of this session removed from the host's /tmp.
    pub removed_stale: Vec<String>,
}

/// The future a plugged collector returns.
pub type CollectFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Collected, HostError>> + Send + 'a>>;

/// A transport implemented elsewhere (WinRM, LDAP): the seam they plug into.
pub trait RemoteCollector: Send + Sync {
    /// Collects `target`.
    fn collect<'a>(&'a self, target: &'a HostTarget, ctx: &'a CollectContext) -> CollectFuture<'a>;
}

impl CollectContext {
    /// The password named `cred`, from the store (environment, 0600 file or prompt); a
    /// missing one is a `credentials` host error naming it, never a panic.
    pub(crate) fn password(&self, cred: &str) -> Result<Secret, HostError> {
        self.credentials
            .get(cred)
            .map_err(|e| HostError::new(HostErrorKind::Credentials, format!("{e:#}")))
    }

    /// The password of a transport that cannot work without one (LDAP bind, WinRM NTLM):
    /// no `cred:` in the inventory is the error `needs_key` (with the host).
    pub(crate) fn required_password(
        &self,
        target: &HostTarget,
        needs_key: &str,
    ) -> Result<Secret, HostError> {
        let Some(cred) = &target.cred else {
            return Err(HostError::new(
                HostErrorKind::Credentials,
                tf(needs_key, &[("host", &target.label())]),
            ));
        };
        self.password(cred)
    }
}

impl Collected {
    /// Serialises a snapshot built in this process (local agent, LDAP, WinRM) the way the
    /// agent prints it, and validates it like any remote output.
    pub(crate) fn from_snapshot(
        snapshot: &constat_snapshot::Snapshot,
        round_trips: u32,
    ) -> Result<Collected, HostError> {
        let mut json = serde_json::to_vec_pretty(snapshot)
            .map_err(|e| HostError::new(HostErrorKind::Other, e.to_string()))?;
        json.push(b'\n');
        validate_snapshot(&json)?;
        Ok(Collected {
            json,
            round_trips,
            removed_stale: Vec::new(),
        })
    }
}

/// Checks that `json` is a snapshot; otherwise a `bad_output` error quoting its first bytes.
/// Invalid UTF-8 is refused here, with its byte offset, so that a snapshot the reports could
/// not read is never recorded as collected.
pub(crate) fn validate_snapshot(json: &[u8]) -> Result<(), HostError> {
    let start = |bytes: &[u8]| -> String {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(320)]);
        let start: String = text.chars().take(80).collect();
        format!("{start:?}")
    };
    let text = std::str::from_utf8(json).map_err(|e| {
        HostError::new(
            HostErrorKind::BadOutput,
            tf(
                "transport.invalid_utf8",
                &[("offset", &e.valid_up_to()), ("start", &start(json))],
            ),
        )
    })?;
    constat_snapshot::Snapshot::from_json(text)
        .map(|_| ())
        .map_err(|e| {
            HostError::new(
                HostErrorKind::BadOutput,
                tf(
                    "transport.bad_output",
                    &[
                        ("error", &super::cause::snapshot(&e, text)),
                        ("start", &start(json)),
                    ],
                ),
            )
        })
}
