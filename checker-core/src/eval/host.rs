//! A host under evaluation: its snapshot, the grading time, and lookups by name.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::exam_zone::{ExamZone, HostOffset};
use constat_snapshot::Snapshot;
use constat_snapshot::packages::Package;
use constat_snapshot::section::Section;
use constat_snapshot::services::Service;
use constat_snapshot::users::{Group, User};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One observed host, as the kinds see it.
pub(crate) struct HostView<'a> {
    /// The host role, shared by the evidence lines of this host.
    role: Arc<str>,
    pub(crate) snapshot: &'a Snapshot,
    /// Grading time (Unix seconds), for ages ("archive younger than N hours").
    pub(crate) now: Option<i64>,
    /// When the exam started (Unix seconds): the start-phase snapshot of this host's
    /// collection start, when there is one. For "created during the exam".
    pub(crate) exam_start: Option<i64>,
    /// The exam's time zone (pack or inventory `timezone`).
    zone: &'a ExamZone,
    packages_sorted: OnceCell<bool>,
}

impl<'a> HostView<'a> {
    pub(crate) fn new(
        role: &'a str,
        snapshot: &'a Snapshot,
        now: Option<i64>,
        zone: &'a ExamZone,
    ) -> Self {
        HostView {
            role: role.into(),
            snapshot,
            now,
            exam_start: None,
            zone,
            packages_sorted: OnceCell::new(),
        }
    }

    /// The same view, the exam having started at `exam_start` (Unix seconds).
    pub(crate) fn with_exam_start(mut self, exam_start: Option<i64>) -> Self {
        self.exam_start = exam_start;
        self
    }

    /// The exam zone's offset when this host was collected (its `collection.started_at`;
    /// the grading time when that is unreadable), for the time windows kinds evaluate.
    pub(crate) fn offset(&self) -> HostOffset {
        HostOffset::of_snapshot(self.zone, self.snapshot, self.now)
    }

    /// Evidence line on this host. `section` and `property` are borrowed when the kind
    /// names them with constants (a `String` otherwise: no allocation per line for them).
    pub(crate) fn evidence(
        &self,
        section: impl Into<Cow<'static, str>>,
        path: &str,
        property: impl Into<Cow<'static, str>>,
        expected: impl Into<Cow<'static, str>>,
        actual: impl Into<Cow<'static, str>>,
        status: Status,
    ) -> Evidence {
        Evidence {
            host: Arc::clone(&self.role),
            section: section.into(),
            path: path.to_owned(),
            property: property.into(),
            expected: expected.into(),
            actual: actual.into(),
            status,
            item: None,
            context: None,
            display: None,
            look_alike: None,
        }
    }

    /// The data of a section, or one not-assessable evidence line saying why it is missing.
    pub(crate) fn section<'s, T>(
        &self,
        name: &'static str,
        path: &str,
        section: &'s Section<T>,
        out: &mut Vec<Evidence>,
    ) -> Option<&'s T> {
        match section {
            Section::Collected { data } => Some(data),
            other => {
                let cause = other.missing_cause().unwrap_or_default();
                out.push(self.evidence(
                    name,
                    path,
                    "section",
                    "collected",
                    format!("{}: {cause}", other.status()),
                    Status::NotAssessable,
                ));
                None
            }
        }
    }

    // Lookups scan the lists: a candidate's host has tens of accounts and services, and
    // building hash indexes per candidate cost more than it saved (see BENCHMARKS.md).
    pub(crate) fn user(&self, name: &str) -> Option<&'a User> {
        self.snapshot
            .sections
            .users
            .data()?
            .iter()
            .find(|u| u.name == name)
    }

    pub(crate) fn group(&self, name: &str) -> Option<&'a Group> {
        self.snapshot
            .sections
            .groups
            .data()?
            .iter()
            .find(|g| g.name == name)
    }

    /// A package by name: binary search when the list is sorted by name (as the contract
    /// says), a scan otherwise.
    pub(crate) fn package(&self, name: &str) -> Option<&'a Package> {
        let list = &self.snapshot.sections.packages.data()?.installed;
        let sorted = *self.packages_sorted.get_or_init(|| names_sorted(list));
        if sorted {
            list.binary_search_by(|p| p.name.as_str().cmp(name))
                .ok()
                .and_then(|i| list.get(i))
        } else {
            list.iter().find(|p| p.name == name)
        }
    }

    /// Every installed package named `name`, in list order (several with multi-arch): a
    /// range found by binary search when the list is sorted, a scan otherwise.
    pub(crate) fn packages_named(&self, name: &str) -> impl Iterator<Item = &'a Package> {
        let list: &'a [Package] = self
            .snapshot
            .sections
            .packages
            .data()
            .map_or(&[], |p| p.installed.as_slice());
        let sorted = *self.packages_sorted.get_or_init(|| names_sorted(list));
        let (start, end) = if sorted {
            (
                list.partition_point(|p| p.name.as_str() < name),
                list.partition_point(|p| p.name.as_str() <= name),
            )
        } else {
            (0, list.len())
        };
        list.get(start..end)
            .unwrap_or_default()
            .iter()
            .filter(move |p| p.name == name)
    }

    /// A service by name; `ssh` also finds `ssh.service`.
    pub(crate) fn service(&self, name: &str) -> Option<&'a Service> {
        let list = self.snapshot.sections.services.data()?;
        list.iter().find(|s| s.name == name).or_else(|| {
            list.iter()
                .find(|s| s.name.strip_suffix(".service") == Some(name))
        })
    }
}

/// Whether the packages are sorted by name (byte order, duplicates allowed). Once per host
/// view, so compared inline: names are short and share prefixes (`lib…`), and a `memcmp`
/// call per pair cost more than the comparison (see BENCHMARKS.md, session perf4).
fn names_sorted(list: &[Package]) -> bool {
    list.windows(2).all(|w| match w {
        [a, b] => bytes_le(a.name.as_bytes(), b.name.as_bytes()),
        _ => true,
    })
}

/// `a <= b` in byte order, as `[u8]`'s `Ord`.
fn bytes_le(a: &[u8], b: &[u8]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x < y;
        }
    }
    a.len() <= b.len()
}

/// What the engine knows about each role of a candidate.
pub(crate) enum HostState<'a> {
    Observed(Box<HostView<'a>>),
    /// No snapshot although the examiner tried: what was expected and what happened
    /// (« injoignable : … », « sudo refusé : … »).
    Unreachable {
        expected: &'static str,
        actual: String,
    },
    Missing,
}

/// Every host of one candidate, by role (cross-host checks read several).
pub(crate) struct Hosts<'a> {
    pub(crate) by_role: BTreeMap<&'a str, HostState<'a>>,
}

#[cfg(test)]
mod tests {
    use super::bytes_le;

    #[test]
    fn inline_comparison_is_byte_order() {
        let names = [
            "",
            "a",
            "ab",
            "abc",
            "abd",
            "b",
            "lib",
            "libc6",
            "libc6-dev",
            "é",
            "z",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    bytes_le(a.as_bytes(), b.as_bytes()),
                    a <= b,
                    "{a:?} <= {b:?}"
                );
            }
        }
    }
}
