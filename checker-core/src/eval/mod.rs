//! Evaluation: hosts, evidence, the engine that grades one candidate, and start/end diff.

mod causes;
mod diff;
mod engine;
pub(crate) mod evidence;
pub mod exam_zone;
pub(crate) mod host;
mod identity;
mod input;
mod jury;
mod key_lists;
pub(crate) mod near_miss;
pub(crate) mod words;

pub use engine::{grade, grade_with_jury};
pub use evidence::{Evidence, EvidenceContext, EvidenceDisplay, Status};
pub use exam_zone::{DEFAULT_TIMEZONE, ExamZone};
pub use identity::{ExpectedIdentity, MAX_VALUE_CHARS, compare as compare_identity};
pub use input::{CandidateInput, GradeOptions, HostFailure, HostObservation, Observed};
pub use near_miss::{LOOK_ALIKE_MECHANISMS, NearMiss};
