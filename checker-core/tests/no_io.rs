//! The checker core does no I/O: its sources never name the file system, processes, the
//! environment or the clock (test code under `#[cfg(test)]` modules excepted).
#![allow(
    clippy::disallowed_methods,
    reason = "this test reads the crate sources; the library itself does no I/O"
)]

#[test]
fn checker_core_sources_do_no_io() {
    let forbidden = [
        "std::fs",
        "std::process",
        "std::env::var",
        "SystemTime::now",
        "Instant::now",
        "std::net",
    ];
    let mut offenders = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source is readable");
            // Test modules may read fixtures and write schemas; they start at `mod tests`.
            let library = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name == "tests.rs" || name == "testing.rs" || name == "test_support.rs" {
                continue;
            }
            for f in forbidden {
                if library.contains(f) {
                    offenders.push(format!("{}: {f}", path.display()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "I/O in the checker core: {offenders:#?}"
    );
}
