//! The pack JSON Schema, generated from the YAML types (for editor completion).

use crate::pack::raw::RawPack;

/// JSON Schema of pack files (`schemas/pack.schema.json`).
pub fn pack_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(RawPack);
    serde_json::to_value(schema).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    /// Fails when `schemas/pack.schema.json` is stale; `UPDATE_SCHEMAS=1` rewrites it.
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn pack_schema_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/pack.schema.json");
        let fresh = serde_json::to_string_pretty(&super::pack_schema()).expect("schema") + "\n";
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(path, &fresh).expect("write schema");
        }
        let current = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            current == fresh,
            "schemas/pack.schema.json is stale: run `UPDATE_SCHEMAS=1 cargo test -p constat-checker-core`"
        );
    }
}
