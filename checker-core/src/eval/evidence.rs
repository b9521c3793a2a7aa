//! Evidence: one observed property compared with what was expected, and where it was read.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// Outcome of one property, of one expectation, or of one host.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Holds.
    Pass,
    /// Does not hold.
    Fail,
    /// Could not be looked at (section not collected, collector error, host unreachable).
    NotAssessable,
}

impl Status {
    /// Kleene conjunction: a failure decides, then an unknown.
    pub(crate) fn and(self, other: Status) -> Status {
        match (self, other) {
            (Status::Fail, _) | (_, Status::Fail) => Status::Fail,
            (Status::NotAssessable, _) | (_, Status::NotAssessable) => Status::NotAssessable,
            _ => Status::Pass,
        }
    }

    pub(crate) fn from_bool(holds: bool) -> Status {
        if holds { Status::Pass } else { Status::Fail }
    }
}

/// One property compared: expected, actual, where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    // Host and section (and below, property) are shared or borrowed rather than allocated
    // per line: a host's lines share one `Arc`, and kinds name sections, most properties
    // and many expected/actual words (`présent`, `absent`) with constants. The JSON is the same strings.
    /// Host role it was read on.
    pub host: Arc<str>,
    /// Snapshot section.
    pub section: Cow<'static, str>,
    /// The object inside the section (`alice`, `/etc/ssh/sshd_config`, `22/tcp`).
    pub path: String,
    /// Property compared (`exists`, `shell`, `mode`).
    pub property: Cow<'static, str>,
    /// What the pack expects (hidden from learners: empty and not serialized in their
    /// reports). A neutral word (`listening`, `closed`) where the kind compares a state.
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub expected: Cow<'static, str>,
    /// What was observed (or why it could not be).
    pub actual: Cow<'static, str>,
    /// Verdict for this property.
    pub status: Status,
    /// The `for_each` item this line was evaluated for, when the object it names is not the
    /// item itself (`Default Domain Policy` read for the item `GPO-ADM-Poste`): shown beside
    /// the object, never glued to its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// How to read the line inside a combinator (absent: plainly, by its status).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<EvidenceContext>,
    /// `expected` and `actual` in the report's language when they are neutral words; set by
    /// `render::for_reader`, absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<EvidenceDisplay>,
    /// A failed expectation whose look-alike the kind found (issue 15): the mechanism found
    /// instead of the expected one, as a neutral name (`logon_script`: a drive mapped by a
    /// logon script, not by a Group Policy Preferences drive map). `actual` names it in
    /// words. The verdict stays `fail`; a check's `near_miss` may give it points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub look_alike: Option<Cow<'static, str>>,
}

/// Where an evidence line sits in an `any` or `none` (report readability, issue 14): the
/// renderers must not show a red « non conforme » for a line that did not count against
/// the candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceContext {
    /// An alternative of an `any` that held through another member: not needed.
    UnusedAlternative,
    /// A member of a `none`: what must *not* hold (its `fail` is what the pack wants).
    MustNotHold,
}

/// Display text of an evidence line's neutral words (`closed` → « fermé »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceDisplay {
    /// `expected` in the report's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// `actual` in the report's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
}
