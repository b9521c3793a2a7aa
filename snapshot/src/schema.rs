//! JSON Schema generation for the snapshot format.

use crate::Snapshot;

/// The snapshot JSON Schema (draft 2020-12), pretty-printed with a trailing newline, as
/// committed in `schemas/snapshot.schema.json`.
pub fn snapshot_schema() -> String {
    let schema = schemars::schema_for!(Snapshot);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
