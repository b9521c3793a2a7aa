//! The pack file as written (YAML), before validation: every field a trainer can write.
//!
//! These types only mirror the file (with positions, see [`Sp`]); [`crate::pack::load`]
//! validates them into a [`crate::pack::Pack`]. The JSON Schema `schemas/pack.schema.json` is
//! generated from [`RawPack`].

use crate::kinds::RawExpect;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A rule pack: what a subject asks, check by check, tied to critères.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPack {
    /// Pack metadata.
    pub pack: RawMeta,
    /// A pack this one starts from: its host roles, variables and every check (first, in
    /// its order), then this pack's own `checks`. A shipped pack's id
    /// (`tssr-2023-msp-ccp1`) or a path relative to this file (`./commun.yaml`).
    #[serde(default)]
    pub extends: Option<Sp<String>>,
    /// Variables usable as `${name}` in any text of a check; a candidate may override them
    /// (e.g. a candidate number that changes the IP plan). A variable of an included pack
    /// declared here again takes this default.
    #[serde(default)]
    pub variables: BTreeMap<String, RawVariable>,
    /// Host roles of the lab (`dc`, `client`, `linux`), each with its OS; the roles of
    /// included packs come with their checks.
    #[serde(default)]
    pub hosts: BTreeMap<String, RawHost>,
    /// Named groups of this pack's check ids, which another pack can include
    /// (`- include: this-pack` with `group: name`).
    #[serde(default)]
    pub groups: BTreeMap<String, Vec<Sp<String>>>,
    /// Changes to checks that come from `extends` or an `include`, by check id (after
    /// `rename`): points, critères, prerequisites, texts. `validate` and `explain` say where
    /// each overridden check came from.
    #[serde(default)]
    pub overrides: BTreeMap<String, Sp<RawOverride>>,
    /// The checks, and `include` entries that bring the checks of another pack (or of one
    /// of its groups) at that place.
    pub checks: Vec<RawEntry>,
}

/// One entry of `checks`: a check, or an `include` (written first in the entry).
#[derive(Debug, Clone, JsonSchema)]
#[schemars(untagged)]
pub enum RawEntry {
    /// A check of this pack.
    Check(Box<RawCheck>),
    /// The checks of another pack, or of one of its groups.
    Include(RawInclude),
}

/// `- include: tssr-2023-msp-ccp1`: the checks of another pack at this place.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawInclude {
    /// A shipped pack's id (`tssr-2023-msp-ccp1`) or a path relative to this file
    /// (`./commun.yaml`). Its host roles and variables come with it.
    pub include: Sp<String>,
    /// Only the checks of this group (`groups:` of the included pack), in the group's order.
    #[serde(default)]
    pub group: Option<Sp<String>>,
    /// Only these checks, in this order.
    #[serde(default)]
    pub checks: Vec<Sp<String>>,
    /// Every check but these.
    #[serde(default)]
    pub except: Vec<Sp<String>>,
    /// New ids for included checks (`{cp7-firewall-policy: cp4-firewall-policy}`); the
    /// `requires` of the included checks follow the new ids.
    #[serde(default)]
    pub rename: BTreeMap<String, Sp<String>>,
}

/// What `overrides:` may change in an included check. Unset fields keep the included value.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    /// French title shown in reports.
    #[serde(default)]
    pub title: Option<String>,
    /// English title, shown instead of `title` with `--lang en`.
    #[serde(default)]
    pub title_en: Option<String>,
    /// Points earned when it holds.
    #[serde(default)]
    pub points: Option<f64>,
    /// Points taken away when it does not hold.
    #[serde(default)]
    pub penalty: Option<f64>,
    /// Critère ids of the référentiel (replace the included list).
    #[serde(default)]
    pub criteres: Option<Vec<Sp<String>>>,
    /// Check ids that must pass first (replace the included list; `[]` removes them).
    #[serde(default)]
    pub requires: Option<Vec<Sp<String>>>,
    /// Hint for learners.
    #[serde(default)]
    pub hint: Option<String>,
    /// English hint, shown instead of `hint` with `--lang en`.
    #[serde(default)]
    pub hint_en: Option<String>,
    /// Explanation for examiners.
    #[serde(default)]
    pub explanation: Option<String>,
    /// English explanation, shown instead of `explanation` with `--lang en`.
    #[serde(default)]
    pub explanation_en: Option<String>,
}

/// Where an included check comes from (set by composition, never written in a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOrigin {
    /// The file where the check is written (as given to the loader).
    pub file: String,
    /// Line of its `id` in that file.
    pub line: u32,
    /// Column of its `id` in that file.
    pub col: u32,
    /// The id it has there, when `rename` gave it another.
    pub renamed_from: Option<String>,
    /// Line of the `include`/`extends` that brought it into this pack.
    pub included_line: u32,
    /// Column of that `include`/`extends`.
    pub included_col: u32,
    /// Fields changed by `overrides:`, each with where (`file:line:col`).
    pub overridden: Vec<(String, String)>,
}

/// The pack head, read on its own to locate each check when the whole file does not parse.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPackHead {
    #[serde(rename = "pack")]
    pub(crate) _pack: serde::de::IgnoredAny,
    #[serde(default, rename = "variables")]
    pub(crate) _variables: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "hosts")]
    pub(crate) _hosts: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "extends")]
    pub(crate) _extends: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "groups")]
    pub(crate) _groups: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "overrides")]
    pub(crate) _overrides: Option<serde::de::IgnoredAny>,
    pub(crate) checks: Vec<Sp<serde::de::IgnoredAny>>,
}

/// The pack with its checks unparsed: when one check does not parse, the others are still
/// validated (a typo in one check and an unknown critère in another are both reported).
#[derive(Debug, Deserialize)]
pub(crate) struct RawPackPartial {
    pub(crate) pack: RawMeta,
    #[serde(default)]
    pub(crate) extends: Option<Sp<String>>,
    #[serde(default)]
    pub(crate) variables: BTreeMap<String, RawVariable>,
    #[serde(default)]
    pub(crate) hosts: BTreeMap<String, RawHost>,
    #[serde(default)]
    pub(crate) groups: BTreeMap<String, Vec<Sp<String>>>,
    #[serde(default)]
    pub(crate) overrides: BTreeMap<String, Sp<RawOverride>>,
    pub(crate) checks: Vec<Sp<serde::de::IgnoredAny>>,
}

/// Only the id of a check that does not parse (so that checks requiring it are not reported
/// as citing an unknown prerequisite).
#[derive(Debug, Deserialize)]
pub(crate) struct RawCheckId {
    pub(crate) id: String,
}

/// Pack metadata.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    /// Stable id (`tssr-2023-lab-linux`).
    pub id: Sp<String>,
    /// French title.
    pub title: String,
    /// English title, shown instead of `title` with `--lang en`.
    #[serde(default)]
    pub title_en: Option<String>,
    /// Version of the pack (free text, e.g. `2026.1`).
    #[serde(default)]
    pub version: Option<String>,
    /// Référentiel whose critères the checks cite (`tssr-2023`, `tssr-2018`).
    pub referentiel: Sp<String>,
    /// Default session profile (`titre`, `ccp1`, `ccp2`, `lab`); the examiner may choose another.
    pub profile: Sp<String>,
    /// Description of the subject (French).
    #[serde(default)]
    pub description: Option<String>,
    /// English description, shown instead of `description` with `--lang en`.
    #[serde(default)]
    pub description_en: Option<String>,
    /// The pack may run scripts (`script: {run: ...}`): the CLI runs them only when the
    /// examiner also passes `--active-tests`, as an unprivileged user in a throwaway directory.
    #[serde(default)]
    pub active_tests: bool,
    /// The exam's time zone, an IANA name (`Europe/Paris`, the default; `Indian/Reunion`,
    /// `America/Cayenne`…): logon hours and every time window are read in it, with the
    /// offset (daylight saving included) in force when each host was collected. The
    /// inventory's `session.timezone` wins over it.
    #[serde(default)]
    pub timezone: Option<Sp<String>>,
}

/// A pack variable.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawVariable {
    /// Value used when the candidate does not override it; may use other variables.
    pub default: Sp<String>,
    /// What it stands for (French).
    #[serde(default)]
    pub description: Option<String>,
    /// English description, shown instead of `description` with `--lang en`.
    #[serde(default)]
    pub description_en: Option<String>,
}

/// Operating systems of host roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HostOs {
    /// A Linux host.
    Linux,
    /// A Windows host (server or client).
    Windows,
    /// A network appliance read from its configuration (pfSense/OPNsense `config.xml`):
    /// its checks read the `appliance` section.
    Appliance,
}

/// A host role.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHost {
    /// Its operating system.
    pub os: HostOs,
    /// What it is in the subject (French).
    #[serde(default)]
    pub description: Option<String>,
    /// English description, shown instead of `description` with `--lang en`.
    #[serde(default)]
    pub description_en: Option<String>,
}

/// One check.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    /// Stable id, unique in the pack (`lnx-users-created`).
    pub id: Sp<String>,
    /// French title shown in reports.
    pub title: String,
    /// English title, shown instead of `title` with `--lang en` (optional: French otherwise).
    #[serde(default)]
    pub title_en: Option<String>,
    /// Critère ids of the référentiel (`tssr-2023/CP3/C1`), at least one.
    pub criteres: Vec<Sp<String>>,
    /// Host roles the expectation is evaluated on (each must hold).
    pub hosts: Vec<Sp<String>>,
    /// Points earned when it holds (scaled by the fraction for partial checks).
    #[serde(default = "one")]
    pub points: f64,
    /// Points taken away when it does not hold (collateral damage, e.g. firewall disabled).
    #[serde(default)]
    pub penalty: f64,
    /// Check ids that must pass first; when one does not, this check is skipped.
    #[serde(default)]
    pub requires: Vec<Sp<String>>,
    /// Score the fraction that holds (of `for_each` items, of `all` members) instead of all
    /// or nothing.
    #[serde(default)]
    pub partial: bool,
    /// Evaluate the expectation once per item, with `${item}` standing for it; an item
    /// may be a record (`{dir: commercial, group: GG_Commercial}`) whose fields are
    /// `${item.dir}`, `${item.group}`.
    #[serde(default)]
    pub for_each: Vec<Sp<ForEachItem>>,
    /// The expectation must be new: it must hold at the end and not at the start of the exam
    /// (needs a start snapshot).
    #[serde(default)]
    pub changed: bool,
    /// Hint for learners (trainer and learner reports).
    #[serde(default)]
    pub hint: Option<String>,
    /// English hint, shown instead of `hint` with `--lang en`.
    #[serde(default)]
    pub hint_en: Option<String>,
    /// Explanation for examiners.
    #[serde(default)]
    pub explanation: Option<String>,
    /// English explanation, shown instead of `explanation` with `--lang en`.
    #[serde(default)]
    pub explanation_en: Option<String>,
    /// Points earned when the check fails but its kind found a look-alike of what it
    /// expects (a drive mapped by a logon script instead of a Group Policy Preferences
    /// drive map): the verdict stays « non conforme », the check counts as partial.
    #[serde(default)]
    pub near_miss: Option<RawNearMiss>,
    /// What must hold.
    pub expect: Sp<RawExpect>,
    /// Where the check comes from when an `include` or `extends` brought it (never read
    /// from a file).
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Option<CheckOrigin>,
}

/// `near_miss: {points: 1}` or `{points: 1, mechanisms: [logon_script]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNearMiss {
    /// Points earned for a look-alike, at most the check's `points`.
    pub points: f64,
    /// Look-alikes that earn them (`logon_script`); every one when absent.
    #[serde(default)]
    pub mechanisms: Vec<Sp<String>>,
}

fn one() -> f64 {
    1.0
}

/// One `for_each` item: a text (`${item}`) or a record of texts (`${item.field}`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ForEachItem {
    /// `alice`: `${item}`.
    Text(String),
    /// `{dir: commercial, group: GG_Commercial}`: `${item.dir}`, `${item.group}`.
    Record(std::collections::BTreeMap<String, String>),
}
