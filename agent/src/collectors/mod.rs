//! One collector per domain; the registry lists them in run order.

pub mod identity;
mod registry;

// Network-facing collectors (agent-net).
pub mod apt_lists;
pub mod apt_pending;
pub mod apt_policy;
mod command_text;
pub mod debversion;
pub mod firewall;
pub mod firewall_firewalld;
pub mod firewall_iptables;
pub mod firewall_nft;
pub mod firewall_nft_file;
pub mod firewall_nft_text;
pub mod firewall_ufw;
pub mod listening;
pub mod network;
pub mod shares;
pub mod sock_diag;
pub mod sshd;
pub mod storage;

// agent-sys collectors (system state).
pub mod backups;
pub mod files;
pub mod packages;
pub mod processes;
pub mod scheduled_jobs;
pub mod service_configs;
pub mod services;
pub mod sudo;
pub mod users;

// Deployment (issue 16): local package repositories and the sources pointing to them.
pub mod package_repositories;
pub mod package_sources;
pub mod web_roots;

// Supervision (issue 16): a Nagios server's live status file.
pub mod nagios;

pub use registry::registry;
