//! The systems the TSSR référentiel names beside the candidate's hosts, read as evidence.
//!
//! Today: firewall appliances (pfSense and OPNsense `config.xml`, [`appliance_xml`]), read
//! from an exported backup file or the appliance's `/conf/config.xml`; supervision servers
//! (Nagios `status.dat`, Icinga2 API objects, [`supervision`]; Zabbix JSON-RPC answers,
//! [`zabbix`]); hypervisors (Proxmox VE API
//! answers, [`proxmox`]); helpdesks (GLPI REST API answers, [`glpi`]). Every reader is a pure
//! function of bytes, bounded in size, tested on real public samples (`testdata/SOURCES.md`).

pub mod appliance_xml;
mod collection;
pub mod glpi;
pub mod proxmox;
pub mod supervision;
pub mod zabbix;

pub use appliance_xml::{ApplianceError, MAX_CONFIG_BYTES, appliance_snapshot, parse_config_xml};
