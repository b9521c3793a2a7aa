//! A supervision server (Nagios, Icinga2, later Zabbix) as evidence: the hosts it monitors and
//! the checks (services) it runs, with their current state.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a supervision server knows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supervision {
    /// `nagios` or `icinga2`.
    pub product: String,
    /// Monitored hosts, sorted by name.
    #[serde(default)]
    pub hosts: Vec<MonitoredHost>,
    /// Checks (services), sorted by host then name.
    #[serde(default)]
    pub services: Vec<MonitoredService>,
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
}
