//! `constat collect`: one host → one snapshot file (`--transport
//! local|ssh|ldap|winrm|zabbix|icinga2|glpi|proxmox`).

use crate::credentials::CredentialStore;
use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::i18n::{t, tf};
use crate::inventory::{HostTarget, TlsMode, TransportKind};
use crate::output::{Format, write_json};
use crate::session::{sha256_hex, write_atomically};
use crate::transport::{
    CollectContext, KnownHosts, collect_host, parse_accepted, plugged_collectors,
};
use clap::{Args, ValueEnum};
use constat_snapshot::FileRequest;
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
    /// LDAP : lecture de l'annuaire d'un contrôleur de domaine (LDAPS par défaut).
    Ldap,
    /// WinRM : sonde PowerShell (jamais essayé sur un vrai Windows).
    Winrm,
    /// Zabbix : API JSON-RPC du serveur de supervision (lecture seule).
    Zabbix,
    /// Icinga2 : API REST du serveur de supervision (lecture seule).
    Icinga2,
    /// GLPI : API REST de l'outil d'assistance (tickets, base de connaissances ; lecture seule).
    Glpi,
    /// Proxmox VE : API REST de l'hyperviseur (VM, ressources, réseaux ; lecture seule, jeton d'API).
    Proxmox,
}

/// TLS policy on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CollectTls {
    /// Certificat vérifié (avec --ca-file ou les autorités du système).
    Verify,
    /// Certificat NON vérifié (DC de labo auto-signé) ; noté dans l'instantané.
    Insecure,
    /// Sans TLS (le mot de passe circule en clair).
    Plain,
}

/// Arguments of `collect`.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Transport.
    #[arg(long, value_enum, default_value_t = CollectTransport::Local)]
    pub transport: CollectTransport,
    /// Adresse de l'hôte (tous les transports sauf local).
    #[arg(long, required_if_eq_any([("transport", "ssh"), ("transport", "ldap"), ("transport", "winrm"), ("transport", "zabbix"), ("transport", "icinga2"), ("transport", "glpi"), ("transport", "proxmox")]))]
    pub address: Option<String>,
    /// Port (par défaut : ssh 22, ldap 636 ou 389 avec --tls plain, winrm 5985 ou 5986 en HTTPS, zabbix et glpi 443 ou 80 avec --tls plain, icinga2 5665, proxmox 8006).
    #[arg(long)]
    pub port: Option<u16>,
    /// Compte de connexion (par défaut root ; zabbix et glpi : aucun, --cred est alors un jeton d'API ; proxmox : l'identifiant du jeton USER@REALM!TOKENID, --cred son secret).
    #[arg(long)]
    pub user: Option<String>,
    /// Compte de liaison LDAP (`Administrator@tssr.lan`, `TSSR\Administrator` ou un DN) ;
    /// remplace --user.
    #[arg(long)]
    pub bind: Option<String>,
    /// Politique TLS (ldap et API : verify par défaut ; winrm : HTTPS si verify ou insecure).
    #[arg(long, value_enum)]
    pub tls: Option<CollectTls>,
    /// Autorités de certification (PEM) pour vérifier le certificat du serveur (ldap, zabbix, icinga2, glpi, proxmox ; --tls verify).
    #[arg(long)]
    pub ca_file: Option<PathBuf>,
    /// Chemin de l'API sur le serveur web (zabbix : /zabbix/api_jsonrpc.php ; glpi : /apirest.php).
    #[arg(long)]
    pub api_path: Option<String>,
    /// Nom de l'identifiant contenant le jeton d'application du client d'API (glpi, App-Token).
    #[arg(long)]
    pub app_token_cred: Option<String>,
    /// Contexte de nommage à lire (ldap), par ex. DC=tssr,DC=lan.
    #[arg(long)]
    pub base_dn: Option<String>,
    /// Ne pas lire SYSVOL (ldap).
    #[arg(long)]
    pub no_sysvol: bool,
    /// Obsolète, sans effet : les heures de connexion sont relevées en UTC et lues dans le
    /// fuseau de l'épreuve à la notation (accepté pour les scripts existants).
    #[arg(long, hide = true, allow_hyphen_values = true)]
    pub utc_offset_minutes: Option<i32>,
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
    /// Accepter la clé d'hôte de cette empreinte, vérifiée sur la machine (HÔTE=EMPREINTE tels
    /// que le refus les nomme ; répétable).
    #[arg(long, value_name = "HÔTE=EMPREINTE")]
    pub accept_host_key: Vec<String>,
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

pub(crate) fn default_known_hosts() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("constat/known_hosts")
}

/// Refuses options the chosen transport would ignore (nothing silent).
fn check_option_transports(
    args: &CollectArgs,
    transport: TransportKind,
    tls: Option<TlsMode>,
) -> Result<(), CliError> {
    let ldap = transport == TransportKind::Ldap;
    let api = matches!(
        transport,
        TransportKind::Zabbix
            | TransportKind::Icinga2
            | TransportKind::Glpi
            | TransportKind::Proxmox
    );
    for (option, set, allowed) in [
        (
            "--tls",
            tls.is_some() && !(ldap || api || transport == TransportKind::Winrm),
            "ldap, winrm, zabbix, icinga2, glpi, proxmox",
        ),
        (
            "--ca-file",
            args.ca_file.is_some() && !(ldap || api),
            "ldap, zabbix, icinga2, glpi, proxmox",
        ),
        (
            "--api-path",
            args.api_path.is_some()
                && !matches!(transport, TransportKind::Zabbix | TransportKind::Glpi),
            "zabbix, glpi",
        ),
        (
            "--app-token-cred",
            args.app_token_cred.is_some() && transport != TransportKind::Glpi,
            "glpi",
        ),
        ("--base-dn", args.base_dn.is_some() && !ldap, "ldap"),
        ("--no-sysvol", args.no_sysvol && !ldap, "ldap"),
    ] {
        if set {
            return Err(CliError::input(
                tf(
                    "inventory.option_not_for_transport",
                    &[
                        ("host", &"constat collect"),
                        ("option", &option),
                        ("transport", &transport.as_str()),
                    ],
                ),
                tf("inventory.option_transports_hint", &[("allowed", &allowed)]),
            ));
        }
    }
    if args.ca_file.is_some() && tls.is_some_and(|tls| tls != TlsMode::Verify) {
        return Err(CliError::input(
            tf(
                "inventory.ca_file_needs_verify",
                &[
                    ("host", &"constat collect"),
                    ("tls", &tls.unwrap_or_default().as_str()),
                ],
            ),
            t("inventory.ca_file_needs_verify_hint"),
        ));
    }
    Ok(())
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
        crate::private_fs::create_private_dir_all(parent)
            .map_err(|e| crate::errors::cannot_use_dir(parent, e))?;
    }
    let ctx = CollectContext {
        credentials: Arc::new(CredentialStore::open(args.credentials.as_deref())?),
        known_hosts: Arc::new(
            KnownHosts::open(&known_hosts_path)?.accepting(parse_accepted(&args.accept_host_key)?),
        ),
        strict_host_keys: args.strict_host_keys,
        connect_timeout: Duration::from_secs(args.connect_timeout),
        host_timeout: Duration::from_secs(args.timeout),
        request,
        plugged: plugged_collectors(),
        session_id: None,
    };
    let tls = args.tls.map(|tls| match tls {
        CollectTls::Verify => TlsMode::Verify,
        CollectTls::Insecure => TlsMode::Insecure,
        CollectTls::Plain => TlsMode::Plain,
    });
    let (transport, default_port) = match (args.transport, tls) {
        (CollectTransport::Local, _) => (TransportKind::Local, 0),
        (CollectTransport::Ssh, _) => (TransportKind::Ssh, 22),
        (CollectTransport::Ldap, Some(TlsMode::Plain)) => (TransportKind::Ldap, 389),
        (CollectTransport::Ldap, _) => (TransportKind::Ldap, 636),
        (CollectTransport::Winrm, Some(TlsMode::Verify | TlsMode::Insecure)) => {
            (TransportKind::Winrm, 5986)
        }
        (CollectTransport::Winrm, _) => (TransportKind::Winrm, 5985),
        (CollectTransport::Zabbix, Some(TlsMode::Plain)) => (TransportKind::Zabbix, 80),
        (CollectTransport::Zabbix, _) => (TransportKind::Zabbix, 443),
        (CollectTransport::Icinga2, _) => (TransportKind::Icinga2, 5665),
        (CollectTransport::Glpi, Some(TlsMode::Plain)) => (TransportKind::Glpi, 80),
        (CollectTransport::Glpi, _) => (TransportKind::Glpi, 443),
        (CollectTransport::Proxmox, _) => (TransportKind::Proxmox, 8006),
    };
    if let Some(path) = args.api_path.as_deref()
        && (!path.starts_with('/')
            || path.contains(['?', '#'])
            || path.chars().any(char::is_whitespace))
    {
        return Err(CliError::input(
            tf(
                "inventory.api_path_invalid",
                &[("host", &"constat collect"), ("value", &path)],
            ),
            t("inventory.api_path_invalid_hint"),
        )
        .into());
    }
    // Zabbix and GLPI read with an API token when no account is named; Proxmox's `--user`
    // is its token's id, required.
    let default_user = match transport {
        TransportKind::Zabbix | TransportKind::Glpi | TransportKind::Proxmox => "",
        _ => "root",
    };
    check_option_transports(&args, transport, tls)?;
    let target = HostTarget {
        candidate: "-".to_owned(),
        role: "host".to_owned(),
        transport,
        address: args.address.clone().unwrap_or_default(),
        port: args.port.unwrap_or(default_port),
        user: args
            .bind
            .clone()
            .or_else(|| args.user.clone())
            .unwrap_or_else(|| default_user.to_owned()),
        cred: args.cred.clone(),
        key: args.key.as_ref().map(|k| k.display().to_string()),
        agent_path: args.agent_path.clone(),
        sudo: args.sudo,
        tls,
        ca_file: args.ca_file.as_ref().map(|p| p.display().to_string()),
        base_dn: args.base_dn.clone(),
        sysvol: !args.no_sysvol,
        api_path: args.api_path.clone(),
        app_token_cred: args.app_token_cred.clone(),
        output_limit: crate::inventory::DEFAULT_MAX_OUTPUT_MIB << 20,
        expected_identity: Default::default(),
    };
    let collected = crate::runtime()?
        .block_on(collect_host(&target, &ctx))
        .map_err(|error| CliError {
            status: ExitStatus::Failures,
            message: error.to_string(),
            hint: None,
        })?;
    write_snapshot_file(
        &args.out,
        &collected.json,
        serde_json::json!({ "round_trips": collected.round_trips }),
        format,
        out,
    )?;
    Ok(ExitStatus::Success)
}

/// Writes a snapshot file (atomically, private) and tells where, with its sha256; in JSON,
/// `extra`'s fields are added to `file` and `sha256`.
pub(crate) fn write_snapshot_file(
    path: &std::path::Path,
    json: &[u8],
    extra: serde_json::Value,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    write_atomically(path, json).map_err(|e| {
        anyhow::Error::new(e).context(tf("collect.write_failed", &[("file", &path.display())]))
    })?;
    let sha = sha256_hex(json);
    match format {
        Format::Json => {
            let mut fields =
                serde_json::json!({ "file": path.display().to_string(), "sha256": sha });
            if let (Some(fields), serde_json::Value::Object(extra)) =
                (fields.as_object_mut(), extra)
            {
                fields.extend(extra);
            }
            write_json(out, &fields)?;
        }
        Format::Human => writeln!(
            out,
            "{}",
            tf(
                "collect.done",
                &[("file", &path.display()), ("sha256", &sha)]
            )
        )?,
    }
    Ok(())
}
