//! Resource limits of a pack: a pack is a local file, but one written by hand (or received)
//! must neither exhaust memory nor time, nor print `inf / inf pts (NaN %)`.

/// Largest `points` (and `penalty`) of one check: scores stay finite and readable; a total
/// over [`MAX_CHECKS`] checks stays far under `f64` overflow.
pub const MAX_POINTS: f64 = 1000.0;

/// Most checks in one pack (the shipped exam packs have under 100).
pub const MAX_CHECKS: usize = 2000;

/// Most `for_each` items of one check (each item compiles the expectation once).
pub const MAX_FOR_EACH: usize = 500;

/// Largest compiled regex, in bytes (`regex::RegexBuilder::size_limit`; the crate's default
/// is 10 MiB per regex, times every item and check).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Largest pack or inventory text, in bytes (the biggest shipped pack is under 30 KiB).
pub const MAX_PACK_BYTES: usize = 4 << 20;

/// The YAML parser's budget for packs: nesting depth (combinators inside combinators),
/// anchors and aliases (alias bombs), nodes (the biggest shipped pack has a few thousand) and
/// scalar bytes.
pub fn yaml_budget() -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 40;
    budget.max_aliases = 1000;
    budget.max_anchors = 1000;
    budget.max_nodes = 50_000;
    budget.max_total_scalar_bytes = MAX_PACK_BYTES;
    budget
}
