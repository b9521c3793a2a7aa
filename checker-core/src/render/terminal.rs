//! Terminal renderer: compact text, coloured when asked.

use crate::eval::Status;
use crate::i18n::{percent, points};
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
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} — {} {}{name}",
        paint(c, "1", t.report),
        t.candidate,
        report.candidate.id
    );
    let _ = writeln!(
        out,
        "{} : {} « {} » · {} · {} {} · {} {}",
        t.pack,
        report.pack.id,
        report.pack.title,
        report.pack.referentiel,
        t.profile,
        report.pack.profile,
        t.graded_at,
        report.graded_at
    );
    let hosts: Vec<String> = report
        .hosts
        .iter()
        .map(|h| match h.status {
            HostStatus::Observed => format!(
                "{} ({}, {} {})",
                h.role,
                h.hostname.as_deref().unwrap_or("?"),
                t.observed_host,
                h.observed_at.as_deref().unwrap_or("?")
            ),
            HostStatus::Missing => format!("{} ({})", h.role, t.missing),
            failed => format!(
                "{} ({} : {})",
                h.role,
                t.host_failure(failed).unwrap_or(t.unreachable),
                h.cause.as_deref().unwrap_or("")
            ),
        })
        .collect();
    let _ = writeln!(out, "{} : {}\n", t.hosts, hosts.join(", "));
    for check in &report.checks {
        let (label, colour) = tag(&check.outcome);
        let _ = writeln!(
            out,
            "{} {} — {} ({} / {} {}) {}",
            paint(c, colour, label),
            check.id,
            check.title,
            points(check.earned),
            points(check.points),
            t.points,
            options.lang.outcome(&check.outcome)
        );
        if check.active {
            let _ = writeln!(out, "     [{}]", t.active);
        }
        match &check.outcome {
            Outcome::NotAssessable { reason } => {
                let _ = writeln!(out, "     {reason}");
            }
            Outcome::Skipped { requires } => {
                let _ = writeln!(out, "     {} : {}", t.requires, requires.join(", "));
            }
            _ => {}
        }
        if !matches!(check.outcome, Outcome::Pass) {
            for e in check.evidence.iter().filter(|e| e.status == Status::Fail) {
                if options.audience.shows_expected() {
                    let _ = writeln!(
                        out,
                        "     - {} {} {} {} : {} « {} », {} « {} »",
                        e.host,
                        e.section,
                        e.path,
                        e.property,
                        t.expected,
                        e.expected,
                        t.observed,
                        e.actual
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "     - {} {} {} {} : {} « {} »",
                        e.host, e.section, e.path, e.property, t.observed, e.actual
                    );
                }
            }
        }
        if options.audience.shows_hints()
            && let Some(h) = &check.hint
        {
            let _ = writeln!(out, "     {} : {h}", t.hint);
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
            k.id,
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
            jury.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "{} : {}",
        t.interview,
        if report.interview.is_empty() {
            t.none.to_owned()
        } else {
            report.interview.join(", ")
        }
    );
    for h in &report.changes {
        let _ = writeln!(out, "\n{} ({}) :", t.changes, h.role);
        for ch in &h.changes {
            let _ = writeln!(
                out,
                "  {:<9} {:<14} {} — {}",
                options.lang.change(ch.kind),
                ch.section,
                ch.item,
                ch.detail
            );
        }
    }
    for w in &report.warnings {
        let _ = writeln!(out, "{} : {w}", paint(c, "33", t.warnings));
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
