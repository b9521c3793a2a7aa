//! The shared store: the [`Store`] trait over PostgreSQL (tokio-postgres, a small pool),
//! for several `constat serve` instances behind one load balancer. Everything an instance
//! needs to answer any request is in the database (sessions and their CSRF tokens, the
//! submission claims that rate-limit learners, results); live events go through
//! `LISTEN/NOTIFY` ([`super::listen`]), sent in the transaction of the write they announce.
//!
//! Adding a method: write its SQL with `$n` parameters, run it through
//! [`PgStore::run`] in a closure that owns its arguments, read columns with `try_get`.

use super::listen::{CHANNEL, listen_forever, payload};
use super::migrate::migrate;
use super::pool::{Pool, Work};
use super::target::PgTarget;
use crate::store::api::{Store, StoreError, StoreFuture};
use crate::store::model::*;
use crate::store::rows;
use std::sync::Arc;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, Row};

/// Capacity of the live event channel: a grid that lags this far behind reloads itself.
const EVENT_BACKLOG: usize = 256;

struct Inner {
    pool: Pool,
    events: broadcast::Sender<ClassEvent>,
    listener: JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PgStore {
    inner: Arc<Inner>,
}

impl PgStore {
    /// Connects, migrates (refusing a database a newer build migrated) and starts listening
    /// for the other instances' events.
    pub async fn connect(target: PgTarget) -> Result<PgStore, StoreError> {
        let pool = Pool::new(target.clone());
        let mut client = pool.open().await.map_err(|message| StoreError::Open {
            path: target.shown().to_owned(),
            message,
        })?;
        migrate(&mut client, target.shown()).await?;
        let (events, _) = broadcast::channel(EVENT_BACKLOG);
        let (ready, listening) = oneshot::channel();
        let listener = tokio::spawn(listen_forever(target.for_listener(), events.clone(), ready));
        let store = PgStore {
            inner: Arc::new(Inner {
                pool,
                events,
                listener,
            }),
        };
        match listening.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => {
                return Err(StoreError::Database(
                    "the live-update listener stopped".to_owned(),
                ));
            }
        }
        Ok(store)
    }

    /// The URL without password.
    pub fn shown(&self) -> &str {
        self.inner.pool.target().shown()
    }

    /// The schema version of the database (the last migration applied).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        self.run(|c| {
            Box::pin(async move {
                let row = c
                    .query_one(
                        "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_version",
                        &[],
                    )
                    .await?;
                row.try_get(0)
            })
        })
        .await
    }

    /// Runs `work` on a pooled connection.
    pub(super) fn run<'a, T, F>(&'a self, work: F) -> StoreFuture<'a, T>
    where
        F: for<'c> FnOnce(&'c mut Client) -> Work<'c, T> + Send + 'a,
        T: Send + 'a,
    {
        Box::pin(self.inner.pool.run(work))
    }
}

const CLASS_COLUMNS: &str = "id, trainer_id, name, code, pack_id, pack_source, pack_yaml, \
     profile, starts_on, ends_on, created_at";

fn class_row(r: &Row) -> Result<Class, tokio_postgres::Error> {
    rows::class(r)
}

const LEARNER_COLUMNS: &str =
    "id, class_id, name, public_key, page_token_hash, created_at, last_seen";

fn learner_row(r: &Row) -> Result<Learner, tokio_postgres::Error> {
    rows::learner(r)
}

fn trainer_row(r: &Row) -> Result<Trainer, tokio_postgres::Error> {
    rows::trainer(r)
}

fn result_row(r: &Row) -> Result<StoredResult, tokio_postgres::Error> {
    rows::result(r)
}

fn session_row(r: &Row) -> Result<WebSession, tokio_postgres::Error> {
    Ok(WebSession {
        token_hash: r.try_get(0)?,
        trainer_id: r.try_get(1)?,
        csrf: r.try_get(2)?,
        expires_at: r.try_get(3)?,
    })
}

fn rows<T>(
    rows: Vec<Row>,
    each: fn(&Row) -> Result<T, tokio_postgres::Error>,
) -> Result<Vec<T>, tokio_postgres::Error> {
    rows.iter().map(each).collect()
}

fn optional<T>(
    row: Option<Row>,
    each: fn(&Row) -> Result<T, tokio_postgres::Error>,
) -> Result<Option<T>, tokio_postgres::Error> {
    row.as_ref().map(each).transpose()
}

impl Store for PgStore {
    fn trainer_count(&self) -> StoreFuture<'_, i64> {
        self.run(|c| {
            Box::pin(async move {
                c.query_one("SELECT COUNT(*)::BIGINT FROM trainers", &[])
                    .await?
                    .try_get(0)
            })
        })
    }

    fn create_trainer(&self, name: String, password_hash: String, now: i64) -> StoreFuture<'_, Id> {
        self.run(move |c| {
            Box::pin(async move {
                c.query_one(
                    "INSERT INTO trainers (name, password_hash, created_at) VALUES ($1, $2, $3) \
                     RETURNING id",
                    &[&name, &password_hash, &now],
                )
                .await?
                .try_get(0)
            })
        })
    }

    fn trainer_by_name(&self, name: String) -> StoreFuture<'_, Option<Trainer>> {
        self.run(move |c| {
            Box::pin(async move {
                let row = c
                    .query_opt(
                        "SELECT id, name, password_hash FROM trainers WHERE name = $1",
                        &[&name],
                    )
                    .await?;
                optional(row, trainer_row)
            })
        })
    }

    fn trainer(&self, id: Id) -> StoreFuture<'_, Option<Trainer>> {
        self.run(move |c| {
            Box::pin(async move {
                let row = c
                    .query_opt(
                        "SELECT id, name, password_hash FROM trainers WHERE id = $1",
                        &[&id],
                    )
                    .await?;
                optional(row, trainer_row)
            })
        })
    }

    fn create_session(&self, session: WebSession, now: i64) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            Box::pin(async move {
                c.execute("DELETE FROM sessions WHERE expires_at <= $1", &[&now])
                    .await?;
                c.execute(
                    "INSERT INTO sessions (token_hash, trainer_id, csrf, expires_at) \
                     VALUES ($1, $2, $3, $4)",
                    &[
                        &session.token_hash,
                        &session.trainer_id,
                        &session.csrf,
                        &session.expires_at,
                    ],
                )
                .await?;
                Ok(())
            })
        })
    }

    fn session(&self, token_hash: String, now: i64) -> StoreFuture<'_, Option<WebSession>> {
        self.run(move |c| {
            Box::pin(async move {
                let row = c
                    .query_opt(
                        "SELECT token_hash, trainer_id, csrf, expires_at FROM sessions \
                         WHERE token_hash = $1 AND expires_at > $2",
                        &[&token_hash, &now],
                    )
                    .await?;
                optional(row, session_row)
            })
        })
    }

    fn delete_session(&self, token_hash: String) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            Box::pin(async move {
                c.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])
                    .await
                    .map(drop)
            })
        })
    }

    fn create_class(&self, class: NewClass) -> StoreFuture<'_, Class> {
        self.run(move |c| {
            Box::pin(async move {
                let id: Id = c
                    .query_one(
                        "INSERT INTO classes (trainer_id, name, code, pack_id, pack_source, \
                         pack_yaml, profile, starts_on, ends_on, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                        &[
                            &class.trainer_id,
                            &class.name,
                            &class.code,
                            &class.pack_id,
                            &class.pack_source,
                            &class.pack_yaml,
                            &class.profile,
                            &class.starts_on,
                            &class.ends_on,
                            &class.created_at,
                        ],
                    )
                    .await?
                    .try_get(0)?;
                Ok(Class { id, fields: class })
            })
        })
    }

    fn classes_of(&self, trainer_id: Id) -> StoreFuture<'_, Vec<Class>> {
        self.run(move |c| {
            Box::pin(async move {
                let found = c
                    .query(
                        &format!(
                            "SELECT {CLASS_COLUMNS} FROM classes WHERE trainer_id = $1 \
                             ORDER BY id DESC"
                        ),
                        &[&trainer_id],
                    )
                    .await?;
                rows(found, class_row)
            })
        })
    }

    fn class(&self, id: Id) -> StoreFuture<'_, Option<Class>> {
        self.run(move |c| {
            Box::pin(async move {
                let row = c
                    .query_opt(
                        &format!("SELECT {CLASS_COLUMNS} FROM classes WHERE id = $1"),
                        &[&id],
                    )
                    .await?;
                optional(row, class_row)
            })
        })
    }

    fn class_by_code(&self, code: String) -> StoreFuture<'_, Option<Class>> {
        self.run(move |c| {
            Box::pin(async move {
                let row = c
                    .query_opt(
                        &format!("SELECT {CLASS_COLUMNS} FROM classes WHERE code = $1"),
                        &[&code],
                    )
                    .await?;
                optional(row, class_row)
            })
        })
    }

    fn create_learner(&self, learner: NewLearner) -> StoreFuture<'_, Learner> {
        self.run(move |c| {
            Box::pin(async move {
                let id: Id = c
                    .query_one(
                        "INSERT INTO learners (class_id, name, public_key, page_token_hash, \
                         created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        &[
                            &learner.class_id,
                            &learner.name,
                            &learner.public_key,
                            &learner.page_token_hash,
                            &learner.created_at,
                        ],
                    )
                    .await?
                    .try_get(0)?;
                Ok(Learner {
                    id,
                    fields: learner,
                    last_seen: None,
                })
            })
        })
    }

    fn learners_of(&self, class_id: Id) -> StoreFuture<'_, Vec<Learner>> {
        self.run(move |c| {
            Box::pin(async move {
                // `COLLATE "C"`: the same byte order as SQLite's, whatever the database's locale.
                let found = c
                    .query(
                        &format!(
                            "SELECT {LEARNER_COLUMNS} FROM learners WHERE class_id = $1 \
                             ORDER BY name COLLATE \"C\", id"
                        ),
                        &[&class_id],
                    )
                    .await?;
                rows(found, learner_row)
            })
        })
    }

    fn learner(&self, id: Id) -> StoreFuture<'_, Option<Learner>> {
        self.run(move |c| {
            Box::pin(async move {
                let row = c
                    .query_opt(
                        &format!("SELECT {LEARNER_COLUMNS} FROM learners WHERE id = $1"),
                        &[&id],
                    )
                    .await?;
                optional(row, learner_row)
            })
        })
    }

    fn learner_by_page_token(&self, token_hash: String) -> StoreFuture<'_, Option<Learner>> {
        self.run(move |c| {
            Box::pin(async move {
                let row = c
                    .query_opt(
                        &format!(
                            "SELECT {LEARNER_COLUMNS} FROM learners WHERE page_token_hash = $1"
                        ),
                        &[&token_hash],
                    )
                    .await?;
                optional(row, learner_row)
            })
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
            Box::pin(async move {
                let tx = c.transaction().await?;
                // The row lock serialises two instances claiming for the same learner.
                let row = tx
                    .query_one(
                        "SELECT last_signed_at, last_seen FROM learners WHERE id = $1 FOR UPDATE",
                        &[&learner_id],
                    )
                    .await?;
                let last_signed: Option<i64> = row.try_get(0)?;
                let last_seen: Option<i64> = row.try_get(1)?;
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
                        "UPDATE learners SET last_signed_at = $2, last_seen = $3 WHERE id = $1",
                        &[&learner_id, &signed_at, &now],
                    )
                    .await?;
                    Claim::Accepted
                };
                tx.commit().await?;
                Ok(claim)
            })
        })
    }

    fn record_submission(&self, s: NewSubmission) -> StoreFuture<'_, Id> {
        self.run(move |c| {
            Box::pin(async move {
                let event = ClassEvent {
                    class_id: s.class_id,
                    learner_id: s.learner_id,
                };
                let tx = c.transaction().await?;
                let submission_id: Id = tx
                    .query_one(
                        "INSERT INTO submissions (learner_id, received_at, role, body_sha256, \
                         snapshot_json) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        &[
                            &s.learner_id,
                            &s.received_at,
                            &s.role,
                            &s.body_sha256,
                            &s.snapshot_json,
                        ],
                    )
                    .await?
                    .try_get(0)?;
                let result_id: Id = tx
                    .query_one(
                        "INSERT INTO results (submission_id, learner_id, class_id, received_at, \
                         percent, report_json) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                        &[
                            &submission_id,
                            &s.learner_id,
                            &s.class_id,
                            &s.received_at,
                            &s.percent,
                            &s.report_json,
                        ],
                    )
                    .await?
                    .try_get(0)?;
                tx.execute(
                    "UPDATE learners SET last_seen = GREATEST(COALESCE(last_seen, 0), $2) \
                     WHERE id = $1",
                    &[&s.learner_id, &s.received_at],
                )
                .await?;
                tx.execute(
                    "UPDATE submissions SET snapshot_json = NULL WHERE learner_id = $1 \
                     AND snapshot_json IS NOT NULL AND id NOT IN \
                     (SELECT id FROM submissions WHERE learner_id = $1 ORDER BY id DESC LIMIT $2)",
                    &[&s.learner_id, &KEPT_BODIES_PER_LEARNER],
                )
                .await?;
                tx.execute(
                    "UPDATE results SET report_json = NULL WHERE learner_id = $1 \
                     AND report_json IS NOT NULL AND id NOT IN \
                     (SELECT id FROM results WHERE learner_id = $1 ORDER BY id DESC LIMIT $2)",
                    &[&s.learner_id, &KEPT_BODIES_PER_LEARNER],
                )
                .await?;
                // Delivered to every listening instance (this one too) when the
                // transaction commits, never before, never for a rolled-back write.
                tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload(&event)])
                    .await?;
                tx.commit().await?;
                Ok(result_id)
            })
        })
    }

    fn latest_results(&self, class_id: Id) -> StoreFuture<'_, Vec<StoredResult>> {
        self.run(move |c| {
            Box::pin(async move {
                let found = c
                    .query(
                        "SELECT r.learner_id, r.received_at, r.report_json FROM results r \
                         WHERE r.class_id = $1 AND r.report_json IS NOT NULL AND r.id = \
                         (SELECT MAX(id) FROM results WHERE learner_id = r.learner_id) \
                         ORDER BY r.learner_id",
                        &[&class_id],
                    )
                    .await?;
                rows(found, result_row)
            })
        })
    }

    fn latest_result(&self, learner_id: Id) -> StoreFuture<'_, Option<StoredResult>> {
        self.run(move |c| {
            Box::pin(async move {
                let row = c
                    .query_opt(
                        "SELECT learner_id, received_at, report_json FROM results \
                         WHERE learner_id = $1 AND report_json IS NOT NULL \
                         ORDER BY id DESC LIMIT 1",
                        &[&learner_id],
                    )
                    .await?;
                optional(row, result_row)
            })
        })
    }

    fn history(&self, learner_id: Id) -> StoreFuture<'_, Vec<HistoryPoint>> {
        self.run(move |c| {
            Box::pin(async move {
                let found = c
                    .query(
                        "SELECT received_at, percent FROM results WHERE learner_id = $1 ORDER BY id",
                        &[&learner_id],
                    )
                    .await?;
                found
                    .iter()
                    .map(|r| -> Result<HistoryPoint, tokio_postgres::Error> {
                        Ok(HistoryPoint {
                            received_at: r.try_get(0)?,
                            percent: r.try_get(1)?,
                        })
                    })
                    .collect()
            })
        })
    }

    fn subscribe(&self) -> broadcast::Receiver<ClassEvent> {
        self.inner.events.subscribe()
    }

    fn create_first_trainer(
        &self,
        name: String,
        password_hash: String,
        now: i64,
    ) -> StoreFuture<'_, Option<Id>> {
        self.run(move |c| {
            Box::pin(async move {
                let tx = c.transaction().await?;
                // Blocks the other instances' inserts until this transaction ends.
                tx.batch_execute("LOCK TABLE trainers IN SHARE ROW EXCLUSIVE MODE")
                    .await?;
                let count: i64 = tx
                    .query_one("SELECT COUNT(*)::BIGINT FROM trainers", &[])
                    .await?
                    .try_get(0)?;
                if count > 0 {
                    return Ok(None);
                }
                let id: Id = tx
                    .query_one(
                        "INSERT INTO trainers (name, password_hash, created_at) \
                         VALUES ($1, $2, $3) RETURNING id",
                        &[&name, &password_hash, &now],
                    )
                    .await?
                    .try_get(0)?;
                tx.commit().await?;
                Ok(Some(id))
            })
        })
    }

    fn claim_login_attempt(
        &self,
        keys: Vec<(String, i64)>,
        now: i64,
        window_secs: i64,
    ) -> StoreFuture<'_, LoginClaim> {
        self.run(move |c| {
            Box::pin(async move {
                let cutoff = now - window_secs;
                let tx = c.transaction().await?;
                // Atomic across instances: a key may have no row yet, so `SELECT … FOR UPDATE`
                // would lock nothing and two instances could both count 4 of 5 and both
                // insert. Instead each key is locked by a transaction-scoped advisory lock
                // (released at commit or rollback, held by the database, so valid across
                // instances), taken in sorted order so that two claims sharing keys never
                // deadlock. Under READ COMMITTED every statement after the lock sees the
                // attempts the previous holder committed: count then insert is one step per
                // key. (A serialisable transaction would need a retry loop for the same
                // result.) A hash collision only serialises two unrelated keys.
                let mut locked: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
                locked.sort_unstable();
                locked.dedup();
                for key in locked {
                    tx.execute(
                        "SELECT pg_advisory_xact_lock(hashtextextended($1, $2))",
                        &[&key, &LOGIN_LOCK_SEED],
                    )
                    .await?;
                }
                // Forgets the expired attempts without waiting on rows another transaction
                // holds (it forgets them, or the next claim will): never blocks, never
                // deadlocks. The counts below ignore expired rows anyway.
                tx.execute(
                    "DELETE FROM login_attempts WHERE id IN (SELECT id FROM login_attempts \
                     WHERE at <= $1 FOR UPDATE SKIP LOCKED)",
                    &[&cutoff],
                )
                .await?;
                let mut retry_after = 0;
                for (key, limit) in &keys {
                    let row = tx
                        .query_one(
                            "SELECT COUNT(*)::BIGINT, MIN(at) FROM login_attempts \
                             WHERE key = $1 AND at > $2",
                            &[key, &cutoff],
                        )
                        .await?;
                    let count: i64 = row.try_get(0)?;
                    let earliest: Option<i64> = row.try_get(1)?;
                    if count >= *limit {
                        let frees_at = earliest.unwrap_or(now) + window_secs;
                        retry_after = retry_after.max((frees_at - now).max(1));
                    }
                }
                if retry_after > 0 {
                    tx.commit().await?;
                    return Ok(LoginClaim::Throttled { retry_after });
                }
                let mut attempt_ids = Vec::with_capacity(keys.len());
                for (key, _) in &keys {
                    let id: Id = tx
                        .query_one(
                            "INSERT INTO login_attempts (key, at) VALUES ($1, $2) RETURNING id",
                            &[key, &now],
                        )
                        .await?
                        .try_get(0)?;
                    attempt_ids.push(id);
                }
                tx.commit().await?;
                Ok(LoginClaim::Allowed { attempt_ids })
            })
        })
    }

    fn forget_login_attempts(
        &self,
        account_key: String,
        attempt_ids: Vec<Id>,
    ) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            Box::pin(async move {
                // One statement: atomic without an explicit transaction.
                c.execute(
                    "DELETE FROM login_attempts WHERE key = $1 OR id = ANY($2)",
                    &[&account_key, &attempt_ids],
                )
                .await
                .map(drop)
            })
        })
    }

    fn set_pull_inventory(&self, class_id: Id, inventory: PullInventory) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            Box::pin(async move {
                c.execute(
                    "INSERT INTO class_pulls (class_id, inventory_source, inventory_yaml, \
                     uploaded_at) VALUES ($1, $2, $3, $4) ON CONFLICT (class_id) DO UPDATE SET \
                     inventory_source = EXCLUDED.inventory_source, \
                     inventory_yaml = EXCLUDED.inventory_yaml, \
                     uploaded_at = EXCLUDED.uploaded_at",
                    &[
                        &class_id,
                        &inventory.source,
                        &inventory.yaml,
                        &inventory.uploaded_at,
                    ],
                )
                .await
                .map(drop)
            })
        })
    }

    fn pull_config(&self, class_id: Id) -> StoreFuture<'_, Option<PullConfig>> {
        self.run(move |c| {
            Box::pin(async move {
                let row = c
                    .query_opt(
                        "SELECT class_id, inventory_source, inventory_yaml, uploaded_at, \
                         interval_minutes, running_until, last_started_at, last_finished_at, \
                         last_collected, last_failed, last_error FROM class_pulls \
                         WHERE class_id = $1",
                        &[&class_id],
                    )
                    .await?;
                optional(row, pull_config_row)
            })
        })
    }

    fn set_pull_interval(&self, class_id: Id, minutes: Option<i64>) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            Box::pin(async move {
                c.execute(
                    "UPDATE class_pulls SET interval_minutes = $2 WHERE class_id = $1",
                    &[&class_id, &minutes],
                )
                .await
                .map(drop)
            })
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
            Box::pin(async move {
                let tx = c.transaction().await?;
                // Two instances enrolling the same class's candidates at once (a claimed run
                // and an on-demand one) wait for each other on the class's row instead of
                // both enrolling a candidate; `NO KEY UPDATE` does not block enrolments
                // (their foreign key check takes only `KEY SHARE`).
                tx.query_opt(
                    "SELECT id FROM classes WHERE id = $1 FOR NO KEY UPDATE",
                    &[&class_id],
                )
                .await?;
                let no_key: Vec<u8> = Vec::new();
                let mut learners = Vec::with_capacity(candidates.len());
                for ((candidate, name), token) in candidates.into_iter().zip(tokens) {
                    let found = tx
                        .query_opt(
                            "SELECT learner_id FROM pull_learners \
                             WHERE class_id = $1 AND candidate_id = $2",
                            &[&class_id, &candidate],
                        )
                        .await?;
                    let id: Id = match found {
                        Some(row) => {
                            let id: Id = row.try_get(0)?;
                            tx.execute(
                                "UPDATE learners SET name = $2 WHERE id = $1 AND name <> $2",
                                &[&id, &name],
                            )
                            .await?;
                            id
                        }
                        None => {
                            let id: Id = tx
                                .query_one(
                                    "INSERT INTO learners (class_id, name, public_key, \
                                     page_token_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
                                     RETURNING id",
                                    &[&class_id, &name, &no_key, &token, &now],
                                )
                                .await?
                                .try_get(0)?;
                            tx.execute(
                                "INSERT INTO pull_learners (class_id, candidate_id, learner_id) \
                                 VALUES ($1, $2, $3)",
                                &[&class_id, &candidate, &id],
                            )
                            .await?;
                            id
                        }
                    };
                    learners.push((candidate, id));
                }
                tx.commit().await?;
                Ok(learners)
            })
        })
    }

    fn claim_pull(&self, class_id: Id, now: i64, lease_secs: i64) -> StoreFuture<'_, bool> {
        self.run(move |c| {
            Box::pin(async move {
                // Atomic across instances as one statement: the UPDATE locks the class's row,
                // and under READ COMMITTED a second instance's UPDATE waits for that lock,
                // then re-checks its WHERE on the row as committed (running_until now in the
                // future), so it changes nothing: exactly one claim wins.
                let changed = c
                    .execute(
                        "UPDATE class_pulls SET running_until = $2 + $3, last_started_at = $2 \
                         WHERE class_id = $1 AND (running_until IS NULL OR running_until <= $2)",
                        &[&class_id, &now, &lease_secs],
                    )
                    .await?;
                Ok(changed == 1)
            })
        })
    }

    fn finish_pull(&self, class_id: Id, run: PullRun) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            Box::pin(async move {
                c.execute(
                    "UPDATE class_pulls SET running_until = NULL, last_started_at = $2, \
                     last_finished_at = $3, last_collected = $4, last_failed = $5, \
                     last_error = $6 WHERE class_id = $1",
                    &[
                        &class_id,
                        &run.started_at,
                        &run.finished_at,
                        &run.collected,
                        &run.failed,
                        &run.error,
                    ],
                )
                .await
                .map(drop)
            })
        })
    }

    fn due_pulls(&self, now: i64) -> StoreFuture<'_, Vec<Id>> {
        self.run(move |c| {
            Box::pin(async move {
                let found = c
                    .query(
                        "SELECT class_id FROM class_pulls WHERE interval_minutes IS NOT NULL \
                         AND (running_until IS NULL OR running_until <= $1) \
                         AND (last_started_at IS NULL \
                              OR last_started_at + interval_minutes * 60 <= $1) \
                         ORDER BY class_id",
                        &[&now],
                    )
                    .await?;
                found.iter().map(|r| r.try_get(0)).collect()
            })
        })
    }

    fn record_pull_hosts(
        &self,
        class_id: Id,
        learner_id: Id,
        hosts: Vec<PullHostStatus>,
        announce: bool,
    ) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            Box::pin(async move {
                let tx = c.transaction().await?;
                for host in hosts {
                    let (status, kind, cause) = match host.failure {
                        Some(f) => (f.status, Some(f.kind), Some(f.cause)),
                        None => ("observed".to_owned(), None, None),
                    };
                    tx.execute(
                        "INSERT INTO pull_hosts (learner_id, role, class_id, attempted_at, \
                         status, kind, cause) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                         ON CONFLICT (learner_id, role) DO UPDATE SET \
                         attempted_at = EXCLUDED.attempted_at, status = EXCLUDED.status, \
                         kind = EXCLUDED.kind, cause = EXCLUDED.cause",
                        &[
                            &learner_id,
                            &host.role,
                            &class_id,
                            &host.attempted_at,
                            &status,
                            &kind,
                            &cause,
                        ],
                    )
                    .await?;
                }
                if announce {
                    // Delivered to every listening instance when the transaction commits.
                    let event = ClassEvent {
                        class_id,
                        learner_id,
                    };
                    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload(&event)])
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            })
        })
    }

    fn pull_hosts_of(&self, class_id: Id) -> StoreFuture<'_, Vec<PullHostStatus>> {
        self.run(move |c| {
            Box::pin(async move {
                // `COLLATE "C"`: the same byte order as SQLite's, whatever the database's locale.
                let found = c
                    .query(
                        "SELECT learner_id, role, attempted_at, status, kind, cause FROM pull_hosts \
                         WHERE class_id = $1 ORDER BY learner_id, role COLLATE \"C\"",
                        &[&class_id],
                    )
                    .await?;
                rows(found, pull_host_row)
            })
        })
    }

    fn pull_hosts(&self, learner_id: Id) -> StoreFuture<'_, Vec<PullHostStatus>> {
        self.run(move |c| {
            Box::pin(async move {
                let found = c
                    .query(
                        "SELECT learner_id, role, attempted_at, status, kind, cause FROM pull_hosts \
                         WHERE learner_id = $1 ORDER BY role COLLATE \"C\"",
                        &[&learner_id],
                    )
                    .await?;
                rows(found, pull_host_row)
            })
        })
    }

    fn pull_host_keys(&self, class_id: Id) -> StoreFuture<'_, Vec<PullHostKey>> {
        self.run(move |c| {
            Box::pin(async move {
                let found = c
                    .query(
                        &format!("{HOST_KEY_SELECT} ORDER BY host COLLATE \"C\""),
                        &[&class_id],
                    )
                    .await?;
                rows(found, pull_host_key_row)
            })
        })
    }

    fn trust_host_key(
        &self,
        class_id: Id,
        seen: SeenHostKey,
        now: i64,
    ) -> StoreFuture<'_, Option<PullHostKey>> {
        self.run(move |c| {
            Box::pin(async move {
                // The insert is atomic across instances; the row read after it is the key
                // that won (read committed sees the other transaction's commit).
                c.execute(
                    "INSERT INTO pull_host_keys (class_id, host, key, fingerprint, learner_id, \
                     role, trusted_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (class_id, host) DO NOTHING",
                    &[
                        &class_id,
                        &seen.host,
                        &seen.key,
                        &seen.fingerprint,
                        &seen.learner_id,
                        &seen.role,
                        &now,
                    ],
                )
                .await?;
                let row = c
                    .query_one(
                        &format!("{HOST_KEY_SELECT} AND host = $2"),
                        &[&class_id, &seen.host],
                    )
                    .await?;
                let recorded = pull_host_key_row(&row)?;
                Ok((recorded.key != seen.key).then_some(recorded))
            })
        })
    }

    fn offer_host_key(&self, class_id: Id, seen: SeenHostKey, now: i64) -> StoreFuture<'_, ()> {
        self.run(move |c| {
            Box::pin(async move {
                c.execute(
                    "UPDATE pull_host_keys SET offered_key = $3, offered_fingerprint = $4, \
                     offered_at = $5 WHERE class_id = $1 AND host = $2 AND key <> $3",
                    &[&class_id, &seen.host, &seen.key, &seen.fingerprint, &now],
                )
                .await
                .map(drop)
            })
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
            Box::pin(async move {
                c.execute(
                    "UPDATE pull_host_keys SET key = offered_key, \
                     fingerprint = offered_fingerprint, trusted_at = $4, offered_key = NULL, \
                     offered_fingerprint = NULL, offered_at = NULL WHERE class_id = $1 \
                     AND host = $2 AND offered_fingerprint = $3 AND offered_key IS NOT NULL",
                    &[&class_id, &host, &fingerprint, &now],
                )
                .await
                .map(|changed| changed == 1)
            })
        })
    }
}

/// Seed of the advisory-lock hash of a login throttling key (`claim_login_attempt`): keeps
/// these locks apart from any other use of `hashtextextended` locks.
const LOGIN_LOCK_SEED: i64 = 0x636f_6e73_7461_7401;

/// A class's host keys; `$1` is the class.
const HOST_KEY_SELECT: &str = "SELECT host, key, fingerprint, learner_id, role, trusted_at, \
     offered_key, offered_fingerprint, offered_at FROM pull_host_keys WHERE class_id = $1";

fn pull_host_key_row(r: &Row) -> Result<PullHostKey, tokio_postgres::Error> {
    rows::pull_host_key(r)
}

fn pull_config_row(r: &Row) -> Result<PullConfig, tokio_postgres::Error> {
    rows::pull_config(r)
}

fn pull_host_row(r: &Row) -> Result<PullHostStatus, tokio_postgres::Error> {
    rows::pull_host(r)
}
