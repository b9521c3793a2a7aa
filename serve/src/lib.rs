//! `constat serve`: the trainer's live class.
//!
//! A trainer creates a class with a pack; learners join with its enrolment code and get a
//! signing key; `constat check --submit` sends their snapshot, signed; the server verifies,
//! scrubs and grades it (the pack never leaves the server) and the class grid updates live.
//!
//! * [`store`]: the [`store::Store`] trait and its SQLite implementation.
//! * [`protocol`]: the signed submission protocol and the learner key file.
//! * [`state`]: what every handler shares; [`router`]: every address and its handler;
//!   [`page`]: page rendering; [`pages`] the HTML pages, [`submit`] the submission endpoint,
//!   [`grading`] packs and grading, [`templates`] the embedded pages.
//! * [`auth`]: argon2id passwords, sessions, CSRF, the login throttle; [`client_addr`]:
//!   the peer's address; [`extract`]: extractors whose refusals are pages or JSON errors in
//!   the reader's language; [`i18n`]: French and English.
//! * [`pull`]: pull mode — an inventory attached to a class, its hosts collected over SSH
//!   by a [`pull::PullEngine`] the `constat` command plugs in, graded like submissions.
//! * [`server`]: listening (TLS with a self-signed certificate, or plain HTTP), [`tls`];
//!   [`cert_check`]: the certificate checks of constat's TLS clients (PostgreSQL, `--submit`).
//!   [`private_fs`]: the files only the server's user may read.

// Handlers' helpers return a ready `Response` as their error (a redirection, an error page):
// boxing it would only add an allocation to every refusal.
#![allow(clippy::result_large_err)]

pub mod auth;
pub mod cert_check;
pub mod client_addr;
pub mod extract;
pub mod grading;
pub mod i18n;
pub mod page;
pub mod pages;
pub mod private_fs;
pub mod protocol;
pub mod pull;
pub mod random;
pub mod router;
pub mod server;
pub mod state;
pub mod store;
pub mod submit;
pub mod templates;
pub mod tls;
