//! Windows deployment services (issue 16): pure parsers of an MDT deployment share's control
//! files. The probe (`probe/deployment.rs`) brings their bytes and the WDS image lists.

pub mod mdt_ini;
pub mod mdt_xml;
