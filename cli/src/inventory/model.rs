//! Inventory types, as written in YAML; `schemas/inventory.schema.json` is generated from them.
//!
//! ```yaml
//! session: { id: tssr-2026-11, referentiel: TSSR, profile: standard, pack: packs/tssr.yaml }
//! settings: { concurrency: 16, connect_timeout_s: 10, host_timeout_s: 300 }
//! defaults:
//!   linux: { transport: ssh, address: "10.0.${num}.20", user: root, cred: lab-linux }
//! candidates:
//!   - { id: c01, name: Alice Martin, vars: { num: "1" } }
//!   - id: c02
//!     name: Bruno Petit
//!     hosts: { linux: { address: 10.0.2.21, cred: "${candidate}-linux" } }
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A session inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// What the session is.
    pub session: SessionInfo,
    /// How collection runs.
    #[serde(default)]
    pub settings: Settings,
    /// Host settings per role (`linux`, `server`, `client`), applied to every candidate.
    /// Strings may use `${candidate}` and `${<variable>}` from the candidate's `vars`.
    #[serde(default)]
    pub defaults: BTreeMap<String, HostSpec>,
    /// The candidates.
    #[serde(default)]
    pub candidates: Vec<Candidate>,
}

/// Identity of the exam session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInfo {
    /// Session id (letters, digits, `.`, `_`, `-`).
    pub id: String,
    /// Référentiel (e.g. `TSSR`).
    pub referentiel: String,
    /// Exam profile within the référentiel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Path of the rule pack (the answer key; it never leaves the examiner's machine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<String>,
    /// Planned start time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Planned end time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The exam's IANA time zone (`Europe/Paris`, `Indian/Reunion`…): logon hours and
    /// every time window are read in it, with the offset (daylight saving included) of
    /// each host's collection date. Wins over the pack's `timezone`; Europe/Paris when
    /// neither names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// Collection settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Hosts collected at the same time.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// Time limit to connect to a host, in seconds.
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout_s: u64,
    /// Time limit for a whole host (connect, upload, collect, clean up), in seconds.
    #[serde(default = "default_host_timeout")]
    pub host_timeout_s: u64,
    /// Refuse unknown or changed host keys instead of trusting them on first use.
    #[serde(default)]
    pub strict_host_keys: bool,
    /// Paths of files the agent reports on (until the pack provides them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request: Vec<String>,
}

fn default_concurrency() -> usize {
    16
}
fn default_connect_timeout() -> u64 {
    10
}
fn default_host_timeout() -> u64 {
    300
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            concurrency: default_concurrency(),
            connect_timeout_s: default_connect_timeout(),
            host_timeout_s: default_host_timeout(),
            strict_host_keys: false,
            request: Vec::new(),
        }
    }
}

/// One candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// Candidate id, used as a directory name (letters, digits, `.`, `_`, `-`).
    pub id: String,
    /// Full name, as shown in reports.
    pub name: String,
    /// Per-candidate variables for `${...}` templates.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vars: BTreeMap<String, String>,
    /// The candidate's « ID number » in the gradebook (Moodle `idnumber`), written in the
    /// first column of `--report moodle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idnumber: Option<String>,
    /// The candidate's email address in the gradebook, written in `--report moodle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Hosts by role; fields left out come from `defaults`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hosts: BTreeMap<String, HostSpec>,
}

/// How to reach one host; every field is optional so that defaults can fill it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostSpec {
    /// Address (IP or name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Port (SSH default 22).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Transport.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport: Option<TransportKind>,
    /// Account to log in with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Name of the credential holding the password (never the password itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cred: Option<String>,
    /// Private key file for SSH public-key authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Agent already installed on the host: nothing is uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_path: Option<String>,
    /// Run the agent through `sudo -S` (password from `cred`) when the account is not root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sudo: Option<bool>,
    /// TLS policy (`ldap`, `zabbix`, `icinga2`, `glpi`, `proxmox`: default `verify`, `plain` = HTTP for the
    /// APIs; `winrm`: `verify`/`insecure` mean HTTPS, left out or `plain` mean HTTP with NTLM
    /// message encryption).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsMode>,
    /// CA certificates (PEM file) checking the server's certificate (`ldap`, `zabbix`,
    /// `icinga2`, `glpi`, `proxmox` — its `/etc/pve/pve-root-ca.pem` —, with `tls: verify`);
    /// the system roots when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Naming context to read (`ldap`), e.g. `DC=tssr,DC=lan`; the rootDSE's
    /// `defaultNamingContext` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_dn: Option<String>,
    /// Also read the GPO files from SYSVOL over SMB (`ldap`, default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sysvol: Option<bool>,
    /// Legacy, ignored: the collector keeps logon hours in UTC and the checker reads them in
    /// `session.timezone` with the offset of the collection's date. Still accepted so that
    /// older inventories load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_minutes: Option<i32>,
    /// Path of the API on the web server (`zabbix`, default `/zabbix/api_jsonrpc.php`, as
    /// the Debian and Ubuntu packages serve it; `glpi`, default `/apirest.php`, e.g.
    /// `/glpi/apirest.php` when GLPI is served under `/glpi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_path: Option<String>,
    /// Name of the credential holding the API client's application token (`glpi`, when its
    /// API client defines one; sent as `App-Token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_token_cred: Option<String>,
    /// Largest snapshot accepted from this host, in MiB (default 64, 1 to 4096): past it
    /// the host fails with `output_too_large` and the session goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_mib: Option<u64>,
    /// Host name this host must report (short name or FQDN, case-insensitive; `${...}`
    /// allowed, e.g. `srv-${num}`). A different name is shown to the jury as an identity
    /// warning (wrong VM, swapped snapshot); it does not change the grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_hostname: Option<String>,
    /// machine-id (Linux `/etc/machine-id`, Windows MachineGuid) this host must report,
    /// case-insensitive; a different one is an identity warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_machine_id: Option<String>,
}

/// How a TLS connection checks the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// TLS, certificate verified (with `ca_file` or the system roots).
    #[default]
    Verify,
    /// TLS without certificate verification (self-signed lab DC); recorded in the snapshot.
    Insecure,
    /// No TLS: the password crosses the network in clear (AD refuses it by default).
    Plain,
}

impl TlsMode {
    /// The name as written in the inventory.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Verify => "verify",
            TlsMode::Insecure => "insecure",
            TlsMode::Plain => "plain",
        }
    }
}

/// How a host is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    /// This machine, agent run in-process.
    Local,
    /// SSH: upload and run the agent.
    Ssh,
    /// WinRM: PowerShell probe (Windows hosts).
    Winrm,
    /// LDAP: directory collector (AD DS).
    Ldap,
    /// Zabbix JSON-RPC API (supervision server, read-only methods).
    Zabbix,
    /// Icinga2 REST API (supervision server, read-only `GET`s).
    Icinga2,
    /// GLPI REST API (helpdesk: tickets and knowledge base, read-only `GET`s).
    Glpi,
    /// Proxmox VE REST API (hypervisor: guests, resources, networks; read-only `GET`s with
    /// an API token).
    Proxmox,
}

impl TransportKind {
    /// The name as written in the inventory.
    pub fn as_str(self) -> &'static str {
        match self {
            TransportKind::Local => "local",
            TransportKind::Ssh => "ssh",
            TransportKind::Winrm => "winrm",
            TransportKind::Ldap => "ldap",
            TransportKind::Zabbix => "zabbix",
            TransportKind::Icinga2 => "icinga2",
            TransportKind::Glpi => "glpi",
            TransportKind::Proxmox => "proxmox",
        }
    }
}

/// The inventory JSON Schema, pretty-printed with a trailing newline.
pub fn inventory_schema() -> String {
    let schema = schemars::schema_for!(Inventory);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
