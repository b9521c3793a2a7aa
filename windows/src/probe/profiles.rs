//! Drives and printers mapped in each user profile: the probe's `profile_mappings`
//! projection (`Win32_UserProfile`, then in each loaded hive `HKU\<sid>\Network\<letter>`,
//! the `Printers\Connections` key names and the `##server#share` names of `MountPoints2`)
//! into [`ProfileMappings`]. Registry key names are turned into UNC paths here
//! (`,,SRV-AD,Imprimante` → `\\SRV-AD\Imprimante`, `##SRV-AD#Commercial` →
//! `\\SRV-AD\Commercial`).

use crate::probe::value::{boolean, items, list, strings, text};
use constat_snapshot::profile_mappings::{MappedDrive, ProfileMappings};
use serde_json::Value;

/// `,,server,share` (printer connection key) or `##server#share` (MountPoints2) → UNC.
fn unc_from_key(name: &str, separator: char) -> Option<String> {
    let doubled: String = [separator, separator].iter().collect();
    let rest = name.strip_prefix(&doubled)?;
    Some(format!("\\\\{}", rest.replace(separator, "\\")))
}

fn drive(value: &Value, errors: &mut Vec<String>) -> Option<MappedDrive> {
    let letter = text(value, "Letter")?;
    let Some(remote_path) = text(value, "RemotePath") else {
        errors.push(format!("Network\\{letter}: no RemotePath value"));
        return None;
    };
    Some(MappedDrive {
        letter: letter.trim_end_matches(':').to_uppercase(),
        remote_path,
        user_name: text(value, "UserName"),
        provider: text(value, "ProviderName"),
    })
}

/// The probe's `profile_mappings` data.
pub fn normalise_profile_mappings(data: &Value) -> Result<Vec<ProfileMappings>, String> {
    let mut profiles = Vec::new();
    for item in items(data) {
        let sid = text(&item, "SID").ok_or("a profile has no SID")?;
        let mut errors = strings(&item, "Errors");
        let mut drives: Vec<MappedDrive> = list(&item, "Drives")
            .iter()
            .filter_map(|d| drive(d, &mut errors))
            .collect();
        drives.sort_by(|a, b| a.letter.cmp(&b.letter));
        let mut printers: Vec<String> = strings(&item, "Printers")
            .iter()
            .map(|p| unc_from_key(p, ',').unwrap_or_else(|| p.clone()))
            .collect();
        printers.sort_by_key(|p| p.to_lowercase());
        let mut mounted_shares: Vec<String> = strings(&item, "MountPoints")
            .iter()
            .filter_map(|m| unc_from_key(m, '#'))
            .collect();
        mounted_shares.sort_by_key(|m| m.to_lowercase());
        profiles.push(ProfileMappings {
            sid,
            account: text(&item, "Account"),
            profile_path: text(&item, "LocalPath"),
            loaded: boolean(&item, "Loaded").unwrap_or(false),
            drives,
            printers,
            mounted_shares,
            errors,
        });
    }
    profiles.sort_by(|a, b| a.sid.cmp(&b.sid));
    Ok(profiles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Written in the probe's output format (`ConvertTo-Json -Compress` of the
    /// `profile_mappings` block; no Windows host runs here to record it): alefevre's loaded
    /// hive with the S: drive of a Group Policy Preferences drive map, a printer connection
    /// and MountPoints2 names; a profile whose hive is not loaded; a single drive written as
    /// a bare object (PowerShell unwraps one-item arrays); a key without RemotePath.
    #[test]
    fn probe_profile_mappings() {
        let data = json!([
            {"SID": "S-1-5-21-1004336348-1177238915-682003330-1121", "Account": "TSSR\\alefevre",
             "LocalPath": "C:\\Users\\alefevre", "Loaded": true,
             "Drives": [{"Letter": "S", "RemotePath": "\\\\SRV-AD\\Commercial", "UserName": "", "ProviderName": "Microsoft Windows Network"},
                        {"Letter": "h", "RemotePath": "\\\\SRV-AD\\Perso$\\alefevre", "UserName": null, "ProviderName": "Microsoft Windows Network"}],
             "Printers": [",,SRV-AD,Imprimante-RDC"],
             "MountPoints": ["##SRV-AD#Commercial", "##SRV-AD#Perso$"], "Errors": []},
            {"SID": "S-1-5-21-1004336348-1177238915-682003330-1122", "Account": "TSSR\\bmoreau",
             "LocalPath": "C:\\Users\\bmoreau", "Loaded": false,
             "Drives": [], "Printers": [], "MountPoints": [], "Errors": []},
            {"SID": "S-1-5-21-1004336348-1177238915-682003330-500", "Account": null,
             "LocalPath": "C:\\Users\\Administrateur", "Loaded": 1,
             "Drives": {"Letter": "T", "RemotePath": "\\\\SRV-AD\\Transfert", "UserName": "TSSR\\svc", "ProviderName": "Microsoft Windows Network"},
             "Printers": null, "MountPoints": "##SRV-AD#Transfert",
             "Errors": ["MountPoints2: Requested registry access is not allowed."]},
            {"SID": "S-1-5-21-1004336348-1177238915-682003330-1123", "Loaded": true,
             "Drives": [{"Letter": "Z"}]}
        ]);
        insta::assert_yaml_snapshot!(normalise_profile_mappings(&data));
    }
}
