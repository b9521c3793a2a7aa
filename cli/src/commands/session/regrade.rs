//! `constat session regrade DIR [--pack P]`: grades the stored snapshots again (e.g. with a
//! corrected pack) without touching any VM.

use crate::exit_status::ExitStatus;
use crate::i18n::{t, tf};
use crate::output::{Format, write_json};
use crate::session::{GradeOutcome, Manifest, SessionDir, grade_session_with};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `session regrade`.
#[derive(Debug, Args)]
pub struct RegradeArgs {
    /// Dossier de session.
    pub dir: PathBuf,
    /// Rapports à écrire.
    #[command(flatten)]
    pub reports: crate::reports::ReportArgs,
}

/// Regrades the session.
pub(super) fn run(
    args: RegradeArgs,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let files = crate::reports::SessionReports::from_args(&args.reports)?;
    let dir = SessionDir::new(&args.dir);
    dir.ensure_exists()?;
    let manifest = Manifest::load(&dir.manifest())?;
    let outcome = grade_session_with(&dir, &manifest, &files)?;
    match (&outcome, format) {
        (graded @ GradeOutcome::Graded { .. }, Format::Human) => graded.write_graded(out)?,
        (
            GradeOutcome::Graded {
                candidates,
                dir,
                identity,
            },
            Format::Json,
        ) => write_json(
            out,
            &serde_json::json!({
                "graded": candidates,
                "reports": dir.display().to_string(),
                "identity_warnings": identity,
            }),
        )?,
        (GradeOutcome::NoPack, _) => writeln!(out, "{}", tf("session.no_pack", &[]))?,
        (GradeOutcome::NoEndPhase, _) => writeln!(out, "{}", tf("session.no_end_phase", &[]))?,
    }
    // A snapshot the manifest records but that is missing or changed since was graded as a
    // failed collection: said here too, not only in the reports.
    let damaged: Vec<String> = crate::session::status_grid(&dir)?
        .cells
        .iter()
        .filter(|c| c.state == "damaged")
        .map(|c| format!("{}/{}/{}", c.candidate, c.role, c.phase.as_str()))
        .collect();
    if damaged.is_empty() {
        return Ok(ExitStatus::Success);
    }
    let text = format!(
        "{}\n{}{}{}\n",
        tf("regrade.damaged", &[("hosts", &damaged.join(", "))]),
        t("label.hint"),
        t("label.separator"),
        t("regrade.damaged_hint")
    );
    eprint!(
        "{}",
        constat_checker_core::render::escape::terminal_lines(&text)
    );
    Ok(ExitStatus::Failures)
}
