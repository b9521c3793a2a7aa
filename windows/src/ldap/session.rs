//! An authenticated LDAP session: TLS setup (LDAPS, StartTLS or plain when asked), simple
//! bind, and paged searches that skip continuation referrals and count round trips.

use crate::error::{BindFailure, CollectError};
use crate::ldap::target::{LdapTarget, TlsPolicy};
use crate::link::{self, LinkFailure};
use ldap3::controls::{ControlType, MakeCritical, PagedResults, RawControl};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError, Scope, SearchEntry};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Most entries one collection accepts (a lab directory has a few hundred).
pub const MAX_ENTRIES: u32 = 200_000;
/// Largest attribute value accepted, in bytes (photos and certificates included).
pub const MAX_VALUE_BYTES: usize = 4 << 20;
/// Most bytes of names and values one collection accepts.
pub const MAX_TOTAL_BYTES: u64 = 128 << 20;

/// Round-trip counters of a collection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LdapStats {
    /// Logical searches issued.
    pub searches: u32,
    /// Search requests sent (one per page).
    pub pages: u32,
    /// Entries received (referrals excluded).
    pub entries: u32,
    /// Bytes of names and values received.
    #[serde(skip)]
    pub bytes: u64,
}

/// One entry with lower-cased attribute names; binary values kept as bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// Distinguished name.
    pub dn: String,
    /// Text values by lower-cased attribute name.
    pub attrs: HashMap<String, Vec<String>>,
    /// Binary (non-UTF-8) values by lower-cased attribute name.
    pub bin: HashMap<String, Vec<Vec<u8>>>,
}

impl Entry {
    /// Converts an ldap3 entry.
    pub fn from_search(entry: SearchEntry) -> Entry {
        Entry {
            dn: entry.dn,
            attrs: entry
                .attrs
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            bin: entry
                .bin_attrs
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        }
    }

    /// First text value.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.attrs
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// First value as owned text, empty values dropped.
    pub fn string(&self, name: &str) -> Option<String> {
        self.str(name).filter(|s| !s.is_empty()).map(str::to_owned)
    }

    /// All text values.
    pub fn strs(&self, name: &str) -> Vec<String> {
        self.attrs.get(name).cloned().unwrap_or_default()
    }

    /// First value parsed as an integer.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.str(name).and_then(|s| s.trim().parse().ok())
    }

    /// First value as bytes, whichever map the library put it in (a binary value that
    /// happens to be valid UTF-8 lands among the text values).
    pub fn bytes(&self, name: &str) -> Option<Vec<u8>> {
        self.bin
            .get(name)
            .and_then(|v| v.first().cloned())
            .or_else(|| self.str(name).map(|s| s.as_bytes().to_vec()))
    }

    /// All values as bytes.
    pub fn all_bytes(&self, name: &str) -> Vec<Vec<u8>> {
        let mut values: Vec<Vec<u8>> = self.bin.get(name).cloned().unwrap_or_default();
        values.extend(self.strs(name).into_iter().map(String::into_bytes));
        values
    }
}

/// Bytes of an entry's names and values; `Err` names a value over [`MAX_VALUE_BYTES`].
fn entry_size(entry: &Entry) -> Result<u64, String> {
    let mut total = entry.dn.len() as u64;
    let text = entry
        .attrs
        .iter()
        .flat_map(|(k, v)| v.iter().map(move |v| (k, v.len())));
    let bin = entry
        .bin
        .iter()
        .flat_map(|(k, v)| v.iter().map(move |v| (k, v.len())));
    for (name, len) in text.chain(bin) {
        if len > MAX_VALUE_BYTES {
            return Err(format!(
                "a value of {len} bytes for attribute {name} of {} (limit {} MiB)",
                entry.dn,
                MAX_VALUE_BYTES >> 20
            ));
        }
        total += (name.len() + len) as u64;
    }
    Ok(total)
}

/// A bound session.
pub struct Session {
    ldap: Ldap,
    page_size: i32,
    /// Counters.
    pub stats: LdapStats,
}

fn hint_for_io(message: &str) -> &'static str {
    if message.contains("refused") {
        "nothing listens there: check the address and port (636 for ldaps://, 389 for ldap://)"
    } else if message.contains("unreachable") || message.contains("No route") {
        "the network cannot reach the host: check the address and the route"
    } else if message.contains("certificate") || message.contains("Certificate") {
        "the server certificate was rejected: give its CA with the CA-file option, or choose insecure explicitly for a lab DC"
    } else {
        "check the URL, the port and that the DC is running"
    }
}

/// What a ldap3 failure says about the link, from its typed variants.
fn link_failure(error: &LdapError) -> LinkFailure {
    match error {
        LdapError::Io { source } => link::from_io(source).unwrap_or(LinkFailure::Other),
        LdapError::Timeout { .. } => LinkFailure::TimedOut,
        // The connection's driver stopped: the server closed the link, or sent what is not
        // LDAP (the driver stops on an undecodable answer).
        LdapError::ResultRecv { .. } | LdapError::OpSend { .. } | LdapError::EndOfStream => {
            LinkFailure::Closed
        }
        LdapError::Rustls { source } => link::from_tls(source),
        other => link::classify(other),
    }
}

impl Session {
    /// Connects and binds.
    pub async fn open(
        target: &LdapTarget,
        page_size: i32,
        timeout: Duration,
    ) -> Result<Session, CollectError> {
        // ldap3 builds rustls configs with the process-wide provider; when other crates
        // enable another provider rustls cannot choose (stack.md §9). Ignore "already set".
        let _ = rustls::crypto::ring::default_provider().install_default();
        let url = target.url.as_str();
        let lower = url.to_ascii_lowercase();
        let ldaps = lower.starts_with("ldaps://");
        if !ldaps && !lower.starts_with("ldap://") {
            return Err(CollectError::Target {
                url: url.to_owned(),
                message: "the URL must start with ldaps:// or ldap://".to_owned(),
            });
        }
        if ldaps && target.tls == TlsPolicy::Plain {
            return Err(CollectError::Target {
                url: url.to_owned(),
                message: "ldaps:// always uses TLS: choose a certificate policy (verify or insecure), or use ldap:// for plain text".to_owned(),
            });
        }
        let mut settings = LdapConnSettings::new()
            .set_conn_timeout(timeout)
            .set_starttls(!ldaps && target.tls != TlsPolicy::Plain);
        match &target.tls {
            TlsPolicy::Insecure => settings = settings.set_no_tls_verify(true),
            TlsPolicy::Verify {
                ca_file: Some(path),
            } => {
                settings = settings.set_config(Arc::new(client_config(path, url)?));
            }
            TlsPolicy::Verify { ca_file: None } | TlsPolicy::Plain => {}
        }
        let (conn, mut ldap) = LdapConnAsync::with_settings(settings, url)
            .await
            .map_err(|e| {
                let message = e.to_string();
                CollectError::Connect {
                    url: url.to_owned(),
                    message: format!("{message} ({})", hint_for_io(&message)),
                    failure: link_failure(&e),
                }
            })?;
        ldap3::drive!(conn);
        ldap.with_timeout(timeout);
        let result = ldap
            .simple_bind(&target.bind_dn, target.password.expose())
            .await
            .map_err(|e| CollectError::Bind {
                url: url.to_owned(),
                bind_dn: target.bind_dn.clone(),
                message: e.to_string(),
                failure: BindFailure::Link(link_failure(&e)),
            })?;
        if result.rc != 0 {
            let hint = match result.rc {
                49 => "wrong account or password (or the account is disabled/locked)",
                8 => {
                    "the server requires TLS for simple binds: use ldaps:// or StartTLS (do not choose plain)"
                }
                _ => "see the server diagnostic",
            };
            return Err(CollectError::Bind {
                url: url.to_owned(),
                bind_dn: target.bind_dn.clone(),
                message: format!("result code {} {}: {hint}", result.rc, result.text.trim()),
                failure: match result.rc {
                    49 => BindFailure::InvalidCredentials,
                    8 => BindFailure::TlsRequired,
                    rc => BindFailure::Result(rc),
                },
            });
        }
        Ok(Session {
            ldap,
            page_size,
            stats: LdapStats::default(),
        })
    }

    /// Paged search. `Ok(None)` when the base does not exist (result 32), so optional
    /// containers (PSOs, DNS partitions) can be told apart from errors.
    pub async fn search(
        &mut self,
        what: &str,
        base: &str,
        scope: Scope,
        filter: &str,
        attrs: &[&str],
    ) -> Result<Option<Vec<Entry>>, CollectError> {
        self.search_inner(what, base, scope, filter, attrs, false)
            .await
    }

    /// [`Session::search`] with the `LDAP_SERVER_SD_FLAGS` control (OWNER | GROUP | DACL), so
    /// that `nTSecurityDescriptor` comes back to an account that may not read the SACL.
    pub async fn search_with_sd(
        &mut self,
        what: &str,
        base: &str,
        scope: Scope,
        filter: &str,
        attrs: &[&str],
    ) -> Result<Option<Vec<Entry>>, CollectError> {
        self.search_inner(what, base, scope, filter, attrs, true)
            .await
    }

    async fn search_inner(
        &mut self,
        what: &str,
        base: &str,
        scope: Scope,
        filter: &str,
        attrs: &[&str],
        sd_flags: bool,
    ) -> Result<Option<Vec<Entry>>, CollectError> {
        self.stats.searches += 1;
        let mut entries = Vec::new();
        let mut cookie = Vec::new();
        let error = |message: String| CollectError::Search {
            what: what.to_owned(),
            base: base.to_owned(),
            message,
        };
        let too_large = |message: String| CollectError::TooLarge {
            what: what.to_owned(),
            base: base.to_owned(),
            message,
        };
        loop {
            self.stats.pages += 1;
            let control = PagedResults {
                size: self.page_size,
                cookie: std::mem::take(&mut cookie),
            };
            let mut controls: Vec<RawControl> = vec![control.critical().into()];
            if sd_flags {
                controls.push(sd_flags_control());
            }
            let result = self
                .ldap
                .with_controls(controls)
                .search(base, scope, filter, attrs.to_vec())
                .await
                .map_err(|e: LdapError| error(e.to_string()))?;
            let (raw, status) = (result.0, result.1);
            if status.rc == 32 {
                return Ok(None);
            }
            // 10 = referral: the server points elsewhere for part of the tree; ignored.
            if status.rc != 0 && status.rc != 10 {
                return Err(error(format!(
                    "result code {} {}",
                    status.rc,
                    status.text.trim()
                )));
            }
            for entry in raw {
                if entry.is_ref() || entry.is_intermediate() {
                    continue; // continuation referrals (DomainDnsZones, Configuration): not chased
                }
                self.stats.entries += 1;
                let entry = Entry::from_search(SearchEntry::construct(entry));
                self.stats.bytes += entry_size(&entry).map_err(&too_large)?;
                if self.stats.entries > MAX_ENTRIES {
                    return Err(too_large(format!("more than {MAX_ENTRIES} entries")));
                }
                if self.stats.bytes > MAX_TOTAL_BYTES {
                    return Err(too_large(format!(
                        "more than {} MiB of names and values",
                        MAX_TOTAL_BYTES >> 20
                    )));
                }
                entries.push(entry);
            }
            cookie = status
                .ctrls
                .iter()
                .find(|c| matches!(c.0, Some(ControlType::PagedResults)))
                .map(|c| c.1.parse::<PagedResults>().cookie)
                .unwrap_or_default();
            if cookie.is_empty() {
                break;
            }
        }
        Ok(Some(entries))
    }

    /// Unbinds, ignoring errors (the collection is done).
    pub async fn close(mut self) {
        let _ = self.ldap.unbind().await;
    }
}

/// `LDAP_SERVER_SD_FLAGS_OID` ([MS-ADTS] 3.1.1.3.4.1.11) asking for OWNER, GROUP and DACL
/// (not the SACL, which needs a privilege): BER `SEQUENCE { INTEGER 7 }`. Not critical, so a
/// server that ignores it still answers.
fn sd_flags_control() -> RawControl {
    RawControl {
        ctype: "1.2.840.113556.1.4.801".to_owned(),
        crit: false,
        val: Some(vec![0x30, 0x03, 0x02, 0x01, 0x07]),
    }
}

fn client_config(path: &std::path::Path, url: &str) -> Result<rustls::ClientConfig, CollectError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let error = |message: String| CollectError::Target {
        url: url.to_owned(),
        message,
    };
    let mut roots = rustls::RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| error(format!("cannot read CA file {}: {e}", path.display())))?;
    for cert in certs {
        let cert = cert.map_err(|e| error(format!("CA file {}: {e}", path.display())))?;
        roots
            .add(cert)
            .map_err(|e| error(format!("CA file {}: {e}", path.display())))?;
    }
    if roots.is_empty() {
        return Err(error(format!(
            "CA file {} holds no PEM certificate",
            path.display()
        )));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| error(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_size_counts_names_and_values_and_refuses_huge_values() {
        let mut entry = Entry {
            dn: "CN=a".to_owned(),
            ..Entry::default()
        };
        entry.attrs.insert("cn".to_owned(), vec!["a".to_owned()]);
        entry.bin.insert("objectsid".to_owned(), vec![vec![0; 28]]);
        assert_eq!(entry_size(&entry), Ok(4 + 3 + 37));
        entry
            .bin
            .insert("jpegphoto".to_owned(), vec![vec![0; MAX_VALUE_BYTES + 1]]);
        let error = entry_size(&entry).unwrap_err();
        assert!(
            error.contains("attribute jpegphoto of CN=a (limit 4 MiB)"),
            "{error}"
        );
    }
}
