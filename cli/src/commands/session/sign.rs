//! `constat session sign DIR --key FILE`.

use crate::exit_status::ExitStatus;
use crate::i18n::tf;
use crate::output::{Format, write_json};
use crate::session::{SessionDir, sign_manifest};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `session sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Dossier de session.
    pub dir: PathBuf,
    /// Clé privée ed25519 de l'examinateur (format OpenSSH, non chiffrée).
    #[arg(long)]
    pub key: PathBuf,
}

/// Signs the manifest.
pub(super) fn run(
    args: SignArgs,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let dir = SessionDir::new(&args.dir);
    let signature = sign_manifest(&dir, &args.key)?;
    match format {
        Format::Json => write_json(out, &signature)?,
        Format::Human => writeln!(
            out,
            "{}",
            tf(
                "sign.done",
                &[
                    ("file", &dir.signature().display()),
                    ("key", &signature.public_key)
                ]
            )
        )?,
    }
    Ok(ExitStatus::Success)
}
