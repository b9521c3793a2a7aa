//! The list of snapshot sections: one field per domain, each with its own status.

use crate::files::FileInfo;
use crate::firewall::Firewall;
use crate::jobs::{Backups, ScheduledJob};
use crate::network::Network;
use crate::packages::Packages;
use crate::section::Section;
use crate::services::{ListeningSocket, Process, Service};
use crate::shares::Share;
use crate::sshd::Sshd;
use crate::storage::Storage;
use crate::users::{Group, SudoRules, User};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Every domain a collector may report. A section a collector does not know stays at its
/// default, `not_collected`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sections {
    /// Local user accounts.
    #[serde(default)]
    pub users: Section<Vec<User>>,
    /// Local groups.
    #[serde(default)]
    pub groups: Section<Vec<Group>>,
    /// sudo rules (Linux).
    #[serde(default)]
    pub sudo: Section<SudoRules>,
    /// Services.
    #[serde(default)]
    pub services: Section<Vec<Service>>,
    /// Running processes.
    #[serde(default)]
    pub processes: Section<Vec<Process>>,
    /// Listening sockets.
    #[serde(default)]
    pub listening: Section<Vec<ListeningSocket>>,
    /// Packages and pending updates.
    #[serde(default)]
    pub packages: Section<Packages>,
    /// Firewall.
    #[serde(default)]
    pub firewall: Section<Firewall>,
    /// Scheduled jobs.
    #[serde(default)]
    pub scheduled_jobs: Section<Vec<ScheduledJob>>,
    /// Backup jobs and their destinations.
    #[serde(default)]
    pub backups: Section<Backups>,
    /// Network configuration.
    #[serde(default)]
    pub network: Section<Network>,
    /// File shares.
    #[serde(default)]
    pub shares: Section<Vec<Share>>,
    /// OpenSSH server settings.
    #[serde(default)]
    pub sshd: Section<Sshd>,
    /// Storage.
    #[serde(default)]
    pub storage: Section<Storage>,
    /// Files the checker asked for.
    #[serde(default)]
    pub files: Section<Vec<FileInfo>>,
}

impl Sections {
    /// Names of all sections, in declaration order (the JSON keys).
    pub const NAMES: &'static [&'static str] = &[
        "users",
        "groups",
        "sudo",
        "services",
        "processes",
        "listening",
        "packages",
        "firewall",
        "scheduled_jobs",
        "backups",
        "network",
        "shares",
        "sshd",
        "storage",
        "files",
    ];
}
