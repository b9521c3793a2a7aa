//! Trainer accounts, browser sessions, CSRF tokens and the login throttle.

mod password;
mod session;
mod throttle;

pub use password::{MIN_PASSWORD_CHARS, PasswordError, hash_password, verify_password};
pub use session::{
    SESSION_COOKIE, SESSION_SECS, Visitor, cookie, csrf_matches, new_session, removal_cookie,
    session_cookie, visitor,
};
pub use throttle::{account_key, attempt_keys};
