//! `constat serve`: the trainer's live class (a thin shell over `constat-serve`): starts the
//! web server (pull mode through the session engine, [`crate::serve_pull`]), or creates a
//! trainer account with `--create-trainer NAME`; with `--database postgres://…` both use
//! the shared PostgreSQL database, whose password comes from a credential source
//! (`--database-cred NAME`, else `PGPASSWORD`), never from the URL.

use crate::credentials::CredentialStore;
use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::i18n::{t, tf};
use crate::output::Format;
use crate::serve_pull::SessionPullEngine;
use clap::Args;
use constat_serve::server::{ServeConfig, create_trainer, serve_with};
use constat_serve::state::Limits;
use constat_serve::store::PgTarget;
use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Threads of the server's blocking pool.
const MAX_BLOCKING_THREADS: usize = 8;

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Adresse et port d'écoute (par défaut la boucle locale ; 0.0.0.0:8443 pour la salle).
    #[arg(long, default_value = "127.0.0.1:8443")]
    pub listen: SocketAddr,
    /// Dossier des données : base SQLite, certificat (par défaut ~/.local/share/constat/serve).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// HTTP sans TLS, derrière un proxy inverse qui fait le TLS.
    #[arg(long)]
    pub plain_http: bool,
    /// Base PostgreSQL partagée au lieu du fichier SQLite, pour plusieurs instances derrière un répartiteur : postgres://UTILISATEUR@HÔTE:PORT/BASE (?sslmode=require pour TLS, ?sslmode=verify-full pour vérifier le serveur) ; pas de mot de passe dans l'URL.
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Nom de l'identifiant qui contient le mot de passe PostgreSQL (CONSTAT_CRED_<NOM>, fichier --credentials, ou saisie) ; sans lui, PGPASSWORD.
    #[arg(long, value_name = "NOM", requires = "database")]
    pub database_cred: Option<String>,
    /// Certificats d'autorité (PEM) qui signent celui du serveur PostgreSQL, avec ?sslmode=verify-full ; sans lui, ceux du système.
    #[arg(long, value_name = "FICHIER", requires = "database")]
    pub database_ca: Option<PathBuf>,
    /// Fichier d'identifiants (YAML `nom: mot de passe`, mode 0600) : mot de passe PostgreSQL (--database-cred) et VM relevées par SSH (mode relevé), lu au démarrage.
    #[arg(long, env = "CONSTAT_CREDENTIALS", value_name = "FICHIER")]
    pub credentials: Option<PathBuf>,
    /// Clé privée SSH que les inventaires des classes peuvent nommer (key:), par chemin ou nom de fichier ; répétable.
    #[arg(long = "pull-key", value_name = "FICHIER")]
    pub pull_keys: Vec<PathBuf>,
    /// Crée un compte formateur (mot de passe demandé, ou lu sur l'entrée standard) puis s'arrête.
    #[arg(long, value_name = "NOM")]
    pub create_trainer: Option<String>,
}

/// The data directory: `--data`, else `$XDG_DATA_HOME/constat/serve`, else
/// `~/.local/share/constat/serve`.
fn data_dir(args: &ServeArgs) -> anyhow::Result<PathBuf> {
    if let Some(dir) = &args.data {
        return Ok(dir.clone());
    }
    if let Some(base) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(base).join("constat/serve"));
    }
    match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".local/share/constat/serve")),
        None => Err(CliError::input(t("serve.no_data_dir"), t("serve.no_data_dir_hint")).into()),
    }
}

/// The new trainer's password: typed twice on a terminal, else the first line of stdin
/// (never on the command line).
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(t("serve.password_prompt"))?;
        let again = rpassword::prompt_password(t("serve.password_again"))?;
        if first != again {
            return Err(
                CliError::input(t("serve.password_mismatch"), t("serve.password_hint")).into(),
            );
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The PostgreSQL target of `--database`, with its password from `--database-cred NAME`
/// (environment, credentials file, prompt) or else `PGPASSWORD`.
fn database(args: &ServeArgs) -> anyhow::Result<Option<PgTarget>> {
    let Some(url) = &args.database else {
        return Ok(None);
    };
    let password = match &args.database_cred {
        Some(name) => Some(
            CredentialStore::open(args.credentials.as_deref())?
                .get(name)?
                .expose()
                .to_owned(),
        ),
        None => std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()),
    };
    let target = PgTarget::parse_verified(url, password.as_deref(), args.database_ca.as_deref())
        .map_err(|e| {
            CliError::input(
                tf("serve.bad_database", &[("error", &e)]),
                t("serve.bad_database_hint"),
            )
        })?;
    Ok(Some(target))
}

/// Runs `serve`.
pub fn run(args: ServeArgs, _format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let data = data_dir(&args)?;
    let database = database(&args)?;
    // Blocking calls (the store's, behind one connection; grading; argon2) need few
    // threads: each one kept alive holds its own allocator heap (see BENCHMARKS.md).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()?;
    if let Some(name) = &args.create_trainer {
        let password = read_password()?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        runtime
            .block_on(create_trainer(
                &data,
                database.as_ref(),
                name,
                &password,
                now,
            ))
            .map_err(|e| {
                CliError::input(
                    tf("serve.create_failed", &[("error", &e)]),
                    t("serve.password_hint"),
                )
            })?;
        writeln!(
            out,
            "{}",
            tf(
                "serve.trainer_created",
                &[
                    ("name", name),
                    (
                        "data",
                        &database
                            .as_ref()
                            .map_or_else(|| data.display().to_string(), |d| d.shown().to_owned())
                    )
                ]
            )
        )?;
        return Ok(ExitStatus::Success);
    }
    let engine = SessionPullEngine::new(args.credentials.as_deref(), args.pull_keys.clone())
        .map_err(|e| e.context(t("serve.credentials")))?;
    let config = ServeConfig {
        listen: args.listen,
        data_dir: data,
        database,
        plain_http: args.plain_http,
        limits: Limits::default(),
    };
    let scheme = if args.plain_http { "http" } else { "https" };
    runtime
        .block_on(serve_with(config, Some(Arc::new(engine)), |started| {
            let mut lines = vec![tf(
                "serve.listening",
                &[
                    ("url", &format!("{scheme}://{}/", started.local_addr)),
                    ("db", &started.database),
                ],
            )];
            if let Some(fingerprint) = &started.fingerprint {
                lines.push(tf("serve.fingerprint", &[("fingerprint", fingerprint)]));
            }
            // Printed and flushed at once: a script waits for these lines.
            let mut stdout = std::io::stdout().lock();
            for line in lines {
                let _ = writeln!(stdout, "{line}");
            }
            let _ = stdout.flush();
        }))
        .map_err(|e| {
            anyhow::Error::new(CliError::input(
                tf("serve.failed", &[("error", &e)]),
                t("serve.failed_hint"),
            ))
        })?;
    Ok(ExitStatus::Success)
}
