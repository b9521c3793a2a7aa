//! A stored row into its record, once for both stores: the SQLite and PostgreSQL statements
//! select the same columns in the same order, and each backend's row is read through
//! [`Columns`].

use super::model::*;

/// A column value both drivers convert (integers, text, and their NULL-able forms).
pub(crate) trait Stored:
    rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a>
{
}

impl<T: rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a>> Stored for T {}

/// A result row of either store, read by column index.
pub(crate) trait Columns {
    /// The driver's error.
    type Error;
    /// The value of column `index`.
    fn column<T: Stored>(&self, index: usize) -> Result<T, Self::Error>;
}

impl Columns for rusqlite::Row<'_> {
    type Error = rusqlite::Error;
    fn column<T: Stored>(&self, index: usize) -> Result<T, rusqlite::Error> {
        self.get(index)
    }
}

impl Columns for tokio_postgres::Row {
    type Error = tokio_postgres::Error;
    fn column<T: Stored>(&self, index: usize) -> Result<T, tokio_postgres::Error> {
        self.try_get(index)
    }
}

/// `CLASS_COLUMNS`.
pub(crate) fn class<R: Columns>(r: &R) -> Result<Class, R::Error> {
    Ok(Class {
        id: r.column(0)?,
        fields: NewClass {
            trainer_id: r.column(1)?,
            name: r.column(2)?,
            code: r.column(3)?,
            pack_id: r.column(4)?,
            pack_source: r.column(5)?,
            pack_yaml: r.column(6)?,
            profile: r.column(7)?,
            starts_on: r.column(8)?,
            ends_on: r.column(9)?,
            created_at: r.column(10)?,
        },
    })
}

/// `LEARNER_COLUMNS`.
pub(crate) fn learner<R: Columns>(r: &R) -> Result<Learner, R::Error> {
    Ok(Learner {
        id: r.column(0)?,
        fields: NewLearner {
            class_id: r.column(1)?,
            name: r.column(2)?,
            public_key: r.column(3)?,
            page_token_hash: r.column(4)?,
            created_at: r.column(5)?,
        },
        last_seen: r.column(6)?,
    })
}

/// `id, name, password_hash`.
pub(crate) fn trainer<R: Columns>(r: &R) -> Result<Trainer, R::Error> {
    Ok(Trainer {
        id: r.column(0)?,
        name: r.column(1)?,
        password_hash: r.column(2)?,
    })
}

/// `learner_id, received_at, report_json`.
pub(crate) fn result<R: Columns>(r: &R) -> Result<StoredResult, R::Error> {
    Ok(StoredResult {
        learner_id: r.column(0)?,
        received_at: r.column(1)?,
        report_json: r.column(2)?,
    })
}

/// `HOST_KEY_SELECT`: the trusted key, and the refused one offered in its place if any.
pub(crate) fn pull_host_key<R: Columns>(r: &R) -> Result<PullHostKey, R::Error> {
    let offered = match (
        r.column::<Option<String>>(6)?,
        r.column::<Option<String>>(7)?,
    ) {
        (Some(key), Some(fingerprint)) => Some(OfferedHostKey {
            key,
            fingerprint,
            at: r.column::<Option<i64>>(8)?.unwrap_or(0),
        }),
        _ => None,
    };
    Ok(PullHostKey {
        host: r.column(0)?,
        key: r.column(1)?,
        fingerprint: r.column(2)?,
        learner_id: r.column(3)?,
        role: r.column(4)?,
        trusted_at: r.column(5)?,
        offered,
    })
}

/// A class's pull settings and its last finished run (columns 6 to 10, NULL before any).
pub(crate) fn pull_config<R: Columns>(r: &R) -> Result<PullConfig, R::Error> {
    let last_started_at: Option<i64> = r.column(6)?;
    let finished_at: Option<i64> = r.column(7)?;
    let last = match (last_started_at, finished_at) {
        (Some(started_at), Some(finished_at)) => Some(PullRun {
            started_at,
            finished_at,
            collected: r.column::<Option<i64>>(8)?.unwrap_or(0),
            failed: r.column::<Option<i64>>(9)?.unwrap_or(0),
            error: r.column(10)?,
        }),
        _ => None,
    };
    Ok(PullConfig {
        class_id: r.column(0)?,
        inventory: PullInventory {
            source: r.column(1)?,
            yaml: r.column(2)?,
            uploaded_at: r.column(3)?,
        },
        interval_minutes: r.column(4)?,
        running_until: r.column(5)?,
        last_started_at,
        last,
    })
}

/// One host's last pull: observed, or the failure's status, kind and cause.
pub(crate) fn pull_host<R: Columns>(r: &R) -> Result<PullHostStatus, R::Error> {
    let status: String = r.column(3)?;
    let failure = if status == "observed" {
        None
    } else {
        Some(PullFailure {
            status,
            kind: r.column::<Option<String>>(4)?.unwrap_or_default(),
            cause: r.column::<Option<String>>(5)?.unwrap_or_default(),
        })
    };
    Ok(PullHostStatus {
        learner_id: r.column(0)?,
        role: r.column(1)?,
        attempted_at: r.column(2)?,
        failure,
    })
}
