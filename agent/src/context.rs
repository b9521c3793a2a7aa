//! What every collector shares: the [`Context`] it reads from, the [`Update`] it returns and
//! its [`Collector`] entry in the registry. Apart from `collect.rs`, so that the collectors
//! and the code that runs them do not depend on each other.

use crate::host::Host;
use constat_snapshot::{FileRequest, Sections};
use std::sync::Arc;
use std::time::Duration;

/// What a collector reads from.
#[derive(Clone)]
pub struct Context {
    /// The host.
    pub host: Arc<dyn Host>,
    /// Files the checker asked for.
    pub request: Arc<FileRequest>,
}

/// A collector's result: a function that writes its sections into the snapshot.
pub type Update = Box<dyn FnOnce(&mut Sections) + Send>;

/// One collector in the registry.
pub struct Collector {
    /// Name shown in collection metadata.
    pub name: &'static str,
    /// The sections it fills (JSON keys of [`Sections`]).
    pub sections: &'static [&'static str],
    /// Time budget.
    pub budget: Duration,
    /// The collector.
    pub run: fn(&Context) -> Update,
}
