//! `constat collect`: one host → one snapshot file (`--transport local|ssh`).

use crate::credentials::CredentialStore;
use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::i18n::tf;
use crate::inventory::{HostTarget, TransportKind};
use crate::output::{Format, write_json};
use crate::session::{sha256_hex, write_atomically};
use crate::transport::{CollectContext, KnownHosts, collect_host};
use clap::{Args, ValueEnum};
use constat_snapshot::FileRequest;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Transports available to `collect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CollectTransport {
    /// Cette machine (agent exécuté dans le processus).
    Local,
    /// SSH : dépôt et exécution de l'agent.
    Ssh,
}

/// Arguments of `collect`.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Transport.
    #[arg(long, value_enum, default_value_t = CollectTransport::Local)]
    pub transport: CollectTransport,
    /// Adresse de l'hôte (ssh).
    #[arg(long, required_if_eq("transport", "ssh"))]
    pub address: Option<String>,
    /// Port SSH.
    #[arg(long, default_value_t = 22)]
    pub port: u16,
    /// Compte de connexion.
    #[arg(long, default_value = "root")]
    pub user: String,
    /// Nom de l'identifiant (mot de passe) : CONSTAT_CRED_<NOM>, fichier d'identifiants ou saisie.
    #[arg(long)]
    pub cred: Option<String>,
    /// Clé privée SSH.
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// Agent déjà installé sur l'hôte (rien n'est déposé).
    #[arg(long)]
    pub agent_path: Option<String>,
    /// Lancer l'agent avec `sudo -S` (mot de passe de --cred).
    #[arg(long)]
    pub sudo: bool,
    /// Fichier d'identifiants (YAML `nom: mot de passe`, mode 0600).
    #[arg(long, env = "CONSTAT_CREDENTIALS")]
    pub credentials: Option<PathBuf>,
    /// Fichier known_hosts (par défaut ~/.local/share/constat/known_hosts).
    #[arg(long)]
    pub known_hosts: Option<PathBuf>,
    /// Refuser les clés d'hôte inconnues.
    #[arg(long)]
    pub strict_host_keys: bool,
    /// Délai de connexion, en secondes.
    #[arg(long, default_value_t = 10)]
    pub connect_timeout: u64,
    /// Délai total pour l'hôte, en secondes.
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
    /// Fichier de requête JSON {"paths": [...]} (fichiers sur lesquels l'agent renseigne).
    #[arg(long)]
    pub request: Option<PathBuf>,
    /// Fichier instantané à écrire.
    #[arg(long, short)]
    pub out: PathBuf,
}

fn default_known_hosts() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("constat/known_hosts")
}

/// Collects the host and writes the snapshot.
pub fn run(args: CollectArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let request = match &args.request {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                anyhow::Error::new(e).context(tf(
                    "collect.request_unreadable",
                    &[("file", &path.display())],
                ))
            })?;
            serde_json::from_str::<FileRequest>(&text).map_err(|e| {
                anyhow::Error::new(e)
                    .context(tf("collect.request_invalid", &[("file", &path.display())]))
            })?
        }
        None => FileRequest::default(),
    };
    let known_hosts_path = args.known_hosts.clone().unwrap_or_else(default_known_hosts);
    if let Some(parent) = known_hosts_path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let ctx = CollectContext {
        credentials: Arc::new(CredentialStore::open(args.credentials.as_deref())?),
        known_hosts: Arc::new(KnownHosts::open(&known_hosts_path)?),
        strict_host_keys: args.strict_host_keys,
        connect_timeout: Duration::from_secs(args.connect_timeout),
        host_timeout: Duration::from_secs(args.timeout),
        request,
        plugged: BTreeMap::new(),
    };
    let target = HostTarget {
        candidate: "-".to_owned(),
        role: "host".to_owned(),
        transport: match args.transport {
            CollectTransport::Local => TransportKind::Local,
            CollectTransport::Ssh => TransportKind::Ssh,
        },
        address: args.address.clone().unwrap_or_default(),
        port: args.port,
        user: args.user.clone(),
        cred: args.cred.clone(),
        key: args.key.as_ref().map(|k| k.display().to_string()),
        agent_path: args.agent_path.clone(),
        sudo: args.sudo,
    };
    let collected = crate::runtime()?
        .block_on(collect_host(&target, &ctx))
        .map_err(|error| CliError {
            status: ExitStatus::Failures,
            message: error.to_string(),
            hint: None,
        })?;
    write_atomically(&args.out, &collected.json).map_err(|e| {
        anyhow::Error::new(e).context(tf("collect.write_failed", &[("file", &args.out.display())]))
    })?;
    let sha = sha256_hex(&collected.json);
    match format {
        Format::Json => write_json(
            out,
            &serde_json::json!({ "file": args.out.display().to_string(), "sha256": sha, "round_trips": collected.round_trips }),
        )?,
        Format::Human => writeln!(
            out,
            "{}",
            tf(
                "collect.done",
                &[("file", &args.out.display()), ("sha256", &sha)]
            )
        )?,
    }
    Ok(ExitStatus::Success)
}
