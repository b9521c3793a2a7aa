//! Random tokens from the operating system: session and page tokens (stored only hashed),
//! CSRF tokens, enrolment codes, learner signing keys.

use base64::Engine;
use sha2::{Digest, Sha256};

/// Why no random bytes could be had.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the operating system gave no random bytes: {0}")]
pub struct RandomError(String);

/// `N` random bytes.
pub fn bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| RandomError(e.to_string()))?;
    Ok(out)
}

/// A 256-bit token, base64url without padding (43 characters).
pub fn token() -> Result<String, RandomError> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes::<32>()?))
}

/// SHA-256 of a token, hex: what the store keeps instead of the token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The enrolment code alphabet: no 0/O, 1/I/L, so that a code read aloud or copied from a
/// projector is typed right.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Length of an enrolment code (31^8 ≈ 8.5e11 codes).
pub const CODE_LEN: usize = 8;

/// A new enrolment code such as `K7MQ2XPA`.
pub fn enrolment_code() -> Result<String, RandomError> {
    let raw = bytes::<CODE_LEN>()?;
    Ok(raw
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect())
}

/// An enrolment code as typed (spaces, dashes, lower case) in canonical form, or `None`
/// when it cannot be one.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typable_and_normalised() {
        let code = enrolment_code().unwrap();
        assert_eq!(code.len(), CODE_LEN);
        assert_eq!(normalise_code(&code), Some(code.clone()));
        let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
        assert_eq!(normalise_code(&typed), Some(code));
        assert_eq!(normalise_code("ABCDEFG0"), None);
        assert_eq!(normalise_code("<script>"), None);
    }

    #[test]
    fn tokens_differ_and_hash_to_hex() {
        let (a, b) = (token().unwrap(), token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
