//! Renderers: pure functions from a report (or session summary) to text, one file each.

mod audience;
mod chart;
mod clock;
mod csv;
pub mod escape;
mod html;
mod junit;
mod jury_notes;
mod markdown;
mod moodle;
mod options;
mod session_csv;
mod session_html;
mod terminal;
mod words;

pub use audience::for_reader;
pub use csv::{CsvDialect, csv, csv_with};
pub use html::html;
pub use junit::{junit, junit_session};
pub use markdown::markdown;
pub use moodle::{GradebookId, moodle_csv};
pub use options::{Audience, RenderOptions};
pub use session_csv::{session_csv, session_csv_with};
pub use session_html::session_html;
pub use terminal::terminal;

#[cfg(test)]
mod tests;
