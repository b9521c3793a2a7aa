//! The class grid page: enrolment code, exports, learners × checks.

use crate::extract::PagePath;
use crate::i18n::{ReaderLang, tf};
use crate::page::{Page, internal_error};
use crate::pages::grid_model::{Row, parse_report, row};
use crate::pages::guard::{logged_in, owned_class};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct ClassHead {
    id: i64,
    name: String,
    code: String,
    pack: String,
    dates: String,
}

#[derive(Serialize)]
struct Column {
    id: String,
    title: String,
}

#[derive(Serialize)]
struct GridPage {
    class: ClassHead,
    class_id: i64,
    enrol_help: String,
    fingerprint: Option<String>,
    competences: Vec<Column>,
    checks: Vec<Column>,
    rows: Vec<Row>,
    pull: Option<crate::pages::pull::PullLine>,
    refused_keys: Vec<crate::pages::pull::RefusedKey>,
}

/// The join page's address as the trainer's browser reached this server.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if state.settings.tls { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// `GET /classes/{id}`.
pub async fn grid(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PagePath(id): PagePath<i64>,
) -> Response {
    let me = match logged_in(&state, &headers, lang).await {
        Ok(me) => me,
        Err(redirect) => return redirect,
    };
    let class = match owned_class(&state, &me.trainer, id, lang).await {
        Ok(c) => c,
        Err(refused) => return refused,
    };
    let pack = match state.packs.get(&class) {
        Ok(p) => p,
        Err(e) => return internal_error(&state, lang, &e),
    };
    let (learners, results, pulls, pull_config, host_keys) = match tokio::try_join!(
        state.store.learners_of(id),
        state.store.latest_results(id),
        state.store.pull_hosts_of(id),
        state.store.pull_config(id),
        state.store.pull_host_keys(id)
    ) {
        Ok(all) => all,
        Err(e) => return internal_error(&state, lang, &e),
    };
    let reports: HashMap<i64, _> = results
        .iter()
        .filter_map(|r| parse_report(r).map(|report| (r.learner_id, report)))
        .collect();
    let now = state.now();
    let rows = learners
        .iter()
        .map(|l| {
            let own: Vec<_> = pulls
                .iter()
                .filter(|p| p.learner_id == l.id)
                .cloned()
                .collect();
            row(&pack, l, reports.get(&l.id), &own, now, lang)
        })
        .collect();
    let url = format!(
        "{}/join?code={}",
        base_url(&state, &headers),
        class.fields.code
    );
    Page {
        visitor: Some(&me.visitor),
        trainer: Some(&me.trainer.name),
        ..Page::new("grid.html", &class.fields.name, lang)
    }
    .render(
        &state,
        GridPage {
            enrol_help: tf(
                lang,
                "grid_enrol_help",
                &[("url", &url), ("code", &class.fields.code)],
            ),
            class: ClassHead {
                id,
                name: class.fields.name.clone(),
                code: class.fields.code.clone(),
                pack: class.fields.pack_id.clone(),
                dates: crate::pages::classes::dates(&class),
            },
            class_id: id,
            fingerprint: state.settings.fingerprint.clone(),
            competences: pack
                .competences
                .iter()
                .map(|(id, title)| Column {
                    id: id.clone(),
                    title: title.clone(),
                })
                .collect(),
            checks: pack
                .check_columns(lang)
                .iter()
                .map(|(id, title)| Column {
                    id: id.clone(),
                    title: title.clone(),
                })
                .collect(),
            rows,
            pull: pull_config
                .as_ref()
                .map(|c| crate::pages::pull::pull_line(c, now, lang)),
            refused_keys: crate::pages::pull::refused_keys(&host_keys, &learners, now, lang),
        },
    )
}
