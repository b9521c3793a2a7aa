//! `collect_directory`: one snapshot of a domain for the `dc` role, read over LDAP (and
//! SYSVOL over SMB), with round-trip counters.

use crate::error::CollectError;
use crate::gpo::sysvol::settings_from_files;
use crate::ldap::decode::unix_to_rfc3339;
use crate::ldap::dhcp_authorization::DHCP_CLASS_ATTRS;
use crate::ldap::directory::{
    COMPUTER_ATTRS, DNS_NODE_ATTRS, DNS_ZONE_ATTRS, DOMAIN_ATTRS, GPO_ATTRS, GROUP_ATTRS, OU_ATTRS,
    PSO_ATTRS, RawDirectory, RawDnsPartition, USER_ATTRS, WMI_FILTER_ATTRS, build_directory,
};
use crate::ldap::session::{Entry, LdapStats, Session};
use crate::ldap::software::PACKAGE_ATTRS;
use crate::ldap::sysvol_plan::SysvolLimits;
use crate::ldap::sysvol_smb::{SmbCredentials, SysvolPolicies, fetch_policies, smb_account};
use crate::ldap::target::{DirectoryOptions, LdapTarget, describe_security};
use crate::logon_scripts::assemble::{
    Budget, ScriptLimits, assemble, gpo_script_files, language_of,
};
use crate::logon_scripts::netlogon_smb::fetch_netlogon;
use constat_snapshot::ad::Directory;
use constat_snapshot::gpo::GpoSettings;
use constat_snapshot::logon_scripts::{LogonScripts, ScriptSource, SkippedScript};
use constat_snapshot::{
    CollectionMeta, CollectorRun, HostIdentity, OsFamily, OsInfo, SCHEMA_VERSION, Section,
    Sections, Snapshot,
};
use ldap3::Scope;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Name written in `collection.agent`.
pub const AGENT_NAME: &str = "constat-ldap";

/// A finished collection.
#[derive(Debug, Clone)]
pub struct DirectoryCollection {
    /// The `dc` snapshot.
    pub snapshot: Snapshot,
    /// LDAP round trips.
    pub stats: LdapStats,
}

fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    unix_to_rfc3339(secs)
}

async fn read_raw(
    session: &mut Session,
    target: &LdapTarget,
) -> Result<RawDirectory, CollectError> {
    let root_dse = session
        .search(
            "rootDSE",
            "",
            Scope::Base,
            "(objectClass=*)",
            &[
                "defaultNamingContext",
                "rootDomainNamingContext",
                "configurationNamingContext",
                "dnsHostName",
                "domainFunctionality",
                "forestFunctionality",
            ],
        )
        .await?
        .and_then(|mut e| e.pop())
        .unwrap_or_default();
    let base = target
        .base_dn
        .clone()
        .or_else(|| root_dse.string("defaultnamingcontext"))
        .ok_or_else(|| CollectError::Search {
            what: "rootDSE".to_owned(),
            base: String::new(),
            message: "the server gave no defaultNamingContext: pass the base DN explicitly"
                .to_owned(),
        })?;
    let required = |what: &str, found: Option<Vec<Entry>>| {
        found.ok_or_else(|| CollectError::Search {
            what: what.to_owned(),
            base: base.clone(),
            message: "no such object: check the base DN".to_owned(),
        })
    };
    let mut raw = RawDirectory {
        domain: required(
            "domain",
            session
                .search(
                    "domain",
                    &base,
                    Scope::Base,
                    "(objectClass=*)",
                    DOMAIN_ATTRS,
                )
                .await?,
        )?
        .pop()
        .unwrap_or_default(),
        ..RawDirectory::default()
    };
    if let Some(config) = root_dse.string("configurationnamingcontext") {
        // DHCP servers authorised in the forest; a missing container is "none authorised".
        raw.dhcp_classes = Some(
            session
                .search(
                    "authorised DHCP servers",
                    &format!("CN=NetServices,CN=Services,{config}"),
                    Scope::Subtree,
                    "(objectClass=dHCPClass)",
                    DHCP_CLASS_ATTRS,
                )
                .await?
                .unwrap_or_default(),
        );
        let filter = format!(
            "(&(objectClass=crossRef)(nCName={}))",
            ldap3::ldap_escape(&base)
        );
        raw.netbios_name = session
            .search(
                "netbios name",
                &format!("CN=Partitions,{config}"),
                Scope::OneLevel,
                &filter,
                &["nETBIOSName"],
            )
            .await?
            .and_then(|e| e.first().and_then(|e| e.string("netbiosname")));
    }
    raw.ous = required(
        "OUs",
        session
            .search(
                "OUs",
                &base,
                Scope::Subtree,
                "(objectClass=organizationalUnit)",
                OU_ATTRS,
            )
            .await?,
    )?;
    raw.users = required(
        "users",
        session
            .search(
                "users",
                &base,
                Scope::Subtree,
                "(&(objectCategory=person)(objectClass=user))",
                USER_ATTRS,
            )
            .await?,
    )?;
    raw.groups = required(
        "groups",
        session
            .search(
                "groups",
                &base,
                Scope::Subtree,
                "(objectClass=group)",
                GROUP_ATTRS,
            )
            .await?,
    )?;
    for group in &mut raw.groups {
        complete_ranged_members(session, group).await?;
    }
    raw.computers = required(
        "computers",
        session
            .search(
                "computers",
                &base,
                Scope::Subtree,
                "(objectClass=computer)",
                COMPUTER_ATTRS,
            )
            .await?,
    )?;
    raw.gpos = session
        .search_with_sd(
            "GPO containers",
            &format!("CN=Policies,CN=System,{base}"),
            Scope::OneLevel,
            "(objectClass=groupPolicyContainer)",
            GPO_ATTRS,
        )
        .await?
        .unwrap_or_default();
    // Software installation: every class store package under the GPO containers, in one
    // subtree search ([MS-GPSI] 2.2.2.3 reads them GPO by GPO; one search is the same data).
    raw.packages = Some(
        session
            .search(
                "software installation packages",
                &format!("CN=Policies,CN=System,{base}"),
                Scope::Subtree,
                "(objectClass=packageRegistration)",
                PACKAGE_ATTRS,
            )
            .await?
            .unwrap_or_default(),
    );
    raw.wmi_filters = session
        .search(
            "WMI filters",
            &format!("CN=SOM,CN=WMIPolicy,CN=System,{base}"),
            Scope::OneLevel,
            "(objectClass=msWMI-Som)",
            WMI_FILTER_ATTRS,
        )
        .await?
        .unwrap_or_default();
    raw.psos = session
        .search(
            "password settings objects",
            &format!("CN=Password Settings Container,CN=System,{base}"),
            Scope::OneLevel,
            "(objectClass=msDS-PasswordSettings)",
            PSO_ATTRS,
        )
        .await?
        .unwrap_or_default();
    let forest = root_dse
        .string("rootdomainnamingcontext")
        .unwrap_or_else(|| base.clone());
    for partition in [
        format!("DC=DomainDnsZones,{base}"),
        format!("DC=ForestDnsZones,{forest}"),
        format!("CN=MicrosoftDNS,CN=System,{base}"),
    ] {
        let Some(zones) = session
            .search(
                "DNS zones",
                &partition,
                Scope::Subtree,
                "(objectClass=dnsZone)",
                DNS_ZONE_ATTRS,
            )
            .await?
        else {
            continue;
        };
        let nodes = session
            .search(
                "DNS records",
                &partition,
                Scope::Subtree,
                "(objectClass=dnsNode)",
                DNS_NODE_ATTRS,
            )
            .await?
            .unwrap_or_default();
        raw.dns.push(RawDnsPartition {
            partition_dn: partition,
            zones,
            nodes,
        });
    }
    raw.root_dse = root_dse;
    Ok(raw)
}

/// AD returns at most 1,500 values of `member` per read, as `member;range=0-1499`; the
/// rest must be asked for range by range ([MS-ADTS] 3.1.1.3.1.3.3). Samba returns all values.
async fn complete_ranged_members(
    session: &mut Session,
    group: &mut Entry,
) -> Result<(), CollectError> {
    let Some(key) = group
        .attrs
        .keys()
        .find(|k| k.starts_with("member;range="))
        .cloned()
    else {
        return Ok(());
    };
    let mut members = group.attrs.remove(&key).unwrap_or_default();
    let mut range = key;
    // `member;range=0-1499` → next start 1500; `member;range=1500-*` is the last page.
    while let Some(end) = range.rsplit('-').next().filter(|end| *end != "*") {
        let start = end.parse::<u64>().map_err(|_| CollectError::Search {
            what: "group members".to_owned(),
            base: group.dn.clone(),
            message: format!("unexpected range attribute {range:?}"),
        })? + 1;
        let attr = format!("member;range={start}-*");
        let page = session
            .search(
                "group members",
                &group.dn,
                Scope::Base,
                "(objectClass=group)",
                &[attr.as_str()],
            )
            .await?
            .and_then(|mut entries| entries.pop())
            .unwrap_or_default();
        let Some(next) = page
            .attrs
            .keys()
            .find(|k| k.starts_with("member;range="))
            .cloned()
        else {
            break;
        };
        members.extend(page.attrs.get(&next).cloned().unwrap_or_default());
        range = next;
    }
    group.attrs.insert("member".to_owned(), members);
    Ok(())
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6).to_owned();
    }
    authority
        .rsplit_once(':')
        .map_or(authority, |(h, _)| h)
        .to_owned()
}

fn smb_credentials(target: &LdapTarget, directory: &Directory) -> SmbCredentials {
    let netbios = directory.domain.netbios_name.clone().unwrap_or_default();
    let dn_account = directory
        .users
        .iter()
        .find(|u| u.dn.eq_ignore_ascii_case(&target.bind_dn))
        .map(|u| u.sam_account_name.as_str());
    let (username, domain) = smb_account(&target.bind_dn, &netbios, dn_account);
    SmbCredentials {
        username,
        domain,
        password: target.password.clone(),
    }
}

fn gpos_section(
    directory: &Directory,
    fetched: &Result<SysvolPolicies, String>,
) -> Section<Vec<GpoSettings>> {
    let policies = match fetched {
        Ok(policies) => policies,
        Err(message) => return Section::error(message.clone()),
    };
    // The folder as listed: every file, and the settings files not downloaded.
    let listed = |mut settings: GpoSettings, guid: &str| {
        if let Some(plan) = policies.listed.get(guid) {
            settings.files.clone_from(&plan.listed);
            settings.skipped.clone_from(&plan.skipped);
        }
        settings
    };
    let mut settings: Vec<GpoSettings> = directory
        .gpos
        .iter()
        .map(|container| match policies.folders.get(&container.guid) {
            Some(files) => listed(
                settings_from_files(&container.guid, files, Some(container)),
                &container.guid,
            ),
            None => GpoSettings {
                guid: container.guid.clone(),
                display_name: Some(container.display_name.clone()),
                source: "sysvol".to_owned(),
                errors: vec![format!("no folder {} in SYSVOL: the GPO has no settings files (or replication is broken)", container.guid)],
                ..GpoSettings::default()
            },
        })
        .collect();
    for (guid, files) in &policies.folders {
        if !directory.gpos.iter().any(|g| &g.guid == guid) {
            let mut orphan = listed(settings_from_files(guid, files, None), guid);
            orphan
                .errors
                .push("SYSVOL folder without a GPO container in AD (orphan)".to_owned());
            settings.push(orphan);
        }
    }
    if let Some(first) = settings.first_mut() {
        first
            .errors
            .extend(policies.warnings.iter().map(|w| format!("smbclient: {w}")));
    }
    Section::collected(settings)
}

/// NETLOGON's scripts (fetched here) and the scripts of the GPO folders already fetched,
/// under one budget. NETLOGON that cannot be listed makes the section an error; GPO folders
/// that could not be read are named in `skipped`.
async fn logon_scripts_section(
    host: &str,
    credentials: &SmbCredentials,
    options: &DirectoryOptions,
    fetched: &Result<SysvolPolicies, String>,
) -> Section<LogonScripts> {
    let mut budget = Budget::new(ScriptLimits::default());
    let mut skipped = Vec::new();
    let mut files = match fetch_netlogon(
        host,
        credentials,
        options.sysvol_timeout,
        &mut budget,
        &mut skipped,
    )
    .await
    {
        Ok(files) => files,
        Err(message) => return Section::error(message),
    };
    match fetched {
        Ok(policies) => {
            for (guid, folder) in &policies.folders {
                files.extend(gpo_script_files(guid, folder, &mut budget, &mut skipped));
            }
            // Scripts SYSVOL's limits kept from being downloaded are unknown, not absent.
            for (guid, plan) in &policies.listed {
                for file in plan
                    .skipped
                    .iter()
                    .filter(|f| language_of(&f.path).is_some())
                {
                    skipped.push(SkippedScript {
                        source: ScriptSource::Gpo,
                        path: format!("{guid}\\{}", file.path.replace('/', "\\")),
                        size: file.size,
                        reason: file.reason.clone(),
                    });
                }
            }
        }
        Err(message) => skipped.push(SkippedScript {
            source: ScriptSource::Gpo,
            path: "Policies".to_owned(),
            size: None,
            reason: format!("GPO folders not read: {message}"),
        }),
    }
    Section::collected(assemble(files, skipped))
}

/// Why an LDAP collection has no shares, services, roles, DHCP, files... of the DC: only
/// the PowerShell probe reads them.
pub const NOT_READ_OVER_LDAP: &str =
    "not read over LDAP: this part of the DC needs the PowerShell probe (winrm transport)";

/// Every section `not_collected` with [`NOT_READ_OVER_LDAP`] (the collector then fills
/// `directory` and `gpos`).
fn sections_not_read_over_ldap() -> Sections {
    let why = NOT_READ_OVER_LDAP;
    Sections {
        users: Section::not_collected(why),
        groups: Section::not_collected(why),
        sudo: Section::not_collected(why),
        services: Section::not_collected(why),
        processes: Section::not_collected(why),
        listening: Section::not_collected(why),
        packages: Section::not_collected(why),
        firewall: Section::not_collected(why),
        scheduled_jobs: Section::not_collected(why),
        backups: Section::not_collected(why),
        network: Section::not_collected(why),
        shares: Section::not_collected(why),
        sshd: Section::not_collected(why),
        storage: Section::not_collected(why),
        files: Section::not_collected(why),
        directory: Section::not_collected(why),
        gpos: Section::not_collected(why),
        domain_membership: Section::not_collected(why),
        windows_features: Section::not_collected(why),
        windows_updates: Section::not_collected(why),
        wsus_client: Section::not_collected(why),
        wsus_server: Section::not_collected(why),
        dhcp_server: Section::not_collected(why),
        dns_server: Section::not_collected(why),
        windows_backup: Section::not_collected(why),
        rsop: Section::not_collected(why),
        // Active script runs are asked on a Linux host only.
        ..Sections::default()
    }
}

/// Collects the directory (and, unless disabled, the GPO settings from SYSVOL) into one
/// snapshot for the `dc` role.
pub async fn collect_directory(
    target: &LdapTarget,
    options: &DirectoryOptions,
) -> Result<DirectoryCollection, CollectError> {
    let started_at = now_rfc3339();
    let clock = Instant::now();
    let ldap_part = async {
        let mut session = Session::open(target, options.page_size, options.timeout).await?;
        let raw = read_raw(&mut session, target).await;
        let stats = session.stats;
        session.close().await;
        raw.map(|raw| (raw, stats))
    };
    let (raw, stats) = tokio::time::timeout(options.timeout, ldap_part)
        .await
        .map_err(|_| CollectError::Timeout {
            url: target.url.clone(),
            seconds: options.timeout.as_secs(),
        })??;
    let directory = build_directory(&raw);
    let directory_ms = clock.elapsed().as_millis() as u64;
    let (gpos, logon_scripts) = if options.sysvol {
        let credentials = smb_credentials(target, &directory);
        let host = host_of(&target.url);
        let fetched = fetch_policies(
            &host,
            &directory.domain.dns_name,
            &credentials,
            options.sysvol_timeout,
            SysvolLimits::default(),
        )
        .await;
        (
            gpos_section(&directory, &fetched),
            logon_scripts_section(&host, &credentials, options, &fetched).await,
        )
    } else {
        (
            Section::not_collected("SYSVOL not requested"),
            Section::not_collected("SYSVOL not requested"),
        )
    };
    let gpos_ms = clock.elapsed().as_millis() as u64 - directory_ms;
    let fqdn = directory.domain.dc_dns_host_name.clone();
    let hostname = fqdn
        .as_deref()
        .and_then(|f| f.split('.').next())
        .map_or_else(|| host_of(&target.url), str::to_owned);
    let gpos_status = gpos.status().to_owned();
    let mut sections = sections_not_read_over_ldap();
    sections.gpos = gpos;
    sections.logon_scripts = logon_scripts;
    let domain = directory.domain.dns_name.clone();
    sections.directory = Section::collected(directory);
    // What constat never keeps: secret-looking values in descriptions, GPO settings…
    if let Err(e) = constat_snapshot::secrets::scrub_sections(&mut sections) {
        let message = format!(
            "internal error: secret scrubbing failed ({e}); nothing kept, please report it"
        );
        sections = sections_not_read_over_ldap();
        sections.directory = Section::error(message.clone());
        sections.gpos = Section::error(message.clone());
        sections.logon_scripts = Section::error(message);
    }
    let snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        host: HostIdentity {
            hostname,
            fqdn,
            os: OsInfo {
                family: OsFamily::Windows,
                id: Some("windows".to_owned()),
                name: Some("Active Directory domain controller (seen over LDAP)".to_owned()),
                ..OsInfo::default()
            },
            domain: Some(domain),
            ..HostIdentity::default()
        },
        collection: CollectionMeta {
            agent: AGENT_NAME.to_owned(),
            agent_version: env!("CARGO_PKG_VERSION").to_owned(),
            started_at,
            finished_at: now_rfc3339(),
            duration_ms: clock.elapsed().as_millis() as u64,
            transport: Some(describe_security(target)),
            collectors: vec![
                CollectorRun {
                    name: "directory".to_owned(),
                    duration_ms: directory_ms,
                    status: "collected".to_owned(),
                    timed_out: false,
                },
                CollectorRun {
                    name: "gpos".to_owned(),
                    duration_ms: gpos_ms,
                    status: gpos_status,
                    timed_out: false,
                },
            ],
            ..CollectionMeta::default()
        },
        sections,
    };
    Ok(DirectoryCollection { snapshot, stats })
}
