//! The validated pack the engine accepts: ids resolved, regexes compiled, variables known.

use crate::expect::CompiledExpect;
use crate::pack::raw::{HostOs, RawCheck};
use crate::referentiel::Referentiel;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A pack variable after validation.
#[derive(Debug, Clone)]
pub struct Variable {
    /// Default value as written (may reference other variables).
    pub default: String,
    /// Description (French).
    pub description: Option<String>,
    /// English description, when the author wrote one.
    pub description_en: Option<String>,
}

/// What a report needs to know about a check, independent of the candidate.
#[derive(Debug, Clone)]
pub struct CheckMeta {
    /// Stable id.
    pub id: String,
    /// French title.
    pub title: String,
    /// English title, when the author wrote one.
    pub title_en: Option<String>,
    /// Critère ids, validated against the référentiel.
    pub criteres: Vec<String>,
    /// Host roles.
    pub hosts: Vec<String>,
    /// Points when it holds.
    pub points: f64,
    /// Points taken away when it does not.
    pub penalty: f64,
    /// Prerequisite check ids.
    pub requires: Vec<String>,
    /// Partial credit.
    pub partial: bool,
    /// Must be new since the start snapshot.
    pub changed: bool,
    /// Hint for learners.
    pub hint: Option<String>,
    /// English hint.
    pub hint_en: Option<String>,
    /// Explanation for examiners.
    pub explanation: Option<String>,
    /// English explanation.
    pub explanation_en: Option<String>,
    /// It runs a script (a `script` expectation with `run:`): an active test.
    pub active: bool,
    /// Credit for a look-alike of the expectation (`near_miss`).
    pub near_miss: Option<crate::eval::NearMiss>,
    /// Where it comes from when an `include`/`extends` brought it, and what `overrides:`
    /// changed.
    pub origin: Option<crate::pack::raw::CheckOrigin>,
}

/// A check's metadata as reports carry it: built once at load, cloned by reference count.
#[derive(Debug, Clone)]
pub(crate) struct SharedMeta {
    pub(crate) id: Arc<str>,
    pub(crate) title: Arc<str>,
    pub(crate) title_en: Option<Arc<str>>,
    pub(crate) criteres: Arc<[Arc<str>]>,
    pub(crate) hosts: Arc<[Arc<str>]>,
    pub(crate) hint: Option<Arc<str>>,
    pub(crate) hint_en: Option<Arc<str>>,
    pub(crate) explanation: Option<Arc<str>>,
    pub(crate) explanation_en: Option<Arc<str>>,
}

impl SharedMeta {
    pub(crate) fn of(meta: &CheckMeta) -> Self {
        SharedMeta {
            id: meta.id.as_str().into(),
            title: meta.title.as_str().into(),
            title_en: meta.title_en.as_deref().map(Into::into),
            criteres: meta.criteres.iter().map(|k| k.as_str().into()).collect(),
            hosts: meta.hosts.iter().map(|h| h.as_str().into()).collect(),
            hint: meta.hint.as_deref().map(Into::into),
            hint_en: meta.hint_en.as_deref().map(Into::into),
            explanation: meta.explanation.as_deref().map(Into::into),
            explanation_en: meta.explanation_en.as_deref().map(Into::into),
        }
    }
}

/// One check ready to evaluate.
#[derive(Debug, Clone)]
pub(crate) struct CompiledCheck {
    pub(crate) meta: CheckMeta,
    /// The metadata every report repeats, shared by them all.
    pub(crate) shared: SharedMeta,
    /// Indexes of prerequisite checks (earlier in topological order is not required).
    pub(crate) requires: Vec<usize>,
    /// Competences of its critères (resolved once at load).
    pub(crate) competences: Vec<&'static crate::referentiel::Competence>,
    /// Whether each profile of the référentiel (by position) scores it (decided at load).
    pub(crate) scored_in: Vec<bool>,
    /// One expectation per `for_each` item (or one), with the item label.
    pub(crate) items: Vec<(Option<String>, CompiledExpect)>,
}

/// A validated rule pack. Build it with [`crate::pack::load`].
#[derive(Debug, Clone)]
pub struct Pack {
    /// File name given at load time (for messages).
    pub file: String,
    /// Stable id.
    pub id: String,
    /// French title.
    pub title: String,
    /// English title, when the author wrote one.
    pub title_en: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Description (French).
    pub description: Option<String>,
    /// English description, when the author wrote one.
    pub description_en: Option<String>,
    /// The référentiel the checks cite.
    pub referentiel: &'static Referentiel,
    /// Default session profile id.
    pub profile: String,
    /// Variables by name.
    pub variables: BTreeMap<String, Variable>,
    /// Host roles and their OS.
    pub hosts: BTreeMap<String, HostOs>,
    /// Whether the pack allows active tests (scripts run by the CLI with `--active-tests`).
    pub active_tests: bool,
    /// Named groups of check ids that other packs can include.
    pub groups: BTreeMap<String, Vec<String>>,
    /// The files this pack includes (`extends`, `include`), directly, in order.
    pub includes: Vec<String>,
    /// Description of each host role, when written.
    pub(crate) host_descriptions: BTreeMap<String, String>,
    /// English description of each host role, when written.
    pub(crate) host_descriptions_en: BTreeMap<String, String>,
    /// The exam's time zone (`pack.timezone`, Europe/Paris by default).
    pub timezone: crate::eval::ExamZone,
    pub(crate) raw_checks: Vec<RawCheck>,
    pub(crate) checks: Vec<CompiledCheck>,
    /// Evaluation order: prerequisites first.
    pub(crate) order: Vec<usize>,
}

impl Pack {
    /// Every check's metadata, in pack order.
    pub fn checks(&self) -> impl Iterator<Item = &CheckMeta> {
        self.checks.iter().map(|c| &c.meta)
    }

    /// The compiled checks (kind-level questions such as `kinds::jury::is_jury`).
    pub(crate) fn compiled_checks(&self) -> &[CompiledCheck] {
        &self.checks
    }

    /// Default values of the variables.
    pub(crate) fn variable_defaults(&self) -> BTreeMap<String, String> {
        self.variables
            .iter()
            .map(|(k, v)| (k.clone(), v.default.clone()))
            .collect()
    }
}
