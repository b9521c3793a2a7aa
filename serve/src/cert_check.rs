//! Client-side TLS certificate checks shared by constat's own clients: a certificate
//! decision ([`CertificateDecision`]: any certificate, as libpq's `sslmode=require`; one
//! pinned fingerprint, as `constat check --submit --pin`) wrapped in a rustls verifier that
//! still checks the handshake signatures with the provider's algorithms ([`Checked`]), and
//! the roots a verified connection trusts ([`roots`]: a CA file, else the system's).

use rustls::RootCertStore;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Largest CA file read (a bundle of a few hundred certificates fits).
pub const MAX_CA_FILE_BYTES: u64 = 4 << 20;

/// What to accept of the server's end-entity certificate (the chain and name are not
/// looked at: a verified connection uses rustls' WebPKI verifier instead).
pub trait CertificateDecision: std::fmt::Debug + Send + Sync {
    /// `Ok` to go on with the handshake.
    fn decide(&self, end_entity: &CertificateDer<'_>) -> Result<(), rustls::Error>;
}

/// Any certificate (libpq's `sslmode=require`: encrypted, the server not authenticated).
#[derive(Debug)]
pub struct AnyCertificate;

impl CertificateDecision for AnyCertificate {
    fn decide(&self, _end_entity: &CertificateDer<'_>) -> Result<(), rustls::Error> {
        Ok(())
    }
}

/// The one certificate whose SHA-256 (lower-case hex) is pinned.
#[derive(Debug)]
pub struct PinnedCertificate(pub String);

impl CertificateDecision for PinnedCertificate {
    fn decide(&self, end_entity: &CertificateDer<'_>) -> Result<(), rustls::Error> {
        let seen = crate::tls::fingerprint(end_entity.as_ref());
        if seen == self.0 {
            Ok(())
        } else {
            Err(rustls::Error::General(format!(
                "the server certificate's SHA-256 is {seen}, not the pinned {}",
                self.0
            )))
        }
    }
}

/// A verifier deciding on the certificate with `D`, checking handshake signatures.
#[derive(Debug)]
pub struct Checked<D> {
    decision: D,
    provider: Arc<CryptoProvider>,
}

impl<D: CertificateDecision> Checked<D> {
    /// `decision` with `provider`'s signature algorithms.
    pub fn new(decision: D, provider: Arc<CryptoProvider>) -> Checked<D> {
        Checked { decision, provider }
    }
}

impl<D: CertificateDecision> ServerCertVerifier for Checked<D> {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.decision
            .decide(end_entity)
            .map(|()| ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The roots a verified connection trusts: the PEM certificates of `ca_file` (bounded in
/// size, at least one), else the system's (`SSL_CERT_FILE`/`SSL_CERT_DIR`, else the
/// platform's store). The error says what is wrong and where.
pub fn roots(ca_file: Option<&Path>) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    let Some(path) = ca_file else {
        let found = rustls_native_certs::load_native_certs();
        let (added, _) = store.add_parsable_certificates(found.certs);
        if added == 0 {
            let why = found
                .errors
                .first()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default();
            return Err(format!(
                "no CA certificate found in this system's store{why}: install the ca-certificates package or give the CA file"
            ));
        }
        return Ok(store);
    };
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let mut pem = Vec::new();
    file.take(MAX_CA_FILE_BYTES + 1)
        .read_to_end(&mut pem)
        .map_err(|e| format!("{shown}: {e}"))?;
    if pem.len() as u64 > MAX_CA_FILE_BYTES {
        return Err(format!(
            "{shown}: larger than {} MiB, not a CA file",
            MAX_CA_FILE_BYTES >> 20
        ));
    }
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{shown}: not PEM certificates ({e})"))?;
    if certs.is_empty() {
        return Err(format!(
            "{shown}: no certificate in it (expected -----BEGIN CERTIFICATE----- blocks)"
        ));
    }
    for cert in certs {
        store
            .add(cert)
            .map_err(|e| format!("{shown}: a certificate is not usable as a CA ({e})"))?;
    }
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_must_hold_pem_certificates_within_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let missing = roots(Some(&dir.path().join("absent.pem"))).unwrap_err();
        assert!(missing.contains("absent.pem"), "{missing}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let error = roots(Some(&empty)).unwrap_err();
        assert!(error.contains("no certificate in it"), "{error}");
        let huge = dir.path().join("huge.pem");
        std::fs::write(&huge, vec![b'a'; MAX_CA_FILE_BYTES as usize + 1]).unwrap();
        let error = roots(Some(&huge)).unwrap_err();
        assert!(error.contains("not a CA file"), "{error}");
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["db.example".to_owned()]).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = params.self_signed(&key).unwrap();
        let good = dir.path().join("ca.pem");
        std::fs::write(&good, ca.pem()).unwrap();
        assert_eq!(roots(Some(&good)).unwrap().len(), 1);
    }

    #[test]
    fn a_pin_accepts_only_its_certificate() {
        let cert = CertificateDer::from(vec![1u8, 2, 3]);
        let pin = crate::tls::fingerprint(&[1, 2, 3]);
        assert!(PinnedCertificate(pin).decide(&cert).is_ok());
        let error = PinnedCertificate("00".repeat(32))
            .decide(&cert)
            .unwrap_err();
        assert!(error.to_string().contains("not the pinned"), "{error}");
        assert!(AnyCertificate.decide(&cert).is_ok());
    }
}
