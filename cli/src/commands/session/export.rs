//! `constat session export DIR --out DIR`.

use crate::exit_status::ExitStatus;
use crate::i18n::tf;
use crate::output::{Format, write_json};
use crate::session::{SessionDir, export_session};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `session export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Dossier de session.
    pub dir: PathBuf,
    /// Dossier de destination (ne doit pas exister).
    #[arg(long)]
    pub out: PathBuf,
}

/// Copies and verifies.
pub(super) fn run(
    args: ExportArgs,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let files = export_session(&SessionDir::new(&args.dir), &args.out)?;
    match format {
        Format::Json => write_json(
            out,
            &serde_json::json!({ "out": args.out.display().to_string(), "files": files }),
        )?,
        Format::Human => writeln!(
            out,
            "{}",
            tf(
                "export.done",
                &[("dir", &args.out.display()), ("files", &files)]
            )
        )?,
    }
    Ok(ExitStatus::Success)
}
