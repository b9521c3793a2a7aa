//! Exam sessions on disk: layout, manifest, collection runs, status, export, signatures.

mod atomic;
mod export;
mod grade;
mod layout;
mod manifest;
mod notes;
mod progress;
mod run;
mod signature;
mod status;

pub use atomic::{sha256_hex, write_atomically};
pub use export::export_session;
pub use grade::{GradeOutcome, grade_session, grade_session_with};
pub use layout::SessionDir;
pub use manifest::{HostEntry, HostStatus, MANIFEST_VERSION, Manifest, Phase, PhaseRecord};
pub use notes::{
    CandidateNote, MAX_AUTHOR_CHARS, MAX_TEXT_CHARS, NOTES_VERSION, NewNote, NotesFile,
    check_notes, load_notes, record_note,
};
pub use progress::ProgressMode;
pub use run::{FailedHost, RunOptions, RunSummary, run_phase};
pub use signature::{SignatureFile, VerifyReport, sign_manifest, verify_session};
pub use status::{StatusGrid, status_grid};
