//! A learner's page, in two views of the same stored report, both passed through the core's
//! audience filter (`render::for_reader`): the trainer's (every check with its evidence,
//! expected values included) and the learner's own (`/l/<token>`: their result with hints,
//! never an expected value). The page token is the learner's capability: only its SHA-256
//! is stored, and a learner reaches no other learner's page.

use crate::extract::PagePath;
use crate::i18n::{Lang, ReaderLang, t, tf};
use crate::page::{Page, internal_error};
use crate::pages::grid_model::{ago, parse_report, percent, status, status_label};
use crate::pages::guard::{logged_in, not_found, owned_class};
use crate::random::token_hash;
use crate::state::AppState;
use crate::store::{HistoryPoint, Learner};
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use constat_checker_core::render::{Audience, RenderOptions, for_reader, html};
use constat_checker_core::report::Report;
use minijinja::Value;
use serde::Serialize;

#[derive(Serialize)]
struct EvidenceLine {
    property: String,
    expected: String,
    actual: String,
}

#[derive(Serialize)]
struct CheckLine {
    id: String,
    title: String,
    status: &'static str,
    label: &'static str,
    hint: Option<String>,
    evidence: Vec<EvidenceLine>,
}

#[derive(Serialize)]
struct LearnerPage {
    class_id: i64,
    learner_id: i64,
    name: String,
    page: String,
    show_expected: bool,
    total: String,
    last_line: String,
    checks: Vec<CheckLine>,
    history_svg: Option<Value>,
}

/// The progress chart: the total over time as an inline SVG polyline (numbers only, so the
/// markup is built here and marked safe).
pub(crate) fn history_svg(points: &[HistoryPoint]) -> Option<Value> {
    let scored: Vec<(i64, f64)> = points
        .iter()
        .filter_map(|p| {
            p.percent
                .filter(|x| x.is_finite())
                .map(|x| (p.received_at, x.clamp(0.0, 1.0)))
        })
        .collect();
    if scored.len() < 2 {
        return None;
    }
    let (first, last) = (scored[0].0, scored[scored.len() - 1].0);
    let span = (last - first).max(1) as f64;
    let (w, h) = (400.0, 100.0);
    let coords: Vec<String> = scored
        .iter()
        .map(|(at, p)| format!("{:.1},{:.1}", (*at - first) as f64 / span * w, h - p * h))
        .collect();
    Some(Value::from_safe_string(format!(
        "<svg viewBox=\"-2 -2 404 104\" width=\"400\" height=\"100\" role=\"img\"><rect x=\"0\" y=\"0\" width=\"400\" height=\"100\" fill=\"#fff\" stroke=\"#d0d7de\"/><polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"{}\"/></svg>",
        coords.join(" ")
    )))
}

fn check_lines(report: &Report, lang: Lang, audience: Audience) -> Vec<CheckLine> {
    report
        .checks
        .iter()
        .map(|c| {
            let status = status(&c.outcome);
            CheckLine {
                id: c.id.to_string(),
                title: c.title.to_string(),
                status,
                label: status_label(lang, status),
                hint: (audience == Audience::Learner && status != "pass")
                    .then(|| c.hint.as_ref().map(|h| h.to_string()))
                    .flatten(),
                evidence: c
                    .evidence
                    .iter()
                    .map(|e| EvidenceLine {
                        property: format!(
                            "{} {}",
                            e.path,
                            lang.core().property_name(&e.section, &e.property)
                        )
                        .trim()
                        .to_owned(),
                        expected: e
                            .display
                            .as_ref()
                            .and_then(|d| d.expected.clone())
                            .unwrap_or_else(|| e.expected.to_string()),
                        actual: e
                            .display
                            .as_ref()
                            .and_then(|d| d.actual.clone())
                            .unwrap_or_else(|| e.actual.to_string()),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// A learner's latest report for `audience`, with their history.
async fn learner_data(
    state: &AppState,
    learner: &Learner,
    lang: Lang,
    audience: Audience,
) -> Result<(Option<Report>, Vec<HistoryPoint>, Option<i64>), Response> {
    let (result, history) = tokio::try_join!(
        state.store.latest_result(learner.id),
        state.store.history(learner.id)
    )
    .map_err(|e| internal_error(state, lang, &e))?;
    let received = result.as_ref().map(|r| r.received_at);
    let options = RenderOptions {
        lang: lang.core(),
        audience,
        color: false,
    };
    let report = result
        .as_ref()
        .and_then(parse_report)
        .map(|r| for_reader(&r, &options));
    Ok((report, history, received))
}

fn page_data(
    state: &AppState,
    learner: &Learner,
    page: String,
    lang: Lang,
    audience: Audience,
    data: (Option<Report>, Vec<HistoryPoint>, Option<i64>),
) -> LearnerPage {
    let (report, history, received) = data;
    LearnerPage {
        class_id: learner.fields.class_id,
        learner_id: learner.id,
        name: learner.fields.name.clone(),
        page,
        show_expected: audience != Audience::Learner,
        total: percent(report.as_ref().and_then(|r| r.total.percent)),
        last_line: tf(
            lang,
            "learner_last",
            &[("when", &ago(lang, received, state.now()))],
        ),
        checks: report
            .as_ref()
            .map(|r| check_lines(r, lang, audience))
            .unwrap_or_default(),
        history_svg: history_svg(&history),
    }
}

async fn trainer_learner(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    id: i64,
    learner_id: i64,
) -> Result<(crate::pages::guard::LoggedIn, Learner), Response> {
    let me = logged_in(state, headers, lang).await?;
    owned_class(state, &me.trainer, id, lang).await?;
    match state.store.learner(learner_id).await {
        Ok(Some(l)) if l.fields.class_id == id => Ok((me, l)),
        Ok(_) => Err(not_found(state, lang)),
        Err(e) => Err(internal_error(state, lang, &e)),
    }
}

/// `GET /classes/{id}/learners/{learner}`: the trainer's view.
pub async fn trainer_view(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PagePath((id, learner_id)): PagePath<(i64, i64)>,
) -> Response {
    let (me, learner) = match trainer_learner(&state, &headers, lang, id, learner_id).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let data = match learner_data(&state, &learner, lang, Audience::Trainer).await {
        Ok(d) => d,
        Err(refused) => return refused,
    };
    let page = format!("/classes/{id}/learners/{learner_id}");
    Page {
        visitor: Some(&me.visitor),
        trainer: Some(&me.trainer.name),
        ..Page::new("learner.html", &learner.fields.name, lang)
    }
    .render(
        &state,
        page_data(&state, &learner, page, lang, Audience::Trainer, data),
    )
}

fn report_html(
    report: Option<Report>,
    lang: Lang,
    audience: Audience,
    state: &AppState,
) -> Response {
    match report {
        Some(report) => {
            let options = RenderOptions {
                lang: lang.core(),
                audience,
                color: false,
            };
            (
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html(&report, &options),
            )
                .into_response()
        }
        None => not_found(state, lang),
    }
}

/// `GET /classes/{id}/learners/{learner}/report`: the core's full HTML report (trainer).
pub async fn trainer_report(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PagePath((id, learner_id)): PagePath<(i64, i64)>,
) -> Response {
    let (_, learner) = match trainer_learner(&state, &headers, lang, id, learner_id).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    match learner_data(&state, &learner, lang, Audience::Trainer).await {
        Ok((report, _, _)) => report_html(report, lang, Audience::Trainer, &state),
        Err(refused) => refused,
    }
}

async fn learner_by_token(state: &AppState, token: &str, lang: Lang) -> Result<Learner, Response> {
    if token.len() > 64 {
        return Err(not_found(state, lang));
    }
    match state.store.learner_by_page_token(token_hash(token)).await {
        Ok(Some(l)) => Ok(l),
        Ok(None) => Err(not_found(state, lang)),
        Err(e) => Err(internal_error(state, lang, &e)),
    }
}

/// `GET /l/{token}`: the learner's own page.
pub async fn self_view(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    PagePath(token): PagePath<String>,
) -> Response {
    let learner = match learner_by_token(&state, &token, lang).await {
        Ok(l) => l,
        Err(refused) => return refused,
    };
    let data = match learner_data(&state, &learner, lang, Audience::Learner).await {
        Ok(d) => d,
        Err(refused) => return refused,
    };
    Page::new("learner_self.html", t(lang, "self_title"), lang).render(
        &state,
        page_data(
            &state,
            &learner,
            format!("/l/{token}"),
            lang,
            Audience::Learner,
            data,
        ),
    )
}

/// `GET /l/{token}/report`: the core's HTML report for the learner (no expected value).
pub async fn self_report(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    PagePath(token): PagePath<String>,
) -> Response {
    let learner = match learner_by_token(&state, &token, lang).await {
        Ok(l) => l,
        Err(refused) => return refused,
    };
    match learner_data(&state, &learner, lang, Audience::Learner).await {
        Ok((report, _, _)) => report_html(report, lang, Audience::Learner, &state),
        Err(refused) => refused,
    }
}
