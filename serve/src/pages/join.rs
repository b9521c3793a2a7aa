//! Enrolment: a learner types the class code and their name (`/join`, or `POST /api/join`
//! with JSON for scripts) and gets, once, their signing key file and their page's address.
//! The server keeps only the public key and the page token's hash.

use crate::extract::{ApiJson, PageForm, PageQuery, api_refusal};
use crate::i18n::{Lang, ReaderLang, t, tf};
use crate::page::{Page, visitor_page};
use crate::pages::collect::check_command;
use crate::pages::grid::base_url;
use crate::pages::guard::{MAX_NAME_CHARS, clean_name, posting_visitor};
use crate::protocol::LearnerKey;
use crate::random::{self, normalise_code, token_hash};
use crate::state::AppState;
use crate::store::{Class, NewLearner};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// The join form (and `?code=` to prefill it).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct JoinForm {
    #[serde(skip_serializing)]
    csrf: String,
    code: String,
    name: String,
}

/// What an enrolment gives.
#[derive(Debug, Serialize)]
pub struct Enrolment {
    /// The class joined.
    pub class: String,
    /// The learner id.
    pub learner: i64,
    /// The key file's text (shown once).
    pub key: String,
    /// The learner's page (path).
    pub page: String,
}

/// Why an enrolment was refused: status and message.
struct Refusal(StatusCode, String);

async fn enrol(
    state: &AppState,
    form: &JoinForm,
    lang: Lang,
) -> Result<(Class, Enrolment), Refusal> {
    let unknown = || {
        Refusal(
            StatusCode::NOT_FOUND,
            t(lang, "err_code_unknown").to_owned(),
        )
    };
    let code = normalise_code(&form.code).ok_or_else(unknown)?;
    let internal = |e: &dyn std::fmt::Display| {
        eprintln!("constat serve: enrolment: {e}");
        Refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            t(lang, "err_internal").to_owned(),
        )
    };
    let class = state
        .store
        .class_by_code(code.clone())
        .await
        .map_err(|e| internal(&e))?
        .ok_or_else(unknown)?;
    let today = &constat_snapshot::time::rfc3339_utc(state.now())[..10];
    if let Some(end) = &class.fields.ends_on
        && today > end.as_str()
    {
        return Err(Refusal(
            StatusCode::GONE,
            tf(lang, "err_class_closed", &[("date", end)]),
        ));
    }
    let name = clean_name(&form.name, MAX_NAME_CHARS).ok_or_else(|| {
        Refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            tf(lang, "err_name", &[("max", &MAX_NAME_CHARS)]),
        )
    })?;
    let seed = random::bytes::<32>().map_err(|e| internal(&e))?;
    let page_token = random::token().map_err(|e| internal(&e))?;
    let public_key = LearnerKey::from_seed(code.clone(), 0, None, seed).public_key();
    let learner = state
        .store
        .create_learner(NewLearner {
            class_id: class.id,
            name,
            public_key: public_key.to_vec(),
            page_token_hash: token_hash(&page_token),
            created_at: state.now(),
        })
        .await
        .map_err(|e| internal(&e))?;
    let page = format!("/l/{page_token}");
    let key = LearnerKey::from_seed(code, learner.id, Some(page.clone()), seed);
    Ok((
        class.clone(),
        Enrolment {
            class: class.fields.code.clone(),
            learner: learner.id,
            key: key.to_file_text(),
            page,
        },
    ))
}

/// `GET /join`.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PageQuery(prefill): PageQuery<JoinForm>,
) -> Response {
    join_page(&state, &headers, lang, &prefill, None, StatusCode::OK).await
}

async fn join_page(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    form: &JoinForm,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    visitor_page(
        state,
        headers,
        lang,
        "join.html",
        "join_title",
        error,
        status,
        form,
    )
    .await
}

#[derive(Serialize)]
struct JoinedPage {
    heading: String,
    code: String,
    key_text: String,
    command: String,
    page: String,
    page_url: String,
}

/// `POST /join`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PageForm(form): PageForm<JoinForm>,
) -> Response {
    let visitor = match posting_visitor(&state, &headers, &form.csrf, lang).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let (class, enrolment) = match enrol(&state, &form, lang).await {
        Ok(done) => done,
        Err(Refusal(status, message)) => {
            return join_page(&state, &headers, lang, &form, Some(&message), status).await;
        }
    };
    let base = base_url(&state, &headers);
    let command = check_command(&state, &base, &class);
    let heading = tf(lang, "joined_title", &[("class", &class.fields.name)]);
    Page {
        visitor: Some(&visitor),
        ..Page::new("joined.html", &heading, lang)
    }
    .render(
        &state,
        JoinedPage {
            heading: heading.clone(),
            code: enrolment.class.clone(),
            key_text: enrolment.key,
            command,
            page_url: format!("{base}{}", enrolment.page),
            page: enrolment.page,
        },
    )
}

/// `POST /api/join` (JSON `{"code": …, "name": …}`): the enrolment as JSON. No cookie is
/// involved, so no CSRF token either; a browser cannot send this JSON cross-site without a
/// CORS preflight, which this server never answers.
pub async fn api(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    ApiJson(form): ApiJson<JoinForm>,
) -> Response {
    match enrol(&state, &form, lang).await {
        Ok((_, enrolment)) => (StatusCode::CREATED, Json(enrolment)).into_response(),
        Err(Refusal(status, message)) => {
            api_refusal(status, message, t(lang, "help_join").to_owned())
        }
    }
}
