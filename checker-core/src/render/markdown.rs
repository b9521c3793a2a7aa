//! Markdown renderer (for a learner's repository or a trainer's notes), result first, in the
//! order of the HTML report: header, total and competences, what needs the jury, passed
//! checks collapsed, the critères the pack touches, the annex.

use crate::i18n::{percent, points};
use crate::render::clock::local_and_utc;
use crate::render::escape::{html, markdown as md, markdown_code};
use crate::render::html::{jury_criteres, jury_groups};
use crate::render::options::RenderOptions;
use crate::render::words::describe;
use crate::report::{CheckResult, CritereStatus, HostStatus, Outcome, Report};
use std::fmt::Write;

/// Renders a report as Markdown.
pub fn markdown(report: &Report, options: &RenderOptions) -> String {
    let colon = options.lang.colon();
    let (oq, cq) = options.lang.quotes();
    let t = options.lang.strings();
    let w = options.lang.words();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {} — {} {}\n",
        t.report,
        t.candidate,
        md(&report.candidate.id)
    );
    let session = report
        .session
        .as_ref()
        .map(|s| format!("{}{colon} {} · ", t.session_label, md(s)))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "{session}{}{colon} `{}` {oq}{}{cq} · {} · {}{colon} {} · {} {}\n",
        t.pack,
        markdown_code(&report.pack.id),
        md(&report.pack.title),
        md(&report.pack.referentiel),
        t.profile,
        md(options.lang.profile_label(&report.pack.profile_label)),
        t.graded_at,
        md(&local_and_utc(options.lang, &report.graded_at))
    );
    let _ = writeln!(
        o,
        "## {}\n\n**{}{colon} {} / {} {} ({})**\n",
        w.result,
        t.total,
        points(report.total.earned),
        points(report.total.max),
        t.points,
        percent(report.total.percent)
    );
    let competences: Vec<_> = report
        .competences
        .iter()
        .filter(|cp| cp.in_profile && cp.score.max > 0.0)
        .collect();
    if !competences.is_empty() {
        let _ = writeln!(o, "| {} | % | |\n|---|---|---|", t.competences);
        for cp in competences {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                md(&cp.id),
                percent(cp.score.percent),
                md(&cp.title)
            );
        }
        o.push('\n');
    }
    let _ = writeln!(o, "> {}\n", t.disclaimer);
    let _ = writeln!(o, "## {}\n", w.needs_jury);
    if !report.identity_warnings.is_empty() {
        let _ = writeln!(o, "### {}\n", options.lang.identity_title());
        for warning in &report.identity_warnings {
            let _ = writeln!(o, "- **{}**", options.lang.identity_line(warning, &md));
        }
        o.push('\n');
    }
    let failed: Vec<_> = report
        .hosts
        .iter()
        .filter(|h| h.status != HostStatus::Observed)
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(o, "### {}\n", w.hosts_not_observed);
        for h in failed {
            let _ = writeln!(
                o,
                "- {}{colon} {} {}",
                md(&h.role),
                t.host_failure(h.status).unwrap_or(t.missing),
                md(&options.lang.shown(h.cause.as_deref().unwrap_or("")))
            );
        }
        o.push('\n');
    }
    crate::render::jury_notes::markdown(report, options, &mut o);
    let groups = jury_groups(options.lang);
    for (heading, belongs) in groups {
        let checks: Vec<&CheckResult> = report
            .checks
            .iter()
            .filter(|c| belongs(&c.outcome))
            .collect();
        if checks.is_empty() {
            continue;
        }
        let _ = writeln!(o, "### {heading} ({})\n", checks.len());
        for c in checks {
            let _ = writeln!(o, "#### {}\n", heading_text(c, options, &md));
            check_body(c, options, &mut o);
        }
    }
    let passed: Vec<&CheckResult> = report
        .checks
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Pass))
        .collect();
    if !passed.is_empty() {
        let _ = writeln!(o, "## {} ({})\n", w.passed, passed.len());
        for c in passed {
            // A collapsed block: GitHub and most viewers render it; the summary is HTML.
            let _ = writeln!(
                o,
                "<details><summary>{}</summary>\n",
                heading_text(c, options, &|x| html(x))
            );
            check_body(c, options, &mut o);
            o.push_str("</details>\n\n");
        }
    }
    let _ = writeln!(
        o,
        "## {}\n\n| critère | % | {} | |\n|---|---|---|---|",
        t.criteres, t.coverage
    );
    for k in report
        .criteres
        .iter()
        .filter(|k| !k.checks.is_empty() && k.status != CritereStatus::Interview)
    {
        let _ = writeln!(
            o,
            "| {} | {} | {}/{} | {} |",
            md(&k.id),
            percent(k.score.percent),
            k.assessable,
            k.checks.len(),
            options.lang.critere_status(k.status)
        );
    }
    let jury = jury_criteres(report);
    if !jury.is_empty() {
        let _ = writeln!(o, "\n{}", options.lang.jury_criteres_line(jury.len()));
    }
    if !report.interview.is_empty() {
        let _ = writeln!(
            o,
            "\n## {}\n\n{}",
            t.interview,
            md(&report.interview.join(", "))
        );
    }
    for h in &report.changes {
        let _ = writeln!(o, "\n## {} — {}\n", t.changes, md(&h.role));
        for ch in &h.changes {
            let _ = writeln!(
                o,
                "- {} {} `{}` — {}",
                options.lang.change(ch.kind),
                md(&ch.section),
                markdown_code(&ch.item),
                md(&crate::eval::words::change_display(
                    options.lang,
                    &ch.detail
                ))
            );
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(o, "\n## {}\n", t.warnings);
        for warning in &report.warnings {
            let _ = writeln!(o, "- {}", md(&options.lang.warning(report, warning)));
        }
    }
    if !jury.is_empty() {
        let _ = writeln!(
            o,
            "\n## {}\n\n| {} | {} | |\n|---|---|---|",
            w.annex, t.coverage_columns[0], t.coverage_columns[1]
        );
        for k in jury {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                md(&k.id),
                k.class.label(),
                md(&k.text)
            );
        }
    }
    o
}

fn heading_text(c: &CheckResult, options: &RenderOptions, esc: &dyn Fn(&str) -> String) -> String {
    let colon = options.lang.colon();
    let t = options.lang.strings();
    format!(
        "{} — {}{colon} {} ({} / {} {})",
        esc(&c.id),
        esc(&c.title),
        esc(&options.lang.check_verdict(c)),
        points(c.earned),
        points(c.points),
        t.points
    )
}

fn check_body(c: &CheckResult, options: &RenderOptions, o: &mut String) {
    let colon = options.lang.colon();
    let t = options.lang.strings();
    let w = options.lang.words();
    if c.active {
        let _ = writeln!(o, "**{}**\n", md(t.active));
    }
    match &c.outcome {
        Outcome::NotAssessable { reason } => {
            let _ = writeln!(o, "*{}*\n", md(&options.lang.shown(reason)));
        }
        Outcome::Skipped { requires } => {
            let _ = writeln!(
                o,
                "*{}*\n",
                md(&options.lang.prerequisites_line(&requires.join(", ")))
            );
        }
        _ => {}
    }
    if !c.evidence.is_empty() {
        if options.audience.shows_expected() {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |\n|---|---|---|---|",
                w.looked_at, t.expected, t.observed, w.verdict
            );
        } else {
            let _ = writeln!(
                o,
                "| {} | {} | {} |\n|---|---|---|",
                w.looked_at, t.observed, w.verdict
            );
        }
        for e in &c.evidence {
            let d = describe(options.lang, e);
            let what = format!("{} <sub>{}</sub>", md(&d.what), md(&d.raw));
            if options.audience.shows_expected() {
                let _ = writeln!(
                    o,
                    "| {what} | {} | {} | {} |",
                    md(&d.expected),
                    md(&options.lang.shown(&e.actual)),
                    d.verdict
                );
            } else {
                let _ = writeln!(
                    o,
                    "| {what} | {} | {} |",
                    md(&options.lang.shown(&e.actual)),
                    d.verdict
                );
            }
        }
        o.push('\n');
    }
    if options.audience.shows_explanations()
        && let Some(x) = &c.explanation
    {
        let _ = writeln!(o, "{}{colon} {}\n", t.explanation, md(x));
    }
    if options.audience.shows_hints()
        && let Some(h) = &c.hint
    {
        let _ = writeln!(o, "{}{colon} {}\n", t.hint, md(h));
    }
}
