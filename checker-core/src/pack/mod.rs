//! Rule packs: YAML text → validated [`Pack`] (every error at once), variables, file requests.

pub(crate) mod compile;
mod compose;
mod diagnostics;
mod entry;
pub mod limits;
mod load;
mod model;
pub mod raw;
mod reader_text;
mod requests;
mod schema;
pub mod sources;
pub(crate) mod span;
mod split;
mod validate;
mod variables;

pub use compose::{MAX_INCLUDE_DEPTH, MAX_INCLUDED_LOADS};
pub(crate) use diagnostics::{Both, Diagnostics};
pub use diagnostics::{
    Diagnostic, closest, parser_message_fr, render_diagnostics, render_diagnostics_in,
};
pub use load::{load, load_with};
pub(crate) use model::CompiledCheck;
pub use model::{CheckMeta, Pack, Variable};
pub use raw::CheckOrigin;
pub use reader_text::{Untranslated, in_lang};
pub use requests::{
    DIFF_SECTIONS, file_requests, narrow_request, script_run_requests, section_requests,
    sections_for, unread_parts_for,
};
pub use schema::pack_schema;
pub use sources::{NoSources, PackSources, SourceError, SourceText};
pub use span::Sp;
pub(crate) use validate::recompile;
pub(crate) use variables::resolve as variables_resolve;
