//! The `winrm` transport: the PowerShell probe of `constat-windows` run over WinRM
//! (NTLM over HTTP with message encryption by default, HTTPS with `tls: verify|insecure`).
//!
//! **Never run against a live Windows host**: no Windows machine can run in this lab. Only
//! the target building and the error mapping are tested here; the client itself is tested in
//! `constat-windows` against loopback listeners and recorded probe outputs.

use super::cause;
use super::collector::{CollectContext, CollectFuture, Collected, RemoteCollector};
use super::host_error::{HostError, HostErrorKind};
use crate::i18n::{t, tf};
use crate::inventory::{HostTarget, TlsMode};
use constat_windows::ldap::target::Secret;
use constat_windows::link::LinkFailure;
use constat_windows::winrm::{WinrmRunError, WinrmTarget, collect_windows};

/// Collects `winrm` hosts.
#[derive(Debug, Clone, Copy, Default)]
pub struct WinrmCollector;

impl RemoteCollector for WinrmCollector {
    fn collect<'a>(&'a self, target: &'a HostTarget, ctx: &'a CollectContext) -> CollectFuture<'a> {
        Box::pin(collect_winrm(target, ctx))
    }
}

/// Splits `DOMAIN\user` into (user, domain); other forms keep an empty domain.
fn split_account(account: &str) -> (String, String) {
    match account.split_once('\\') {
        Some((domain, user)) => (user.to_owned(), domain.to_owned()),
        None => (account.to_owned(), String::new()),
    }
}

/// The WinRM target of a host, password given.
pub(super) fn winrm_target(
    target: &HostTarget,
    ctx: &CollectContext,
    password: Secret,
) -> WinrmTarget {
    let (username, domain) = split_account(&target.user);
    let https = matches!(target.tls, Some(TlsMode::Verify | TlsMode::Insecure));
    WinrmTarget {
        host: target.address.clone(),
        port: Some(target.port),
        https,
        insecure_tls: target.tls == Some(TlsMode::Insecure),
        username,
        domain,
        password,
        connect_timeout: ctx.connect_timeout,
        timeout: ctx.host_timeout,
        rsop_user: None,
        // The pack's file requests for this host, as the SSH transport sends them.
        files: ctx.request.clone(),
        output_limit: target.output_limit,
    }
}

/// Maps a WinRM failure to a host error kind and a translated message.
pub(super) fn map_winrm_error(target: &HostTarget, error: WinrmRunError) -> HostError {
    let host = target.label();
    let text = error.to_string();
    let (kind, key) = match &error {
        WinrmRunError::Auth { .. } => (HostErrorKind::AuthRefused, "winrm.auth_refused"),
        WinrmRunError::Connect { failure, .. } => {
            let kind = match failure {
                LinkFailure::TlsNotSpoken => HostErrorKind::Other,
                f if f.is_tls() => HostErrorKind::Tls,
                _ => HostErrorKind::Unreachable,
            };
            return HostError::new(
                kind,
                tf(
                    "winrm.connect_failed",
                    &[("host", &host), ("error", &cause::link(*failure, &text))],
                ),
            );
        }
        WinrmRunError::Protocol { failure, .. } if *failure != LinkFailure::Other => {
            return HostError::new(
                HostErrorKind::Other,
                tf(
                    "winrm.protocol",
                    &[("host", &host), ("error", &cause::link(*failure, &text))],
                ),
            );
        }
        WinrmRunError::Timeout { seconds, .. } => {
            return HostError::new(
                HostErrorKind::Timeout,
                tf("winrm.timed_out", &[("host", &host), ("seconds", seconds)]),
            );
        }
        WinrmRunError::Output { .. } => (HostErrorKind::BadOutput, "winrm.bad_output"),
        WinrmRunError::OutputTooLarge { .. } => {
            (HostErrorKind::OutputTooLarge, "winrm.output_too_large")
        }
        _ => (HostErrorKind::Other, "winrm.protocol"),
    };
    HostError::new(
        kind,
        tf(
            key,
            &[
                ("host", &host),
                ("error", &cause::detailed(t(detail_phrase(key)), &text)),
            ],
        ),
    )
}

/// Our phrase before the library's text, for the failures worded by the key alone.
fn detail_phrase(key: &str) -> &'static str {
    match key {
        "winrm.auth_refused" => "cause.winrm_auth",
        "winrm.bad_output" => "cause.winrm_output",
        "winrm.output_too_large" => "cause.winrm_too_large",
        _ => "cause.winrm_protocol",
    }
}

/// Collects one `winrm` host.
pub async fn collect_winrm(
    target: &HostTarget,
    ctx: &CollectContext,
) -> Result<Collected, HostError> {
    let password = ctx.required_password(target, "winrm.needs_cred")?;
    let winrm = winrm_target(target, ctx, Secret::new(password.expose()));
    let snapshot = collect_windows(&winrm)
        .await
        .map_err(|e| map_winrm_error(target, e))?;
    Collected::from_snapshot(&snapshot, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_split_on_backslash() {
        assert_eq!(
            split_account("TSSR\\Administrateur"),
            ("Administrateur".to_owned(), "TSSR".to_owned())
        );
        assert_eq!(
            split_account("admin@tssr.lan"),
            ("admin@tssr.lan".to_owned(), String::new())
        );
    }

    #[test]
    fn errors_map_to_kinds() {
        let target = HostTarget {
            candidate: "c01".to_owned(),
            role: "server".to_owned(),
            transport: crate::inventory::TransportKind::Winrm,
            address: "10.0.1.10".to_owned(),
            port: 5985,
            user: "TSSR\\Administrateur".to_owned(),
            cred: Some("win".to_owned()),
            key: None,
            agent_path: None,
            sudo: false,
            tls: None,
            ca_file: None,
            base_dn: None,
            sysvol: true,
            api_path: None,
            app_token_cred: None,
            output_limit: 1 << 20,
            expected_identity: Default::default(),
        };
        let errors = vec![
            WinrmRunError::Auth {
                host: "10.0.1.10".to_owned(),
                user: "Administrateur".to_owned(),
                message: "HTTP 401".to_owned(),
            },
            WinrmRunError::Connect {
                host: "10.0.1.10".to_owned(),
                port: 5985,
                message: "Connection refused".to_owned(),
                failure: constat_windows::link::LinkFailure::Refused,
            },
            WinrmRunError::Timeout {
                host: "10.0.1.10".to_owned(),
                seconds: 30,
            },
            WinrmRunError::Protocol {
                host: "10.0.1.10".to_owned(),
                message: "s:Fault".to_owned(),
                failure: constat_windows::link::LinkFailure::Other,
            },
        ];
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let kinds: Vec<HostErrorKind> = errors
            .into_iter()
            .map(|e| map_winrm_error(&target, e).kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                HostErrorKind::AuthRefused,
                HostErrorKind::Unreachable,
                HostErrorKind::Timeout,
                HostErrorKind::Other,
            ]
        );
    }
}
