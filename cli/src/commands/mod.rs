//! One file per subcommand.

pub mod collect;
pub mod completions;
pub mod schema;
pub mod session;
pub mod validate;
