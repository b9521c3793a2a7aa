//! Session HTML: a printable table candidates × critères.

use crate::i18n::{percent, points};
use crate::render::html::{STYLE, escape};
use crate::render::options::RenderOptions;
use crate::report::{CritereStatus, SessionSummary};
use std::fmt::Write;

/// Renders a session summary as a self-contained HTML page.
pub fn session_html(summary: &SessionSummary, options: &RenderOptions) -> String {
    let t = options.lang.strings();
    let e = escape;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n<p class=\"note\">{}</p>\n<table><tr><th>{}</th>",
        e(t.session),
        e(t.session),
        e(t.disclaimer),
        t.candidate
    );
    for c in &summary.columns {
        let _ = write!(
            o,
            "<th title=\"{}\">{} ({:?})</th>",
            e(&c.text),
            e(&c.id),
            c.class
        );
    }
    let _ = writeln!(o, "<th>{}</th></tr>", t.total);
    for r in &summary.rows {
        let name = r
            .name
            .as_ref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        let _ = write!(o, "<tr><td>{}{}</td>", e(&r.candidate), e(&name));
        for cell in &r.cells {
            match cell {
                None => o.push_str("<td></td>"),
                Some(c) if c.status == CritereStatus::Jury => {
                    let _ = write!(
                        o,
                        "<td class=\"skipped\">{}</td>",
                        e(options.lang.critere_status(c.status))
                    );
                }
                Some(c) => {
                    let _ = write!(
                        o,
                        "<td>{} <small>({}/{})</small></td>",
                        percent(c.percent),
                        c.assessable,
                        c.checks
                    );
                }
            }
        }
        let _ = writeln!(
            o,
            "<td>{} / {} ({})</td></tr>",
            points(r.total.earned),
            points(r.total.max),
            percent(r.total.percent)
        );
    }
    o.push_str("</table>\n</body></html>\n");
    o
}
