//! The session manifest (`manifest.json`): what was collected, when, with which sha256, and
//! why a host failed. Rewritten atomically after each host, so an interrupted run loses
//! nothing already collected.
//!
//! # Wire format
//!
//! ```json
//! { "format_version": 1,
//!   "session": { "id": "tssr-2026-11", "referentiel": "TSSR" },
//!   "phases": { "start": { "frozen_at": "2026-11-23T08:00:00Z", "runs": 2 } },
//!   "hosts": [ { "candidate": "c01", "role": "linux", "phase": "start", "transport": "ssh",
//!                "address": "10.0.1.20", "status": "collected", "file": "c01/start/linux.json",
//!                "sha256": "…", "collected_at": "…", "duration_ms": 812, "round_trips": 3 },
//!              { …, "status": "failed", "error": { "kind": "auth_refused", "message": "…" } } ] }
//! ```

use super::atomic::write_atomically;
use crate::inventory::SessionInfo;
use crate::transport::HostError;
use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Manifest format version.
pub const MANIFEST_VERSION: u32 = 1;

/// Collection phase: at the start of the exam (baseline) or at its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the candidate works.
    Start,
    /// When time is up.
    End,
}

impl Phase {
    /// The name used in paths and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Start => "start",
            Phase::End => "end",
        }
    }

    /// The name shown to people (« début », « fin » in French; `--phase` takes `as_str`).
    pub fn label(self) -> &'static str {
        match self {
            Phase::Start => crate::i18n::t("phase.start"),
            Phase::End => crate::i18n::t("phase.end"),
        }
    }
}

/// A session's manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_VERSION`].
    pub format_version: u32,
    /// The session.
    pub session: SessionInfo,
    /// Per phase: freeze time and number of runs.
    #[serde(default)]
    pub phases: BTreeMap<Phase, PhaseRecord>,
    /// One entry per candidate, phase and role, sorted.
    #[serde(default)]
    pub hosts: Vec<HostEntry>,
    /// SHA-256 of `notes.json` (the jury's notes) when there is one: signing the manifest
    /// signs the notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes_sha256: Option<String>,
}

/// One phase's runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseRecord {
    /// When the first run of this phase started: the state recorded is the state at that time.
    pub frozen_at: String,
    /// When the last run finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// Runs of this phase (1 + resumes).
    pub runs: u32,
}

/// State of one host in one phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostStatus {
    /// The snapshot is on disk.
    Collected,
    /// The last attempt failed.
    Failed,
}

/// One host in one phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostEntry {
    /// Candidate id.
    pub candidate: String,
    /// Role.
    pub role: String,
    /// Phase.
    pub phase: Phase,
    /// Transport used.
    pub transport: String,
    /// Address (empty for local).
    pub address: String,
    /// Outcome of the last attempt.
    pub status: HostStatus,
    /// Snapshot file, relative to the session directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// SHA-256 of the snapshot file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// When the snapshot was written (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    /// Wall time of the last attempt in milliseconds.
    pub duration_ms: u64,
    /// SSH round trips of the last attempt.
    #[serde(default)]
    pub round_trips: u32,
    /// Attempts so far.
    pub attempts: u32,
    /// Why the last attempt failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<HostError>,
    /// Files an interrupted earlier run of this session left in the host's /tmp, removed
    /// by the last attempt (constat's own, by their session-scoped name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_stale: Vec<String>,
}

impl Manifest {
    /// An empty manifest for `session`.
    pub fn new(session: SessionInfo) -> Manifest {
        Manifest {
            format_version: MANIFEST_VERSION,
            session,
            phases: BTreeMap::new(),
            hosts: Vec::new(),
            notes_sha256: None,
        }
    }

    /// Reads `path`.
    pub fn load(path: &Path) -> anyhow::Result<Manifest> {
        use anyhow::Context;
        let named = || crate::i18n::tf("session.manifest_unreadable", &[("file", &path.display())]);
        let text = std::fs::read_to_string(path).with_context(named)?;
        serde_json::from_str(&text).with_context(named)
    }

    /// Writes `path` atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        write_atomically(path, text.as_bytes())
    }

    /// The entry of one host, if any.
    pub fn entry(&self, candidate: &str, phase: Phase, role: &str) -> Option<&HostEntry> {
        self.hosts
            .iter()
            .find(|h| h.candidate == candidate && h.phase == phase && h.role == role)
    }

    /// Inserts or replaces an entry, keeping the list sorted.
    pub fn upsert(&mut self, entry: HostEntry) {
        self.hosts.retain(|h| {
            !(h.candidate == entry.candidate && h.phase == entry.phase && h.role == entry.role)
        });
        self.hosts.push(entry);
        self.hosts.sort_by(|a, b| {
            (&a.candidate, a.phase, &a.role).cmp(&(&b.candidate, b.phase, &b.role))
        });
    }
}
