//! `POST /api/classes/{code}/submissions`: a learner's signed snapshot.
//!
//! In order: the class and the learner (headers), the body (bounded in size and time), the
//! signing time (within the allowed clock skew), the ed25519 signature over class, learner,
//! role, time and the body's SHA-256, the claim (no replay, a minimum interval per learner),
//! the snapshot (parsed, then scrubbed with the sessions' scrubber), the role, grading on the
//! blocking pool, storage. Every refusal is JSON `{"error", "help"}` in the reader's language
//! (`Accept-Language`), with the HTTP status that says which kind it is. The answer is the
//! learner's view of the report: never an expected value.

use crate::extract::ApiPath;
use crate::grading::grade_learner;
use crate::i18n::{Lang, ReaderLang, t, tf};
use crate::protocol::{
    HEADER_LEARNER, HEADER_ROLE, HEADER_SIGNATURE, HEADER_TIMESTAMP, MAX_CLOCK_SKEW_SECS,
    signed_message, verify,
};
use crate::random::{hex, normalise_code};
use crate::state::AppState;
use crate::store::{Claim, NewSubmission};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use constat_checker_core::render::{Audience, RenderOptions, for_reader};
use constat_snapshot::Snapshot;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// A refused submission.
pub(crate) struct Failure {
    status: StatusCode,
    error: String,
    help: String,
    retry_after: Option<i64>,
}

impl Failure {
    fn new(status: StatusCode, error: String, help: String) -> Failure {
        Failure {
            status,
            error,
            help,
            retry_after: None,
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(serde_json::json!({ "error": self.error, "help": self.help })),
        )
            .into_response();
        if let Some(secs) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// The accepted submission's answer.
#[derive(Serialize)]
struct Accepted {
    learner: i64,
    received_at: i64,
    report: constat_checker_core::report::Report,
}

fn header_text<'a>(
    headers: &'a HeaderMap,
    name: &'static str,
    lang: Lang,
) -> Result<&'a str, Failure> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 256)
        .ok_or_else(|| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                tf(lang, "err_header", &[("header", &name)]),
                t(lang, "help_header").to_owned(),
            )
        })
}

fn header_number(headers: &HeaderMap, name: &'static str, lang: Lang) -> Result<i64, Failure> {
    header_text(headers, name, lang)?
        .parse::<i64>()
        .map_err(|_| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                tf(lang, "err_header", &[("header", &name)]),
                t(lang, "help_header").to_owned(),
            )
        })
}

fn internal(lang: Lang, what: &dyn std::fmt::Display) -> Failure {
    eprintln!("constat serve: submission: {what}");
    Failure::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        t(lang, "err_internal").to_owned(),
        t(lang, "help_internal").to_owned(),
    )
}

/// The handler.
pub async fn submit(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match accept(&state, lang, &code, &headers, body).await {
        Ok(accepted) => (StatusCode::OK, Json(accepted)).into_response(),
        Err(failure) => failure.into_response(),
    }
}

async fn accept(
    state: &AppState,
    lang: Lang,
    code: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Accepted, Failure> {
    let limits = state.settings.limits;
    let unknown_learner = || {
        Failure::new(
            StatusCode::NOT_FOUND,
            t(lang, "err_learner_unknown").to_owned(),
            t(lang, "help_learner_unknown").to_owned(),
        )
    };
    let unknown_class = || {
        Failure::new(
            StatusCode::NOT_FOUND,
            t(lang, "err_code_unknown").to_owned(),
            t(lang, "help_learner_unknown").to_owned(),
        )
    };
    let code = normalise_code(code).ok_or_else(unknown_class)?;
    let learner_id = header_number(headers, HEADER_LEARNER, lang)?;
    let signed_at = header_number(headers, HEADER_TIMESTAMP, lang)?;
    let role = header_text(headers, HEADER_ROLE, lang)?.to_owned();
    let signature = header_text(headers, HEADER_SIGNATURE, lang)?.to_owned();
    let class = state
        .store
        .class_by_code(code.clone())
        .await
        .map_err(|e| internal(lang, &e))?
        .ok_or_else(unknown_class)?;
    let learner = state
        .store
        .learner(learner_id)
        .await
        .map_err(|e| internal(lang, &e))?
        .filter(|l| l.fields.class_id == class.id)
        .ok_or_else(unknown_learner)?;

    let too_large = || {
        Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            tf(
                lang,
                "err_body_too_large",
                &[("max", &limits.max_submission_bytes)],
            ),
            t(lang, "help_body_too_large").to_owned(),
        )
    };
    if headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > limits.max_submission_bytes)
    {
        return Err(too_large());
    }
    let read = axum::body::to_bytes(body, limits.max_submission_bytes);
    let bytes =
        match tokio::time::timeout(Duration::from_secs(limits.body_timeout_secs), read).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) => return Err(too_large()),
            Err(_) => {
                return Err(Failure::new(
                    StatusCode::REQUEST_TIMEOUT,
                    tf(
                        lang,
                        "err_snapshot",
                        &[("error", &"body not received in time")],
                    ),
                    t(lang, "help_snapshot").to_owned(),
                ));
            }
        };

    let now = state.now();
    let skew = (now - signed_at).abs();
    if skew > MAX_CLOCK_SKEW_SECS {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            tf(
                lang,
                "err_clock",
                &[("secs", &skew), ("max", &MAX_CLOCK_SKEW_SECS)],
            ),
            t(lang, "help_clock").to_owned(),
        ));
    }
    let message = signed_message(&class.fields.code, learner.id, &role, signed_at, &bytes);
    verify(&learner.fields.public_key, &signature, &message).map_err(|e| {
        Failure::new(
            StatusCode::UNAUTHORIZED,
            tf(lang, "err_signature", &[("reason", &e)]),
            t(lang, "help_signature").to_owned(),
        )
    })?;
    match state
        .store
        .claim_submission(learner.id, signed_at, now, limits.min_submit_interval_secs)
        .await
        .map_err(|e| internal(lang, &e))?
    {
        Claim::Accepted => {}
        Claim::Replayed => {
            return Err(Failure::new(
                StatusCode::CONFLICT,
                t(lang, "err_replay").to_owned(),
                t(lang, "help_replay").to_owned(),
            ));
        }
        Claim::TooSoon { retry_after } => {
            return Err(Failure {
                retry_after: Some(retry_after),
                ..Failure::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    tf(lang, "err_too_soon", &[("secs", &retry_after)]),
                    tf(
                        lang,
                        "help_too_soon",
                        &[("min", &limits.min_submit_interval_secs)],
                    ),
                )
            });
        }
    }

    let bad_snapshot = |error: &dyn std::fmt::Display| {
        Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            tf(lang, "err_snapshot", &[("error", error)]),
            t(lang, "help_snapshot").to_owned(),
        )
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| bad_snapshot(&e))?;
    let mut snapshot = Snapshot::from_json(text).map_err(|e| bad_snapshot(&e))?;
    // The candidate is root on the VM and may replace the agent's output: scrub here too.
    constat_snapshot::secrets::scrub_sections(&mut snapshot.sections)
        .map_err(|e| bad_snapshot(&e))?;

    let pack = state.packs.get(&class).map_err(|e| {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            tf(lang, "err_class_pack", &[("error", &e)]),
            t(lang, "help_internal").to_owned(),
        )
    })?;
    if !pack.pack.hosts.contains_key(&role) {
        let roles: Vec<&str> = pack.pack.hosts.keys().map(String::as_str).collect();
        return Err(Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            tf(
                lang,
                "err_role",
                &[("role", &role), ("roles", &roles.join(", "))],
            ),
            t(lang, "help_role").to_owned(),
        ));
    }
    let snapshot_json = serde_json::to_string(&snapshot).map_err(|e| internal(lang, &e))?;
    let graded_class = class.clone();
    let name = learner.fields.name.clone();
    let graded_role = role.clone();
    let report = tokio::task::spawn_blocking(move || {
        grade_learner(
            &pack,
            &graded_class,
            (learner_id, &name),
            &graded_role,
            snapshot,
            now,
        )
    })
    .await
    .map_err(|e| internal(lang, &e))?;
    let report_json = serde_json::to_string(&report).map_err(|e| internal(lang, &e))?;
    state
        .store
        .record_submission(NewSubmission {
            learner_id,
            class_id: class.id,
            received_at: now,
            role,
            snapshot_json,
            body_sha256: hex(&Sha256::digest(&bytes)),
            report_json,
            percent: report.total.percent,
        })
        .await
        .map_err(|e| internal(lang, &e))?;
    let options = RenderOptions {
        lang: lang.core(),
        audience: Audience::Learner,
        color: false,
    };
    Ok(Accepted {
        learner: learner_id,
        received_at: now,
        report: for_reader(&report, &options),
    })
}
