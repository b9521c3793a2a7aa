//! The submission protocol shared by `constat check --submit` (client) and the server.
//!
//! `POST /api/classes/{CODE}/submissions`, body = the snapshot JSON, with headers
//! `X-Constat-Learner` (learner id), `X-Constat-Role` (pack role), `X-Constat-Timestamp`
//! (Unix seconds at signing) and `X-Constat-Signature` (base64 ed25519 signature of
//! [`signed_message`]). The server accepts a signing time within [`MAX_CLOCK_SKEW_SECS`] of
//! its clock and strictly newer than the learner's last accepted one (no replay).
//!
//! `GET /api/classes/{CODE}/collect` answers the class's [`CollectionPlan`] (what to collect,
//! and the exact command).
//!
//! The learner key file (written by the learner from the enrolment page, mode 0600):
//!
//! ```text
//! # constat learner key: keep it private
//! class=K7MQ2XPA
//! learner=12
//! page=/l/<token>
//! secret=<base64url of the 32-byte ed25519 seed>
//! ```

use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// Header: learner id.
pub const HEADER_LEARNER: &str = "x-constat-learner";
/// Header: pack role the snapshot is for.
pub const HEADER_ROLE: &str = "x-constat-role";
/// Header: signing time, Unix seconds.
pub const HEADER_TIMESTAMP: &str = "x-constat-timestamp";
/// Header: base64 signature.
pub const HEADER_SIGNATURE: &str = "x-constat-signature";
/// How far a signing time may be from the server's clock.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

const CONTEXT: &str = "constat-submit-v1";

/// `GET /api/classes/{CODE}/collect`: what a learner's VM collects for its class. `constat
/// check --submit` without `--pack` reads it (a pasted pack exists only on the server). It
/// names sections and file paths (what the subject itself names), never an expected value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CollectionPlan {
    /// The class's enrolment code.
    pub class: String,
    /// The pack's id.
    pub pack: String,
    /// Whether the pack is the shipped one of that id, unchanged (`--pack ID` then works
    /// on the VM too).
    pub shipped: bool,
    /// Per pack role: the paths and sections to collect.
    pub roles: std::collections::BTreeMap<String, constat_snapshot::FileRequest>,
    /// The exact `constat check` command for this class (server address as the reader
    /// reached it, certificate pin).
    pub command: String,
}

/// The path of a class's [`CollectionPlan`].
pub fn collect_path(class: &str) -> String {
    format!("/api/classes/{class}/collect")
}

/// What a learner signs: the context, class, learner, role, time and the body's SHA-256.
pub fn signed_message(
    class: &str,
    learner: i64,
    role: &str,
    timestamp: i64,
    body: &[u8],
) -> Vec<u8> {
    let digest = crate::random::hex(&Sha256::digest(body));
    format!("{CONTEXT}\n{class}\n{learner}\n{role}\n{timestamp}\n{digest}").into_bytes()
}

/// Why a key file or a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// A line of the key file is wrong or missing.
    #[error("learner key: {0}")]
    File(String),
    /// The signature is not base64 of 64 bytes.
    #[error("the signature is not base64 of 64 bytes")]
    SignatureFormat,
    /// The stored public key is not a valid ed25519 key.
    #[error("the learner's public key is invalid")]
    PublicKey,
    /// The signature does not verify.
    #[error("the signature does not match the learner's key")]
    Mismatch,
}

/// A learner's signing key and where it belongs.
#[derive(Clone)]
pub struct LearnerKey {
    /// Enrolment code of the class.
    pub class: String,
    /// Learner id.
    pub learner: i64,
    /// Path of the learner's page on the server (`/l/<token>`), when known.
    pub page: Option<String>,
    signing: SigningKey,
}

impl std::fmt::Debug for LearnerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LearnerKey")
            .field("class", &self.class)
            .field("learner", &self.learner)
            .field("secret", &"***")
            .finish()
    }
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

impl LearnerKey {
    /// A key from a 32-byte seed.
    pub fn from_seed(
        class: String,
        learner: i64,
        page: Option<String>,
        seed: [u8; 32],
    ) -> LearnerKey {
        LearnerKey {
            class,
            learner,
            page,
            signing: SigningKey::from_bytes(&seed),
        }
    }

    /// The public key the server stores.
    pub fn public_key(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// The key file's text.
    pub fn to_file_text(&self) -> String {
        let mut text = format!(
            "# constat learner key: keep it private\nclass={}\nlearner={}\n",
            self.class, self.learner
        );
        if let Some(page) = &self.page {
            text.push_str(&format!("page={page}\n"));
        }
        text.push_str(&format!(
            "secret={}\n",
            b64().encode(self.signing.to_bytes())
        ));
        text
    }

    /// Reads a key file's text; every error says which line is wrong.
    pub fn parse(text: &str) -> Result<LearnerKey, KeyError> {
        let (mut class, mut learner, mut page, mut secret) = (None, None, None, None);
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(KeyError::File(format!(
                    "line {}: expected key=value",
                    n + 1
                )));
            };
            let value = value.trim();
            match key.trim() {
                "class" => class = Some(value.to_owned()),
                "learner" => {
                    learner = Some(value.parse::<i64>().map_err(|_| {
                        KeyError::File(format!("line {}: learner is not a number", n + 1))
                    })?)
                }
                "page" => page = Some(value.to_owned()),
                "secret" => {
                    let bytes = b64()
                        .decode(value)
                        .ok()
                        .and_then(|b| <[u8; 32]>::try_from(b).ok());
                    secret = Some(bytes.ok_or_else(|| {
                        KeyError::File(format!("line {}: secret is not base64 of 32 bytes", n + 1))
                    })?)
                }
                other => {
                    return Err(KeyError::File(format!(
                        "line {}: unknown key {other:?}",
                        n + 1
                    )));
                }
            }
        }
        let missing = |what: &str| KeyError::File(format!("no {what}= line"));
        Ok(LearnerKey::from_seed(
            class.ok_or_else(|| missing("class"))?,
            learner.ok_or_else(|| missing("learner"))?,
            page,
            secret.ok_or_else(|| missing("secret"))?,
        ))
    }

    /// The `X-Constat-Signature` of a submission.
    pub fn sign(&self, role: &str, timestamp: i64, body: &[u8]) -> String {
        let message = signed_message(&self.class, self.learner, role, timestamp, body);
        base64::engine::general_purpose::STANDARD.encode(self.signing.sign(&message).to_bytes())
    }
}

/// Verifies a submission's signature against the learner's stored public key.
pub fn verify(public_key: &[u8], signature_b64: &str, message: &[u8]) -> Result<(), KeyError> {
    let key = <[u8; 32]>::try_from(public_key).map_err(|_| KeyError::PublicKey)?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| KeyError::PublicKey)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(signature_b64.trim())
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .ok_or(KeyError::SignatureFormat)?;
    key.verify_strict(message, &Signature::from_bytes(&bytes))
        .map_err(|_| KeyError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> LearnerKey {
        LearnerKey::from_seed("K7MQ2XPA".into(), 12, Some("/l/abc".into()), [9; 32])
    }

    #[test]
    fn a_key_file_round_trips_and_signs() {
        let text = key().to_file_text();
        let back = LearnerKey::parse(&text).unwrap();
        assert_eq!(back.public_key(), key().public_key());
        assert_eq!(back.page.as_deref(), Some("/l/abc"));
        assert!(!format!("{back:?}").contains(&text.lines().last().unwrap()[7..]));
        let signature = back.sign("linux", 1000, b"{}");
        let message = signed_message("K7MQ2XPA", 12, "linux", 1000, b"{}");
        verify(&key().public_key(), &signature, &message).unwrap();
        // Any other body, role, time or learner does not verify.
        for other in [
            signed_message("K7MQ2XPA", 12, "linux", 1000, b"{ }"),
            signed_message("K7MQ2XPA", 12, "dc", 1000, b"{}"),
            signed_message("K7MQ2XPA", 12, "linux", 1001, b"{}"),
            signed_message("K7MQ2XPA", 13, "linux", 1000, b"{}"),
        ] {
            assert_eq!(
                verify(&key().public_key(), &signature, &other),
                Err(KeyError::Mismatch)
            );
        }
        assert_eq!(
            verify(&key().public_key(), "not base64!", &message),
            Err(KeyError::SignatureFormat)
        );
    }

    #[test]
    fn a_bad_key_file_says_which_line() {
        let error = LearnerKey::parse("class=A\nlearner=x\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "learner key: line 2: learner is not a number"
        );
        let error = LearnerKey::parse("class=A\nlearner=1\n").unwrap_err();
        assert_eq!(error.to_string(), "learner key: no secret= line");
        let error = LearnerKey::parse("class=A\nlearner=1\nsecret=abc\n").unwrap_err();
        assert!(error.to_string().contains("line 3"), "{error}");
    }
}
