//! The records the store keeps. Times are Unix seconds (UTC) given by the caller, never read
//! by the store, so that tests are deterministic.

use serde::Serialize;

/// A row id.
pub type Id = i64;

/// A trainer account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trainer {
    /// Row id.
    pub id: Id,
    /// Login name.
    pub name: String,
    /// argon2id PHC string (`$argon2id$v=19$…`), never the password.
    pub password_hash: String,
}

/// A browser session (trainer logged in, or an anonymous visitor filling a form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// SHA-256 (hex) of the cookie's token: the token itself is never stored.
    pub token_hash: String,
    /// The trainer logged in, `None` for an anonymous visitor.
    pub trainer_id: Option<Id>,
    /// The CSRF token every form of this session carries.
    pub csrf: String,
    /// Unix seconds after which the session is refused.
    pub expires_at: i64,
}

/// What a new class is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClass {
    /// Owner.
    pub trainer_id: Id,
    /// Name shown on the pages.
    pub name: String,
    /// Enrolment code (unique).
    pub code: String,
    /// The pack's id (from the YAML).
    pub pack_id: String,
    /// Shipped pack id, or the uploaded file's name.
    pub pack_source: String,
    /// The pack's YAML text: the answer key, which never leaves the server.
    pub pack_yaml: String,
    /// Référentiel profile (`None`: the pack's).
    pub profile: Option<String>,
    /// First day (`YYYY-MM-DD`).
    pub starts_on: Option<String>,
    /// Last day (`YYYY-MM-DD`).
    pub ends_on: Option<String>,
    /// Creation time.
    pub created_at: i64,
}

/// A class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// Row id.
    pub id: Id,
    /// Its fields.
    pub fields: NewClass,
}

/// What a new learner is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLearner {
    /// Class joined.
    pub class_id: Id,
    /// Name given at enrolment.
    pub name: String,
    /// ed25519 public key (32 bytes) that verifies the learner's submissions.
    pub public_key: Vec<u8>,
    /// SHA-256 (hex) of the learner's page token (the page URL is the capability).
    pub page_token_hash: String,
    /// Enrolment time.
    pub created_at: i64,
}

/// A learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learner {
    /// Row id.
    pub id: Id,
    /// Its fields.
    pub fields: NewLearner,
    /// Last accepted submission (server time).
    pub last_seen: Option<i64>,
}

/// Whether a signed submission may be graded now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Yes: its signing time is newer than every accepted one, and the learner waited enough.
    Accepted,
    /// Its signing time is not newer than an accepted submission's: a replay.
    Replayed,
    /// The learner submitted less than the minimum interval ago.
    TooSoon {
        /// Seconds to wait.
        retry_after: i64,
    },
}

/// Whether a login attempt may check its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginClaim {
    /// Yes; the attempt is recorded under these ids (forgotten if it succeeds).
    Allowed {
        /// One record per key.
        attempt_ids: Vec<Id>,
    },
    /// Too many attempts within the window.
    Throttled {
        /// Seconds until a place frees (at least 1).
        retry_after: i64,
    },
}

/// A graded submission to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSubmission {
    /// Who.
    pub learner_id: Id,
    /// Their class.
    pub class_id: Id,
    /// Server time of reception.
    pub received_at: i64,
    /// Role graded.
    pub role: String,
    /// The scrubbed snapshot JSON.
    pub snapshot_json: String,
    /// SHA-256 (hex) of the body as received.
    pub body_sha256: String,
    /// The full (trainer's) report JSON; readers filter it by audience.
    pub report_json: String,
    /// Indicative total, 0..1 (`None`: nothing assessable).
    pub percent: Option<f64>,
}

/// A stored result.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResult {
    /// Who.
    pub learner_id: Id,
    /// Server time of reception.
    pub received_at: i64,
    /// The full report JSON.
    pub report_json: String,
}

/// One point of a learner's progress.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HistoryPoint {
    /// Server time of reception.
    pub received_at: i64,
    /// Indicative total, 0..1.
    pub percent: Option<f64>,
}

/// A graded submission was stored: the class grids showing this learner update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassEvent {
    /// Class.
    pub class_id: Id,
    /// Learner whose row changed.
    pub learner_id: Id,
}

impl ClassEvent {
    /// Not one row but every grid: events may have been missed (the PostgreSQL store's
    /// listening connection dropped and came back), so open grids reload from the store.
    /// Row ids start at 1, so no real event looks like it.
    pub const RESYNC: ClassEvent = ClassEvent {
        class_id: 0,
        learner_id: 0,
    };

    /// Whether this is [`ClassEvent::RESYNC`].
    pub fn is_resync(&self) -> bool {
        *self == ClassEvent::RESYNC
    }
}

/// How many full snapshots and reports are kept per learner (older submissions keep their
/// score for the history, not their bodies): a class resubmitting every 5 s stays bounded.
pub const KEPT_BODIES_PER_LEARNER: i64 = 3;

/// The inventory a trainer attached to a class (pull mode): the YAML as uploaded. It names
/// credentials (`cred: NAME`) and key files, never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullInventory {
    /// File name shown on the pages (`inventory.yaml`, or the name the trainer gave).
    pub source: String,
    /// The inventory's YAML text.
    pub yaml: String,
    /// When it was attached.
    pub uploaded_at: i64,
}

/// What one pull run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRun {
    /// Start (server time).
    pub started_at: i64,
    /// End (server time).
    pub finished_at: i64,
    /// Hosts collected.
    pub collected: i64,
    /// Hosts that failed.
    pub failed: i64,
    /// Why the whole run could not go on (the inventory or the credentials), if it stopped.
    pub error: Option<String>,
}

/// A class's pull mode: its inventory, its schedule and its last run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullConfig {
    /// Class.
    pub class_id: Id,
    /// The attached inventory.
    pub inventory: PullInventory,
    /// Pull every N minutes (`None`: on demand only).
    pub interval_minutes: Option<i64>,
    /// A run holds the class until then (server time); `None`: no run.
    pub running_until: Option<i64>,
    /// Start of the last run.
    pub last_started_at: Option<i64>,
    /// The last finished run.
    pub last: Option<PullRun>,
}

/// The last pull of one host (a learner's role): collected, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullHostStatus {
    /// Learner (one per inventory candidate).
    pub learner_id: Id,
    /// Pack role.
    pub role: String,
    /// Server time of the attempt.
    pub attempted_at: i64,
    /// `None`: collected and graded.
    pub failure: Option<PullFailure>,
}

/// Why a host could not be pulled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullFailure {
    /// The report's host status keyword (`unreachable`, `auth_refused`, `sudo_refused`,
    /// `collection_failed`).
    pub status: String,
    /// The transport's neutral failure kind (`timeout`, `output_too_large`, …).
    pub kind: String,
    /// The cause, as the transport worded it (scrubbed of the host's credentials).
    pub cause: String,
}

/// An SSH host key seen by a pull (the engine's `[address]:port` host field, the OpenSSH
/// key `type base64`, its SHA-256 fingerprint as `ssh-keygen -l` shows it), and whose host
/// it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenHostKey {
    /// `[address]:port`.
    pub host: String,
    /// OpenSSH public key, `type base64`.
    pub key: String,
    /// `SHA256:…`.
    pub fingerprint: String,
    /// Learner whose host it is.
    pub learner_id: Id,
    /// Pack role.
    pub role: String,
}

/// A key presented in place of the trusted one, refused until the trainer accepts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedHostKey {
    /// OpenSSH public key, `type base64`.
    pub key: String,
    /// `SHA256:…`.
    pub fingerprint: String,
    /// When it was last presented (server time).
    pub at: i64,
}

/// A class's trusted key for one host (trust on first use, shared by every instance on the
/// store), with the changed key last refused, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullHostKey {
    /// `[address]:port`.
    pub host: String,
    /// OpenSSH public key, `type base64`.
    pub key: String,
    /// `SHA256:…`.
    pub fingerprint: String,
    /// Learner whose host it was when trusted (`None` once the learner is gone).
    pub learner_id: Option<Id>,
    /// Pack role.
    pub role: String,
    /// When it was trusted (first use, or the trainer accepted it).
    pub trusted_at: i64,
    /// A different key presented since, refused.
    pub offered: Option<OfferedHostKey>,
}
