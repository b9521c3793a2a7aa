//! SMB shares with their share ACL (`Get-SmbShareAccess`) and the NTFS ACL of their path.

use crate::probe::value::{boolean, enum_name, items, list, text};
use constat_snapshot::shares::{AccessEntry, Share};
use serde_json::Value;

const CONTROL: &[(i64, &str)] = &[(0, "Allow"), (1, "Deny")];
const SHARE_RIGHT: &[(i64, &str)] = &[(0, "Full"), (1, "Change"), (2, "Read"), (3, "Custom")];

/// Splits `Modify, Synchronize` into rights.
fn rights(value: Option<String>) -> Vec<String> {
    value
        .map(|v| {
            v.split(',')
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// One NTFS ACE, from the probe (`IdentityReference`, `FileSystemRights`, `IsInherited`) or
/// a projected `Get-Acl` (`Identity`, `Rights`, `Type`, `Inherited`).
pub fn ntfs_entry(ace: &Value) -> AccessEntry {
    AccessEntry {
        principal: text(ace, "IdentityReference")
            .or_else(|| text(ace, "Identity"))
            .unwrap_or_default(),
        kind: enum_name(ace, "AccessControlType", CONTROL)
            .or_else(|| text(ace, "Type"))
            .unwrap_or_default()
            .to_ascii_lowercase(),
        rights: rights(text(ace, "FileSystemRights").or_else(|| text(ace, "Rights"))),
        inherited: boolean(ace, "IsInherited")
            .or_else(|| boolean(ace, "Inherited"))
            .unwrap_or(false),
    }
}

/// Shares sorted by name.
pub fn normalise_shares(data: &Value) -> Result<Vec<Share>, String> {
    let mut shares: Vec<Share> = items(data)
        .iter()
        .map(|s| {
            Ok(Share {
                name: text(s, "Name").ok_or("a share has no Name")?,
                protocol: "smb".to_owned(),
                path: text(s, "Path").unwrap_or_default(),
                comment: text(s, "Description"),
                access: list(s, "Access")
                    .iter()
                    .map(|a| AccessEntry {
                        principal: text(a, "AccountName").unwrap_or_default(),
                        kind: enum_name(a, "AccessControlType", CONTROL)
                            .unwrap_or_default()
                            .to_ascii_lowercase(),
                        rights: enum_name(a, "AccessRight", SHARE_RIGHT)
                            .into_iter()
                            .collect(),
                        inherited: false,
                    })
                    .collect(),
                ntfs: list(s, "Ntfs").iter().map(ntfs_entry).collect(),
                ..Share::default()
            })
        })
        .collect::<Result<_, String>>()?;
    shares.sort_by_key(|s| s.name.to_ascii_lowercase());
    Ok(shares)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// NTFS entries from a recorded projected `Get-Acl` (SOURCES.md §3.6, mondoohq/cnquery):
    /// Deny first, `Modify, Synchronize`, inherited entries, a generic-rights mask printed as
    /// a number. The share-ACL half uses the enum map of SOURCES.md §3.11 (no JSON sample).
    #[test]
    fn recorded_ntfs_acl() {
        let acl: Value = serde_json::from_str(&sample(
            "mondoohq_cnquery__windows_testdata__acl-directory.PROJECTED.json",
        ))
        .unwrap_or_default();
        let share = serde_json::json!({
            "Name": "Compta", "Path": "C:\\acltest", "Description": "Partage comptable",
            "Access": [{"AccountName": "TSSR\\GG_Compta", "AccessControlType": 0, "AccessRight": 1},
                       {"AccountName": "Everyone", "AccessControlType": "Allow", "AccessRight": "Read"}],
            "Ntfs": acl["Access"],
        });
        insta::assert_yaml_snapshot!(normalise_shares(&share));
    }
}
