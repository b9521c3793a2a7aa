//! Trainer accounts in the browser: the first-start setup page (open only while no trainer
//! exists), login (argon2id, a new session token on success, failed attempts throttled per
//! name and per client address), logout.

use crate::auth::{
    MIN_PASSWORD_CHARS, account_key, attempt_keys, hash_password, new_session, removal_cookie,
    session_cookie, verify_password,
};
use crate::client_addr::ClientAddr;
use crate::extract::PageForm;
use crate::i18n::{Lang, ReaderLang, t, tf};
use crate::page::{internal_error, visitor_page};
use crate::pages::guard::{MAX_NAME_CHARS, clean_name, posting_visitor, see_other};
use crate::state::AppState;
use crate::store::{LoginClaim, StoreError};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The setup and login forms.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    csrf: String,
    name: String,
    password: String,
    password_again: String,
}

#[derive(Serialize)]
struct NameOnly<'a> {
    name: &'a str,
}

/// `/`: the setup page on a new server, the classes when logged in, else the login page.
pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
) -> Response {
    match state.store.trainer_count().await {
        Ok(0) => see_other("/setup", None),
        Ok(_) => match crate::pages::guard::logged_in(&state, &headers, lang).await {
            Ok(_) => see_other("/classes", None),
            Err(redirect) => redirect,
        },
        Err(e) => internal_error(&state, lang, &e),
    }
}

async fn setup_page(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    name: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    visitor_page(
        state,
        headers,
        lang,
        "setup.html",
        "setup_title",
        error,
        status,
        NameOnly { name },
    )
    .await
}

/// `GET /setup`.
pub async fn setup_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
) -> Response {
    match state.store.trainer_count().await {
        Ok(0) => setup_page(&state, &headers, lang, "", None, StatusCode::OK).await,
        Ok(_) => see_other("/login", None),
        Err(e) => internal_error(&state, lang, &e),
    }
}

/// `POST /setup`: creates the first trainer and logs them in.
pub async fn setup_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PageForm(form): PageForm<AccountForm>,
) -> Response {
    let visitor = match posting_visitor(&state, &headers, &form.csrf, lang).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    match state.store.trainer_count().await {
        Ok(0) => {}
        Ok(_) => return see_other("/login", None),
        Err(e) => return internal_error(&state, lang, &e),
    }
    let checked = match checked_account(&form, lang) {
        Ok(name) => name,
        Err(message) => {
            return setup_page(
                &state,
                &headers,
                lang,
                &form.name,
                Some(&message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let password = form.password.clone();
    let hash = match tokio::task::spawn_blocking(move || hash_password(&password)).await {
        Ok(Ok(hash)) => hash,
        Ok(Err(e)) => return internal_error(&state, lang, &e),
        Err(e) => return internal_error(&state, lang, &e),
    };
    // Atomic: two setup forms posted at once (to two instances) make one account.
    let id = match state
        .store
        .create_first_trainer(checked, hash, state.now())
        .await
    {
        Ok(Some(id)) => id,
        Ok(None) => return see_other("/login", None),
        Err(StoreError::Conflict(_)) => {
            let message = t(lang, "err_name_taken");
            return setup_page(
                &state,
                &headers,
                lang,
                &form.name,
                Some(message),
                StatusCode::CONFLICT,
            )
            .await;
        }
        Err(e) => return internal_error(&state, lang, &e),
    };
    start_session(&state, lang, &visitor.session.token_hash, id).await
}

/// The name of a new account, or what is wrong with the form.
fn checked_account(form: &AccountForm, lang: Lang) -> Result<String, String> {
    let name = clean_name(&form.name, MAX_NAME_CHARS)
        .ok_or_else(|| tf(lang, "err_name", &[("max", &MAX_NAME_CHARS)]))?;
    if form.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(tf(
            lang,
            "err_password_short",
            &[("min", &MIN_PASSWORD_CHARS)],
        ));
    }
    if form.password != form.password_again {
        return Err(t(lang, "err_password_mismatch").to_owned());
    }
    Ok(name)
}

/// Replaces the visitor's session with a trainer's one, then goes to the classes.
async fn start_session(
    state: &AppState,
    lang: Lang,
    old_token_hash: &str,
    trainer_id: i64,
) -> Response {
    let _ = state.store.delete_session(old_token_hash.to_owned()).await;
    match new_session(state.store.as_ref(), Some(trainer_id), state.now()).await {
        Ok((_, token)) => see_other("/classes", Some(session_cookie(&token, state.settings.tls))),
        Err(e) => internal_error(state, lang, &e),
    }
}

async fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    name: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    visitor_page(
        state,
        headers,
        lang,
        "login.html",
        "login_title",
        error,
        status,
        NameOnly { name },
    )
    .await
}

/// `GET /login`.
pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
) -> Response {
    if let Ok(0) = state.store.trainer_count().await {
        return see_other("/setup", None);
    }
    login_page(&state, &headers, lang, "", None, StatusCode::OK).await
}

/// `POST /login`.
pub async fn login_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    client: ClientAddr,
    PageForm(form): PageForm<AccountForm>,
) -> Response {
    let visitor = match posting_visitor(&state, &headers, &form.csrf, lang).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let limits = state.settings.limits;
    let attempt_ids = match state
        .store
        .claim_login_attempt(
            attempt_keys(&limits, &form.name, &client),
            state.now(),
            limits.login_window_secs,
        )
        .await
    {
        Ok(LoginClaim::Allowed { attempt_ids }) => attempt_ids,
        Ok(LoginClaim::Throttled { retry_after }) => {
            let message = tf(lang, "err_login_throttled", &[("secs", &retry_after)]);
            let mut page = login_page(
                &state,
                &headers,
                lang,
                &form.name,
                Some(&message),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await;
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                page.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return page;
        }
        Err(e) => return internal_error(&state, lang, &e),
    };
    let trainer = match state
        .store
        .trainer_by_name(form.name.trim().to_owned())
        .await
    {
        Ok(t) => t,
        Err(e) => return internal_error(&state, lang, &e),
    };
    // Argon2 runs even for an unknown name (against a fixed hash), so that timing does not
    // tell which names exist; at most two run at once.
    let Ok(Ok(_slot)) = tokio::time::timeout(
        Duration::from_secs(5),
        state.password_slots.clone().acquire_owned(),
    )
    .await
    else {
        return login_page(
            &state,
            &headers,
            lang,
            &form.name,
            Some(t(lang, "err_login_busy")),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    };
    let phc = trainer.as_ref().map(|t| t.password_hash.clone());
    let password = form.password.clone();
    let matches = tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify_password(&password, &phc),
        None => {
            let _ = verify_password(&password, dummy_hash());
            false
        }
    })
    .await
    .unwrap_or(false);
    match trainer {
        Some(trainer) if matches => {
            if let Err(e) = state
                .store
                .forget_login_attempts(account_key(&form.name), attempt_ids)
                .await
            {
                eprintln!("constat serve: login attempts not forgotten: {e}");
            }
            start_session(&state, lang, &visitor.session.token_hash, trainer.id).await
        }
        _ => {
            login_page(
                &state,
                &headers,
                lang,
                &form.name,
                Some(t(lang, "err_login")),
                StatusCode::UNAUTHORIZED,
            )
            .await
        }
    }
}

/// An argon2id hash of a password nobody knows (same cost as real ones), made once.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let secret = crate::random::token().unwrap_or_default();
        hash_password(&secret).unwrap_or_default()
    })
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PageForm(form): PageForm<AccountForm>,
) -> Response {
    let visitor = match posting_visitor(&state, &headers, &form.csrf, lang).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    if let Err(e) = state
        .store
        .delete_session(visitor.session.token_hash.clone())
        .await
    {
        return internal_error(&state, lang, &e);
    }
    see_other("/login", Some(removal_cookie(state.settings.tls)))
}
