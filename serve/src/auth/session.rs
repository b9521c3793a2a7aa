//! Browser sessions: a random token in an `HttpOnly; SameSite=Strict` cookie (`Secure` under
//! TLS), stored only as its SHA-256; each session has its own CSRF token, which every form
//! carries and every POST handler compares. Anonymous visitors who fill a form (login,
//! setup, join) get a session too, so that those forms are protected the same way; logging
//! in replaces the session (a new token: no fixation).

use crate::random::{self, RandomError, constant_time_eq};
use crate::store::{Id, Store, StoreError, WebSession};
use axum::http::{HeaderMap, HeaderValue, header};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "constat_session";

/// Lifetime of a session: a training day.
pub const SESSION_SECS: i64 = 12 * 3600;

/// Who is asking.
#[derive(Debug, Clone)]
pub struct Visitor {
    /// The session (its token hash and CSRF token).
    pub session: WebSession,
    /// The cookie to set on the response when the session was created by this request.
    pub set_cookie: Option<HeaderValue>,
}

impl Visitor {
    /// The trainer logged in.
    pub fn trainer_id(&self) -> Option<Id> {
        self.session.trainer_id
    }
}

/// The value of cookie `name` in the request, if any (the first one).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// The `Set-Cookie` value of a session token.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    // A token is base64url: always a valid header value.
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECS}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn removal_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "constat_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static("constat_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    }
}

/// Why a visitor could not be established.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SessionError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No randomness.
    #[error(transparent)]
    Random(#[from] RandomError),
}

/// Stores a new session for `trainer_id` (or an anonymous one) and returns it with its
/// cookie token.
pub async fn new_session(
    store: &dyn Store,
    trainer_id: Option<Id>,
    now: i64,
) -> Result<(WebSession, String), SessionError> {
    let token = random::token()?;
    let session = WebSession {
        token_hash: random::token_hash(&token),
        trainer_id,
        csrf: random::token()?,
        expires_at: now + SESSION_SECS,
    };
    store.create_session(session.clone(), now).await?;
    Ok((session, token))
}

/// The request's session, or a new anonymous one (with its cookie to set).
pub async fn visitor(
    store: &dyn Store,
    headers: &HeaderMap,
    now: i64,
    secure: bool,
) -> Result<Visitor, SessionError> {
    if let Some(token) = cookie(headers, SESSION_COOKIE)
        && let Some(session) = store.session(random::token_hash(&token), now).await?
    {
        return Ok(Visitor {
            session,
            set_cookie: None,
        });
    }
    let (session, token) = new_session(store, None, now).await?;
    Ok(Visitor {
        session,
        set_cookie: Some(session_cookie(&token, secure)),
    })
}

/// Whether a form's CSRF token is this session's.
pub fn csrf_matches(session: &WebSession, sent: &str) -> bool {
    constant_time_eq(session.csrf.as_bytes(), sent.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_among_others_and_set_strict() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "lang=en; constat_session=abc".parse().unwrap(),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "other"), None);
        let set = session_cookie("tok", true);
        let set = set.to_str().unwrap();
        for part in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
            assert!(set.contains(part), "{set}");
        }
        assert!(
            !session_cookie("tok", false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }
}
