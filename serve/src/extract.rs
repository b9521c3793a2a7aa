//! Extractors whose refusals speak the reader's language, in place of axum's plain-text
//! English rejections: a malformed, oversized or mistyped form is an error page saying what
//! was wrong and how to fix it, a malformed address a "not found" page, and on `/api/…` a
//! malformed or oversized body a JSON `{"error", "help"}` like every other API refusal.

use crate::i18n::{Lang, query_lang, t, tf};
use crate::page::error_page;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::{BytesRejection, FormRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The reader's language of a request (`?lang=`, cookie, `Accept-Language`).
fn lang_of(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> Lang {
    Lang::of_request(query_lang(uri.query()), headers)
}

/// A JSON refusal of the API: `{"error", "help"}` with `status`.
pub fn api_refusal(status: StatusCode, error: String, help: String) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": error, "help": help })),
    )
        .into_response()
}

/// A form (`application/x-www-form-urlencoded`) of a page.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<PageForm<T>, Response> {
        let lang = lang_of(request.uri(), request.headers());
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(PageForm(value)),
            Err(rejection) => Err(form_refusal(state, lang, &rejection)),
        }
    }
}

/// The page of a form that could not be read.
fn form_refusal(state: &AppState, lang: Lang, rejection: &FormRejection) -> Response {
    let (status, message) = match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => (
            StatusCode::PAYLOAD_TOO_LARGE,
            tf(
                lang,
                "err_form_too_large",
                &[("max", &(state.settings.limits.max_form_bytes / 1024))],
            ),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            t(lang, "err_form_type").to_owned(),
        ),
        _ => (
            StatusCode::BAD_REQUEST,
            t(lang, "err_form_unreadable").to_owned(),
        ),
    };
    error_page(state, lang, status, &message)
}

/// The query string of a page (`?code=` on the join form).
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for PageQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<PageQuery<T>, Response> {
        let lang = lang_of(&parts.uri, &parts.headers);
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(PageQuery(value)),
            Err(_) => Err(error_page(
                state,
                lang,
                StatusCode::BAD_REQUEST,
                t(lang, "err_query"),
            )),
        }
    }
}

/// The parameters of a page's address (`/classes/{id}`): one that does not parse names
/// nothing, so it is "not found".
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for PagePath<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<PagePath<T>, Response> {
        let lang = lang_of(&parts.uri, &parts.headers);
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(PagePath(value)),
            Err(_) => Err(error_page(
                state,
                lang,
                StatusCode::NOT_FOUND,
                t(lang, "err_not_found"),
            )),
        }
    }
}

/// The parameters of an API address (`/api/classes/{code}/…`): JSON "not found".
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiPath<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ApiPath<T>, Response> {
        let lang = lang_of(&parts.uri, &parts.headers);
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(api_refusal(
                StatusCode::NOT_FOUND,
                t(lang, "err_api_not_found").to_owned(),
                t(lang, "help_api_not_found").to_owned(),
            )),
        }
    }
}

/// A JSON body of the API, bounded by the form limit.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<ApiJson<T>, Response> {
        let lang = lang_of(request.uri(), request.headers());
        let max = state.settings.limits.max_form_bytes;
        let bytes = match axum::body::Bytes::from_request(request, state).await {
            Ok(bytes) => bytes,
            Err(rejection) => return Err(body_refusal(lang, max, &rejection)),
        };
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            api_refusal(
                StatusCode::BAD_REQUEST,
                tf(lang, "err_json", &[("error", &e)]),
                t(lang, "help_json").to_owned(),
            )
        })
    }
}

/// The JSON refusal of a body that could not be read.
fn body_refusal(lang: Lang, max: usize, rejection: &BytesRejection) -> Response {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return api_refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            tf(lang, "err_api_too_large", &[("max", &max)]),
            t(lang, "help_json").to_owned(),
        );
    }
    api_refusal(
        StatusCode::BAD_REQUEST,
        t(lang, "err_api_body").to_owned(),
        t(lang, "help_json").to_owned(),
    )
}
