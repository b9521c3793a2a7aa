//! `constat session verify DIR [--signer FILE.pub]`.

use crate::exit_status::ExitStatus;
use crate::i18n::{t, tf};
use crate::output::{Format, write_json};
use crate::session::{SessionDir, verify_session};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `session verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Dossier de session.
    pub dir: PathBuf,
    /// Clé publique attendue du signataire (fichier .pub OpenSSH) : la signature devient obligatoire.
    #[arg(long)]
    pub signer: Option<PathBuf>,
}

/// Verifies; exit 1 when anything does not match.
pub(super) fn run(
    args: VerifyArgs,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let expected = match &args.signer {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            anyhow::Error::new(e)
                .context(tf("verify.signer_unreadable", &[("file", &path.display())]))
        })?),
        None => None,
    };
    let report = verify_session(&SessionDir::new(&args.dir), expected.as_deref())?;
    match format {
        Format::Json => write_json(out, &report)?,
        Format::Human => {
            writeln!(
                out,
                "{}",
                tf(
                    "verify.summary",
                    &[
                        ("files", &report.files_checked),
                        (
                            "signature",
                            &match report.signature.as_str() {
                                "valid" => t("verify.state.valid"),
                                "invalid" => t("verify.state.invalid"),
                                _ => t("verify.state.absent"),
                            },
                        )
                    ],
                )
            )?;
            for problem in &report.problems {
                writeln!(out, "  {problem}")?;
            }
            if report.problems.is_empty() {
                writeln!(out, "{}", t("verify.ok"))?;
            }
        }
    }
    Ok(if report.problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failures
    })
}
