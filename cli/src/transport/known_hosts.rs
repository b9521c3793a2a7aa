//! The session's `known_hosts` file: trust on first use, or refuse unknown and changed keys
//! (`--strict-host-keys`). One line per host: `[address]:port <OpenSSH public key>`.
//! `constat serve`'s pull mode keeps its keys in its store instead: it starts from the keys
//! given ([`KnownHosts::in_memory`]) and reads back the keys first seen and refused.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What the file says about a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    /// Same key as recorded.
    Known,
    /// No key recorded for this host.
    Unknown,
    /// Another key is recorded (OpenSSH text of the recorded key).
    Changed(String),
}

/// Host keys of one session.
#[derive(Debug)]
pub struct KnownHosts {
    /// `None`: kept in memory only (the caller stores what [`KnownHosts::first_seen`] says).
    path: Option<PathBuf>,
    entries: Mutex<BTreeMap<String, String>>,
    /// Keys recorded by this instance, by host.
    first_seen: Mutex<BTreeMap<String, String>>,
    /// Keys presented in place of the recorded one, by host.
    refused: Mutex<BTreeMap<String, String>>,
    /// Fingerprints (`SHA256:…`) the examiner accepts in place of the recorded key (or for a
    /// host with none, under `--strict-host-keys`), by host: `--accept-host-key`.
    accepted: BTreeMap<String, String>,
}

impl KnownHosts {
    /// Reads `path` (missing = empty).
    pub fn open(path: &Path) -> std::io::Result<KnownHosts> {
        let mut entries = BTreeMap::new();
        match std::fs::read_to_string(path) {
            Ok(text) => {
                for line in text.lines() {
                    if let Some((host, key)) = line.trim().split_once(' ')
                        && !host.starts_with('#')
                    {
                        entries.insert(host.to_owned(), key.trim().to_owned());
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        Ok(KnownHosts {
            path: Some(path.to_owned()),
            entries: Mutex::new(entries),
            first_seen: Mutex::default(),
            refused: Mutex::default(),
            accepted: BTreeMap::new(),
        })
    }

    /// Keys kept in memory, starting from `entries` (host field → OpenSSH key).
    pub fn in_memory(entries: BTreeMap<String, String>) -> KnownHosts {
        KnownHosts {
            path: None,
            entries: Mutex::new(
                entries
                    .into_iter()
                    .map(|(host, key)| (host, key_material(&key)))
                    .collect(),
            ),
            first_seen: Mutex::default(),
            refused: Mutex::default(),
            accepted: BTreeMap::new(),
        }
    }

    /// The same keys, accepting for each host of `accepted` the key whose fingerprint it
    /// gives (`--accept-host-key`, see [`parse_accepted`]).
    pub fn accepting(mut self, accepted: BTreeMap<String, String>) -> KnownHosts {
        self.accepted = accepted;
        self
    }

    /// Whether the examiner accepted the key of `host` whose fingerprint is `fingerprint`.
    pub fn accepts(&self, host: &str, fingerprint: &str) -> bool {
        self.accepted.get(host).is_some_and(|f| f == fingerprint)
    }

    /// Trusts `key` for `host` in place of whatever was recorded: the file is rewritten
    /// whole (atomically, 0600) unless the keys are kept in memory.
    pub fn replace(&self, host: &str, key: &str) -> std::io::Result<()> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let mut updated = entries.clone();
        updated.insert(host.to_owned(), key_material(key));
        if let Some(path) = &self.path {
            let text: String = updated
                .iter()
                .map(|(host, key)| format!("{host} {key}\n"))
                .collect();
            crate::session::write_atomically(path, text.as_bytes())?;
        }
        *entries = updated;
        Ok(())
    }

    /// The key recorded for `host` on first use by this instance (`type base64`).
    pub fn first_seen(&self, host: &str) -> Option<String> {
        let seen = self.first_seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.get(host).cloned()
    }

    /// The key `host` last presented and refused (`type base64`): in place of the recorded
    /// one, or with none recorded under `--strict-host-keys` ([`KnownHosts::check`] tells
    /// which).
    pub fn refused(&self, host: &str) -> Option<String> {
        let refused = self.refused.lock().unwrap_or_else(|p| p.into_inner());
        refused.get(host).cloned()
    }

    /// Notes that `host` presented `key` and it was refused.
    pub fn refuse(&self, host: &str, key: &str) {
        let mut refused = self.refused.lock().unwrap_or_else(|p| p.into_inner());
        refused.insert(host.to_owned(), key_material(key));
    }

    /// The file's host field for `address:port`.
    pub fn host_field(address: &str, port: u16) -> String {
        format!("[{address}]:{port}")
    }

    /// Compares `key` (OpenSSH text, `ssh-ed25519 AAAA…`) with the recorded one.
    pub fn check(&self, host: &str, key: &str) -> KeyCheck {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(host) {
            None => KeyCheck::Unknown,
            Some(recorded) if same_key(recorded, key) => KeyCheck::Known,
            Some(recorded) => KeyCheck::Changed(recorded.clone()),
        }
    }

    /// Records a first-seen key (appends a line, synced to disk, unless kept in memory).
    pub fn record(&self, host: &str, key: &str) -> std::io::Result<()> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(path) = &self.path {
            let mut file = crate::private_fs::append_private_file(path)?;
            file.write_all(format!("{host} {}\n", key_material(key)).as_bytes())?;
            file.sync_all()?;
        }
        entries.insert(host.to_owned(), key_material(key));
        let mut seen = self.first_seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.insert(host.to_owned(), key_material(key));
        Ok(())
    }
}

/// The values of `--accept-host-key`, `HOST=FINGERPRINT` as a refusal names them
/// (`[10.0.1.20]:22=SHA256:…`), by host; a value of another shape is an error saying so.
pub fn parse_accepted(
    values: &[String],
) -> Result<BTreeMap<String, String>, crate::errors::CliError> {
    let mut accepted = BTreeMap::new();
    for value in values {
        match value.split_once('=') {
            Some((host, fingerprint))
                if host.starts_with('[')
                    && host.contains("]:")
                    && fingerprint.starts_with("SHA256:")
                    && fingerprint.len() > "SHA256:".len() =>
            {
                accepted.insert(host.to_owned(), fingerprint.to_owned());
            }
            _ => {
                return Err(crate::errors::CliError::input(
                    crate::i18n::tf(
                        "ssh.accept_syntax",
                        &[(
                            "value",
                            &constat_checker_core::render::escape::terminal(value),
                        )],
                    ),
                    crate::i18n::tf("ssh.accept_hint", &[]),
                ));
            }
        }
    }
    Ok(accepted)
}

/// `type base64`, without a trailing comment.
fn key_material(key: &str) -> String {
    key.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

fn same_key(a: &str, b: &str) -> bool {
    key_material(a) == key_material(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_use_is_recorded_then_changes_are_detected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        let hosts = KnownHosts::open(&path).unwrap();
        let host = KnownHosts::host_field("10.0.0.1", 22);
        assert_eq!(hosts.check(&host, "ssh-ed25519 AAAA1"), KeyCheck::Unknown);
        hosts.record(&host, "ssh-ed25519 AAAA1 comment").unwrap();
        let reopened = KnownHosts::open(&path).unwrap();
        assert_eq!(reopened.check(&host, "ssh-ed25519 AAAA1"), KeyCheck::Known);
        assert_eq!(
            reopened.check(&host, "ssh-ed25519 AAAA2"),
            KeyCheck::Changed("ssh-ed25519 AAAA1".to_owned())
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[10.0.0.1]:22 ssh-ed25519 AAAA1\n"
        );
    }

    #[test]
    fn keys_in_memory_tell_what_was_first_seen_and_refused() {
        let host = KnownHosts::host_field("10.0.0.1", 22);
        let other = KnownHosts::host_field("10.0.0.2", 22);
        let hosts = KnownHosts::in_memory(BTreeMap::from([(
            host.clone(),
            "ssh-ed25519 AAAA1 comment".to_owned(),
        )]));
        assert_eq!(hosts.check(&host, "ssh-ed25519 AAAA1"), KeyCheck::Known);
        assert_eq!(hosts.check(&other, "ssh-ed25519 AAAA2"), KeyCheck::Unknown);
        hosts.record(&other, "ssh-ed25519 AAAA2 root@vm").unwrap();
        assert_eq!(hosts.check(&other, "ssh-ed25519 AAAA2"), KeyCheck::Known);
        hosts.refuse(&host, "ssh-ed25519 AAAA3 root@vm");
        assert_eq!(
            hosts.first_seen(&other).as_deref(),
            Some("ssh-ed25519 AAAA2")
        );
        assert_eq!(hosts.first_seen(&host), None);
        assert_eq!(hosts.refused(&host).as_deref(), Some("ssh-ed25519 AAAA3"));
        assert_eq!(hosts.refused(&other), None);
    }

    /// `--accept-host-key` takes `HOST=FINGERPRINT` as a refusal names them; an accepted key
    /// replaces the recorded one in the file, the other hosts' lines kept.
    #[test]
    fn an_accepted_fingerprint_replaces_the_recorded_key() {
        let accepted = parse_accepted(&["[10.0.0.1]:22=SHA256:abc".to_owned()]).unwrap();
        assert_eq!(
            accepted,
            BTreeMap::from([("[10.0.0.1]:22".to_owned(), "SHA256:abc".to_owned())])
        );
        for bad in [
            "10.0.0.1=SHA256:abc",
            "[10.0.0.1]:22",
            "[10.0.0.1]:22=MD5:ab",
            "[10.0.0.1]:22=SHA256:",
        ] {
            let error = parse_accepted(&[bad.to_owned()]).unwrap_err().to_string();
            assert!(error.contains("HÔTE=EMPREINTE"), "{bad}: {error}");
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        std::fs::write(
            &path,
            "[10.0.0.1]:22 ssh-ed25519 AAAA1\n[10.0.0.2]:22 ssh-ed25519 AAAA2\n",
        )
        .unwrap();
        let hosts = KnownHosts::open(&path).unwrap().accepting(accepted);
        assert!(hosts.accepts("[10.0.0.1]:22", "SHA256:abc"));
        assert!(!hosts.accepts("[10.0.0.1]:22", "SHA256:other"));
        assert!(!hosts.accepts("[10.0.0.2]:22", "SHA256:abc"));
        hosts
            .replace("[10.0.0.1]:22", "ssh-ed25519 AAAA3 root@vm")
            .unwrap();
        assert_eq!(
            hosts.check("[10.0.0.1]:22", "ssh-ed25519 AAAA3"),
            KeyCheck::Known
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[10.0.0.1]:22 ssh-ed25519 AAAA3\n[10.0.0.2]:22 ssh-ed25519 AAAA2\n"
        );
    }
}
