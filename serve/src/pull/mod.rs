//! Pull mode (issue 17): the trainer attaches an inventory to a class and the server
//! collects the learners' lab VMs over SSH, on demand or on a schedule, and grades them like
//! submissions.
//!
//! The collection itself is the exam session engine, which lives in the `constat` command
//! (`cli/src/serve_pull.rs`): this crate only defines the seam it plugs into ([`PullEngine`]),
//! so `constat-serve` never depends on the command's crate.

mod engine;
mod runner;
mod schedule;

pub use engine::{
    HostKey, HostKeySeen, InventoryPlan, PlannedCandidate, PlannedHost, PullEngine, PullFuture,
    PullJob, PulledHost,
};
pub use runner::{PullStart, start_pull};
pub use schedule::{TICK_SECS, run_schedule};
