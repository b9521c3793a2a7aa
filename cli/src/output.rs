//! Output format (`--format human|json`) and small helpers to print results.

use clap::ValueEnum;
use serde::Serialize;
use std::io::Write;

/// How results are printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Texte lisible (en français par défaut).
    #[default]
    Human,
    /// Un document JSON, pour les scripts.
    Json,
}

/// Writes `value` as pretty JSON followed by a newline.
pub fn write_json(out: &mut dyn Write, value: &impl Serialize) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    text.push('\n');
    out.write_all(text.as_bytes())
}

/// When to colour the terminal output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Couleurs si la sortie est un terminal et que NO_COLOR n'est pas défini.
    #[default]
    Auto,
    /// Toujours (même redirigé, même avec NO_COLOR).
    Always,
    /// Jamais.
    Never,
}

/// Whether to colour stdout: `always`/`never` as asked; `auto` colours a terminal unless
/// `NO_COLOR` is set to a non-empty value (https://no-color.org), and never for JSON.
pub fn use_color(choice: ColorChoice, format: Format, no_color: Option<&str>, tty: bool) -> bool {
    if format == Format::Json {
        return false;
    }
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && no_color.is_none_or(str::is_empty),
    }
}

static COLOR: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);
static VERBOSE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records `--color` for the rest of the process.
pub fn set_color(choice: ColorChoice) {
    let v = match choice {
        ColorChoice::Auto => 0,
        ColorChoice::Always => 1,
        ColorChoice::Never => 2,
    };
    COLOR.store(v, std::sync::atomic::Ordering::Relaxed);
}

/// Whether stdout gets colours for `format` (from `--color`, `NO_COLOR` and the terminal).
pub fn stdout_color(format: Format) -> bool {
    let choice = match COLOR.load(std::sync::atomic::Ordering::Relaxed) {
        1 => ColorChoice::Always,
        2 => ColorChoice::Never,
        _ => ColorChoice::Auto,
    };
    let no_color = std::env::var("NO_COLOR").ok();
    let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
    use_color(choice, format, no_color.as_deref(), tty)
}

/// Records `--verbose` for the rest of the process.
pub fn set_verbose(on: bool) {
    VERBOSE.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Prints a step on stderr when `--verbose` was given (terminal-escaped).
pub fn verbose(text: &str) {
    if VERBOSE.load(std::sync::atomic::Ordering::Relaxed) {
        let line = constat_checker_core::render::escape::terminal_lines(text);
        eprintln!("{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `NO_COLOR` and `--color auto|always|never` (issue 14 item 7).
    #[test]
    fn colour_follows_the_flag_no_color_and_the_terminal() {
        let human = Format::Human;
        assert!(use_color(ColorChoice::Auto, human, None, true));
        assert!(!use_color(ColorChoice::Auto, human, None, false));
        assert!(!use_color(ColorChoice::Auto, human, Some("1"), true));
        assert!(use_color(ColorChoice::Auto, human, Some(""), true));
        assert!(use_color(ColorChoice::Always, human, Some("1"), false));
        assert!(!use_color(ColorChoice::Never, human, None, true));
        assert!(!use_color(ColorChoice::Always, Format::Json, None, true));
    }
}
