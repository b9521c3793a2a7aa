//! The `constat` command: collection over transports, exam sessions, validation, schemas.
//!
//! `main.rs` only parses arguments and calls [`run`]; every subcommand lives in its own file
//! under `commands/`. User-facing text goes through [`i18n`] (French by default).

pub mod clap_i18n;
pub mod commands;
pub mod credentials;
pub mod errors;
pub mod exit_status;
pub mod grading;
pub mod i18n;
pub mod inventory;
pub mod local_input;
#[doc(hidden)]
pub mod one_language;
pub mod output;
pub mod pack_sources;
pub mod private_fs;
pub mod reports;
pub mod retranslate;
pub mod script_runner;
pub mod secret;
pub mod serve_pull;
pub mod session;
pub mod submit_client;
pub mod supervision_errors;
pub mod transport;

use clap::{Parser, Subcommand};
use exit_status::ExitStatus;
use std::io::Write;

/// Text shown after `constat --help`.
pub const AFTER_HELP: &str = "Codes de sortie :
  0  tout ce qui était demandé a été fait
  1  exécution terminée, mais des hôtes ou des contrôles ont échoué
  2  erreur d'utilisation ou d'entrée (arguments, inventaire invalide, fichier d'identifiants refusé)
  3  erreur d'entrée/sortie (fichier illisible ou impossible à écrire)

Les mots de passe ne se donnent jamais en ligne de commande : variables CONSTAT_CRED_<NOM>,
fichier d'identifiants en mode 0600, ou saisie interactive.";

/// constat : relevé de l'état réel des machines d'examen et évaluation indicative.
#[derive(Debug, Parser)]
#[command(
    name = "constat",
    version,
    about = "constat : relève l'état réel des machines d'examen et en donne une évaluation indicative",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// Format de sortie.
    #[arg(long, global = true, value_enum, default_value_t = output::Format::Human)]
    pub format: output::Format,
    /// Langue des messages.
    #[arg(long, global = true, value_enum, default_value_t = i18n::Lang::Fr)]
    pub lang: i18n::Lang,
    /// Couleurs du terminal (auto : si la sortie est un terminal et sans NO_COLOR).
    #[arg(long, global = true, value_enum, default_value_t = output::ColorChoice::Auto)]
    pub color: output::ColorChoice,
    /// Détaille les étapes sur la sortie d'erreur (pack chargé, relevé, fichiers écrits).
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// Commande.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Démonstration : relève cette machine, la note avec le pack `demo`, écrit constat-demo/report.html.
    Demo(commands::demo::DemoArgs),
    /// Relève cette machine et la note avec un pack (apprenant, formateur), avec indices.
    Check(commands::check::CheckArgs),
    /// Note des instantanés avec un pack et affiche ou écrit le rapport.
    Grade(commands::grade::GradeArgs),
    /// Relève un hôte et écrit son instantané (snapshot) JSON.
    Collect(commands::collect::CollectArgs),
    /// Convertit un export d'un système (config.xml pfSense/OPNsense, status.dat Nagios) en instantané.
    Import(commands::import::ImportArgs),
    /// Sessions d'examen : init, run, regrade, note, status, export, sign, verify.
    #[command(subcommand)]
    Session(commands::session::SessionCommand),
    /// Vérifie des packs de contrôles et des inventaires (toutes les erreurs, avec ligne et colonne).
    Validate(commands::validate::ValidateArgs),
    /// Documentation d'un type de contrôle ou d'un contrôle d'un pack intégré.
    Explain(commands::explain::ExplainArgs),
    /// Couverture des critères du référentiel par les packs.
    Coverage(commands::coverage::CoverageArgs),
    /// Propose un pack à partir de l'instantané d'une solution de référence.
    Propose(commands::propose::ProposeArgs),
    /// La classe en direct du formateur : serveur web, inscriptions, envois des apprenants.
    Serve(commands::serve::ServeArgs),
    /// Affiche les schémas JSON (instantané, inventaire, pack, rapport).
    Schema(commands::schema::SchemaArgs),
    /// Génère l'autocomplétion pour un shell.
    Completions(commands::completions::CompletionsArgs),
}

/// Runs a parsed command line, writing results on `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    i18n::set_lang(cli.lang);
    output::set_color(cli.color);
    output::set_verbose(cli.verbose);
    let format = cli.format;
    match cli.command {
        Command::Demo(args) => commands::demo::run(args, format, out),
        Command::Check(args) => commands::check::run(args, format, out),
        Command::Grade(args) => commands::grade::run(args, format, out),
        Command::Explain(args) => commands::explain::run(args, format, out),
        Command::Coverage(args) => commands::coverage::run(args, format, out),
        Command::Propose(args) => commands::propose::run(args, format, out),
        Command::Collect(args) => commands::collect::run(args, format, out),
        Command::Import(args) => commands::import::run(args, format, out),
        Command::Session(command) => commands::session::run(command, format, out),
        Command::Validate(args) => commands::validate::run(args, format, out),
        Command::Serve(args) => commands::serve::run(args, format, out),
        Command::Schema(args) => commands::schema::run(args, out),
        Command::Completions(args) => commands::completions::run(args, out),
    }
}

/// A tokio runtime for the commands that talk to hosts.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
