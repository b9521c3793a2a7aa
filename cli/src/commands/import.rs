//! `constat import`: turns what a system exported (a pfSense/OPNsense `config.xml`, a Nagios
//! `status.dat`) into a snapshot file, graded like any other with
//! `constat grade --snapshot ROLE=FILE` (issue 16: systems no transport reaches yet).

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::grading::now_rfc3339;
use crate::i18n::tf;
use crate::local_input::{InputKind, read_local};
use crate::output::Format;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// What the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportKind {
    /// Sauvegarde config.xml d'un pare-feu pfSense ou OPNsense.
    Appliance,
    /// Fichier status.dat de Nagios.
    Nagios,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Type de fichier.
    #[arg(value_enum)]
    pub kind: ImportKind,
    /// Fichier exporté par le système.
    pub file: PathBuf,
    /// Instantané JSON à écrire.
    #[arg(long)]
    pub out: PathBuf,
    /// Nom de l'hôte dans l'instantané (nagios ; un config.xml donne le sien).
    #[arg(long, default_value = "supervision")]
    pub hostname: String,
}

/// Runs `import`.
pub fn run(args: ImportArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let file = args.file.display().to_string();
    // A regular file only (never a FIFO or a device), bounded, UTF-8: what the examiner is
    // handed comes from the candidate's system.
    let bytes = read_local(&args.file, InputKind::Export)?.into_bytes();
    let now = now_rfc3339();
    let snapshot = match args.kind {
        ImportKind::Appliance => {
            constat_systems::appliance_snapshot(&bytes, &file, &now).map_err(|e| e.to_string())
        }
        ImportKind::Nagios => constat_systems::supervision::parse_nagios_status(&bytes, &file)
            .map(|s| {
                constat_systems::supervision::supervision_snapshot(s, &args.hostname, &file, &now)
            })
            .map_err(|e| crate::supervision_errors::supervision_error(&e)),
    }
    .map_err(|message| CliError::input(message, tf("import.invalid_hint", &[])))?;
    // Scrubbed like every collected snapshot (descriptions and comments are candidate text).
    let mut snapshot = snapshot;
    constat_snapshot::secrets::scrub_sections(&mut snapshot.sections)
        .map_err(anyhow::Error::msg)?;
    let mut json = serde_json::to_vec_pretty(&snapshot)?;
    json.push(b'\n');
    super::collect::write_snapshot_file(&args.out, &json, serde_json::json!({}), format, out)?;
    Ok(ExitStatus::Success)
}
