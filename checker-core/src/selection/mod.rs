//! Selections of accounts by relation (group, OU) and attributes, with quantifiers over
//! them (`select:` in a pack).

mod compile;
mod directory;
mod evaluate;
mod local;
mod member;
mod outcome;
mod raw;

pub(crate) use compile::{CompiledSelect, compile_select};
pub(crate) use evaluate::evaluate_select;
pub(crate) use member::home_template;
pub use raw::{AdUserSelector, RawCount, RawSelect, RawSelectAtLeast, UserSelector};
