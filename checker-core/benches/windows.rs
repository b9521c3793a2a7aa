//! Grading throughput of the Windows kinds: 1,000 candidates × the `lab-windows` pack (one
//! check per Windows kind, effective share rights resolved through the directory's groups),
//! rendering excluded.
//!
//! Run with `cargo bench -p constat-checker-core --bench windows`. Prints the median of
//! several runs and the check evaluations per second (one core: grading is sequential).
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock; the library does not"
)]

/// The allocator of the binary that grades (`constat`, see `cli/src/main.rs`): measure what
/// examiners run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use constat_checker_core::pack::load;
use constat_checker_core::{GradeOptions, grade};
use constat_snapshot::Snapshot;
use std::time::Instant;

#[path = "support/candidates.rs"]
mod support;
use support::candidates;

const CANDIDATES: usize = 1_000;
const RUNS: usize = 5;

fn main() {
    let pack = load(
        "lab-windows.yaml",
        include_str!("../tests/fixtures/packs/lab-windows.yaml"),
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    let base = Snapshot::from_json(include_str!("../tests/fixtures/snapshots/windows-lab.json"))
        .expect("fixture");
    let candidates = candidates(&base, "dc", "SRV", CANDIDATES);
    let options = GradeOptions {
        graded_at: "2026-11-23T17:30:00Z".to_owned(),
        profile: None,
        timezone: None,
    };
    // `for_each` over 4 features: 14 evaluations per candidate for 11 checks.
    let evaluations_per_candidate = 14;
    let mut times = Vec::new();
    let mut sink = 0.0;
    for _ in 0..RUNS {
        let start = Instant::now();
        for c in &candidates {
            let report = grade(&pack, c, &options);
            sink += report.total.earned;
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[RUNS / 2];
    let evals = (CANDIDATES * evaluations_per_candidate) as f64;
    println!(
        "graded {CANDIDATES} candidates × lab-windows ({evaluations_per_candidate} evaluations each): median {:.1} ms over {RUNS} runs (min {:.1}, max {:.1}); {:.0} check evaluations/s; {:.1} µs per candidate report (checksum {sink})",
        median * 1e3,
        times[0] * 1e3,
        times[RUNS - 1] * 1e3,
        evals / median,
        median * 1e6 / CANDIDATES as f64
    );
}
