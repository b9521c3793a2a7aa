//! The PostgreSQL store, for several instances sharing one database: the target URL
//! ([`target`]), TLS ([`tls`]), the connection pool ([`pool`]), the migrations ([`migrate`]),
//! the live fan-out ([`listen`]) and the [`crate::store::Store`] implementation ([`store`]).

pub mod listen;
mod migrate;
pub mod pool;
mod store;
pub mod target;
mod tls;

pub use store::PgStore;
pub use target::PgTarget;
