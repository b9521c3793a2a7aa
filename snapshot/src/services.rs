//! Services and processes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A service (systemd unit or Windows service).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Unit or service name (`ssh.service` is also matched by `ssh`).
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who reported it.
    pub manager: ServiceManager,
    /// Whether it runs now.
    pub running: bool,
    /// Whether it starts at boot (systemd enabled, Windows Automatic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Raw active state (`active`, `inactive`, `failed`; Windows `Running`, `Stopped`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Raw sub-state (`running`, `exited`, `dead`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_state: Option<String>,
    /// Raw start setting (`enabled`, `disabled`, `static`, `masked`; Windows `Automatic`, `Manual`, `Disabled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_mode: Option<String>,
    /// Main process id when running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_pid: Option<u32>,
    /// Unit file or binary path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Command started (systemd ExecStart, Windows PathName).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<String>,
    /// Account it runs as (systemd User=, Windows StartName).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// Source of service information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceManager {
    /// Live systemd (`systemctl show`).
    #[default]
    Systemd,
    /// Unit files only (offline root or no running systemd): enabled from symlinks,
    /// running from /proc.
    SystemdOffline,
    /// SysV init scripts.
    Sysv,
    /// Windows service control manager.
    Windows,
}

/// A running process.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Process {
    /// Process id.
    pub pid: u32,
    /// Parent process id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ppid: Option<u32>,
    /// Short name (`comm`).
    pub name: String,
    /// Owner user name (or uid when unresolvable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Executable path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exe: Option<String>,
    /// Command line, arguments that look like secrets replaced by `***`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmdline: Option<String>,
}

/// A listening socket.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListeningSocket {
    /// `tcp` or `udp`.
    pub protocol: String,
    /// `ipv4` or `ipv6`.
    pub family: String,
    /// Local address (`0.0.0.0`, `::`, `127.0.0.1`).
    pub address: String,
    /// Local port.
    pub port: u16,
    /// Owning process id, when visible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// Owning process name, when visible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
}
