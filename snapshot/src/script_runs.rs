//! Active script tests: what a pack asks to run (opt-in) and what the run gave.
//!
//! No collector fills this section. The CLI runs the requested scripts only when the pack
//! allows it (`pack.active_tests: true`) AND the examiner passes `--active-tests`, as an
//! unprivileged user in a throwaway directory with a time limit, then stores the results
//! here so grading stays a pure function of the snapshot. Absent from a snapshot unless such
//! a run happened.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One run a pack asks for (a `script` check with a `run:` block).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct ScriptRunRequest {
    /// Absolute path of the script.
    pub path: String,
    /// Arguments, in order.
    #[serde(default)]
    pub args: Vec<String>,
    /// Time limit in seconds; the process group is killed after it.
    pub timeout_s: u32,
    /// Path whose existence is reported after the run (relative paths are inside the
    /// throwaway working directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creates: Option<String>,
}

/// The result of one requested run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScriptRun {
    /// Absolute path of the script.
    pub path: String,
    /// Arguments, in order.
    #[serde(default)]
    pub args: Vec<String>,
    /// Account the script ran as (`nobody`).
    pub run_as: String,
    /// Exit status; absent when the script could not start, was killed or timed out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// Killed at the time limit.
    #[serde(default)]
    pub timed_out: bool,
    /// Start of the standard output (at most 4 KiB, lossy UTF-8).
    #[serde(default)]
    pub stdout: String,
    /// Start of the standard error (at most 4 KiB, lossy UTF-8).
    #[serde(default)]
    pub stderr: String,
    /// Wall time of the run.
    #[serde(default)]
    pub duration_ms: u64,
    /// The `creates` path of the request, as resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creates: Option<String>,
    /// Whether the `creates` path existed after the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<bool>,
    /// Why the script could not be run (missing tool, not executable...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
