//! Windows and Active Directory collection for constat.
//!
//! * [`deployment`]: parsers of an MDT deployment share's control files (issue 16).
//! * [`gpo`]: parsers for the files of a GPO (Registry.pol, GptTmpl.inf, GPT.INI, Group
//!   Policy Preferences XML, scripts.ini) and for `Get-GPOReport` XML.
//! * [`ldap`]: the directory collector (`constat-ldap`), AD over LDAPS/StartTLS plus SYSVOL
//!   over SMB, producing one snapshot for the `dc` role.
//! * [`link`]: why a network link failed, from the libraries' typed errors.
//! * [`logon_scripts`]: NETLOGON and GPO logon scripts over SMB and the drive mappings
//!   they make (`net use`, `New-PSDrive`, `New-SmbMapping`, `MapNetworkDrive`).
//! * [`probe`]: the PowerShell probe shipped in the binary and the normalisation of its output.
//! * [`winrm`]: running the probe over WinRM.

pub mod deployment;
pub mod error;
pub mod gpo;
pub mod ldap;
pub mod link;
pub mod logon_scripts;
pub mod probe;
pub mod winrm;
