//! The HTML pages and their handlers, one file per page family.

pub mod account;
pub mod check;
pub mod classes;
pub mod collect;
pub mod export;
pub mod grid;
pub(crate) mod grid_model;
pub(crate) mod guard;
pub mod join;
pub mod learner;
pub mod live;
pub mod pull;
