//! Expectations: the generic fact matcher, combinators, and their compiled form.

mod combinators;
mod compiled;
mod fact;

pub(crate) use combinators::evaluate;
pub(crate) use compiled::{CompiledExpect, compile};
pub use compiled::{RawAtLeast, RawOn};
pub use fact::{RawCompare, RawFact};
