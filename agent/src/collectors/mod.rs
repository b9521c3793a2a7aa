//! One collector per domain; the registry lists them in run order.

pub mod identity;
mod registry;

// Network-facing collectors (agent-net).
mod command_text;
pub mod firewall;
pub mod firewall_firewalld;
pub mod firewall_iptables;
pub mod firewall_nft;
pub mod firewall_ufw;
pub mod listening;
pub mod network;
pub mod shares;
pub mod sshd;
pub mod storage;

pub use registry::registry;
