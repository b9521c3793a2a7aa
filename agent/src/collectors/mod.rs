//! One collector per domain; the registry lists them in run order.

pub mod identity;
mod registry;

pub use registry::registry;
