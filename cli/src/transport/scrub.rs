//! [`HostSecrets`]: the credentials constat used for one host, and the one place that
//! removes them (`***`) from everything that comes back from that host: error messages
//! (stderr tails included) and the snapshot JSON's strings, before anything is stored or
//! printed. Every transport goes through it in [`super::collect_host`].

use super::collector::Collected;
use super::host_error::{HostError, HostErrorKind};
use crate::i18n::tf;
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

    /// The snapshot with every string (keys included) scrubbed of these credentials, and its
    /// sections of secret-looking values (`constat_snapshot::secrets`: crypt hashes,
    /// `password=`…) — the agent does that too, but a candidate who is root can replace the
    /// agent's output. The JSON is decoded once, so a credential written with escapes
    /// (`\u0041`) is found too; bytes are kept as the host sent them when nothing is found.
    pub fn scrub_collected(&self, collected: Collected) -> Result<Collected, HostError> {
        let mut value: serde_json::Value =
            serde_json::from_slice(&collected.json).map_err(|e| {
                let phrase = tf(
                    "cause.snapshot_not_json",
                    &[("line", &e.line()), ("column", &e.column())],
                );
                HostError::new(
                    HostErrorKind::BadOutput,
                    super::cause::detailed(&phrase, &e.to_string()),
                )
            })?;
        let credentials = !self.secrets.is_empty() && self.scrub_value(&mut value);
        let values = value
            .get_mut("sections")
            .map_or(0, constat_snapshot::secrets::scrub_json);
        if !credentials && values == 0 {
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

    /// A root candidate can replace the agent's output: a shadow line in a file head and a
    /// password on a cron line are scrubbed on the examiner's side too; identity is untouched.
    #[test]
    fn secret_values_a_hostile_agent_returns_are_scrubbed() {
        let hostile = serde_json::json!({
            "host": {"hostname": "password=not-a-section"},
            "sections": {
                "files": {"status": "collected", "items": [{
                    "path": "/srv/copy",
                    "head": "root:$6$saltsalt$Jt1Wl5b7eYQk0kX1bq1S9cF8e7jv6Gm7o0V4lP9z:19000::::::\n"
                }]},
                "jobs": {"status": "collected", "items": [{
                    "command": "mysqldump -uroot -pHUNTER2 db"
                }]}
            }
        });
        let collected = Collected {
            json: serde_json::to_vec(&hostile).unwrap(),
            round_trips: 1,
            removed_stale: Vec::new(),
        };
        let text = String::from_utf8(
            HostSecrets::default()
                .scrub_collected(collected)
                .unwrap()
                .json,
        )
        .unwrap();
        assert!(!text.contains("$6$saltsalt"), "{text}");
        assert!(!text.contains("HUNTER2"), "{text}");
        assert!(text.contains("password=not-a-section"), "{text}");

        let clean = br#"{"sections":{"users":{"status":"collected"}}}"#.to_vec();
        let kept = HostSecrets::default()
            .scrub_collected(Collected {
                json: clean.clone(),
                round_trips: 1,
                removed_stale: Vec::new(),
            })
            .unwrap();
        assert_eq!(kept.json, clean);
    }
}
