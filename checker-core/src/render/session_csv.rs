//! Session CSV: the jury grid of a whole session, one row per candidate × critère.

use crate::render::csv::{HEADER, rows};
use crate::render::options::RenderOptions;
use crate::report::Report;

/// Renders the jury grid of several candidates (sorted by candidate id).
pub fn session_csv(reports: &[Report], options: &RenderOptions) -> String {
    let mut sorted: Vec<&Report> = reports.iter().collect();
    sorted.sort_by(|a, b| {
        a.candidate
            .id
            .cmp(&b.candidate.id)
            .then(a.pack.id.cmp(&b.pack.id))
    });
    let mut out = HEADER.to_owned();
    for r in sorted {
        rows(r, options, &mut out);
    }
    out
}
