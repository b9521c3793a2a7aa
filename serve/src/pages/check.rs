//! The per-check view: « 9 sur 14 bloqués sur cp3-sudo », the most common observed value,
//! and each learner's status and observation for that check.

use crate::extract::PagePath;
use crate::i18n::{ReaderLang, t, tf};
use crate::page::{Page, internal_error};
use crate::pages::grid_model::{parse_report, status, status_label};
use crate::pages::guard::{logged_in, not_found, owned_class};
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use constat_checker_core::eval::Status;
use constat_checker_core::report::CheckResult;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Serialize)]
struct CheckHead {
    id: String,
    title: String,
}

#[derive(Serialize)]
struct LearnerLine {
    id: i64,
    name: String,
    status: &'static str,
    label: &'static str,
    observed: String,
}

#[derive(Serialize)]
struct CheckPage {
    class_id: i64,
    check: CheckHead,
    stuck_line: String,
    common_line: String,
    learners: Vec<LearnerLine>,
}

/// What a learner's host showed for a check: the observed value of its first evidence
/// line that did not pass (else the first line), cut to 200 characters.
fn observed(check: &CheckResult, lang: constat_checker_core::i18n::Lang) -> String {
    let line = check
        .evidence
        .iter()
        .find(|e| e.status != Status::Pass)
        .or_else(|| check.evidence.first());
    line.map(|e| {
        let text = format!(
            "{}{} {}",
            lang.property_name(&e.section, &e.property),
            lang.colon(),
            lang.shown(&e.actual)
        );
        text.chars().take(200).collect()
    })
    .unwrap_or_default()
}

/// Whether a learner is « stuck » on a check: a result that is not a pass (not assessable
/// counts too: the trainer wants to know whose VM cannot be read).
fn stuck(status: &str) -> bool {
    !matches!(status, "pass" | "none")
}

/// `GET /classes/{id}/checks/{check}`.
pub async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PagePath((id, check_id)): PagePath<(i64, String)>,
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
    let Some((_, title)) = pack
        .check_columns(lang)
        .iter()
        .find(|(c, _)| *c == check_id)
    else {
        return not_found(&state, lang);
    };
    let (learners, results) =
        match tokio::try_join!(state.store.learners_of(id), state.store.latest_results(id)) {
            Ok(both) => both,
            Err(e) => return internal_error(&state, lang, &e),
        };
    let reports: HashMap<i64, _> = results
        .iter()
        .filter_map(|r| parse_report(r).map(|report| (r.learner_id, report)))
        .collect();
    let mut lines = Vec::new();
    let mut values: BTreeMap<String, usize> = BTreeMap::new();
    for learner in &learners {
        let result = reports
            .get(&learner.id)
            .and_then(|r| r.checks.iter().find(|c| *c.id == *check_id));
        let status = result.map_or("none", |c| status(&c.outcome));
        let seen = result.map(|r| observed(r, lang.core())).unwrap_or_default();
        if stuck(status) && !seen.is_empty() {
            *values.entry(seen.clone()).or_default() += 1;
        }
        lines.push(LearnerLine {
            id: learner.id,
            name: learner.fields.name.clone(),
            status,
            label: status_label(lang, status),
            observed: seen,
        });
    }
    let total = lines.iter().filter(|l| l.status != "none").count();
    let stuck_count = lines.iter().filter(|l| stuck(l.status)).count();
    // Most frequent first; ties by the value's text, so the page is stable.
    let common = values.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
    let common_line = match common {
        Some((value, count)) => tf(lang, "check_common", &[("value", value), ("count", count)]),
        None => t(lang, "check_no_common").to_owned(),
    };
    let title = format!("{check_id} — {title}");
    Page {
        visitor: Some(&me.visitor),
        trainer: Some(&me.trainer.name),
        ..Page::new("check.html", &title, lang)
    }
    .render(
        &state,
        CheckPage {
            class_id: id,
            stuck_line: tf(
                lang,
                "check_stuck",
                &[
                    ("stuck", &stuck_count),
                    ("total", &total),
                    ("check", &check_id),
                ],
            ),
            common_line,
            check: CheckHead {
                id: check_id.clone(),
                title: title.clone(),
            },
            learners: lines,
        },
    )
}
