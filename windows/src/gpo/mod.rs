//! GPO file parsers, one per format, and the assembly of one GPO folder into settings.

pub mod gplink;
pub mod gpo_report_xml;
pub mod gpp;
pub mod gpt_ini;
pub mod gpttmpl_inf;
pub mod registry_pol;
pub mod scripts_ini;
pub mod sysvol;
#[cfg(test)]
mod test_fixture;
pub mod text;
