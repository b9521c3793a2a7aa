//! Storage behind the [`Store`] trait: the handlers only see the trait, so the SQLite file of
//! one trainer's machine and a shared PostgreSQL database are interchangeable.

mod api;
mod migrations;
mod model;
mod sqlite;

pub use api::{Store, StoreError, StoreFuture};
pub use migrations::{MIGRATIONS, Migration};
pub use model::*;
pub use sqlite::SqliteStore;
