//! Integrity: `session sign` signs `manifest.json` with the examiner's ed25519 key (an
//! OpenSSH private key file); `session verify` checks every snapshot's sha256 against the
//! manifest and its sidecar, and the signature when there is one.

use super::atomic::{sha256_hex, write_atomically};
use super::layout::SessionDir;
use super::manifest::{HostStatus, Manifest};
use super::run::now_rfc3339;
use crate::errors::CliError;
use crate::i18n::{t, tf};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use russh::keys::PublicKey;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// `manifest.json.sig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignatureFile {
    /// Always `ed25519`.
    pub algorithm: String,
    /// The signer's public key, OpenSSH format.
    pub public_key: String,
    /// SHA-256 of the signed manifest bytes.
    pub manifest_sha256: String,
    /// Signature of the manifest bytes, hex.
    pub signature: String,
    /// When it was signed.
    pub signed_at: String,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    /// Snapshot files checked.
    pub files_checked: usize,
    /// `absent`, `valid` (public key) or `invalid`.
    pub signature: String,
    /// Signer's public key, when signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// Everything that does not match, one message each.
    pub problems: Vec<String>,
}

/// Signs the manifest of `dir` with the OpenSSH ed25519 private key at `key_path`.
pub fn sign_manifest(dir: &SessionDir, key_path: &Path) -> anyhow::Result<SignatureFile> {
    let shown = key_path.display().to_string();
    let key = russh::keys::load_secret_key(key_path, None).map_err(|e| {
        CliError::input(
            tf("sign.key_unreadable", &[("file", &shown), ("error", &e)]),
            t("sign.key_hint"),
        )
    })?;
    let Some(pair) = key.key_data().ed25519() else {
        return Err(CliError::input(
            tf("sign.not_ed25519", &[("file", &shown)]),
            t("sign.key_hint"),
        )
        .into());
    };
    let signing = SigningKey::from_bytes(&pair.private.to_bytes());
    let manifest = std::fs::read(dir.manifest()).map_err(|e| {
        anyhow::Error::new(e).context(tf(
            "sign.no_manifest",
            &[("file", &dir.manifest().display())],
        ))
    })?;
    let signature = signing.sign(&manifest);
    let public_key = key.public_key().to_openssh()?;
    let file = SignatureFile {
        algorithm: "ed25519".to_owned(),
        public_key,
        manifest_sha256: sha256_hex(&manifest),
        signature: hex(&signature.to_bytes()),
        signed_at: now_rfc3339(),
    };
    let mut text = serde_json::to_string_pretty(&file)?;
    text.push('\n');
    write_atomically(&dir.signature(), text.as_bytes())
        .map_err(|e| crate::errors::cannot_write(&dir.signature(), e))?;
    Ok(file)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Checks the session in `dir`; `expected_signer` (OpenSSH public key) requires a signature
/// by that key.
pub fn verify_session(
    dir: &SessionDir,
    expected_signer: Option<&str>,
) -> anyhow::Result<VerifyReport> {
    let manifest_bytes = std::fs::read(dir.manifest()).map_err(|e| {
        anyhow::Error::new(e).context(tf(
            "sign.no_manifest",
            &[("file", &dir.manifest().display())],
        ))
    })?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes).map_err(|e| {
        anyhow::Error::new(e).context(tf(
            "session.manifest_unreadable",
            &[("file", &dir.manifest().display())],
        ))
    })?;
    let mut report = VerifyReport {
        files_checked: 0,
        signature: "absent".to_owned(),
        signer: None,
        problems: Vec::new(),
    };
    for entry in &manifest.hosts {
        let (Some(file), Some(sha)) = (&entry.file, &entry.sha256) else {
            continue;
        };
        if entry.status != HostStatus::Collected && !dir.file(file).exists() {
            continue;
        }
        report.files_checked += 1;
        match std::fs::read(dir.file(file)) {
            Ok(bytes) => {
                let actual = sha256_hex(&bytes);
                if &actual != sha {
                    report
                        .problems
                        .push(tf("verify.sha_mismatch", &[("file", file)]));
                }
                let sidecar = std::fs::read_to_string(dir.file(&format!("{file}.sha256")))
                    .unwrap_or_default();
                if sidecar.split_whitespace().next() != Some(actual.as_str()) {
                    report
                        .problems
                        .push(tf("verify.sidecar_mismatch", &[("file", file)]));
                }
            }
            Err(e) => report
                .problems
                .push(tf("verify.missing", &[("file", file), ("error", &e)])),
        }
    }
    if let Some(problem) = super::notes::check_notes(dir, &manifest) {
        report.problems.push(problem);
    }
    match std::fs::read_to_string(dir.signature()) {
        Ok(text) => match check_signature(&text, &manifest_bytes) {
            Ok(signer) => {
                report.signature = "valid".to_owned();
                if let Some(expected) = expected_signer
                    && !same_key(expected, &signer)
                {
                    report.problems.push(t("verify.other_signer").to_owned());
                }
                report.signer = Some(signer);
            }
            Err(problem) => {
                report.signature = "invalid".to_owned();
                report.problems.push(problem);
            }
        },
        Err(_) if expected_signer.is_some() => {
            report.problems.push(t("verify.unsigned").to_owned());
        }
        Err(_) => {}
    }
    Ok(report)
}

fn same_key(a: &str, b: &str) -> bool {
    let material = |k: &str| k.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    material(a) == material(b)
}

fn check_signature(text: &str, manifest: &[u8]) -> Result<String, String> {
    let file: SignatureFile = serde_json::from_str(text)
        .map_err(|e| tf("verify.bad_signature_file", &[("error", &e)]))?;
    if file.manifest_sha256 != sha256_hex(manifest) {
        return Err(t("verify.manifest_changed").to_owned());
    }
    let public = PublicKey::from_openssh(&file.public_key)
        .map_err(|e| tf("verify.bad_signature_file", &[("error", &e)]))?;
    let Some(ed) = public.key_data().ed25519() else {
        return Err(tf(
            "verify.bad_signature_file",
            &[("error", &"not ed25519")],
        ));
    };
    let verifying = VerifyingKey::from_bytes(&ed.0)
        .map_err(|e| tf("verify.bad_signature_file", &[("error", &e)]))?;
    let bytes = unhex(&file.signature)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .ok_or_else(|| tf("verify.bad_signature_file", &[("error", &"signature")]))?;
    verifying
        .verify(manifest, &Signature::from_bytes(&bytes))
        .map_err(|_| t("verify.signature_invalid").to_owned())?;
    Ok(file.public_key)
}
