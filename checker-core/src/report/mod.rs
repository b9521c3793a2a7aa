//! The report model (versioned JSON, schema generated) and the session summary.

mod jury;
mod model;
mod session;

pub use jury::{JuryDecision, JuryMark, JuryNote, JuryVerdict};
pub use model::*;
pub use session::{
    CoverageAssessment, CoverageLine, HostProblem, SessionCell, SessionColumn, SessionCompetence,
    SessionRow, SessionSummary,
};
