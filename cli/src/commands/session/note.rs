//! `constat session note DIR --candidate ID --author NAME --text TEXT [--waive ID…]
//! [--decide CHECK=pass|fail|partial:N…]`: records a jury note, then regrades the session
//! when its end phase was collected.

use crate::exit_status::ExitStatus;
use crate::grading::now_rfc3339;
use crate::i18n::{t, tf};
use crate::output::{Format, write_json};
use crate::session::{GradeOutcome, Manifest, NewNote, SessionDir, grade_session, record_note};
use clap::Args;
use constat_checker_core::render::escape::terminal as visible;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `session note`.
#[derive(Debug, Args)]
pub struct NoteArgs {
    /// Dossier de session.
    pub dir: PathBuf,
    /// Candidat concerné.
    #[arg(long)]
    pub candidate: String,
    /// Auteur de la note (membre du jury).
    #[arg(long)]
    pub author: String,
    /// Texte de la note : l'incident, le motif de la décision.
    #[arg(long)]
    pub text: String,
    /// Vérification ou critère neutralisé (répétable) : hors du numérateur et du dénominateur.
    #[arg(long, value_name = "VERIFICATION|CRITERE")]
    pub waive: Vec<String>,
    /// Décision du jury sur une vérification `jury` (répétable) : `ID=pass`, `ID=fail`,
    /// `ID=partial:N` (N points).
    #[arg(long, value_name = "ID=pass|fail|partial:N")]
    pub decide: Vec<String>,
}

/// Records the note and regrades.
pub(super) fn run(
    args: NoteArgs,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let dir = SessionDir::new(&args.dir);
    let recorded = record_note(
        &dir,
        NewNote {
            candidate: args.candidate,
            author: args.author,
            text: args.text,
            waive: args.waive,
            decide: args.decide,
        },
        &now_rfc3339(),
    )?;
    let manifest = Manifest::load(&dir.manifest())?;
    let signed = dir.signature().exists();
    let graded = grade_session(&dir, &manifest)?;
    match format {
        Format::Json => write_json(out, &recorded)?,
        Format::Human => {
            writeln!(
                out,
                "{}",
                tf(
                    "notes.recorded",
                    &[
                        ("candidate", &visible(&recorded.candidate)),
                        ("file", &dir.notes().display()),
                    ]
                )
            )?;
            if matches!(graded, GradeOutcome::Graded { .. }) {
                graded.write_graded(out)?;
            }
            if signed {
                writeln!(out, "{}", t("notes.sign_again"))?;
            }
        }
    }
    Ok(ExitStatus::Success)
}
