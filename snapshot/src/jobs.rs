//! Scheduled jobs (cron, anacron, systemd timers, Windows tasks) and backup jobs recognised
//! among them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A scheduled job.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduledJob {
    /// Kind of scheduler.
    pub kind: JobKind,
    /// Where it was read: `path:line`, a unit name, or a task path.
    pub source: String,
    /// Name (timer unit, task name); for cron, the source.
    pub name: String,
    /// Account the job runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Schedule as written (`30 23 * * *`, `@daily`, `OnCalendar=*-*-* 02:00:00`, a trigger).
    pub schedule: String,
    /// Schedule normalised to the five cron fields when it can be (`30 23 * * *`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron: Option<String>,
    /// Command run (cron command, ExecStart of the unit the timer starts, task action).
    pub command: String,
    /// Unit started by a timer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Whether the job is active (timer enabled, task enabled; cron entries are always true).
    pub enabled: bool,
    /// Last run time (RFC 3339), when the scheduler records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run: Option<String>,
    /// Next run time (RFC 3339), when the scheduler knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_run: Option<String>,
    /// Result of the last run (exit status, `success`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_result: Option<String>,
}

/// Scheduler kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// System crontab or /etc/cron.d (with a user field).
    #[default]
    Cron,
    /// A user's crontab (`crontab -e`).
    UserCron,
    /// /etc/cron.{hourly,daily,weekly,monthly} scripts.
    CronPeriodic,
    /// /etc/anacrontab.
    Anacron,
    /// systemd timer.
    SystemdTimer,
    /// Windows Task Scheduler.
    WindowsTask,
}

/// Backup jobs recognised among scheduled jobs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Backups {
    /// Jobs that run a backup tool, directly or through a script.
    #[serde(default)]
    pub jobs: Vec<BackupJob>,
}

/// A scheduled backup.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackupJob {
    /// Tool recognised (`rsync`, `tar`, `borg`, `restic`, `rsnapshot`, `duplicity`, `rclone`,
    /// `wbadmin`).
    pub tool: String,
    /// Source of the scheduled job (same as [`ScheduledJob::source`]).
    pub job_source: String,
    /// Schedule as written.
    pub schedule: String,
    /// Schedule as five cron fields, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron: Option<String>,
    /// Account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The command line that invokes the tool.
    pub command: String,
    /// Script that contains the command, when the job calls a script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// Paths backed up, when recognisable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Destinations.
    #[serde(default)]
    pub destinations: Vec<BackupDestination>,
}

/// Where a backup writes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackupDestination {
    /// Path or URL as written (date patterns kept: `/srv/backup/web_$(date +%F).tar.gz`).
    pub target: String,
    /// Local directory inspected (the target's directory part, without patterns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
    /// Local (a path on this host) or remote (`host:path`, `s3:`, `ssh://`).
    pub local: bool,
    /// Whether the local directory exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// Number of regular files in it (not recursive beyond two levels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<u64>,
    /// Newest modification time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_mtime: Option<String>,
    /// Newest file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_file: Option<String>,
    /// Total size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_bytes: Option<u64>,
}
