//! Storage behind the [`Store`] trait: the handlers only see the trait, so the SQLite file of
//! one trainer's machine and a shared PostgreSQL database are interchangeable.

mod api;
mod migrations;
mod model;
pub mod postgres;
mod rows;
mod sqlite;
#[cfg(any(test, feature = "store-suite"))]
pub mod suite;

pub use api::{Store, StoreError, StoreFuture};
pub use migrations::{MIGRATIONS, Migration, postgres_sql};
pub use model::*;
pub use postgres::{PgStore, PgTarget};
pub use sqlite::SqliteStore;
