//! Where things are in a session directory.
//!
//! ```text
//! <session>/inventory.yaml           the inventory (candidates merged from CSV)
//! <session>/known_hosts              SSH host keys, trust on first use
//! <session>/request.json             files the agents report on (never the pack)
//! <session>/manifest.json            files, sha256, times, per-host durations and errors
//! <session>/manifest.json.sig        optional ed25519 signature of the manifest
//! <session>/notes.json               the jury's notes (sha256 in the manifest)
//! <session>/<candidate>/<phase>/<role>.json (+ .json.sha256)
//! ```

use super::manifest::Phase;
use crate::errors::CliError;
use crate::i18n::{t, tf};
use std::path::{Path, PathBuf};

/// A session directory.
#[derive(Debug, Clone)]
pub struct SessionDir {
    root: PathBuf,
}

impl SessionDir {
    /// The session at `root`.
    pub fn new(root: impl Into<PathBuf>) -> SessionDir {
        SessionDir { root: root.into() }
    }

    /// Fails with a hint when `root` holds no session (no `inventory.yaml`).
    pub fn ensure_exists(&self) -> anyhow::Result<()> {
        match std::fs::metadata(self.inventory()) {
            Ok(meta) if meta.is_file() => return Ok(()),
            // Not "not a session" when the directory cannot be read (permission denied):
            // that error, with the path.
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(anyhow::Error::new(e).context(tf(
                    "inventory.unreadable",
                    &[("file", &self.inventory().display())],
                )));
            }
            _ => {}
        }
        Err(CliError::input(
            tf("session.missing", &[("dir", &self.root.display())]),
            t("session.missing_hint"),
        )
        .into())
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The inventory copy.
    pub fn inventory(&self) -> PathBuf {
        self.root.join("inventory.yaml")
    }

    /// The host keys.
    pub fn known_hosts(&self) -> PathBuf {
        self.root.join("known_hosts")
    }

    /// The manifest.
    pub fn manifest(&self) -> PathBuf {
        self.root.join("manifest.json")
    }

    /// The manifest signature.
    pub fn signature(&self) -> PathBuf {
        self.root.join("manifest.json.sig")
    }

    /// The jury's notes.
    pub fn notes(&self) -> PathBuf {
        self.root.join("notes.json")
    }

    /// Path of a snapshot relative to the session root.
    pub fn snapshot_relative(candidate: &str, phase: Phase, role: &str) -> String {
        format!("{candidate}/{}/{role}.json", phase.as_str())
    }

    /// Absolute path of a file named relative to the root.
    pub fn file(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Where the inventory's `pack` is: an embedded pack id, a path as written, or a path
    /// relative to the session directory.
    pub(crate) fn pack_location(&self, pack_spec: &str) -> String {
        if constat_checks::find(pack_spec).is_some() || Path::new(pack_spec).exists() {
            pack_spec.to_owned()
        } else {
            self.root.join(pack_spec).display().to_string()
        }
    }
}
