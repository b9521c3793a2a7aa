//! Reading PowerShell `ConvertTo-Json` values: the same property may be a string, a number
//! (Windows PowerShell 5.1 writes enums as integers), a bool, `null`, a single object where
//! an array was expected, or a `/Date(ms)/` string.

use serde_json::Value;

/// Text of a property (numbers and bools rendered), `None` for null/absent/empty.
pub fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Boolean property: `true`, `"True"`, `1`; PS 5.1 CIM enums use 1 = True, 2 = False.
pub fn boolean(value: &Value, key: &str) -> Option<bool> {
    match value.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64()? {
            1 => Some(true),
            0 | 2 => Some(false),
            _ => None,
        },
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "2" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Integer property.
pub fn int(value: &Value, key: &str) -> Option<i64> {
    match value.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A property that should be a list: arrays as is, a single value as one item.
pub fn list(value: &Value, key: &str) -> Vec<Value> {
    match value.get(key) {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other.clone()],
    }
}

/// A list of strings (empty strings dropped).
pub fn strings(value: &Value, key: &str) -> Vec<String> {
    list(value, key)
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// The items of a section's data: an array, or one bare object (PowerShell unwraps
/// single-item pipelines).
pub fn items(data: &Value) -> Vec<Value> {
    match data {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// An enum written either as its name or as its integer value (`names[i]`).
pub fn enum_name(value: &Value, key: &str, names: &[(i64, &str)]) -> Option<String> {
    match value.get(key)? {
        Value::Number(n) => {
            let n = n.as_i64()?;
            Some(
                names
                    .iter()
                    .find(|(v, _)| *v == n)
                    .map_or_else(|| n.to_string(), |(_, name)| (*name).to_owned()),
            )
        }
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// Test helper: a recorded sample from `tests/fixtures/samples/` (copies of
/// /work/shared/notes/samples, provenance in its SOURCES.md).
#[cfg(test)]
pub(crate) fn sample(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/samples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
