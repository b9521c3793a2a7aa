//! [`PullEngine`]: what pull mode needs from a collector — check an inventory (with the
//! diagnostics of `constat validate`, in the reader's language) and collect its hosts, each
//! host's snapshot or failure reported as soon as it is known.

use crate::i18n::Lang;
use crate::store::{Id, PullFailure};
use constat_snapshot::FileRequest;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::mpsc::UnboundedSender;

/// One host of a checked inventory, as a page may show it (never a secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedHost {
    /// Pack role.
    pub role: String,
    /// Address and port (`10.0.1.20:22`).
    pub address: String,
    /// Account.
    pub user: String,
    /// How it logs in: a key file's name, or a credential's name (never its value).
    pub auth: String,
}

/// One candidate of a checked inventory: a learner of the class.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedCandidate {
    /// Inventory id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Hosts, by role.
    pub hosts: Vec<PlannedHost>,
}

/// A checked inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryPlan {
    /// Candidates in inventory order.
    pub candidates: Vec<PlannedCandidate>,
    /// `session.pack` as written, if any (the class grades with its own pack).
    pub pack: Option<String>,
    /// `session.timezone`, if any.
    pub timezone: Option<String>,
    /// Longest a whole run may take with the inventory's time limits and concurrency.
    pub time_limit_secs: i64,
}

/// What to collect.
#[derive(Debug, Clone)]
pub struct PullJob {
    /// Class (host keys and upload names are kept per class).
    pub class_id: Id,
    /// The stored inventory.
    pub inventory: String,
    /// The files the class's pack reads, per role (only paths leave the server), with the
    /// optional parts of sections (`without`) no check reads.
    pub requests: BTreeMap<String, FileRequest>,
    /// The sections the class's pack reads, per role (`None`: all).
    pub sections: BTreeMap<String, Option<Vec<String>>>,
    /// Largest snapshot accepted from one host, in bytes.
    pub max_snapshot_bytes: u64,
    /// The class's trusted SSH host keys: `[address]:port` → OpenSSH key (`type base64`).
    /// A host not listed is trusted on first use (unless the inventory is strict); a host
    /// presenting another key is refused.
    pub host_keys: BTreeMap<String, String>,
}

/// What a host's SSH key was, when the run must record it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostKeySeen {
    /// Not known before: trusted for this run, to be recorded for the class.
    FirstUse(HostKey),
    /// Not the trusted key: the host was refused (its failure says so).
    Refused(HostKey),
    /// No key trusted for this host and the inventory accepts known keys only
    /// (`strict_host_keys`): the host was refused.
    Unknown(HostKey),
}

/// A host's SSH key as presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKey {
    /// `[address]:port`, as in [`PullJob::host_keys`].
    pub host: String,
    /// OpenSSH public key, `type base64`.
    pub key: String,
    /// `SHA256:…`, as `ssh-keygen -l` shows it.
    pub fingerprint: String,
}

/// One host's outcome.
#[derive(Debug, Clone)]
pub struct PulledHost {
    /// Inventory candidate id.
    pub candidate: String,
    /// Role.
    pub role: String,
    /// The snapshot JSON (validated, credentials scrubbed), or why there is none.
    pub outcome: Result<String, PullFailure>,
    /// Its SSH key, when first seen or refused (`None`: the trusted key, or no key seen).
    pub host_key: Option<HostKeySeen>,
}

/// A collection in flight: `Err` when the run could not start or go on (the cause).
pub type PullFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'static>>;

/// A collector for pull mode (the `constat` command plugs the session engine in).
pub trait PullEngine: Send + Sync {
    /// Checks an inventory as `constat validate` does, plus what pull mode allows; every
    /// problem in `lang`, with where and how to fix it.
    fn check_inventory(
        &self,
        text: &str,
        origin: &str,
        lang: Lang,
    ) -> Result<InventoryPlan, String>;
    /// Collects every host of `job`, sending each outcome on `hosts` as soon as it is known;
    /// one host's failure never stops the others.
    fn collect(&self, job: PullJob, hosts: UnboundedSender<PulledHost>) -> PullFuture;
}
