//! The login throttle: failed logins are limited per trainer name and per client address
//! (a few per minute, [`crate::state::Limits`]), counted in the store so that every instance
//! sharing it sees the same attempts. An attempt is recorded before its password is checked
//! (so that parallel guesses count too) and forgotten when it succeeds. Beyond the limit the
//! password is not checked at all and the form says when to try again.

use crate::client_addr::ClientAddr;
use crate::random::token_hash;
use crate::state::Limits;

/// The key of a trainer name: its SHA-256 (names are bounded by nothing a client promises,
/// and the store need not hold them), case- and surrounding-space-insensitive.
pub fn account_key(name: &str) -> String {
    format!("account:{}", token_hash(&name.trim().to_lowercase()))
}

/// The keys an attempt counts under, each with its limit.
pub fn attempt_keys(limits: &Limits, name: &str, client: &ClientAddr) -> Vec<(String, i64)> {
    vec![
        (account_key(name), limits.login_attempts_per_account),
        (client.throttle_key(), limits.login_attempts_per_address),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_keyed_whatever_its_case_or_spaces_and_never_stored_as_typed() {
        assert_eq!(account_key(" Mme Martin "), account_key("mme martin"));
        assert_ne!(account_key("mme martin"), account_key("m. martin"));
        let key = account_key(&"x".repeat(100_000));
        assert!(key.len() < 80 && !key.contains("xx"), "{key}");
    }
}
