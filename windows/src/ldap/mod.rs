//! The directory collector (`constat-ldap`): AD over LDAP plus SYSVOL over SMB.

pub mod collect;
pub mod decode;
pub mod dhcp_authorization;
pub mod directory;
pub mod dns_record;
pub mod dns_zone_property;
pub mod gpo_security;
pub mod security_descriptor;
pub mod session;
pub mod smb_listing;
pub mod software;
pub mod sysvol_plan;
pub mod sysvol_smb;
pub mod target;
