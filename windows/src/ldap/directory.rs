//! Builds the [`Directory`] section from raw LDAP entries: a pure function, so the decoding,
//! link resolution and transitive membership are testable without a server.

use crate::gpo::gplink::{parse_extension_names, parse_gplink};
use crate::ldap::decode::{
    DAY, MINUTE, filetime_to_rfc3339, functional_level, generalized_to_rfc3339, interval,
    logon_hours, parent_dn, pwd_properties, rdn_value, sid_to_string, uac_flags,
};
use crate::ldap::dhcp_authorization::authorizations;
use crate::ldap::dns_record::decode_dns_record;
use crate::ldap::dns_zone_property::zone_properties;
use crate::ldap::gpo_security::{gpo_security, wmi_filter, wql_filter_id};
use crate::ldap::session::Entry;
use crate::ldap::software::packages_by_gpo;
use constat_snapshot::Section;
use constat_snapshot::ad::{
    Directory, DirectoryComputer, DirectoryGroup, DirectoryUser, DnsRecord, DnsZone, Domain,
    FineGrainedPasswordPolicy, GpLink, GpoContainer, GroupKind, GroupScope, OrganizationalUnit,
    PasswordPolicy, WmiFilter,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Attributes read from the domain object.
pub const DOMAIN_ATTRS: &[&str] = &[
    "objectSid",
    "minPwdLength",
    "pwdProperties",
    "pwdHistoryLength",
    "lockoutThreshold",
    "lockoutDuration",
    "lockOutObservationWindow",
    "maxPwdAge",
    "minPwdAge",
    "gPLink",
    "gPOptions",
    "msDS-Behavior-Version",
];
/// Attributes read from OUs.
pub const OU_ATTRS: &[&str] = &["ou", "description", "gPLink", "gPOptions"];
/// Attributes read from users.
pub const USER_ATTRS: &[&str] = &[
    "sAMAccountName",
    "userPrincipalName",
    "givenName",
    "sn",
    "displayName",
    "description",
    "title",
    "department",
    "mail",
    "telephoneNumber",
    "userAccountControl",
    "pwdLastSet",
    "lockoutTime",
    "accountExpires",
    "logonHours",
    "profilePath",
    "homeDirectory",
    "homeDrive",
    "scriptPath",
    "memberOf",
    "primaryGroupID",
    "whenCreated",
    "whenChanged",
    "objectSid",
];
/// Attributes read from groups.
pub const GROUP_ATTRS: &[&str] = &[
    "sAMAccountName",
    "cn",
    "groupType",
    "description",
    "member",
    "memberOf",
    "objectSid",
];
/// Attributes read from computers.
pub const COMPUTER_ATTRS: &[&str] = &[
    "cn",
    "sAMAccountName",
    "operatingSystem",
    "operatingSystemVersion",
    "dNSHostName",
    "description",
    "userAccountControl",
    "lastLogonTimestamp",
    "memberOf",
    "primaryGroupID",
    "objectSid",
];
/// Attributes read from GPO containers.
pub const GPO_ATTRS: &[&str] = &[
    "cn",
    "displayName",
    "versionNumber",
    "flags",
    "gPCFileSysPath",
    "gPCWQLFilter",
    "gPCMachineExtensionNames",
    "gPCUserExtensionNames",
    "whenChanged",
    "nTSecurityDescriptor",
];
/// Attributes read from WMI filters (`msWMI-Som`).
pub const WMI_FILTER_ATTRS: &[&str] = &["msWMI-ID", "msWMI-Name", "msWMI-Parm1", "msWMI-Parm2"];
/// Attributes read from Password Settings Objects.
pub const PSO_ATTRS: &[&str] = &[
    "cn",
    "msDS-PasswordSettingsPrecedence",
    "msDS-PSOAppliesTo",
    "msDS-MinimumPasswordLength",
    "msDS-PasswordHistoryLength",
    "msDS-PasswordComplexityEnabled",
    "msDS-PasswordReversibleEncryptionEnabled",
    "msDS-LockoutThreshold",
    "msDS-LockoutDuration",
    "msDS-LockoutObservationWindow",
    "msDS-MaximumPasswordAge",
    "msDS-MinimumPasswordAge",
];
/// Attributes read from DNS zones.
pub const DNS_ZONE_ATTRS: &[&str] = &["name", "dNSProperty"];
/// Attributes read from DNS nodes.
pub const DNS_NODE_ATTRS: &[&str] = &["name", "dnsRecord", "dNSTombstoned"];

/// DNS zones of one application partition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawDnsPartition {
    /// Partition DN (`DC=DomainDnsZones,DC=tssr,DC=lan`).
    pub partition_dn: String,
    /// `dnsZone` entries.
    pub zones: Vec<Entry>,
    /// `dnsNode` entries.
    pub nodes: Vec<Entry>,
}

/// Everything read over LDAP, before interpretation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawDirectory {
    /// rootDSE.
    pub root_dse: Entry,
    /// Domain object.
    pub domain: Entry,
    /// NetBIOS name from the partitions container.
    pub netbios_name: Option<String>,
    /// OUs.
    pub ous: Vec<Entry>,
    /// Users.
    pub users: Vec<Entry>,
    /// Groups.
    pub groups: Vec<Entry>,
    /// Computers.
    pub computers: Vec<Entry>,
    /// GPO containers.
    pub gpos: Vec<Entry>,
    /// WMI filters (`msWMI-Som` under `CN=SOM,CN=WMIPolicy,CN=System`).
    pub wmi_filters: Vec<Entry>,
    /// Software installation packages (`packageRegistration` under the GPOs' class
    /// stores); `None` when they were not searched.
    pub packages: Option<Vec<Entry>>,
    /// Password Settings Objects.
    pub psos: Vec<Entry>,
    /// DNS partitions.
    pub dns: Vec<RawDnsPartition>,
    /// `dHCPClass` objects under `CN=NetServices,CN=Services` of the configuration
    /// partition; `None` when they were not searched.
    pub dhcp_classes: Option<Vec<Entry>>,
}

fn lower(dn: &str) -> String {
    dn.to_ascii_lowercase()
}

fn links(entry: &Entry) -> Vec<GpLink> {
    // A malformed gPLink is kept visible as no links plus the raw value in the error path
    // of the collector; here an unparsable value yields no links.
    entry
        .str("gplink")
        .and_then(|v| parse_gplink(v, &entry.dn).ok())
        .unwrap_or_default()
}

fn password_policy(e: &Entry, prefix: &str) -> PasswordPolicy {
    let name = |n: &str| format!("{prefix}{n}").to_ascii_lowercase();
    let u32_of = |n: &str| e.int(&name(n)).and_then(|v| u32::try_from(v).ok());
    if prefix.is_empty() {
        let properties = u32_of("pwdProperties");
        PasswordPolicy {
            min_length: u32_of("minPwdLength"),
            history_length: u32_of("pwdHistoryLength"),
            complexity: properties.is_some_and(|p| p & 1 != 0),
            reversible_encryption: properties.is_some_and(|p| p & 0x10 != 0),
            properties_raw: properties,
            properties: properties.map(pwd_properties).unwrap_or_default(),
            lockout_threshold: u32_of("lockoutThreshold"),
            lockout_duration_minutes: e.int("lockoutduration").and_then(|v| interval(v, MINUTE)),
            lockout_observation_minutes: e
                .int("lockoutobservationwindow")
                .and_then(|v| interval(v, MINUTE)),
            max_age_days: e.int("maxpwdage").and_then(|v| interval(v, DAY)),
            min_age_days: e.int("minpwdage").and_then(|v| interval(v, DAY)),
        }
    } else {
        let flag = |n: &str| {
            e.str(&name(n))
                .is_some_and(|v| v.eq_ignore_ascii_case("TRUE"))
        };
        PasswordPolicy {
            min_length: u32_of("MinimumPasswordLength"),
            history_length: u32_of("PasswordHistoryLength"),
            complexity: flag("PasswordComplexityEnabled"),
            reversible_encryption: flag("PasswordReversibleEncryptionEnabled"),
            properties_raw: None,
            properties: Vec::new(),
            lockout_threshold: u32_of("LockoutThreshold"),
            lockout_duration_minutes: e
                .int(&name("LockoutDuration"))
                .and_then(|v| interval(v, MINUTE)),
            lockout_observation_minutes: e
                .int(&name("LockoutObservationWindow"))
                .and_then(|v| interval(v, MINUTE)),
            max_age_days: e
                .int(&name("MaximumPasswordAge"))
                .and_then(|v| interval(v, DAY)),
            min_age_days: e
                .int(&name("MinimumPasswordAge"))
                .and_then(|v| interval(v, DAY)),
        }
    }
}

/// A GPO container's GUID (its `cn`, upper case, in braces).
fn guid_of(e: &Entry) -> String {
    e.string("cn")
        .unwrap_or_else(|| rdn_value(&e.dn))
        .to_ascii_uppercase()
}

fn rid(sid: &str) -> Option<u32> {
    sid.rsplit('-').next()?.parse().ok()
}

/// Interprets the raw entries.
pub fn build_directory(raw: &RawDirectory) -> Directory {
    let domain_dn = raw.domain.dn.clone();
    let dns_name = domain_dn
        .split(',')
        .filter_map(|part| {
            part.trim()
                .strip_prefix("DC=")
                .or_else(|| part.trim().strip_prefix("dc="))
        })
        .collect::<Vec<_>>()
        .join(".");
    let domain_sid = raw
        .domain
        .bytes("objectsid")
        .and_then(|b| sid_to_string(&b));

    // Account and group names by SID, for the GPOs' security descriptors.
    let by_sid: HashMap<String, String> = raw
        .users
        .iter()
        .chain(&raw.groups)
        .chain(&raw.computers)
        .filter_map(|e| {
            let sid = sid_to_string(&e.bytes("objectsid")?)?;
            Some((
                sid,
                e.string("samaccountname")
                    .unwrap_or_else(|| rdn_value(&e.dn)),
            ))
        })
        .collect();
    let sid_name = |sid: &str| by_sid.get(sid).cloned();
    let wmi_filters: HashMap<String, WmiFilter> = raw
        .wmi_filters
        .iter()
        .filter_map(|e| {
            let id = e.string("mswmi-id")?;
            let filter = wmi_filter(
                &id,
                e.string("mswmi-name"),
                e.string("mswmi-parm1"),
                e.str("mswmi-parm2"),
            );
            Some((filter.id.clone(), filter))
        })
        .collect();

    let mut packages = raw.packages.as_deref().map(packages_by_gpo);
    // GPO containers first: links need their names.
    let mut gpos: Vec<GpoContainer> = raw
        .gpos
        .iter()
        .map(|e| {
            let version = e.int("versionnumber").map_or(0, |v| v as u32);
            let flags = e.int("flags").map_or(0, |v| v as u32);
            GpoContainer {
                guid: guid_of(e),
                dn: e.dn.clone(),
                display_name: e.string("displayname").unwrap_or_default(),
                version,
                user_version: version >> 16,
                machine_version: version & 0xFFFF,
                flags,
                user_disabled: flags & 1 != 0,
                computer_disabled: flags & 2 != 0,
                file_sys_path: e.string("gpcfilesyspath"),
                wmi_filter: e.string("gpcwqlfilter"),
                machine_extensions: e
                    .str("gpcmachineextensionnames")
                    .map(parse_extension_names)
                    .unwrap_or_default(),
                user_extensions: e
                    .str("gpcuserextensionnames")
                    .map(parse_extension_names)
                    .unwrap_or_default(),
                linked_to: Vec::new(),
                when_changed: e.str("whenchanged").and_then(generalized_to_rfc3339),
                wmi_filter_object: e
                    .str("gpcwqlfilter")
                    .and_then(wql_filter_id)
                    .and_then(|id| wmi_filters.get(&id).cloned()),
                security: gpo_security(e.bytes("ntsecuritydescriptor").as_deref(), &sid_name),
                software: match packages.as_mut() {
                    None => Section::not_collected("software installation packages not searched"),
                    Some(by_gpo) => {
                        Section::collected(by_gpo.remove(&guid_of(e)).unwrap_or_default())
                    }
                },
            }
        })
        .collect();
    let gpo_names: HashMap<String, String> = gpos
        .iter()
        .map(|g| (g.guid.clone(), g.display_name.clone()))
        .collect();
    let mut linked: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut named_links = |owner: &str, mut list: Vec<GpLink>| {
        for link in &mut list {
            link.gpo_name = gpo_names.get(&link.gpo_guid).cloned();
            linked
                .entry(link.gpo_guid.clone())
                .or_default()
                .push(owner.to_owned());
        }
        list
    };

    let domain = Domain {
        dn: domain_dn.clone(),
        dns_name: dns_name.clone(),
        netbios_name: raw.netbios_name.clone(),
        sid: domain_sid.clone(),
        functional_level: raw
            .domain
            .int("msds-behavior-version")
            .or_else(|| raw.root_dse.int("domainfunctionality"))
            .map(functional_level),
        forest_functional_level: raw
            .root_dse
            .int("forestfunctionality")
            .map(functional_level),
        dc_dns_host_name: raw.root_dse.string("dnshostname"),
        password_policy: password_policy(&raw.domain, ""),
        fine_grained_policies: {
            let mut psos: Vec<FineGrainedPasswordPolicy> = raw
                .psos
                .iter()
                .map(|e| FineGrainedPasswordPolicy {
                    name: e.string("cn").unwrap_or_else(|| rdn_value(&e.dn)),
                    dn: e.dn.clone(),
                    precedence: e.int("msds-passwordsettingsprecedence").map(|v| v as u32),
                    applies_to: {
                        let mut v = e.strs("msds-psoappliesto");
                        v.sort();
                        v
                    },
                    policy: password_policy(e, "msDS-"),
                })
                .collect();
            psos.sort_by_key(|p| (p.precedence, p.name.clone()));
            psos
        },
        gp_links: named_links(&domain_dn, links(&raw.domain)),
        block_inheritance: raw.domain.int("gpoptions") == Some(1),
    };

    let mut ous: Vec<OrganizationalUnit> = raw
        .ous
        .iter()
        .map(|e| OrganizationalUnit {
            dn: e.dn.clone(),
            name: e.string("ou").unwrap_or_else(|| rdn_value(&e.dn)),
            parent_dn: parent_dn(&e.dn),
            description: e.string("description"),
            gp_links: named_links(&e.dn, links(e)),
            block_inheritance: e.int("gpoptions") == Some(1),
            protected: None,
        })
        .collect();
    ous.sort_by_key(|o| (o.dn.matches(',').count(), lower(&o.dn)));
    for gpo in &mut gpos {
        gpo.linked_to = linked.remove(&gpo.guid).unwrap_or_default();
        // The search order of OUs is the DC's, not stable between two DCs: sort like the OUs.
        gpo.linked_to
            .sort_by_key(|dn| (dn.matches(',').count(), lower(dn)));
    }
    gpos.sort_by_key(|g| (g.display_name.to_ascii_lowercase(), g.guid.clone()));

    // Names of every principal by DN, for member names and transitive membership.
    let mut names: HashMap<String, String> = HashMap::new();
    for e in raw.users.iter().chain(&raw.groups).chain(&raw.computers) {
        names.insert(
            lower(&e.dn),
            e.string("samaccountname")
                .unwrap_or_else(|| rdn_value(&e.dn)),
        );
    }
    let name_of = |dn: &str| {
        names
            .get(&lower(dn))
            .cloned()
            .unwrap_or_else(|| rdn_value(dn))
    };

    // Group DN by RID, for primary groups.
    let group_by_rid: HashMap<u32, &Entry> = raw
        .groups
        .iter()
        .filter_map(|g| {
            let sid = sid_to_string(&g.bytes("objectsid")?)?;
            let in_domain = domain_sid
                .as_deref()
                .is_some_and(|d| sid.starts_with(&format!("{d}-")));
            in_domain.then(|| rid(&sid).map(|r| (r, g))).flatten()
        })
        .collect();
    let mut primary_members: HashMap<String, Vec<String>> = HashMap::new();
    for e in raw.users.iter().chain(&raw.computers) {
        if let Some(group) = e
            .int("primarygroupid")
            .and_then(|r| group_by_rid.get(&(r as u32)))
        {
            primary_members
                .entry(lower(&group.dn))
                .or_default()
                .push(lower(&e.dn));
        }
    }
    let direct: HashMap<String, Vec<String>> = raw
        .groups
        .iter()
        .map(|g| {
            let mut members: Vec<String> = g.strs("member").iter().map(|m| lower(m)).collect();
            members.extend(
                primary_members
                    .get(&lower(&g.dn))
                    .cloned()
                    .unwrap_or_default(),
            );
            (lower(&g.dn), members)
        })
        .collect();
    let transitive = |group: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![group.to_owned()];
        while let Some(current) = stack.pop() {
            for member in direct.get(&current).into_iter().flatten() {
                if seen.insert(member.clone()) && direct.contains_key(member) {
                    stack.push(member.clone());
                }
            }
        }
        seen
    };
    let closure: HashMap<String, BTreeSet<String>> = raw
        .groups
        .iter()
        .map(|g| (lower(&g.dn), transitive(&lower(&g.dn))))
        .collect();
    let groups_of = |dn: &str| -> Vec<String> {
        let dn = lower(dn);
        let mut list: Vec<String> = closure
            .iter()
            .filter(|(_, members)| members.contains(&dn))
            .map(|(group, _)| name_of(group))
            .collect();
        list.sort_by_key(|n| n.to_ascii_lowercase());
        list
    };
    let sorted_names = |dns: &BTreeSet<String>| -> Vec<String> {
        let mut list: Vec<String> = dns.iter().map(|d| name_of(d)).collect();
        list.sort_by_key(|n| n.to_ascii_lowercase());
        list
    };

    let mut users: Vec<DirectoryUser> = raw
        .users
        .iter()
        .map(|e| {
            let uac = e.int("useraccountcontrol").map_or(0, |v| v as u32);
            let pwd_last_set = e.int("pwdlastset");
            let mut member_of = e.strs("memberof");
            member_of.sort_by_key(|m| lower(m));
            DirectoryUser {
                sam_account_name: e.string("samaccountname").unwrap_or_default(),
                upn: e.string("userprincipalname"),
                dn: e.dn.clone(),
                ou_dn: parent_dn(&e.dn),
                sid: e.bytes("objectsid").and_then(|b| sid_to_string(&b)),
                given_name: e.string("givenname"),
                surname: e.string("sn"),
                display_name: e.string("displayname"),
                description: e.string("description"),
                title: e.string("title"),
                department: e.string("department"),
                mail: e.string("mail"),
                telephone: e.string("telephonenumber"),
                enabled: uac & 2 == 0,
                user_account_control: uac,
                uac_flags: uac_flags(uac),
                must_change_password: pwd_last_set == Some(0),
                password_never_expires: uac & 0x10000 != 0,
                locked: e.int("lockouttime").is_some_and(|t| t > 0),
                password_last_set: pwd_last_set.and_then(filetime_to_rfc3339),
                account_expires: e.int("accountexpires").and_then(filetime_to_rfc3339),
                logon_hours: logon_hours(e.bytes("logonhours").as_deref()),
                profile_path: e.string("profilepath"),
                home_directory: e.string("homedirectory"),
                home_drive: e.string("homedrive"),
                script_path: e.string("scriptpath"),
                member_of,
                member_of_transitive: groups_of(&e.dn),
                primary_group: e
                    .int("primarygroupid")
                    .and_then(|r| group_by_rid.get(&(r as u32)))
                    .map(|g| name_of(&g.dn)),
                when_created: e.str("whencreated").and_then(generalized_to_rfc3339),
                when_changed: e.str("whenchanged").and_then(generalized_to_rfc3339),
            }
        })
        .collect();
    users.sort_by_key(|u| lower(&u.dn));

    let mut groups: Vec<DirectoryGroup> = raw
        .groups
        .iter()
        .map(|e| {
            let group_type = e.int("grouptype").map_or(0, |v| v as i32);
            let bits = group_type as u32;
            let scope = if bits & 0x1 != 0 {
                GroupScope::Builtin
            } else if bits & 0x4 != 0 {
                GroupScope::DomainLocal
            } else if bits & 0x8 != 0 {
                GroupScope::Universal
            } else {
                GroupScope::Global
            };
            let mut members = e.strs("member");
            members.sort_by_key(|m| lower(m));
            let mut member_names: Vec<String> = members.iter().map(|m| name_of(m)).collect();
            member_names.sort_by_key(|n| n.to_ascii_lowercase());
            let mut member_of = e.strs("memberof");
            member_of.sort_by_key(|m| lower(m));
            let mut primary: Vec<String> = primary_members
                .get(&lower(&e.dn))
                .into_iter()
                .flatten()
                .map(|d| name_of(d))
                .collect();
            primary.sort_by_key(|n| n.to_ascii_lowercase());
            DirectoryGroup {
                name: e
                    .string("samaccountname")
                    .unwrap_or_else(|| rdn_value(&e.dn)),
                dn: e.dn.clone(),
                ou_dn: parent_dn(&e.dn),
                sid: e.bytes("objectsid").and_then(|b| sid_to_string(&b)),
                scope,
                kind: if bits & 0x8000_0000 != 0 {
                    GroupKind::Security
                } else {
                    GroupKind::Distribution
                },
                group_type,
                description: e.string("description"),
                members,
                member_names,
                members_transitive: closure
                    .get(&lower(&e.dn))
                    .map(sorted_names)
                    .unwrap_or_default(),
                primary_members: primary,
                member_of,
            }
        })
        .collect();
    groups.sort_by_key(|g| lower(&g.dn));

    let mut computers: Vec<DirectoryComputer> = raw
        .computers
        .iter()
        .map(|e| {
            let uac = e.int("useraccountcontrol").map_or(0, |v| v as u32);
            let mut member_of = e.strs("memberof");
            member_of.sort_by_key(|m| lower(m));
            DirectoryComputer {
                name: e.string("cn").unwrap_or_else(|| rdn_value(&e.dn)),
                sam_account_name: e.string("samaccountname").unwrap_or_default(),
                dn: e.dn.clone(),
                ou_dn: parent_dn(&e.dn),
                os: e.string("operatingsystem"),
                os_version: e.string("operatingsystemversion"),
                dns_host_name: e.string("dnshostname"),
                description: e.string("description"),
                enabled: uac & 2 == 0,
                user_account_control: uac,
                last_logon: e.int("lastlogontimestamp").and_then(filetime_to_rfc3339),
                member_of,
            }
        })
        .collect();
    computers.sort_by_key(|c| lower(&c.dn));

    let mut dns_zones = Vec::new();
    for partition in &raw.dns {
        for zone in &partition.zones {
            let name = zone.string("name").unwrap_or_else(|| rdn_value(&zone.dn));
            if name == "RootDNSServers" || name.starts_with("..") {
                continue;
            }
            let zone_dn = lower(&zone.dn);
            let mut records: Vec<DnsRecord> = partition
                .nodes
                .iter()
                .filter(|n| lower(&parent_dn(&n.dn)) == zone_dn)
                .filter(|n| {
                    !n.str("dnstombstoned")
                        .is_some_and(|t| t.eq_ignore_ascii_case("TRUE"))
                })
                .flat_map(|n| {
                    let node = n.string("name").unwrap_or_else(|| rdn_value(&n.dn));
                    n.all_bytes("dnsrecord")
                        .into_iter()
                        .filter_map(move |blob| {
                            let (record_type, ttl, data) = decode_dns_record(&blob)?;
                            Some(DnsRecord {
                                name: node.clone(),
                                record_type,
                                ttl: Some(ttl),
                                data,
                            })
                        })
                })
                .collect();
            records.sort_by(|a, b| {
                (a.name.to_ascii_lowercase(), &a.record_type, &a.data).cmp(&(
                    b.name.to_ascii_lowercase(),
                    &b.record_type,
                    &b.data,
                ))
            });
            let properties = zone_properties(&zone.all_bytes("dnsproperty"));
            dns_zones.push(DnsZone {
                reverse: name.ends_with(".in-addr.arpa") || name.ends_with(".ip6.arpa"),
                name,
                storage: partition.partition_dn.clone(),
                zone_type: Some("Primary".to_owned()),
                dynamic_update: properties.dynamic_update,
                errors: properties.errors,
                records,
            });
        }
    }
    dns_zones.sort_by_key(|z| (z.name.to_ascii_lowercase(), z.storage.clone()));

    Directory {
        domain,
        ous,
        users,
        groups,
        computers,
        gpos,
        dns_zones,
        dhcp_authorizations: raw.dhcp_classes.as_deref().map(authorizations),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(dn: &str, attrs: &[(&str, &[&str])]) -> Entry {
        Entry {
            dn: dn.to_owned(),
            attrs: attrs
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_ascii_lowercase(),
                        v.iter().map(|s| (*s).to_owned()).collect(),
                    )
                })
                .collect(),
            bin: HashMap::new(),
        }
    }

    fn sid(rid: u32) -> Vec<u8> {
        let mut bytes = vec![
            1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0,
        ];
        bytes.extend_from_slice(&rid.to_le_bytes());
        bytes
    }

    /// Shapes as the lab Samba DC returns them (see tests/tests/ad_samba.rs for the real run):
    /// a primary group (513), AGDLP nesting, a membership cycle and an escaped DN.
    #[test]
    fn transitive_membership_and_primary_groups() {
        let mut domain = entry(
            "DC=tssr,DC=lan",
            &[
                ("minPwdLength", &["12"]),
                ("maxPwdAge", &["-36288000000000"]),
            ],
        );
        let mut domain_sid = sid(0)[..24].to_vec();
        domain_sid[1] = 4; // S-1-5-21-1-2-3: four sub-authorities
        domain.bin.insert("objectsid".to_owned(), vec![domain_sid]);
        let mut users = entry(
            "CN=Domain Users,CN=Users,DC=tssr,DC=lan",
            &[
                ("sAMAccountName", &["Domain Users"]),
                ("groupType", &["-2147483646"]),
            ],
        );
        users.bin.insert("objectsid".to_owned(), vec![sid(513)]);
        let gg = entry(
            "CN=GG_Compta,OU=Compta,DC=tssr,DC=lan",
            &[
                ("sAMAccountName", &["GG_Compta"]),
                ("groupType", &["-2147483646"]),
                (
                    "member",
                    &[
                        "CN=Dupont\\, Jean,OU=Compta,DC=tssr,DC=lan",
                        "CN=DL_A,OU=Compta,DC=tssr,DC=lan",
                    ],
                ),
            ],
        );
        let dl = entry(
            "CN=DL_A,OU=Compta,DC=tssr,DC=lan",
            &[
                ("sAMAccountName", &["DL_A"]),
                ("groupType", &["-2147483644"]),
                (
                    "member",
                    &[
                        "CN=GG_Compta,OU=Compta,DC=tssr,DC=lan",
                        "CN=Domain Users,CN=Users,DC=tssr,DC=lan",
                    ],
                ),
            ],
        );
        let user = entry(
            "CN=Dupont\\, Jean,OU=Compta,DC=tssr,DC=lan",
            &[
                ("sAMAccountName", &["jdupont"]),
                ("userAccountControl", &["66048"]),
                ("primaryGroupID", &["513"]),
                ("memberOf", &["CN=GG_Compta,OU=Compta,DC=tssr,DC=lan"]),
                ("pwdLastSet", &["0"]),
                ("accountExpires", &["9223372036854775807"]),
            ],
        );
        let raw = RawDirectory {
            domain,
            users: vec![user],
            groups: vec![users, gg, dl],
            ..RawDirectory::default()
        };
        let directory = build_directory(&raw);
        insta::assert_yaml_snapshot!((
            &directory.domain.password_policy,
            directory
                .users
                .iter()
                .map(|u| (
                    &u.sam_account_name,
                    &u.ou_dn,
                    &u.primary_group,
                    &u.member_of_transitive,
                    u.must_change_password,
                    &u.account_expires
                ))
                .collect::<Vec<_>>(),
            directory
                .groups
                .iter()
                .map(|g| (
                    &g.name,
                    g.scope,
                    &g.member_names,
                    &g.members_transitive,
                    &g.primary_members
                ))
                .collect::<Vec<_>>(),
        ));
    }
}
