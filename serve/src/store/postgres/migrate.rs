//! The schema migrations applied to PostgreSQL: [`MIGRATIONS`] in PostgreSQL's dialect,
//! each in its own transaction and recorded in `schema_version`, under an advisory lock so
//! that instances starting together on an empty database migrate it once.

use super::pool::db_error;
use crate::store::StoreError;
use crate::store::migrations::{MIGRATIONS, postgres_sql};
use tokio_postgres::Client;

/// The advisory lock key held while migrating ("constat" in ASCII).
const MIGRATION_LOCK: i64 = 0x00_63_6f_6e_73_74_61_74;

/// The schema version recorded (0 on an empty database).
async fn current_version(client: &Client) -> Result<i64, StoreError> {
    let row = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_version",
            &[],
        )
        .await
        .map_err(db_error)?;
    row.try_get(0).map_err(db_error)
}

/// Applies the migrations not applied yet; refuses a database migrated by a newer build.
pub(super) async fn migrate(client: &mut Client, shown: &str) -> Result<(), StoreError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(db_error)?;
    let migrated = apply(client, shown).await;
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(db_error);
    migrated.and(unlocked.map(drop))
}

async fn apply(client: &mut Client, shown: &str) -> Result<(), StoreError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_version (
                version BIGINT PRIMARY KEY,
                description TEXT NOT NULL
            )",
        )
        .await
        .map_err(db_error)?;
    let current = current_version(client).await?;
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    if current > known {
        return Err(StoreError::TooNew {
            path: shown.to_owned(),
            found: current,
            known,
        });
    }
    for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
        let tx = client.transaction().await.map_err(db_error)?;
        tx.batch_execute(&postgres_sql(migration.sql))
            .await
            .map_err(db_error)?;
        tx.execute(
            "INSERT INTO schema_version (version, description) VALUES ($1, $2)",
            &[&migration.version, &migration.description],
        )
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
    }
    Ok(())
}
