//! The TSSR check library: embedded rule packs, generated docs, coverage and pack drafts.
//!
//! * [`packs`] / [`find`]: the packs shipped in the binary (`checks/packs/*.yaml`).
//! * [`docs`]: Markdown pages for every check kind and every pack (`docs/`).
//! * [`coverage()`]: which critères of a référentiel the packs cover, and what is left to the jury.
//! * [`propose()`]: a draft pack from a reference solution's snapshot.
//! * [`one_language`]: the words that tell French output from English output (tests).

mod coverage;
pub mod docs;
mod embedded;
pub mod one_language;
#[cfg(test)]
mod one_language_tests;
#[cfg(test)]
mod pack_tests;
mod propose;

pub use coverage::{
    Assessment, Coverage, CritereCoverage, coverage, render_coverage, render_coverage_in,
};
pub use embedded::{EmbeddedPack, EmbeddedSources, find, load_embedded, packs};
pub use propose::{propose, propose_in};
