//! What every handler shares: the application's state (store, templates, packs, settings,
//! pull engine), its settings and limits, and the clock.

use crate::grading::PackCache;
use crate::store::Store;
use crate::templates::Templates;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Limits on what a client may send.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest submission body (a snapshot).
    pub max_submission_bytes: usize,
    /// Largest form body (an uploaded pack is pasted in a form).
    pub max_form_bytes: usize,
    /// Shortest interval between two accepted submissions of one learner.
    pub min_submit_interval_secs: i64,
    /// Time allowed to receive a submission's body.
    pub body_timeout_secs: u64,
    /// Login attempts allowed per trainer name within [`Limits::login_window_secs`]
    /// (a successful one is forgotten).
    pub login_attempts_per_account: i64,
    /// Login attempts allowed per client address within the window.
    pub login_attempts_per_address: i64,
    /// The login throttling window.
    pub login_window_secs: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_submission_bytes: 8 << 20,
            max_form_bytes: 1 << 20,
            min_submit_interval_secs: 2,
            body_timeout_secs: 60,
            login_attempts_per_account: 5,
            login_attempts_per_address: 10,
            login_window_secs: 60,
        }
    }
}

/// A clock (Unix seconds): the system's in production, a fixed one in tests.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    })
}

/// How the application runs.
#[derive(Clone)]
pub struct Settings {
    /// Served over TLS: cookies get `Secure`, links `https`.
    pub tls: bool,
    /// SHA-256 fingerprint of the server certificate, shown to the trainer for `--pin`.
    pub fingerprint: Option<String>,
    /// Limits.
    pub limits: Limits,
    /// Clock.
    pub clock: Clock,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Storage.
    pub store: Arc<dyn Store>,
    /// Templates.
    pub templates: Arc<Templates>,
    /// Compiled packs per class.
    pub packs: Arc<PackCache>,
    /// Settings.
    pub settings: Settings,
    /// Password checks in flight (argon2 is CPU- and memory-heavy): beyond, a login waits
    /// its turn a little, then is refused.
    pub password_slots: Arc<Semaphore>,
    /// The collector of pull mode (`None`: pull mode is off on this server).
    pub pull: Option<Arc<dyn crate::pull::PullEngine>>,
}

impl AppState {
    /// State over `store`.
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Result<AppState, minijinja::Error> {
        Ok(AppState {
            store,
            templates: Arc::new(Templates::new()?),
            packs: Arc::new(PackCache::default()),
            settings,
            password_slots: Arc::new(Semaphore::new(2)),
            pull: None,
        })
    }

    /// The same state with pull mode collecting through `engine`.
    pub fn with_pull(mut self, engine: Arc<dyn crate::pull::PullEngine>) -> AppState {
        self.pull = Some(engine);
        self
    }

    /// Now, Unix seconds.
    pub fn now(&self) -> i64 {
        (self.settings.clock)()
    }
}
