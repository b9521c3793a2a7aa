//! `constat schema [snapshot|inventory|pack|report]`: prints a JSON Schema.

use crate::exit_status::ExitStatus;
use crate::inventory::inventory_schema;
use clap::{Args, ValueEnum};
use std::io::Write;

/// Which schema.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// Host snapshot (agent output).
    Snapshot,
    /// Session inventory.
    Inventory,
    /// Rule pack (for yaml-language-server in VS Code).
    Pack,
    /// Grading report.
    Report,
}

/// Arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Schéma à afficher (obligatoire : snapshot, inventory, pack ou report).
    // The kinds in the name: `constat schema` alone then says which to give.
    #[arg(value_enum, value_name = "snapshot|inventory|pack|report")]
    pub kind: SchemaKind,
}

/// Prints the schema.
pub fn run(args: SchemaArgs, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let text = match args.kind {
        SchemaKind::Snapshot => constat_snapshot::schema::snapshot_schema(),
        SchemaKind::Inventory => inventory_schema(),
        SchemaKind::Pack => pretty(&constat_checker_core::pack::pack_schema())?,
        SchemaKind::Report => pretty(&constat_checker_core::report::report_schema())?,
    };
    out.write_all(text.as_bytes())?;
    Ok(ExitStatus::Success)
}

fn pretty(value: &serde_json::Value) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}
