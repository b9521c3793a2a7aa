//! The words that tell one language from the other in what constat prints (issue 14 item 5):
//! they live in `constat_checker_core::i18n::one_language` (the kinds' unit tests use them
//! too) and are re-exported here for the report test and the CLI sweep.

pub use constat_checker_core::i18n::one_language::*;
