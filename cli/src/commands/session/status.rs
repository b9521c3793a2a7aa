//! `constat session status DIR`.

use crate::exit_status::ExitStatus;
use crate::output::{Format, write_json};
use crate::session::{SessionDir, status_grid};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `session status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Dossier de session.
    pub dir: PathBuf,
}

/// Prints the grid.
pub(super) fn run(
    args: StatusArgs,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let grid = status_grid(&SessionDir::new(&args.dir))?;
    match format {
        Format::Json => write_json(out, &grid)?,
        Format::Human => out.write_all(grid.to_text().as_bytes())?,
    }
    Ok(ExitStatus::Success)
}
