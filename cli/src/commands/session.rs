//! `constat session …`: the subcommands of exam sessions, one file each under `session/`.

mod export;
mod init;
mod note;
mod regrade;
mod run;
mod sign;
mod status;
mod verify;

use crate::exit_status::ExitStatus;
use crate::output::Format;
use clap::Subcommand;
use std::io::Write;

/// `session` subcommands.
#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Crée le dossier de session à partir d'un inventaire (et d'une liste CSV de candidats).
    Init(init::InitArgs),
    /// Relève tous les hôtes d'une phase (début ou fin d'épreuve).
    Run(run::RunArgs),
    /// Note de nouveau les instantanés enregistrés (pack corrigé), sans toucher aux VM.
    Regrade(regrade::RegradeArgs),
    /// Enregistre une note du jury (neutralisation, décision), signée avec le manifeste.
    Note(note::NoteArgs),
    /// Affiche la grille candidats × rôles × phases.
    Status(status::StatusArgs),
    /// Copie la session (instantanés, manifeste, signature) et vérifie la copie.
    Export(export::ExportArgs),
    /// Signe le manifeste avec la clé ed25519 de l'examinateur.
    Sign(sign::SignArgs),
    /// Vérifie les sha256 de chaque instantané et la signature du manifeste.
    Verify(verify::VerifyArgs),
}

/// Runs a `session` subcommand.
pub fn run(
    command: SessionCommand,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    match command {
        SessionCommand::Init(args) => init::run(args, format, out),
        SessionCommand::Run(args) => run::run(args, format, out),
        SessionCommand::Regrade(args) => regrade::run(args, format, out),
        SessionCommand::Note(args) => note::run(args, format, out),
        SessionCommand::Status(args) => status::run(args, format, out),
        SessionCommand::Export(args) => export::run(args, format, out),
        SessionCommand::Sign(args) => sign::run(args, format, out),
        SessionCommand::Verify(args) => verify::run(args, format, out),
    }
}
