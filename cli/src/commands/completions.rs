//! `constat completions <shell>`: shell completion script on stdout.

use crate::Cli;
use crate::exit_status::ExitStatus;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::io::Write;

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell (bash, zsh, fish, elvish, powershell).
    pub shell: Shell,
}

/// Prints the completion script.
pub fn run(args: CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "constat", out);
    Ok(ExitStatus::Success)
}
