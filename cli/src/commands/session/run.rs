//! `constat session run DIR --phase start|end [--resume]`.

use crate::exit_status::ExitStatus;
use crate::i18n::{t, tf};
use crate::output::{Format, write_json};
use crate::session::{
    Manifest, Phase, ProgressMode, RunOptions, SessionDir, grade_session_with, run_phase,
};
use clap::Args;
use constat_checker_core::render::escape::terminal as visible;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `session run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Dossier de session.
    pub dir: PathBuf,
    /// Phase relevée.
    #[arg(long, value_enum)]
    pub phase: Phase,
    /// Ne relever que les hôtes pas encore relevés (fichier présent et sha256 correct).
    #[arg(long)]
    pub resume: bool,
    /// Hôtes relevés en même temps (défaut : inventaire, 16).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Refuser les clés d'hôte inconnues.
    #[arg(long)]
    pub strict_host_keys: bool,
    /// Accepter la clé d'hôte de cette empreinte, vérifiée sur la machine (HÔTE=EMPREINTE tels
    /// que le refus les nomme ; répétable).
    #[arg(long, value_name = "HÔTE=EMPREINTE")]
    pub accept_host_key: Vec<String>,
    /// Fichier d'identifiants (YAML `nom: mot de passe`, mode 0600).
    #[arg(long, env = "CONSTAT_CREDENTIALS")]
    pub credentials: Option<PathBuf>,
    /// Délai total par hôte, en secondes (défaut : inventaire).
    #[arg(long)]
    pub host_timeout: Option<u64>,
    /// Délai de connexion, en secondes (défaut : inventaire).
    #[arg(long)]
    pub connect_timeout: Option<u64>,
    /// Pas de barres de progression.
    #[arg(long)]
    pub quiet: bool,
    /// Seulement ces candidats (séparés par des virgules) ; les relevés des autres sont gardés.
    #[arg(long, value_delimiter = ',', value_name = "ID,ID")]
    pub candidates: Vec<String>,
    /// Seulement ces rôles (séparés par des virgules).
    #[arg(long, value_delimiter = ',', value_name = "ROLE,ROLE")]
    pub roles: Vec<String>,
    /// Rapports à écrire.
    #[command(flatten)]
    pub reports: crate::reports::ReportArgs,
}

/// Runs the phase and prints the summary of hosts.
pub(super) fn run(
    args: RunArgs,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let files = crate::reports::SessionReports::from_args(&args.reports)?;
    let dir = SessionDir::new(&args.dir);
    let options = RunOptions {
        phase: args.phase,
        resume: args.resume,
        concurrency: args.concurrency,
        strict_host_keys: args.strict_host_keys,
        accepted_host_keys: crate::transport::parse_accepted(&args.accept_host_key)?,
        credentials_file: args.credentials.clone(),
        host_timeout_s: args.host_timeout,
        connect_timeout_s: args.connect_timeout,
        progress: if args.quiet || format == Format::Json {
            ProgressMode::Quiet
        } else {
            ProgressMode::Auto
        },
        candidates: args.candidates.clone(),
        roles: args.roles.clone(),
    };
    let summary = crate::runtime()?.block_on(run_phase(&dir, &options))?;
    let manifest = Manifest::load(&dir.manifest())?;
    let graded = grade_session_with(&dir, &manifest, &files)?;
    match format {
        Format::Json => write_json(out, &summary)?,
        Format::Human => {
            writeln!(
                out,
                "{}",
                tf(
                    "run.summary",
                    &[
                        ("phase", &args.phase.label()),
                        ("collected", &summary.collected.len()),
                        ("skipped", &summary.skipped.len()),
                        ("failed", &summary.failed.len()),
                        (
                            "seconds",
                            &format!("{:.1}", summary.duration_ms as f64 / 1000.0)
                        ),
                    ],
                )
            )?;
            graded.write_graded(out)?;
            if !summary.failed.is_empty() {
                writeln!(out, "{}", t("run.failures"))?;
                for failed in &summary.failed {
                    writeln!(
                        out,
                        "  {}{}{}",
                        visible(&failed.host),
                        t("label.separator"),
                        visible(&failed.error.to_string())
                    )?;
                }
                writeln!(out, "{}", t("run.resume_hint"))?;
            }
        }
    }
    Ok(if summary.failed.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failures
    })
}
