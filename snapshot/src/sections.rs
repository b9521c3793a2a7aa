//! The list of snapshot sections: one field per domain, each with its own status.

use crate::ad::Directory;
use crate::appliance::Appliance;
use crate::deployment::Deployment;
use crate::files::FileInfo;
use crate::firewall::Firewall;
use crate::gpo::GpoSettings;
use crate::helpdesk::Helpdesk;
use crate::hypervisor::Hypervisor;
use crate::jobs::{Backups, ScheduledJob};
use crate::logon_scripts::LogonScripts;
use crate::network::Network;
use crate::package_repositories::PackageRepositories;
use crate::packages::Packages;
use crate::profile_mappings::ProfileMappings;
use crate::script_runs::ScriptRun;
use crate::section::Section;
use crate::services::{ListeningSocket, Process, Service};
use crate::shares::Share;
use crate::sshd::Sshd;
use crate::storage::Storage;
use crate::supervision::Supervision;
use crate::users::{Group, SudoRules, User};
use crate::windows::{
    DhcpServer, DnsServer, DomainMembership, Hotfix, Rsop, WindowsBackup, WindowsFeature,
    WsusClient, WsusServer,
};
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
    /// Active Directory as seen over LDAP (the `dc` role).
    #[serde(default)]
    pub directory: Section<Directory>,
    /// Group Policy settings per GPO, from SYSVOL or a GPO report.
    #[serde(default)]
    pub gpos: Section<Vec<GpoSettings>>,
    /// Domain membership of a Windows host.
    #[serde(default)]
    pub domain_membership: Section<DomainMembership>,
    /// Windows roles and features.
    #[serde(default)]
    pub windows_features: Section<Vec<WindowsFeature>>,
    /// Installed Windows updates (hotfixes).
    #[serde(default)]
    pub windows_updates: Section<Vec<Hotfix>>,
    /// WSUS client policy.
    #[serde(default)]
    pub wsus_client: Section<WsusClient>,
    /// WSUS server role.
    #[serde(default)]
    pub wsus_server: Section<WsusServer>,
    /// DHCP server role.
    #[serde(default)]
    pub dhcp_server: Section<DhcpServer>,
    /// DNS server role.
    #[serde(default)]
    pub dns_server: Section<DnsServer>,
    /// Windows Server Backup.
    #[serde(default)]
    pub windows_backup: Section<WindowsBackup>,
    /// Resultant set of policy for a user (`gpresult /x`).
    #[serde(default)]
    pub rsop: Section<Rsop>,
    /// Active script tests run by the CLI with `--active-tests` (opt-in, see
    /// [`crate::script_runs`]). Left out of the JSON and of [`Sections::NAMES`] while absent,
    /// because no collector fills it.
    #[serde(default, skip_serializing_if = "Section::is_absent")]
    pub script_runs: Section<Vec<ScriptRun>>,
    /// Firewall appliance configuration (pfSense/OPNsense `config.xml`, the `firewall`
    /// appliance role). Left out of the JSON and of [`Sections::NAMES`] while absent, so
    /// snapshots of other hosts are unchanged.
    #[serde(default, skip_serializing_if = "Section::is_absent")]
    pub appliance: Section<Appliance>,
    /// Supervision server (Nagios `status.dat`, Icinga2 API). Left out of the JSON and of
    /// [`Sections::NAMES`] while absent, so snapshots of other hosts are unchanged.
    #[serde(default, skip_serializing_if = "Section::is_absent")]
    pub supervision: Section<Supervision>,
    /// Hypervisor (Proxmox VE API). Left out of the JSON and of [`Sections::NAMES`] while
    /// absent, so snapshots of other hosts are unchanged.
    #[serde(default, skip_serializing_if = "Section::is_absent")]
    pub hypervisor: Section<Hypervisor>,
    /// Logon and startup scripts of the domain (NETLOGON and GPO folders) with the drives
    /// they map (the `dc` role, read over SMB). Left out of the JSON and of
    /// [`Sections::NAMES`] while absent, so snapshots of other hosts are unchanged.
    #[serde(default, skip_serializing_if = "Section::is_absent")]
    pub logon_scripts: Section<LogonScripts>,
    /// Drives and printers mapped in each user profile of a Windows host (the probe). Left
    /// out of the JSON and of [`Sections::NAMES`] while absent, so snapshots of other hosts
    /// are unchanged.
    #[serde(default, skip_serializing_if = "Section::is_absent")]
    pub profile_mappings: Section<Vec<ProfileMappings>>,
    /// Helpdesk (GLPI API: tickets, knowledge base). Left out of the JSON and of
    /// [`Sections::NAMES`] while absent, so snapshots of other hosts are unchanged.
    #[serde(default, skip_serializing_if = "Section::is_absent")]
    pub helpdesk: Section<Helpdesk>,
    /// Local package repositories served from this host and the sources its package manager
    /// reads (the Linux agent). Left out of the JSON and of [`Sections::NAMES`] while
    /// absent, so snapshots of other hosts are unchanged.
    #[serde(default, skip_serializing_if = "Section::is_absent")]
    pub package_repositories: Section<PackageRepositories>,
    /// Windows deployment services: MDT deployment shares and WDS images (the probe). Left
    /// out of the JSON and of [`Sections::NAMES`] while absent, so snapshots of other hosts
    /// are unchanged.
    #[serde(default, skip_serializing_if = "Section::is_absent")]
    pub deployment: Section<Deployment>,
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
        "directory",
        "gpos",
        "domain_membership",
        "windows_features",
        "windows_updates",
        "wsus_client",
        "wsus_server",
        "dhcp_server",
        "dns_server",
        "windows_backup",
        "rsop",
    ];
}
