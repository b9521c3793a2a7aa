//! `constat completions <shell>`: shell completion script on stdout.

use crate::exit_status::ExitStatus;
use clap::Args;
use clap_complete::Shell;
use std::io::Write;

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell (bash, zsh, fish, elvish, powershell).
    pub shell: Shell,
}

/// Prints the completion script. It is generated in memory first: clap_complete panics when
/// its writer fails, and a closed pipe (`constat completions bash | head -1`) must be the
/// ordinary broken-pipe exit, not a panic.
pub fn run(args: CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let mut command = crate::clap_i18n::command(crate::i18n::lang());
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "constat", &mut script);
    out.write_all(&script)?;
    Ok(ExitStatus::Success)
}
