//! `constat import`: turns what a system exported (a pfSense/OPNsense `config.xml`, a Nagios
//! `status.dat`) into a snapshot file, graded like any other with
//! `constat grade --snapshot ROLE=FILE` (issue 16: systems no transport reaches yet).

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::grading::now_rfc3339;
use crate::i18n::tf;
use crate::output::{Format, write_json};
use crate::session::{sha256_hex, write_atomically};
use clap::{Args, ValueEnum};
use std::io::{Read, Write};
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

/// Largest file read (the readers refuse more anyway; this bounds the read itself).
const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// Runs `import`.
pub fn run(args: ImportArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let file = args.file.display().to_string();
    let mut bytes = Vec::new();
    std::fs::File::open(&args.file)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            CliError::input(
                tf("import.unreadable", &[("file", &file), ("error", &e)]),
                tf("import.unreadable_hint", &[]),
            )
        })?;
    let now = now_rfc3339();
    let snapshot = match args.kind {
        ImportKind::Appliance => {
            constat_systems::appliance_snapshot(&bytes, &file, &now).map_err(|e| e.to_string())
        }
        ImportKind::Nagios => constat_systems::supervision::parse_nagios_status(&bytes, &file)
            .map(|s| {
                constat_systems::supervision::supervision_snapshot(s, &args.hostname, &file, &now)
            })
            .map_err(|e| e.to_string()),
    }
    .map_err(|message| CliError::input(message, tf("import.invalid_hint", &[])))?;
    let mut json = serde_json::to_vec_pretty(&snapshot)?;
    json.push(b'\n');
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    write_atomically(&args.out, &json).map_err(|e| {
        anyhow::Error::new(e).context(tf("collect.write_failed", &[("file", &args.out.display())]))
    })?;
    let sha = sha256_hex(&json);
    match format {
        Format::Json => write_json(
            out,
            &serde_json::json!({ "file": args.out.display().to_string(), "sha256": sha }),
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
