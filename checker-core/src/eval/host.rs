//! A host under evaluation: its snapshot, lazily built indexes, and the JSON view for facts.

use crate::eval::evidence::{Evidence, Status};
use constat_snapshot::Snapshot;
use constat_snapshot::packages::Package;
use constat_snapshot::section::Section;
use constat_snapshot::services::Service;
use constat_snapshot::users::{Group, User};
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};

/// One observed host, as the kinds see it.
pub(crate) struct HostView<'a> {
    pub(crate) role: &'a str,
    pub(crate) snapshot: &'a Snapshot,
    /// Grading time (Unix seconds), for ages ("archive younger than N hours").
    pub(crate) now: Option<i64>,
    json: OnceCell<Option<serde_json::Value>>,
    users: OnceCell<HashMap<&'a str, &'a User>>,
    groups: OnceCell<HashMap<&'a str, &'a Group>>,
    packages: OnceCell<HashMap<&'a str, &'a Package>>,
    services: OnceCell<HashMap<&'a str, &'a Service>>,
}

impl<'a> HostView<'a> {
    pub(crate) fn new(role: &'a str, snapshot: &'a Snapshot, now: Option<i64>) -> Self {
        HostView {
            role,
            snapshot,
            now,
            json: OnceCell::new(),
            users: OnceCell::new(),
            groups: OnceCell::new(),
            packages: OnceCell::new(),
            services: OnceCell::new(),
        }
    }

    /// The snapshot as JSON, converted once (the fact matcher reads it).
    pub(crate) fn json(&self) -> Option<&serde_json::Value> {
        self.json
            .get_or_init(|| serde_json::to_value(self.snapshot).ok())
            .as_ref()
    }

    /// Evidence line on this host.
    pub(crate) fn evidence(
        &self,
        section: &str,
        path: &str,
        property: &str,
        expected: impl Into<String>,
        actual: impl Into<String>,
        status: Status,
    ) -> Evidence {
        Evidence {
            host: self.role.to_owned(),
            section: section.to_owned(),
            path: path.to_owned(),
            property: property.to_owned(),
            expected: expected.into(),
            actual: actual.into(),
            status,
        }
    }

    /// The data of a section, or one not-assessable evidence line saying why it is missing.
    pub(crate) fn section<'s, T>(
        &self,
        name: &str,
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

    pub(crate) fn user(&self, name: &str) -> Option<&'a User> {
        let index = self
            .users
            .get_or_init(|| match self.snapshot.sections.users.data() {
                Some(list) => list.iter().map(|u| (u.name.as_str(), u)).collect(),
                None => HashMap::new(),
            });
        index.get(name).copied()
    }

    pub(crate) fn group(&self, name: &str) -> Option<&'a Group> {
        let index = self
            .groups
            .get_or_init(|| match self.snapshot.sections.groups.data() {
                Some(list) => list.iter().map(|g| (g.name.as_str(), g)).collect(),
                None => HashMap::new(),
            });
        index.get(name).copied()
    }

    pub(crate) fn package(&self, name: &str) -> Option<&'a Package> {
        let index = self
            .packages
            .get_or_init(|| match self.snapshot.sections.packages.data() {
                Some(p) => p.installed.iter().map(|p| (p.name.as_str(), p)).collect(),
                None => HashMap::new(),
            });
        index.get(name).copied()
    }

    /// A service by name; `ssh` also finds `ssh.service`.
    pub(crate) fn service(&self, name: &str) -> Option<&'a Service> {
        let index = self
            .services
            .get_or_init(|| match self.snapshot.sections.services.data() {
                Some(list) => {
                    let mut map = HashMap::new();
                    for s in list {
                        map.insert(s.name.as_str(), s);
                        if let Some(short) = s.name.strip_suffix(".service") {
                            map.entry(short).or_insert(s);
                        }
                    }
                    map
                }
                None => HashMap::new(),
            });
        index.get(name).copied()
    }
}

/// What the engine knows about each role of a candidate.
pub(crate) enum HostState<'a> {
    Observed(Box<HostView<'a>>),
    Unreachable(String),
    Missing,
}

/// Every host of one candidate, by role (cross-host checks read several).
pub(crate) struct Hosts<'a> {
    pub(crate) by_role: BTreeMap<&'a str, HostState<'a>>,
}
