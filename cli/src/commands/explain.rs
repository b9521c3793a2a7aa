//! `constat explain KIND|CHECK`: the documentation of a check kind, or of a check of an
//! embedded pack (title, critères, points, hint, explanation).

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::grading::load_pack;
use crate::i18n::tf;
use clap::Args;
use std::io::Write;

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Type de contrôle (ex. `user`, `firewall`) ou identifiant de contrôle d'un pack intégré.
    pub name: String,
}

/// Prints the documentation.
pub fn run(args: ExplainArgs, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    if let Some((_, doc)) = constat_checker_core::kind_docs()
        .into_iter()
        .find(|(kind, _)| *kind == args.name)
    {
        writeln!(out, "{}", doc.trim_end())?;
        return Ok(ExitStatus::Success);
    }
    for embedded in constat_checks::packs() {
        let pack = load_pack(embedded.id)?;
        if let Some(check) = pack.checks().find(|c| c.id == args.name) {
            writeln!(out, "{} — {}", check.id, check.title)?;
            writeln!(out, "pack : {} ({})", pack.id, pack.title)?;
            writeln!(out, "critères : {}", check.criteres.join(", "))?;
            writeln!(out, "hôtes : {}", check.hosts.join(", "))?;
            writeln!(out, "points : {}", check.points)?;
            if !check.requires.is_empty() {
                writeln!(out, "prérequis : {}", check.requires.join(", "))?;
            }
            if let Some(h) = &check.hint {
                writeln!(out, "indice : {h}")?;
            }
            if let Some(e) = &check.explanation {
                writeln!(out, "explication : {e}")?;
            }
            return Ok(ExitStatus::Success);
        }
    }
    let kinds: Vec<&str> = constat_checker_core::kind_docs()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    Err(CliError::input(
        tf("explain.unknown", &[("name", &args.name)]),
        tf("explain.unknown_hint", &[("kinds", &kinds.join(", "))]),
    )
    .into())
}
