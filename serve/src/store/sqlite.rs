//! The embedded store: one SQLite file (created 0600 on first start, WAL journal), migrated
//! by [`super::MIGRATIONS`]. Calls run on tokio's blocking pool behind one mutex: SQLite
//! serialises writers anyway, and a class of 30 learners is far below what one connection
//! serves. Live events go through an in-process broadcast channel (one instance per file).

use super::api::{Store, StoreError, StoreFuture};
use super::migrations::MIGRATIONS;
use super::model::*;
use super::rows;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Capacity of the live event channel: a grid that lags this far behind reloads itself.
const EVENT_BACKLOG: usize = 256;

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    events: broadcast::Sender<ClassEvent>,
}

fn db_error(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(code, message) = &e
        && code.code == rusqlite::ErrorCode::ConstraintViolation
    {
        return StoreError::Conflict(message.clone().unwrap_or_else(|| e.to_string()));
    }
    StoreError::Database(e.to_string())
}

impl SqliteStore {
    /// Opens (creating it 0600 when absent) and migrates the database file at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let shown = path.display().to_string();
        let open_error = |message: String| StoreError::Open {
            path: shown.clone(),
            message,
        };
        if !path.exists() {
            create_private_file(path).map_err(|e| open_error(e.to_string()))?;
        }
        let conn = Connection::open(path).map_err(|e| open_error(e.to_string()))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
        )
        .map_err(|e| open_error(e.to_string()))?;
        Self::from_connection(conn, &shown)
    }

    /// An in-memory store (tests).
    pub fn in_memory() -> Result<SqliteStore, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::Open {
            path: ":memory:".to_owned(),
            message: e.to_string(),
        })?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(db_error)?;
        Self::from_connection(conn, ":memory:")
    }

    fn from_connection(mut conn: Connection, shown: &str) -> Result<SqliteStore, StoreError> {
        migrate(&mut conn, shown)?;
        let (events, _) = broadcast::channel(EVENT_BACKLOG);
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            events,
        })
    }

    /// The schema version of the database (the last migration applied).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        let conn = self.conn.lock().map_err(|_| poisoned())?;
        current_version(&conn)
    }

    /// Runs `work` with the connection on the blocking pool.
    fn run<T, F>(&self, work: F) -> StoreFuture<'_, T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let mut conn = conn.lock().map_err(|_| poisoned())?;
                work(&mut conn).map_err(db_error)
            })
            .await
            .map_err(|e| StoreError::Database(e.to_string()))?
        })
    }
}

fn poisoned() -> StoreError {
    StoreError::Database("a database call panicked earlier".to_owned())
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
}

fn current_version(conn: &Connection) -> Result<i64, StoreError> {
    conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )
    .map_err(db_error)
}

/// Applies the migrations not applied yet, each in its own transaction.
fn migrate(conn: &mut Connection, shown: &str) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            description TEXT NOT NULL
        )",
    )
    .map_err(db_error)?;
    let current = current_version(conn)?;
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    if current > known {
        return Err(StoreError::TooNew {
            path: shown.to_owned(),
            found: current,
            known,
        });
    }
    for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
        let tx = conn.transaction().map_err(db_error)?;
        tx.execute_batch(migration.sql).map_err(db_error)?;
        tx.execute(
            "INSERT INTO schema_version (version, description) VALUES (?1, ?2)",
            params![migration.version, migration.description],
        )
        .map_err(db_error)?;
        tx.commit().map_err(db_error)?;
    }
    Ok(())
}

const CLASS_COLUMNS: &str = "id, trainer_id, name, code, pack_id, pack_source, pack_yaml, \
     profile, starts_on, ends_on, created_at";

fn class_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Class> {
    rows::class(r)
}

const LEARNER_COLUMNS: &str =
    "id, class_id, name, public_key, page_token_hash, created_at, last_seen";

fn learner_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Learner> {
    rows::learner(r)
}

fn trainer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Trainer> {
    rows::trainer(r)
}

fn result_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredResult> {
    rows::result(r)
}

impl Store for SqliteStore {
    fn trainer_count(&self) -> StoreFuture<'_, i64> {
        self.run(|c| c.query_row("SELECT COUNT(*) FROM trainers", [], |r| r.get(0)))
    }

    fn create_trainer(&self, name: String, password_hash: String, now: i64) -> StoreFuture<'_, Id> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO trainers (name, password_hash, created_at) VALUES (?1, ?2, ?3)",
                params![name, password_hash, now],
            )?;
            Ok(c.last_insert_rowid())
        })
    }

    fn trainer_by_name(&self, name: String) -> StoreFuture<'_, Option<Trainer>> {
        self.run(move |c| {
            c.query_row(
                "SELECT id, name, password_hash FROM trainers WHERE name = ?1",
                [name],
                trainer_row,
            )
            .optional()
        })
    }

    fn trainer(&self, id: Id) -> StoreFuture<'_, Option<Trainer>> {
        self.run(move |c| {
            c.query_row(
                "SELECT id, name, password_hash FROM trainers WHERE id = ?1",
                [id],
                trainer_row,
            )
            .optional()
        })
    }

    fn create_session(&self, session: WebSession, now: i64) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
            c.execute(
                "INSERT INTO sessions (token_hash, trainer_id, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![session.token_hash, session.trainer_id, session.csrf, session.expires_at],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_hash: String, now: i64) -> StoreFuture<'_, Option<WebSession>> {
        self.run(move |c| {
            c.query_row(
                "SELECT token_hash, trainer_id, csrf, expires_at FROM sessions \
                 WHERE token_hash = ?1 AND expires_at > ?2",
                params![token_hash, now],
                |r| {
                    Ok(WebSession {
                        token_hash: r.get(0)?,
                        trainer_id: r.get(1)?,
                        csrf: r.get(2)?,
                        expires_at: r.get(3)?,
                    })
                },
            )
            .optional()
        })
    }

    fn delete_session(&self, token_hash: String) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])
                .map(drop)
        })
    }

    fn create_class(&self, class: NewClass) -> StoreFuture<'_, Class> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO classes (trainer_id, name, code, pack_id, pack_source, pack_yaml, \
                 profile, starts_on, ends_on, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    class.trainer_id,
                    class.name,
                    class.code,
                    class.pack_id,
                    class.pack_source,
                    class.pack_yaml,
                    class.profile,
                    class.starts_on,
                    class.ends_on,
                    class.created_at
                ],
            )?;
            Ok(Class {
                id: c.last_insert_rowid(),
                fields: class,
            })
        })
    }

    fn classes_of(&self, trainer_id: Id) -> StoreFuture<'_, Vec<Class>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {CLASS_COLUMNS} FROM classes WHERE trainer_id = ?1 ORDER BY id DESC"
            ))?;
            stmt.query_map([trainer_id], class_row)?.collect()
        })
    }

    fn class(&self, id: Id) -> StoreFuture<'_, Option<Class>> {
        self.run(move |c| {
            c.query_row(
                &format!("SELECT {CLASS_COLUMNS} FROM classes WHERE id = ?1"),
                [id],
                class_row,
            )
            .optional()
        })
    }

    fn class_by_code(&self, code: String) -> StoreFuture<'_, Option<Class>> {
        self.run(move |c| {
            c.query_row(
                &format!("SELECT {CLASS_COLUMNS} FROM classes WHERE code = ?1"),
                [code],
                class_row,
            )
            .optional()
        })
    }

    fn create_learner(&self, learner: NewLearner) -> StoreFuture<'_, Learner> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO learners (class_id, name, public_key, page_token_hash, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    learner.class_id,
                    learner.name,
                    learner.public_key,
                    learner.page_token_hash,
                    learner.created_at
                ],
            )?;
            Ok(Learner {
                id: c.last_insert_rowid(),
                fields: learner,
                last_seen: None,
            })
        })
    }

    fn learners_of(&self, class_id: Id) -> StoreFuture<'_, Vec<Learner>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {LEARNER_COLUMNS} FROM learners WHERE class_id = ?1 ORDER BY name, id"
            ))?;
            stmt.query_map([class_id], learner_row)?.collect()
        })
    }

    fn learner(&self, id: Id) -> StoreFuture<'_, Option<Learner>> {
        self.run(move |c| {
            c.query_row(
                &format!("SELECT {LEARNER_COLUMNS} FROM learners WHERE id = ?1"),
                [id],
                learner_row,
            )
            .optional()
        })
    }

    fn learner_by_page_token(&self, token_hash: String) -> StoreFuture<'_, Option<Learner>> {
        self.run(move |c| {
            c.query_row(
                &format!("SELECT {LEARNER_COLUMNS} FROM learners WHERE page_token_hash = ?1"),
                [token_hash],
                learner_row,
            )
            .optional()
        })
    }

    fn claim_submission(
        &self,
        learner_id: Id,
        signed_at: i64,
        now: i64,
        min_interval: i64,
    ) -> StoreFuture<'_, Claim> {
        self.run(move |c| {
            let tx = c.transaction()?;
            let (last_signed, last_seen): (Option<i64>, Option<i64>) = tx.query_row(
                "SELECT last_signed_at, last_seen FROM learners WHERE id = ?1",
                [learner_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            // Too soon first: a learner sending again within the same second signs the same
            // time, and is told to wait (then signs anew), not that it was a replay. A replay is
            // refused either way.
            let claim = if let Some(seen) = last_seen
                && now - seen < min_interval
            {
                Claim::TooSoon {
                    retry_after: min_interval - (now - seen),
                }
            } else if last_signed.is_some_and(|last| signed_at <= last) {
                Claim::Replayed
            } else {
                tx.execute(
                    "UPDATE learners SET last_signed_at = ?2, last_seen = ?3 WHERE id = ?1",
                    params![learner_id, signed_at, now],
                )?;
                Claim::Accepted
            };
            tx.commit()?;
            Ok(claim)
        })
    }

    fn record_submission(&self, s: NewSubmission) -> StoreFuture<'_, Id> {
        let events = self.events.clone();
        let event = ClassEvent {
            class_id: s.class_id,
            learner_id: s.learner_id,
        };
        let stored = self.run(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO submissions (learner_id, received_at, role, body_sha256, snapshot_json) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.learner_id, s.received_at, s.role, s.body_sha256, s.snapshot_json],
            )?;
            let submission_id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO results (submission_id, learner_id, class_id, received_at, percent, report_json) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![submission_id, s.learner_id, s.class_id, s.received_at, s.percent, s.report_json],
            )?;
            let result_id = tx.last_insert_rowid();
            tx.execute(
                "UPDATE learners SET last_seen = MAX(COALESCE(last_seen, 0), ?2) WHERE id = ?1",
                params![s.learner_id, s.received_at],
            )?;
            tx.execute(
                "UPDATE submissions SET snapshot_json = NULL WHERE learner_id = ?1 \
                 AND snapshot_json IS NOT NULL AND id NOT IN \
                 (SELECT id FROM submissions WHERE learner_id = ?1 ORDER BY id DESC LIMIT ?2)",
                params![s.learner_id, KEPT_BODIES_PER_LEARNER],
            )?;
            tx.execute(
                "UPDATE results SET report_json = NULL WHERE learner_id = ?1 \
                 AND report_json IS NOT NULL AND id NOT IN \
                 (SELECT id FROM results WHERE learner_id = ?1 ORDER BY id DESC LIMIT ?2)",
                params![s.learner_id, KEPT_BODIES_PER_LEARNER],
            )?;
            tx.commit()?;
            Ok(result_id)
        });
        Box::pin(async move {
            let id = stored.await?;
            // No grid open: nobody to tell, not an error.
            let _ = events.send(event);
            Ok(id)
        })
    }

    fn latest_results(&self, class_id: Id) -> StoreFuture<'_, Vec<StoredResult>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT r.learner_id, r.received_at, r.report_json FROM results r \
                 WHERE r.class_id = ?1 AND r.report_json IS NOT NULL AND r.id = \
                 (SELECT MAX(id) FROM results WHERE learner_id = r.learner_id) \
                 ORDER BY r.learner_id",
            )?;
            stmt.query_map([class_id], result_row)?.collect()
        })
    }

    fn latest_result(&self, learner_id: Id) -> StoreFuture<'_, Option<StoredResult>> {
        self.run(move |c| {
            c.query_row(
                "SELECT learner_id, received_at, report_json FROM results \
                 WHERE learner_id = ?1 AND report_json IS NOT NULL ORDER BY id DESC LIMIT 1",
                [learner_id],
                result_row,
            )
            .optional()
        })
    }

    fn history(&self, learner_id: Id) -> StoreFuture<'_, Vec<HistoryPoint>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT received_at, percent FROM results WHERE learner_id = ?1 ORDER BY id",
            )?;
            stmt.query_map([learner_id], |r| {
                Ok(HistoryPoint {
                    received_at: r.get(0)?,
                    percent: r.get(1)?,
                })
            })?
            .collect()
        })
    }

    fn subscribe(&self) -> broadcast::Receiver<ClassEvent> {
        self.events.subscribe()
    }

    fn create_first_trainer(
        &self,
        name: String,
        password_hash: String,
        now: i64,
    ) -> StoreFuture<'_, Option<Id>> {
        self.run(move |c| {
            // IMMEDIATE: the write lock is taken before the count (another process on the file).
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let count: i64 = tx.query_row("SELECT COUNT(*) FROM trainers", [], |r| r.get(0))?;
            if count > 0 {
                return Ok(None);
            }
            tx.execute(
                "INSERT INTO trainers (name, password_hash, created_at) VALUES (?1, ?2, ?3)",
                params![name, password_hash, now],
            )?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            Ok(Some(id))
        })
    }

    fn claim_login_attempt(
        &self,
        keys: Vec<(String, i64)>,
        now: i64,
        window_secs: i64,
    ) -> StoreFuture<'_, LoginClaim> {
        self.run(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "DELETE FROM login_attempts WHERE at <= ?1",
                [now - window_secs],
            )?;
            let mut retry_after = 0;
            for (key, limit) in &keys {
                let (count, earliest): (i64, Option<i64>) = tx.query_row(
                    "SELECT COUNT(*), MIN(at) FROM login_attempts WHERE key = ?1",
                    [key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                if count >= *limit {
                    let frees_at = earliest.unwrap_or(now) + window_secs;
                    retry_after = retry_after.max((frees_at - now).max(1));
                }
            }
            if retry_after > 0 {
                tx.commit()?;
                return Ok(LoginClaim::Throttled { retry_after });
            }
            let mut attempt_ids = Vec::with_capacity(keys.len());
            for (key, _) in &keys {
                tx.execute(
                    "INSERT INTO login_attempts (key, at) VALUES (?1, ?2)",
                    params![key, now],
                )?;
                attempt_ids.push(tx.last_insert_rowid());
            }
            tx.commit()?;
            Ok(LoginClaim::Allowed { attempt_ids })
        })
    }

    fn forget_login_attempts(
        &self,
        account_key: String,
        attempt_ids: Vec<Id>,
    ) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM login_attempts WHERE key = ?1", [account_key])?;
            for id in attempt_ids {
                tx.execute("DELETE FROM login_attempts WHERE id = ?1", [id])?;
            }
            tx.commit()
        })
    }

    fn set_pull_inventory(&self, class_id: Id, inventory: PullInventory) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            c.execute(
                "INSERT INTO class_pulls (class_id, inventory_source, inventory_yaml, uploaded_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (class_id) DO UPDATE SET \
                 inventory_source = excluded.inventory_source, \
                 inventory_yaml = excluded.inventory_yaml, uploaded_at = excluded.uploaded_at",
                params![
                    class_id,
                    inventory.source,
                    inventory.yaml,
                    inventory.uploaded_at
                ],
            )
            .map(drop)
        })
    }

    fn pull_config(&self, class_id: Id) -> StoreFuture<'_, Option<PullConfig>> {
        self.run(move |c| {
            c.query_row(
                "SELECT class_id, inventory_source, inventory_yaml, uploaded_at, interval_minutes, \
                 running_until, last_started_at, last_finished_at, last_collected, last_failed, \
                 last_error FROM class_pulls WHERE class_id = ?1",
                [class_id],
                pull_config_row,
            )
            .optional()
        })
    }

    fn set_pull_interval(&self, class_id: Id, minutes: Option<i64>) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            c.execute(
                "UPDATE class_pulls SET interval_minutes = ?2 WHERE class_id = ?1",
                params![class_id, minutes],
            )
            .map(drop)
        })
    }

    fn pull_learners(
        &self,
        class_id: Id,
        candidates: Vec<(String, String)>,
        now: i64,
    ) -> StoreFuture<'_, Vec<(String, Id)>> {
        // A pulled learner's page token is drawn like any other (its hash is unique), and
        // never shown: the trainer's pages show the learner.
        let mut tokens = Vec::with_capacity(candidates.len());
        for _ in &candidates {
            match crate::random::token() {
                Ok(token) => tokens.push(crate::random::token_hash(&token)),
                Err(e) => {
                    let message = e.to_string();
                    return Box::pin(async move { Err(StoreError::Database(message)) });
                }
            }
        }
        self.run(move |c| {
            let tx = c.transaction()?;
            let mut learners = Vec::with_capacity(candidates.len());
            for ((candidate, name), token) in candidates.into_iter().zip(tokens) {
                let found: Option<Id> = tx
                    .query_row(
                        "SELECT learner_id FROM pull_learners WHERE class_id = ?1 AND candidate_id = ?2",
                        params![class_id, candidate],
                        |r| r.get(0),
                    )
                    .optional()?;
                let id = match found {
                    Some(id) => {
                        tx.execute(
                            "UPDATE learners SET name = ?2 WHERE id = ?1 AND name <> ?2",
                            params![id, name],
                        )?;
                        id
                    }
                    None => {
                        tx.execute(
                            "INSERT INTO learners (class_id, name, public_key, page_token_hash, created_at) \
                             VALUES (?1, ?2, ?3, ?4, ?5)",
                            params![class_id, name, Vec::<u8>::new(), token, now],
                        )?;
                        let id = tx.last_insert_rowid();
                        tx.execute(
                            "INSERT INTO pull_learners (class_id, candidate_id, learner_id) VALUES (?1, ?2, ?3)",
                            params![class_id, candidate, id],
                        )?;
                        id
                    }
                };
                learners.push((candidate, id));
            }
            tx.commit()?;
            Ok(learners)
        })
    }

    fn claim_pull(&self, class_id: Id, now: i64, lease_secs: i64) -> StoreFuture<'_, bool> {
        self.run(move |c| {
            let changed = c.execute(
                "UPDATE class_pulls SET running_until = ?2 + ?3, last_started_at = ?2 \
                 WHERE class_id = ?1 AND (running_until IS NULL OR running_until <= ?2)",
                params![class_id, now, lease_secs],
            )?;
            Ok(changed == 1)
        })
    }

    fn finish_pull(&self, class_id: Id, run: PullRun) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            c.execute(
                "UPDATE class_pulls SET running_until = NULL, last_started_at = ?2, \
                 last_finished_at = ?3, last_collected = ?4, last_failed = ?5, last_error = ?6 \
                 WHERE class_id = ?1",
                params![
                    class_id,
                    run.started_at,
                    run.finished_at,
                    run.collected,
                    run.failed,
                    run.error
                ],
            )
            .map(drop)
        })
    }

    fn due_pulls(&self, now: i64) -> StoreFuture<'_, Vec<Id>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT class_id FROM class_pulls WHERE interval_minutes IS NOT NULL \
                 AND (running_until IS NULL OR running_until <= ?1) \
                 AND (last_started_at IS NULL OR last_started_at + interval_minutes * 60 <= ?1) \
                 ORDER BY class_id",
            )?;
            stmt.query_map([now], |r| r.get(0))?.collect()
        })
    }

    fn record_pull_hosts(
        &self,
        class_id: Id,
        learner_id: Id,
        hosts: Vec<PullHostStatus>,
        announce: bool,
    ) -> StoreFuture<'_, ()> {
        let events = self.events.clone();
        let stored = self.run(move |c| {
            let tx = c.transaction()?;
            for host in hosts {
                let (status, kind, cause) = match host.failure {
                    Some(f) => (f.status, Some(f.kind), Some(f.cause)),
                    None => ("observed".to_owned(), None, None),
                };
                tx.execute(
                    "INSERT INTO pull_hosts (learner_id, role, class_id, attempted_at, status, kind, cause) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (learner_id, role) DO UPDATE SET \
                     attempted_at = excluded.attempted_at, status = excluded.status, \
                     kind = excluded.kind, cause = excluded.cause",
                    params![learner_id, host.role, class_id, host.attempted_at, status, kind, cause],
                )?;
            }
            tx.commit()
        });
        Box::pin(async move {
            stored.await?;
            if announce {
                let _ = events.send(ClassEvent {
                    class_id,
                    learner_id,
                });
            }
            Ok(())
        })
    }

    fn pull_hosts_of(&self, class_id: Id) -> StoreFuture<'_, Vec<PullHostStatus>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT learner_id, role, attempted_at, status, kind, cause FROM pull_hosts \
                 WHERE class_id = ?1 ORDER BY learner_id, role",
            )?;
            stmt.query_map([class_id], pull_host_row)?.collect()
        })
    }

    fn pull_hosts(&self, learner_id: Id) -> StoreFuture<'_, Vec<PullHostStatus>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT learner_id, role, attempted_at, status, kind, cause FROM pull_hosts \
                 WHERE learner_id = ?1 ORDER BY role",
            )?;
            stmt.query_map([learner_id], pull_host_row)?.collect()
        })
    }

    fn pull_host_keys(&self, class_id: Id) -> StoreFuture<'_, Vec<PullHostKey>> {
        self.run(move |c| {
            let mut stmt = c.prepare_cached(HOST_KEYS_SELECT)?;
            stmt.query_map(params![class_id], pull_host_key_row)?
                .collect()
        })
    }

    fn trust_host_key(
        &self,
        class_id: Id,
        seen: SeenHostKey,
        now: i64,
    ) -> StoreFuture<'_, Option<PullHostKey>> {
        self.run(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO pull_host_keys (class_id, host, key, fingerprint, learner_id, role, trusted_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (class_id, host) DO NOTHING",
                params![class_id, seen.host, seen.key, seen.fingerprint, seen.learner_id, seen.role, now],
            )?;
            let recorded = tx.query_row(
                &format!("{HOST_KEY_SELECT} AND host = ?2"),
                params![class_id, seen.host],
                pull_host_key_row,
            )?;
            tx.commit()?;
            Ok((recorded.key != seen.key).then_some(recorded))
        })
    }

    fn offer_host_key(&self, class_id: Id, seen: SeenHostKey, now: i64) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            c.execute(
                "UPDATE pull_host_keys SET offered_key = ?3, offered_fingerprint = ?4, offered_at = ?5 \
                 WHERE class_id = ?1 AND host = ?2 AND key <> ?3",
                params![class_id, seen.host, seen.key, seen.fingerprint, now],
            )
            .map(drop)
        })
    }

    fn accept_host_key(
        &self,
        class_id: Id,
        host: String,
        fingerprint: String,
        now: i64,
    ) -> StoreFuture<'_, bool> {
        self.run(move |c| {
            c.execute(HOST_KEY_ACCEPT, params![class_id, host, fingerprint, now])
                .map(|changed| changed == 1)
        })
    }
}

/// A class's host keys; `?1` is the class.
const HOST_KEY_SELECT: &str = "SELECT host, key, fingerprint, learner_id, role, trusted_at, \
     offered_key, offered_fingerprint, offered_at FROM pull_host_keys WHERE class_id = ?1";
const HOST_KEYS_SELECT: &str = "SELECT host, key, fingerprint, learner_id, role, trusted_at, \
     offered_key, offered_fingerprint, offered_at FROM pull_host_keys WHERE class_id = ?1 \
     ORDER BY host";
/// `?1` class, `?2` host, `?3` the refused key's fingerprint as shown, `?4` now.
const HOST_KEY_ACCEPT: &str = "UPDATE pull_host_keys SET key = offered_key, \
     fingerprint = offered_fingerprint, trusted_at = ?4, offered_key = NULL, \
     offered_fingerprint = NULL, offered_at = NULL \
     WHERE class_id = ?1 AND host = ?2 AND offered_fingerprint = ?3 AND offered_key IS NOT NULL";

fn pull_host_key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PullHostKey> {
    rows::pull_host_key(r)
}

fn pull_config_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PullConfig> {
    rows::pull_config(r)
}

fn pull_host_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PullHostStatus> {
    rows::pull_host(r)
}

#[cfg(test)]
mod tests {
    //! SQLite only: the file, its version, what is kept; the behaviour every store shares is
    //! in [`crate::store::suite`].
    use super::*;
    use crate::store::suite::{class, learner, submission};

    #[tokio::test]
    async fn a_file_is_created_private_and_migrated_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("constat.sqlite");
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        store
            .create_trainer("ana".into(), "h".into(), 1)
            .await
            .unwrap();
        drop(store);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Reopened: nothing re-applied, the data is there.
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert_eq!(store.trainer_count().await.unwrap(), 1);
    }

    #[tokio::test]
    async fn a_database_from_a_newer_build_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("constat.sqlite");
        drop(SqliteStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute("INSERT INTO schema_version VALUES (99, 'future')", [])
            .unwrap();
        drop(conn);
        let error = SqliteStore::open(&path).err().unwrap();
        assert!(
            matches!(error, StoreError::TooNew { found: 99, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("newer constat"), "{error}");
    }

    #[tokio::test]
    async fn results_keep_bounded_bodies_and_full_history_and_are_announced() {
        let store = SqliteStore::in_memory().unwrap();
        let mut events = store.subscribe();
        let t = store
            .create_trainer("ana".into(), "h".into(), 1)
            .await
            .unwrap();
        let c = store.create_class(class(t, "ABC")).await.unwrap();
        let bob = store.create_learner(learner(c.id, "bob")).await.unwrap();
        let zoe = store.create_learner(learner(c.id, "zoe")).await.unwrap();
        for at in 1..=5 {
            store
                .record_submission(submission(bob.id, c.id, at))
                .await
                .unwrap();
        }
        store
            .record_submission(submission(zoe.id, c.id, 9))
            .await
            .unwrap();
        let first = events.recv().await.unwrap();
        assert_eq!(
            first,
            ClassEvent {
                class_id: c.id,
                learner_id: bob.id
            }
        );
        let latest = store.latest_results(c.id).await.unwrap();
        let got: Vec<(Id, i64)> = latest
            .iter()
            .map(|r| (r.learner_id, r.received_at))
            .collect();
        assert_eq!(got, vec![(bob.id, 5), (zoe.id, 9)]);
        assert_eq!(store.history(bob.id).await.unwrap().len(), 5);
        let bodies: i64 = store
            .run(|c| {
                c.query_row(
                    "SELECT COUNT(*) FROM results WHERE report_json IS NOT NULL",
                    [],
                    |r| r.get(0),
                )
            })
            .await
            .unwrap();
        assert_eq!(bodies, KEPT_BODIES_PER_LEARNER + 1);
        let seen = store.learner(bob.id).await.unwrap().unwrap().last_seen;
        assert_eq!(seen, Some(5));
    }
}
