//! The [`Store`] trait: every read and write the pages and the submission endpoint make.
//!
//! Methods return boxed futures so that handlers hold an `Arc<dyn Store>`: the SQLite
//! implementation runs its blocking calls on `spawn_blocking`; the PostgreSQL one
//! (tokio-postgres) publishes [`ClassEvent`]s through `LISTEN/NOTIFY` (payload
//! `class_id:learner_id`) so that several instances share one database and nothing lives
//! only in one instance's memory. A decision that must hold across instances (a claim, the
//! first trainer) is one store call, atomic in the database, never a read then a write.

use super::model::*;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::broadcast;

/// A store operation in flight.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be opened or created.
    #[error("cannot open the database {path}: {message}")]
    Open {
        /// File or URL (without password).
        path: String,
        /// Cause.
        message: String,
    },
    /// The database was migrated by a newer constat.
    #[error(
        "the database {path} has schema version {found}, newer than this build's {known}: use a newer constat"
    )]
    TooNew {
        /// File or URL.
        path: String,
        /// Version found.
        found: i64,
        /// Newest version this build knows.
        known: i64,
    },
    /// A unique name or code is taken.
    #[error("{0} already exists")]
    Conflict(String),
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(String),
}

/// Storage of trainers, sessions, classes, learners, submissions and results.
pub trait Store: Send + Sync {
    /// How many trainer accounts exist (0: the setup page is open).
    fn trainer_count(&self) -> StoreFuture<'_, i64>;
    /// Creates a trainer; [`StoreError::Conflict`] when the name is taken.
    fn create_trainer(&self, name: String, password_hash: String, now: i64) -> StoreFuture<'_, Id>;
    /// The trainer with this login name.
    fn trainer_by_name(&self, name: String) -> StoreFuture<'_, Option<Trainer>>;
    /// The trainer with this id.
    fn trainer(&self, id: Id) -> StoreFuture<'_, Option<Trainer>>;

    /// Stores a session (and forgets the expired ones).
    fn create_session(&self, session: WebSession, now: i64) -> StoreFuture<'_, ()>;
    /// The unexpired session with this token hash.
    fn session(&self, token_hash: String, now: i64) -> StoreFuture<'_, Option<WebSession>>;
    /// Forgets a session (logout, login replacing an anonymous session).
    fn delete_session(&self, token_hash: String) -> StoreFuture<'_, ()>;

    /// Creates a class; [`StoreError::Conflict`] when the code is taken.
    fn create_class(&self, class: NewClass) -> StoreFuture<'_, Class>;
    /// A trainer's classes, newest first.
    fn classes_of(&self, trainer_id: Id) -> StoreFuture<'_, Vec<Class>>;
    /// The class with this id.
    fn class(&self, id: Id) -> StoreFuture<'_, Option<Class>>;
    /// The class with this enrolment code.
    fn class_by_code(&self, code: String) -> StoreFuture<'_, Option<Class>>;

    /// Enrols a learner.
    fn create_learner(&self, learner: NewLearner) -> StoreFuture<'_, Learner>;
    /// A class's learners, by name then id.
    fn learners_of(&self, class_id: Id) -> StoreFuture<'_, Vec<Learner>>;
    /// The learner with this id.
    fn learner(&self, id: Id) -> StoreFuture<'_, Option<Learner>>;
    /// The learner whose page token hashes to this.
    fn learner_by_page_token(&self, token_hash: String) -> StoreFuture<'_, Option<Learner>>;

    /// Atomically decides whether a submission signed at `signed_at` may be graded at `now`
    /// (strictly newer signing time than any accepted, at least `min_interval` seconds since
    /// the last accepted) and, when accepted, records both times.
    fn claim_submission(
        &self,
        learner_id: Id,
        signed_at: i64,
        now: i64,
        min_interval: i64,
    ) -> StoreFuture<'_, Claim>;
    /// Stores a graded submission, marks the learner seen, prunes old bodies
    /// ([`KEPT_BODIES_PER_LEARNER`]) and publishes a [`ClassEvent`].
    fn record_submission(&self, submission: NewSubmission) -> StoreFuture<'_, Id>;
    /// The latest result of each learner of a class.
    fn latest_results(&self, class_id: Id) -> StoreFuture<'_, Vec<StoredResult>>;
    /// A learner's latest result.
    fn latest_result(&self, learner_id: Id) -> StoreFuture<'_, Option<StoredResult>>;
    /// A learner's scores over time, oldest first.
    fn history(&self, learner_id: Id) -> StoreFuture<'_, Vec<HistoryPoint>>;

    /// Results stored from now on, by any instance sharing this store.
    fn subscribe(&self) -> broadcast::Receiver<ClassEvent>;

    // Several instances on one database (PostgreSQL): decisions that must be atomic across
    // instances, not checked in one instance and acted on later.

    /// Creates the first trainer (the setup page) only while no trainer exists, atomically
    /// even when several instances share the database: `None` when one exists already.
    fn create_first_trainer(
        &self,
        name: String,
        password_hash: String,
        now: i64,
    ) -> StoreFuture<'_, Option<Id>>;

    // Login throttling (issue 17): login attempts per key (`account:<name>`,
    // `address:<ip>`), kept in the store so that every instance sharing it counts the same
    // attempts. A PostgreSQL store does the claim in one transaction (`SELECT … FOR UPDATE`
    // on the keys' rows, or a serialisable transaction).
    /// Atomically: forgets the attempts older than `window_secs`; when every key has fewer
    /// attempts than its limit, records one attempt per key at `now` (until it is known to
    /// have succeeded, an attempt counts as failed) and answers their ids; else answers
    /// when the first key over its limit frees a place.
    fn claim_login_attempt(
        &self,
        keys: Vec<(String, i64)>,
        now: i64,
        window_secs: i64,
    ) -> StoreFuture<'_, LoginClaim>;
    /// The attempt succeeded: forgets every attempt of `account_key` and the attempts
    /// `attempt_ids` (the other keys' records of this one).
    fn forget_login_attempts(
        &self,
        account_key: String,
        attempt_ids: Vec<Id>,
    ) -> StoreFuture<'_, ()>;

    // Pull mode (issue 17): a class's inventory, its schedule and runs, its candidates as
    // learners, each host's last pull. A run is claimed in the database, so that instances
    // sharing it never pull one class twice at once.

    /// Attaches (or replaces) a class's inventory; the schedule is kept.
    fn set_pull_inventory(&self, class_id: Id, inventory: PullInventory) -> StoreFuture<'_, ()>;
    /// A class's pull mode, `None` without an inventory.
    fn pull_config(&self, class_id: Id) -> StoreFuture<'_, Option<PullConfig>>;
    /// Pulls every `minutes` minutes (`None`: on demand only).
    fn set_pull_interval(&self, class_id: Id, minutes: Option<i64>) -> StoreFuture<'_, ()>;
    /// The learner of each inventory candidate `(id, name)`, enrolled on first sight (no
    /// signing key: a pulled learner does not submit), renamed when the inventory renamed
    /// them; in the order given.
    fn pull_learners(
        &self,
        class_id: Id,
        candidates: Vec<(String, String)>,
        now: i64,
    ) -> StoreFuture<'_, Vec<(String, Id)>>;
    /// Starts a run unless one holds the class: true when claimed, the class then held
    /// until `now + lease_secs` (a crashed run frees it then).
    fn claim_pull(&self, class_id: Id, now: i64, lease_secs: i64) -> StoreFuture<'_, bool>;
    /// Ends the run: records it and frees the class.
    fn finish_pull(&self, class_id: Id, run: PullRun) -> StoreFuture<'_, ()>;
    /// Classes whose schedule says a run is due at `now` and that no run holds.
    fn due_pulls(&self, now: i64) -> StoreFuture<'_, Vec<Id>>;
    /// Records the last pull of a learner's hosts; with `announce`, publishes a
    /// [`ClassEvent`] (a graded pull announces through [`Store::record_submission`]).
    fn record_pull_hosts(
        &self,
        class_id: Id,
        learner_id: Id,
        hosts: Vec<PullHostStatus>,
        announce: bool,
    ) -> StoreFuture<'_, ()>;
    /// The last pull of every host of a class, by learner then role.
    fn pull_hosts_of(&self, class_id: Id) -> StoreFuture<'_, Vec<PullHostStatus>>;
    /// The last pull of a learner's hosts, by role.
    fn pull_hosts(&self, learner_id: Id) -> StoreFuture<'_, Vec<PullHostStatus>>;

    // Pull mode's SSH host keys: trusted on first use per class, in the store so that every
    // instance sharing it trusts the same keys; a changed key is refused and kept for the
    // trainer to accept.

    /// A class's trusted host keys, by host.
    fn pull_host_keys(&self, class_id: Id) -> StoreFuture<'_, Vec<PullHostKey>>;
    /// Trusts a key seen for the first time, atomically: `None` when it is now the host's
    /// key (recorded, or already the same), else the other key recorded meanwhile (nothing
    /// changed).
    fn trust_host_key(
        &self,
        class_id: Id,
        seen: SeenHostKey,
        now: i64,
    ) -> StoreFuture<'_, Option<PullHostKey>>;
    /// Keeps a refused key (different from the trusted one) for the trainer to accept.
    fn offer_host_key(&self, class_id: Id, seen: SeenHostKey, now: i64) -> StoreFuture<'_, ()>;
    /// The trainer accepts the key last refused for `host`, if its fingerprint is still
    /// `fingerprint` (the one the page showed): true when it is now the trusted key.
    fn accept_host_key(
        &self,
        class_id: Id,
        host: String,
        fingerprint: String,
        now: i64,
    ) -> StoreFuture<'_, bool>;
}
