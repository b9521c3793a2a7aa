//! Which SYSVOL files to download, from a listing, under limits (pure).
//!
//! SYSVOL is written by the candidate, who is root on the DC: a folder may hold a file of
//! gigabytes, thousands of files, or names built to break a command line. Only the files
//! the GPO parsers read (`gpo::sysvol::read_from_sysvol`) are downloaded, each under the
//! per-file limit, within a count and a total; every other file is only listed, and every
//! settings file not downloaded is named with the limit that stopped it.

use crate::gpo::sysvol::read_from_sysvol;
use crate::ldap::smb_listing::{ListedFile, safe_name, shown};
use constat_snapshot::gpo::SkippedGpoFile;
use std::collections::BTreeMap;

/// How much of SYSVOL's `Policies` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SysvolLimits {
    /// Bytes of one settings file (a Registry.pol of a thousand values is under 100 KiB).
    pub max_file_bytes: u64,
    /// Settings files downloaded, every GPO together.
    pub max_files: usize,
    /// Bytes downloaded, every GPO together.
    pub max_total_bytes: u64,
    /// Bytes of the listing smbclient prints.
    pub max_listing_bytes: usize,
    /// Characters of a path inside `Policies`.
    pub max_path_chars: usize,
}

impl Default for SysvolLimits {
    fn default() -> Self {
        SysvolLimits {
            max_file_bytes: 4 * 1024 * 1024,
            max_files: 2000,
            max_total_bytes: 64 * 1024 * 1024,
            max_listing_bytes: 8 * 1024 * 1024,
            max_path_chars: 400,
        }
    }
}

/// One file to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// Path below `Policies` as listed, `\`-separated (`{GUID}\Machine\Registry.pol`).
    pub remote: String,
    /// Upper-case GUID of its folder.
    pub guid: String,
    /// Path inside the folder, `/`-separated.
    pub relative: String,
    /// Size as listed.
    pub size: u64,
}

/// One GPO folder of the listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderPlan {
    /// Every file of the folder, relative, `/`-separated, sorted.
    pub listed: Vec<String>,
    /// Settings files not downloaded, with why.
    pub skipped: Vec<SkippedGpoFile>,
}

/// What to download, and every GPO folder by upper-case GUID.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SysvolPlan {
    /// The GPO folders (`{…}` names), by upper-case GUID.
    pub folders: BTreeMap<String, FolderPlan>,
    /// Files to download, in (GUID, path) order.
    pub wanted: Vec<Wanted>,
}

/// A listed path below `Policies`: the listing's headers name folders from the share root
/// (`\tssr.lan\Policies\{GUID}\Machine`), its first entries are relative to `Policies`.
fn below_policies<'p>(path: &'p str, realm: &str) -> &'p str {
    let prefix = format!("{realm}\\Policies\\");
    match path.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(&prefix) => &path[prefix.len()..],
        _ => path,
    }
}

/// `GUID` and the path inside its folder, for a path below `Policies` in a `{…}` folder.
fn in_gpo_folder(path: &str) -> Option<(String, &str)> {
    let (folder, rest) = path.split_once('\\').unwrap_or((path, ""));
    (folder.starts_with('{') && folder.ends_with('}')).then(|| (folder.to_ascii_uppercase(), rest))
}

/// The plan for a listing of `<realm>\Policies`.
pub fn plan(listing: &[ListedFile], realm: &str, limits: SysvolLimits) -> SysvolPlan {
    let mut out = SysvolPlan::default();
    // (GUID, path inside the folder with `/`, path below Policies as listed, entry).
    let mut entries: Vec<(String, String, &str, &ListedFile)> = Vec::new();
    for entry in listing {
        let path = below_policies(&entry.path, realm);
        let Some((guid, rest)) = in_gpo_folder(path) else {
            continue;
        };
        let folder = out.folders.entry(guid.clone()).or_default();
        if entry.directory || rest.is_empty() {
            continue;
        }
        let relative = rest.replace('\\', "/");
        folder.listed.push(shown(&relative));
        entries.push((guid, relative, path, entry));
    }
    entries.sort_by(|a, b| (&a.0, a.1.to_ascii_lowercase()).cmp(&(&b.0, b.1.to_ascii_lowercase())));
    let mut files = 0usize;
    let mut bytes = 0u64;
    for (guid, relative, below, entry) in entries {
        if !read_from_sysvol(&relative) {
            continue;
        }
        let reason = if relative.chars().count() + guid.len() + 1 > limits.max_path_chars {
            Some(format!(
                "path longer than {} characters (the path limit): not read",
                limits.max_path_chars
            ))
        } else if !safe_name(below) {
            Some("name with a quote, a semicolon or a control character: not read".to_owned())
        } else if entry.size > limits.max_file_bytes {
            Some(format!(
                "larger than {} bytes (the per-file limit): not read",
                limits.max_file_bytes
            ))
        } else if files >= limits.max_files {
            Some(format!(
                "more than {} settings files in SYSVOL (the file-count limit): not read",
                limits.max_files
            ))
        } else if bytes + entry.size > limits.max_total_bytes {
            Some(format!(
                "the files read already total {bytes} bytes (the total limit is {}): not read",
                limits.max_total_bytes
            ))
        } else {
            None
        };
        match reason {
            Some(reason) => {
                if let Some(folder) = out.folders.get_mut(&guid) {
                    folder.skipped.push(SkippedGpoFile {
                        path: shown(&relative),
                        size: Some(entry.size),
                        reason,
                    });
                }
            }
            None => {
                files += 1;
                bytes += entry.size;
                out.wanted.push(Wanted {
                    remote: below.to_owned(),
                    guid,
                    relative,
                    size: entry.size,
                });
            }
        }
    }
    for folder in out.folders.values_mut() {
        folder.listed.sort();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ldap::smb_listing::parse_listing;

    /// The shape `cd tssr.lan\Policies; recurse ON; ls` prints (smbclient client.c
    /// `display_finfo`; headers from the share root), with an oversized Registry.pol, a
    /// junk file that is never downloaded whatever its size, the ADMX store, a hostile
    /// name, and limits small enough to reach the count and the total.
    #[test]
    fn only_settings_files_within_the_limits_are_wanted() {
        let listing = [
            "  .                                   D        0  Mon Dec  1 10:00:00 2026",
            "  {31B2F340-016D-11D2-945F-00C04FB984F9}      D        0  Mon Dec  1 10:00:00 2026",
            "  {AAAA0000-0000-0000-0000-000000000001}      D        0  Mon Dec  1 10:00:00 2026",
            "  PolicyDefinitions                   D        0  Mon Dec  1 10:00:00 2026",
            "",
            "\\tssr.lan\\Policies\\{31B2F340-016D-11D2-945F-00C04FB984F9}",
            "  GPT.INI                             A       22  Mon Dec  1 10:00:00 2026",
            "  Machine                             D        0  Mon Dec  1 10:00:00 2026",
            "",
            "\\tssr.lan\\Policies\\{31B2F340-016D-11D2-945F-00C04FB984F9}\\Machine",
            "  Registry.pol                        A 209715200  Mon Dec  1 10:00:00 2026",
            "  big.iso                             A 9999999999  Mon Dec  1 10:00:00 2026",
            "",
            "\\tssr.lan\\Policies\\{aaaa0000-0000-0000-0000-000000000001}",
            "  GPT.INI                             A       22  Mon Dec  1 10:00:00 2026",
            "  User                                D        0  Mon Dec  1 10:00:00 2026",
            "",
            "\\tssr.lan\\Policies\\{aaaa0000-0000-0000-0000-000000000001}\\User",
            "  Registry.pol                        A      900  Mon Dec  1 10:00:00 2026",
            "  Preferences                         D        0  Mon Dec  1 10:00:00 2026",
            "",
            "\\tssr.lan\\Policies\\{aaaa0000-0000-0000-0000-000000000001}\\User\\Preferences\\Drives",
            "  Drives\";x.xml                       A      100  Mon Dec  1 10:00:00 2026",
            "  Drives.xml                          A      500  Mon Dec  1 10:00:00 2026",
            "",
            "\\tssr.lan\\Policies\\PolicyDefinitions",
            "  windows.admx                        A    50000  Mon Dec  1 10:00:00 2026",
        ]
        .join("\n");
        let listed = parse_listing(&listing);
        let limits = SysvolLimits {
            max_file_bytes: 1000,
            max_files: 3,
            max_total_bytes: 1000,
            ..SysvolLimits::default()
        };
        let by_total = SysvolLimits {
            max_files: 10,
            max_total_bytes: 600,
            ..limits
        };
        let total_skipped: Vec<SkippedGpoFile> = plan(&listed, "tssr.lan", by_total)
            .folders
            .into_values()
            .flat_map(|f| f.skipped)
            .collect();
        insta::assert_debug_snapshot!((plan(&listed, "tssr.lan", limits), total_skipped));
    }
}
