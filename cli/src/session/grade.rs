//! Grading a session: called by `session run` after collection and by `session regrade`.
//!
//! Loads the pack named in the session's inventory (an embedded pack id, a path as written, or
//! a path relative to the session directory), grades every candidate from the snapshots on
//! disk (a host whose collection failed is graded as unreachable, with its cause), and writes
//! `reports/<candidate>.{json,html,md}`, `reports/summary.html` and `reports/jury.csv`.
//! Nothing is sent to any host.

use super::layout::SessionDir;
use super::manifest::{HostStatus, Manifest, Phase};
use super::write_atomically;
use crate::errors::CliError;
use crate::grading::{load_pack, now_rfc3339, render_options};
use crate::i18n::{t, tf};
use crate::inventory::load_inventory;
use crate::local_input::{InputKind, read_local};
use crate::reports::SessionReports;
use crate::transport::{HostError, HostErrorKind};
use constat_checker_core::render::Audience;
use constat_checker_core::render::GradebookId;
use constat_checker_core::report::{Report, SessionSummary};
use constat_checker_core::{
    CandidateInput, GradeOptions, HostFailure, HostObservation, Observed, grade_with_jury,
};
use constat_snapshot::Snapshot;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What grading did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeOutcome {
    /// The inventory names no pack: snapshots are kept, nothing is graded.
    NoPack,
    /// The end phase has not been collected yet.
    NoEndPhase,
    /// Reports written.
    Graded {
        /// Candidates graded.
        candidates: usize,
        /// Where the reports are.
        dir: PathBuf,
        /// Identity warnings (`candidate — Identité changée : …`), terminal-escaped, in
        /// candidate order: shown to the examiner as soon as the session is graded.
        identity: Vec<String>,
    },
}

impl GradeOutcome {
    /// For the examiner's terminal: how many candidates were graded and where, then each
    /// identity warning. Nothing for the other outcomes (their callers word them).
    pub fn write_graded(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if let GradeOutcome::Graded {
            candidates,
            dir,
            identity,
        } = self
        {
            writeln!(
                out,
                "{}",
                tf(
                    "session.graded",
                    &[("count", candidates), ("dir", &dir.display())]
                )
            )?;
            for line in identity {
                writeln!(out, "[!!] {line}")?;
            }
        }
        Ok(())
    }
}

fn observed(
    dir: &SessionDir,
    manifest: &Manifest,
    candidate: &str,
    role: &str,
    phase: Phase,
) -> Option<Observed> {
    let entry = manifest
        .hosts
        .iter()
        .find(|h| h.candidate == candidate && h.role == role && h.phase == phase)?;
    match (&entry.status, &entry.file) {
        (HostStatus::Collected, Some(file)) => {
            let path = dir.file(file);
            let loaded = read_local(&path, InputKind::Snapshot)
                .map_err(|e| crate::i18n::os_errors(&format!("{e:#}")))
                .and_then(|text| {
                    Snapshot::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
                });
            Some(match loaded {
                Ok(snapshot) => Observed::Snapshot(Box::new(snapshot)),
                Err(cause) => Observed::Failed {
                    failure: HostFailure::CollectionFailed,
                    cause,
                },
            })
        }
        _ => Some(failed_observation(entry.error.as_ref())),
    }
}

/// A host without a snapshot, by what its transport said: unreachable only when no connection
/// was made; a refused account, a refused sudo and a failed collection are told apart.
fn failed_observation(error: Option<&HostError>) -> Observed {
    let Some(error) = error else {
        return Observed::Unreachable {
            cause: "not collected".to_owned(),
        };
    };
    // Recorded in the language of the run that met it; the OS's words too.
    let cause = crate::retranslate::in_current_lang(&error.message);
    let failure = match error.kind {
        HostErrorKind::Unreachable | HostErrorKind::Timeout => {
            return Observed::Unreachable {
                cause: tf(
                    "host_error.display",
                    &[("kind", &error.kind.label()), ("message", &cause)],
                ),
            };
        }
        HostErrorKind::AuthRefused | HostErrorKind::Credentials => HostFailure::AuthRefused,
        HostErrorKind::SudoRefused => HostFailure::SudoRefused,
        HostErrorKind::Tls
        | HostErrorKind::HostKey
        | HostErrorKind::BadOutput
        | HostErrorKind::OutputTooLarge
        | HostErrorKind::AgentFailed
        | HostErrorKind::NoAgent
        | HostErrorKind::Unsupported
        | HostErrorKind::Other => HostFailure::CollectionFailed,
    };
    let cause = match failure {
        HostFailure::CollectionFailed => tf(
            "host_error.display",
            &[("kind", &error.kind.label()), ("message", &cause)],
        ),
        _ => cause,
    };
    Observed::Failed { failure, cause }
}

/// Grades a session's collected snapshots and writes today's reports (json, html, md per
/// candidate, summary.html, jury.csv in the French form).
pub fn grade_session(dir: &SessionDir, manifest: &Manifest) -> anyhow::Result<GradeOutcome> {
    grade_session_with(dir, manifest, &SessionReports::default())
}

/// Grades a session's collected snapshots and writes the report files `files` asks for.
pub fn grade_session_with(
    dir: &SessionDir,
    manifest: &Manifest,
    files: &SessionReports,
) -> anyhow::Result<GradeOutcome> {
    let inventory = load_inventory(&dir.inventory())?;
    let Some(pack_spec) = inventory.session.pack.clone() else {
        return Ok(GradeOutcome::NoPack);
    };
    if !manifest.hosts.iter().any(|h| h.phase == Phase::End) {
        return Ok(GradeOutcome::NoEndPhase);
    }
    let pack = load_pack(&dir.pack_location(&pack_spec))?;
    let notes = super::notes::load_notes(dir)?;
    let graded_at = now_rfc3339();
    // The inventory's identity expectations (`expect_hostname`...), by candidate and role.
    let expectations: BTreeMap<(String, String), constat_checker_core::ExpectedIdentity> =
        crate::inventory::resolve_hosts(&inventory)?
            .into_iter()
            .filter(|h| !h.expected_identity.is_empty())
            .map(|h| ((h.candidate, h.role), h.expected_identity))
            .collect();
    let mut reports: Vec<Report> = Vec::new();
    for candidate in &inventory.candidates {
        let mut hosts = BTreeMap::new();
        for role in pack.hosts.keys() {
            let Some(end) = observed(dir, manifest, &candidate.id, role, Phase::End) else {
                continue;
            };
            let start = observed(dir, manifest, &candidate.id, role, Phase::Start)
                .filter(|o| matches!(o, Observed::Snapshot(_)));
            hosts.insert(role.clone(), HostObservation { end, start });
        }
        let input = CandidateInput {
            id: candidate.id.clone(),
            name: Some(candidate.name.clone()),
            variables: candidate.vars.clone(),
            expected_identity: expectations
                .iter()
                .filter(|((c, _), _)| *c == candidate.id)
                .map(|((_, role), e)| (role.clone(), e.clone()))
                .collect(),
            hosts,
        };
        let mut report = grade_with_jury(
            &pack,
            &input,
            &GradeOptions {
                graded_at: graded_at.clone(),
                profile: inventory.session.profile.clone(),
                timezone: inventory.session.timezone.clone(),
            },
            &notes.of(&candidate.id),
        );
        report.session = Some(inventory.session.id.clone());
        reports.push(report);
    }
    let out = dir.root().join("reports");
    let options = render_options(Audience::Examiner, false);
    // One candidate whose report cannot be written never prevents the others', the summary
    // or the jury grid: failures are gathered and reported once everything else is written.
    let mut failures: Vec<String> = Vec::new();
    for report in &reports {
        if let Err(e) = files.write_candidate(&out, report, &options) {
            failures.push(tf(
                "session.report_failed",
                &[
                    ("candidate", &report.candidate.id),
                    ("error", &format!("{e:#}")),
                ],
            ));
        }
    }
    let summary = SessionSummary::from_reports(&reports);
    // The gradebook identity of each candidate (`--report moodle`).
    let ids: BTreeMap<String, GradebookId> = inventory
        .candidates
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                GradebookId {
                    idnumber: c.idnumber.clone(),
                    email: c.email.clone(),
                },
            )
        })
        .collect();
    for (path, bytes) in files.session_files(&out, &reports, &summary, &ids, &options) {
        write_atomically(&path, bytes.as_bytes()).map_err(|e| {
            anyhow::anyhow!(tf(
                "session.write_failed",
                &[("file", &path.display()), ("error", &e)]
            ))
        })?;
        crate::output::verbose(&tf("verbose.written", &[("file", &path.display())]));
    }
    if !failures.is_empty() {
        return Err(CliError {
            status: crate::exit_status::ExitStatus::IoError,
            message: failures.join("; "),
            hint: Some(t("session.reports_failed_hint").to_owned()),
        }
        .into());
    }
    let lang = options.lang;
    let esc = |x: &str| constat_checker_core::render::escape::terminal(x).into_owned();
    let identity = reports
        .iter()
        .flat_map(|r| {
            r.identity_warnings
                .iter()
                .map(move |w| format!("{} — {}", esc(&r.candidate.id), lang.identity_line(w, &esc)))
        })
        .collect();
    Ok(GradeOutcome::Graded {
        candidates: reports.len(),
        dir: out,
        identity,
    })
}
