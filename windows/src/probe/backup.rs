//! Windows Server Backup: policy from the WB cmdlets and versions from
//! `wbadmin get versions` text (English labels; localized labels are not recognised yet).

use crate::probe::value::{boolean, strings, text};
use constat_snapshot::windows::{BackupVersion, WindowsBackup};
use serde_json::Value;

/// Parses `wbadmin get versions`. Versions are separated by blank lines; "Backup target"
/// (local disks) and "Backup location" (network shares) are both read.
pub fn parse_wbadmin_versions(output: &str) -> Vec<BackupVersion> {
    let mut versions = Vec::new();
    let mut current = BackupVersion::default();
    let mut flush = |current: &mut BackupVersion| {
        if !current.version_id.is_empty() {
            versions.push(std::mem::take(current));
        } else {
            *current = BackupVersion::default();
        }
    };
    for line in output.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut current);
            continue;
        }
        let Some((label, value)) = line.split_once(": ") else {
            continue;
        };
        let value = value.trim().to_owned();
        match label.trim() {
            "Backup time" => current.backup_time = Some(value),
            "Backup target" | "Backup location" => current.target = Some(value),
            "Version identifier" => current.version_id = value,
            "Can recover" => current.can_recover = Some(value),
            "Snapshot ID" => current.snapshot_id = Some(value),
            _ => {}
        }
    }
    flush(&mut current);
    versions
}

/// The probe's `windows_backup` projection.
pub fn normalise_backup(data: &Value) -> Result<WindowsBackup, String> {
    Ok(WindowsBackup {
        policy_configured: boolean(data, "PolicyConfigured").unwrap_or(false),
        schedule: strings(data, "Schedule"),
        targets: strings(data, "Targets"),
        sources: strings(data, "Sources"),
        versions: parse_wbadmin_versions(&text(data, "WbadminVersions").unwrap_or_default()),
        last_result: text(data, "LastResult"),
        last_success: text(data, "LastSuccess"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// Recorded real `wbadmin get versions` outputs (SOURCES.md §3.8): USB target with
    /// snapshot ids, network share ("Backup location"), fixed disk with system state.
    #[test]
    fn recorded_versions() {
        insta::assert_yaml_snapshot!(parse_wbadmin_versions(&sample(
            "wbadmin_get_versions__variants.txt"
        )));
    }
}
