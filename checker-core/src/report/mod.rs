//! The report model (versioned JSON, schema generated) and the session summary.

mod model;
mod session;

pub use model::*;
pub use session::{SessionCell, SessionColumn, SessionRow, SessionSummary};
