//! The router: every address and its handler, the fallbacks (a page, or JSON on the API)
//! and the security headers on every response.

use crate::i18n::{Lang, query_lang, t};
use crate::page::error_page;
use crate::pages;
use crate::state::AppState;
use crate::templates::LIVE_JS;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// The whole application.
pub fn router(state: AppState) -> Router {
    let limits = state.settings.limits;
    Router::new()
        .route("/", get(pages::account::home))
        .route(
            "/setup",
            get(pages::account::setup_form).post(pages::account::setup_submit),
        )
        .route(
            "/login",
            get(pages::account::login_form).post(pages::account::login_submit),
        )
        .route("/logout", post(pages::account::logout))
        .route(
            "/classes",
            get(pages::classes::list).post(pages::classes::create),
        )
        .route("/classes/{id}", get(pages::grid::grid))
        .route("/classes/{id}/events", get(pages::live::events))
        .route("/classes/{id}/checks/{check}", get(pages::check::check))
        .route(
            "/classes/{id}/pull",
            get(pages::pull::page).post(pages::pull::run_now),
        )
        .route("/classes/{id}/pull/inventory", post(pages::pull::attach))
        .route("/classes/{id}/pull/schedule", post(pages::pull::schedule))
        .route(
            "/classes/{id}/pull/host-key",
            post(pages::pull::accept_host_key),
        )
        .route(
            "/classes/{id}/learners/{learner}",
            get(pages::learner::trainer_view),
        )
        .route(
            "/classes/{id}/learners/{learner}/report",
            get(pages::learner::trainer_report),
        )
        .route(
            "/classes/{id}/export/jury.csv",
            get(pages::export::jury_csv),
        )
        .route(
            "/classes/{id}/export/moodle.csv",
            get(pages::export::moodle_csv),
        )
        .route("/join", get(pages::join::form).post(pages::join::submit))
        .route("/l/{token}", get(pages::learner::self_view))
        .route("/l/{token}/report", get(pages::learner::self_report))
        .route("/api/join", post(pages::join::api))
        .route(
            "/api/classes/{code}/submissions",
            post(crate::submit::submit),
        )
        .route("/api/classes/{code}/collect", get(pages::collect::plan))
        .route("/static/live.js", get(live_js))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limits.max_form_bytes))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

async fn live_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_JS,
    )
        .into_response()
}

/// An unknown address: a page, or JSON on the API.
async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
) -> Response {
    refused(
        &state,
        &request,
        StatusCode::NOT_FOUND,
        ("err_not_found", "err_api_not_found"),
    )
}

/// A known address asked with the wrong method (`GET /logout`): a page, or JSON on the API.
async fn method_not_allowed(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
) -> Response {
    refused(
        &state,
        &request,
        StatusCode::METHOD_NOT_ALLOWED,
        ("err_method", "err_method"),
    )
}

/// `request` refused with `status`: the error page saying `page_key`, or under `/api/` the
/// JSON error saying `api_key`, in the reader's language.
fn refused(
    state: &AppState,
    request: &Request,
    status: StatusCode,
    (page_key, api_key): (&str, &str),
) -> Response {
    let lang = Lang::of_request(query_lang(request.uri().query()), request.headers());
    if request.uri().path().starts_with("/api/") {
        return crate::extract::api_refusal(
            status,
            t(lang, api_key).to_owned(),
            t(lang, "help_api_not_found").to_owned(),
        );
    }
    error_page(state, lang, status, t(lang, page_key))
}

/// Security headers on every response; `?lang=` is remembered in a cookie.
async fn security_headers(request: Request, next: Next) -> Response {
    let chosen = query_lang(request.uri().query()).and_then(Lang::parse);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    if let Some(lang) = chosen {
        let cookie = match lang {
            Lang::Fr => "lang=fr; Path=/; SameSite=Strict; Max-Age=31536000",
            Lang::En => "lang=en; Path=/; SameSite=Strict; Max-Age=31536000",
        };
        headers.append(header::SET_COOKIE, HeaderValue::from_static(cookie));
    }
    response
}
