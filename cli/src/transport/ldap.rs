//! The `ldap` transport: the directory collector of `constat-windows` reads a domain
//! controller over LDAPS / StartTLS (and SYSVOL over SMB) into one `dc` snapshot; nothing is
//! installed on the DC.
//!
//! URL: `ldap://` when `tls: plain` or port 389 (StartTLS unless plain), `ldaps://` otherwise
//! (default port 636). The password comes from the credential store and is only handed to
//! the LDAP bind and to smbclient's stdin; it never reaches a message.

use super::collector::{CollectContext, CollectFuture, Collected, RemoteCollector};
use super::host_error::{HostError, HostErrorKind};
use crate::i18n::tf;
use crate::inventory::{HostTarget, TlsMode};
use constat_windows::error::CollectError;
use constat_windows::ldap::collect::collect_directory;
use constat_windows::ldap::target::{DirectoryOptions, LdapTarget, Secret, TlsPolicy};
use std::path::PathBuf;

/// Collects `ldap` hosts.
#[derive(Debug, Clone, Copy, Default)]
pub struct LdapCollector;

impl RemoteCollector for LdapCollector {
    fn collect<'a>(&'a self, target: &'a HostTarget, ctx: &'a CollectContext) -> CollectFuture<'a> {
        Box::pin(collect_ldap(target, ctx))
    }
}

/// The LDAP URL of a host: scheme from its TLS policy and port.
pub fn ldap_url(target: &HostTarget) -> String {
    let tls = target.tls.unwrap_or_default();
    let scheme = if tls == TlsMode::Plain || target.port == 389 {
        "ldap"
    } else {
        "ldaps"
    };
    let host = if target.address.contains(':') && !target.address.starts_with('[') {
        format!("[{}]", target.address)
    } else {
        target.address.clone()
    };
    format!("{scheme}://{host}:{}", target.port)
}

fn tls_policy(target: &HostTarget) -> TlsPolicy {
    match target.tls.unwrap_or_default() {
        TlsMode::Verify => TlsPolicy::Verify {
            ca_file: target.ca_file.as_ref().map(PathBuf::from),
        },
        TlsMode::Insecure => TlsPolicy::Insecure,
        TlsMode::Plain => TlsPolicy::Plain,
    }
}

/// Whether a connection failure is about the server's certificate.
fn is_tls_failure(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    [
        "certificate",
        "tls",
        "handshake",
        "unknownissuer",
        "ca file",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// Maps a collector failure to a host error kind and a translated message.
pub(super) fn map_collect_error(target: &HostTarget, error: CollectError) -> HostError {
    let host = target.label();
    let text = error.to_string();
    match error {
        CollectError::Target { .. } if is_tls_failure(&text) => HostError::new(
            HostErrorKind::Tls,
            tf("ldap.tls_refused", &[("host", &host), ("error", &text)]),
        ),
        CollectError::Target { .. } => HostError::new(
            HostErrorKind::Other,
            tf("ldap.target_invalid", &[("host", &host), ("error", &text)]),
        ),
        CollectError::Connect { .. } if is_tls_failure(&text) => HostError::new(
            HostErrorKind::Tls,
            tf("ldap.tls_refused", &[("host", &host), ("error", &text)]),
        ),
        CollectError::Connect { .. } if text.to_ascii_lowercase().contains("timed out") => {
            HostError::new(
                HostErrorKind::Timeout,
                tf("ldap.connect_failed", &[("host", &host), ("error", &text)]),
            )
        }
        CollectError::Connect { .. } => HostError::new(
            HostErrorKind::Unreachable,
            tf("ldap.connect_failed", &[("host", &host), ("error", &text)]),
        ),
        CollectError::Bind { .. } => HostError::new(
            HostErrorKind::AuthRefused,
            tf(
                "ldap.bind_refused",
                &[("host", &host), ("user", &target.user), ("error", &text)],
            ),
        ),
        CollectError::TooLarge { .. } => HostError::new(
            HostErrorKind::OutputTooLarge,
            tf("ldap.too_large", &[("host", &host), ("error", &text)]),
        ),
        CollectError::Timeout { seconds, .. } => HostError::new(
            HostErrorKind::Timeout,
            tf("ldap.timed_out", &[("host", &host), ("seconds", &seconds)]),
        ),
        _ => HostError::new(
            HostErrorKind::Other,
            tf("ldap.search_failed", &[("host", &host), ("error", &text)]),
        ),
    }
}

/// Collects one `ldap` host.
pub async fn collect_ldap(
    target: &HostTarget,
    ctx: &CollectContext,
) -> Result<Collected, HostError> {
    let password = ctx.required_password(target, "ldap.needs_cred")?;
    let ldap_target = LdapTarget {
        url: ldap_url(target),
        bind_dn: target.user.clone(),
        password: Secret::new(password.expose()),
        tls: tls_policy(target),
        base_dn: target.base_dn.clone(),
    };
    let options = DirectoryOptions {
        sysvol: target.sysvol,
        timeout: ctx.host_timeout,
        sysvol_timeout: ctx.host_timeout,
        ..DirectoryOptions::default()
    };
    let collection = collect_directory(&ldap_target, &options)
        .await
        .map_err(|e| map_collect_error(target, e))?;
    Collected::from_snapshot(&collection.snapshot, collection.stats.pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(tls: Option<TlsMode>, port: u16) -> HostTarget {
        HostTarget {
            candidate: "c01".to_owned(),
            role: "dc".to_owned(),
            transport: crate::inventory::TransportKind::Ldap,
            address: "10.0.1.10".to_owned(),
            port,
            user: "Administrator@tssr.lan".to_owned(),
            cred: Some("dc".to_owned()),
            key: None,
            agent_path: None,
            sudo: false,
            tls,
            ca_file: None,
            base_dn: None,
            sysvol: true,
            api_path: None,
            app_token_cred: None,
            output_limit: 1 << 20,
            expected_identity: Default::default(),
        }
    }

    #[test]
    fn url_follows_tls_and_port() {
        let urls: Vec<String> = [
            (None, 636),
            (Some(TlsMode::Insecure), 636),
            (Some(TlsMode::Verify), 389),
            (Some(TlsMode::Plain), 389),
            (Some(TlsMode::Verify), 3269),
        ]
        .into_iter()
        .map(|(tls, port)| ldap_url(&target(tls, port)))
        .collect();
        insta::assert_debug_snapshot!(urls);
    }

    #[test]
    fn errors_map_to_kinds() {
        let t = target(None, 636);
        let url = "ldaps://10.0.1.10:636".to_owned();
        let errors = vec![
            CollectError::Connect {
                url: url.clone(),
                message: "Connection refused (os error 111) (nothing listens there)".to_owned(),
            },
            CollectError::Connect {
                url: url.clone(),
                message: "invalid peer certificate: UnknownIssuer".to_owned(),
            },
            CollectError::Bind {
                url: url.clone(),
                bind_dn: "Administrator@tssr.lan".to_owned(),
                message: "result code 49 invalidCredentials".to_owned(),
            },
            CollectError::Timeout {
                url: url.clone(),
                seconds: 30,
            },
            CollectError::Search {
                what: "OUs".to_owned(),
                base: "DC=tssr,DC=lan".to_owned(),
                message: "busy".to_owned(),
            },
        ];
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let mapped: Vec<(HostErrorKind, String)> = errors
            .into_iter()
            .map(|e| {
                let h = map_collect_error(&t, e);
                (h.kind, h.message)
            })
            .collect();
        insta::assert_debug_snapshot!(mapped);
    }
}
