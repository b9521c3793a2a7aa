//! A supervision server (Nagios, Icinga2, Zabbix) as evidence: the hosts it monitors and
//! the checks (services) it runs, with their current state.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a supervision server knows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supervision {
    /// `nagios`, `icinga2` or `zabbix`.
    pub product: String,
    /// Where it was read on the host, when a host file (the Nagios status file and the
    /// configuration that names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Monitored hosts, sorted by name.
    #[serde(default)]
    pub hosts: Vec<MonitoredHost>,
    /// Checks (services), sorted by host then name.
    #[serde(default)]
    pub services: Vec<MonitoredService>,
    /// Items with their last values (Zabbix), sorted by host then key; left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<MonitoredItem>,
    /// Whether the server's problem history was read (`problems` is then the full list, even
    /// empty); false for Nagios and Icinga2, which keep none to read (each check's last
    /// problem is read instead: `last_problems_read`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub problems_read: bool,
    /// Whether each check's last problem was read (Nagios `status.dat`; Icinga2 services
    /// when the answer has their `last_state_*` attributes): a check without
    /// `last_problem_at` was then never seen in a problem state since the server keeps track
    /// (its start, or its retention file).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub last_problems_read: bool,
    /// Problems open or recently resolved (Zabbix), sorted by start time then host and name;
    /// left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<MonitoringProblem>,
    /// Whether the scheduled downtimes were read (`downtimes` is then the full list, even
    /// empty); false when the server's downtimes were not asked for or refused.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub downtimes_read: bool,
    /// Scheduled downtimes (Icinga2 `/v1/objects/downtimes`), sorted by host, service and
    /// start; left out when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub downtimes: Vec<Downtime>,
}

/// A scheduled downtime: notifications of a host or service suspended for a maintenance.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Downtime {
    /// Host.
    pub host: String,
    /// Service, absent for a host downtime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Who scheduled it.
    pub author: String,
    /// Why (cut to 200 characters).
    pub comment: String,
    /// Start (RFC 3339, UTC).
    pub start: String,
    /// End (RFC 3339, UTC).
    pub end: String,
    /// Fixed (from start to end) rather than flexible (a duration once a problem starts).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed: bool,
}

/// A monitored host.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoredHost {
    /// Name in the supervision.
    pub name: String,
    /// Address it is checked at, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// `up`, `down`, `unreachable`, or `pending` (never checked).
    pub state: String,
    /// Last check output, when checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// In a scheduled downtime.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_downtime: bool,
}

/// A check of a host (a Nagios/Icinga2 service).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoredService {
    /// Host it belongs to.
    pub host: String,
    /// Service name (`display_name` when it differs is not kept).
    pub name: String,
    /// `ok`, `warning`, `critical`, `unknown`, or `pending` (never checked).
    pub state: String,
    /// Check command, when known (`file_age`, `check_ping`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_command: Option<String>,
    /// Last check output, when checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// A problem acknowledged by an operator.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub acknowledged: bool,
    /// In a scheduled downtime.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_downtime: bool,
    /// The last problem state the check was seen in (`warning`, `critical` or `unknown`),
    /// when the server records it (Nagios `last_time_*`, Icinga2 `last_state_*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_problem_state: Option<String>,
    /// When the check was last seen in that problem state (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_problem_at: Option<String>,
    /// Since when the check is in its current state (RFC 3339, UTC), when recorded (Nagios
    /// and Icinga2 `last_state_change`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_since: Option<String>,
}

/// An item a supervision server collects (Zabbix items), with its last value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoredItem {
    /// Host it belongs to.
    pub host: String,
    /// Item key (`vfs.file.exists[/srv/backup/flag]`, `agent.ping`).
    pub key: String,
    /// Display name.
    pub name: String,
    /// `supported`, `not_supported` (the server could not get it: `error` says why), or
    /// `disabled`.
    pub state: String,
    /// Last value received, when any (cut to 1 KiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_value: Option<String>,
    /// When the last value was received (RFC 3339, UTC), when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_at: Option<String>,
    /// Why the item is not supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A problem a supervision server raised (Zabbix `problem.get`), open or resolved.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitoringProblem {
    /// Host of the trigger that raised it (empty when the trigger is gone).
    pub host: String,
    /// Problem name (the trigger's description when it was raised).
    pub name: String,
    /// The check (trigger) that raised it, as in `services`.
    pub service: String,
    /// `information`, `warning`, `average`, `high`, `disaster` or `not_classified`.
    pub severity: String,
    /// When it was raised (RFC 3339, UTC).
    pub started_at: String,
    /// When it was resolved (RFC 3339, UTC); absent while open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    /// Acknowledged by an operator.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub acknowledged: bool,
    /// Suppressed (the host is in maintenance).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
}
