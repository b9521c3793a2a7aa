//! Trainer passwords: argon2id in PHC strings, with OWASP's equivalent setting that needs the
//! least memory (7 MiB, 5 passes, 1 lane; the crate's default, 19 MiB and 2 passes, alone was
//! a quarter of the server's 64 MiB budget at each login, twice with two logins at once).
//! Verifying reads the parameters from the stored string, so older hashes still verify.
//! Hashing is CPU-bound: callers run it on the blocking pool.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Why a password could not be hashed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct PasswordError(String);

/// Memory of a new hash, in KiB (OWASP: m=7168, t=5, p=1).
pub(crate) const HASH_MEMORY_KIB: u32 = 7 * 1024;
/// Passes of a new hash.
pub(crate) const HASH_PASSES: u32 = 5;

fn hasher() -> Result<Argon2<'static>, PasswordError> {
    let params = Params::new(HASH_MEMORY_KIB, HASH_PASSES, 1, None)
        .map_err(|e| PasswordError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The argon2id PHC string of `password`, with a random salt.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    hasher()?
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordError(e.to_string()))
}

/// Whether `password` matches the PHC string (a malformed string never matches).
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_verifies() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("correct horsf", &a));
        assert!(!verify_password("correct horse", "not a phc string"));
        // A hash made with the crate's defaults (19 MiB, 2 passes) still verifies.
        let older = Argon2::default()
            .hash_password(b"correct horse")
            .unwrap()
            .to_string();
        assert!(older.contains("m=19456,t=2"), "{older}");
        assert!(verify_password("correct horse", &older));
    }
}
