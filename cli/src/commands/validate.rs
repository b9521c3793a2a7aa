//! `constat validate FILE…`: checks rule packs (every error at once, file:line:col) and
//! inventories. A YAML file with a top-level `pack:` key is a pack; a name that is no file but
//! an embedded pack id (`lab-cp3-linux`) validates that pack. Every file is checked, even after
//! one fails; an inventory's `session.pack` must exist and load.

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::i18n::tf;
use crate::inventory::{load_inventory, resolve_hosts};
use crate::output::{Format, write_json};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Packs de contrôles ou fichiers d'inventaire (YAML), ou identifiants de packs intégrés.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// One file's outcome: its JSON line and its human line.
struct Checked {
    json: serde_json::Value,
    line: String,
}

/// Validates each file; every file is checked and every error reported.
pub fn run(args: ValidateArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for file in &args.files {
        match validate_one(file) {
            Ok(checked) => {
                if format == Format::Human {
                    writeln!(out, "{}", checked.line)?;
                }
                results.push(checked.json);
            }
            Err(error) => {
                let mut text = Vec::new();
                crate::errors::report(&error, Format::Human, &mut text);
                let text = String::from_utf8_lossy(&text).into_owned();
                results.push(serde_json::json!({
                    "file": file.display().to_string(),
                    "valid": false,
                    "error": text.trim_end(),
                }));
                failures.push(error);
            }
        }
    }
    if format == Format::Json {
        write_json(out, &results)?;
    }
    let failed = failures.len();
    if args.files.len() == 1
        && let Some(error) = failures.pop()
    {
        // One file: its own error is the command's error (stderr, exit code).
        return Err(error);
    }
    if failed > 0 {
        // Several files: each failure on stderr as it would be alone, then the count.
        let mut stderr = std::io::stderr();
        for error in &failures {
            crate::errors::report(error, format, &mut stderr);
        }
        return Err(CliError::input(
            tf(
                "validate.failed",
                &[("count", &failed), ("total", &args.files.len())],
            ),
            tf("validate.failed_hint", &[]),
        )
        .into());
    }
    Ok(ExitStatus::Success)
}

fn validate_one(file: &Path) -> anyhow::Result<Checked> {
    let shown = file.display().to_string();
    if !file.exists()
        && let Some(embedded) = constat_checks::find(&shown)
    {
        let pack = crate::grading::load_pack(embedded.id)?;
        let checks = pack.checks().count();
        let mut json = serde_json::json!({
            "file": shown, "valid": true, "kind": "pack", "embedded": true,
            "id": pack.id, "checks": checks,
        });
        let line = tf(
            "validate.pack_embedded_ok",
            &[("file", &shown), ("id", &pack.id), ("checks", &checks)],
        ) + &composition(&pack, &mut json);
        return Ok(Checked { json, line });
    }
    // Bounded and refused on a FIFO or device before anything else reads it.
    let text =
        crate::local_input::read_local(file, crate::local_input::InputKind::PackOrInventory)?;
    if text.lines().any(|l| l.starts_with("pack:")) {
        let pack = crate::grading::load_pack(&shown)?;
        let checks = pack.checks().count();
        let mut json = serde_json::json!({
            "file": shown, "valid": true, "kind": "pack", "id": pack.id, "checks": checks,
        });
        let line = tf(
            "pack.ok",
            &[("file", &shown), ("id", &pack.id), ("checks", &checks)],
        ) + &composition(&pack, &mut json);
        return Ok(Checked { json, line });
    }
    let inventory = load_inventory(file)?;
    let hosts = resolve_hosts(&inventory)?;
    if let Some(spec) = &inventory.session.pack {
        check_inventory_pack(file, spec)?;
    }
    Ok(Checked {
        json: serde_json::json!({
            "file": shown, "valid": true, "kind": "inventory",
            "candidates": inventory.candidates.len(), "hosts": hosts.len(),
        }),
        line: tf(
            "validate.ok",
            &[
                ("file", &shown),
                ("candidates", &inventory.candidates.len()),
                ("hosts", &hosts.len()),
            ],
        ),
    })
}

/// What composition brought into a pack: lines for the human output (how many checks came
/// from which files, then each overridden check with where it came from), and the same as
/// `included`/`overridden` in the JSON object. Empty for a pack that includes nothing.
fn composition(pack: &constat_checker_core::pack::Pack, json: &mut serde_json::Value) -> String {
    let included: Vec<_> = pack
        .checks()
        .filter_map(|c| Some((c, c.origin.as_ref()?)))
        .collect();
    if included.is_empty() {
        return String::new();
    }
    let mut lines = format!(
        "\n{}",
        tf(
            "validate.included",
            &[
                ("count", &included.len()),
                ("files", &pack.includes.join(", ")),
            ]
        )
    );
    let mut overridden = Vec::new();
    for (c, o) in &included {
        if o.overridden.is_empty() {
            continue;
        }
        let fields: Vec<&str> = o.overridden.iter().map(|(f, _)| f.as_str()).collect();
        let from = match &o.renamed_from {
            Some(old) => format!("{}:{}:{} ({old})", o.file, o.line, o.col),
            None => format!("{}:{}:{}", o.file, o.line, o.col),
        };
        let at = o.overridden[0].1.clone();
        lines.push('\n');
        lines.push_str(&tf(
            "validate.overridden",
            &[
                ("id", &c.id),
                ("from", &from),
                ("fields", &fields.join(", ")),
                ("at", &at),
            ],
        ));
        overridden.push(serde_json::json!({
            "id": c.id, "from": from, "fields": fields, "at": at,
        }));
    }
    json["included"] = serde_json::json!(included.len());
    json["includes"] = serde_json::json!(pack.includes);
    json["overridden"] = serde_json::json!(overridden);
    lines
}

/// The inventory's pack exists (embedded, as written, or beside the inventory, as
/// `session run` will look for it once the inventory is in the session directory) and loads.
fn check_inventory_pack(inventory: &Path, spec: &str) -> anyhow::Result<()> {
    if constat_checks::find(spec).is_some() {
        return crate::grading::load_pack(spec).map(|_| ());
    }
    let beside = inventory
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(spec);
    let path = if Path::new(spec).is_file() {
        PathBuf::from(spec)
    } else if beside.is_file() {
        beside
    } else {
        return Err(CliError::input(
            tf(
                "validate.pack_missing",
                &[
                    ("file", &inventory.display()),
                    ("pack", &spec),
                    ("path", &beside.display()),
                ],
            ),
            tf(
                "validate.pack_missing_hint",
                &[("ids", &crate::grading::embedded_ids())],
            ),
        )
        .into());
    };
    crate::grading::load_pack(&path.display().to_string()).map(|_| ())
}
