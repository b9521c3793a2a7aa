//! The jury's notes (`notes.json`): per candidate, who wrote what and when, which checks or
//! critères a note neutralises and its decisions on `jury` checks. Written atomically; its
//! sha256 is recorded in the manifest, so signing the manifest signs the notes and `verify`
//! names a notes file changed afterwards.
//!
//! # Wire format
//!
//! ```json
//! { "format_version": 1,
//!   "notes": [ { "candidate": "c01", "author": "Mme Martin", "at": "2026-11-23T10:40:00Z",
//!                "text": "Disque du DC en panne à 10h40", "waive": ["tssr-2023/CP2/C3"],
//!                "decide": [ { "check": "proc", "verdict": "partial", "points": 1.5 } ] } ] }
//! ```

use super::atomic::{sha256_hex, write_atomically};
use super::layout::SessionDir;
use super::manifest::Manifest;
use crate::errors::CliError;
use crate::grading::load_pack;
use crate::i18n::{t, tf};
use crate::inventory::load_inventory;
use crate::local_input::{InputKind, read_local};
use constat_checker_core::report::{JuryDecision, JuryNote, JuryVerdict};
use serde::{Deserialize, Serialize};

/// `notes.json` format version.
pub const NOTES_VERSION: u32 = 1;
/// Longest author name, in characters.
pub const MAX_AUTHOR_CHARS: usize = 200;
/// Longest note text, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;

/// `notes.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotesFile {
    /// [`NOTES_VERSION`].
    pub format_version: u32,
    /// In the order they were recorded.
    #[serde(default)]
    pub notes: Vec<CandidateNote>,
}

/// One note about one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateNote {
    /// Candidate id.
    pub candidate: String,
    /// The note.
    #[serde(flatten)]
    pub note: JuryNote,
}

impl NotesFile {
    /// The notes about `candidate`, in order.
    pub fn of(&self, candidate: &str) -> Vec<JuryNote> {
        self.notes
            .iter()
            .filter(|n| n.candidate == candidate)
            .map(|n| n.note.clone())
            .collect()
    }
}

/// Reads the session's notes (none when the file does not exist); a malformed file is an
/// error naming it, with line and column.
pub fn load_notes(dir: &SessionDir) -> anyhow::Result<NotesFile> {
    let path = dir.notes();
    if !path.exists() {
        return Ok(NotesFile {
            format_version: NOTES_VERSION,
            notes: Vec::new(),
        });
    }
    let text = read_local(&path, InputKind::Snapshot)?;
    serde_json::from_str(&text).map_err(|e| {
        CliError::input(
            tf(
                "notes.invalid",
                &[
                    ("file", &path.display()),
                    ("line", &e.line()),
                    ("column", &e.column()),
                    ("error", &e),
                ],
            ),
            t("notes.invalid_hint"),
        )
        .into()
    })
}

/// What the examiner asks to record.
#[derive(Debug, Clone)]
pub struct NewNote {
    /// Candidate id.
    pub candidate: String,
    /// Who.
    pub author: String,
    /// Why.
    pub text: String,
    /// Check or critère ids neutralised.
    pub waive: Vec<String>,
    /// `CHECK_ID=pass|fail|partial:N`.
    pub decide: Vec<String>,
}

fn refuse(message: String, hint: String) -> anyhow::Error {
    CliError::input(message, hint).into()
}

/// Checks `new` against the session's inventory and pack, appends it with the time `at`
/// (RFC 3339; an input, so tests are deterministic), writes `notes.json` atomically and
/// records its sha256 in the manifest. Returns the note as recorded.
pub fn record_note(dir: &SessionDir, new: NewNote, at: &str) -> anyhow::Result<CandidateNote> {
    dir.ensure_exists()?;
    let inventory = load_inventory(&dir.inventory())?;
    if !inventory.candidates.iter().any(|c| c.id == new.candidate) {
        let known: Vec<&str> = inventory.candidates.iter().map(|c| c.id.as_str()).collect();
        return Err(refuse(
            tf("notes.unknown_candidate", &[("candidate", &new.candidate)]),
            tf("notes.known", &[("known", &known.join(", "))]),
        ));
    }
    let author = new.author.trim().to_owned();
    let text = new.text.trim().to_owned();
    for (what, value, max) in [
        ("--author", &author, MAX_AUTHOR_CHARS),
        ("--text", &text, MAX_TEXT_CHARS),
    ] {
        let chars = value.chars().count();
        if chars == 0 || chars > max {
            return Err(refuse(
                tf("notes.bad_length", &[("what", &what), ("max", &max)]),
                t("notes.bad_length_hint").to_owned(),
            ));
        }
    }
    let Some(pack_spec) = inventory.session.pack.clone() else {
        return Err(refuse(
            t("notes.no_pack").to_owned(),
            t("notes.no_pack_hint").to_owned(),
        ));
    };
    let pack = load_pack(&dir.pack_location(&pack_spec))?;
    let check_points = |id: &str| pack.checks().find(|c| c.id == id).map(|c| c.points);
    for id in &new.waive {
        let is_critere = pack
            .referentiel
            .competences
            .iter()
            .any(|cp| cp.criteres.iter().any(|k| *k.id == **id));
        if check_points(id).is_none() && !is_critere {
            return Err(refuse(
                tf("notes.unknown_waive", &[("id", id)]),
                tf(
                    "notes.known",
                    &[(
                        "known",
                        &pack
                            .checks()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    )],
                ),
            ));
        }
    }
    let mut decide = Vec::new();
    for pair in &new.decide {
        let parsed = pair
            .split_once('=')
            .and_then(|(c, v)| Some((c.trim().to_owned(), JuryVerdict::parse(v)?)));
        let Some((check, verdict)) = parsed else {
            return Err(refuse(
                tf("notes.bad_decision", &[("value", pair)]),
                t("notes.bad_decision_hint").to_owned(),
            ));
        };
        if !constat_checker_core::kinds::jury::is_jury(&pack, &check) {
            let jury: Vec<&str> = pack
                .checks()
                .map(|c| c.id.as_str())
                .filter(|id| constat_checker_core::kinds::jury::is_jury(&pack, id))
                .collect();
            return Err(refuse(
                tf("notes.not_jury", &[("check", &check)]),
                tf("notes.known", &[("known", &jury.join(", "))]),
            ));
        }
        if let (JuryVerdict::Partial { points }, Some(max)) = (verdict, check_points(&check))
            && points > max
        {
            return Err(refuse(
                tf(
                    "notes.too_many_points",
                    &[("check", &check), ("points", &points), ("max", &max)],
                ),
                t("notes.bad_decision_hint").to_owned(),
            ));
        }
        decide.push(JuryDecision { check, verdict });
    }
    let recorded = CandidateNote {
        candidate: new.candidate,
        note: JuryNote {
            author,
            at: at.to_owned(),
            text,
            waive: new.waive,
            decide,
        },
    };
    let mut file = load_notes(dir)?;
    file.notes.push(recorded.clone());
    let mut bytes = serde_json::to_vec_pretty(&file)?;
    bytes.push(b'\n');
    let write = |path: &std::path::Path, bytes: &[u8]| {
        write_atomically(path, bytes).map_err(|e| {
            anyhow::anyhow!(tf(
                "session.write_failed",
                &[("file", &path.display()), ("error", &e)]
            ))
        })
    };
    write(&dir.notes(), &bytes)?;
    let mut manifest = if dir.manifest().exists() {
        Manifest::load(&dir.manifest())?
    } else {
        Manifest::new(inventory.session.clone())
    };
    manifest.notes_sha256 = Some(sha256_hex(&bytes));
    manifest.save(&dir.manifest()).map_err(|e| {
        anyhow::anyhow!(tf(
            "session.write_failed",
            &[("file", &"manifest.json"), ("error", &e)]
        ))
    })?;
    Ok(recorded)
}

/// For `verify`: a problem when `notes.json` does not match the manifest's sha256 (changed
/// after it was recorded), or exists while the manifest names none.
pub fn check_notes(dir: &SessionDir, manifest: &Manifest) -> Option<String> {
    let bytes = std::fs::read(dir.notes()).ok();
    match (&manifest.notes_sha256, bytes) {
        (None, None) => None,
        (None, Some(_)) => Some(t("verify.notes_unrecorded").to_owned()),
        (Some(_), None) => Some(t("verify.notes_missing").to_owned()),
        (Some(sha), Some(bytes)) if sha256_hex(&bytes) != *sha => {
            Some(t("verify.notes_changed").to_owned())
        }
        (Some(_), Some(_)) => None,
    }
}
