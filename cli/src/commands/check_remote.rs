//! `constat check --host ssh://…`: one remote Linux host collected over SSH (one exec round
//! trip, see `transport/ssh.rs`) and graded in the same process, like `check` grades this
//! machine — what `collect --transport ssh` then `grade` did in two processes.

use crate::credentials::CredentialStore;
use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::i18n::tf;
use crate::inventory::{HostTarget, TransportKind};
use crate::transport::{
    CollectContext, KnownHosts, collect_host, parse_accepted, plugged_collectors,
};
use clap::Args;
use constat_checker_core::pack::{Pack, file_requests, narrow_request};
use constat_checker_core::report::Report;
use constat_snapshot::Snapshot;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Options of `check` for a remote host.
#[derive(Debug, Args)]
pub struct RemoteArgs {
    /// Hôte Linux à relever par SSH au lieu de cette machine : ssh://[compte@]adresse[:port]
    /// (compte root et port 22 par défaut).
    #[arg(long, value_name = "URL", conflicts_with_all = ["submit", "active_tests"])]
    pub host: Option<String>,
    /// Clé privée SSH (avec --host).
    #[arg(long, requires = "host", value_name = "FICHIER")]
    pub ssh_key: Option<PathBuf>,
    /// Nom de l'identifiant (mot de passe SSH, et de sudo) : CONSTAT_CRED_<NOM> ou saisie (avec --host).
    #[arg(long, requires = "host", value_name = "NOM")]
    pub cred: Option<String>,
    /// Lancer l'agent avec `sudo -S` (mot de passe de --cred ; avec --host).
    #[arg(long, requires = "host")]
    pub sudo: bool,
    /// Fichier known_hosts (avec --host ; par défaut ~/.local/share/constat/known_hosts).
    #[arg(long, requires = "host", value_name = "FICHIER")]
    pub known_hosts: Option<PathBuf>,
    /// Refuser les clés d'hôte inconnues (avec --host).
    #[arg(long, requires = "host")]
    pub strict_host_keys: bool,
    /// Accepter la clé d'hôte de cette empreinte, vérifiée sur la machine (HÔTE=EMPREINTE tels
    /// que le refus les nomme ; avec --host).
    #[arg(long, requires = "host", value_name = "HÔTE=EMPREINTE")]
    pub accept_host_key: Vec<String>,
}

/// `[user@]address[:port]` of an `ssh://` URL: (user, address, port).
fn parse_host(url: &str) -> Result<(String, String, u16), CliError> {
    let invalid = || {
        CliError::input(
            tf("check.host_invalid", &[("host", &url)]),
            tf("check.host_invalid_hint", &[]),
        )
    };
    let rest = url.strip_prefix("ssh://").ok_or_else(invalid)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (user, hostport) = match rest.rsplit_once('@') {
        Some((user, hostport)) => (user, hostport),
        None => ("root", rest),
    };
    let (address, port) = if let Some(bracketed) = hostport.strip_prefix('[') {
        // [IPv6]:port
        let (address, after) = bracketed.split_once(']').ok_or_else(invalid)?;
        (address, after.strip_prefix(':'))
    } else {
        match hostport.split_once(':') {
            Some((address, port)) => (address, Some(port)),
            None => (hostport, None),
        }
    };
    let port = match port {
        Some(port) => port
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(invalid)?,
        None => 22,
    };
    let plain = |s: &str| {
        !s.is_empty()
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "/?#@".contains(c))
    };
    if !plain(user) || !plain(address) {
        return Err(invalid());
    }
    Ok((user.to_owned(), address.to_owned(), port))
}

/// Collects the host named by `--host` over SSH for `role` of the pack and grades it; with
/// `keep_snapshot`, the snapshot received is also written there as `snapshot.json`.
pub(crate) fn grade_remote_host(
    pack: &Pack,
    role: String,
    remote: &RemoteArgs,
    url: &str,
    keep_snapshot: Option<&Path>,
) -> anyhow::Result<Report> {
    let (user, address, port) = parse_host(url)?;
    let mut request = file_requests(pack).remove(&role).unwrap_or_default();
    narrow_request(pack, &role, false, &mut request);
    let known_hosts_path = remote
        .known_hosts
        .clone()
        .unwrap_or_else(crate::commands::collect::default_known_hosts);
    if let Some(parent) = known_hosts_path.parent() {
        crate::private_fs::create_private_dir_all(parent)
            .map_err(|e| crate::errors::cannot_use_dir(parent, e))?;
    }
    let ctx = CollectContext {
        credentials: Arc::new(CredentialStore::open(None)?),
        known_hosts: Arc::new(
            KnownHosts::open(&known_hosts_path)?
                .accepting(parse_accepted(&remote.accept_host_key)?),
        ),
        strict_host_keys: remote.strict_host_keys,
        connect_timeout: Duration::from_secs(10),
        host_timeout: Duration::from_secs(300),
        request,
        plugged: plugged_collectors(),
        session_id: None,
    };
    let target = HostTarget {
        candidate: "-".to_owned(),
        role: role.clone(),
        transport: TransportKind::Ssh,
        address,
        port,
        user,
        cred: remote.cred.clone(),
        key: remote.ssh_key.as_ref().map(|k| k.display().to_string()),
        agent_path: None,
        sudo: remote.sudo,
        tls: None,
        ca_file: None,
        base_dn: None,
        sysvol: false,
        api_path: None,
        app_token_cred: None,
        output_limit: crate::inventory::DEFAULT_MAX_OUTPUT_MIB << 20,
        expected_identity: Default::default(),
    };
    crate::output::verbose(&tf("verbose.collect", &[("role", &role)]));
    // One host, one connection: no worker threads.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let collected = runtime
        .block_on(collect_host(&target, &ctx))
        .map_err(|error| CliError {
            status: ExitStatus::Failures,
            message: error.to_string(),
            hint: None,
        })?;
    drop(runtime);
    if let Some(dir) = keep_snapshot {
        crate::private_fs::create_private_dir_all(dir)
            .map_err(|e| crate::errors::cannot_use_dir(dir, e))?;
        let path = dir.join("snapshot.json");
        crate::session::write_atomically(&path, &collected.json)
            .map_err(|e| crate::errors::cannot_write(&path, e))?;
    }
    // Validated by the transport already.
    let text = String::from_utf8(collected.json)?;
    let snapshot = Snapshot::from_json(&text)?;
    drop(text);
    Ok(crate::grading::grade_snapshot(pack, role, "-", snapshot))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_urls_name_account_address_and_port() {
        let ok = |url: &str| parse_host(url).unwrap();
        assert_eq!(ok("ssh://10.0.0.5"), ("root".into(), "10.0.0.5".into(), 22));
        assert_eq!(
            ok("ssh://exam@vm1.tssr.lan:2222"),
            ("exam".into(), "vm1.tssr.lan".into(), 2222)
        );
        assert_eq!(
            ok("ssh://[fd00::5]:23/"),
            ("root".into(), "fd00::5".into(), 23)
        );
        for bad in [
            "10.0.0.5",
            "ssh://",
            "ssh://host:0",
            "ssh://host:x",
            "ssh://@host",
            "ssh://a b",
            "ssh://[::1",
            "ssh://host/path",
        ] {
            assert!(parse_host(bad).is_err(), "{bad}");
        }
    }
}
