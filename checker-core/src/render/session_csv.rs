//! Session CSV: the jury grid of a whole session, one row per candidate × critère.

use crate::render::csv::{CsvDialect, header, rows};
use crate::render::options::RenderOptions;
use crate::report::Report;

/// Renders the jury grid of several candidates (sorted by candidate id) in the French form.
pub fn session_csv(reports: &[Report], options: &RenderOptions) -> String {
    session_csv_with(reports, options, CsvDialect::French)
}

/// Renders the jury grid of several candidates in `dialect`.
pub fn session_csv_with(
    reports: &[Report],
    options: &RenderOptions,
    dialect: CsvDialect,
) -> String {
    let mut sorted: Vec<&Report> = reports.iter().collect();
    sorted.sort_by(|a, b| {
        a.candidate
            .id
            .cmp(&b.candidate.id)
            .then(a.pack.id.cmp(&b.pack.id))
    });
    let mut out = header(dialect, options.lang);
    for r in sorted {
        rows(r, options, dialect, &mut out);
    }
    out
}
