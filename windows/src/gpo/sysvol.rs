//! Assembles the files of one GPO folder (`Policies/{GUID}/…`, from SYSVOL over SMB or a
//! local copy) into [`GpoSettings`]. A file that fails to parse is recorded in `errors`;
//! the other files are still read.

use crate::gpo::gpp::parse_gpp;
use crate::gpo::gpt_ini::parse_gpt_ini;
use crate::gpo::gpttmpl_inf::parse_gpttmpl_inf;
use crate::gpo::registry_pol::parse_registry_pol;
use crate::gpo::scripts_ini::parse_scripts_ini;
use constat_snapshot::ad::GpoContainer;
use constat_snapshot::gpo::{GpoSettings, PolicyScope};
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
            _ => {}
        }
    }
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
