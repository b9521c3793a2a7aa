//! From script files (NETLOGON, GPO folders) to the `logon_scripts` section: the language
//! from the extension, the drive mappings, size and SHA-256, under count and size limits.
//! Pure: the SMB download is in `netlogon_smb.rs`.

use crate::gpo::sysvol::GpoFile;
use crate::gpo::text::decode;
use crate::logon_scripts::batch::batch_drive_maps;
use crate::logon_scripts::powershell::powershell_drive_maps;
use crate::logon_scripts::statement::kept_statement;
use crate::logon_scripts::vbscript::vbscript_drive_maps;
use constat_snapshot::logon_scripts::{
    LogonScript, LogonScripts, ScriptDriveMap, ScriptLanguage, ScriptSource, SkippedScript,
};
use sha2::{Digest, Sha256};

/// How much of a domain's scripts is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptLimits {
    /// Script files read, NETLOGON and GPO folders together.
    pub max_files: usize,
    /// Bytes of one script.
    pub max_file_bytes: u64,
    /// Bytes of all scripts.
    pub max_total_bytes: u64,
    /// Bytes of the NETLOGON listing smbclient prints.
    pub max_listing_bytes: usize,
    /// Characters of a path inside the share.
    pub max_path_chars: usize,
}

impl Default for ScriptLimits {
    fn default() -> Self {
        ScriptLimits {
            max_files: 200,
            max_file_bytes: 256 * 1024,
            max_total_bytes: 8 * 1024 * 1024,
            max_listing_bytes: 4 * 1024 * 1024,
            max_path_chars: 256,
        }
    }
}

/// One script file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptFile {
    /// NETLOGON or a GPO folder.
    pub source: ScriptSource,
    /// GPO GUID for a GPO script.
    pub gpo_guid: Option<String>,
    /// Path inside the share or GPO folder, `\`-separated.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// The language of a script by its extension; `None` for every other file.
pub fn language_of(path: &str) -> Option<ScriptLanguage> {
    let lower = path.to_ascii_lowercase();
    let extension = lower.rsplit_once('.').map(|(_, e)| e)?;
    match extension {
        "bat" | "cmd" => Some(ScriptLanguage::Batch),
        "ps1" => Some(ScriptLanguage::Powershell),
        "vbs" => Some(ScriptLanguage::Vbscript),
        _ => None,
    }
}

/// The drive mappings of a script's bytes (any text encoding Windows editors write).
pub fn drive_maps(language: ScriptLanguage, bytes: &[u8]) -> Vec<ScriptDriveMap> {
    let (text, _) = decode(bytes);
    let mut maps = match language {
        ScriptLanguage::Batch => batch_drive_maps(&text),
        ScriptLanguage::Powershell => powershell_drive_maps(&text),
        ScriptLanguage::Vbscript => vbscript_drive_maps(&text),
    };
    // Host text: a path as long as the script itself is cut like the statement.
    for map in &mut maps {
        map.path = kept_statement(&map.path);
        map.user = map.user.as_deref().map(kept_statement);
    }
    maps
}

/// Running budget of the limits while files are accepted.
#[derive(Debug, Clone)]
pub struct Budget {
    limits: ScriptLimits,
    files: usize,
    bytes: u64,
}

impl Budget {
    /// A fresh budget.
    pub fn new(limits: ScriptLimits) -> Self {
        Budget {
            limits,
            files: 0,
            bytes: 0,
        }
    }

    /// The limits.
    pub fn limits(&self) -> ScriptLimits {
        self.limits
    }

    /// Takes a file of `size` bytes, or says why not.
    pub fn take(&mut self, size: u64) -> Result<(), String> {
        if size > self.limits.max_file_bytes {
            return Err(format!(
                "larger than {} bytes: not read (a logon script is a few kilobytes)",
                self.limits.max_file_bytes
            ));
        }
        if self.files >= self.limits.max_files {
            return Err(format!(
                "more than {} scripts: not read",
                self.limits.max_files
            ));
        }
        if self.bytes + size > self.limits.max_total_bytes {
            return Err(format!(
                "the scripts read already total {} bytes (limit {}): not read",
                self.bytes, self.limits.max_total_bytes
            ));
        }
        self.files += 1;
        self.bytes += size;
        Ok(())
    }
}

/// The script files of one GPO folder (`Machine|User/Scripts/<trigger>/…` with a script
/// extension), within the budget; the others go to `skipped`.
pub fn gpo_script_files(
    guid: &str,
    files: &[GpoFile],
    budget: &mut Budget,
    skipped: &mut Vec<SkippedScript>,
) -> Vec<ScriptFile> {
    let mut out = Vec::new();
    for file in files {
        let lower = file.path.to_ascii_lowercase();
        let parts: Vec<&str> = lower.split('/').collect();
        let in_scripts = matches!(parts.as_slice(), ["machine" | "user", "scripts", _, _, ..]);
        if !in_scripts || language_of(&lower).is_none() {
            continue;
        }
        let path = file.path.replace('/', "\\");
        match budget.take(file.bytes.len() as u64) {
            Ok(()) => out.push(ScriptFile {
                source: ScriptSource::Gpo,
                gpo_guid: Some(guid.to_ascii_uppercase()),
                path,
                bytes: file.bytes.clone(),
            }),
            Err(reason) => skipped.push(SkippedScript {
                source: ScriptSource::Gpo,
                path: format!("{}\\{path}", guid.to_ascii_uppercase()),
                size: Some(file.bytes.len() as u64),
                reason,
            }),
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The section: every file read and parsed, sorted by source then path (case-insensitive).
pub fn assemble(files: Vec<ScriptFile>, mut skipped: Vec<SkippedScript>) -> LogonScripts {
    let mut scripts: Vec<LogonScript> = files
        .into_iter()
        .filter_map(|file| {
            let language = language_of(&file.path)?;
            Some(LogonScript {
                source: file.source,
                gpo_guid: file.gpo_guid,
                language,
                size: file.bytes.len() as u64,
                sha256: hex(&Sha256::digest(&file.bytes)),
                drive_maps: drive_maps(language, &file.bytes),
                path: file.path,
            })
        })
        .collect();
    scripts.sort_by(|a, b| {
        (a.source, &a.gpo_guid, a.path.to_ascii_lowercase()).cmp(&(
            b.source,
            &b.gpo_guid,
            b.path.to_ascii_lowercase(),
        ))
    });
    skipped.sort_by(|a, b| (a.source, &a.path).cmp(&(b.source, &b.path)));
    LogonScripts { scripts, skipped }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_gpo_folders() {
        let limits = ScriptLimits {
            max_files: 2,
            max_file_bytes: 64,
            ..ScriptLimits::default()
        };
        let mut budget = Budget::new(limits);
        let mut skipped = Vec::new();
        let file = |path: &str, text: &str| GpoFile {
            path: path.to_owned(),
            bytes: text.as_bytes().to_vec(),
        };
        let files = vec![
            file("GPT.INI", "[General]"),
            file("User/Scripts/scripts.ini", "[Logon]"),
            file(
                "User/Scripts/Logon/map.bat",
                "net use S: \\\\SRV-AD\\Commercial\r\n",
            ),
            file("Machine/Scripts/Startup/big.ps1", &"#".repeat(100)),
            file("Machine/Scripts/Startup/ok.vbs", "' nothing"),
            file("User/Scripts/Logoff/late.cmd", "echo"),
        ];
        let read = gpo_script_files("{abc}", &files, &mut budget, &mut skipped);
        insta::assert_yaml_snapshot!(assemble(read, skipped));
    }

    /// A hostile script: one mapping whose path is 100 000 characters long, control
    /// characters inside. The path kept is cut and visible.
    #[test]
    fn host_text_is_cut() {
        let script = format!("net use S: \\\\srv\\{}\x1b[2J\r\n", "a".repeat(100_000));
        let maps = drive_maps(ScriptLanguage::Batch, script.as_bytes());
        assert_eq!(maps.len(), 1);
        assert!(
            maps[0].path.chars().count() <= 300,
            "{}",
            maps[0].path.len()
        );
        assert!(!maps[0].path.contains('\x1b'));
        assert!(maps[0].statement.chars().count() <= 300);
    }
}
