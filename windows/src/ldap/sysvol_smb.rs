//! SYSVOL download over SMB with `smbclient`.
//!
//! No maintained pure-Rust SMB2/3 client crate with NTLM/Kerberos authentication and signing
//! was usable here (the candidates are either unmaintained or server-only), so this module
//! shells out to Samba's `smbclient` (Debian package `smbclient`). The password never
//! appears on its command line: it goes into an authentication file (`-A`) with mode 0600
//! inside a private temporary directory (mode 0700) that is deleted afterwards.

use crate::gpo::sysvol::{GpoFile, read_gpo_dir};
use crate::ldap::target::Secret;
use std::collections::BTreeMap;
use std::io::Write;
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
    /// Files per GPO folder.
    pub folders: BTreeMap<String, Vec<GpoFile>>,
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
        command
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

/// Downloads every GPO folder. `host` is an address or name reachable on port 445.
pub async fn fetch_policies(
    host: &str,
    realm: &str,
    credentials: &SmbCredentials,
    timeout: Duration,
) -> Result<SysvolPolicies, String> {
    let client = SmbClient::new(credentials, "constat-sysvol-")?;
    let local = client.dir().join("policies");
    std::fs::create_dir(&local).map_err(|e| format!("{}: {e}", local.display()))?;
    let commands = format!(
        "prompt OFF; recurse ON; lcd \"{}\"; cd \"{realm}\\Policies\"; mget *",
        local.display()
    );
    let mut command = client.command(host, "sysvol", &commands);
    let output = match tokio::time::timeout(timeout, command.output()).await {
        Err(_) => {
            return Err(format!(
                "smbclient //{host}/sysvol did not finish within {} s",
                timeout.as_secs()
            ));
        }
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(
                "smbclient is not installed: install the Debian package smbclient".to_owned(),
            );
        }
        Ok(Err(e)) => return Err(format!("cannot run smbclient: {e}")),
        Ok(Ok(output)) => output,
    };
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let problems: Vec<String> = text
        .lines()
        .filter(|l| l.contains("NT_STATUS_"))
        .map(|l| l.trim().to_owned())
        .collect();
    let mut policies = SysvolPolicies::default();
    for entry in std::fs::read_dir(&local).map_err(|e| format!("{}: {e}", local.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        if !entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            continue;
        }
        let guid = entry.file_name().to_string_lossy().to_ascii_uppercase();
        let files =
            read_gpo_dir(&entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        policies.folders.insert(guid, files);
    }
    if policies.folders.is_empty() && (!output.status.success() || !problems.is_empty()) {
        let first = problems
            .first()
            .cloned()
            .unwrap_or_else(|| text.trim().to_owned());
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
    policies.warnings = problems;
    Ok(policies)
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
