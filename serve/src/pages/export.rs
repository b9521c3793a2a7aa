//! Exports of a class: the jury CSV grid and Moodle's grade import, from the core's
//! renderers over each learner's latest report.

use crate::extract::PagePath;
use crate::i18n::ReaderLang;
use crate::page::internal_error;
use crate::pages::grid_model::parse_report;
use crate::pages::guard::{logged_in, owned_class};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use constat_checker_core::render::{Audience, RenderOptions, moodle_csv as moodle, session_csv};
use constat_checker_core::report::Report;
use std::collections::BTreeMap;

async fn reports(
    state: &AppState,
    headers: &HeaderMap,
    lang: crate::i18n::Lang,
    id: i64,
) -> Result<(String, Vec<Report>), Response> {
    let me = logged_in(state, headers, lang).await?;
    let class = owned_class(state, &me.trainer, id, lang).await?;
    let results = state
        .store
        .latest_results(id)
        .await
        .map_err(|e| internal_error(state, lang, &e))?;
    Ok((
        class.fields.code,
        results.iter().filter_map(parse_report).collect(),
    ))
}

fn csv_file(name: String, body: String) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    // The name is the enrolment code (alphabet A-Z2-9): a valid header value.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /classes/{id}/export/jury.csv`.
pub async fn jury_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PagePath(id): PagePath<i64>,
) -> Response {
    match reports(&state, &headers, lang, id).await {
        Ok((code, reports)) => {
            let options = RenderOptions {
                lang: lang.core(),
                audience: Audience::Trainer,
                color: false,
            };
            csv_file(format!("{code}-jury.csv"), session_csv(&reports, &options))
        }
        Err(refused) => refused,
    }
}

/// `GET /classes/{id}/export/moodle.csv`.
pub async fn moodle_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PagePath(id): PagePath<i64>,
) -> Response {
    match reports(&state, &headers, lang, id).await {
        Ok((code, reports)) => csv_file(
            format!("{code}-moodle.csv"),
            moodle(&reports, &BTreeMap::new()),
        ),
        Err(refused) => refused,
    }
}
