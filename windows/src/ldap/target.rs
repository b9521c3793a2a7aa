//! What to connect to and how: URL, bind account, password (never printed), TLS policy.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A password. Its `Debug` and `Display` print `***`; read it with [`Secret::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How the server certificate is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsPolicy {
    /// TLS, certificate verified against this CA bundle (PEM), or the system roots if `None`.
    Verify {
        /// CA certificates (PEM file).
        ca_file: Option<PathBuf>,
    },
    /// TLS without certificate verification (self-signed lab DC). Must be chosen
    /// explicitly; it is recorded in the snapshot metadata.
    Insecure,
    /// No TLS at all (`ldap://` on 389). Only when asked: the password crosses the network
    /// in clear, and AD/Samba refuse simple binds without TLS by default.
    Plain,
}

/// An LDAP endpoint and credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdapTarget {
    /// `ldaps://dc01.tssr.lan` (636) or `ldap://dc01.tssr.lan` (389, StartTLS unless
    /// [`TlsPolicy::Plain`]).
    pub url: String,
    /// Bind account: `Administrator@tssr.lan`, `TSSR\Administrator` or a DN.
    pub bind_dn: String,
    /// Password.
    pub password: Secret,
    /// Certificate policy.
    pub tls: TlsPolicy,
    /// Naming context to read; the rootDSE `defaultNamingContext` when `None`.
    pub base_dn: Option<String>,
}

/// Options of a directory collection.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryOptions {
    /// Also fetch and parse SYSVOL (GPO files) over SMB.
    pub sysvol: bool,
    /// Time limit of the LDAP part (connection included).
    pub timeout: Duration,
    /// Time limit of the SYSVOL download.
    pub sysvol_timeout: Duration,
    /// Page size of searches (AD caps it at 1000).
    pub page_size: i32,
}

impl Default for DirectoryOptions {
    fn default() -> Self {
        DirectoryOptions {
            sysvol: true,
            timeout: Duration::from_secs(120),
            sysvol_timeout: Duration::from_secs(120),
            page_size: 500,
        }
    }
}

/// How the connection was secured, as recorded in the snapshot metadata.
pub fn describe_security(target: &LdapTarget) -> String {
    let transport = if target.url.to_ascii_lowercase().starts_with("ldaps://") {
        "ldaps"
    } else if target.tls == TlsPolicy::Plain {
        "plain ldap (no TLS)"
    } else {
        "starttls"
    };
    match &target.tls {
        TlsPolicy::Verify {
            ca_file: Some(path),
        } => {
            format!("{transport}, certificate verified with {}", path.display())
        }
        TlsPolicy::Verify { ca_file: None } => {
            format!("{transport}, certificate verified with the system roots")
        }
        TlsPolicy::Insecure => format!("{transport}, certificate NOT verified (insecure chosen)"),
        TlsPolicy::Plain => transport.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let target = LdapTarget {
            url: "ldaps://10.204.0.10".to_owned(),
            bind_dn: "Administrator@tssr.lan".to_owned(),
            password: Secret::new("Passw0rd!TSSR"),
            tls: TlsPolicy::Insecure,
            base_dn: None,
        };
        let printed = format!("{target:?} {}", target.password);
        assert!(!printed.contains("Passw0rd"), "{printed}");
        assert!(printed.contains("***"));
        assert_eq!(
            describe_security(&target),
            "ldaps, certificate NOT verified (insecure chosen)"
        );
    }
}
