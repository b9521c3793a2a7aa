//! The collection metadata every reader of this crate stamps on the snapshot it builds.

use constat_snapshot::CollectionMeta;

/// Metadata of a reading made at `started_at` (RFC 3339, the caller's clock) from
/// `source` (the file or API answer read, when there is one): readers are pure and instant,
/// so the reading starts and ends at once.
pub(crate) fn read_at(started_at: &str, source: Option<&str>) -> CollectionMeta {
    CollectionMeta {
        agent: "constat-systems".to_owned(),
        agent_version: env!("CARGO_PKG_VERSION").to_owned(),
        started_at: started_at.to_owned(),
        finished_at: started_at.to_owned(),
        duration_ms: 0,
        root: source.map(str::to_owned),
        ..CollectionMeta::default()
    }
}
