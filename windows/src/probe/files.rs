//! Requested files (`-Files`): `Get-Item`, `Get-Acl`, `Get-FileHash` and the raw first bytes
//! of each file, decoded here (UTF-8, UTF-8/UTF-16 with BOM, else Windows-1252).
//!
//! What the probe sent is judged here before anything is kept (`constat_snapshot::secrets`): a
//! secret-bearing path (the SAM/SECURITY hives, `ntds.dit`, `*.key`, `*.pfx`…, judged on the
//! path and on a link's target) or a head holding a private key keeps its metadata but neither
//! its text nor its hash; other heads are scrubbed of secret-looking values.

use crate::probe::shares::ntfs_entry;
use crate::probe::value::{boolean, int, items, list, strings, text};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use constat_snapshot::files::{DEFAULT_HEAD_BYTES, MAX_HEAD_BYTES};
use constat_snapshot::secrets;
use constat_snapshot::{FileInfo, FileKind, HeadWithheld};
use serde_json::Value;

/// At most this many directory entries are kept (as the Linux agent does).
const MAX_ENTRIES: usize = 200;

/// Generic access bits `Get-Acl` leaves as a bare number on inherit-only ACEs.
const GENERIC_RIGHTS: &[(u32, &str)] = &[
    (0x1000_0000, "GenericAll"),
    (0x2000_0000, "GenericExecute"),
    (0x4000_0000, "GenericWrite"),
    (0x8000_0000, "GenericRead"),
    (0x0001_0000, "Delete"),
    (0x0004_0000, "ChangePermissions"),
    (0x0008_0000, "TakeOwnership"),
    (0x0010_0000, "Synchronize"),
];

/// Rights as names: `Modify, Synchronize` as is; a number such as `268435456` or
/// `-1610612736` (generic rights) split into the names of its bits.
fn right_names(rights: &[String]) -> Vec<String> {
    let mut names = Vec::new();
    for right in rights {
        let Ok(number) = right.parse::<i64>() else {
            names.push(right.clone());
            continue;
        };
        let mut bits = number as u32;
        for (bit, name) in GENERIC_RIGHTS {
            if bits & bit != 0 {
                names.push((*name).to_owned());
                bits &= !bit;
            }
        }
        if bits != 0 {
            names.push(format!("0x{bits:x}"));
        }
    }
    names
}

/// One NTFS ACE as a `FileInfo::acl` line: `identity:allow:Right,Right[:inherited]`.
fn acl_line(ace: &Value) -> String {
    let entry = ntfs_entry(ace);
    let mut line = format!(
        "{}:{}:{}",
        entry.principal,
        entry.kind,
        right_names(&entry.rights).join(",")
    );
    if entry.inherited {
        line.push_str(":inherited");
    }
    line
}

/// Windows-1252 characters for bytes 0x80..=0x9F (the rest is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn utf16(bytes: &[u8], little_endian: bool, cut: bool) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| {
            if little_endian {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        })
        .collect();
    let mut units = units.as_slice();
    // A head cut between the two halves of a surrogate pair loses that character only.
    if cut
        && let Some((last, rest)) = units.split_last()
        && (0xd800..0xdc00).contains(last)
    {
        units = rest;
    }
    char::decode_utf16(units.iter().copied())
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// A decoded head: text, whether the file goes on, and the encoding used.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    /// The text.
    pub text: String,
    /// The file is longer than the head.
    pub truncated: bool,
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be` or `windows-1252`.
    pub encoding: &'static str,
}

/// Decodes the first bytes of a file (the probe reads `limit + 1` to tell a cut head).
/// `Err` for binary content (NUL bytes outside UTF-16).
pub fn decode_head(raw: &[u8], limit: usize) -> Result<Head, &'static str> {
    let truncated = raw.len() > limit;
    let bytes = &raw[..raw.len().min(limit)];
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return Ok(Head {
            text: utf16(rest, true, truncated),
            truncated,
            encoding: "utf-16le",
        });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return Ok(Head {
            text: utf16(rest, false, truncated),
            truncated,
            encoding: "utf-16be",
        });
    }
    if bytes.contains(&0) {
        return Err("binary content: head not kept");
    }
    let (body, encoding) = match bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        Some(rest) => (rest, "utf-8-bom"),
        None => (bytes, "utf-8"),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Head {
            text: text.to_owned(),
            truncated,
            encoding,
        }),
        // Only the last sequence is incomplete: the cut fell inside a character.
        Err(e) if truncated && e.error_len().is_none() => Ok(Head {
            text: String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned(),
            truncated,
            encoding,
        }),
        // Not UTF-8: Windows PowerShell 5.1's Set-Content and old Notepad write ANSI.
        Err(_) if encoding == "utf-8" => Ok(Head {
            text: windows_1252(body),
            truncated,
            encoding: "windows-1252",
        }),
        Err(_) => Ok(Head {
            text: String::from_utf8_lossy(body).into_owned(),
            truncated,
            encoding,
        }),
    }
}

fn kind(name: Option<String>) -> Option<FileKind> {
    Some(match name?.as_str() {
        "File" => FileKind::File,
        "Directory" => FileKind::Directory,
        "Symlink" => FileKind::Symlink,
        _ => FileKind::Other,
    })
}

fn one_file(raw: &Value) -> Result<FileInfo, String> {
    let path = text(raw, "Path").ok_or("a file entry has no Path")?;
    let mut errors = strings(raw, "Errors");
    let mut info = FileInfo {
        exists: boolean(raw, "Exists").unwrap_or(false),
        kind: kind(text(raw, "Kind")),
        owner: text(raw, "Owner"),
        acl: list(raw, "Access").iter().map(acl_line).collect(),
        size: int(raw, "Length").and_then(|n| u64::try_from(n).ok()),
        mtime: text(raw, "LastWriteTimeUtc"),
        sha256: text(raw, "SHA256").map(|h| h.to_ascii_lowercase()),
        link_target: text(raw, "LinkTarget"),
        attributes: text(raw, "Attributes")
            .map(|a| a.split(',').map(|x| x.trim().to_owned()).collect())
            .unwrap_or_default(),
        ..FileInfo::default()
    };
    if info.kind == Some(FileKind::Directory) && raw.get("Entries").is_some() {
        let mut entries = strings(raw, "Entries");
        entries.sort();
        entries.truncate(MAX_ENTRIES);
        if let Some(count) = int(raw, "EntryCount").filter(|&n| n > MAX_ENTRIES as i64) {
            errors.push(format!(
                "{count} entries, only the first {MAX_ENTRIES} listed"
            ));
        }
        info.entries = Some(entries);
    }
    if let Some(encoded) = text(raw, "HeadBase64") {
        let limit = int(raw, "HeadLimit")
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(DEFAULT_HEAD_BYTES)
            .min(MAX_HEAD_BYTES) as usize;
        match STANDARD.decode(encoded.as_bytes()) {
            Ok(bytes) => match decode_head(&bytes, limit) {
                Ok(head) => {
                    if let Some(why) = secrets::secret_content(head.text.as_bytes())
                        .or_else(|| secrets::secret_content(&bytes))
                    {
                        info.head_withheld = Some(HeadWithheld::SecretContent);
                        errors.push(format!("content withheld: {why}"));
                    } else {
                        let (text, count) = secrets::scrub(&head.text);
                        info.head = Some(text);
                        info.head_scrubbed = u32::try_from(count).unwrap_or(u32::MAX);
                        info.head_truncated = head.truncated;
                        info.head_encoding = Some(head.encoding.to_owned());
                    }
                }
                Err(why) => errors.push(why.to_owned()),
            },
            Err(e) => errors.push(format!("head is not base64: {e}")),
        }
    }
    let secret_file = secrets::secret_path(&path)
        .or_else(|| info.link_target.as_deref().and_then(secrets::secret_path));
    if let Some(why) = secret_file.filter(|_| info.kind == Some(FileKind::File)) {
        info.head = None;
        info.head_truncated = false;
        info.head_encoding = None;
        info.head_scrubbed = 0;
        info.head_withheld = Some(HeadWithheld::SecretFile);
        errors.retain(|e| !e.starts_with("content withheld"));
        errors.push(format!("content withheld: {why}"));
    }
    if info.head_withheld.is_some() {
        // A hash of a low-entropy secret can be brute-forced.
        info.sha256 = None;
    }
    if !errors.is_empty() {
        info.error = Some(errors.join("; "));
    }
    info.path = path;
    Ok(info)
}

/// Requested files, in request order.
pub fn normalise_files(data: &Value) -> Result<Vec<FileInfo>, String> {
    items(data).iter().map(one_file).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn b64(bytes: &[u8]) -> String {
        STANDARD.encode(bytes)
    }

    fn utf16le_with_bom(text: &str) -> Vec<u8> {
        [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    }

    /// NO RECORDED SAMPLE: no Windows host could run the probe, so this output is written
    /// here in the shape the probe's `files` section prints, with values as Microsoft's
    /// documentation describes them: `Get-Item` (FileInfo/DirectoryInfo: `Length`,
    /// `LastWriteTimeUtc`, `Attributes` as `ReadOnly, Archive`, `LinkType`/`Target`),
    /// `Get-Acl` (`Owner` as `DOMAIN\name`, `Access` rules with `FileSystemRights` names or a
    /// bare number for generic rights on inherit-only ACEs, `AccessControlType`,
    /// `IsInherited`), `Get-FileHash` (`Hash` in upper-case hex). Script contents are typical
    /// trainee scripts saved as UTF-16LE (Out-File, ISE), UTF-8 with BOM and ANSI.
    #[test]
    fn probe_files_section() {
        let script = "<#\r\n.SYNOPSIS\r\n    Exporte les comptes de l'OU Utilisateurs.\r\n.DESCRIPTION\r\n    Écrit C:\\Exports\\comptes.csv (nom, prénom, dernière connexion).\r\n#>\r\nGet-ADUser -Filter * | Export-Csv C:\\Exports\\comptes.csv\r\n";
        let utf8_bom: Vec<u8> = [0xef, 0xbb, 0xbf]
            .into_iter()
            .chain("# Crée les partages\r\nNew-SmbShare -Name Compta\r\n".bytes())
            .collect();
        let ansi: &[u8] = b"# Cr\xe9e les comptes \x96 version 2\r\n";
        let data = json!([
            {"Path": "C:\\Scripts\\Export-Comptes.ps1", "Exists": true, "Kind": "File", "Attributes": "Archive",
             "LastWriteTimeUtc": "2026-11-20T14:02:11Z", "Owner": "BUILTIN\\Administrateurs",
             "Access": [
                {"IdentityReference": "AUTORITE NT\\Système", "AccessControlType": "Allow", "FileSystemRights": "FullControl", "IsInherited": true},
                {"IdentityReference": "BUILTIN\\Utilisateurs", "AccessControlType": "Allow", "FileSystemRights": "ReadAndExecute, Synchronize", "IsInherited": true},
                {"IdentityReference": "CREATEUR PROPRIETAIRE", "AccessControlType": "Allow", "FileSystemRights": "268435456", "IsInherited": true},
                {"IdentityReference": "TSSR\\GG_Stagiaires", "AccessControlType": "Deny", "FileSystemRights": "Write", "IsInherited": false}
             ],
             "Length": 412, "SHA256": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
             "HeadBase64": b64(&utf16le_with_bom(script)), "HeadLimit": 4096},
            {"Path": "C:\\Scripts\\New-Partages.ps1", "Exists": true, "Kind": "File", "Attributes": "ReadOnly, Archive",
             "LastWriteTimeUtc": "2026-11-19T08:00:00Z", "Owner": "TSSR\\Administrateur", "Access": [],
             "Length": utf8_bom.len(), "SHA256": "00", "HeadBase64": b64(&utf8_bom), "HeadLimit": 20},
            {"Path": "C:\\Scripts\\ansi.ps1", "Exists": true, "Kind": "File", "Attributes": "Archive",
             "Length": ansi.len(), "HeadBase64": b64(ansi), "HeadLimit": 4096,
             "Errors": ["acl not read: Attempted to perform an unauthorized operation."]},
            {"Path": "C:\\Windows\\System32\\notepad.exe", "Exists": true, "Kind": "File", "Attributes": "Archive",
             "Length": 360_448, "HeadBase64": b64(b"MZ\x90\x00\x03\x00"), "HeadLimit": 4096},
            {"Path": "C:\\Scripts", "Exists": true, "Kind": "Directory", "Attributes": "Directory",
             "EntryCount": 2, "Entries": ["New-Partages.ps1", "Export-Comptes.ps1"]},
            {"Path": "C:\\Lien", "Exists": true, "Kind": "Symlink", "Attributes": "Directory, ReparsePoint", "LinkTarget": "C:\\Scripts"},
            {"Path": "C:\\Scripts\\absent.ps1", "Exists": false},
            {"Path": "C:\\Scripts\\Sauvegarde.ps1", "Exists": true, "Kind": "File", "Attributes": "Archive",
             "Length": 96, "SHA256": "AB", "HeadLimit": 4096,
             "HeadBase64": b64(&utf16le_with_bom("$cred = 'P@ssw0rd'\r\nnet use Z: \\\\nas\\save /user:svc P@ssw0rd\r\n$password = \"P@ssw0rd\"\r\n"))},
            {"Path": "C:\\certs\\site.pfx", "Exists": true, "Kind": "File", "Attributes": "Archive",
             "Length": 2600, "SHA256": "CD", "HeadLimit": 4096, "HeadBase64": b64(b"0\x82\n(")},
            {"Path": "C:\\certs\\export.txt", "Exists": true, "Kind": "File", "Attributes": "Archive",
             "Length": 80, "SHA256": "EF", "HeadLimit": 4096,
             "HeadBase64": b64(b"-----BEGIN RSA PRIVATE KEY-----\r\nMIIEowIBAAKCAQEA\r\n")},
            {"Path": "Scripts\\relatif.ps1", "Exists": false, "Errors": "not an absolute local path: ask for C:\\... style paths"}
        ]);
        insta::assert_yaml_snapshot!(normalise_files(&data));
    }

    #[test]
    fn heads_are_cut_on_character_boundaries() {
        let utf16 = utf16le_with_bom("a😀b");
        insta::assert_debug_snapshot!((
            decode_head(&utf16, 4),
            decode_head(&utf16, 6),
            decode_head("é".repeat(3).as_bytes(), 3),
            decode_head(b"\xe9t\xe9", 10),
            decode_head(b"", 10),
        ));
    }

    #[test]
    fn entries_beyond_the_limit_are_said() {
        let names: Vec<String> = (0..250).map(|i| format!("f{i:03}.txt")).collect();
        let data = json!({"Path": "C:\\Partage", "Exists": true, "Kind": "Directory", "EntryCount": 250, "Entries": names});
        let files = normalise_files(&data).unwrap_or_default();
        assert_eq!(files[0].entries.as_ref().map(Vec::len), Some(200));
        assert_eq!(
            files[0].error.as_deref(),
            Some("250 entries, only the first 200 listed")
        );
        assert!(normalise_files(&json!([{"Exists": true}])).is_err());
    }
}
