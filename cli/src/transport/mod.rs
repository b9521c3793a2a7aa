//! Transports: how a host's snapshot reaches the examiner's machine.

mod agent_binary;
mod agent_gzip;
mod bounded;
mod cause;
mod collector;
mod dispatch;
mod glpi;
mod host_error;
mod http_api;
mod icinga2;
mod known_hosts;
mod ldap;
mod local;
mod proxmox;
mod scrub;
mod ssh;
mod ssh_command;
mod ssh_offer;
mod winrm;
mod zabbix;

pub use agent_binary::{AgentBinary, LoadedAgent, find_agent_binary, load_agent};
pub use cause::{io as cause_of_io, snapshot as cause_of_snapshot};
pub use collector::{CollectContext, CollectFuture, Collected, RemoteCollector};
pub use dispatch::{collect_host, plugged_collectors};
pub use glpi::{GlpiCollector, collect_glpi};
pub use host_error::{HostError, HostErrorKind};
pub use icinga2::{Icinga2Collector, collect_icinga2};
pub use known_hosts::{KeyCheck, KnownHosts, parse_accepted};
pub use ldap::{LdapCollector, collect_ldap, ldap_url};
pub use local::collect_local;
pub use proxmox::{ProxmoxCollector, collect_proxmox};
pub use scrub::{HostSecrets, MASK};
pub use ssh::collect_ssh;
pub use winrm::{WinrmCollector, collect_winrm};
pub use zabbix::{ZabbixCollector, collect_zabbix};
