//! Shared helper of the network-facing collectors: run a read-only command, get its text.

use crate::command::CommandError;
use crate::host::Host;
use std::time::Duration;

/// Time limit of one command.
pub(crate) const COMMAND_TIMEOUT: Duration = Duration::from_secs(8);

/// Why a command gave no usable text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CommandFailure {
    /// The program is not installed (or the host is offline).
    Unavailable(CommandError),
    /// It ran and failed: the message names the command, its exit status and its stderr.
    Failed(String),
}

impl std::fmt::Display for CommandFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandFailure::Unavailable(e) => write!(f, "{e}"),
            CommandFailure::Failed(m) => f.write_str(m),
        }
    }
}

/// Runs `program args…` on the host; the standard output when it exits with status 0.
pub(crate) fn run_text(
    host: &dyn Host,
    program: &str,
    args: &[&str],
) -> Result<String, CommandFailure> {
    let out = host
        .run(program, args, COMMAND_TIMEOUT)
        .map_err(|e| match e {
            CommandError::NotFound { .. } | CommandError::Offline { .. } => {
                CommandFailure::Unavailable(e)
            }
            other => CommandFailure::Failed(other.to_string()),
        })?;
    if out.success() {
        return Ok(out.stdout);
    }
    let status = out.code.map_or_else(
        || "killed by a signal".to_owned(),
        |c| format!("exit status {c}"),
    );
    let stderr = out.stderr.trim();
    let command = std::iter::once(program)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    Err(CommandFailure::Failed(if stderr.is_empty() {
        format!("`{command}` failed ({status})")
    } else {
        format!("`{command}` failed ({status}): {stderr}")
    }))
}
