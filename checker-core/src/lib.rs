//! The checker core: pure functions from packs and snapshots to reports (no I/O).
//!
//! * [`referentiel`]: the official competence frameworks as embedded data.
//! * [`pack`]: the YAML rule pack format, validated into a [`pack::Pack`] ([`pack::load`]),
//!   and the files each host must report ([`pack::file_requests`]).
//! * [`grade`]: one candidate's snapshots + a pack → a [`report::Report`].
//! * [`report::SessionSummary`]: several reports → the jury grid.
//! * [`render`]: reports to terminal text, HTML, Markdown, CSV and JUnit XML.
//! * [`kind_docs`], [`kind_docs_fr`], [`kind_docs_in`]: the documentation of every check kind in
//!   English and French (`constat explain KIND`, `docs/checks/en/`, `docs/checks/fr/`).
//!
//! **Invariant:** no I/O (no file system, no process, no environment, no clock): enforced by
//! `#![deny(clippy::disallowed_methods)]` with the workspace `clippy.toml`, and by a test.
#![deny(clippy::disallowed_methods)]

pub mod eval;
pub mod expect;
pub mod i18n;
pub mod kinds;
pub mod pack;
pub mod referentiel;
pub mod render;
pub mod report;
mod score;
pub mod selection;
#[cfg(test)]
mod test_support;

pub use eval::{
    CandidateInput, ExpectedIdentity, GradeOptions, HostFailure, HostObservation, Observed, grade,
    grade_with_jury,
};
pub use kinds::{DOC_HEADINGS, kind_docs, kind_docs_fr, kind_docs_in};
