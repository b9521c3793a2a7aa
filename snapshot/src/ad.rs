//! Active Directory as seen over LDAP: domain and password policy, OU tree with GPO links,
//! users, groups, computers, GPO containers and AD-integrated DNS zones.
//!
//! Filled by the `constat-ldap` collector (crate `constat-windows`) for the `dc` role.
//! Raw attribute values are kept next to their decoded form (`user_account_control` and
//! `uac_flags`), so a check can use either and a reader can verify the decoding.

use crate::section::Section;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The directory of one domain.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    /// The domain object and its policies.
    pub domain: Domain,
    /// Organizational units, parents before children.
    #[serde(default)]
    pub ous: Vec<OrganizationalUnit>,
    /// User accounts (`objectCategory=person`, `objectClass=user`), sorted by DN.
    #[serde(default)]
    pub users: Vec<DirectoryUser>,
    /// Groups, sorted by DN.
    #[serde(default)]
    pub groups: Vec<DirectoryGroup>,
    /// Computer accounts, sorted by DN.
    #[serde(default)]
    pub computers: Vec<DirectoryComputer>,
    /// Group Policy containers (`CN=Policies,CN=System,…`), sorted by display name.
    #[serde(default)]
    pub gpos: Vec<GpoContainer>,
    /// DNS zones stored in AD (DomainDnsZones, ForestDnsZones, legacy System container).
    #[serde(default)]
    pub dns_zones: Vec<DnsZone>,
    /// DHCP servers authorised in the forest, from the configuration partition; absent when
    /// not read (an older collector).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhcp_authorizations: Option<DhcpAuthorizations>,
}

/// DHCP servers authorised in Active Directory ([MS-DHCPE] 7.3, 7.8): the `dHCPClass` objects
/// under `CN=NetServices,CN=Services` of the configuration partition.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpAuthorizations {
    /// The servers `CN=DhcpRoot` lists in `dhcpServers` (what `Get-DhcpServerInDC` shows),
    /// sorted by name then address.
    #[serde(default)]
    pub servers: Vec<AuthorizedDhcpServer>,
    /// Per-server objects (`CN=srv-dc01.tssr.lan`) naming a server DhcpRoot does not list:
    /// left behind or written by hand, not an authorisation. Sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unlisted: Vec<AuthorizedDhcpServer>,
    /// `dhcpServers` values that do not follow `i<ip>$rcn=<name>$f<flags>$s<server>$`, as read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub malformed: Vec<String>,
}

/// One `dhcpServers` entry.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct AuthorizedDhcpServer {
    /// Server name (`srv-dc01.tssr.lan`), from the `s` field (else the `rcn=` one).
    pub name: String,
    /// IPv4 address from the `i` field (`255.0.0.1` for an IPv6-only server).
    pub address: String,
}

/// The domain object (`DC=tssr,DC=lan`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Distinguished name (`DC=tssr,DC=lan`).
    pub dn: String,
    /// DNS name (`tssr.lan`).
    pub dns_name: String,
    /// NetBIOS name (`TSSR`), from the partitions container when readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netbios_name: Option<String>,
    /// Domain SID (`S-1-5-21-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Domain functional level, named (`2008_R2`, `2016`), from `msDS-Behavior-Version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub functional_level: Option<String>,
    /// Forest functional level, from the rootDSE `forestFunctionality`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forest_functional_level: Option<String>,
    /// Name of the domain controller that answered (rootDSE `dnsHostName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dc_dns_host_name: Option<String>,
    /// Default password and lockout policy, read from the domain object.
    pub password_policy: PasswordPolicy,
    /// Fine-grained password policies (`msDS-PasswordSettings`).
    #[serde(default)]
    pub fine_grained_policies: Vec<FineGrainedPasswordPolicy>,
    /// GPOs linked at the domain root, in the order they apply.
    #[serde(default)]
    pub gp_links: Vec<GpLink>,
    /// Inheritance blocked at the domain root (`gPOptions` = 1).
    #[serde(default)]
    pub block_inheritance: bool,
}

/// Password and lockout settings (domain default or fine-grained).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    /// `minPwdLength`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// `pwdHistoryLength`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_length: Option<u32>,
    /// Complexity required (`pwdProperties` bit 0x1).
    #[serde(default)]
    pub complexity: bool,
    /// Reversible encryption allowed (`pwdProperties` bit 0x10).
    #[serde(default)]
    pub reversible_encryption: bool,
    /// Raw `pwdProperties`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties_raw: Option<u32>,
    /// Names of the `pwdProperties` bits that are set (`DOMAIN_PASSWORD_COMPLEX`, …).
    #[serde(default)]
    pub properties: Vec<String>,
    /// `lockoutThreshold`: failed attempts before lockout, 0 = never locked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockout_threshold: Option<u32>,
    /// `lockoutDuration` in minutes; absent when the account stays locked until an admin unlocks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockout_duration_minutes: Option<u64>,
    /// `lockOutObservationWindow` in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockout_observation_minutes: Option<u64>,
    /// `maxPwdAge` in days; absent when passwords never expire (0 or the minimum value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age_days: Option<u64>,
    /// `minPwdAge` in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age_days: Option<u64>,
}

/// A fine-grained password policy (Password Settings Object).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FineGrainedPasswordPolicy {
    /// Name (`cn`).
    pub name: String,
    /// Distinguished name.
    pub dn: String,
    /// `msDS-PasswordSettingsPrecedence` (lower wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precedence: Option<u32>,
    /// DNs of the users and groups it applies to (`msDS-PSOAppliesTo`).
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// The settings.
    pub policy: PasswordPolicy,
}

/// One GPO link from a `gPLink` attribute.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GpLink {
    /// GPO GUID in braces, upper case (`{31B2F340-016D-11D2-945F-00C04FB984F9}`).
    pub gpo_guid: String,
    /// GPO container DN as written in the link.
    pub gpo_dn: String,
    /// Display name of the GPO, when the container was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpo_name: Option<String>,
    /// Link enabled (options bit 1 clear).
    pub enabled: bool,
    /// Link enforced / "No Override" (options bit 2 set).
    pub enforced: bool,
    /// Link order as GPMC shows it (1 = highest precedence, applied last).
    pub link_order: u32,
}

/// An organizational unit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationalUnit {
    /// Distinguished name.
    pub dn: String,
    /// Name (`ou`).
    pub name: String,
    /// Parent DN (an OU or the domain).
    pub parent_dn: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Linked GPOs in the order they apply (first applied first; the last wins).
    #[serde(default)]
    pub gp_links: Vec<GpLink>,
    /// Inheritance blocked (`gPOptions` = 1).
    #[serde(default)]
    pub block_inheritance: bool,
    /// Protected from accidental deletion (a deny-delete ACE for Everyone), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protected: Option<bool>,
}

/// A domain user account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectoryUser {
    /// `sAMAccountName` (pre-Windows 2000 logon name).
    pub sam_account_name: String,
    /// `userPrincipalName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    /// Distinguished name.
    pub dn: String,
    /// DN of the containing OU or container.
    pub ou_dn: String,
    /// SID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `givenName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// `sn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// `displayName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `department`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// `mail`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<String>,
    /// `telephoneNumber`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    /// Account enabled (`ACCOUNTDISABLE` clear).
    pub enabled: bool,
    /// Raw `userAccountControl`.
    pub user_account_control: u32,
    /// Names of the `userAccountControl` bits set (`NORMAL_ACCOUNT`, `DONT_EXPIRE_PASSWORD`, …).
    #[serde(default)]
    pub uac_flags: Vec<String>,
    /// Must change password at next logon (`pwdLastSet` = 0).
    #[serde(default)]
    pub must_change_password: bool,
    /// Password never expires (`DONT_EXPIRE_PASSWORD`).
    #[serde(default)]
    pub password_never_expires: bool,
    /// Locked out (`lockoutTime` > 0).
    #[serde(default)]
    pub locked: bool,
    /// Last password change (RFC 3339), absent when never set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_last_set: Option<String>,
    /// Account expiry (RFC 3339); absent when the account never expires (0 or 2^63-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_expires: Option<String>,
    /// Allowed logon hours.
    pub logon_hours: LogonHours,
    /// `profilePath` (roaming profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_path: Option<String>,
    /// `homeDirectory`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_directory: Option<String>,
    /// `homeDrive` (`H:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_drive: Option<String>,
    /// `scriptPath` (logon script, relative to NETLOGON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_path: Option<String>,
    /// DNs of the groups the user is a direct member of (`memberOf`; primary group excluded).
    #[serde(default)]
    pub member_of: Vec<String>,
    /// Every group reached through nesting, by name (primary group included), sorted.
    #[serde(default)]
    pub member_of_transitive: Vec<String>,
    /// Primary group name (from `primaryGroupID`, usually `Domain Users`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_group: Option<String>,
    /// `whenCreated` (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_created: Option<String>,
    /// `whenChanged` (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_changed: Option<String>,
}

/// Allowed logon hours, as the 21-byte `logonHours` attribute stores them: in UTC.
///
/// AD stores one bit per hour of the week, starting Sunday 00:00 **UTC**, least significant
/// bit first. The collector keeps that UTC grid only; the checker shows and compares it in
/// the exam's time zone (the pack's or inventory's `timezone`, Europe/Paris by default) with
/// the offset in force when the snapshot was collected, daylight saving included.
///
/// Snapshots written before that also hold `local_offset_minutes`, `local` and
/// `local_ranges` (a grid shifted by a fixed offset given at collection): they are still
/// read, and ignored, since their `utc` grid is all the checker needs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogonHours {
    /// The attribute is absent (or every bit is set): logon allowed at any time.
    pub always_allowed: bool,
    /// Every bit is clear: logon never allowed.
    #[serde(default)]
    pub never_allowed: bool,
    /// The attribute is present but is not the 21 bytes AD defines (a script that wrote
    /// one byte per hour writes 168): neither allowed nor denied, it is malformed. Its
    /// length and its first bytes are kept; `utc` is then empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub malformed: Option<MalformedValue>,
    /// UTC grid: seven days Sunday first, each 24 characters `1` (allowed) / `0` (denied).
    #[serde(default)]
    pub utc: Vec<DayHours>,
    /// Legacy (older collectors): the fixed offset, in minutes east of UTC, the collector
    /// shifted `local` by. Ignored by the checker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_offset_minutes: Option<i32>,
    /// Legacy (older collectors): the grid shifted by `local_offset_minutes`. Ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local: Vec<DayHours>,
    /// Legacy (older collectors): allowed ranges of `local`. Ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_ranges: Vec<String>,
}

/// A binary attribute value that does not have the shape its syntax requires.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MalformedValue {
    /// Length of the value in bytes.
    pub length: u64,
    /// The value in lower-case hexadecimal, at most its first
    /// [`MalformedValue::MAX_KEPT_BYTES`] bytes.
    pub hex: String,
    /// The value was longer than what `hex` keeps.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl MalformedValue {
    /// How many bytes of a malformed value a snapshot keeps (a host may send megabytes).
    pub const MAX_KEPT_BYTES: usize = 256;

    /// Keeps the length and the first bytes of `bytes`.
    pub fn of(bytes: &[u8]) -> MalformedValue {
        let kept = &bytes[..bytes.len().min(Self::MAX_KEPT_BYTES)];
        let mut hex = String::with_capacity(kept.len() * 2);
        for b in kept {
            hex.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            hex.push(char::from(b"0123456789abcdef"[usize::from(b & 0xF)]));
        }
        MalformedValue {
            length: bytes.len() as u64,
            hex,
            truncated: bytes.len() > kept.len(),
        }
    }
}

/// One day of a logon-hours grid.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DayHours {
    /// `Sun`, `Mon`, … `Sat`.
    pub day: String,
    /// 24 characters, hour 0 first: `1` allowed, `0` denied.
    pub hours: String,
}

/// Scope of a group (from `groupType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupScope {
    /// Global (0x2).
    #[default]
    Global,
    /// Domain local (0x4).
    DomainLocal,
    /// Universal (0x8).
    Universal,
    /// Built-in local group (0x1, `CN=Builtin`).
    Builtin,
}

/// Type of a group (from `groupType` bit 0x80000000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Security group.
    #[default]
    Security,
    /// Distribution group.
    Distribution,
}

/// A domain group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectoryGroup {
    /// Name (`sAMAccountName`).
    pub name: String,
    /// Distinguished name.
    pub dn: String,
    /// DN of the containing OU or container.
    pub ou_dn: String,
    /// SID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Scope.
    pub scope: GroupScope,
    /// Security or distribution.
    pub kind: GroupKind,
    /// Raw `groupType`.
    pub group_type: i32,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// DNs of the direct members (`member`), sorted.
    #[serde(default)]
    pub members: Vec<String>,
    /// Names of the direct members (`sAMAccountName` when the member was collected, else its RDN).
    #[serde(default)]
    pub member_names: Vec<String>,
    /// Names of every member reached through nested groups (users, computers and groups),
    /// sorted; primary-group members included.
    #[serde(default)]
    pub members_transitive: Vec<String>,
    /// Names of the accounts whose primary group this is (not listed in `member`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_members: Vec<String>,
    /// DNs of the groups this group is a direct member of.
    #[serde(default)]
    pub member_of: Vec<String>,
}

/// A computer account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectoryComputer {
    /// Name (`cn`, `PC-COMPTA01`).
    pub name: String,
    /// `sAMAccountName` (`PC-COMPTA01$`).
    pub sam_account_name: String,
    /// Distinguished name.
    pub dn: String,
    /// DN of the containing OU or container.
    pub ou_dn: String,
    /// `operatingSystem`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// `operatingSystemVersion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// `dNSHostName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_host_name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Enabled (`ACCOUNTDISABLE` clear).
    pub enabled: bool,
    /// Raw `userAccountControl`.
    pub user_account_control: u32,
    /// `lastLogonTimestamp` (RFC 3339, replicated, up to 14 days late).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_logon: Option<String>,
    /// DNs of the groups the computer is a direct member of.
    #[serde(default)]
    pub member_of: Vec<String>,
}

/// A Group Policy container (the AD half of a GPO; the files are in [`crate::gpo`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GpoContainer {
    /// GUID in braces, upper case.
    pub guid: String,
    /// Distinguished name.
    pub dn: String,
    /// `displayName`.
    pub display_name: String,
    /// Raw `versionNumber` (user << 16 | machine).
    pub version: u32,
    /// User part version.
    pub user_version: u32,
    /// Computer part version.
    pub machine_version: u32,
    /// Raw `flags`.
    pub flags: u32,
    /// User settings disabled (flags bit 1).
    pub user_disabled: bool,
    /// Computer settings disabled (flags bit 2).
    pub computer_disabled: bool,
    /// `gPCFileSysPath` (`\\tssr.lan\sysvol\tssr.lan\Policies\{GUID}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_sys_path: Option<String>,
    /// `gPCWQLFilter` (WMI filter reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wmi_filter: Option<String>,
    /// Client-side extensions registered for the computer part.
    #[serde(default)]
    pub machine_extensions: Vec<CseRegistration>,
    /// Client-side extensions registered for the user part.
    #[serde(default)]
    pub user_extensions: Vec<CseRegistration>,
    /// Where the GPO is linked (OU or domain DNs), filled from the collected `gPLink`s.
    #[serde(default)]
    pub linked_to: Vec<String>,
    /// `whenChanged` (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_changed: Option<String>,
    /// The WMI filter `gPCWQLFilter` points to (the `msWMI-Som` object), when found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wmi_filter_object: Option<WmiFilter>,
    /// Security filtering and delegation, from the container's `nTSecurityDescriptor`
    /// (`not_collected` when the DC did not return it to this account, `error` when malformed).
    #[serde(default = "security_not_read")]
    pub security: Section<GpoSecurity>,
    /// Software installation: the `packageRegistration` objects of the GPO's class stores
    /// (`CN=Packages,CN=Class Store,CN=Machine|User,<GPO>`), computer part first, then by
    /// name (`not_collected` when an older collector wrote the snapshot).
    #[serde(default = "software_not_read")]
    pub software: Section<Vec<SoftwarePackage>>,
}

fn security_not_read() -> Section<GpoSecurity> {
    Section::not_collected("the collector that wrote this snapshot does not read GPO security")
}

fn software_not_read() -> Section<Vec<SoftwarePackage>> {
    Section::not_collected(
        "the collector that wrote this snapshot does not read GPO software installation",
    )
}

/// How a software installation package is deployed ([MS-GPSI] 2.2.2.4.3 `packageFlags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SoftwareDeployment {
    /// `ACTFLG_Assigned` (0x400): installed at computer startup or offered at user logon.
    Assigned,
    /// `ACTFLG_Published` (0x8): offered to users in "Programs and Features", never pushed.
    Published,
    /// Neither flag: the package was removed from deployment (or the object is not one a
    /// client acts on).
    #[default]
    None,
    /// Both flags, which [MS-GPSI] forbids: the object is malformed.
    Both,
}

/// One software installation package of a GPO (a `packageRegistration` object).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SoftwarePackage {
    /// Computer (`CN=Machine`) or user (`CN=User`) part of the GPO.
    pub scope: crate::gpo::PolicyScope,
    /// The object's RDN (the deployment GUID in braces, upper case).
    pub id: String,
    /// `packageName`, as GPMC shows it (`Google Chrome`).
    pub name: String,
    /// The Windows Installer package: the `0:` entry of `msiFileList`
    /// (`\\srv-file01\Deploiement\7z.msi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msi_path: Option<String>,
    /// Transforms (`.mst`), the other `msiFileList` entries in their order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transforms: Vec<String>,
    /// `productCode` as a GUID in braces, upper case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_code: Option<String>,
    /// `packageType`: `msi` (5, DrwFilePath) or `zap` (6, SetupNamePath); the number when
    /// another value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_type: Option<String>,
    /// Assigned or published, from `packageFlags`.
    pub deployment: SoftwareDeployment,
    /// Raw `packageFlags`.
    pub flags: u32,
    /// Every flag set, by its [MS-GPSI] name (`Assigned`, `UninstallOnPolicyRemoval`…);
    /// unknown bits as `0x…`.
    #[serde(default)]
    pub flag_names: Vec<String>,
    /// `ACTFLG_InstallUserAssign`: an assigned user package is installed at logon instead
    /// of only advertised.
    pub install_at_logon: bool,
    /// `ACTFLG_UninstallOnPolicyRemoval`: removed when the GPO no longer applies.
    pub uninstall_when_out_of_scope: bool,
    /// `ACTFLG_OnDemandInstall`: installed on file-extension activation.
    pub on_demand: bool,
    /// `versionNumberHi.versionNumberLo`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `msiScriptPath`: the advertise script (`.aas`) in SYSVOL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_path: Option<String>,
    /// `canUpgradeScript`: the packages this one upgrades, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upgrades: Vec<String>,
    /// What is malformed in the object (both Assigned and Published, a bad `msiFileList`
    /// entry, a `productCode` that is not 16 bytes…); the rest is still reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// Who a GPO applies to and who may edit it, decoded from its container's DACL.
///
/// Each trustee is judged on its own ACEs (allow and deny on the same SID), not through group
/// membership: a deny on a group that contains an allowed account is the checker's business.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GpoSecurity {
    /// Owner (name, or the SID when it is not resolved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Security filtering: trustees allowed both Read (`RP`) and the Apply Group Policy extended
    /// right (`edacfd8f-ffb3-11d1-b41d-00a0c968f939`), and denied neither. Sorted by name.
    #[serde(default)]
    pub apply_to: Vec<GpoTrustee>,
    /// Trustees denied Apply Group Policy or Read. Sorted by name.
    #[serde(default)]
    pub denied: Vec<GpoTrustee>,
    /// Trustees that may edit the GPO (write properties, change permissions or owner, or full
    /// control). Sorted by name.
    #[serde(default)]
    pub edit: Vec<GpoTrustee>,
    /// Every ACE of the DACL that applies to the container itself, in DACL order.
    #[serde(default)]
    pub aces: Vec<GpoAce>,
}

/// A security principal named in a GPO's DACL.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct GpoTrustee {
    /// Account or group name (`GG_Compta`, `Authenticated Users`), or the SID when unresolved.
    pub name: String,
    /// SID (`S-1-5-11`).
    pub sid: String,
}

/// One access control entry of a GPO container's DACL.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GpoAce {
    /// Trustee name, or the SID when unresolved.
    pub trustee: String,
    /// Trustee SID.
    pub sid: String,
    /// Allow (`true`) or deny.
    pub allow: bool,
    /// Rights as SDDL abbreviations (`RP`, `WP`, `CR`, `GA`…); unknown bits as `0x…`.
    pub rights: Vec<String>,
    /// The object type an object ACE is limited to (`Apply Group Policy`, or the GUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    /// Inherited from the parent container.
    #[serde(default)]
    pub inherited: bool,
}

/// A WMI filter (`msWMI-Som` object under `CN=SOM,CN=WMIPolicy,CN=System`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WmiFilter {
    /// `msWMI-ID` (GUID in braces, upper case).
    pub id: String,
    /// `msWMI-Name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `msWMI-Parm1` (description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The queries of `msWMI-Parm2`.
    #[serde(default)]
    pub queries: Vec<WmiQuery>,
    /// `msWMI-Parm2` as read, when it could not be split into queries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_queries: Option<String>,
}

/// One WQL query of a WMI filter.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WmiQuery {
    /// WMI namespace (`root\CIMv2`).
    pub namespace: String,
    /// The query (`SELECT * FROM Win32_OperatingSystem WHERE ProductType = 1`).
    pub query: String,
}

/// One `[{CSE}{tool}…]` group of `gPCMachineExtensionNames` / `gPCUserExtensionNames`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CseRegistration {
    /// Client-side extension GUID, upper case in braces.
    pub cse: String,
    /// Well-known name of the extension (`Registry`, `Security`, `Drive Maps`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Administrative tool GUIDs that follow it.
    #[serde(default)]
    pub tools: Vec<String>,
}

/// A DNS zone (AD-stored or from the DNS server role).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsZone {
    /// Zone name (`tssr.lan`, `0.200.10.in-addr.arpa`).
    pub name: String,
    /// Where it is stored: the partition DN for AD zones, `file` or `ad` for the DNS role.
    pub storage: String,
    /// Reverse lookup zone.
    pub reverse: bool,
    /// Zone type for the DNS role (`Primary`, `Secondary`, `Forwarder`, `Stub`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_type: Option<String>,
    /// Dynamic updates (`None`, `Secure`, `NonsecureAndSecure`), when known: the DNS role's
    /// `DynamicUpdate`, or over LDAP the zone's `dnsProperty` `DSPROPERTY_ZONE_ALLOW_UPDATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic_update: Option<String>,
    /// Zone properties that could not be read (a `dnsProperty` value too short or with an
    /// unknown update flag), as `what: value`: malformed is not absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// Records, sorted by name then type.
    #[serde(default)]
    pub records: Vec<DnsRecord>,
}

/// One DNS resource record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsRecord {
    /// Owner name relative to the zone (`@` for the apex, `dc01`, `_ldap._tcp`).
    pub name: String,
    /// Record type (`A`, `AAAA`, `CNAME`, `NS`, `PTR`, `MX`, `SRV`, `SOA`, `TXT`, or `TYPE<n>`).
    pub record_type: String,
    /// TTL in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    /// Data in zone-file presentation (`10.0.0.1`, `10 mail.tssr.lan.`, `0 100 389 dc01.tssr.lan.`).
    pub data: String,
}
