//! Typed check kinds, one file each, plugged in through the registry.

pub mod ad_computer;
pub mod ad_group;
pub mod ad_ou;
pub mod ad_user;
pub(crate) mod appliance;
pub mod appliance_rule;
pub mod backup_job;
pub mod dhcp_reservation;
pub mod dhcp_scope;
pub(crate) mod directory;
pub mod dns_record;
pub mod domain_joined;
pub(crate) mod existence;
pub mod file;
pub mod firewall;
pub mod gpo;
pub mod gpo_applied;
pub mod gpo_filtering;
pub mod group;
pub mod jury;
pub(crate) mod kind;
pub mod monitored_host;
pub mod monitoring_alert;
pub mod network;
pub mod package;
pub mod port;
pub(crate) mod registry;
pub mod scheduled_job;
pub mod scheduled_task;
pub mod script;
pub mod service;
pub mod share;
pub mod sshd;
pub mod sudo;
pub mod user;
pub mod vlan;
pub mod vm;
pub mod vpn_tunnel;
pub(crate) mod windows;
pub mod windows_backup;
pub mod windows_feature;
pub mod windows_firewall;
pub mod windows_firewall_rule;
pub mod windows_share;
pub mod wsus_client;
pub mod wsus_server;

pub(crate) use jury::is_jury_check;
pub use registry::{RawExpect, kind_docs};

#[cfg(test)]
pub(crate) mod testing;
