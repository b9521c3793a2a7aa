//! Host identity: who the snapshot is about.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Identity of the host, read at collection time.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostIdentity {
    /// Short host name.
    pub hostname: String,
    /// Fully qualified name when known (Linux: `hostname -f` or /etc/hosts; Windows: DNS name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
    /// /etc/machine-id on Linux, MachineGuid on Windows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_id: Option<String>,
    /// Operating system.
    pub os: OsInfo,
    /// Kernel release (`uname -r`) or Windows build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel: Option<String>,
    /// CPU architecture (`x86_64`, `aarch64`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// Seconds since boot; absent for an offline root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime_seconds: Option<u64>,
    /// IANA time zone (`Europe/Paris`) or Windows time zone id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Windows domain or Linux realm the host is joined to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// Operating system description.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OsInfo {
    /// OS family.
    pub family: OsFamily,
    /// Distribution id (`debian`, `ubuntu`, `rocky`) or `windows`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Human name (`Debian GNU/Linux 12 (bookworm)`, `Windows Server 2022 Standard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Version (`12`, `22.04`, `10.0.20348`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Related distribution ids (os-release `ID_LIKE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub like: Vec<String>,
}

/// OS family of a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OsFamily {
    /// Linux.
    Linux,
    /// Windows.
    Windows,
    /// Not determined.
    #[default]
    Unknown,
}
