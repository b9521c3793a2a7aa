//! Group Policy software installation: `packageRegistration` objects under each GPO's
//! `CN=Packages,CN=Class Store,CN=Machine|User,<GPO>` ([MS-GPSI] 2.2.2.4), decoded into
//! [`SoftwarePackage`]s grouped by GPO GUID. Pure: raw entries in, packages out.

use crate::ldap::decode::{guid_to_string, rdn_value};
use crate::ldap::session::Entry;
use constat_snapshot::ad::{SoftwareDeployment, SoftwarePackage};
use constat_snapshot::gpo::PolicyScope;
use std::collections::BTreeMap;

/// Attributes read from `packageRegistration` objects (the list [MS-GPSI] 2.2.2.3 has the
/// client read, minus the logging-only ones).
pub const PACKAGE_ATTRS: &[&str] = &[
    "cn",
    "displayName",
    "packageName",
    "packageFlags",
    "packageType",
    "productCode",
    "msiFileList",
    "msiScriptPath",
    "canUpgradeScript",
    "versionNumberHi",
    "versionNumberLo",
];

/// `packageFlags` bits, [MS-GPSI] 2.2.2.4.3 (`ACTFLG_*` of the Windows SDK's `appmgmt.h`).
const FLAGS: &[(u32, &str)] = &[
    (0x0000_0004, "UninstallUnmanaged"),
    (0x0000_0008, "Published"),
    (0x0000_0010, "PostBeta3"),
    (0x0000_0020, "UserInstall"),
    (0x0000_0040, "OnDemandInstall"),
    (0x0000_0080, "Orphan"),
    (0x0000_0100, "Uninstall"),
    (0x0000_0200, "Pilot"),
    (0x0000_0400, "Assigned"),
    (0x0000_0800, "OrphanOnPolicyRemoval"),
    (0x0000_1000, "UninstallOnPolicyRemoval"),
    (0x0000_2000, "InstallUserAssign"),
    (0x0000_4000, "ForceUpgrade"),
    (0x0000_8000, "MinimalInstallUI"),
    (0x0001_0000, "ExcludeX86OnWin64"),
    (0x0002_0000, "IgnoreLanguage"),
    (0x0004_0000, "HasUpgrades"),
    (0x0008_0000, "FullInstallUI"),
];
const PUBLISHED: u32 = 0x8;
const ON_DEMAND: u32 = 0x40;
const ASSIGNED: u32 = 0x400;
const UNINSTALL_ON_REMOVAL: u32 = 0x1000;
const INSTALL_USER_ASSIGN: u32 = 0x2000;

/// Names of the set bits of `packageFlags`, unknown bits as `0x…`.
pub fn flag_names(flags: u32) -> Vec<String> {
    let mut names: Vec<String> = FLAGS
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, name)| (*name).to_owned())
        .collect();
    let known = FLAGS.iter().fold(0, |acc, (bit, _)| acc | bit);
    if flags & !known != 0 {
        names.push(format!("{:#x}", flags & !known));
    }
    names
}

/// Where a package object sits: the GPO GUID and the part, from
/// `CN={pkg},CN=Packages,CN=Class Store,CN=Machine|User,CN={GPO},CN=Policies,…`.
fn locate(dn: &str) -> Option<(String, PolicyScope)> {
    let parts: Vec<String> = dn
        .split(',')
        .map(|p| p.trim().to_ascii_lowercase())
        .collect();
    let store = parts.iter().position(|p| p == "cn=class store")?;
    if parts.get(store.checked_sub(1)?)? != "cn=packages" {
        return None;
    }
    let scope = match parts.get(store + 1)?.as_str() {
        "cn=machine" => PolicyScope::Machine,
        "cn=user" => PolicyScope::User,
        _ => return None,
    };
    let gpo = dn.split(',').nth(store + 2)?.trim();
    let guid = gpo
        .split_once('=')
        .map(|(_, v)| v.trim().to_ascii_uppercase())?;
    Some((guid, scope))
}

/// One `packageRegistration` entry → a package; what is malformed goes to `errors`.
pub fn package(entry: &Entry, scope: PolicyScope) -> SoftwarePackage {
    let mut errors = Vec::new();
    let flags = match entry.str("packageflags") {
        None => {
            errors.push("packageFlags absent: deployment unknown".to_owned());
            0
        }
        Some(text) => match text.trim().parse::<i64>() {
            // AD returns a 32-bit integer, signed when the top bit is set.
            Ok(v) if i32::try_from(v).is_ok() || u32::try_from(v).is_ok() => v as u32,
            _ => {
                errors.push(format!("packageFlags {text:?} is not a 32-bit integer"));
                0
            }
        },
    };
    let deployment = match (flags & ASSIGNED != 0, flags & PUBLISHED != 0) {
        (true, true) => {
            errors.push(
                "packageFlags sets both Assigned and Published, which [MS-GPSI] forbids".to_owned(),
            );
            SoftwareDeployment::Both
        }
        (true, false) => SoftwareDeployment::Assigned,
        (false, true) => SoftwareDeployment::Published,
        (false, false) => SoftwareDeployment::None,
    };
    // msiFileList: "<index>:<UNC path>", index 0 is the .msi, the others transforms.
    let mut files: Vec<(u32, String)> = Vec::new();
    for value in entry.strs("msifilelist") {
        match value
            .split_once(':')
            .and_then(|(i, path)| Some((i.trim().parse::<u32>().ok()?, path.to_owned())))
        {
            Some((index, path)) if files.iter().all(|(i, _)| *i != index) => {
                files.push((index, path));
            }
            Some((index, _)) => errors.push(format!("msiFileList index {index} appears twice")),
            None => errors.push(format!("msiFileList value {value:?} is not <index>:<path>")),
        }
    }
    files.sort();
    let msi_path = files.iter().find(|(i, _)| *i == 0).map(|(_, p)| p.clone());
    let package_type = entry.int("packagetype").map(|t| match t {
        5 => "msi".to_owned(),
        6 => "zap".to_owned(),
        other => other.to_string(),
    });
    if msi_path.is_none() && package_type.as_deref() == Some("msi") {
        errors.push("msiFileList has no 0: entry (the .msi package)".to_owned());
    }
    let product_code = entry.bytes("productcode").and_then(|bytes| {
        let guid = guid_to_string(&bytes);
        if guid.is_none() {
            errors.push(format!(
                "productCode is {} bytes, not a 16-byte GUID",
                bytes.len()
            ));
        }
        guid
    });
    let version = match (entry.int("versionnumberhi"), entry.int("versionnumberlo")) {
        (Some(hi), Some(lo)) => Some(format!("{hi}.{lo}")),
        (Some(hi), None) => Some(hi.to_string()),
        _ => None,
    };
    let mut upgrades = entry.strs("canupgradescript");
    upgrades.sort();
    SoftwarePackage {
        scope,
        id: entry
            .string("cn")
            .unwrap_or_else(|| rdn_value(&entry.dn))
            .to_ascii_uppercase(),
        name: entry
            .string("packagename")
            .or_else(|| entry.string("displayname"))
            .unwrap_or_default(),
        msi_path,
        transforms: files
            .into_iter()
            .filter(|(i, _)| *i != 0)
            .map(|(_, p)| p)
            .collect(),
        product_code,
        package_type,
        deployment,
        flags,
        flag_names: flag_names(flags),
        install_at_logon: flags & INSTALL_USER_ASSIGN != 0,
        uninstall_when_out_of_scope: flags & UNINSTALL_ON_REMOVAL != 0,
        on_demand: flags & ON_DEMAND != 0,
        version,
        script_path: entry.string("msiscriptpath"),
        upgrades,
        errors,
    }
}

/// Packages by GPO GUID (upper case, braces), computer part first, then by name and id.
/// Entries that are not under a GPO class store are ignored.
pub fn packages_by_gpo(entries: &[Entry]) -> BTreeMap<String, Vec<SoftwarePackage>> {
    let mut by_gpo: BTreeMap<String, Vec<SoftwarePackage>> = BTreeMap::new();
    for entry in entries {
        if let Some((guid, scope)) = locate(&entry.dn) {
            by_gpo.entry(guid).or_default().push(package(entry, scope));
        }
    }
    for packages in by_gpo.values_mut() {
        packages.sort_by_key(|p| {
            (
                p.scope == PolicyScope::User,
                p.name.to_lowercase(),
                p.id.clone(),
            )
        });
    }
    by_gpo
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn entry(dn: &str, attrs: &[(&str, &[&str])], product: Option<Vec<u8>>) -> Entry {
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
            bin: product
                .map(|p| HashMap::from([("productcode".to_owned(), vec![p])]))
                .unwrap_or_default(),
        }
    }

    const GPO: &str =
        "CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=tssr,DC=lan";

    /// Flag values composed from [MS-GPSI] 2.2.2.4.3: 0x2430 is Assigned, InstallUserAssign,
    /// UserInstall and 0x10 (the bit the spec says is always set); 0x1038 is Published,
    /// UninstallOnPolicyRemoval, UserInstall and 0x10; 0x408 sets both, which is malformed.
    #[test]
    fn decodes_assigned_and_published_packages() {
        let product: Vec<u8> = (1..=16).collect();
        let assigned = entry(
            &format!("CN={{aaaa}},CN=Packages,CN=Class Store,CN=Machine,{GPO}"),
            &[
                ("packageName", &["7-Zip 23.01 (x64)"]),
                ("packageFlags", &["9264"]),
                ("packageType", &["5"]),
                (
                    "msiFileList",
                    &[r"1:\\srv\d\fr.mst", r"0:\\srv-file01\Deploiement\7z.msi"],
                ),
                ("versionNumberHi", &["23"]),
                ("versionNumberLo", &["1"]),
            ],
            Some(product),
        );
        let published = entry(
            &format!("cn={{bbbb}},cn=packages,cn=class store,cn=user,{GPO}"),
            &[
                ("packageName", &["Google Chrome"]),
                ("packageFlags", &["4152"]),
                ("packageType", &["5"]),
                ("msiFileList", &[r"0:\\srv-file01\Deploiement\chrome.msi"]),
            ],
            None,
        );
        let malformed = entry(
            &format!("CN={{cccc}},CN=Packages,CN=Class Store,CN=User,{GPO}"),
            &[
                ("packageName", &["Broken"]),
                ("packageFlags", &["1032"]),
                ("packageType", &["5"]),
                ("msiFileList", &["no index", r"1:\\srv\x.mst"]),
            ],
            Some(vec![1, 2, 3]),
        );
        let elsewhere = entry("CN=x,CN=Users,DC=tssr,DC=lan", &[], None);
        insta::assert_yaml_snapshot!(packages_by_gpo(&[
            published, malformed, assigned, elsewhere
        ]));
    }

    #[test]
    fn unknown_bits_are_named_in_hex() {
        assert_eq!(
            flag_names(0x8000_0408),
            vec!["Published", "Assigned", "0x80000000"]
        );
    }
}
