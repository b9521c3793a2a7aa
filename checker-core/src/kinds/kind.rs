//! The `Kind` trait: what one typed check kind provides (doc, YAML type, matcher).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::pack::compile::Compile;

/// A typed check kind. Adding one = one file implementing this trait + one registry line.
pub(crate) trait Kind {
    /// YAML key (`user`, `scheduled_job`).
    const NAME: &'static str;
    /// Documentation in English with the sections `## What it checks`, `## Why it matters`,
    /// `## Passing example`, `## Failing example`, `## Critères`.
    const DOC: &'static str;
    /// The same documentation in French, for `constat explain` in French mode (the default)
    /// and `docs/checks/fr/`: `# name` then `## Ce qui est vérifié`, `## Pourquoi c'est
    /// important`, `## Exemple conforme`, `## Exemple non conforme`, `## Critères`, with the
    /// YAML examples unchanged. Write it beside `DOC`; the registry test fails while it is
    /// empty.
    const DOC_FR: &'static str = "";
    /// Snapshot sections the matcher reads (JSON keys of `Sections`), so that a collection
    /// for this pack can skip the others. `None` (the default, for a kind that has not
    /// declared) means every section. A kind that reads an optional part of a section
    /// (`constat_snapshot::files::OPTIONAL_PARTS`: `packages.updates`) names it too, beside
    /// the section; otherwise the part is left out of the request.
    const SECTIONS: Option<&'static [&'static str]> = None;
    /// The matcher, after variables are substituted and regexes compiled.
    type Compiled: std::fmt::Debug + Clone + Send + Sync;

    /// Validates and compiles; problems go to `cx` and give `None`.
    fn compile(&self, cx: &mut Compile<'_>) -> Option<Self::Compiled>;

    /// Compares the host with the expectation, one evidence line per property.
    fn evaluate(compiled: &Self::Compiled, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status;

    /// Files the collector must report for this expectation (the agent's `--request`).
    fn requested_files(compiled: &Self::Compiled, out: &mut Vec<String>) {
        let _ = (compiled, out);
    }
}

/// Helper: compares an optional expected value and records the property.
#[expect(
    clippy::too_many_arguments,
    reason = "one evidence line needs all of them; a struct would only rename them"
)]
pub(crate) fn property<T: PartialEq + std::fmt::Debug>(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    section: &'static str,
    path: &str,
    name: &'static str,
    expected: Option<&T>,
    actual: Option<&T>,
    show: impl Fn(&T) -> String,
) -> Status {
    let Some(expected) = expected else {
        return Status::Pass;
    };
    let holds = actual == Some(expected);
    let status = Status::from_bool(holds);
    out.push(host.evidence(
        section,
        path,
        name,
        show(expected),
        actual.map_or_else(|| "(absent)".to_owned(), show),
        status,
    ));
    status
}

/// Helper: every expected item is among the actual ones.
pub(crate) fn includes(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    section: &'static str,
    path: &str,
    name: &'static str,
    expected: &[String],
    actual: &[&str],
) -> Status {
    includes_by(host, out, section, path, name, expected, actual, |a, e| {
        a.eq_ignore_ascii_case(e)
    })
}

/// [`includes`] with the comparison given (account names, for instance).
#[allow(clippy::too_many_arguments)]
pub(crate) fn includes_by(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    section: &'static str,
    path: &str,
    name: &'static str,
    expected: &[String],
    actual: &[&str],
    same: impl Fn(&str, &str) -> bool,
) -> Status {
    if expected.is_empty() {
        return Status::Pass;
    }
    let missing: Vec<&str> = expected
        .iter()
        .filter(|e| !actual.iter().any(|a| same(a, e)))
        .map(String::as_str)
        .collect();
    let status = Status::from_bool(missing.is_empty());
    let mut sorted = actual.to_vec();
    sorted.sort_unstable();
    out.push(host.evidence(
        section,
        path,
        name,
        format!("includes {}", expected.join(", ")),
        if missing.is_empty() {
            sorted.join(", ")
        } else {
            format!("[{}]; missing {}", sorted.join(", "), missing.join(", "))
        },
        status,
    ));
    status
}
