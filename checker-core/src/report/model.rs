//! One candidate's report: check results with evidence, scores per critère, CP and CCP,
//! changes since the start, all sorted so that the same inputs give byte-identical JSON.
//!
//! The JSON Schema `schemas/report.schema.json` is generated from [`Report`].

use crate::eval::evidence::Evidence;
use crate::referentiel::{CompetenceKind, Verifiability};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Version of the report format. Bump on any change an older reader would misread.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// The graded state of one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// [`REPORT_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Producer and version.
    pub tool: String,
    /// Grading time (given by the caller, never read from a clock).
    pub graded_at: String,
    /// Who.
    pub candidate: CandidateInfo,
    /// The exam session it was graded in (the inventory's `session.id`); absent outside a
    /// session (`grade`, `check`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Which pack, référentiel and session profile.
    pub pack: PackInfo,
    /// Variables after the candidate's overrides.
    pub variables: BTreeMap<String, String>,
    /// Each host role: observed, unreachable or missing.
    pub hosts: Vec<HostInfo>,
    /// Every check, in pack order.
    pub checks: Vec<CheckResult>,
    /// Every critère of the référentiel, in official order.
    pub criteres: Vec<CritereScore>,
    /// Every competence (CP and CT), in official order.
    pub competences: Vec<CompetenceScore>,
    /// Every CCP.
    pub ccps: Vec<CcpScore>,
    /// Indicative total over the checks the profile scores.
    pub total: Score,
    /// Ids of checks outside the profile: material for the entretien technique, not scored.
    pub interview: Vec<String>,
    /// What changed between the start and end snapshots, per host.
    pub changes: Vec<HostChanges>,
    /// Problems with the inputs (unknown variable override, check that did not compile), in
    /// English; the catalogue (`eval/words.rs`) shows them in French.
    pub warnings: Vec<String>,
    /// The French text of the warnings the catalogue cannot show, keyed by the English
    /// warning: a pack's diagnostics when the candidate's variables are compiled, which the
    /// pack code writes in both languages (`file:line:col: error: …`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub warnings_fr: BTreeMap<String, String>,
    /// Hosts whose identity differs from the start snapshot's or from the inventory's
    /// expectation (wrong VM, swapped snapshot), sorted by role, property, reference.
    #[serde(default)]
    pub identity_warnings: Vec<IdentityWarning>,
    /// The jury's notes about this candidate (waivers, decisions on `jury` checks), in the
    /// order they were recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jury_notes: Vec<crate::report::JuryNote>,
}

/// A property of a host's identity.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IdentityProperty {
    /// Short host name.
    Hostname,
    /// `/etc/machine-id` (Linux) or MachineGuid (Windows).
    MachineId,
    /// Domain or realm the host is joined to (for a `dc` read over LDAP: its domain).
    Domain,
    /// SID of the domain read over LDAP (`dc` role).
    DomainSid,
    /// Domain controller that answered over LDAP (`dc` role).
    DomainController,
}

/// What an identity was compared with.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IdentityReference {
    /// The start phase's snapshot of the same candidate and role.
    Start,
    /// The inventory's expectation (`expect_hostname`, `expect_machine_id`).
    Expected,
}

/// One identity difference, shown to the jury near the top of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IdentityWarning {
    /// Host role.
    pub role: String,
    /// Which property differs.
    pub property: IdentityProperty,
    /// Compared with the start snapshot or with the inventory.
    pub reference: IdentityReference,
    /// Value at the start or expected (absent: unknown). Host text, cut to 128 characters;
    /// a machine-id is shown by its first 8 characters.
    pub expected: Option<String>,
    /// Value in the end snapshot (absent: unknown), cut the same way.
    pub observed: Option<String>,
}

/// The candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CandidateInfo {
    /// Id (e.g. the candidate number).
    pub id: String,
    /// Name, when given.
    pub name: Option<String>,
}

/// The pack and how it was applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PackInfo {
    /// Pack id.
    pub id: String,
    /// Pack title.
    pub title: String,
    /// English pack title, when the author wrote one (the reader's copy in English shows it
    /// as `title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Pack version.
    pub version: Option<String>,
    /// Référentiel id.
    pub referentiel: String,
    /// Référentiel label.
    pub referentiel_label: String,
    /// Session profile id.
    pub profile: String,
    /// Session profile label.
    pub profile_label: String,
}

/// Whether a host could be looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HostStatus {
    /// A snapshot was given.
    Observed,
    /// The collector could not reach it.
    Unreachable,
    /// Reached, but the account, password or key was refused.
    AuthRefused,
    /// Reached and logged in, but `sudo` was refused.
    SudoRefused,
    /// Reached, but the collection failed (agent error, unreadable output).
    CollectionFailed,
    /// No input for this role.
    Missing,
}

/// One host role of the candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HostInfo {
    /// Role in the pack.
    pub role: String,
    /// Observed, unreachable or missing.
    pub status: HostStatus,
    /// Why it is not observed.
    pub cause: Option<String>,
    /// Host name read in the snapshot.
    pub hostname: Option<String>,
    /// OS name read in the snapshot.
    pub os: Option<String>,
    /// End snapshot time.
    pub observed_at: Option<String>,
    /// Start snapshot time, when one was given.
    pub start_observed_at: Option<String>,
    /// What the end snapshot's identity was compared with (empty: nothing, e.g. no start
    /// snapshot and no inventory expectation).
    #[serde(default)]
    pub identity_compared: Vec<IdentityReference>,
}

/// Result of one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Holds.
    Pass,
    /// Holds for this fraction (partial-credit checks).
    Partial {
        /// Between 0 and 1.
        fraction: f64,
    },
    /// Does not hold.
    Fail,
    /// Not evaluated because a prerequisite did not pass.
    Skipped {
        /// The prerequisites that did not pass.
        requires: Vec<String>,
    },
    /// Could not be assessed; leaves the denominator.
    NotAssessable {
        /// Why (section not collected, collector error, host unreachable).
        reason: String,
    },
}

impl Outcome {
    /// Short keyword (`pass`, `partial`...).
    pub fn keyword(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Partial { .. } => "partial",
            Outcome::Fail => "fail",
            Outcome::Skipped { .. } => "skipped",
            Outcome::NotAssessable { .. } => "not_assessable",
        }
    }

    /// Whether it counts in the denominator.
    pub fn is_assessable(&self) -> bool {
        !matches!(self, Outcome::NotAssessable { .. })
    }
}

// The check's metadata (id, title, critères, hosts, hint, explanation) is shared with the
// compiled pack (`Arc`), not copied per report; it serializes as plain strings. (A plain
// comment: doc comments end up in `schemas/report.schema.json`.)
/// One check's result with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckResult {
    /// Check id.
    pub id: Arc<str>,
    /// French title.
    pub title: Arc<str>,
    /// English title, when the pack's author wrote one (the reader's copy in English shows
    /// it as `title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<Arc<str>>,
    /// Critère ids.
    pub criteres: Arc<[Arc<str>]>,
    /// Host roles.
    pub hosts: Arc<[Arc<str>]>,
    /// Points at stake.
    pub points: f64,
    /// Penalty when it fails.
    pub penalty: f64,
    /// Verdict.
    pub outcome: Outcome,
    /// Points earned (negative when a penalty applies).
    pub earned: f64,
    /// Whether the session profile scores it (else: material for the entretien technique).
    pub scored: bool,
    /// Per-property evidence.
    pub evidence: Vec<Evidence>,
    /// Hint for learners.
    pub hint: Option<Arc<str>>,
    /// English hint, when the pack's author wrote one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_en: Option<Arc<str>>,
    /// Explanation for examiners.
    pub explanation: Option<Arc<str>>,
    /// English explanation, when the pack's author wrote one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation_en: Option<Arc<str>>,
    /// An active test: the CLI ran a script for it (`--active-tests`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub active: bool,
    /// The jury neutralised this check or decided it (`session note`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jury: Option<crate::report::JuryMark>,
}

impl CheckResult {
    /// Whether it counts in scores: assessable and not neutralised by the jury.
    pub fn counts(&self) -> bool {
        self.outcome.is_assessable()
            && !matches!(self.jury, Some(crate::report::JuryMark::Waived { .. }))
    }
}

/// Earned over possible points.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Score {
    /// Points earned (penalties subtracted).
    pub earned: f64,
    /// Points of the assessable checks.
    pub max: f64,
    /// `earned / max` clamped to 0..1; absent when nothing was assessable.
    pub percent: Option<f64>,
}

/// How a critère is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CritereStatus {
    /// Machine-checkable (class A): indicative percentage.
    Indicative,
    /// Evidence for the jury (class B or A+B): percentage to be confirmed.
    ToConfirm,
    /// À évaluer par le jury: class C, or no assessable check.
    Jury,
    /// Outside the session profile: éléments pour l'entretien technique.
    Interview,
}

// Ids and text are shared with the référentiel and the pack (`Arc`).
/// Score of one critère.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CritereScore {
    /// Critère id.
    pub id: Arc<str>,
    /// Verbatim text.
    pub text: Arc<str>,
    /// Verifiability class.
    pub class: Verifiability,
    /// Competence id.
    pub competence: Arc<str>,
    /// How to read it.
    pub status: CritereStatus,
    /// Checks citing it.
    pub checks: Vec<Arc<str>>,
    /// How many of them could be assessed (coverage).
    pub assessable: usize,
    /// Indicative score.
    pub score: Score,
}

/// Score of one competence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompetenceScore {
    /// Competence id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Professional or transversal.
    pub kind: CompetenceKind,
    /// Whether the session profile scores it.
    pub in_profile: bool,
    /// Critères with at least one assessable check.
    pub criteres_covered: usize,
    /// All its critères.
    pub criteres_total: usize,
    /// Indicative score over its checks.
    pub score: Score,
}

/// Score of one CCP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CcpScore {
    /// CCP id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Whether the profile scores at least one of its CPs.
    pub in_profile: bool,
    /// Indicative score over its in-profile checks.
    pub score: Score,
}

/// What changed on one host between the start and the end of the exam.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HostChanges {
    /// Host role.
    pub role: String,
    /// Changes, sorted by section then item.
    pub changes: Vec<Change>,
}

/// How an item changed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// New at the end.
    Added,
    /// Gone at the end.
    Removed,
    /// Present in both, different.
    Modified,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// Section (`users`, `firewall`...).
    pub section: String,
    /// Item (`alice`, `ssh.service`).
    pub item: String,
    /// Added, removed, modified.
    pub kind: ChangeKind,
    /// What differs (`shell: /bin/sh → /bin/bash`).
    pub detail: String,
}

/// JSON Schema of reports (`schemas/report.schema.json`).
pub fn report_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    /// Fails when `schemas/report.schema.json` is stale; `UPDATE_SCHEMAS=1` rewrites it.
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn report_schema_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/report.schema.json");
        let fresh = serde_json::to_string_pretty(&super::report_schema()).expect("schema") + "\n";
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(path, &fresh).expect("write schema");
        }
        let current = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            current == fresh,
            "schemas/report.schema.json is stale: run `UPDATE_SCHEMAS=1 cargo test -p constat-checker-core`"
        );
    }

    #[test]
    fn reports_validate_against_the_schema() {
        let schema = super::report_schema();
        let report = serde_json::to_value(crate::test_support::report()).expect("json");
        let validator = jsonschema::validator_for(&schema).expect("valid schema");
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}
