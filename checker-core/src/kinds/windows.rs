//! Helpers shared by the Windows kinds: case-insensitive text properties and ages.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use constat_snapshot::host::OsFamily;
use constat_snapshot::time::parse_rfc3339;

/// Two names equal for Windows: case-insensitive, surrounding spaces ignored.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Records a case-insensitive text property; nothing when nothing is expected.
pub(crate) fn text_property(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    at: (&'static str, &str),
    name: &'static str,
    expected: Option<&str>,
    actual: Option<&str>,
) -> Status {
    let Some(expected) = expected else {
        return Status::Pass;
    };
    let status = Status::from_bool(actual.is_some_and(|a| same(a, expected)));
    out.push(host.evidence(
        at.0,
        at.1,
        name,
        expected.to_owned(),
        actual.unwrap_or("(absent)").to_owned(),
        status,
    ));
    status
}

/// Records a boolean property; nothing when nothing is expected.
pub(crate) fn bool_property(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    at: (&'static str, &str),
    name: &'static str,
    expected: Option<bool>,
    actual: Option<bool>,
) -> Status {
    let Some(expected) = expected else {
        return Status::Pass;
    };
    let status = Status::from_bool(actual == Some(expected));
    out.push(host.evidence(
        at.0,
        at.1,
        name,
        expected.to_string(),
        actual.map_or_else(|| "(absent)".to_owned(), |a| a.to_string()),
        status,
    ));
    status
}

/// Records "happened less than `hours` ago at grading time" for an RFC 3339 time.
pub(crate) fn within_hours(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    at: (&'static str, &str),
    name: &'static str,
    hours: Option<u32>,
    time: Option<&str>,
) -> Status {
    let Some(hours) = hours else {
        return Status::Pass;
    };
    let expected = format!("less than {hours} h ago");
    let (status, actual) = match (time, time.and_then(parse_rfc3339), host.now) {
        (None, _, _) => (Status::Fail, "(never)".to_owned()),
        (Some(t), None, _) => (
            Status::NotAssessable,
            format!("{t} (unreadable date: RFC 3339 expected)"),
        ),
        (Some(t), Some(_), None) => (Status::NotAssessable, format!("{t} (grading time unknown)")),
        (Some(t), Some(at), Some(now)) => {
            let age = (now - at) as f64 / 3600.0;
            (
                Status::from_bool(age <= f64::from(hours)),
                format!("{t} ({age:.1} h ago)"),
            )
        }
    };
    out.push(host.evidence(at.0, at.1, name, expected, actual, status));
    status
}

/// A list for an evidence line; `(none)` when empty (shown `(aucun)` in French).
pub(crate) fn listed<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// On a Linux host, records why a Windows-only expectation cannot be assessed there.
pub(crate) fn on_linux(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    at: (&'static str, &str),
) -> bool {
    let linux = host.snapshot.host.os.family == OsFamily::Linux;
    if linux {
        out.push(host.evidence(
            at.0,
            at.1,
            "os",
            "windows",
            "linux (Windows check, not applicable to this host)",
            Status::NotAssessable,
        ));
    }
    linux
}
