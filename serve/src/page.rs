//! Page rendering: a template with the common context (language, words, CSRF token, the
//! trainer's name), the error page and the internal error every handler answers with.

use crate::auth::Visitor;
use crate::i18n::{Lang, t, table};
use crate::state::AppState;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

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
