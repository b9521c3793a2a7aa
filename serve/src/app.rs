//! The web application: shared state, the router, page rendering and security headers.

use crate::auth::Visitor;
use crate::grading::PackCache;
use crate::i18n::{Lang, query_lang, t, table};
use crate::pages;
use crate::store::Store;
use crate::templates::{LIVE_JS, Templates};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Limits on what a client may send.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest submission body (a snapshot).
    pub max_submission_bytes: usize,
    /// Largest form body (an uploaded pack is pasted in a form).
    pub max_form_bytes: usize,
    /// Shortest interval between two accepted submissions of one learner.
    pub min_submit_interval_secs: i64,
    /// Time allowed to receive a submission's body.
    pub body_timeout_secs: u64,
    /// Login attempts allowed per trainer name within [`Limits::login_window_secs`]
    /// (a successful one is forgotten).
    pub login_attempts_per_account: i64,
    /// Login attempts allowed per client address within the window.
    pub login_attempts_per_address: i64,
    /// The login throttling window.
    pub login_window_secs: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_submission_bytes: 8 << 20,
            max_form_bytes: 1 << 20,
            min_submit_interval_secs: 2,
            body_timeout_secs: 60,
            login_attempts_per_account: 5,
            login_attempts_per_address: 10,
            login_window_secs: 60,
        }
    }
}

/// A clock (Unix seconds): the system's in production, a fixed one in tests.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    })
}

/// How the application runs.
#[derive(Clone)]
pub struct Settings {
    /// Served over TLS: cookies get `Secure`, links `https`.
    pub tls: bool,
    /// SHA-256 fingerprint of the server certificate, shown to the trainer for `--pin`.
    pub fingerprint: Option<String>,
    /// Limits.
    pub limits: Limits,
    /// Clock.
    pub clock: Clock,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Storage.
    pub store: Arc<dyn Store>,
    /// Templates.
    pub templates: Arc<Templates>,
    /// Compiled packs per class.
    pub packs: Arc<PackCache>,
    /// Settings.
    pub settings: Settings,
    /// Password checks in flight (argon2 is CPU- and memory-heavy): beyond, a login waits
    /// its turn a little, then is refused.
    pub password_slots: Arc<Semaphore>,
    /// The collector of pull mode (`None`: pull mode is off on this server).
    pub pull: Option<Arc<dyn crate::pull::PullEngine>>,
}

impl AppState {
    /// State over `store`.
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Result<AppState, minijinja::Error> {
        Ok(AppState {
            store,
            templates: Arc::new(Templates::new()?),
            packs: Arc::new(PackCache::default()),
            settings,
            password_slots: Arc::new(Semaphore::new(2)),
            pull: None,
        })
    }

    /// The same state with pull mode collecting through `engine`.
    pub fn with_pull(mut self, engine: Arc<dyn crate::pull::PullEngine>) -> AppState {
        self.pull = Some(engine);
        self
    }

    /// Now, Unix seconds.
    pub fn now(&self) -> i64 {
        (self.settings.clock)()
    }
}

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

async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
) -> Response {
    let lang = Lang::of_request(query_lang(request.uri().query()), request.headers());
    if request.uri().path().starts_with("/api/") {
        return crate::extract::api_refusal(
            StatusCode::NOT_FOUND,
            t(lang, "err_api_not_found").to_owned(),
            t(lang, "help_api_not_found").to_owned(),
        );
    }
    error_page(
        &state,
        lang,
        StatusCode::NOT_FOUND,
        t(lang, "err_not_found"),
    )
}

/// A known address asked with the wrong method (`GET /logout`): a page, or JSON on the API.
async fn method_not_allowed(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
) -> Response {
    let lang = Lang::of_request(query_lang(request.uri().query()), request.headers());
    if request.uri().path().starts_with("/api/") {
        return crate::extract::api_refusal(
            StatusCode::METHOD_NOT_ALLOWED,
            t(lang, "err_method").to_owned(),
            t(lang, "help_api_not_found").to_owned(),
        );
    }
    error_page(
        &state,
        lang,
        StatusCode::METHOD_NOT_ALLOWED,
        t(lang, "err_method"),
    )
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

/// The common part of every page's context.
#[derive(Serialize)]
struct BaseContext<'a> {
    lang: &'static str,
    t: std::collections::BTreeMap<&'static str, &'static str>,
    title: &'a str,
    csrf: Option<&'a str>,
    trainer: Option<&'a str>,
    error: Option<&'a str>,
    status: u16,
}

/// One page to render.
pub struct Page<'a> {
    /// Template name.
    pub template: &'static str,
    /// Title (in the reader's language).
    pub title: &'a str,
    /// Reader's language.
    pub lang: Lang,
    /// The visitor, for the CSRF token and the session cookie to set.
    pub visitor: Option<&'a Visitor>,
    /// The trainer's name in the header.
    pub trainer: Option<&'a str>,
    /// An error to show atop the page.
    pub error: Option<&'a str>,
    /// HTTP status.
    pub status: StatusCode,
}

impl<'a> Page<'a> {
    /// A page with status 200 and nothing else set.
    pub fn new(template: &'static str, title: &'a str, lang: Lang) -> Page<'a> {
        Page {
            template,
            title,
            lang,
            visitor: None,
            trainer: None,
            error: None,
            status: StatusCode::OK,
        }
    }

    /// Renders it with the page's own `data` (a serializable struct or map).
    pub fn render(&self, state: &AppState, data: impl Serialize) -> Response {
        let base = BaseContext {
            lang: self.lang.code(),
            t: table(self.lang),
            title: self.title,
            csrf: self.visitor.map(|v| v.session.csrf.as_str()),
            trainer: self.trainer,
            error: self.error,
            status: self.status.as_u16(),
        };
        let ctx = minijinja::context! { ..Value::from(Serde(data)), ..Value::from(Serde(base)) };
        let mut response = match state.templates.render(self.template, ctx) {
            Ok(html) => (self.status, axum::response::Html(html)).into_response(),
            Err(e) => {
                eprintln!("constat serve: template {}: {e:#}", self.template);
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    t(self.lang, "err_internal"),
                )
                    .into_response()
            }
        };
        if let Some(cookie) = self.visitor.and_then(|v| v.set_cookie.clone()) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        response
    }
}

/// An error page with `message`.
pub fn error_page(state: &AppState, lang: Lang, status: StatusCode, message: &str) -> Response {
    let title = t(lang, "error_title");
    Page {
        error: Some(message),
        status,
        ..Page::new("error.html", title, lang)
    }
    .render(state, ())
}

/// A form page a visitor may see before logging in (setup, login, join): the request's
/// session, or a new anonymous one with its cookie, for the CSRF token; `error` atop.
#[allow(clippy::too_many_arguments)]
pub async fn visitor_page(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    lang: Lang,
    template: &'static str,
    title_key: &str,
    error: Option<&str>,
    status: StatusCode,
    data: impl Serialize,
) -> Response {
    let visitor = match crate::auth::visitor(
        state.store.as_ref(),
        headers,
        state.now(),
        state.settings.tls,
    )
    .await
    {
        Ok(v) => v,
        Err(e) => return internal_error(state, lang, &e),
    };
    Page {
        visitor: Some(&visitor),
        error,
        status,
        ..Page::new(template, t(lang, title_key), lang)
    }
    .render(state, data)
}

/// A failure inside a handler: logged (the detail may be the store's), shown as the
/// generic internal error.
pub fn internal_error(state: &AppState, lang: Lang, what: &dyn std::fmt::Display) -> Response {
    eprintln!("constat serve: {what}");
    error_page(
        state,
        lang,
        StatusCode::INTERNAL_SERVER_ERROR,
        t(lang, "err_internal"),
    )
}
