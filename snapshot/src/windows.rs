//! Windows host sections filled by the PowerShell probe: domain membership, roles and
//! features, hotfixes, WSUS (client policy and server), DHCP, DNS, Windows Server Backup and
//! the resultant set of policy of a user.
//!
//! When a role is not installed the probe writes `not_collected` with the reason
//! `role absent`, never an empty structure.

use crate::ad::DnsZone;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether and where the host is joined.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainMembership {
    /// Joined to a domain (`Win32_ComputerSystem.PartOfDomain`).
    pub joined: bool,
    /// Domain DNS name when joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Workgroup when not joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workgroup: Option<String>,
    /// Role (`standalone_workstation`, `member_workstation`, `standalone_server`,
    /// `member_server`, `backup_domain_controller`, `primary_domain_controller`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Secure channel with the domain is valid (`Test-ComputerSecureChannel`), when tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_channel: Option<bool>,
    /// Domain controller that answered, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_controller: Option<String>,
}

/// A Windows role, role service or feature.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowsFeature {
    /// Name (`AD-Domain-Services`, `DHCP`, `UpdateServices`).
    pub name: String,
    /// Display name (localized).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Installed.
    pub installed: bool,
    /// `Role`, `Role Service` or `Feature`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_type: Option<String>,
    /// Raw install state (`Installed`, `Available`, `Removed`, `InstallPending`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install_state: Option<String>,
}

/// An installed update (`Get-HotFix`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hotfix {
    /// `KB5005039`.
    pub id: String,
    /// `Update`, `Security Update`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Installation date (`YYYY-MM-DD`), when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_on: Option<String>,
    /// Account that installed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_by: Option<String>,
}

/// WSUS client policy (`HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate` and `\AU`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WsusClient {
    /// The policy key exists at all.
    pub policy_present: bool,
    /// `WUServer` (`http://srv-wsus.tssr.lan:8530`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wu_server: Option<String>,
    /// `WUStatusServer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wu_status_server: Option<String>,
    /// `TargetGroup` (client-side targeting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group: Option<String>,
    /// `TargetGroupEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group_enabled: Option<bool>,
    /// `AU\UseWUServer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_wu_server: Option<bool>,
    /// `AU\AUOptions` (2 notify, 3 auto download, 4 auto install on schedule, 5 local admin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub au_options: Option<u32>,
    /// `AU\NoAutoUpdate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_auto_update: Option<bool>,
    /// `AU\ScheduledInstallDay` (0 every day, 1 Sunday … 7 Saturday).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_install_day: Option<u32>,
    /// `AU\ScheduledInstallTime` (hour 0-23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_install_time: Option<u32>,
    /// `AU\DetectionFrequency` in hours, when `DetectionFrequencyEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection_frequency_hours: Option<u32>,
    /// Every value read, `WindowsUpdate\Name` or `AU\Name` → data as text.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// WSUS server role.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WsusServer {
    /// Server name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Port (8530 HTTP, 8531 HTTPS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Uses SSL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_ssl: Option<bool>,
    /// Content directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_dir: Option<String>,
    /// Targeting mode: `Client` (GPO/registry) or `Server` (console).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targeting_mode: Option<String>,
    /// Products synchronised.
    #[serde(default)]
    pub products: Vec<String>,
    /// Classifications synchronised.
    #[serde(default)]
    pub classifications: Vec<String>,
    /// Languages synchronised.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Computer target groups (`All Computers`, `Unassigned Computers`, custom ones).
    #[serde(default)]
    pub target_groups: Vec<String>,
    /// Computers known to the server.
    #[serde(default)]
    pub computers: Vec<WsusComputer>,
    /// Last synchronisation (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync: Option<String>,
    /// Last synchronisation result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_result: Option<String>,
    /// Automatic approval rules (name, enabled).
    #[serde(default)]
    pub approval_rules: Vec<String>,
}

/// A computer registered on a WSUS server.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WsusComputer {
    /// FQDN.
    pub name: String,
    /// IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Target groups it belongs to.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Last status report (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reported: Option<String>,
}

/// DHCP server role.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpServer {
    /// Authorized in AD, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized: Option<bool>,
    /// Server-level options.
    #[serde(default)]
    pub server_options: Vec<DhcpOption>,
    /// IPv4 scopes.
    #[serde(default)]
    pub scopes: Vec<DhcpScope>,
    /// Failover relationships (name, partner, mode).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failover: Vec<String>,
    /// Server-level DNS dynamic-update settings (`Get-DhcpServerv4DnsSetting`), when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_settings: Option<DhcpDnsSettings>,
}

/// How a DHCP server registers its clients in DNS (`Get-DhcpServerv4DnsSetting`, the
/// effective setting at its level: a scope inherits the server's unless it sets its own).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpDnsSettings {
    /// `Always`, `OnClientRequest` or `Never`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic_updates: Option<String>,
    /// Records deleted when the lease expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_on_lease_expiry: Option<bool>,
    /// A and PTR records also registered for clients that do not ask (older clients).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_older_clients: Option<bool>,
    /// PTR records not registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_ptr_update: Option<bool>,
    /// Name protection (DHCID records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_protection: Option<bool>,
}

/// A DHCP scope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpScope {
    /// Scope id (network address).
    pub scope_id: String,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Subnet mask.
    pub subnet_mask: String,
    /// First address of the range.
    pub start: String,
    /// Last address of the range.
    pub end: String,
    /// `Active` or `Inactive`.
    pub state: String,
    /// Lease duration (`8.00:00:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_duration: Option<String>,
    /// Exclusion ranges (`10.0.0.1-10.0.0.20`).
    #[serde(default)]
    pub exclusions: Vec<String>,
    /// Scope options (router, DNS servers, domain name).
    #[serde(default)]
    pub options: Vec<DhcpOption>,
    /// Reservations.
    #[serde(default)]
    pub reservations: Vec<DhcpReservation>,
    /// Current leases.
    #[serde(default)]
    pub leases: Vec<DhcpLease>,
    /// Effective DNS dynamic-update settings of the scope, when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_settings: Option<DhcpDnsSettings>,
}

/// A DHCP option value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpOption {
    /// Option number (3 router, 6 DNS servers, 15 domain name).
    pub option_id: u32,
    /// Name (`Router`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Values as text.
    #[serde(default)]
    pub values: Vec<String>,
}

/// A DHCP reservation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpReservation {
    /// Reserved address.
    pub ip_address: String,
    /// Client id (MAC, `00-15-5d-01-02-03`).
    pub client_id: String,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A DHCP lease.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpLease {
    /// Leased address.
    pub ip_address: String,
    /// Client id (MAC).
    pub client_id: String,
    /// Host name reported by the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    /// `Active`, `ActiveReservation`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Expiry (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// DNS server role.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsServer {
    /// Forwarders.
    #[serde(default)]
    pub forwarders: Vec<String>,
    /// Zones with their records.
    #[serde(default)]
    pub zones: Vec<DnsZone>,
}

/// Windows Server Backup state.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowsBackup {
    /// A scheduled backup policy exists (`Get-WBPolicy`).
    pub policy_configured: bool,
    /// Scheduled times (`21:00`).
    #[serde(default)]
    pub schedule: Vec<String>,
    /// Backup targets (`\\srv\backup`, `F:`, a disk label).
    #[serde(default)]
    pub targets: Vec<String>,
    /// What is backed up (volumes, files, `SystemState`, `BareMetalRecovery`).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Backup versions available (`wbadmin get versions`).
    #[serde(default)]
    pub versions: Vec<BackupVersion>,
    /// Last backup result (`Get-WBSummary`: `LastBackupResultHR` 0 = success), as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_result: Option<String>,
    /// Last successful backup time (RFC 3339 or as printed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success: Option<String>,
}

/// One backup version from `wbadmin get versions`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackupVersion {
    /// Version identifier (`04/12/2020-09:57`, UTC).
    pub version_id: String,
    /// Backup time as printed (local time, locale format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_time: Option<String>,
    /// Backup target or location as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What can be recovered (`Volume(s), File(s), Application(s)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_recover: Option<String>,
    /// Snapshot id, when printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
}

/// Resultant set of policy for one user on this host (`gpresult /x`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rsop {
    /// User the RSoP was computed for (`TSSR\jdupont`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// GPOs applied to the computer, in application order.
    #[serde(default)]
    pub computer_gpos: Vec<AppliedGpo>,
    /// GPOs applied to the user, in application order.
    #[serde(default)]
    pub user_gpos: Vec<AppliedGpo>,
    /// Security groups of the user.
    #[serde(default)]
    pub user_groups: Vec<String>,
    /// Last time policy was applied (computer part, as printed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computer_last_applied: Option<String>,
    /// Last time policy was applied (user part, as printed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_last_applied: Option<String>,
}

/// A GPO in an RSoP.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppliedGpo {
    /// Display name.
    pub name: String,
    /// GUID when reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    /// Applied (`true`) or filtered out (`false`).
    pub applied: bool,
    /// Why it was filtered (`Denied (Security)`, `Empty`, `Disabled link`), when not applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_reason: Option<String>,
    /// Where it is linked (SOM path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}
