//! Windows and Active Directory collection for constat.
//!
//! * [`gpo`]: parsers for the files of a GPO (Registry.pol, GptTmpl.inf, GPT.INI, Group
//!   Policy Preferences XML, scripts.ini) and for `Get-GPOReport` XML.
//! * [`ldap`]: the directory collector (`constat-ldap`), AD over LDAPS/StartTLS plus SYSVOL
//!   over SMB, producing one snapshot for the `dc` role.
//! * [`probe`]: the PowerShell probe shipped in the binary and the normalisation of its output.
//! * [`winrm`]: running the probe over WinRM.

pub mod error;
pub mod gpo;
pub mod ldap;
pub mod probe;
pub mod winrm;
