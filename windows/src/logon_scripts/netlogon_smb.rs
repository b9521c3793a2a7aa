//! NETLOGON over SMB, bounded: one `smbclient //host/netlogon` lists the share (`recurse ON;
//! ls`, at most `max_listing_bytes` of output read), the script files are chosen from the
//! listing under the count and size limits, and a second smbclient fetches only those into
//! a private directory, under fixed local names. The copying smbclient runs under a file-size
//! resource limit (`prlimit --fsize`), so a file that grew after the listing stops at the
//! limit on the examiner's disk and is refused when read back; the whole exchange is
//! bounded in time.
//!
//! File names come from the host: a name smbclient's command line cannot carry safely (a
//! `"`, a `;`, a control character) is never put on it, only listed in `skipped`.

use crate::ldap::smb_listing::{ListedFile, parse_listing, run_bounded, safe_name, shown};
use crate::ldap::sysvol_smb::{SmbClient, SmbCredentials, explain};
use crate::logon_scripts::assemble::{Budget, ScriptFile, language_of};
use constat_snapshot::logon_scripts::{ScriptSource, SkippedScript};
use std::fmt::Write;
use std::io::Read;
use std::time::Duration;

/// The files to fetch (within the budget) and those skipped, from a listing.
pub fn choose(
    listing: &[ListedFile],
    budget: &mut Budget,
    skipped: &mut Vec<SkippedScript>,
) -> Vec<ListedFile> {
    let limits = budget.limits();
    let mut files: Vec<&ListedFile> = listing
        .iter()
        .filter(|f| !f.directory && language_of(&f.path).is_some())
        .collect();
    files.sort_by_key(|f| f.path.to_ascii_lowercase());
    let mut chosen = Vec::new();
    for file in files {
        let skip = |reason: String| SkippedScript {
            source: ScriptSource::Netlogon,
            path: shown(&file.path),
            size: Some(file.size),
            reason,
        };
        if file.path.chars().count() > limits.max_path_chars {
            skipped.push(skip(format!(
                "path longer than {} characters: not read",
                limits.max_path_chars
            )));
        } else if !safe_name(&file.path) {
            skipped.push(skip(
                "name with a quote, a semicolon or a control character: not read".to_owned(),
            ));
        } else if let Err(reason) = budget.take(file.size) {
            skipped.push(skip(reason));
        } else {
            chosen.push(file.clone());
        }
    }
    chosen
}

fn first_problem(host: &str, text: &str) -> String {
    let first = text
        .lines()
        .find(|l| l.contains("NT_STATUS_"))
        .map_or_else(|| text.trim().to_owned(), |l| l.trim().to_owned());
    let status = first
        .split_whitespace()
        .find(|w| w.starts_with("NT_STATUS_"))
        .unwrap_or_default();
    let why = match status {
        "NT_STATUS_BAD_NETWORK_NAME" => {
            "the host has no netlogon share: is it a domain controller?"
        }
        other => explain(other),
    };
    let first: String = first.chars().take(300).collect();
    format!("smbclient //{host}/netlogon: {first} ({why})")
}

/// Lists NETLOGON and fetches its scripts within `budget`. `Err` when the share could not
/// be listed at all; single files that fail are in `skipped`.
pub async fn fetch_netlogon(
    host: &str,
    credentials: &SmbCredentials,
    timeout: Duration,
    budget: &mut Budget,
    skipped: &mut Vec<SkippedScript>,
) -> Result<Vec<ScriptFile>, String> {
    let work = async {
        let client = SmbClient::new(credentials, "constat-netlogon-")?;
        let limits = budget.limits();
        let run = run_bounded(
            client.command(host, "netlogon", "recurse ON; ls"),
            limits.max_listing_bytes,
        )
        .await?;
        let (listing, text, ok) = (run.stdout, run.text, run.ok);
        if listing.len() > limits.max_listing_bytes {
            return Err(format!(
                "smbclient //{host}/netlogon: the listing is larger than {} bytes: the share \
                 holds far more than logon scripts; nothing read",
                limits.max_listing_bytes
            ));
        }
        let listed = parse_listing(&String::from_utf8_lossy(&listing));
        if listed.is_empty() && (!ok || text.contains("NT_STATUS_")) {
            return Err(first_problem(host, &text));
        }
        let chosen = choose(&listed, budget, skipped);
        if chosen.is_empty() {
            return Ok(Vec::new());
        }
        let local = client.dir().join("files");
        std::fs::create_dir(&local).map_err(|e| format!("{}: {e}", local.display()))?;
        let mut commands = String::from("prompt OFF");
        for (i, file) in chosen.iter().enumerate() {
            let _ = write!(
                commands,
                "; get \"{}\" \"{}/f{i:04}\"",
                file.path,
                local.display()
            );
        }
        // The kernel stops any copy at the size limit (a file that grew after the listing
        // never fills the examiner's disk); the copy read back is then over the cap.
        let text = run_bounded(
            client.bounded_command(host, "netlogon", &commands, limits.max_file_bytes),
            64 * 1024,
        )
        .await?
        .text;
        let mut files = Vec::new();
        for (i, file) in chosen.into_iter().enumerate() {
            let path = local.join(format!("f{i:04}"));
            let skip = |reason: String| SkippedScript {
                source: ScriptSource::Netlogon,
                path: shown(&file.path),
                size: Some(file.size),
                reason,
            };
            let Ok(opened) = std::fs::File::open(&path) else {
                let problem = text
                    .lines()
                    .find(|l| l.contains("NT_STATUS_") && l.contains(file.path.as_str()))
                    .map_or_else(|| "not downloaded".to_owned(), |l| l.trim().to_owned());
                skipped.push(skip(problem.chars().take(300).collect()));
                continue;
            };
            let mut bytes = Vec::new();
            let cap = limits.max_file_bytes;
            if let Err(e) = opened.take(cap + 1).read_to_end(&mut bytes) {
                skipped.push(skip(format!("cannot read the downloaded copy: {e}")));
                continue;
            }
            if bytes.len() as u64 > cap {
                skipped.push(skip(format!(
                    "larger than {cap} bytes once downloaded (it changed after the listing): not read"
                )));
                continue;
            }
            files.push(ScriptFile {
                source: ScriptSource::Netlogon,
                gpo_guid: None,
                path: file.path,
                bytes,
            });
        }
        Ok(files)
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "smbclient //{host}/netlogon did not finish within {} s",
            timeout.as_secs()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logon_scripts::assemble::ScriptLimits;

    /// The shape smbclient prints for `recurse ON; ls` (client.c `display_finfo`: name
    /// padded to 30, attributes in 7, size, asctime date), with a name holding spaces, a
    /// name longer than 30 characters, a subfolder and a hostile name.
    #[test]
    fn listing_and_choice() {
        let listing = [
            "  .                                   D        0  Mon Dec  1 10:00:00 2026",
            "  ..                                  D        0  Mon Dec  1 10:00:00 2026",
            "  map.bat                             A      120  Mon Dec  1 10:00:00 2026",
            "  lecteurs commercial.cmd             A       80  Mon Dec  1 10:00:00 2026",
            "  un-nom-de-script-vraiment-tres-long.ps1      A      300  Mon Dec  1 10:00:00 2026",
            "  readme.txt                          A       12  Mon Dec  1 10:00:00 2026",
            "  huge.vbs                            A  9999999  Mon Dec  1 10:00:00 2026",
            "  a\";!x.bat                           A       10  Mon Dec  1 10:00:00 2026",
            "  Commercial                          D        0  Mon Dec  1 10:00:00 2026",
            "",
            "\\Commercial",
            "  .                                   D        0  Mon Dec  1 10:00:00 2026",
            "  map.vbs                             N       55  Mon Dec  1 10:00:00 2026",
            "",
            "\t\t20510208 blocks of size 1024. 10402140 blocks available",
        ]
        .join("\n");
        let listed = parse_listing(&listing);
        let mut budget = Budget::new(ScriptLimits::default());
        let mut skipped = Vec::new();
        let chosen = choose(&listed, &mut budget, &mut skipped);
        insta::assert_debug_snapshot!((listed, chosen, skipped));
    }
}
