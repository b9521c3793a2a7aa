//! Logon scripts: the drive mappings of `.bat`/`.cmd`, `.ps1` and `.vbs` files (pure
//! functions of text, one module per language), the assembly of NETLOGON and GPO script
//! files into the `logon_scripts` section under count and size limits, and the NETLOGON
//! download over SMB.

pub mod assemble;
pub mod batch;
pub mod netlogon_smb;
pub mod powershell;
pub(crate) mod statement;
pub mod vbscript;
