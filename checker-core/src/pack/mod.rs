//! Rule packs: YAML text → validated [`Pack`] (every error at once), variables, file requests.

pub(crate) mod compile;
mod diagnostics;
pub mod limits;
mod load;
mod model;
pub mod raw;
mod requests;
mod schema;
pub(crate) mod span;
mod split;
mod validate;
mod variables;

pub(crate) use diagnostics::Diagnostics;
pub use diagnostics::{Diagnostic, closest, render_diagnostics, render_diagnostics_in};
pub use load::load;
pub(crate) use model::CompiledCheck;
pub use model::{CheckMeta, Pack, Variable};
pub use requests::{
    DIFF_SECTIONS, file_requests, script_run_requests, section_requests, sections_for,
};
pub use schema::pack_schema;
pub use span::Sp;
pub(crate) use validate::recompile;
pub(crate) use variables::resolve as variables_resolve;
