//! A shell script run for a service lab (Zabbix, Icinga2, PostgreSQL): its standard output,
//! or an error naming the step with the exit status and both outputs. The daemons such a
//! script starts inherit no descriptor but the standard ones ([`crate::daemon`]).

use std::process::{Command, Stdio};

/// Runs `script` with `sh -c`, stdin closed; `what` names the step in the error.
pub(crate) fn sh(what: &str, script: &str) -> Result<String, String> {
    output(what, crate::daemon::command("sh").arg("-c").arg(script))
}

/// Runs `command` (started through [`crate::daemon::command`]) with stdin closed: its
/// standard output, or an error naming `what` with the exit status and both outputs.
pub(crate) fn output(what: &str, command: &mut Command) -> Result<String, String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
