//! Windows deployment services (issue 16): MDT deployment shares read from their control
//! files (`Control\CustomSettings.ini`, `Bootstrap.ini`, `TaskSequences.xml`,
//! `Applications.xml`, `Settings.xml`) and the images of a WDS server.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the probe found about deployment on a Windows server.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// MDT deployment shares (a folder holding `Control\CustomSettings.ini`), sorted by path.
    #[serde(default)]
    pub mdt_shares: Vec<MdtShare>,
    /// The WDS server; absent when the role (`WDS`) is not installed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wds: Option<WdsServer>,
}

/// One MDT deployment share.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MdtShare {
    /// Folder on the server (`C:\DeploymentShare`).
    pub path: String,
    /// SMB share publishing it (`DeploymentShare$`), when one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_name: Option<String>,
    /// `Settings.xml` `<UNCPath>`: how the Workbench names it for clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unc_path: Option<String>,
    /// `Settings.xml` `<Description>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `Control\CustomSettings.ini` (the rules), absent when the file is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_settings: Option<IniFile>,
    /// `Control\Bootstrap.ini`, absent when the file is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<IniFile>,
    /// Whether `Control\TaskSequences.xml` was read (`task_sequences` is then the full list).
    pub task_sequences_read: bool,
    /// Task sequences, in file order.
    #[serde(default)]
    pub task_sequences: Vec<TaskSequence>,
    /// Whether `Control\Applications.xml` was read.
    pub applications_read: bool,
    /// Applications, in file order.
    #[serde(default)]
    pub applications: Vec<MdtApplication>,
    /// Problems reading this share (`file: reason`): a file too large, malformed XML.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// An MDT `.ini` file: sections in file order, each with its settings in order. Values of
/// secret settings (`*Password`, product keys) are `***`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IniFile {
    /// `[Settings]`, `[Default]`, …
    #[serde(default)]
    pub sections: Vec<IniSection>,
}

/// One `[section]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IniSection {
    /// Name as written (without brackets).
    pub name: String,
    /// `key=value` lines, in order (a repeated key is kept twice, as written).
    #[serde(default)]
    pub settings: Vec<IniSetting>,
}

/// One `key=value` line.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IniSetting {
    /// Key as written.
    pub key: String,
    /// Value as written, trimmed; `***` for a secret.
    pub value: String,
    /// 1-based line in the file.
    pub line: u32,
}

/// A task sequence of `TaskSequences.xml`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskSequence {
    /// `<ID>`.
    pub id: String,
    /// `<Name>`.
    pub name: String,
    /// `<TaskSequenceTemplate>` (`Client.xml`, `Server.xml`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// `<Version>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `enable` attribute (absent = enabled).
    pub enabled: bool,
    /// `hide` attribute.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
}

/// An application of `Applications.xml`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MdtApplication {
    /// `<Name>`.
    pub name: String,
    /// `<ShortName>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// `<Version>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `<CommandLine>` (absent for a bundle).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_line: Option<String>,
    /// `enable` attribute (absent = enabled).
    pub enabled: bool,
    /// `hide` attribute.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// `<Dependency>` entries (a bundle's members), counted.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub dependencies: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A WDS server's image store.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WdsServer {
    /// Boot images (`Get-WdsBootImage`), sorted by name.
    #[serde(default)]
    pub boot_images: Vec<WdsImage>,
    /// Install images (`Get-WdsInstallImage`), sorted by group then name.
    #[serde(default)]
    pub install_images: Vec<WdsImage>,
    /// What could not be read (a cmdlet that failed), with the reason; the lists above are
    /// then incomplete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// One WDS image.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WdsImage {
    /// `ImageName`.
    pub name: String,
    /// `ImageGroup` (install images).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// `Architecture` (`X64`, `X86`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// `FileName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// `Enabled`, when reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}
