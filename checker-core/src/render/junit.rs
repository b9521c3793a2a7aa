//! JUnit XML renderer: one test suite per candidate, one test case per check, for CI
//! dashboards (a trainer's automated lab). Written by hand: the format is small and the
//! escaping below covers it.

use crate::render::escape::xml as escape;
use crate::render::options::RenderOptions;
use crate::render::words::describe;
use crate::report::{Outcome, Report};
use std::fmt::Write;

fn failures(report: &Report) -> usize {
    report
        .checks
        .iter()
        .filter(|c| c.counts() && matches!(c.outcome, Outcome::Fail | Outcome::Partial { .. }))
        .count()
}

/// Renders a report as JUnit XML.
pub fn junit(report: &Report, options: &RenderOptions) -> String {
    junit_session(std::slice::from_ref(report), options)
}

/// Renders several candidates' reports as one JUnit XML file, one test suite per candidate
/// (sorted by candidate id): what a session writes as `reports/junit.xml`.
pub fn junit_session(reports: &[Report], options: &RenderOptions) -> String {
    let mut sorted: Vec<&Report> = reports.iter().collect();
    sorted.sort_by(|a, b| a.candidate.id.cmp(&b.candidate.id));
    let tests: usize = sorted.iter().map(|r| r.checks.len()).sum();
    let failed: usize = sorted.iter().map(|r| failures(r)).sum();
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuites name=\"constat\" tests=\"{tests}\" failures=\"{failed}\" errors=\"0\">"
    );
    for report in sorted {
        suite(report, options, &mut o);
    }
    o.push_str("</testsuites>\n");
    o
}

fn suite(report: &Report, options: &RenderOptions, o: &mut String) {
    let e = |s: &str| escape(s);
    let failures = failures(report);
    let skipped = report
        .checks
        .iter()
        .filter(|c| {
            !c.counts()
                || matches!(
                    c.outcome,
                    Outcome::Skipped { .. } | Outcome::NotAssessable { .. }
                )
        })
        .count();
    let _ = writeln!(
        o,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" timestamp=\"{}\">",
        e(&format!("{} {}", report.candidate.id, report.pack.id)),
        report.checks.len(),
        e(&report.graded_at)
    );
    for c in &report.checks {
        let _ = write!(
            o,
            "    <testcase classname=\"{}\" name=\"{}\"",
            e(&report.pack.id),
            e(&format!("{} — {}", c.id, c.title))
        );
        // The terminal's failed lines, in the report's language; the raw path last.
        let lang = options.lang;
        let (t, colon, (oq, cq)) = (lang.strings(), lang.colon(), lang.quotes());
        let details: Vec<String> = c
            .evidence
            .iter()
            .filter(|ev| ev.status != crate::eval::Status::Pass)
            .map(|ev| {
                let d = describe(lang, ev);
                let observed = format!("{} {oq}{}{cq}", t.observed, lang.shown(&ev.actual));
                let raw = format!("[{} {} {} {}]", ev.host, ev.section, ev.path, ev.property);
                if options.audience.shows_expected() {
                    format!(
                        "{} ({}){colon} {} {oq}{}{cq}, {observed} {raw}",
                        d.what, ev.host, t.expected, d.expected
                    )
                } else {
                    format!("{} ({}){colon} {observed} {raw}", d.what, ev.host)
                }
            })
            .collect();
        if !c.counts() && c.jury.is_some() {
            // Neutralised by the jury, or a `jury` check awaiting its decision.
            let _ = writeln!(
                o,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                e(&options.lang.check_verdict(c))
            );
            continue;
        }
        match &c.outcome {
            Outcome::Pass => o.push_str("/>\n"),
            Outcome::Fail | Outcome::Partial { .. } => {
                let _ = writeln!(
                    o,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    e(&options.lang.check_verdict(c)),
                    e(&details.join("\n"))
                );
            }
            Outcome::Skipped { requires } => {
                let _ = writeln!(
                    o,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    e(&lang.prerequisites_line(&requires.join(", ")))
                );
            }
            Outcome::NotAssessable { reason } => {
                let _ = writeln!(
                    o,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    e(&format!(
                        "{}{colon} {}",
                        lang.outcome(&c.outcome),
                        lang.shown(reason)
                    ))
                );
            }
        }
    }
    o.push_str("  </testsuite>\n");
}
