//! SYSVOL download over SMB with `smbclient`.
//!
//! No maintained pure-Rust SMB2/3 client crate with NTLM/Kerberos authentication and signing
//! was usable here (the candidates are either unmaintained or server-only), so this module
//! shells out to Samba's `smbclient` (Debian package `smbclient`). The password never
//! appears on its command line: it goes into an authentication file (`-A`) with mode 0600
//! inside a private temporary directory (mode 0700) that is deleted afterwards.
//!
//! SYSVOL is bounded (issue 15): the `Policies` folder is listed first (at most
//! `max_listing_bytes` read), only the settings files the parsers read are downloaded, by
//! batches, under a per-file, a count and a total limit (`sysvol_plan.rs`), each copy read
//! back against the per-file limit and deleted; the copying smbclient runs under a
//! file-size resource limit, so even a host that sends more than it listed cannot fill the
//! examiner's disk. What was not read is named per GPO with the limit (`skipped`).

use crate::gpo::sysvol::GpoFile;
use crate::ldap::smb_listing::{BoundedRun, parse_listing, run_bounded, safe_name, shown};
use crate::ldap::sysvol_plan::{FolderPlan, SysvolLimits, Wanted, plan};
use crate::ldap::target::Secret;
use constat_snapshot::gpo::SkippedGpoFile;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// SMB credentials.
#[derive(Debug, Clone)]
pub struct SmbCredentials {
    /// Account name (`Administrator`).
    pub username: String,
    /// Domain (`TSSR`).
    pub domain: String,
    /// Password.
    pub password: Secret,
}

/// Files of every GPO folder under `\\host\sysvol\<realm>\Policies`, by upper-case GUID,
/// plus the problems smbclient reported for single files.
#[derive(Debug, Clone, Default)]
pub struct SysvolPolicies {
    /// Settings files downloaded, per GPO folder (every `{…}` folder listed has an entry).
    pub folders: BTreeMap<String, Vec<GpoFile>>,
    /// Every file listed per GPO folder, and the settings files not downloaded.
    pub listed: BTreeMap<String, FolderPlan>,
    /// Non-fatal problems (`NT_STATUS_ACCESS_DENIED opening remote file …`).
    pub warnings: Vec<String>,
}

/// A private smbclient set-up: a 0700 temporary directory holding the 0600 authentication
/// file and an empty client configuration, deleted on drop.
pub(crate) struct SmbClient {
    dir: tempfile::TempDir,
    auth: PathBuf,
    conf: PathBuf,
}

impl SmbClient {
    /// Writes the authentication file and the configuration.
    pub(crate) fn new(credentials: &SmbCredentials, prefix: &str) -> Result<SmbClient, String> {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir()
            .map_err(|e| format!("cannot create a private temporary directory: {e}"))?;
        let auth = dir.path().join("auth");
        let conf = dir.path().join("smb.conf");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&auth)
            .map_err(|e| format!("{}: {e}", auth.display()))?;
        writeln!(
            file,
            "username = {}\npassword = {}\ndomain = {}",
            credentials.username,
            credentials.password.expose(),
            credentials.domain
        )
        .map_err(|e| format!("{}: {e}", auth.display()))?;
        drop(file);
        // An empty client configuration: the host's smb.conf (realm, kerberos) must not leak in.
        std::fs::write(&conf, "[global]\n\tclient min protocol = SMB2\n")
            .map_err(|e| format!("{}: {e}", conf.display()))?;
        Ok(SmbClient { dir, auth, conf })
    }

    /// The private directory (for downloads).
    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `smbclient //host/share` running `commands`, killed when dropped, no stdin.
    pub(crate) fn command(
        &self,
        host: &str,
        share: &str,
        commands: &str,
    ) -> tokio::process::Command {
        let mut command = tokio::process::Command::new("smbclient");
        self.smbclient_args(&mut command, host, share, commands);
        command
    }

    /// The same, under a file-size resource limit: the kernel refuses to let smbclient
    /// write any local file beyond `max_file_bytes + 1` bytes (util-linux `prlimit`; the
    /// workspace has no `unsafe` for a `pre_exec` `setrlimit`). A host that sends more than
    /// it listed fills at most that much of the examiner's disk per file.
    pub(crate) fn bounded_command(
        &self,
        host: &str,
        share: &str,
        commands: &str,
        max_file_bytes: u64,
    ) -> tokio::process::Command {
        let limit = max_file_bytes.saturating_add(1);
        let mut command = tokio::process::Command::new("prlimit");
        command
            .arg(format!("--fsize={limit}:{limit}"))
            .arg("--")
            .arg("smbclient");
        self.smbclient_args(&mut command, host, share, commands);
        command
    }

    fn smbclient_args(
        &self,
        command: &mut tokio::process::Command,
        host: &str,
        share: &str,
        commands: &str,
    ) {
        command
            .arg(format!("//{host}/{share}"))
            .arg("-s")
            .arg(&self.conf)
            .arg("-A")
            .arg(&self.auth)
            .arg("--use-kerberos=off")
            .arg("-c")
            .arg(commands)
            .kill_on_drop(true)
            .stdin(std::process::Stdio::null());
    }
}

pub(crate) fn explain(status: &str) -> &'static str {
    match status {
        "NT_STATUS_LOGON_FAILURE" => "wrong account or password",
        "NT_STATUS_ACCOUNT_DISABLED" | "NT_STATUS_ACCOUNT_LOCKED_OUT" => {
            "the account is disabled or locked"
        }
        "NT_STATUS_BAD_NETWORK_NAME" => "the host has no sysvol share: is it a domain controller?",
        "NT_STATUS_OBJECT_NAME_NOT_FOUND" | "NT_STATUS_OBJECT_PATH_NOT_FOUND" => {
            "no <realm>\\Policies folder in sysvol: check the domain DNS name"
        }
        "NT_STATUS_CONNECTION_REFUSED" => "nothing listens on port 445 of that host",
        "NT_STATUS_HOST_UNREACHABLE" | "NT_STATUS_NETWORK_UNREACHABLE" => {
            "the host cannot be reached"
        }
        "NT_STATUS_IO_TIMEOUT" => "the host did not answer in time",
        "NT_STATUS_ACCESS_DENIED" => "the account may not read SYSVOL",
        _ => "see smbclient's message",
    }
}

/// Settings files fetched by one smbclient run: few enough that the copies on disk stay
/// under `BATCH * max_file_bytes` (each copy is read, then deleted, before the next run).
const BATCH: usize = 32;

/// Lists `<realm>\Policies`, then downloads the settings files of every GPO folder within
/// `limits` (`sysvol_plan`). `host` is an address or name reachable on port 445.
pub async fn fetch_policies(
    host: &str,
    realm: &str,
    credentials: &SmbCredentials,
    timeout: Duration,
    limits: SysvolLimits,
) -> Result<SysvolPolicies, String> {
    if !safe_name(realm) || realm.is_empty() {
        return Err(format!(
            "the domain name {:?} cannot be written on smbclient's command line: SYSVOL not read",
            shown(realm)
        ));
    }
    match tokio::time::timeout(timeout, fetch_within(host, realm, credentials, limits)).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "smbclient //{host}/sysvol did not finish within {} s",
            timeout.as_secs()
        )),
    }
}

async fn fetch_within(
    host: &str,
    realm: &str,
    credentials: &SmbCredentials,
    limits: SysvolLimits,
) -> Result<SysvolPolicies, String> {
    let client = SmbClient::new(credentials, "constat-sysvol-")?;
    let listing = run_bounded(
        client.command(
            host,
            "sysvol",
            &format!("cd \"{realm}\\Policies\"; recurse ON; ls"),
        ),
        limits.max_listing_bytes,
    )
    .await?;
    if listing.stdout.len() > limits.max_listing_bytes {
        return Err(format!(
            "smbclient //{host}/sysvol: the listing of {realm}\\Policies is larger than {} bytes \
             (the listing limit): SYSVOL holds far more than GPO settings; nothing read",
            limits.max_listing_bytes
        ));
    }
    let listed = parse_listing(&String::from_utf8_lossy(&listing.stdout));
    let mut problems: Vec<String> = listing
        .text
        .lines()
        .filter(|l| l.contains("NT_STATUS_"))
        .map(|l| l.trim().chars().take(300).collect())
        .collect();
    if listed.is_empty() && (!listing.ok || !problems.is_empty()) {
        let first = problems
            .first()
            .cloned()
            .unwrap_or_else(|| listing.text.trim().chars().take(300).collect());
        let status = first
            .split_whitespace()
            .find(|w| w.starts_with("NT_STATUS_"))
            .unwrap_or_default()
            .to_owned();
        return Err(format!(
            "smbclient //{host}/sysvol: {first} ({})",
            explain(&status)
        ));
    }
    let plan = plan(&listed, realm, limits);
    let mut policies = SysvolPolicies {
        folders: plan
            .folders
            .keys()
            .map(|g| (g.clone(), Vec::new()))
            .collect(),
        listed: plan.folders,
        warnings: Vec::new(),
    };
    let local = client.dir().join("files");
    std::fs::create_dir(&local).map_err(|e| format!("{}: {e}", local.display()))?;
    let mut total = 0u64;
    let mut retry = Vec::new();
    for batch in plan.wanted.chunks(BATCH) {
        let run = fetch_batch(&client, host, realm, &local, batch, limits.max_file_bytes).await?;
        let killed = run.signal.is_some();
        for (i, wanted) in batch.iter().enumerate() {
            let copy = local.join(format!("f{i:03}"));
            match read_copy(&copy, wanted, limits, &mut total) {
                Copy::Read(bytes) => push_file(&mut policies, wanted, bytes),
                Copy::Missing if killed => retry.push(wanted.clone()),
                Copy::Missing => {
                    let reason = run
                        .text
                        .lines()
                        .find(|l| l.contains("NT_STATUS_") && l.contains(wanted.remote.as_str()))
                        .map_or_else(|| "not downloaded".to_owned(), |l| l.trim().to_owned());
                    skip(&mut policies, wanted, reason.chars().take(300).collect());
                }
                Copy::Refused(reason) => skip(&mut policies, wanted, reason),
            }
            let _ = std::fs::remove_file(&copy);
        }
        problems.extend(
            run.text
                .lines()
                .filter(|l| l.contains("NT_STATUS_"))
                .map(|l| l.trim().chars().take(300).collect()),
        );
    }
    // A run the size limit stopped left the files after the oversized one undownloaded:
    // each is tried alone once.
    for wanted in retry {
        let batch = std::slice::from_ref(&wanted);
        fetch_batch(&client, host, realm, &local, batch, limits.max_file_bytes).await?;
        let copy = local.join("f000");
        match read_copy(&copy, &wanted, limits, &mut total) {
            Copy::Read(bytes) => push_file(&mut policies, &wanted, bytes),
            Copy::Missing => skip(&mut policies, &wanted, "not downloaded".to_owned()),
            Copy::Refused(reason) => skip(&mut policies, &wanted, reason),
        }
        let _ = std::fs::remove_file(&copy);
    }
    for folder in policies.listed.values_mut() {
        folder.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    }
    problems.sort();
    problems.dedup();
    policies.warnings = problems;
    Ok(policies)
}

/// One smbclient run getting `batch` into `local/fNNN`, under the file-size limit.
async fn fetch_batch(
    client: &SmbClient,
    host: &str,
    realm: &str,
    local: &Path,
    batch: &[Wanted],
    max_file_bytes: u64,
) -> Result<BoundedRun, String> {
    let mut commands = format!("prompt OFF; cd \"{realm}\\Policies\"");
    for (i, wanted) in batch.iter().enumerate() {
        let _ = write!(
            commands,
            "; get \"{}\" \"{}/f{i:03}\"",
            wanted.remote,
            local.display()
        );
    }
    run_bounded(
        client.bounded_command(host, "sysvol", &commands, max_file_bytes),
        64 * 1024,
    )
    .await
}

enum Copy {
    Read(Vec<u8>),
    Missing,
    Refused(String),
}

/// Reads a downloaded copy, refusing one over the per-file limit (the host sent more than
/// it listed) or past the total.
fn read_copy(path: &Path, wanted: &Wanted, limits: SysvolLimits, total: &mut u64) -> Copy {
    let Ok(file) = std::fs::File::open(path) else {
        return Copy::Missing;
    };
    let mut bytes = Vec::new();
    let cap = limits.max_file_bytes;
    if let Err(e) = file.take(cap + 1).read_to_end(&mut bytes) {
        return Copy::Refused(format!("cannot read the downloaded copy: {e}"));
    }
    if bytes.len() as u64 > cap {
        return Copy::Refused(format!(
            "larger than {cap} bytes once downloaded (the per-file limit; listed as {} bytes): \
             not read",
            wanted.size
        ));
    }
    if *total + bytes.len() as u64 > limits.max_total_bytes {
        return Copy::Refused(format!(
            "the files read already total {total} bytes (the total limit is {}): not read",
            limits.max_total_bytes
        ));
    }
    *total += bytes.len() as u64;
    Copy::Read(bytes)
}

fn push_file(policies: &mut SysvolPolicies, wanted: &Wanted, bytes: Vec<u8>) {
    policies
        .folders
        .entry(wanted.guid.clone())
        .or_default()
        .push(GpoFile {
            path: wanted.relative.clone(),
            bytes,
        });
}

fn skip(policies: &mut SysvolPolicies, wanted: &Wanted, reason: String) {
    policies
        .listed
        .entry(wanted.guid.clone())
        .or_default()
        .skipped
        .push(SkippedGpoFile {
            path: shown(&wanted.relative),
            size: Some(wanted.size),
            reason,
        });
}

/// Splits a bind name into SMB user and domain: `user@realm`, `DOMAIN\user`, or a DN whose
/// account name is looked up by the caller (`dn_account`).
pub fn smb_account(bind: &str, netbios: &str, dn_account: Option<&str>) -> (String, String) {
    if let Some((domain, user)) = bind.split_once('\\') {
        return (user.to_owned(), domain.to_owned());
    }
    if let Some((user, _)) = bind.split_once('@') {
        return (user.to_owned(), netbios.to_owned());
    }
    (dn_account.unwrap_or(bind).to_owned(), netbios.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_from_bind_names() {
        assert_eq!(
            smb_account("Administrator@tssr.lan", "TSSR", None),
            ("Administrator".to_owned(), "TSSR".to_owned())
        );
        assert_eq!(
            smb_account("TSSR\\jdupont", "X", None),
            ("jdupont".to_owned(), "TSSR".to_owned())
        );
        assert_eq!(
            smb_account(
                "CN=Administrator,CN=Users,DC=tssr,DC=lan",
                "TSSR",
                Some("Administrator")
            ),
            ("Administrator".to_owned(), "TSSR".to_owned())
        );
        let credentials = SmbCredentials {
            username: "a".to_owned(),
            domain: "b".to_owned(),
            password: Secret::new("hunter2"),
        };
        assert!(!format!("{credentials:?}").contains("hunter2"));
    }
}
