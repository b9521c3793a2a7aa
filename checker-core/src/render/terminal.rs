//! Terminal renderer: compact text, coloured when asked.

use crate::eval::Status;
use crate::i18n::{percent, points};
use crate::render::escape::terminal as v;
use crate::render::options::RenderOptions;
use crate::report::{CritereStatus, HostStatus, Outcome, Report};
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

/// Renders a report for a terminal.
pub fn terminal(report: &Report, options: &RenderOptions) -> String {
    let t = options.lang.strings();
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
    let _ = writeln!(
        out,
        "{} : {} « {} » · {} · {} {} · {} {}",
        t.pack,
        v(&report.pack.id),
        v(&report.pack.title),
        v(&report.pack.referentiel),
        t.profile,
        v(&report.pack.profile),
        t.graded_at,
        v(&report.graded_at)
    );
    let hosts: Vec<String> = report
        .hosts
        .iter()
        .map(|h| match h.status {
            HostStatus::Observed => format!(
                "{} ({}, {} {})",
                v(&h.role),
                v(h.hostname.as_deref().unwrap_or("?")),
                t.observed_host,
                v(h.observed_at.as_deref().unwrap_or("?"))
            ),
            HostStatus::Missing => format!("{} ({})", v(&h.role), t.missing),
            failed => format!(
                "{} ({} : {})",
                v(&h.role),
                t.host_failure(failed).unwrap_or(t.unreachable),
                v(h.cause.as_deref().unwrap_or(""))
            ),
        })
        .collect();
    let _ = writeln!(out, "{} : {}\n", t.hosts, hosts.join(", "));
    if !report.identity_warnings.is_empty() {
        let esc = |x: &str| v(x).into_owned();
        for w in &report.identity_warnings {
            let line = options.lang.identity_line(w, &esc);
            let _ = writeln!(out, "{} {line}", paint(c, "1;31", "[!!]"));
        }
        out.push('\n');
    }
    crate::render::jury_notes::terminal(report, options, &mut out);
    for check in &report.checks {
        let (label, colour) = tag(&check.outcome);
        let _ = writeln!(
            out,
            "{} {} — {} ({} / {} {}) {}",
            paint(c, colour, label),
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
        match &check.outcome {
            Outcome::NotAssessable { reason } => {
                let _ = writeln!(out, "     {}", v(reason));
            }
            Outcome::Skipped { requires } => {
                let _ = writeln!(out, "     {} : {}", t.requires, v(&requires.join(", ")));
            }
            _ => {}
        }
        if !matches!(check.outcome, Outcome::Pass) {
            for e in check.evidence.iter().filter(|e| e.status == Status::Fail) {
                if options.audience.shows_expected() {
                    let _ = writeln!(
                        out,
                        "     - {} {} {} {} : {} « {} », {} « {} »",
                        v(&e.host),
                        v(&e.section),
                        v(&e.path),
                        v(&e.property),
                        t.expected,
                        v(&e.expected),
                        t.observed,
                        v(&e.actual)
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "     - {} {} {} {} : {} « {} »",
                        v(&e.host),
                        v(&e.section),
                        v(&e.path),
                        v(&e.property),
                        t.observed,
                        v(&e.actual)
                    );
                }
            }
        }
        if options.audience.shows_hints()
            && let Some(h) = &check.hint
        {
            let _ = writeln!(out, "     {} : {}", t.hint, v(h));
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
    let jury: Vec<&str> = report
        .criteres
        .iter()
        .filter(|k| k.status == CritereStatus::Jury)
        .map(|k| &*k.id)
        .collect();
    let _ = writeln!(
        out,
        "\n{} : {}",
        t.jury,
        if jury.is_empty() {
            t.none.to_owned()
        } else {
            v(&jury.join(", ")).into_owned()
        }
    );
    let _ = writeln!(
        out,
        "{} : {}",
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
                v(&ch.detail)
            );
        }
    }
    for w in &report.warnings {
        let _ = writeln!(out, "{} : {}", paint(c, "33", t.warnings), v(w));
    }
    let _ = writeln!(
        out,
        "\n{} : {} / {} {} ({})",
        paint(c, "1", t.total),
        points(report.total.earned),
        points(report.total.max),
        t.points,
        percent(report.total.percent)
    );
    let _ = writeln!(out, "{}", t.disclaimer);
    out
}
