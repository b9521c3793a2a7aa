//! Terminal renderer: compact text, coloured when asked, result first (same order as the
//! HTML report): header, total and competences, what needs the jury, passed checks in one
//! line each, the critères the pack touches, the annex.

use crate::i18n::{percent, points};
use crate::render::clock::local_and_utc;
use crate::render::escape::terminal as v;
use crate::render::html::jury_criteres;
use crate::render::options::RenderOptions;
use crate::render::words::describe;
use crate::report::{CheckResult, CritereStatus, HostStatus, Outcome, Report};
use std::fmt::Write;

fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

fn tag(o: &Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Pass => ("[OK]", "32"),
        Outcome::Partial { .. } => ("[~~]", "33"),
        Outcome::Fail => ("[KO]", "31"),
        Outcome::Skipped { .. } => ("[--]", "90"),
        Outcome::NotAssessable { .. } => ("[??]", "35"),
    }
}

/// A ten-cell text bar: `██████░░░░`.
fn bar(p: Option<f64>) -> String {
    let filled =
        (p.filter(|p| p.is_finite()).unwrap_or(0.0).clamp(0.0, 1.0) * 10.0).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

/// Renders a report for a terminal.
pub fn terminal(report: &Report, options: &RenderOptions) -> String {
    let colon = options.lang.colon();
    let (oq, cq) = options.lang.quotes();
    let t = options.lang.strings();
    let w = options.lang.words();
    let c = options.color;
    let mut out = String::new();
    let name = report
        .candidate
        .name
        .as_ref()
        .map(|n| format!(" ({})", v(n)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} — {} {}{name}",
        paint(c, "1", t.report),
        t.candidate,
        v(&report.candidate.id)
    );
    let session = report
        .session
        .as_ref()
        .map(|s| format!("{}{colon} {} · ", t.session_label, v(s)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{session}{}{colon} {} {oq}{}{cq} · {} · {}{colon} {} · {} {}",
        t.pack,
        v(&report.pack.id),
        v(&report.pack.title),
        v(&report.pack.referentiel),
        t.profile,
        v(options.lang.profile_label(&report.pack.profile_label)),
        t.graded_at,
        v(&local_and_utc(options.lang, &report.graded_at))
    );
    // Result.
    let _ = writeln!(
        out,
        "\n{}{colon} {} / {} {} ({})",
        paint(c, "1", t.total),
        points(report.total.earned),
        points(report.total.max),
        t.points,
        percent(report.total.percent)
    );
    for cp in report
        .competences
        .iter()
        .filter(|cp| cp.in_profile && cp.score.max > 0.0)
    {
        let _ = writeln!(
            out,
            "  {:<6} {} {:>6}  {}",
            v(&cp.id),
            bar(cp.score.percent),
            percent(cp.score.percent),
            v(&cp.title)
        );
    }
    let _ = writeln!(out, "{}", t.disclaimer);
    // What needs the jury.
    let _ = writeln!(out, "\n{}", paint(c, "1", w.needs_jury));
    if !report.identity_warnings.is_empty() {
        let esc = |x: &str| v(x).into_owned();
        for warning in &report.identity_warnings {
            let line = options.lang.identity_line(warning, &esc);
            let _ = writeln!(out, "{} {line}", paint(c, "1;31", "[!!]"));
        }
    }
    for h in report
        .hosts
        .iter()
        .filter(|h| h.status != HostStatus::Observed)
    {
        let label = t.host_failure(h.status).unwrap_or(t.missing);
        let _ = writeln!(
            out,
            "{} {} ({}{colon} {})",
            paint(c, "1;31", "[!!]"),
            v(&h.role),
            label,
            v(&options.lang.shown(h.cause.as_deref().unwrap_or("")))
        );
    }
    crate::render::jury_notes::terminal(report, options, &mut out);
    let needs: Vec<&CheckResult> = [
        |o: &Outcome| matches!(o, Outcome::Fail | Outcome::Partial { .. }),
        |o: &Outcome| matches!(o, Outcome::NotAssessable { .. }),
        |o: &Outcome| matches!(o, Outcome::Skipped { .. }),
    ]
    .iter()
    .flat_map(|f| report.checks.iter().filter(move |ch| f(&ch.outcome)))
    .collect();
    if needs.is_empty() && report.identity_warnings.is_empty() {
        let _ = writeln!(out, "  {}", w.nothing_for_jury);
    }
    for check in needs {
        check_line(check, options, &mut out);
        match &check.outcome {
            Outcome::NotAssessable { reason } => {
                let _ = writeln!(out, "     {}", v(&options.lang.shown(reason)));
            }
            Outcome::Skipped { requires } => {
                let _ = writeln!(
                    out,
                    "     {}",
                    v(&options.lang.prerequisites_line(&requires.join(", ")))
                );
            }
            _ => {}
        }
        for e in &check.evidence {
            let d = describe(options.lang, e);
            if d.tone != "fail" {
                continue;
            }
            if options.audience.shows_expected() {
                let _ = writeln!(
                    out,
                    "     - {} ({}){colon} {} {oq}{}{cq}, {} {oq}{}{cq}",
                    v(&d.what),
                    v(&e.host),
                    t.expected,
                    v(&d.expected),
                    t.observed,
                    v(&options.lang.shown(&e.actual))
                );
            } else {
                let _ = writeln!(
                    out,
                    "     - {} ({}){colon} {} {oq}{}{cq}",
                    v(&d.what),
                    v(&e.host),
                    t.observed,
                    v(&options.lang.shown(&e.actual))
                );
            }
        }
        if options.audience.shows_hints()
            && let Some(h) = &check.hint
        {
            let _ = writeln!(out, "     {}{colon} {}", t.hint, v(h));
        }
    }
    // Passed checks, one line each.
    let passed: Vec<&CheckResult> = report
        .checks
        .iter()
        .filter(|ch| matches!(ch.outcome, Outcome::Pass))
        .collect();
    if !passed.is_empty() {
        let _ = writeln!(out, "\n{} ({})", paint(c, "1", w.passed), passed.len());
        for check in passed {
            check_line(check, options, &mut out);
        }
    }
    let _ = writeln!(out, "\n{}", paint(c, "1", t.criteres));
    for k in report
        .criteres
        .iter()
        .filter(|k| !k.checks.is_empty() && k.status != CritereStatus::Interview)
    {
        let _ = writeln!(
            out,
            "  {:<20} {:>6}  {}/{} {}  {}",
            v(&k.id),
            percent(k.score.percent),
            k.assessable,
            k.checks.len(),
            t.coverage,
            options.lang.critere_status(k.status)
        );
    }
    let jury = jury_criteres(report);
    if !jury.is_empty() {
        let _ = writeln!(out, "  {}", options.lang.jury_criteres_line(jury.len()));
    }
    let _ = writeln!(
        out,
        "{}{colon} {}",
        t.interview,
        if report.interview.is_empty() {
            t.none.to_owned()
        } else {
            v(&report.interview.join(", ")).into_owned()
        }
    );
    for h in &report.changes {
        let _ = writeln!(out, "\n{} ({}) :", t.changes, v(&h.role));
        for ch in &h.changes {
            let _ = writeln!(
                out,
                "  {:<9} {:<14} {} — {}",
                options.lang.change(ch.kind),
                v(&ch.section),
                v(&ch.item),
                v(&crate::eval::words::change_display(
                    options.lang,
                    &ch.detail
                ))
            );
        }
    }
    for warning in &report.warnings {
        let _ = writeln!(
            out,
            "{}{} {}",
            paint(c, "33", t.warnings),
            if options.lang == crate::i18n::Lang::Fr {
                " :"
            } else {
                ":"
            },
            v(&options.lang.warning(report, warning))
        );
    }
    if !jury.is_empty() {
        let ids: Vec<&str> = jury.iter().map(|k| &*k.id).collect();
        let _ = writeln!(out, "\n{}{colon} {}", w.annex, v(&ids.join(", ")));
    }
    out
}

fn check_line(check: &CheckResult, options: &RenderOptions, out: &mut String) {
    let t = options.lang.strings();
    let (label, colour) = tag(&check.outcome);
    let _ = writeln!(
        out,
        "{} {} — {} ({} / {} {}) {}",
        paint(options.color, colour, label),
        v(&check.id),
        v(&check.title),
        points(check.earned),
        points(check.points),
        t.points,
        options.lang.check_verdict(check)
    );
    if check.active {
        let _ = writeln!(out, "     [{}]", t.active);
    }
}
