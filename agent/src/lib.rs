//! The Linux agent: collectors that read a host (live or an offline root) into a snapshot.
//!
//! [`collect::collect`] runs every collector of [`collectors::registry`] against a
//! [`host::Host`] and returns a [`constat_snapshot::Snapshot`]. The agent never writes to the
//! host and never runs a program that changes it (see ARCHITECTURE.md).

pub mod collect;
pub mod collectors;
pub mod command;
pub mod context;
pub mod fingerprint;
pub mod host;
pub mod id_names;
pub mod shell_words;
pub mod systemd;
#[cfg(test)]
mod test_root;

pub use collect::{CollectOptions, FEW_WORKERS, collect};
pub use host::{Host, LocalHost};
