//! Who may see what: the trainer logged in (else the login page), the class they own (else
//! "not found", never "forbidden", so that class ids reveal nothing), and the CSRF token of
//! every form.

use crate::auth::{SESSION_COOKIE, Visitor, cookie, csrf_matches};
use crate::i18n::{Lang, t};
use crate::page::{error_page, internal_error};
use crate::random::token_hash;
use crate::state::AppState;
use crate::store::{Class, Id, Trainer};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// A logged-in trainer and their session.
pub(crate) struct LoggedIn {
    pub(crate) visitor: Visitor,
    pub(crate) trainer: Trainer,
}

/// The trainer of this request, or a redirection to the login page.
pub(crate) async fn logged_in(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
) -> Result<LoggedIn, Response> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Err(Redirect::to("/login").into_response());
    };
    let session = state
        .store
        .session(token_hash(&token), state.now())
        .await
        .map_err(|e| internal_error(state, lang, &e))?;
    let Some(session) = session else {
        return Err(Redirect::to("/login").into_response());
    };
    let Some(trainer_id) = session.trainer_id else {
        return Err(Redirect::to("/login").into_response());
    };
    let trainer = state
        .store
        .trainer(trainer_id)
        .await
        .map_err(|e| internal_error(state, lang, &e))?
        .ok_or_else(|| Redirect::to("/login").into_response())?;
    Ok(LoggedIn {
        visitor: Visitor {
            session,
            set_cookie: None,
        },
        trainer,
    })
}

/// The class `id` if this trainer owns it, else "not found".
pub(crate) async fn owned_class(
    state: &AppState,
    trainer: &Trainer,
    id: Id,
    lang: Lang,
) -> Result<Class, Response> {
    match state.store.class(id).await {
        Ok(Some(class)) if class.fields.trainer_id == trainer.id => Ok(class),
        Ok(_) => Err(not_found(state, lang)),
        Err(e) => Err(internal_error(state, lang, &e)),
    }
}

/// The "not found" page.
pub(crate) fn not_found(state: &AppState, lang: Lang) -> Response {
    error_page(state, lang, StatusCode::NOT_FOUND, t(lang, "err_not_found"))
}

/// The visitor of a posted form, once its CSRF token matched: the refusal page otherwise
/// (or the internal error when the session store could not be read).
pub(crate) async fn posting_visitor(
    state: &AppState,
    headers: &HeaderMap,
    sent_csrf: &str,
    lang: Lang,
) -> Result<Visitor, Response> {
    let visitor = crate::auth::visitor(
        state.store.as_ref(),
        headers,
        state.now(),
        state.settings.tls,
    )
    .await
    .map_err(|e| internal_error(state, lang, &e))?;
    check_csrf(state, &visitor, sent_csrf, lang)?;
    Ok(visitor)
}

/// Refuses a form whose CSRF token is not the session's.
pub(crate) fn check_csrf(
    state: &AppState,
    visitor: &Visitor,
    sent: &str,
    lang: Lang,
) -> Result<(), Response> {
    // A form posted without any session (no cookie) is refused the same way.
    if visitor.set_cookie.is_none() && csrf_matches(&visitor.session, sent) {
        return Ok(());
    }
    Err(error_page(
        state,
        lang,
        StatusCode::FORBIDDEN,
        t(lang, "err_csrf"),
    ))
}

/// A "303 See Other" to `to`, with the session cookie when one is set.
pub(crate) fn see_other(to: &str, set_cookie: Option<axum::http::HeaderValue>) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Some(cookie) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// A name typed in a form: trimmed, 1 to `max` characters, no control character.
pub(crate) fn clean_name(text: &str, max: usize) -> Option<String> {
    let name = text.trim();
    let count = name.chars().count();
    ((1..=max).contains(&count) && !name.chars().any(char::is_control)).then(|| name.to_owned())
}

/// Longest name of a trainer, class or learner.
pub(crate) const MAX_NAME_CHARS: usize = 80;
