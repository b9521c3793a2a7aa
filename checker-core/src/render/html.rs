//! HTML renderer: one self-contained printable page (no script, no external resource),
//! evidence first, every string escaped.

use crate::i18n::{Lang, percent, points};
use crate::render::options::RenderOptions;
use crate::report::{CritereStatus, HostStatus, Outcome, Report};
use std::fmt::Write;

pub(crate) use crate::render::escape::html as escape;

pub(crate) const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0;width:100%}td,th{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}\
th{background:#eee}.pass{background:#e3f4e1}.partial{background:#fff4d6}.fail{background:#fbe0e0}\
.skipped{background:#eee;color:#555}.not_assessable{background:#efe6f7}.note{font-style:italic;color:#444}\
@media print{body{margin:0}h2{page-break-after:avoid}tr{page-break-inside:avoid}}";

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

/// Renders a report as a printable HTML page.
pub fn html(report: &Report, options: &RenderOptions) -> String {
    let t = options.lang.strings();
    let e = escape;
    let mut o = String::new();
    let title = format!("{} — {} {}", t.report, t.candidate, report.candidate.id);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        lang_code(options.lang),
        e(&title)
    );
    let _ = writeln!(o, "<h1>{}</h1>", e(&title));
    if let Some(n) = &report.candidate.name {
        let _ = writeln!(o, "<p>{}</p>", e(n));
    }
    let _ = writeln!(
        o,
        "<p>{} : {} « {} » · {} · {} : {} · {} {}</p>",
        t.pack,
        e(&report.pack.id),
        e(&report.pack.title),
        e(&report.pack.referentiel),
        t.profile,
        e(&report.pack.profile_label),
        t.graded_at,
        e(&report.graded_at)
    );
    let _ = writeln!(o, "<p class=\"note\">{}</p>", e(t.disclaimer));
    if !report.identity_warnings.is_empty() {
        let _ = writeln!(
            o,
            "<h2 class=\"fail\">{}</h2><ul class=\"fail\">",
            options.lang.identity_title()
        );
        for w in &report.identity_warnings {
            let _ = writeln!(o, "<li>{}</li>", options.lang.identity_line(w, &e));
        }
        o.push_str("</ul>\n");
    }
    crate::render::jury_notes::html(report, options, &mut o);
    let _ = writeln!(
        o,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>hostname</th><th>{}</th></tr>",
        t.hosts, t.columns[0], t.columns[1], t.observed
    );
    for h in &report.hosts {
        let state = match h.status {
            HostStatus::Observed => t.observed_host.to_owned(),
            HostStatus::Missing => t.missing.to_owned(),
            failed => format!(
                "{} : {}",
                t.host_failure(failed).unwrap_or(t.unreachable),
                h.cause.as_deref().unwrap_or("")
            ),
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&h.role),
            e(&state),
            e(h.hostname.as_deref().unwrap_or("")),
            e(h.observed_at.as_deref().unwrap_or(""))
        );
    }
    o.push_str("</table>\n");
    let _ = writeln!(o, "<h2>{}</h2>", t.checks);
    for c in &report.checks {
        let class = c.outcome.keyword();
        let _ = writeln!(
            o,
            "<h3 class=\"{class}\">{} — {} : {} ({} / {} {})</h3>",
            e(&c.id),
            e(&c.title),
            e(&options.lang.check_verdict(c)),
            points(c.earned),
            points(c.points),
            t.points
        );
        if c.active {
            let _ = writeln!(
                o,
                "<p class=\"active\"><strong>{}</strong></p>",
                e(t.active)
            );
        }
        let _ = writeln!(
            o,
            "<p>{} · {}</p>",
            e(&c.criteres.join(", ")),
            e(&c.hosts.join(", "))
        );
        match &c.outcome {
            Outcome::NotAssessable { reason } => {
                let _ = writeln!(o, "<p class=\"note\">{}</p>", e(reason));
            }
            Outcome::Skipped { requires } => {
                let _ = writeln!(
                    o,
                    "<p class=\"note\">{} : {}</p>",
                    t.requires,
                    e(&requires.join(", "))
                );
            }
            _ => {}
        }
        if !c.evidence.is_empty() {
            let _ = write!(
                o,
                "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
                t.columns[0], t.columns[2], t.columns[3], t.columns[4]
            );
            if options.audience.shows_expected() {
                let _ = write!(o, "<th>{}</th>", t.expected);
            }
            let _ = writeln!(o, "<th>{}</th><th></th></tr>", t.observed);
            for ev in &c.evidence {
                let status = match ev.status {
                    crate::eval::Status::Pass => "pass",
                    crate::eval::Status::Fail => "fail",
                    crate::eval::Status::NotAssessable => "not_assessable",
                };
                let _ = write!(
                    o,
                    "<tr class=\"{status}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                    e(&ev.host),
                    e(&ev.section),
                    e(&ev.path),
                    e(&ev.property)
                );
                if options.audience.shows_expected() {
                    let _ = write!(o, "<td>{}</td>", e(&ev.expected));
                }
                let _ = writeln!(
                    o,
                    "<td>{}</td><td>{}</td></tr>",
                    e(&ev.actual),
                    e(options.lang.status(ev.status))
                );
            }
            o.push_str("</table>\n");
        }
        if options.audience.shows_explanations()
            && let Some(x) = &c.explanation
        {
            let _ = writeln!(o, "<p>{} : {}</p>", t.explanation, e(x));
        }
        if options.audience.shows_hints()
            && let Some(h) = &c.hint
        {
            let _ = writeln!(o, "<p>{} : {}</p>", t.hint, e(h));
        }
    }
    let _ = writeln!(
        o,
        "<h2>{}</h2><table><tr><th>critère</th><th>texte</th><th>classe</th><th>%</th><th>{}</th><th></th></tr>",
        t.criteres, t.coverage
    );
    for k in &report.criteres {
        if k.status == CritereStatus::Interview && k.checks.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{:?}</td><td>{}</td><td>{}/{}</td><td>{}</td></tr>",
            e(&k.id),
            e(&k.text),
            k.class,
            percent(k.score.percent),
            k.assessable,
            k.checks.len(),
            e(options.lang.critere_status(k.status))
        );
    }
    o.push_str("</table>\n");
    let _ = writeln!(
        o,
        "<h2>{}</h2><table><tr><th>id</th><th>titre</th><th>%</th><th>critères couverts</th></tr>",
        t.competences
    );
    for cp in report.competences.iter().filter(|c| c.in_profile) {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}/{}</td></tr>",
            e(&cp.id),
            e(&cp.title),
            percent(cp.score.percent),
            cp.criteres_covered,
            cp.criteres_total
        );
    }
    o.push_str("</table>\n");
    if !report.interview.is_empty() {
        let _ = writeln!(
            o,
            "<h2>{}</h2><p>{}</p>",
            t.interview,
            e(&report.interview.join(", "))
        );
    }
    for h in &report.changes {
        let _ = writeln!(o, "<h2>{} — {}</h2><table>", t.changes, e(&h.role));
        for ch in &h.changes {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                e(options.lang.change(ch.kind)),
                e(&ch.section),
                e(&ch.item),
                e(&ch.detail)
            );
        }
        o.push_str("</table>\n");
    }
    for w in &report.warnings {
        let _ = writeln!(o, "<p class=\"note\">{} : {}</p>", t.warnings, e(w));
    }
    let _ = writeln!(
        o,
        "<h2>{} : {} / {} {} ({})</h2>",
        t.total,
        points(report.total.earned),
        points(report.total.max),
        t.points,
        percent(report.total.percent)
    );
    let _ = writeln!(
        o,
        "<p class=\"note\">{}</p>\n</body></html>",
        e(t.disclaimer)
    );
    o
}
