//! The jury's notes of a candidate, as one small block per output format, for the renderers
//! to place (after the identity warnings: what needs the jury comes first).

use crate::render::escape;
use crate::render::options::RenderOptions;
use crate::report::Report;
use std::fmt::Write;

/// HTML block (`<h2>` + list), empty without notes.
pub(crate) fn html(report: &Report, options: &RenderOptions, o: &mut String) {
    let w = options.lang.words();
    let e = |x: &str| escape::html(x);
    let _ = write!(
        o,
        "<section id=\"jury-notes\" class=\"jury-notes\"><h3>{}</h3><ul class=\"jury-notes\">",
        w.jury_notes
    );
    for n in &report.jury_notes {
        let _ = write!(o, "<li>{}</li>", options.lang.jury_note_line(n, &e));
    }
    o.push_str("</ul>");
    if report.jury_notes.is_empty() {
        let _ = write!(o, "<p class=\"note\">{}</p>", w.no_jury_notes);
    }
    o.push_str("</section>\n");
}

/// Markdown block: the heading, then the notes or « aucune note ».
pub(crate) fn markdown(report: &Report, options: &RenderOptions, o: &mut String) {
    let w = options.lang.words();
    let md = |x: &str| escape::markdown(x);
    let _ = writeln!(o, "### {}\n", w.jury_notes);
    if report.jury_notes.is_empty() {
        let _ = writeln!(o, "*{}*\n", w.no_jury_notes);
        return;
    }
    for n in &report.jury_notes {
        let _ = writeln!(o, "- {}", options.lang.jury_note_line(n, &md));
    }
    o.push('\n');
}

/// Terminal block, empty without notes.
pub(crate) fn terminal(report: &Report, options: &RenderOptions, o: &mut String) {
    if report.jury_notes.is_empty() {
        return;
    }
    let esc = |x: &str| escape::terminal(x).into_owned();
    let _ = writeln!(o, "{} :", options.lang.jury_notes_title());
    for n in &report.jury_notes {
        let _ = writeln!(o, "  [jury] {}", options.lang.jury_note_line(n, &esc));
    }
    o.push('\n');
}

/// Session summary block: each candidate's notes, after the candidate table; empty without
/// notes.
pub(crate) fn session_html(
    summary: &crate::report::SessionSummary,
    options: &RenderOptions,
    o: &mut String,
) {
    if summary.rows.iter().all(|r| r.jury_notes.is_empty()) {
        return;
    }
    let e = |x: &str| escape::html(x);
    let _ = writeln!(o, "<h2>{}</h2><ul>", options.lang.jury_notes_title());
    for r in &summary.rows {
        for n in &r.jury_notes {
            let _ = writeln!(
                o,
                "<li><strong>{}</strong> — {}</li>",
                e(&r.candidate),
                options.lang.jury_note_line(n, &e)
            );
        }
    }
    o.push_str("</ul>\n");
}
