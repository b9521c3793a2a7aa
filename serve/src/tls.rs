//! TLS with rustls: a self-signed certificate generated on first start (rcgen) and kept in
//! the data directory (`tls/cert.pem`, `tls/key.pem` in 0600), and its SHA-256 fingerprint,
//! which the trainer gives learners for `constat check --submit … --pin SHA256`.

use crate::random::hex;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The certificate or key is not usable.
    #[error(
        "{path}: {message}; delete the tls/ folder of the data directory to generate a new certificate"
    )]
    Invalid {
        /// File.
        path: String,
        /// Cause.
        message: String,
    },
    /// Generation failed.
    #[error("cannot generate a certificate: {0}")]
    Generate(String),
}

/// The server's TLS configuration and certificate fingerprint.
pub struct TlsMaterial {
    /// For the acceptor.
    pub config: Arc<rustls::ServerConfig>,
    /// SHA-256 of the certificate (DER), lower-case hex.
    pub fingerprint: String,
}

/// SHA-256 of a certificate's DER, lower-case hex: what `--pin` compares.
pub fn fingerprint(der: &[u8]) -> String {
    hex(&Sha256::digest(der))
}

/// A fingerprint as typed (`AB:CD…`, spaces, `sha256:` prefix) in canonical form.
pub fn normalise_fingerprint(typed: &str) -> Option<String> {
    let text = typed.trim();
    let text = text
        .strip_prefix("sha256:")
        .or_else(|| text.strip_prefix("SHA256:"))
        .unwrap_or(text);
    let hex: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some(hex)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TlsError + '_ {
    move |source| TlsError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Loads the certificate of `dir` (`dir/tls`), generating it for `names` first when absent.
pub fn load_or_create(dir: &Path, names: Vec<String>) -> Result<TlsMaterial, TlsError> {
    let tls_dir = dir.join("tls");
    let cert_path = tls_dir.join("cert.pem");
    let key_path = tls_dir.join("key.pem");
    if !cert_path.exists() || !key_path.exists() {
        crate::private_fs::create_private_dir(&tls_dir).map_err(io(&tls_dir))?;
        let generated = rcgen::generate_simple_self_signed(names)
            .map_err(|e| TlsError::Generate(e.to_string()))?;
        crate::private_fs::write_private(
            &key_path,
            generated.signing_key.serialize_pem().as_bytes(),
        )
        .map_err(io(&key_path))?;
        crate::private_fs::write_private(&cert_path, generated.cert.pem().as_bytes())
            .map_err(io(&cert_path))?;
    }
    let invalid = |path: &Path, message: String| TlsError::Invalid {
        path: path.display().to_string(),
        message,
    };
    let cert_pem = std::fs::read(&cert_path).map_err(io(&cert_path))?;
    let key_pem = std::fs::read(&key_path).map_err(io(&key_path))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| invalid(&cert_path, e.to_string()))?;
    let first = certs
        .first()
        .ok_or_else(|| invalid(&cert_path, "no certificate".to_owned()))?;
    let fingerprint = fingerprint(first.as_ref());
    let key =
        PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| invalid(&key_path, e.to_string()))?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| invalid(&cert_path, e.to_string()))?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(|e| invalid(&key_path, e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsMaterial {
        config: Arc::new(config),
        fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_is_generated_once_and_its_fingerprint_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path(), vec!["localhost".into()]).unwrap();
        let again = load_or_create(dir.path(), vec!["localhost".into()]).unwrap();
        assert_eq!(first.fingerprint, again.fingerprint);
        assert_eq!(first.fingerprint.len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("tls/key.pem"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let typed = first
            .fingerprint
            .to_uppercase()
            .as_bytes()
            .chunks(2)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(":");
        assert_eq!(
            normalise_fingerprint(&typed),
            Some(first.fingerprint.clone())
        );
        assert_eq!(normalise_fingerprint("abc"), None);
    }
}
