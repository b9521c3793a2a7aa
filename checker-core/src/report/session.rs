//! The session summary: several candidate reports → one grid candidates × critères (pure).

use crate::referentiel::Verifiability;
use crate::report::{CritereStatus, HostStatus, IdentityWarning, JuryMark, Report, Score};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One column of the grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionColumn {
    /// Critère id.
    pub id: String,
    /// Verifiability class.
    pub class: Verifiability,
    /// Verbatim text.
    pub text: String,
}

/// One cell: a candidate on a critère.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionCell {
    /// How to read it.
    pub status: CritereStatus,
    /// Indicative percentage, when some check was assessable.
    pub percent: Option<f64>,
    /// Assessable checks / checks.
    pub assessable: usize,
    /// Checks citing the critère.
    pub checks: usize,
}

/// One candidate row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionRow {
    /// Candidate id.
    pub candidate: String,
    /// Name.
    pub name: Option<String>,
    /// Pack id graded.
    pub pack: String,
    /// Cells in column order (`None` when the candidate's report lacks the critère).
    pub cells: Vec<Option<SessionCell>>,
    /// Indicative total.
    pub total: Score,
    /// Checks not assessable (to look at before deliberating).
    pub not_assessable: usize,
    /// The candidate's identity warnings (wrong VM, swapped snapshot): to look at first.
    #[serde(default)]
    pub identity_warnings: Vec<IdentityWarning>,
    /// The candidate's hosts that gave no snapshot (unreachable, refused, failed, missing),
    /// with the cause: a total of « 0 / 0 » must never hide a host that failed.
    #[serde(default)]
    pub host_problems: Vec<HostProblem>,
    /// Scores per competence, in the order of [`SessionSummary::competences`] (`None`: the
    /// candidate's report lacks it).
    #[serde(default)]
    pub competences: Vec<Option<Score>>,
    /// The jury's notes about the candidate (waivers, decisions), in recorded order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jury_notes: Vec<crate::report::JuryNote>,
}

/// A competence shown in the summary: scored by the profile, with checks in a pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionCompetence {
    /// Competence id (`tssr-2023/CP3`).
    pub id: String,
    /// Title.
    pub title: String,
}

/// A host of a candidate that gave no snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HostProblem {
    /// Role in the pack.
    pub role: String,
    /// Why there is no snapshot.
    pub status: HostStatus,
    /// The transport's cause, when there is one.
    pub cause: Option<String>,
}

/// How a critère is assessed in the session, given the pack's checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoverageAssessment {
    /// Class A with at least one check: machine evidence and an indicative score.
    Machine,
    /// Class A+B or B with checks: machine evidence the jury completes.
    MachineAndJury,
    /// Class C: only the jury can assess it.
    Jury,
    /// Machine-checkable in principle but no check cites it: left to the jury.
    Uncovered,
}

/// One line of the coverage table: a critère of the référentiel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoverageLine {
    /// Critère id.
    pub id: String,
    /// Verbatim text.
    pub text: String,
    /// Verifiability class.
    pub class: Verifiability,
    /// Whether the session profile scores it (otherwise: material for the entretien technique).
    pub scored: bool,
    /// Ids of the checks citing it (`pack/check` when the session mixes packs).
    pub checks: Vec<String>,
    /// The resulting assessment.
    pub assessment: CoverageAssessment,
}

/// The grid of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionSummary {
    /// The session's id (from the first report that names one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Columns: the critères cited by at least one check, in référentiel order (from the
    /// first report), then C critères for the jury.
    pub columns: Vec<SessionColumn>,
    /// Rows sorted by candidate id.
    pub rows: Vec<SessionRow>,
    /// Every critère of the référentiel (first report's order) with the checks covering it
    /// across the session's packs: what the machine evidences, what the jury must assess.
    pub coverage: Vec<CoverageLine>,
    /// The competences of the one-row-per-candidate view: in the profile and with at least
    /// one check in some report, in référentiel order (from the first report).
    #[serde(default)]
    pub competences: Vec<SessionCompetence>,
}

impl SessionSummary {
    /// Builds the grid. Pure; rows are sorted by candidate id for determinism.
    pub fn from_reports(reports: &[Report]) -> SessionSummary {
        let mut columns: Vec<SessionColumn> = Vec::new();
        for r in reports {
            for k in &r.criteres {
                let relevant = !k.checks.is_empty() || k.class == Verifiability::C;
                if relevant
                    && k.status != CritereStatus::Interview
                    && !columns.iter().any(|c| *c.id == *k.id)
                {
                    columns.push(SessionColumn {
                        id: k.id.to_string(),
                        class: k.class,
                        text: k.text.to_string(),
                    });
                }
            }
        }
        let mut competences: Vec<SessionCompetence> = Vec::new();
        for r in reports {
            for cp in &r.competences {
                let touched = r
                    .criteres
                    .iter()
                    .any(|k| *k.competence == *cp.id && !k.checks.is_empty());
                if cp.in_profile && touched && !competences.iter().any(|c| c.id == cp.id) {
                    competences.push(SessionCompetence {
                        id: cp.id.clone(),
                        title: cp.title.clone(),
                    });
                }
            }
        }
        let mut rows: Vec<SessionRow> = reports
            .iter()
            .map(|r| SessionRow {
                candidate: r.candidate.id.clone(),
                name: r.candidate.name.clone(),
                pack: r.pack.id.clone(),
                cells: columns
                    .iter()
                    .map(|c| {
                        r.criteres
                            .iter()
                            .find(|k| *k.id == *c.id)
                            .map(|k| SessionCell {
                                status: k.status,
                                percent: k.score.percent,
                                assessable: k.assessable,
                                checks: k.checks.len(),
                            })
                    })
                    .collect(),
                total: r.total,
                not_assessable: r
                    .checks
                    .iter()
                    .filter(|c| !c.outcome.is_assessable())
                    .count(),
                identity_warnings: r.identity_warnings.clone(),
                jury_notes: r.jury_notes.clone(),
                host_problems: r
                    .hosts
                    .iter()
                    .filter(|h| h.status != HostStatus::Observed)
                    .map(|h| HostProblem {
                        role: h.role.clone(),
                        status: h.status,
                        cause: h.cause.clone(),
                    })
                    .collect(),
                competences: competences
                    .iter()
                    .map(|c| r.competences.iter().find(|x| x.id == c.id).map(|x| x.score))
                    .collect(),
            })
            .collect();
        rows.sort_by(|a, b| a.candidate.cmp(&b.candidate).then(a.pack.cmp(&b.pack)));
        SessionSummary {
            session: reports.iter().find_map(|r| r.session.clone()),
            columns,
            rows,
            coverage: coverage(reports),
            competences,
        }
    }
}

/// Coverage of the référentiel by the checks of the session's packs (each pack counted once).
fn coverage(reports: &[Report]) -> Vec<CoverageLine> {
    let mut packs: Vec<&Report> = Vec::new();
    for r in reports {
        if !packs.iter().any(|p| p.pack.id == r.pack.id) {
            packs.push(r);
        }
    }
    let several = packs.len() > 1;
    let Some(first) = packs.first() else {
        return Vec::new();
    };
    first
        .criteres
        .iter()
        .map(|k| {
            let mut checks: Vec<String> = Vec::new();
            let mut scored = false;
            // A `jury` check is evidence for the jury, not the machine's.
            let mut machine = false;
            for p in &packs {
                if let Some(pk) = p.criteres.iter().find(|x| x.id == k.id) {
                    scored |= pk.status != CritereStatus::Interview;
                    checks.extend(pk.checks.iter().map(|c| {
                        let jury = p.checks.iter().any(|r| {
                            r.id == *c
                                && matches!(
                                    r.jury,
                                    Some(JuryMark::Pending | JuryMark::Decided { .. })
                                )
                        });
                        machine |= !jury;
                        let marker = if jury { " (jury)" } else { "" };
                        if several {
                            format!("{}/{c}{marker}", p.pack.id)
                        } else {
                            format!("{c}{marker}")
                        }
                    }));
                }
            }
            let assessment = match (k.class, checks.is_empty()) {
                (Verifiability::C, _) => CoverageAssessment::Jury,
                (_, false) if !machine => CoverageAssessment::Jury,
                (_, true) => CoverageAssessment::Uncovered,
                (Verifiability::A, false) => CoverageAssessment::Machine,
                (_, false) => CoverageAssessment::MachineAndJury,
            };
            CoverageLine {
                id: k.id.to_string(),
                text: k.text.to_string(),
                class: k.class,
                scored,
                checks,
                assessment,
            }
        })
        .collect()
}
