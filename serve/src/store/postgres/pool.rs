//! A small pool of PostgreSQL connections: at most [`POOL_SIZE`] in use at once (a request
//! beyond waits its turn, at most [`ACQUIRE_TIMEOUT`]), idle ones reused, closed ones
//! dropped and replaced on the next use (so a restarted database is reconnected to without
//! restarting the server). A connection whose work was cut short (timeout, cancelled
//! request) is never reused: it may still hold a statement in flight.

use super::target::PgTarget;
use crate::store::StoreError;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio_postgres::Client;

/// Connections in use at once, per instance.
pub const POOL_SIZE: usize = 4;
/// Longest wait for a free connection.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest one store operation may take, connection included.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(20);

/// A unit of work on one connection.
pub type Work<'c, T> = Pin<Box<dyn Future<Output = Result<T, tokio_postgres::Error>> + Send + 'c>>;

/// The pool.
pub struct Pool {
    target: PgTarget,
    idle: Mutex<Vec<Client>>,
    slots: Semaphore,
}

fn unavailable(target: &PgTarget, message: String) -> StoreError {
    StoreError::Database(format!("{}: {message}", target.shown()))
}

/// A database error as the store reports it: a broken constraint is a conflict.
pub fn db_error(e: tokio_postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error()
        && db.code().code().starts_with("23")
    {
        return StoreError::Conflict(db.message().to_owned());
    }
    match e.as_db_error() {
        Some(db) => StoreError::Database(format!("{}: {}", db.severity(), db.message())),
        None => StoreError::Database(e.to_string()),
    }
}

impl Pool {
    /// An empty pool for `target` (connections are opened on use).
    pub fn new(target: PgTarget) -> Pool {
        Pool {
            target,
            idle: Mutex::new(Vec::new()),
            slots: Semaphore::new(POOL_SIZE),
        }
    }

    /// The target.
    pub fn target(&self) -> &PgTarget {
        &self.target
    }

    fn take_idle(&self) -> Option<Client> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        while let Some(client) = idle.pop() {
            if !client.is_closed() {
                return Some(client);
            }
        }
        None
    }

    fn give_back(&self, client: Client) {
        if !client.is_closed() {
            self.idle
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(client);
        }
    }

    /// Opens a connection and drives it on its own task; why not, in words.
    pub async fn open(&self) -> Result<Client, String> {
        let (client, connection) = self.target.connect().await?;
        let shown = self.target.shown().to_owned();
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                eprintln!("constat serve: database connection to {shown} closed: {e}");
            }
        });
        Ok(client)
    }

    /// Runs `work` on a connection, within [`OPERATION_TIMEOUT`].
    pub async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: for<'c> FnOnce(&'c mut Client) -> Work<'c, T> + Send,
        T: Send,
    {
        let attempt = async {
            let _permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.slots.acquire())
                .await
                .map_err(|_| {
                    unavailable(
                        &self.target,
                        format!("every connection busy for {} s", ACQUIRE_TIMEOUT.as_secs()),
                    )
                })?
                .map_err(|_| unavailable(&self.target, "the pool is closed".to_owned()))?;
            let mut client = match self.take_idle() {
                Some(client) => client,
                None => self
                    .open()
                    .await
                    .map_err(|m| unavailable(&self.target, m))?,
            };
            let done = work(&mut client).await;
            // Reached only when the work finished: a cut-short connection is dropped.
            self.give_back(client);
            done.map_err(db_error)
        };
        tokio::time::timeout(OPERATION_TIMEOUT, attempt)
            .await
            .map_err(|_| {
                unavailable(
                    &self.target,
                    format!("no answer within {} s", OPERATION_TIMEOUT.as_secs()),
                )
            })?
    }
}
