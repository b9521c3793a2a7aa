//! [`HostSecrets`]: the credentials constat used for one host, and the one place that
//! removes them (`***`) from everything that comes back from that host: error messages
//! (stderr tails included) and the snapshot JSON's strings, before anything is stored or
//! printed. Every transport goes through it in [`super::collect_host`].

use super::dispatch::Collected;
use super::host_error::{HostError, HostErrorKind};
use crate::secret::Secret;

/// What replaces a credential.
pub const MASK: &str = "***";

/// The credentials of one host.
#[derive(Debug, Default, Clone)]
pub struct HostSecrets {
    /// Longest first, so that a secret containing another one is masked whole.
    secrets: Vec<Secret>,
}

impl HostSecrets {
    /// Holds `secrets` (empty ones ignored).
    pub fn new(secrets: impl IntoIterator<Item = Secret>) -> HostSecrets {
        let mut secrets: Vec<Secret> = secrets
            .into_iter()
            .filter(|s| !s.expose().is_empty())
            .collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.expose().len()));
        secrets.dedup();
        HostSecrets { secrets }
    }

    /// True when `text` contains a credential.
    pub fn leaks(&self, text: &str) -> bool {
        self.secrets.iter().any(|s| text.contains(s.expose()))
    }

    /// `text` with every credential replaced by [`MASK`].
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.expose()) {
                out = out.replace(secret.expose(), MASK);
            }
        }
        out
    }

    /// The error with its message scrubbed.
    pub fn scrub_error(&self, error: HostError) -> HostError {
        HostError::new(error.kind, self.scrub(&error.message))
    }

    /// The snapshot with every string (keys included) scrubbed. The JSON is decoded first,
    /// so a credential written with escapes (`\u0041`) is found too; bytes are kept as the
    /// host sent them when nothing is found.
    pub fn scrub_collected(&self, collected: Collected) -> Result<Collected, HostError> {
        if self.secrets.is_empty() {
            return Ok(collected);
        }
        let mut value: serde_json::Value = serde_json::from_slice(&collected.json)
            .map_err(|e| HostError::new(HostErrorKind::BadOutput, e.to_string()))?;
        if !self.scrub_value(&mut value) {
            return Ok(collected);
        }
        let mut json = serde_json::to_vec_pretty(&value)
            .map_err(|e| HostError::new(HostErrorKind::Other, e.to_string()))?;
        json.push(b'\n');
        Ok(Collected { json, ..collected })
    }

    /// Scrubs `value` in place; true when something was masked.
    fn scrub_value(&self, value: &mut serde_json::Value) -> bool {
        use serde_json::Value;
        match value {
            Value::String(text) if self.leaks(text) => {
                *text = self.scrub(text);
                true
            }
            Value::Array(items) => items
                .iter_mut()
                .fold(false, |found, item| self.scrub_value(item) | found),
            Value::Object(map) => {
                let mut found = false;
                if map.keys().any(|k| self.leaks(k)) {
                    let entries = std::mem::take(map);
                    for (key, item) in entries {
                        map.insert(self.scrub(&key), item);
                    }
                    found = true;
                }
                map.values_mut()
                    .fold(found, |found, item| self.scrub_value(item) | found)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> HostSecrets {
        HostSecrets::new([
            Secret::new("Pa55"),
            Secret::new("Pa55word!"),
            Secret::new(""),
        ])
    }

    #[test]
    fn messages_lose_every_credential_longest_first() {
        let error = HostError::new(
            HostErrorKind::AgentFailed,
            "sudo: mot de passe recu: Pa55word! (and Pa55)",
        );
        assert_eq!(
            secrets().scrub_error(error).message,
            "sudo: mot de passe recu: *** (and ***)"
        );
        assert_eq!(secrets().scrub("nothing here"), "nothing here");
    }

    #[test]
    fn snapshot_strings_and_keys_are_scrubbed_even_when_escaped() {
        let json = br#"{"a":["x Pa55word\u0021 y",{"Pa55":1}],"b":"clean"}"#.to_vec();
        let collected = Collected {
            json,
            round_trips: 2,
            removed_stale: Vec::new(),
        };
        let scrubbed = secrets().scrub_collected(collected).unwrap();
        let text = String::from_utf8(scrubbed.json).unwrap();
        assert!(!text.contains("Pa55"), "{text}");
        insta::assert_snapshot!(text);
        assert_eq!(scrubbed.round_trips, 2);
    }

    #[test]
    fn clean_snapshots_keep_their_bytes() {
        let json = b"{ \"a\" : \"clean\" }".to_vec();
        let collected = Collected {
            json: json.clone(),
            round_trips: 1,
            removed_stale: Vec::new(),
        };
        assert_eq!(secrets().scrub_collected(collected).unwrap().json, json);
    }
}
