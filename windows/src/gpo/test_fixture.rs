//! Test support: the bytes of a file under `windows/tests/fixtures/`.

/// Reads `tests/fixtures/<name>` of this crate; panics with the path when it is missing.
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
