//! From the probe's JSON document to a [`Snapshot`]: envelope checks, host identity, and one
//! normaliser per section. A section whose data cannot be normalised becomes `error` with
//! the reason; the others are kept.

use crate::probe::accounts::{normalise_groups, normalise_users};
use crate::probe::backup::normalise_backup;
use crate::probe::deployment::normalise_deployment;
use crate::probe::features::{normalise_features, normalise_hotfixes};
use crate::probe::files::normalise_files;
use crate::probe::firewall::normalise_firewall;
use crate::probe::profiles::normalise_profile_mappings;
use crate::probe::roles::{normalise_dhcp, normalise_dns};
use crate::probe::rsop::normalise_rsop;
use crate::probe::services::normalise_services;
use crate::probe::shares::normalise_shares;
use crate::probe::tasks::normalise_tasks;
use crate::probe::value::{boolean, enum_name, int, text};
use crate::probe::wsus::{normalise_wsus_client, normalise_wsus_server};
use constat_snapshot::windows::DomainMembership;
use constat_snapshot::{
    CollectionMeta, CollectorRun, HostIdentity, OsFamily, OsInfo, SCHEMA_VERSION, Section,
    Sections, Snapshot,
};
use serde_json::Value;

/// Name written in `collection.agent`.
pub const PROBE_NAME: &str = "constat-probe.ps1";

/// Why the probe output could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProbeError {
    /// Not JSON (PowerShell printed an error, a banner, or the output was cut).
    #[error("probe output is not JSON ({line}:{column}: {message}); it starts with: {start:?}")]
    NotJson {
        /// Line of the error.
        line: usize,
        /// Column.
        column: usize,
        /// Parser message.
        message: String,
        /// First 200 characters of the output, to see what came instead.
        start: String,
    },
    /// JSON, but not written by the probe.
    #[error("the JSON is not a constat-probe.ps1 document (no \"probe\": \"constat-probe.ps1\")")]
    NotProbe,
    /// Written by another probe version.
    #[error(
        "probe_version {found} is not supported (expected 1): use the probe shipped with this constat"
    )]
    Version {
        /// Version found.
        found: i64,
    },
    /// Scrubbing secret-looking values failed (a bug): nothing is kept.
    #[error("internal error: secret scrubbing failed ({0}); nothing kept, please report it")]
    Scrub(String),
}

fn section<T>(raw: &Value, name: &str, normalise: fn(&Value) -> Result<T, String>) -> Section<T> {
    let Some(entry) = raw.get("sections").and_then(|s| s.get(name)) else {
        return Section::not_collected("the probe did not report this section");
    };
    match text(entry, "status").as_deref() {
        Some("collected") => match normalise(entry.get("data").unwrap_or(&Value::Null)) {
            Ok(data) => Section::collected(data),
            Err(message) => Section::error(format!("normalising {name}: {message}")),
        },
        Some("not_collected") => Section::not_collected(text(entry, "reason").unwrap_or_default()),
        Some("error") => {
            Section::error(text(entry, "message").unwrap_or_else(|| "unknown error".to_owned()))
        }
        other => Section::error(format!(
            "{name}: unknown status {other:?} in the probe output"
        )),
    }
}

const DOMAIN_ROLE: &[(i64, &str)] = &[
    (0, "standalone_workstation"),
    (1, "member_workstation"),
    (2, "standalone_server"),
    (3, "member_server"),
    (4, "backup_domain_controller"),
    (5, "primary_domain_controller"),
];

fn normalise_membership(data: &Value) -> Result<DomainMembership, String> {
    let joined = boolean(data, "PartOfDomain").ok_or("PartOfDomain missing")?;
    Ok(DomainMembership {
        joined,
        domain: text(data, "Domain").filter(|_| joined),
        workgroup: text(data, "Workgroup").filter(|_| !joined),
        role: enum_name(data, "DomainRole", DOMAIN_ROLE),
        secure_channel: boolean(data, "SecureChannel"),
        domain_controller: text(data, "LogonServer").map(|s| s.trim_start_matches('\\').to_owned()),
    })
}

/// Reads the probe's stdout.
pub fn normalise_probe_output(output: &str) -> Result<Snapshot, ProbeError> {
    let trimmed = output.trim_start_matches('\u{feff}').trim();
    let raw: Value = serde_json::from_str(trimmed).map_err(|e| ProbeError::NotJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
        start: trimmed.chars().take(200).collect(),
    })?;
    if text(&raw, "probe").as_deref() != Some(PROBE_NAME) {
        return Err(ProbeError::NotProbe);
    }
    match int(&raw, "probe_version") {
        Some(1) => {}
        found => {
            return Err(ProbeError::Version {
                found: found.unwrap_or(0),
            });
        }
    }
    let host = raw.get("host").cloned().unwrap_or(Value::Null);
    let mut sections = Sections {
        domain_membership: section(&raw, "domain_membership", normalise_membership),
        users: section(&raw, "users", normalise_users),
        groups: section(&raw, "groups", normalise_groups),
        services: section(&raw, "services", normalise_services),
        firewall: section(&raw, "firewall", normalise_firewall),
        shares: section(&raw, "shares", normalise_shares),
        scheduled_jobs: section(&raw, "scheduled_jobs", normalise_tasks),
        windows_features: section(&raw, "windows_features", normalise_features),
        windows_updates: section(&raw, "windows_updates", normalise_hotfixes),
        wsus_client: section(&raw, "wsus_client", normalise_wsus_client),
        wsus_server: section(&raw, "wsus_server", normalise_wsus_server),
        dhcp_server: section(&raw, "dhcp_server", normalise_dhcp),
        dns_server: section(&raw, "dns_server", normalise_dns),
        windows_backup: section(&raw, "windows_backup", normalise_backup),
        rsop: section(&raw, "rsop", normalise_rsop),
        files: section(&raw, "files", normalise_files),
        profile_mappings: section(&raw, "profile_mappings", normalise_profile_mappings),
        deployment: section(&raw, "deployment", normalise_deployment),
        ..Sections::default()
    };
    // What constat never keeps: secret-looking values in any text the probe sent.
    constat_snapshot::secrets::scrub_sections(&mut sections).map_err(ProbeError::Scrub)?;
    let collectors = crate::probe::script::PROBE_SECTIONS
        .iter()
        .map(|name| CollectorRun {
            name: (*name).to_owned(),
            duration_ms: 0,
            status: raw
                .get("sections")
                .and_then(|s| s.get(*name))
                .and_then(|s| text(s, "status"))
                .unwrap_or_else(|| "not_collected".to_owned()),
            timed_out: false,
        })
        .collect();
    Ok(Snapshot {
        schema_version: SCHEMA_VERSION,
        host: HostIdentity {
            hostname: text(&host, "hostname").unwrap_or_default(),
            fqdn: text(&host, "fqdn"),
            machine_id: text(&host, "machine_id"),
            os: OsInfo {
                family: OsFamily::Windows,
                id: Some("windows".to_owned()),
                name: text(&host, "os_name"),
                version: text(&host, "os_version"),
                like: Vec::new(),
            },
            kernel: text(&host, "build"),
            arch: text(&host, "arch"),
            uptime_seconds: int(&host, "uptime_seconds").map(|u| u as u64),
            timezone: text(&host, "timezone"),
            domain: text(&host, "domain"),
        },
        collection: CollectionMeta {
            agent: PROBE_NAME.to_owned(),
            agent_version: "1".to_owned(),
            started_at: text(&raw, "started_at").unwrap_or_default(),
            finished_at: text(&raw, "finished_at").unwrap_or_default(),
            privileged: boolean(&raw, "elevated").unwrap_or(false),
            collectors,
            ..CollectionMeta::default()
        },
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;
    use serde_json::json;

    /// A probe document assembled from recorded section outputs (features, firewall,
    /// tasks, reg query, gpresult: SOURCES.md §3.3-3.13); the envelope and the identity are
    /// written here in the shape the probe prints.
    #[test]
    fn envelope_from_recorded_sections() {
        let parse =
            |name: &str| -> Value { serde_json::from_str(&sample(name)).unwrap_or_default() };
        let document = json!({
            "probe": "constat-probe.ps1", "probe_version": 1,
            "started_at": "2026-11-23T10:00:00Z", "finished_at": "2026-11-23T10:00:09Z", "elevated": true,
            "host": {"hostname": "SRV-AD01", "fqdn": "srv-ad01.tssr.lan", "os_name": "Microsoft Windows Server 2022 Standard",
                     "os_version": "10.0.20348", "build": "20348", "arch": "AMD64", "timezone": "Romance Standard Time",
                     "uptime_seconds": 3600, "domain": "tssr.lan"},
            "sections": {
                "domain_membership": {"status": "collected", "data": {"PartOfDomain": true, "Domain": "tssr.lan", "Workgroup": null, "DomainRole": 5, "SecureChannel": null, "LogonServer": "\\\\SRV-AD01"}},
                "windows_features": {"status": "collected", "data": parse("mondoohq_cnquery__windows_testdata__features.json")},
                "scheduled_jobs": {"status": "collected", "data": parse("mondoohq_cnquery__windows_testdata__scheduled-task-single.PROJECTED.json")},
                "wsus_client": {"status": "collected", "data": {"reg_query": sample("wsus_client_reg_query__htb_outdated.txt"), "exit_code": 0}},
                "rsop": {"status": "collected", "data": {"User": "LAB\\user1", "GpresultR": sample("gpresult_R_fr-FR__WCS_atelier_AD.txt")}},
                "users": {"status": "not_collected", "reason": "domain controller: no local accounts (see the directory snapshot)"},
                "dhcp_server": {"status": "not_collected", "reason": "role absent (DHCP)"},
                "services": {"status": "error", "message": "services : Access denied"},
                "shares": {"status": "collected", "data": [{"Path": "C:\\x"}]},
            }
        });
        let snapshot = normalise_probe_output(&document.to_string());
        insta::assert_yaml_snapshot!(snapshot.map_err(|e| e.to_string()).map(|s| (
            s.host,
            s.collection,
            s.sections.domain_membership,
            s.sections.users,
            s.sections.dhcp_server,
            s.sections.services,
            s.sections.shares,
            s.sections.wsus_server
        )));
    }

    #[test]
    fn unreadable_outputs() {
        insta::assert_yaml_snapshot!((
            normalise_probe_output("Get-NetFirewallRule : Access is denied.\r\n{")
                .map(|_| ())
                .map_err(|e| e.to_string()),
            normalise_probe_output("{\"hello\": 1}")
                .map(|_| ())
                .map_err(|e| e.to_string()),
            normalise_probe_output("{\"probe\": \"constat-probe.ps1\", \"probe_version\": 7}")
                .map(|_| ())
                .map_err(|e| e.to_string()),
        ));
    }
}
