//! The look-alikes of a Group Policy Preferences drive map, on the same host: a logon
//! script (`logon_scripts`: NETLOGON or a GPO folder) that maps the same letter, described
//! with who runs it (users whose `scriptPath` names it, GPOs whose scripts.ini lists it),
//! and the home folder of AD accounts (`homeDrive`, the profile tab's "Connect H: to").
//! Used by the `gpo` kind when an expected drive map is missing.

use constat_snapshot::Snapshot;
use constat_snapshot::logon_scripts::{DriveMapMethod, LogonScript, ScriptSource};
use std::fmt::Write;

/// The mechanism names carried by `Evidence::look_alike`.
pub(crate) const LOGON_SCRIPT: &str = "logon_script";
/// See [`LOGON_SCRIPT`].
pub(crate) const HOME_FOLDER: &str = "home_folder";

/// At most this many account names are listed per script.
const NAMES_SHOWN: usize = 5;
/// Host text is cut to this many characters in the description.
const MAX_SHOWN_CHARS: usize = 120;

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_SHOWN_CHARS {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(MAX_SHOWN_CHARS - 1).collect();
    out.push('…');
    out
}

/// A path relative to NETLOGON as a `scriptPath` or a scripts.ini line may write it
/// (`map.bat`, `\\tssr.lan\NETLOGON\map.bat`, `%LOGONSERVER%\netlogon\map.bat`), lower case.
fn netlogon_relative(written: &str) -> String {
    let lower = written.trim().replace('/', "\\").to_lowercase();
    match lower.rfind("\\netlogon\\") {
        Some(at) => lower[at + "\\netlogon\\".len()..].to_owned(),
        None => lower.trim_start_matches('\\').to_owned(),
    }
}

fn gpo_name(snapshot: &Snapshot, guid: &str) -> String {
    snapshot
        .sections
        .directory
        .data()
        .and_then(|d| d.gpos.iter().find(|g| g.guid.eq_ignore_ascii_case(guid)))
        .map_or_else(|| guid.to_owned(), |g| g.display_name.clone())
}

/// Who runs the script: accounts (scriptPath) and GPOs (scripts.ini), in words.
fn runners(snapshot: &Snapshot, script: &LogonScript) -> String {
    let relative = script.path.to_lowercase();
    let file_name = relative.rsplit('\\').next().unwrap_or_default().to_owned();
    let mut accounts: Vec<&str> = Vec::new();
    if script.source == ScriptSource::Netlogon
        && let Some(dir) = snapshot.sections.directory.data()
    {
        accounts = dir
            .users
            .iter()
            .filter(|u| {
                u.script_path
                    .as_deref()
                    .is_some_and(|p| netlogon_relative(p) == relative)
            })
            .map(|u| u.sam_account_name.as_str())
            .collect();
    }
    let mut gpos: Vec<String> = Vec::new();
    for settings in snapshot.sections.gpos.data().into_iter().flatten() {
        let own = script
            .gpo_guid
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case(&settings.guid));
        let listed = settings.scripts.iter().any(|s| match script.source {
            ScriptSource::Netlogon => {
                s.command.to_lowercase().contains("netlogon")
                    && netlogon_relative(&s.command) == relative
            }
            ScriptSource::Gpo => {
                own && netlogon_relative(&s.command)
                    .rsplit('\\')
                    .next()
                    .is_some_and(|n| n == file_name)
            }
        });
        if listed {
            let name = settings
                .display_name
                .clone()
                .unwrap_or_else(|| gpo_name(snapshot, &settings.guid));
            gpos.push(name);
        }
    }
    let mut out = Vec::new();
    if !accounts.is_empty() {
        let mut names = accounts
            .iter()
            .take(NAMES_SHOWN)
            .map(|n| cut(n))
            .collect::<Vec<_>>()
            .join(", ");
        if accounts.len() > NAMES_SHOWN {
            let _ = write!(names, "… (+{})", accounts.len() - NAMES_SHOWN);
        }
        out.push(format!("run for {names} (scriptPath)"));
    }
    if !gpos.is_empty() {
        out.push(format!(
            "run by {} (scripts.ini)",
            gpos.iter().map(|g| cut(g)).collect::<Vec<_>>().join(", ")
        ));
    }
    if out.is_empty() {
        return "run by no account or GPO observed".to_owned();
    }
    out.join(", ")
}

fn kind_of_script(script: &LogonScript) -> &'static str {
    let lower = script.path.to_lowercase();
    if lower.starts_with("machine\\scripts\\startup") {
        "startup script"
    } else if lower.starts_with("machine\\") || lower.starts_with("user\\scripts\\logoff") {
        "script"
    } else {
        "logon script"
    }
}

/// Every look-alike of a drive map of `letter`: (mechanism, description). Empty when none
/// is found or the sections were not read.
pub(crate) fn drive_look_alikes(snapshot: &Snapshot, letter: &str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = script_drive_look_alikes(snapshot, letter)
        .into_iter()
        .map(|text| (LOGON_SCRIPT, text))
        .collect();
    out.extend(home_folder_look_alike(snapshot, letter).map(|text| (HOME_FOLDER, text)));
    out
}

/// AD accounts whose home folder is connected to `letter`: « lecteur H: connecté par le
/// dossier de base du profil AD (homeDrive) de jdupont → \\srv-file01\perso$\jdupont, pas
/// par une préférence de GPO ».
fn home_folder_look_alike(snapshot: &Snapshot, letter: &str) -> Option<String> {
    let dir = snapshot.sections.directory.data()?;
    let users: Vec<_> = dir
        .users
        .iter()
        .filter(|u| {
            u.home_drive
                .as_deref()
                .is_some_and(|d| d.trim().trim_end_matches(':').eq_ignore_ascii_case(letter))
        })
        .collect();
    let first = users.first()?;
    let mut names = users
        .iter()
        .take(NAMES_SHOWN)
        .map(|u| cut(&u.sam_account_name))
        .collect::<Vec<_>>()
        .join(", ");
    if users.len() > NAMES_SHOWN {
        let _ = write!(names, "… (+{})", users.len() - NAMES_SHOWN);
    }
    Some(format!(
        "drive {}: connected by the AD profile's home folder (homeDrive) of {names} → {}, not by a GPO preference",
        letter.to_uppercase(),
        cut(first.home_directory.as_deref().unwrap_or("?"))
    ))
}

/// Each logon script mapping `letter`, in words: « lecteur S: → \\SRV-AD\Commercial mappé
/// par le script de connexion NETLOGON\map.bat (ligne 3), pas par une préférence de GPO ;
/// lancé pour alefevre (scriptPath) ». Empty when none does or the section was not read.
fn script_drive_look_alikes(snapshot: &Snapshot, letter: &str) -> Vec<String> {
    let Some(section) = snapshot.sections.logon_scripts.data() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for script in &section.scripts {
        let location = match (&script.source, &script.gpo_guid) {
            (ScriptSource::Gpo, Some(guid)) => {
                format!("{}\\{}", cut(&gpo_name(snapshot, guid)), cut(&script.path))
            }
            _ => format!("NETLOGON\\{}", cut(&script.path)),
        };
        for map in script
            .drive_maps
            .iter()
            .filter(|m| m.letter.eq_ignore_ascii_case(letter))
        {
            let mut text = format!(
                "drive {}: → {} mapped by {location} ({}, line {}), not by a GPO preference",
                map.letter,
                cut(&map.path),
                kind_of_script(script),
                map.line
            );
            if map.method == DriveMapMethod::NewPsDrive && map.persistent != Some(true) {
                text.push_str(" (New-PSDrive without -Persist: seen from PowerShell only)");
            }
            let _ = write!(text, ", {}", runners(snapshot, script));
            out.push(text);
        }
    }
    out
}
