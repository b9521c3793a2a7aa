//! The committed JSON Schema must match the types; regenerate with `UPDATE_SCHEMAS=1 cargo test -p constat-snapshot`.

use constat_snapshot::{Sections, schema::snapshot_schema};
use std::path::PathBuf;

#[test]
fn committed_snapshot_schema_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas/snapshot.schema.json");
    let fresh = snapshot_schema();
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "schemas/snapshot.schema.json is stale: run `UPDATE_SCHEMAS=1 cargo test -p constat-snapshot --test schema`"
    );
}

#[test]
fn section_names_match_json_keys() {
    let json = serde_json::to_value(Sections::default()).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, Sections::NAMES);
}

#[test]
fn default_snapshot_validates_against_schema() {
    let schema: serde_json::Value = serde_json::from_str(&snapshot_schema()).unwrap();
    let snap = constat_snapshot::Snapshot {
        schema_version: constat_snapshot::SCHEMA_VERSION,
        host: Default::default(),
        collection: Default::default(),
        sections: Default::default(),
    };
    let value = serde_json::to_value(&snap).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
