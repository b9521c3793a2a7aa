//! `constat session init --inventory FILE [--candidates FILE.csv] DIR`.

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::i18n::{t, tf};
use crate::inventory::{import_candidates, load_inventory, parse_inventory, resolve_hosts};
use crate::output::{Format, write_json};
use crate::session::{SessionDir, write_atomically};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `session init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Inventaire (YAML).
    #[arg(long)]
    pub inventory: PathBuf,
    /// Liste des candidats (CSV : id,name[,variable…]) ajoutée à l'inventaire.
    #[arg(long)]
    pub candidates: Option<PathBuf>,
    /// Dossier de session à créer.
    pub dir: PathBuf,
}

/// Creates the session directory.
pub(super) fn run(
    args: InitArgs,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let mut inventory = load_inventory(&args.inventory)?;
    if let Some(csv) = &args.candidates {
        let imported = import_candidates(csv)?;
        inventory.candidates.extend(imported);
    }
    let dir = SessionDir::new(&args.dir);
    if dir.inventory().exists() {
        return Err(CliError::input(
            tf("init.exists", &[("dir", &args.dir.display())]),
            t("init.exists_hint"),
        )
        .into());
    }
    // JSON is YAML: the stored inventory reads back with the same loader and checks.
    let mut text = serde_json::to_string_pretty(&inventory)?;
    text.push('\n');
    let origin = dir.inventory().display().to_string();
    parse_inventory(&text, &origin)?;
    let hosts = resolve_hosts(&inventory)?;
    crate::private_fs::create_private_dir_all(dir.root())
        .map_err(|e| crate::errors::cannot_use_dir(dir.root(), e))?;
    write_atomically(&dir.inventory(), text.as_bytes())
        .map_err(|e| crate::errors::cannot_write(&dir.inventory(), e))?;
    match format {
        Format::Json => write_json(
            out,
            &serde_json::json!({
                "session": inventory.session.id,
                "dir": args.dir.display().to_string(),
                "candidates": inventory.candidates.len(),
                "hosts": hosts.len(),
            }),
        )?,
        Format::Human => writeln!(
            out,
            "{}",
            tf(
                "init.done",
                &[
                    ("dir", &args.dir.display()),
                    ("candidates", &inventory.candidates.len()),
                    ("hosts", &hosts.len()),
                ],
            )
        )?,
    }
    Ok(ExitStatus::Success)
}
