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
