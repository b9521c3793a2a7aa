//! Session HTML: first one row per candidate (link to the report, total, per-competence %,
//! hosts that gave no snapshot with their cause, identity warnings), every score coloured,
//! narrow enough for 1280 px with 16 candidates; then the candidate × critère grid as a
//! second view (scrolling inside its own box), then the coverage of the critères.

use crate::i18n::{percent, points};
use crate::render::chart::{TONE_STYLE, tone};
use crate::render::html::{STYLE, escape, lang_code, short_id};
use crate::render::options::RenderOptions;
use crate::report::{CoverageAssessment, CritereStatus, Score, SessionSummary};
use std::fmt::Write;

/// Extra style of the summary: a compact head and rows (16 candidates fit a 1280 × 900
/// screen: the candidate on one line, their name cut with an ellipsis on screen and whole in
/// its tooltip and in print; causes in a smaller font), the grid in its own scroll box.
const SESSION_STYLE: &str = ".session h1{font-size:1.5em;margin:0 0 .2em}.session p.note{margin:.1em 0}\
.summary td,.summary th{padding:3px 5px;font-size:.92em}\
.who{white-space:nowrap;max-width:15em;overflow:hidden;text-overflow:ellipsis}\
.cause{max-width:26em;overflow-wrap:anywhere;font-size:.8em!important;line-height:1.25}\
.grid{overflow-x:auto;max-width:100%}.grid table{width:auto}.num{text-align:right;white-space:nowrap}\
@media print{.who{white-space:normal;max-width:none}}";

/// Percent-encodes a candidate id for a relative link (`c 01` → `c%2001`).
fn href_component(id: &str) -> String {
    let mut out = String::new();
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn score_cell(o: &mut String, score: Option<&Score>) {
    match score {
        Some(s) => {
            let _ = write!(
                o,
                "<td class=\"num {}\">{}</td>",
                tone(s),
                percent(s.percent)
            );
        }
        None => o.push_str("<td class=\"num s-none\">—</td>"),
    }
}

/// Renders a session summary as a self-contained HTML page. Each candidate's name links to
/// `<candidate>.html` beside the summary (`reports/` of the session directory).
pub fn session_html(summary: &SessionSummary, options: &RenderOptions) -> String {
    let colon = options.lang.colon();
    let t = options.lang.strings();
    let w = options.lang.words();
    let e = escape;
    let mut o = String::new();
    let title = match &summary.session {
        Some(id) => format!("{} — {id}", t.session),
        None => t.session.to_owned(),
    };
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>{STYLE}{TONE_STYLE}{SESSION_STYLE}</style></head><body class=\"session\">\n<h1>{}</h1>\n<p class=\"note\">{}</p>\n<p class=\"note\">{}</p>\n",
        lang_code(options.lang),
        e(&title),
        e(&title),
        e(t.disclaimer),
        e(w.legend)
    );
    // First view: one row per candidate.
    let _ = write!(
        o,
        "<table class=\"summary\" id=\"candidates\"><thead><tr><th>{}</th><th>{}</th>",
        t.candidate, t.total
    );
    for c in &summary.competences {
        let _ = write!(
            o,
            "<th class=\"num\" title=\"{}\">{}</th>",
            e(&c.title),
            e(short_id(&c.id))
        );
    }
    let _ = writeln!(
        o,
        "<th>{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        w.host_status,
        w.not_assessable_count,
        options.lang.identity_column()
    );
    for r in &summary.rows {
        let name = r
            .name
            .as_ref()
            .map(|n| format!(" — {}", e(n)))
            .unwrap_or_default();
        // The whole name as the cell's tooltip: the screen may cut it with an ellipsis.
        let whole = r
            .name
            .as_ref()
            .map(|n| format!(" title=\"{}\"", e(n)))
            .unwrap_or_default();
        let _ = write!(
            o,
            "<tr><td class=\"who\"{whole}><a href=\"{}.html\" title=\"{}\">{}</a>{name}</td><td class=\"num {}\">{} / {} ({})</td>",
            href_component(&r.candidate),
            w.report_link,
            e(&r.candidate),
            tone(&r.total),
            points(r.total.earned),
            points(r.total.max),
            percent(r.total.percent)
        );
        for (i, _) in summary.competences.iter().enumerate() {
            score_cell(&mut o, r.competences.get(i).and_then(Option::as_ref));
        }
        if r.host_problems.is_empty() {
            let _ = write!(o, "<td>{}</td>", w.all_observed);
        } else {
            let lines: Vec<String> = r
                .host_problems
                .iter()
                .map(|h| {
                    let label = t.host_failure(h.status).unwrap_or(t.missing);
                    match &h.cause {
                        Some(cause) if !cause.is_empty() => {
                            format!(
                                "{}{colon} {} — {}",
                                e(&h.role),
                                e(label),
                                e(&options.lang.shown(cause))
                            )
                        }
                        _ => format!("{}{colon} {}", e(&h.role), e(label)),
                    }
                })
                .collect();
            let _ = write!(o, "<td class=\"fail cause\">{}</td>", lines.join("<br>"));
        }
        let _ = write!(o, "<td class=\"num\">{}</td>", r.not_assessable);
        if r.identity_warnings.is_empty() {
            o.push_str("<td></td></tr>\n");
        } else {
            let lines: Vec<String> = r
                .identity_warnings
                .iter()
                .map(|w| options.lang.identity_line(w, &e))
                .collect();
            let _ = writeln!(
                o,
                "<td class=\"fail cause\">{}</td></tr>",
                lines.join("<br>")
            );
        }
    }
    o.push_str(
        "</tbody></table>
",
    );
    crate::render::jury_notes::session_html(summary, options, &mut o);
    critere_grid(summary, options, &mut o);
    coverage_table(summary, options, &mut o);
    o.push_str("</body></html>\n");
    o
}

/// Second view: candidates × critères, in a box of its own that scrolls when wide.
fn critere_grid(summary: &SessionSummary, options: &RenderOptions, o: &mut String) {
    let t = options.lang.strings();
    let w = options.lang.words();
    let e = escape;
    let _ = write!(
        o,
        "<h2 id=\"grid\">{}</h2>\n<p class=\"note\">{}</p>\n<div class=\"grid\"><table class=\"summary\"><thead><tr><th>{}</th>",
        w.critere_grid, w.critere_grid_intro, t.candidate
    );
    for c in &summary.columns {
        let _ = write!(
            o,
            "<th title=\"{}\">{} ({})</th>",
            e(&c.text),
            e(short_id(&c.id)),
            c.class.label()
        );
    }
    let _ = writeln!(o, "<th>{}</th></tr></thead><tbody>", t.total);
    for r in &summary.rows {
        let _ = write!(o, "<tr><td>{}</td>", e(&r.candidate));
        for cell in &r.cells {
            match cell {
                None => o.push_str("<td></td>"),
                Some(c) if c.status == CritereStatus::Jury => {
                    let _ = write!(
                        o,
                        "<td class=\"s-none\">{}</td>",
                        e(options.lang.critere_status(c.status))
                    );
                }
                Some(c) => {
                    let score = Score {
                        earned: 0.0,
                        max: 0.0,
                        percent: c.percent,
                    };
                    let _ = write!(
                        o,
                        "<td class=\"num {}\">{} <small>({}/{})</small></td>",
                        tone(&score),
                        percent(c.percent),
                        c.assessable,
                        c.checks
                    );
                }
            }
        }
        let _ = writeln!(
            o,
            "<td class=\"num {}\">{} / {} ({})</td></tr>",
            tone(&r.total),
            points(r.total.earned),
            points(r.total.max),
            percent(r.total.percent)
        );
    }
    o.push_str("</tbody></table></div>\n");
}

/// The per-critère coverage: class, scored or interview, assessment, covering checks.
fn coverage_table(summary: &SessionSummary, options: &RenderOptions, o: &mut String) {
    let colon = options.lang.colon();
    let t = options.lang.strings();
    let e = escape;
    if summary.coverage.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table><thead><tr>{}</tr></thead><tbody>",
        e(t.coverage_title),
        e(t.coverage_intro),
        t.coverage_columns
            .iter()
            .map(|c| format!("<th>{}</th>", e(c)))
            .collect::<String>()
    );
    for k in &summary.coverage {
        let class = match k.assessment {
            CoverageAssessment::Machine | CoverageAssessment::MachineAndJury => "pass",
            CoverageAssessment::Jury | CoverageAssessment::Uncovered => "skipped",
        };
        let _ = writeln!(
            o,
            "<tr class=\"{class}\"><td title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&k.text),
            e(&k.id),
            k.class.label(),
            if k.scored {
                t.scored_yes
            } else {
                t.scored_interview
            },
            e(options.lang.coverage(k.assessment)),
            if k.checks.is_empty() {
                "—".to_owned()
            } else {
                e(&k.checks.join(", "))
            }
        );
    }
    o.push_str("</tbody></table>\n");
    let count = |a: CoverageAssessment| {
        summary
            .coverage
            .iter()
            .filter(|k| k.assessment == a)
            .count()
    };
    let _ = writeln!(
        o,
        "<p>{}{colon} {} · {}{colon} {} · {}{colon} {} · {}{colon} {}</p>",
        e(options.lang.coverage(CoverageAssessment::Machine)),
        count(CoverageAssessment::Machine),
        e(options.lang.coverage(CoverageAssessment::MachineAndJury)),
        count(CoverageAssessment::MachineAndJury),
        e(options.lang.coverage(CoverageAssessment::Jury)),
        count(CoverageAssessment::Jury),
        e(options.lang.coverage(CoverageAssessment::Uncovered)),
        count(CoverageAssessment::Uncovered),
    );
}
