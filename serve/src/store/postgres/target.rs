//! Where the PostgreSQL store connects: the `--database` URL parsed once, the password
//! added from a credential source (never from the URL, which shows in `ps` and shell
//! histories), the TLS mode decided, and the URL as it may be shown (no password, ever).

use super::tls::RustlsConnector;
use crate::store::StoreError;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use tokio_postgres::config::{Host, SslMode};

/// Time to open a connection (TCP, TLS, authentication).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// `application_name` of the pool's connections.
pub const POOL_APPLICATION: &str = "constat-serve";
/// `application_name` of the connection that LISTENs for other instances' events.
pub const LISTENER_APPLICATION: &str = "constat-serve-listen";
/// Longest a statement may run on the server before PostgreSQL cancels it.
pub const STATEMENT_TIMEOUT_MS: u64 = 15_000;

/// A parsed `postgres://` target.
#[derive(Clone)]
pub struct PgTarget {
    config: tokio_postgres::Config,
    shown: String,
    tls: RustlsConnector,
    verified: bool,
}

impl std::fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgTarget")
            .field("url", &self.shown)
            .finish_non_exhaustive()
    }
}

fn invalid(url_shown: &str, message: impl Into<String>) -> StoreError {
    StoreError::Open {
        path: url_shown.to_owned(),
        message: message.into(),
    }
}

/// The value of `sslmode` in a URL's query or a `key=value` string, as written.
fn written_sslmode(url: &str) -> Option<&str> {
    let start = url.find("sslmode=")? + "sslmode=".len();
    let rest = &url[start..];
    let end = rest
        .find(|c: char| c == '&' || c.is_whitespace())
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Whether every host is this machine (loopback address, `localhost` or a Unix socket).
fn all_local(hosts: &[Host]) -> bool {
    !hosts.is_empty()
        && hosts.iter().all(|h| match h {
            Host::Tcp(name) => {
                name == "localhost"
                    || name
                        .trim_matches(['[', ']'])
                        .parse::<std::net::IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback())
            }
            #[cfg(unix)]
            Host::Unix(_) => true,
        })
}

impl PgTarget {
    /// Parses `url` (`postgres://user@host:port/db?sslmode=require`). `password` comes from
    /// a credential source; a password written in the URL is refused.
    ///
    /// TLS: `sslmode=require` encrypts and refuses a server without TLS (the certificate is
    /// not verified, as libpq's `require`); `sslmode=verify-full` also verifies it (see
    /// [`PgTarget::parse_verified`]); `disable` never encrypts; without `sslmode`, a
    /// loopback or Unix-socket server is reached in clear and any other one with TLS when
    /// it offers it (`prefer`). `verify-ca` is refused with a clear error.
    pub fn parse(url: &str, password: Option<&str>) -> Result<PgTarget, StoreError> {
        PgTarget::parse_verified(url, password, None)
    }

    /// [`PgTarget::parse`], where `sslmode=verify-full` trusts the certificates of
    /// `ca_file` (PEM; `--database-ca`), or the system's roots without it, and checks that
    /// the server's certificate names the URL's host. A CA file with another `sslmode` is
    /// refused (it would silently not be used).
    pub fn parse_verified(
        url: &str,
        password: Option<&str>,
        ca_file: Option<&Path>,
    ) -> Result<PgTarget, StoreError> {
        let written = written_sslmode(url);
        if let Some(other) =
            written.filter(|m| !matches!(*m, "disable" | "prefer" | "require" | "verify-full"))
        {
            return Err(invalid(
                "--database",
                format!(
                    "sslmode={other} is not supported: use verify-full (the server's \
                     certificate verified against --database-ca or the system's roots, and its \
                     host name checked), require (encrypted, the certificate not verified, as \
                     libpq's require), prefer or disable"
                ),
            ));
        }
        let verified = written == Some("verify-full");
        if let Some(ca) = ca_file.filter(|_| !verified) {
            return Err(invalid(
                "--database-ca",
                format!(
                    "{} is used only with sslmode=verify-full: add ?sslmode=verify-full to the \
                     URL, or leave --database-ca out",
                    ca.display()
                ),
            ));
        }
        // tokio-postgres knows `require`; the verification is this connector's.
        let url = if verified {
            url.replacen("sslmode=verify-full", "sslmode=require", 1)
        } else {
            url.to_owned()
        };
        let url = url.as_str();
        let mut config = tokio_postgres::Config::from_str(url).map_err(|e| {
            // The parser's message never quotes the URL; keep it that way.
            invalid(
                "--database",
                format!("not a PostgreSQL URL ({e}); expected postgres://USER@HOST:PORT/DATABASE"),
            )
        })?;
        let shown = shown_url(&config, written);
        if config.get_password().is_some() {
            return Err(invalid(
                &shown,
                "a password in the URL would show in the process list and the shell history; \
                 remove it and give it in PGPASSWORD or with --database-cred NAME",
            ));
        }
        if config.get_hosts().is_empty() {
            return Err(invalid(&shown, "the URL names no host"));
        }
        if config.get_user().is_none() {
            return Err(invalid(
                &shown,
                "the URL names no user: postgres://USER@HOST/DATABASE",
            ));
        }
        if written.is_none() {
            let mode = if all_local(config.get_hosts()) {
                SslMode::Disable
            } else {
                SslMode::Prefer
            };
            config.ssl_mode(mode);
        }
        if let Some(password) = password {
            config.password(password);
        }
        config
            .connect_timeout(CONNECT_TIMEOUT)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30))
            .application_name(POOL_APPLICATION)
            .options(format!("-c statement_timeout={STATEMENT_TIMEOUT_MS}"));
        let tls = if verified {
            let named = ca_file.map_or_else(
                || "the system's CA roots".to_owned(),
                |ca| format!("--database-ca {}", ca.display()),
            );
            RustlsConnector::verified(ca_file)
                .map_err(|message| invalid(&shown, format!("{named}: {message}")))?
        } else {
            RustlsConnector::new()
        };
        Ok(PgTarget {
            config,
            shown,
            tls,
            verified,
        })
    }

    /// The URL without password, for logs, pages and errors.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Whether TLS is required.
    pub fn tls_required(&self) -> bool {
        self.config.get_ssl_mode() == SslMode::Require
    }

    /// Whether the server's certificate and host name are verified (`sslmode=verify-full`).
    pub fn tls_verified(&self) -> bool {
        self.verified
    }

    /// The same target for the live-update listener: its own application name, so that an
    /// administrator (or a test) tells its connection from the pool's in `pg_stat_activity`.
    pub(super) fn for_listener(&self) -> PgTarget {
        let mut target = self.clone();
        target.config.application_name(LISTENER_APPLICATION);
        target
    }

    /// Opens one connection, within [`CONNECT_TIMEOUT`].
    pub(super) async fn connect(
        &self,
    ) -> Result<
        (
            tokio_postgres::Client,
            tokio_postgres::Connection<
                tokio_postgres::Socket,
                super::tls::RustlsStream<tokio_postgres::Socket>,
            >,
        ),
        String,
    > {
        let connecting = self.config.connect(self.tls.clone());
        match tokio::time::timeout(CONNECT_TIMEOUT + Duration::from_secs(1), connecting).await {
            Ok(Ok(pair)) => Ok(pair),
            Ok(Err(e)) => Err(connect_message(&e)),
            Err(_) => Err(format!(
                "no answer within {} s",
                CONNECT_TIMEOUT.as_secs() + 1
            )),
        }
    }
}

/// A connection error in words, with the fix when it is a usual one.
fn connect_message(e: &tokio_postgres::Error) -> String {
    let text = match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                text = format!("{text}: {cause}");
                source = cause.source();
            }
            text
        }
    };
    if text.contains("password authentication failed") || text.contains("no password") {
        format!("{text} (give the password in PGPASSWORD or with --database-cred NAME)")
    } else if text.contains("server does not support TLS") {
        format!("{text} (sslmode=require needs `ssl = on` in the server's postgresql.conf)")
    } else if text.contains("invalid peer certificate") || text.contains("UnknownIssuer") {
        format!(
            "{text} (sslmode=verify-full: the server's certificate must be signed by the CA \
             of --database-ca, or one of the system's, and name the host of the URL)"
        )
    } else {
        text
    }
}

/// `postgres://user@host:port,host2:port2/db[?sslmode=…]`, never with a password.
fn shown_url(config: &tokio_postgres::Config, sslmode: Option<&str>) -> String {
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let name = match h {
                Host::Tcp(name) if name.contains(':') && !name.starts_with('[') => {
                    format!("[{name}]")
                }
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(path) => path.display().to_string(),
            };
            match ports.get(i).or(ports.first()) {
                Some(port) => format!("{name}:{port}"),
                None => name,
            }
        })
        .collect();
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let db = config.get_dbname().unwrap_or("");
    let query = sslmode.map(|m| format!("?sslmode={m}")).unwrap_or_default();
    format!("postgres://{user}{}/{db}{query}", hosts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_url_never_has_a_password() {
        let target =
            PgTarget::parse("postgres://constat@127.0.0.1:5433/classes", Some("S3cret!")).unwrap();
        assert_eq!(target.shown(), "postgres://constat@127.0.0.1:5433/classes");
        assert!(!format!("{target:?}").contains("S3cret"));
        assert!(!target.tls_required());
    }

    #[test]
    fn a_password_in_the_url_is_refused_without_being_repeated() {
        let error = PgTarget::parse("postgres://constat:S3cret!@db.example:5432/classes", None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("PGPASSWORD"), "{error}");
        assert!(!error.contains("S3cret"), "{error}");
        assert!(
            error.contains("postgres://constat@db.example:5432/classes"),
            "{error}"
        );
    }

    #[test]
    fn tls_is_off_on_loopback_preferred_elsewhere_and_required_when_asked() {
        let local = PgTarget::parse("postgres://u@localhost/db", None).unwrap();
        assert_eq!(local.config.get_ssl_mode(), SslMode::Disable);
        let remote = PgTarget::parse("postgres://u@db.example/db", None).unwrap();
        assert_eq!(remote.config.get_ssl_mode(), SslMode::Prefer);
        let required =
            PgTarget::parse("postgres://u@127.0.0.1:5432/db?sslmode=require", None).unwrap();
        assert!(required.tls_required());
        assert_eq!(
            required.shown(),
            "postgres://u@127.0.0.1:5432/db?sslmode=require"
        );
    }

    #[test]
    fn verify_full_needs_usable_roots_and_a_ca_file_needs_verify_full() {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, "no certificate here").unwrap();
        let url = "postgres://u@db.example/db?sslmode=verify-full";
        let error = PgTarget::parse_verified(url, None, Some(&ca))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("--database-ca") && error.contains("no certificate in it"),
            "{error}"
        );
        assert!(
            error.contains("sslmode=verify-full"),
            "the URL as written: {error}"
        );
        let error = PgTarget::parse_verified(
            "postgres://u@db.example/db?sslmode=require",
            None,
            Some(&ca),
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("used only with sslmode=verify-full"),
            "{error}"
        );
    }

    #[test]
    fn unsupported_or_malformed_urls_say_what_to_write() {
        let error = PgTarget::parse("postgres://u@db.example/db?sslmode=verify-ca", None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("verify-ca is not supported"), "{error}");
        assert!(error.contains("verify-full"), "{error}");
        let error = PgTarget::parse("postgres://u@h:notaport/db", None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("postgres://USER@HOST"), "{error}");
        let error = PgTarget::parse("postgres://h/db", None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("no user"), "{error}");
    }
}
