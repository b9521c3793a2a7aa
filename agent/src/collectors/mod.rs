//! One collector per domain; the registry lists them in run order.

pub mod identity;
mod registry;

// agent-sys collectors (system state).
pub mod backups;
pub mod files;
pub mod packages;
pub mod processes;
pub mod scheduled_jobs;
pub mod services;
pub mod sudo;
pub mod users;

pub use registry::registry;
