//! User-facing errors: a classified error with an optional "what to do" hint, the exit
//! status an error chain maps to, and the printer that shows a chain as "erreur : …",
//! "cause : …", "que faire : …".

use crate::exit_status::ExitStatus;
use crate::i18n::{os_errors, t};
use crate::output::Format;
use std::fmt;
use std::io::Write;

/// An error with its exit status and a hint for the user.
#[derive(Debug)]
pub struct CliError {
    /// Exit status this error maps to.
    pub status: ExitStatus,
    /// The message (already translated).
    pub message: String,
    /// What the user can do about it (already translated).
    pub hint: Option<String>,
}

impl CliError {
    /// An input error (exit 2) with a hint.
    pub fn input(message: impl Into<String>, hint: impl Into<String>) -> CliError {
        CliError {
            status: ExitStatus::InputError,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// A file that could not be written, named (exit 3: the OS error stays in the chain and is
/// printed as the cause, in the user's language).
pub fn cannot_write(path: &std::path::Path, error: std::io::Error) -> anyhow::Error {
    anyhow::Error::new(error).context(crate::i18n::tf(
        "file.write_failed",
        &[("file", &path.display())],
    ))
}

/// A directory that could not be created or read, named (exit 3).
pub fn cannot_use_dir(path: &std::path::Path, error: std::io::Error) -> anyhow::Error {
    anyhow::Error::new(error).context(crate::i18n::tf(
        "file.dir_failed",
        &[("dir", &path.display())],
    ))
}

/// Maps an error chain to an exit status: an I/O error anywhere in the chain is 3, anything
/// else (bad input, refused configuration) is 2.
pub fn status_of(error: &anyhow::Error) -> ExitStatus {
    if let Some(classified) = error.downcast_ref::<CliError>() {
        return classified.status;
    }
    if error
        .chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some())
    {
        return ExitStatus::IoError;
    }
    ExitStatus::InputError
}

/// A hint attached as context to any error (`.context(Hint(...))` would lose the message, so
/// hints travel inside [`CliError`] or are found by [`hint_of`]).
fn hint_of(error: &anyhow::Error) -> Option<String> {
    error
        .chain()
        .find_map(|cause| cause.downcast_ref::<CliError>())
        .and_then(|e| e.hint.clone())
}

/// Prints an error chain on `out` and returns the exit status it maps to.
pub fn report(error: &anyhow::Error, format: Format, out: &mut dyn Write) -> ExitStatus {
    let status = status_of(error);
    let mut chain = error.chain().map(|c| c.to_string());
    let first = chain.next().unwrap_or_default();
    let causes: Vec<String> = chain.collect();
    let hint = hint_of(error);
    let _ = match format {
        Format::Json => {
            let causes: Vec<String> = causes.iter().map(|c| os_errors(c)).collect();
            let value = serde_json::json!({
                "error": os_errors(&first),
                "causes": causes,
                "hint": hint,
                "exit_code": status.code(),
            });
            writeln!(out, "{value}")
        }
        Format::Human => {
            // OS errors (`Connection refused (os error 111)`) in the user's language too.
            let sep = t("label.separator");
            let mut text = format!("{}{sep}{}\n", t("label.error"), os_errors(&first));
            for cause in &causes {
                text.push_str(&format!("{}{sep}{}\n", t("label.cause"), os_errors(cause)));
            }
            if let Some(hint) = &hint {
                text.push_str(&format!("{}{sep}{hint}\n", t("label.hint")));
            }
            // Messages carry host-derived text (collector errors, hostnames): no raw control
            // character reaches the examiner's terminal.
            out.write_all(constat_checker_core::render::escape::terminal_lines(&text).as_bytes())
        }
    };
    status
}
