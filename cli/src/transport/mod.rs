//! Transports: how a host's snapshot reaches the examiner's machine.

mod agent_binary;
mod bounded;
mod dispatch;
mod host_error;
mod known_hosts;
mod ldap;
mod local;
mod scrub;
mod ssh;
mod ssh_offer;
mod winrm;

pub use agent_binary::{AgentBinary, find_agent_binary};
pub use dispatch::{
    CollectContext, CollectFuture, Collected, RemoteCollector, collect_host, plugged_collectors,
};
pub use host_error::{HostError, HostErrorKind};
pub use known_hosts::KnownHosts;
pub use ldap::{LdapCollector, collect_ldap, ldap_url};
pub use local::collect_local;
pub use scrub::{HostSecrets, MASK};
pub use ssh::collect_ssh;
pub use winrm::{WinrmCollector, collect_winrm};
