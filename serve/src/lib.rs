//! `constat serve`: the trainer's live class.
//!
//! A trainer creates a class with a pack; learners join with its enrolment code and get a
//! signing key; `constat check --submit` sends their snapshot, signed; the server verifies,
//! scrubs and grades it (the pack never leaves the server) and the class grid updates live.
//!
//! * [`store`]: the [`store::Store`] trait and its SQLite implementation.
//! * [`protocol`]: the signed submission protocol and the learner key file.
//! * [`random`]: tokens, enrolment codes.

pub mod protocol;
pub mod random;
pub mod store;
