//! One file per subcommand.

pub mod check;
pub mod check_remote;
pub mod collect;
pub mod completions;
pub mod coverage;
pub mod demo;
pub mod explain;
pub mod grade;
pub mod import;
pub mod propose;
pub mod schema;
pub mod serve;
pub mod session;
pub mod validate;
