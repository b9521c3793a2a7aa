//! The PowerShell probe (`windows/probe/constat-probe.ps1`, shipped in the binary) and the
//! normalisation of its JSON output into a snapshot, one file per section family.

pub mod accounts;
pub mod backup;
pub mod deployment;
pub mod features;
pub mod files;
pub mod firewall;
pub mod normalise;
pub mod profiles;
pub mod roles;
pub mod rsop;
pub mod script;
pub mod services;
pub mod shares;
pub mod tasks;
pub mod value;
pub mod wsus;
