//! Trainer accounts, browser sessions and CSRF tokens.

mod password;
mod session;

pub use password::{MIN_PASSWORD_CHARS, PasswordError, hash_password, verify_password};
pub use session::{
    SESSION_COOKIE, SESSION_SECS, Visitor, cookie, csrf_matches, new_session, removal_cookie,
    session_cookie, visitor,
};
