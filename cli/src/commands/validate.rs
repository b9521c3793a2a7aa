//! `constat validate FILE…`: checks rule packs (every error at once, file:line:col) and
//! inventories. A YAML file with a top-level `pack:` key is a pack.

use crate::exit_status::ExitStatus;
use crate::i18n::tf;
use crate::inventory::{load_inventory, resolve_hosts};
use crate::output::{Format, write_json};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Packs de contrôles ou fichiers d'inventaire (YAML).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Validates each file; the first error stops with its location.
pub fn run(args: ValidateArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let mut results = Vec::new();
    for file in &args.files {
        // Bounded and refused on a FIFO or device before anything else reads it.
        let text =
            crate::local_input::read_local(file, crate::local_input::InputKind::PackOrInventory)?;
        if text.lines().any(|l| l.starts_with("pack:")) {
            let pack = crate::grading::load_pack(&file.display().to_string())?;
            let checks = pack.checks().count();
            results.push(serde_json::json!({
                "file": file.display().to_string(),
                "kind": "pack",
                "id": pack.id,
                "checks": checks,
            }));
            if format == Format::Human {
                writeln!(
                    out,
                    "{}",
                    tf(
                        "pack.ok",
                        &[
                            ("file", &file.display()),
                            ("id", &pack.id),
                            ("checks", &checks)
                        ],
                    )
                )?;
            }
            continue;
        }
        let inventory = load_inventory(file)?;
        let hosts = resolve_hosts(&inventory)?;
        results.push(serde_json::json!({
            "file": file.display().to_string(),
            "kind": "inventory",
            "candidates": inventory.candidates.len(),
            "hosts": hosts.len(),
        }));
        if format == Format::Human {
            writeln!(
                out,
                "{}",
                tf(
                    "validate.ok",
                    &[
                        ("file", &file.display()),
                        ("candidates", &inventory.candidates.len()),
                        ("hosts", &hosts.len()),
                    ],
                )
            )?;
        }
    }
    if format == Format::Json {
        write_json(out, &results)?;
    }
    Ok(ExitStatus::Success)
}
