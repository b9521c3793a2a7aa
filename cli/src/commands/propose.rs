//! `constat propose --snapshot golden.json [--start start.json]`: drafts a pack from what a
//! reference solution changed, for the trainer to prune.

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::i18n::tf;
use clap::Args;
use constat_snapshot::Snapshot;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `propose`.
#[derive(Debug, Args)]
pub struct ProposeArgs {
    /// Instantané de la solution de référence.
    #[arg(long)]
    pub snapshot: PathBuf,
    /// Instantané de départ (avant la solution) : seules les différences sont proposées.
    #[arg(long)]
    pub start: Option<PathBuf>,
}

fn read(path: &std::path::Path) -> anyhow::Result<Snapshot> {
    let text = crate::local_input::read_local(path, crate::local_input::InputKind::Snapshot)?;
    Snapshot::from_json(&text).map_err(|e| {
        CliError::input(
            tf(
                "grade.snapshot_invalid",
                &[("file", &path.display()), ("error", &e)],
            ),
            tf("grade.snapshot_unreadable_hint", &[]),
        )
        .into()
    })
}

/// Prints the draft pack.
pub fn run(
    args: ProposeArgs,
    format: crate::output::Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let golden = read(&args.snapshot)?;
    let start = args.start.as_deref().map(read).transpose()?;
    let lang = match crate::i18n::lang() {
        crate::i18n::Lang::Fr => constat_checker_core::i18n::Lang::Fr,
        crate::i18n::Lang::En => constat_checker_core::i18n::Lang::En,
    };
    let draft = constat_checks::propose_in(&golden, start.as_ref(), lang);
    if format == crate::output::Format::Json {
        // The draft is YAML for a trainer to edit; JSON carries it whole, with its checks
        // counted by loading it.
        let checks = constat_checker_core::pack::load("brouillon.yaml", &draft)
            .map(|p| p.checks().count())
            .ok();
        crate::output::write_json(
            out,
            &serde_json::json!({ "format": "yaml", "pack": draft, "checks": checks }),
        )?;
        return Ok(ExitStatus::Success);
    }
    write!(out, "{draft}")?;
    Ok(ExitStatus::Success)
}
