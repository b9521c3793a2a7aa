//! The session summary: several candidate reports → one grid candidates × critères (pure).

use crate::referentiel::Verifiability;
use crate::report::{CritereStatus, Report, Score};
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
}

/// The grid of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionSummary {
    /// Columns: the critères cited by at least one check, in référentiel order (from the
    /// first report), then C critères for the jury.
    pub columns: Vec<SessionColumn>,
    /// Rows sorted by candidate id.
    pub rows: Vec<SessionRow>,
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
            })
            .collect();
        rows.sort_by(|a, b| a.candidate.cmp(&b.candidate).then(a.pack.cmp(&b.pack)));
        SessionSummary { columns, rows }
    }
}
