//! The class grid's rows: one learner × the pack's checks, colour per status, total and
//! per-competence scores, last seen. Built from the stored full report; shared by the page
//! and the live stream (which sends one rendered row per update).

use crate::grading::ClassPack;
use crate::i18n::{Lang, t};
use crate::store::{Learner, PullHostStatus, StoredResult};
use constat_checker_core::report::{Outcome, Report};
use serde::Serialize;
use std::collections::HashMap;

/// One cell.
#[derive(Debug, Serialize)]
pub(crate) struct Cell {
    pub(crate) status: &'static str,
    pub(crate) mark: &'static str,
    pub(crate) title: String,
}

/// One learner's row.
#[derive(Debug, Serialize)]
pub(crate) struct Row {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) total: String,
    pub(crate) tone: &'static str,
    pub(crate) competences: Vec<String>,
    pub(crate) cells: Vec<Cell>,
    pub(crate) last_seen: String,
    /// Hosts whose last pull failed, each with its cause.
    pub(crate) pull_failures: Vec<String>,
}

/// Longest cause shown in a grid cell (the learner's page has the whole report).
const MAX_CAUSE_CHARS: usize = 240;

/// The reader's words for a host status keyword of a failed pull.
pub(crate) fn host_status_label(lang: Lang, status: &str) -> &'static str {
    match status {
        "unreachable" => t(lang, "host_unreachable"),
        "auth_refused" => t(lang, "host_auth_refused"),
        "sudo_refused" => t(lang, "host_sudo_refused"),
        _ => t(lang, "host_collection_failed"),
    }
}

/// « linux : injoignable — connexion refusée (il y a 12 s) » for each failed host.
pub(crate) fn pull_failures(lang: Lang, pulls: &[PullHostStatus], now: i64) -> Vec<String> {
    pulls
        .iter()
        .filter_map(|p| {
            let failure = p.failure.as_ref()?;
            // A transport's known cause (`Connection refused (os error 111)`) in the
            // reader's language, any other text as is.
            let shown = lang.core().shown(&failure.cause);
            let mut cause: String = shown.chars().take(MAX_CAUSE_CHARS).collect();
            if shown.chars().count() > MAX_CAUSE_CHARS {
                cause.push('…');
            }
            Some(format!(
                "{} : {} — {} ({})",
                p.role,
                host_status_label(lang, &failure.status),
                cause,
                ago(lang, Some(p.attempted_at), now)
            ))
        })
        .collect()
}

/// The status keyword of an outcome (CSS class `s-…`).
pub(crate) fn status(outcome: &Outcome) -> &'static str {
    outcome.keyword()
}

/// The reader's word for a status keyword (`none`: no result yet).
pub(crate) fn status_label(lang: Lang, status: &str) -> &'static str {
    match status {
        "pass" => t(lang, "status_pass"),
        "partial" => t(lang, "status_partial"),
        "fail" => t(lang, "status_fail"),
        "skipped" => t(lang, "status_skipped"),
        "not_assessable" => t(lang, "status_not_assessable"),
        _ => t(lang, "status_none"),
    }
}

fn mark(status: &str) -> &'static str {
    match status {
        "pass" => "✓",
        "partial" => "½",
        "fail" => "✗",
        "skipped" => "→",
        "not_assessable" => "?",
        _ => "",
    }
}

/// `73 %`, or `—` when nothing was assessable.
pub(crate) fn percent(p: Option<f64>) -> String {
    p.filter(|p| p.is_finite())
        .map_or_else(|| "—".to_owned(), |p| format!("{:.0} %", p * 100.0))
}

fn tone(p: Option<f64>) -> &'static str {
    match p {
        Some(p) if p >= 0.8 => "s-pass",
        Some(p) if p >= 0.5 => "s-partial",
        Some(_) => "s-fail",
        None => "s-none",
    }
}

/// « 12 s », « 3 min », « 2 h », or « jamais ».
pub(crate) fn ago(lang: Lang, then: Option<i64>, now: i64) -> String {
    let Some(then) = then else {
        return t(lang, "never").to_owned();
    };
    let secs = (now - then).max(0);
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        _ => format!("{} h", secs / 3600),
    }
}

/// A stored report, or `None` when it does not parse (logged: the store holds what this
/// server wrote, so that is a bug or a newer format).
pub(crate) fn parse_report(result: &StoredResult) -> Option<Report> {
    serde_json::from_str(&result.report_json)
        .inspect_err(|e| {
            eprintln!(
                "constat serve: stored report of learner {}: {e}",
                result.learner_id
            )
        })
        .ok()
}

/// A learner's row; `pulls` are the last pulls of the learner's hosts (pull mode).
pub(crate) fn row(
    pack: &ClassPack,
    learner: &Learner,
    report: Option<&Report>,
    pulls: &[PullHostStatus],
    now: i64,
    lang: Lang,
) -> Row {
    let outcomes: HashMap<&str, &Outcome> = report
        .map(|r| r.checks.iter().map(|c| (&*c.id, &c.outcome)).collect())
        .unwrap_or_default();
    let cells = pack
        .check_columns(lang)
        .iter()
        .map(|(id, title)| {
            let status = outcomes.get(id.as_str()).map_or("none", |o| status(o));
            Cell {
                status,
                mark: mark(status),
                title: format!("{id} — {title} : {}", status_label(lang, status)),
            }
        })
        .collect();
    let competences = pack
        .competences
        .iter()
        .map(|(id, _)| {
            percent(
                report
                    .and_then(|r| r.competences.iter().find(|c| &c.id == id))
                    .and_then(|c| c.score.percent),
            )
        })
        .collect();
    let total = report.and_then(|r| r.total.percent);
    Row {
        id: learner.id,
        name: learner.fields.name.clone(),
        total: percent(total),
        tone: tone(total),
        competences,
        cells,
        last_seen: ago(lang, learner.last_seen, now),
        pull_failures: pull_failures(lang, pulls, now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::PullFailure;

    /// A transport's known cause reads in the reader's language; another stays as is.
    #[test]
    fn pull_failures_show_a_known_cause_in_the_readers_language() {
        let pull = |cause: &str| PullHostStatus {
            learner_id: 1,
            role: "linux".to_owned(),
            attempted_at: 100,
            failure: Some(PullFailure {
                status: "unreachable".to_owned(),
                kind: "unreachable".to_owned(),
                cause: cause.to_owned(),
            }),
        };
        let pulls = [
            pull("Connection refused (os error 111)"),
            pull("ssh 10.0.0.1:22: banner exchange failed"),
        ];
        let fr = pull_failures(Lang::Fr, &pulls, 112);
        assert!(
            fr[0].contains("connexion refusée (erreur système 111)"),
            "{fr:?}"
        );
        assert!(!fr[0].contains("Connection refused"), "{fr:?}");
        assert!(
            fr[1].contains("ssh 10.0.0.1:22: banner exchange failed"),
            "{fr:?}"
        );
        let en = pull_failures(Lang::En, &pulls, 112);
        assert!(
            en[0].contains("Connection refused (os error 111)"),
            "{en:?}"
        );
    }
}
