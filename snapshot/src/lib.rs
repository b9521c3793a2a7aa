//! The snapshot contract: a typed, versioned JSON record of one host's state.
//!
//! A snapshot is produced by a collector (the Linux agent, the Windows PowerShell probe, the
//! LDAP collector) and read by the checker. It is the only thing that crosses that boundary,
//! so it is versioned ([`SCHEMA_VERSION`]) and its JSON Schema is generated from these types
//! into `schemas/snapshot.schema.json` (see [`schema::snapshot_schema`]).
//!
//! # Wire format
//!
//! ```json
//! { "schema_version": 1,
//!   "host": { "hostname": "srv-lnx", "os": { "family": "linux", ... }, ... },
//!   "collection": { "agent": "constat-agent", "started_at": "2026-11-23T10:00:00Z", ... },
//!   "sections": { "users": { "status": "collected", "data": [ ... ] },
//!                 "firewall": { "status": "error", "message": "nft: permission denied" },
//!                 "ad": { "status": "not_collected", "reason": "not applicable on linux" } } }
//! ```
//!
//! Every section carries an explicit [`Section`] status. A collector that could not look
//! records `not_collected` or `error`: never an empty list, which would read as "absent".
//!
//! Concepts shared by Linux and Windows (users, groups, services, firewall, scheduled jobs,
//! shares, network, packages) use one OS-neutral type with OS-specific details inside.

pub mod ad;
pub mod appliance;
pub mod collection;
pub mod deployment;
pub mod files;
pub mod firewall;
pub mod gpo;
pub mod helpdesk;
pub mod host;
pub mod hypervisor;
pub mod jobs;
pub mod logon_scripts;
pub mod nagios_status;
pub mod network;
pub mod package_repositories;
pub mod packages;
pub mod profile_mappings;
pub mod schema;
pub mod script_runs;
pub mod secrets;
pub mod section;
pub mod sections;
mod sections_by_name;
pub mod services;
pub mod shares;
pub mod sshd;
pub mod storage;
pub mod supervision;
pub mod time;
pub mod users;
pub mod windows;

pub use collection::{CollectionMeta, CollectorRun};
pub use files::{FileInfo, FileKind, FileRequest, HeadWithheld};
pub use host::{HostIdentity, OsFamily, OsInfo};
pub use script_runs::{ScriptRun, ScriptRunRequest};
pub use section::Section;
pub use sections::Sections;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the snapshot format. Bump on any change an older reader would misread.
pub const SCHEMA_VERSION: u32 = 1;

/// One host's recorded state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Format version, [`SCHEMA_VERSION`] when written by this build.
    pub schema_version: u32,
    /// Who the host is.
    pub host: HostIdentity,
    /// How and when it was collected.
    pub collection: CollectionMeta,
    /// What was observed, one status-carrying section per domain.
    pub sections: Sections,
}

impl Snapshot {
    /// Parses a snapshot from JSON, refusing unknown versions with a clear message.
    pub fn from_json(text: &str) -> Result<Snapshot, SnapshotError> {
        // The version alone is read first (nothing else is built), then the typed snapshot.
        let probe: VersionProbe = serde_json::from_str(text).map_err(json_error)?;
        match probe.0 {
            Some(v) if v == u64::from(SCHEMA_VERSION) => {}
            Some(v) => return Err(SnapshotError::Version { found: v }),
            None => return Err(SnapshotError::NotASnapshot),
        }
        serde_json::from_str(text).map_err(json_error)
    }
}

/// The top-level `schema_version` of any JSON value, when it is an object holding an
/// unsigned integer there; every other field is skipped (checked as JSON, never stored).
struct VersionProbe(Option<u64>);

impl<'de> Deserialize<'de> for VersionProbe {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(VersionProbeVisitor)
    }
}

struct VersionProbeVisitor;

impl<'de> serde::de::Visitor<'de> for VersionProbeVisitor {
    type Value = VersionProbe;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<VersionProbe, A::Error> {
        use serde::de::IgnoredAny;
        let mut version = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "schema_version" {
                version = map.next_value::<serde_json::Value>()?.as_u64();
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(VersionProbe(version))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<VersionProbe, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(VersionProbe(None))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<VersionProbe, E> {
        Ok(VersionProbe(None))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<VersionProbe, E> {
        Ok(VersionProbe(None))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<VersionProbe, E> {
        Ok(VersionProbe(None))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<VersionProbe, E> {
        Ok(VersionProbe(None))
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<VersionProbe, E> {
        Ok(VersionProbe(None))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<VersionProbe, E> {
        Ok(VersionProbe(None))
    }
}

/// A serde error with its position. serde_json gives column 0 for an error found right after
/// a line break (e.g. a text cut at the end of a line): that is the line's first column.
fn json_error(e: serde_json::Error) -> SnapshotError {
    SnapshotError::Json {
        line: e.line().max(1),
        column: e.column().max(1),
        message: e.to_string(),
    }
}

/// Why a snapshot could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The text is not valid JSON for this schema.
    Json {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// serde's message.
        message: String,
    },
    /// The JSON has no `schema_version`: not a constat snapshot.
    NotASnapshot,
    /// Written by another version of the format.
    Version {
        /// The version found in the file.
        found: u64,
    },
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::Json {
                line,
                column,
                message,
            } => {
                write!(f, "{line}:{column}: invalid snapshot: {message}")
            }
            SnapshotError::NotASnapshot => {
                write!(f, "not a constat snapshot (no \"schema_version\" field)")
            }
            SnapshotError::Version { found } => write!(
                f,
                "snapshot format version {found} is not supported (this build reads version {SCHEMA_VERSION}); collect again with a matching agent"
            ),
        }
    }
}

impl std::error::Error for SnapshotError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_cut_after_a_line_break_is_located_on_a_real_column() {
        let error = Snapshot::from_json("{\n  \"schema_version\": 1,\n").unwrap_err();
        let SnapshotError::Json { line, column, .. } = error else {
            panic!("not a JSON error: {error:?}");
        };
        assert_eq!((line, column), (3, 1));
    }
}
