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
    /// When its main process started (RFC 3339 UTC): systemd `ExecMainStartTimestamp`, or
    /// the start time of the process in /proc without systemd. A configuration file modified
    /// after it is probably not applied (the daemon reads its files when it starts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// When systemd last saw it become active (`StateChangeTimestamp` of an active unit): after
    /// its start or its last reload (`systemctl reload` re-reads the files without a new main
    /// process). The later of this and `started_at` is when the files were last applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reloaded_at: Option<String>,
    /// Configuration files the service reads, from the agent's table of known services
    /// (sshd with its drop-ins, nftables.conf, nginx, Samba, ...), with their modification times.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_files: Vec<ConfigFile>,
}

/// A configuration file of a service and when it was last modified.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Absolute path on the host.
    pub path: String,
    /// Modification time (RFC 3339 UTC).
    pub modified_at: String,
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
