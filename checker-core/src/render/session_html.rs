//! Session HTML: a printable table candidates × critères.

use crate::i18n::{percent, points};
use crate::render::html::{STYLE, escape};
use crate::render::options::RenderOptions;
use crate::report::{CoverageAssessment, CritereStatus, SessionSummary};
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
    let _ = writeln!(
        o,
        "<th>{}</th><th>{}</th><th>{}</th></tr>",
        t.total,
        t.hosts,
        options.lang.identity_column()
    );
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
        let _ = write!(
            o,
            "<td>{} / {} ({})</td>",
            points(r.total.earned),
            points(r.total.max),
            percent(r.total.percent)
        );
        if r.host_problems.is_empty() {
            o.push_str("<td></td>");
        } else {
            let lines: Vec<String> = r
                .host_problems
                .iter()
                .map(|h| {
                    let label = t.host_failure(h.status).unwrap_or(t.missing);
                    match &h.cause {
                        Some(cause) if !cause.is_empty() => {
                            format!("{} : {} — {}", e(&h.role), e(label), e(cause))
                        }
                        _ => format!("{} : {}", e(&h.role), e(label)),
                    }
                })
                .collect();
            let _ = write!(o, "<td class=\"fail\">{}</td>", lines.join("<br>"));
        }
        if r.identity_warnings.is_empty() {
            o.push_str("<td></td></tr>\n");
        } else {
            let lines: Vec<String> = r
                .identity_warnings
                .iter()
                .map(|w| options.lang.identity_line(w, &e))
                .collect();
            let _ = writeln!(o, "<td class=\"fail\">{}</td></tr>", lines.join("<br>"));
        }
    }
    o.push_str("</table>\n");
    crate::render::jury_notes::session_html(summary, options, &mut o);
    coverage_table(summary, options, &mut o);
    o.push_str("</body></html>\n");
    o
}

/// The per-critère coverage: class, scored or interview, assessment, covering checks.
fn coverage_table(summary: &SessionSummary, options: &RenderOptions, o: &mut String) {
    let t = options.lang.strings();
    let e = escape;
    if summary.coverage.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table><tr>{}</tr>",
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
            "<tr class=\"{class}\"><td title=\"{}\">{}</td><td>{:?}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&k.text),
            e(&k.id),
            k.class,
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
    o.push_str("</table>\n");
    let count = |a: CoverageAssessment| {
        summary
            .coverage
            .iter()
            .filter(|k| k.assessment == a)
            .count()
    };
    let _ = writeln!(
        o,
        "<p>{} : {} · {} : {} · {} : {} · {} : {}</p>",
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
