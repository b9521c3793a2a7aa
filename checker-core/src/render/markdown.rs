//! Markdown renderer (for a learner's repository or a trainer's notes).

use crate::i18n::{percent, points};
use crate::render::escape::{markdown as md, markdown_code};
use crate::render::options::RenderOptions;
use crate::report::{CritereStatus, Outcome, Report};
use std::fmt::Write;

/// Renders a report as Markdown.
pub fn markdown(report: &Report, options: &RenderOptions) -> String {
    let t = options.lang.strings();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {} — {} {}\n",
        t.report,
        t.candidate,
        md(&report.candidate.id)
    );
    let _ = writeln!(
        o,
        "{} : `{}` « {} » · {} · {} : {} · {} {}\n",
        t.pack,
        markdown_code(&report.pack.id),
        md(&report.pack.title),
        md(&report.pack.referentiel),
        t.profile,
        md(&report.pack.profile_label),
        t.graded_at,
        md(&report.graded_at)
    );
    let _ = writeln!(o, "> {}\n", t.disclaimer);
    if !report.identity_warnings.is_empty() {
        let _ = writeln!(o, "## {}\n", options.lang.identity_title());
        for w in &report.identity_warnings {
            let _ = writeln!(o, "- **{}**", options.lang.identity_line(w, &md));
        }
        o.push('\n');
    }
    crate::render::jury_notes::markdown(report, options, &mut o);
    let _ = writeln!(o, "## {}\n", t.checks);
    for c in &report.checks {
        let _ = writeln!(
            o,
            "### {} — {} : {} ({} / {} {})\n",
            md(&c.id),
            md(&c.title),
            options.lang.check_verdict(c),
            points(c.earned),
            points(c.points),
            t.points
        );
        if c.active {
            let _ = writeln!(o, "**{}**\n", md(t.active));
        }
        match &c.outcome {
            Outcome::NotAssessable { reason } => {
                let _ = writeln!(o, "*{}*\n", md(reason));
            }
            Outcome::Skipped { requires } => {
                let _ = writeln!(o, "*{} : {}*\n", t.requires, md(&requires.join(", ")));
            }
            _ => {}
        }
        if !c.evidence.is_empty() {
            if options.audience.shows_expected() {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} | |\n|---|---|---|---|---|---|",
                    t.columns[0], t.columns[3], t.columns[4], t.expected, t.observed
                );
            } else {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | |\n|---|---|---|---|---|",
                    t.columns[0], t.columns[3], t.columns[4], t.observed
                );
            }
            for e in &c.evidence {
                let object = format!("{} {}", e.section, e.path);
                if options.audience.shows_expected() {
                    let _ = writeln!(
                        o,
                        "| {} | {} | {} | {} | {} | {} |",
                        md(&e.host),
                        md(object.trim()),
                        md(&e.property),
                        md(&e.expected),
                        md(&e.actual),
                        options.lang.status(e.status)
                    );
                } else {
                    let _ = writeln!(
                        o,
                        "| {} | {} | {} | {} | {} |",
                        md(&e.host),
                        md(object.trim()),
                        md(&e.property),
                        md(&e.actual),
                        options.lang.status(e.status)
                    );
                }
            }
            o.push('\n');
        }
        if options.audience.shows_explanations()
            && let Some(x) = &c.explanation
        {
            let _ = writeln!(o, "{} : {}\n", t.explanation, md(x));
        }
        if options.audience.shows_hints()
            && let Some(h) = &c.hint
        {
            let _ = writeln!(o, "{} : {}\n", t.hint, md(h));
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
        .filter(|k| !k.checks.is_empty() || k.status == CritereStatus::Jury)
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
                md(&ch.detail)
            );
        }
    }
    let _ = writeln!(
        o,
        "\n**{} : {} / {} {} ({})**",
        t.total,
        points(report.total.earned),
        points(report.total.max),
        t.points,
        percent(report.total.percent)
    );
    o
}
