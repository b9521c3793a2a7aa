//! Assembles the files of one GPO folder (`Policies/{GUID}/…`, from SYSVOL over SMB or a
//! local copy) into [`GpoSettings`]. A file that fails to parse is recorded in `errors`;
//! the other files are still read.

use crate::gpo::gpp::parse_gpp;
use crate::gpo::gpt_ini::parse_gpt_ini;
use crate::gpo::gpttmpl_inf::parse_gpttmpl_inf;
use crate::gpo::registry_pol::parse_registry_pol;
use crate::gpo::scripts_ini::parse_scripts_ini;
use constat_snapshot::ad::GpoContainer;
use constat_snapshot::gpo::{AdvertiseScript, GpoSettings, PolicyScope};
use sha2::{Digest, Sha256};
use std::path::Path;

/// One file of a GPO folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpoFile {
    /// Path relative to the GPO folder, `/`-separated, case as stored.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Reads every file under a local GPO folder.
pub fn read_gpo_dir(dir: &Path) -> std::io::Result<Vec<GpoFile>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                files.push(GpoFile {
                    path: relative.to_string_lossy().replace('\\', "/"),
                    bytes: std::fs::read(&path)?,
                });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Whether [`settings_from_files`] (or the logon-script reader) reads the file at
/// `path` (relative to the GPO folder, `/`-separated, any case): only those are downloaded;
/// the others are only listed in `files`.
pub fn read_from_sysvol(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').collect();
    match parts.as_slice() {
        ["gpt.ini"]
        | ["machine" | "user", "registry.pol"]
        | [
            "machine",
            "microsoft",
            "windows nt",
            "secedit",
            "gpttmpl.inf",
        ]
        | [
            "machine" | "user",
            "scripts",
            "scripts.ini" | "psscripts.ini",
        ] => true,
        ["machine" | "user", "preferences", _, name] => name.ends_with(".xml"),
        ["machine" | "user", "applications", name] => name.ends_with(".aas"),
        ["machine" | "user", "scripts", _, _, ..] => {
            crate::logon_scripts::assemble::language_of(&lower).is_some()
        }
        _ => false,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds the settings of GPO `guid` from its files. With the container, preferences get
/// `effective` (their CSE is registered) and the display name.
pub fn settings_from_files(
    guid: &str,
    files: &[GpoFile],
    container: Option<&GpoContainer>,
) -> GpoSettings {
    let mut settings = GpoSettings {
        guid: guid.to_ascii_uppercase(),
        display_name: container.map(|c| c.display_name.clone()),
        source: "sysvol".to_owned(),
        files: files.iter().map(|f| f.path.clone()).collect(),
        ..GpoSettings::default()
    };
    settings.files.sort();
    for file in files {
        let lower = file.path.to_ascii_lowercase();
        let scope = if lower.starts_with("user/") {
            PolicyScope::User
        } else {
            PolicyScope::Machine
        };
        let parts: Vec<&str> = lower.split('/').collect();
        match parts.as_slice() {
            ["gpt.ini"] => match parse_gpt_ini(&file.bytes, &file.path) {
                Ok(ini) => settings.gpt_ini_version = ini.version,
                Err(e) => settings.errors.push(e.to_string()),
            },
            ["machine" | "user", "registry.pol"] => {
                match parse_registry_pol(&file.bytes, scope, &file.path) {
                    Ok(mut records) => settings.registry.append(&mut records),
                    Err(e) => settings.errors.push(e.to_string()),
                }
            }
            [
                "machine",
                "microsoft",
                "windows nt",
                "secedit",
                "gpttmpl.inf",
            ] => match parse_gpttmpl_inf(&file.bytes, &file.path) {
                Ok(template) => settings.security = Some(template),
                Err(e) => settings.errors.push(e.to_string()),
            },
            ["machine" | "user", "preferences", _, name] if name.ends_with(".xml") => {
                match parse_gpp(&file.bytes, scope, &file.path) {
                    Ok(mut items) => settings.preferences.append(&mut items),
                    Err(e) => settings.errors.push(e.to_string()),
                }
            }
            [
                "machine" | "user",
                "scripts",
                name @ ("scripts.ini" | "psscripts.ini"),
            ] => {
                let mut scripts = parse_scripts_ini(&file.bytes, scope, *name == "psscripts.ini");
                settings.scripts.append(&mut scripts);
            }
            ["machine" | "user", "applications", name] if name.ends_with(".aas") => {
                // Windows Installer's advertise script format is not documented ([MS-GPSI]
                // treats it as opaque): described by size and hash, not parsed.
                settings.advertise_scripts.push(AdvertiseScript {
                    scope,
                    path: file.path.clone(),
                    size: file.bytes.len() as u64,
                    sha256: hex(&Sha256::digest(&file.bytes)),
                });
            }
            _ => {}
        }
    }
    settings
        .advertise_scripts
        .sort_by(|a, b| a.path.cmp(&b.path));
    // Machine half first, as the client applies it.
    settings
        .registry
        .sort_by_key(|r| r.scope == PolicyScope::User);
    if let Some(container) = container {
        for pref in &mut settings.preferences {
            let registered = match pref.scope {
                PolicyScope::Machine => &container.machine_extensions,
                PolicyScope::User => &container.user_extensions,
            };
            pref.effective =
                Some(pref.cse_guid.as_deref().is_some_and(|guid| {
                    registered.iter().any(|r| r.cse.eq_ignore_ascii_case(guid))
                }));
        }
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpo::gplink::parse_extension_names;
    use crate::gpo::test_fixture::fixture;

    /// One GPO folder made of the real fixtures (Samba NDR Registry.pol, samba-tool
    /// GptTmpl.inf, the recorded Drives.xml), read once with its Drive Maps CSE registered
    /// and once without: the drive is configured in both, effective in the first only.
    #[test]
    fn folder_with_and_without_cse() {
        let sample = String::from_utf8(fixture(
            "samples/rapid7_metasploit__gpp_sysvol_Drives_and_ScheduledTasks.xml.txt",
        ))
        .unwrap_or_default();
        let drives = sample
            .split("<?xml")
            .nth(1)
            .and_then(|d| d.split("</Drives>").next())
            .map(|d| format!("<?xml{d}</Drives>"))
            .unwrap_or_default();
        let files = vec![
            GpoFile {
                path: "GPT.INI".to_owned(),
                bytes: b"[General]\r\nVersion=65537\r\n".to_vec(),
            },
            GpoFile {
                path: "Machine/Registry.pol".to_owned(),
                bytes: fixture("sysvol/machine_Registry.pol"),
            },
            GpoFile {
                path: "Machine/Microsoft/Windows NT/SecEdit/GptTmpl.inf".to_owned(),
                bytes: fixture("sysvol/samba_GptTmpl.inf"),
            },
            GpoFile {
                path: "User/Preferences/Drives/Drives.xml".to_owned(),
                bytes: drives.into_bytes(),
            },
            GpoFile {
                path: "User/Registry.pol".to_owned(),
                bytes: b"PReg\x01\0\0\0[".to_vec(),
            },
            GpoFile {
                path: "Machine/Applications/{1D2C3B4A-0000-4000-8000-000000000001}.aas".to_owned(),
                bytes: b"opaque advertise script".to_vec(),
            },
        ];
        let mut container = GpoContainer {
            guid: "{73B42F42-2FAC-438B-ADC5-E5A80F2B29A1}".to_owned(),
            display_name: "GPO_Lecteurs".to_owned(),
            user_extensions: parse_extension_names(
                "[{5794DAFD-BE60-433F-88A2-1A31939AC01F}{2EA1A81B-48E5-45E9-8BB7-A6E3AC170006}]",
            ),
            ..GpoContainer::default()
        };
        let registered = settings_from_files(&container.guid, &files, Some(&container));
        container.user_extensions.clear();
        let unregistered = settings_from_files(&container.guid, &files, Some(&container));
        insta::assert_yaml_snapshot!((
            registered
                .preferences
                .iter()
                .map(|p| (&p.letter, p.effective))
                .collect::<Vec<_>>(),
            unregistered
                .preferences
                .iter()
                .map(|p| (&p.letter, p.effective))
                .collect::<Vec<_>>(),
            registered.gpt_ini_version,
            registered.registry.len(),
            registered.security.map(|s| s.system_access),
            registered.errors,
            registered.advertise_scripts,
            registered.files,
        ));
    }
}
