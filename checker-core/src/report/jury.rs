//! What the jury recorded for one candidate (issue 14 item 4, issue 19 item 6): notes, the
//! checks or critères a note neutralises (waivers), and the jury's decisions on `jury` checks.
//!
//! Scoring: a neutralised check is out of the numerator **and** the denominator of every
//! score (critère, competence, CCP, total), like a not-assessable check, and its machine
//! verdict is kept for the record. A decided `jury` check is scored like any check: `pass`
//! earns its points, `partial:N` earns N points (at most its points), `fail` earns nothing.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A note of the jury about one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct JuryNote {
    /// Who wrote it.
    pub author: String,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Why: the incident, the decision's grounds.
    pub text: String,
    /// Check ids or critère ids (`tssr-2023/CP2/C3`) this note neutralises.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waive: Vec<String>,
    /// Decisions on `jury` checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decide: Vec<JuryDecision>,
}

/// The jury's verdict on one `jury` check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct JuryDecision {
    /// Check id.
    pub check: String,
    /// Verdict.
    pub verdict: JuryVerdict,
}

/// A jury verdict.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum JuryVerdict {
    /// The requirement is met: full points.
    Pass,
    /// Partly met: `points` earned (at most the check's points).
    Partial {
        /// Points granted.
        points: f64,
    },
    /// Not met.
    Fail,
}

impl JuryVerdict {
    /// Parses `pass`, `fail` or `partial:N` (N points, `.` or `,` decimal).
    pub fn parse(text: &str) -> Option<JuryVerdict> {
        match text.trim() {
            "pass" => Some(JuryVerdict::Pass),
            "fail" => Some(JuryVerdict::Fail),
            other => {
                let n = other.strip_prefix("partial:")?.trim().replace(',', ".");
                let points: f64 = n.parse().ok()?;
                (points.is_finite() && points >= 0.0).then_some(JuryVerdict::Partial { points })
            }
        }
    }
}

/// Why a check's score is the jury's: on a [`crate::report::CheckResult`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum JuryMark {
    /// A `jury` check with no decision yet: « à vérifier par le jury », out of every score.
    Pending,
    /// Neutralised by a note: out of every score.
    Waived {
        /// Index of the note in the report's `jury_notes`.
        note: usize,
    },
    /// Scored from the jury's decision.
    Decided {
        /// Index of the note in the report's `jury_notes`.
        note: usize,
    },
}
