//! HTML renderer: one self-contained printable page (no script, no external resource),
//! result first: header, indicative total and per-competence chart, what needs the jury
//! (failed and partial checks, not assessable ones with their cause, identity, jury notes),
//! passed checks collapsed, the critères the pack touches, then an annex. Every string escaped.

use crate::i18n::{Lang, percent, points};
use crate::render::chart::{TONE_STYLE, bars, tone};
use crate::render::clock::local_and_utc;
use crate::render::options::RenderOptions;
use crate::render::words::describe;
use crate::report::{CheckResult, CritereStatus, HostStatus, Outcome, Report};
use std::fmt::Write;

pub(crate) use crate::render::escape::html as escape;

/// Screen and print style: A4 pages numbered, table headers repeated on every page, no
/// heading or header row left alone at the bottom of a page.
pub(crate) const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}\
table{border-collapse:collapse;margin:.5em 0 1em;width:100%}td,th{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}\
th{background:#eee}.pass{background:#e3f4e1}.partial{background:#fff4d6}.fail{background:#fbe0e0}\
.skipped{background:#eee;color:#555}.not_assessable{background:#efe6f7}.unused{background:#f6f6f6;color:#666}.note{font-style:italic;color:#444}\
.raw{color:#666;font-size:.8em;font-family:monospace}.total{font-size:1.6em;font-weight:bold;margin:.2em 0}\
.counts{margin:.2em 0 1em}.meta{color:#333}.check{margin:.8em 0}.check h4{margin:.3em 0;padding:3px 6px}\
details.check>summary{cursor:pointer;padding:3px 6px}.result{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}\
thead{display:table-header-group}tr,summary,.check h4,svg{break-inside:avoid}h1,h2,h3,h4{break-after:avoid}\
@page{size:A4;margin:14mm 12mm 16mm;@bottom-right{content:counter(page) \" / \" counter(pages);font-size:9pt;color:#555}}\
@media print{body{margin:0;max-width:none;font-size:10pt}}";

/// `lang` attribute value.
pub(crate) fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

/// Renders a report as a printable HTML page.
pub fn html(report: &Report, options: &RenderOptions) -> String {
    let colon = options.lang.colon();
    let (oq, cq) = options.lang.quotes();
    let t = options.lang.strings();
    let w = options.lang.words();
    let e = escape;
    let mut o = String::new();
    let title = format!("{} — {} {}", t.report, t.candidate, report.candidate.id);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>{STYLE}{TONE_STYLE}</style></head><body>\n",
        lang_code(options.lang),
        e(&title)
    );
    // Header: who, what, when.
    let name = report
        .candidate
        .name
        .as_ref()
        .map(|n| format!(" — {}", e(n)))
        .unwrap_or_default();
    let _ = writeln!(o, "<header><h1>{}{name}</h1>", e(&title));
    let version = report
        .pack
        .version
        .as_ref()
        .map(|v| format!(" {}", e(v)))
        .unwrap_or_default();
    let session = report
        .session
        .as_ref()
        .map(|s| format!("{}{colon} {} · ", t.session_label, e(s)))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "<p class=\"meta\">{session}{}{colon} {}{version} {oq}{}{cq} · {} · {}{colon} {} · {} {}</p>",
        t.pack,
        e(&report.pack.id),
        e(&report.pack.title),
        e(&report.pack.referentiel_label),
        t.profile,
        e(options.lang.profile_label(&report.pack.profile_label)),
        t.graded_at,
        e(&local_and_utc(options.lang, &report.graded_at))
    );
    let _ = writeln!(o, "<p class=\"note\">{}</p></header>", e(t.disclaimer));
    result_section(report, options, &mut o);
    jury_section(report, options, &mut o);
    // Passed checks, collapsed.
    let passed: Vec<&CheckResult> = report
        .checks
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Pass))
        .collect();
    if !passed.is_empty() {
        let _ = writeln!(
            o,
            "<section id=\"passed\"><h2>{} ({})</h2>",
            w.passed,
            passed.len()
        );
        for c in passed {
            let _ = write!(o, "<details class=\"check\"><summary class=\"pass\">");
            check_heading(c, options, &mut o);
            o.push_str("</summary>\n");
            check_body(c, options, &mut o);
            o.push_str("</details>\n");
        }
        o.push_str("</section>\n");
    }
    criteres_section(report, options, &mut o);
    hosts_table(report, options, &mut o);
    if !report.interview.is_empty() {
        let _ = writeln!(
            o,
            "<h2>{}</h2><p>{}</p>",
            t.interview,
            e(&report.interview.join(", "))
        );
    }
    for h in &report.changes {
        let _ = writeln!(o, "<h2>{} — {}</h2><table><tbody>", t.changes, e(&h.role));
        for ch in &h.changes {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                e(options.lang.change(ch.kind)),
                e(&ch.section),
                e(&ch.item),
                e(&crate::eval::words::change_display(
                    options.lang,
                    &ch.detail
                ))
            );
        }
        o.push_str("</tbody></table>\n");
    }
    for warning in &report.warnings {
        let _ = writeln!(
            o,
            "<p class=\"note\">{}{} {}</p>",
            t.warnings,
            if options.lang == crate::i18n::Lang::Fr {
                " :"
            } else {
                ":"
            },
            e(&options.lang.warning(report, warning))
        );
    }
    annex(report, options, &mut o);
    let _ = writeln!(
        o,
        "<p class=\"note\">{}</p>\n</body></html>",
        e(t.disclaimer)
    );
    o
}

/// The indicative total, the counts of checks by outcome and the per-competence chart.
fn result_section(report: &Report, options: &RenderOptions, o: &mut String) {
    let colon = options.lang.colon();
    let t = options.lang.strings();
    let w = options.lang.words();
    let _ = writeln!(
        o,
        "<section id=\"result\"><h2>{}</h2><div class=\"result\"><div><p class=\"total {}\" id=\"total\">{}{colon} {} / {} {} ({})</p>",
        w.result,
        tone(&report.total),
        t.total,
        points(report.total.earned),
        points(report.total.max),
        t.points,
        percent(report.total.percent)
    );
    let count = |f: fn(&Outcome) -> bool| report.checks.iter().filter(|c| f(&c.outcome)).count();
    let counts = [
        count(|o| matches!(o, Outcome::Pass)),
        count(|o| matches!(o, Outcome::Partial { .. })),
        count(|o| matches!(o, Outcome::Fail)),
        count(|o| matches!(o, Outcome::NotAssessable { .. })),
        count(|o| matches!(o, Outcome::Skipped { .. })),
    ];
    let parts: Vec<String> = counts
        .iter()
        .zip(w.counts)
        .filter(|(n, _)| **n > 0)
        .map(|(n, label)| format!("{n} {label}"))
        .collect();
    let _ = writeln!(
        o,
        "<p class=\"counts\">{}{colon} {}</p></div>",
        t.checks,
        escape(&parts.join(" · "))
    );
    let rows: Vec<(&str, &str, crate::report::Score)> = report
        .competences
        .iter()
        .filter(|c| c.in_profile && c.score.max > 0.0)
        .map(|c| (short_id(&c.id), c.title.as_str(), c.score))
        .collect();
    if !rows.is_empty() {
        let _ = writeln!(
            o,
            "<figure><figcaption>{}</figcaption>{}</figure>",
            w.by_competence,
            bars(w.chart_label, &rows)
        );
    }
    o.push_str("</div></section>\n");
}

/// What needs the jury: identity, hosts not observed, jury notes, failed and partial
/// checks, not assessable ones with their cause, checks not evaluated.
fn jury_section(report: &Report, options: &RenderOptions, o: &mut String) {
    let colon = options.lang.colon();
    let t = options.lang.strings();
    let w = options.lang.words();
    let e = escape;
    let _ = writeln!(o, "<section id=\"jury\"><h2>{}</h2>", w.needs_jury);
    if !report.identity_warnings.is_empty() {
        let _ = writeln!(
            o,
            "<h3 class=\"fail\">{}</h3><ul class=\"fail\">",
            options.lang.identity_title()
        );
        for warning in &report.identity_warnings {
            let _ = writeln!(o, "<li>{}</li>", options.lang.identity_line(warning, &e));
        }
        o.push_str("</ul>\n");
    }
    let failed_hosts: Vec<_> = report
        .hosts
        .iter()
        .filter(|h| h.status != HostStatus::Observed)
        .collect();
    if !failed_hosts.is_empty() {
        let _ = writeln!(o, "<h3 class=\"fail\">{}</h3><ul>", w.hosts_not_observed);
        for h in failed_hosts {
            let label = t.host_failure(h.status).unwrap_or(t.missing);
            let cause = h
                .cause
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(|c| format!(" — {}", e(&options.lang.shown(c))))
                .unwrap_or_default();
            let _ = writeln!(o, "<li>{}{colon} {}{cause}</li>", e(&h.role), e(label));
        }
        o.push_str("</ul>\n");
    }
    crate::render::jury_notes::html(report, options, o);
    let groups = jury_groups(options.lang);
    let mut any = false;
    for (heading, belongs) in groups {
        let checks: Vec<&CheckResult> = report
            .checks
            .iter()
            .filter(|c| belongs(&c.outcome))
            .collect();
        if checks.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(o, "<h3>{heading} ({})</h3>", checks.len());
        for c in checks {
            let _ = write!(
                o,
                "<div class=\"check\"><h4 class=\"{}\">",
                c.outcome.keyword()
            );
            check_heading(c, options, o);
            o.push_str("</h4>\n");
            check_body(c, options, o);
            o.push_str("</div>\n");
        }
    }
    if !any {
        let _ = writeln!(o, "<p>{}</p>", w.nothing_for_jury);
    }
    o.push_str("</section>\n");
}

/// `lnx-users — Les comptes… : partiel (67 %) (2 / 3 pts)`.
fn check_heading(c: &CheckResult, options: &RenderOptions, o: &mut String) {
    let colon = options.lang.colon();
    let t = options.lang.strings();
    let e = escape;
    let _ = write!(
        o,
        "{} — {}{colon} {} ({} / {} {})",
        e(&c.id),
        e(&c.title),
        e(&options.lang.check_verdict(c)),
        points(c.earned),
        points(c.points),
        t.points
    );
}

/// Critères, hosts, cause, evidence in words, explanation and hint of one check.
fn check_body(c: &CheckResult, options: &RenderOptions, o: &mut String) {
    let colon = options.lang.colon();
    let t = options.lang.strings();
    let w = options.lang.words();
    let e = escape;
    if c.active {
        let _ = writeln!(
            o,
            "<p class=\"active\"><strong>{}</strong></p>",
            e(t.active)
        );
    }
    let scored = if c.scored {
        String::new()
    } else {
        format!(" · {}", w.out_of_profile)
    };
    let _ = writeln!(
        o,
        "<p class=\"meta\">{} · {}{scored}</p>",
        e(&c.criteres.join(", ")),
        e(&c.hosts.join(", "))
    );
    match &c.outcome {
        Outcome::NotAssessable { reason } => {
            let _ = writeln!(
                o,
                "<p class=\"note\">{}</p>",
                e(&options.lang.shown(reason))
            );
        }
        Outcome::Skipped { requires } => {
            let _ = writeln!(
                o,
                "<p class=\"note\">{}</p>",
                e(&options.lang.prerequisites_line(&requires.join(", ")))
            );
        }
        _ => {}
    }
    if !c.evidence.is_empty() {
        let _ = write!(o, "<table><thead><tr><th>{}</th>", w.looked_at);
        if options.audience.shows_expected() {
            let _ = write!(o, "<th>{}</th>", t.expected);
        }
        let _ = writeln!(
            o,
            "<th>{}</th><th>{}</th></tr></thead><tbody>",
            t.observed, w.verdict
        );
        for ev in &c.evidence {
            let d = describe(options.lang, ev);
            let _ = write!(
                o,
                "<tr class=\"{}\"><td>{}<br><span class=\"raw\" title=\"{}\">{}</span></td>",
                d.tone,
                e(&d.what),
                w.raw,
                e(&d.raw)
            );
            if options.audience.shows_expected() {
                let _ = write!(o, "<td>{}</td>", e(&d.expected));
            }
            let _ = writeln!(
                o,
                "<td>{}</td><td>{}</td></tr>",
                e(&options.lang.shown(&ev.actual)),
                e(d.verdict)
            );
        }
        o.push_str("</tbody></table>\n");
    }
    if options.audience.shows_explanations()
        && let Some(x) = &c.explanation
    {
        let _ = writeln!(o, "<p>{}{colon} {}</p>", t.explanation, e(x));
    }
    if options.audience.shows_hints()
        && let Some(h) = &c.hint
    {
        let _ = writeln!(o, "<p>{}{colon} {}</p>", t.hint, e(h));
    }
}

/// Critères the pack touches, then one line for the others (listed in the annex), then the
/// competences of the profile.
fn criteres_section(report: &Report, options: &RenderOptions, o: &mut String) {
    let t = options.lang.strings();
    let e = escape;
    let _ = writeln!(
        o,
        "<section id=\"criteres\"><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>%</th><th>{}</th><th></th></tr></thead><tbody>",
        t.criteres,
        t.coverage_columns[0],
        if options.lang == Lang::Fr {
            "texte"
        } else {
            "text"
        },
        t.coverage_columns[1],
        t.coverage
    );
    for k in report
        .criteres
        .iter()
        .filter(|k| !k.checks.is_empty() && k.status != CritereStatus::Interview)
    {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}/{}</td><td>{}</td></tr>",
            e(&k.id),
            e(&k.text),
            k.class.label(),
            tone(&k.score),
            percent(k.score.percent),
            k.assessable,
            k.checks.len(),
            e(options.lang.critere_status(k.status))
        );
    }
    o.push_str("</tbody></table>\n");
    let jury = jury_criteres(report);
    if !jury.is_empty() {
        let _ = writeln!(
            o,
            "<p><a href=\"#annex\">{}</a></p>",
            e(&options.lang.jury_criteres_line(jury.len()))
        );
    }
    let _ = writeln!(
        o,
        "<h3>{}</h3><table><thead><tr><th>id</th><th>{}</th><th>%</th><th>{}</th></tr></thead><tbody>",
        t.competences,
        if options.lang == Lang::Fr {
            "titre"
        } else {
            "title"
        },
        if options.lang == Lang::Fr {
            "critères couverts"
        } else {
            "critères covered"
        }
    );
    for cp in report.competences.iter().filter(|c| c.in_profile) {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}/{}</td></tr>",
            e(&cp.id),
            e(&cp.title),
            tone(&cp.score),
            percent(cp.score.percent),
            cp.criteres_covered,
            cp.criteres_total
        );
    }
    o.push_str("</tbody></table></section>\n");
}

/// Whether a check's outcome belongs to a group of the jury section.
pub(crate) type Belongs = fn(&Outcome) -> bool;

/// The groups of checks that need the jury, in order: failed and partial, not assessable,
/// not evaluated.
pub(crate) fn jury_groups(lang: Lang) -> [(&'static str, Belongs); 3] {
    let w = lang.words();
    [
        (w.failed_partial, |o| {
            matches!(o, Outcome::Fail | Outcome::Partial { .. })
        }),
        (w.not_assessable, |o| {
            matches!(o, Outcome::NotAssessable { .. })
        }),
        (w.not_evaluated, |o| matches!(o, Outcome::Skipped { .. })),
    ]
}

/// `tssr-2023/CP3` → `CP3` (the référentiel is in the header).
pub(crate) fn short_id(id: &str) -> &str {
    id.split_once('/').map_or(id, |(_, rest)| rest)
}

/// The critères of the profile no check touches: the jury assesses them.
pub(crate) fn jury_criteres(report: &Report) -> Vec<&crate::report::CritereScore> {
    report
        .criteres
        .iter()
        .filter(|k| k.checks.is_empty() && k.status == CritereStatus::Jury)
        .collect()
}

fn hosts_table(report: &Report, options: &RenderOptions, o: &mut String) {
    let colon = options.lang.colon();
    let t = options.lang.strings();
    let e = escape;
    let _ = writeln!(
        o,
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>hostname</th><th>{}</th></tr></thead><tbody>",
        t.hosts, t.columns[0], t.columns[1], t.observed
    );
    for h in &report.hosts {
        let state = match h.status {
            HostStatus::Observed => t.observed_host.to_owned(),
            HostStatus::Missing => t.missing.to_owned(),
            failed => format!(
                "{}{colon} {}",
                t.host_failure(failed).unwrap_or(t.unreachable),
                options.lang.shown(h.cause.as_deref().unwrap_or(""))
            ),
        };
        let at = h
            .observed_at
            .as_deref()
            .map(|a| local_and_utc(options.lang, a))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&h.role),
            e(&state),
            e(h.hostname.as_deref().unwrap_or("")),
            e(&at)
        );
    }
    o.push_str("</tbody></table>\n");
}

fn annex(report: &Report, options: &RenderOptions, o: &mut String) {
    let t = options.lang.strings();
    let w = options.lang.words();
    let e = escape;
    let jury = jury_criteres(report);
    if jury.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "<section id=\"annex\"><h2>{}</h2><p class=\"note\">{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        w.annex,
        w.annex_intro,
        t.coverage_columns[0],
        t.coverage_columns[1],
        if options.lang == Lang::Fr {
            "texte"
        } else {
            "text"
        },
    );
    for k in jury {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(&k.id),
            k.class.label(),
            e(&k.text)
        );
    }
    o.push_str("</tbody></table></section>\n");
}
