//! The `ldap` transport: the directory collector of `constat-windows` reads a domain
//! controller over LDAPS / StartTLS (and SYSVOL over SMB) into one `dc` snapshot; nothing is
//! installed on the DC.
//!
//! URL: `ldap://` when `tls: plain` or port 389 (StartTLS unless plain), `ldaps://` otherwise
//! (default port 636). The password comes from the credential store and is only handed to
//! the LDAP bind and to smbclient's stdin; it never reaches a message.

use super::cause;
use super::collector::{CollectContext, CollectFuture, Collected, RemoteCollector};
use super::host_error::{HostError, HostErrorKind};
use crate::i18n::tf;
use crate::inventory::{HostTarget, TlsMode};
use constat_windows::error::{BindFailure, CollectError};
use constat_windows::ldap::collect::collect_directory;
use constat_windows::ldap::target::{DirectoryOptions, LdapTarget, Secret, TlsPolicy};
use constat_windows::link::LinkFailure;
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
/// The library's text without the English hint it appends in parentheses (ours replaces it):
/// the last balanced `( … )` group that ends the text, if it follows a space.
fn detail(message: &str) -> &str {
    if !message.ends_with(')') {
        return message;
    }
    let mut depth = 0usize;
    for (index, c) in message.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return match message[..index].strip_suffix(' ') {
                        Some(text) if !text.is_empty() => text,
                        _ => message,
                    };
                }
            }
            _ => {}
        }
    }
    message
}

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
        CollectError::Connect {
            failure, message, ..
        } => {
            let (kind, key) = match failure {
                LinkFailure::TlsNotSpoken => (HostErrorKind::Other, "ldap.connect_failed"),
                f if f.is_tls() => (HostErrorKind::Tls, "ldap.tls_refused"),
                LinkFailure::TimedOut => (HostErrorKind::Timeout, "ldap.connect_failed"),
                _ => (HostErrorKind::Unreachable, "ldap.connect_failed"),
            };
            HostError::new(
                kind,
                tf(
                    key,
                    &[
                        ("host", &host),
                        ("error", &cause::link(failure, detail(&message))),
                    ],
                ),
            )
        }
        CollectError::Bind {
            failure, message, ..
        } => {
            let phrase = cause::bind_phrase(failure);
            let (kind, key) = match failure {
                BindFailure::Link(LinkFailure::TimedOut) => {
                    (HostErrorKind::Timeout, "ldap.connect_failed")
                }
                BindFailure::Link(_) => (HostErrorKind::Other, "ldap.connect_failed"),
                _ => (HostErrorKind::AuthRefused, "ldap.bind_refused"),
            };
            HostError::new(
                kind,
                tf(
                    key,
                    &[
                        ("host", &host),
                        ("user", &target.user),
                        ("error", &cause::detailed(&phrase, &message)),
                    ],
                ),
            )
        }
        CollectError::TooLarge {
            what,
            base,
            message,
        } => HostError::new(
            HostErrorKind::OutputTooLarge,
            tf(
                "ldap.too_large",
                &[
                    ("host", &host),
                    (
                        "error",
                        &cause::detailed(
                            &tf("cause.ldap_too_large", &[("what", &what), ("base", &base)]),
                            &message,
                        ),
                    ),
                ],
            ),
        ),
        CollectError::Search {
            what,
            base,
            message,
        } => HostError::new(
            HostErrorKind::Other,
            tf(
                "ldap.search_failed",
                &[
                    ("host", &host),
                    (
                        "error",
                        &cause::detailed(
                            &tf("cause.ldap_search", &[("what", &what), ("base", &base)]),
                            &message,
                        ),
                    ),
                ],
            ),
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
    use crate::i18n::{Lang, with_lang};

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
    fn the_libraries_hint_is_cut_whole() {
        assert_eq!(
            detail("I/O error: refused (os error 111) (nothing there: check (636 for ldaps://))"),
            "I/O error: refused (os error 111)"
        );
        assert_eq!(
            detail("result recv error: channel closed"),
            "result recv error: channel closed"
        );
        assert_eq!(detail("(only a hint)"), "(only a hint)");
    }

    #[test]
    fn errors_map_to_kinds() {
        let t = target(None, 636);
        let url = "ldaps://10.0.1.10:636".to_owned();
        let errors = || {
            vec![
                CollectError::Connect {
                    url: url.clone(),
                    message: "Connection refused (os error 111) (nothing listens there)".to_owned(),
                    failure: LinkFailure::Refused,
                },
                CollectError::Connect {
                    url: url.clone(),
                    message: "invalid peer certificate: UnknownIssuer".to_owned(),
                    failure: LinkFailure::TlsUntrusted,
                },
                CollectError::Bind {
                    url: url.clone(),
                    bind_dn: "Administrator@tssr.lan".to_owned(),
                    message: "result code 49 invalidCredentials".to_owned(),
                    failure: BindFailure::InvalidCredentials,
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
            ]
        };
        let mapped: Vec<(HostErrorKind, String)> = with_lang(Lang::Fr, || {
            errors()
                .into_iter()
                .map(|e| map_collect_error(&t, e))
                .map(|h| (h.kind, h.message))
                .collect()
        });
        for (_, message) in &mapped {
            crate::one_language::assert_french_first(message);
        }
        let english: Vec<String> = with_lang(Lang::En, || {
            errors()
                .into_iter()
                .map(|e| map_collect_error(&t, e).message)
                .collect()
        });
        insta::assert_debug_snapshot!(mapped);
        insta::assert_debug_snapshot!("errors_map_to_kinds_en", english);
    }
}
