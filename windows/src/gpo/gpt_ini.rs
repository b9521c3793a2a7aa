//! GPT.INI at the root of a GPO folder: `[General]` `Version=` (user << 16 | machine).

use crate::error::ParseError;
use crate::gpo::text::decode;

/// What GPT.INI says.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct GptIni {
    /// `Version=`.
    pub version: Option<u32>,
    /// `displayName=` (written by some tools, often stale: the container's name wins).
    pub display_name: Option<String>,
}

/// Parses GPT.INI. `file` names it in errors.
pub fn parse_gpt_ini(bytes: &[u8], file: &str) -> Result<GptIni, ParseError> {
    let (text, _) = decode(bytes);
    let mut ini = GptIni::default();
    for (index, line) in text.lines().enumerate() {
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "version" => {
                let version = value.parse::<i64>().map_err(|_| ParseError::Text {
                    file: file.to_owned(),
                    line: index + 1,
                    message: format!("Version={value:?} is not a number"),
                })?;
                // Some tools write the version as a signed 32-bit value.
                ini.version = Some(version as u32);
            }
            "displayname" => ini.display_name = Some(value.to_owned()),
            _ => {}
        }
    }
    Ok(ini)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_errors() {
        insta::assert_yaml_snapshot!((
            // As written by lab-recipes/gpo-push-pol.sh and by Samba provisioning.
            parse_gpt_ini(
                b"[General]\r\nVersion=65537\r\ndisplayName=New Group Policy Object\r\n",
                "GPT.INI"
            )
            .ok(),
            parse_gpt_ini(b"[General]\r\nVersion=0\r\n", "GPT.INI").ok(),
            parse_gpt_ini(b"[General]\nVersion=abc\n", "GPT.INI").map_err(|e| e.to_string()),
        ));
    }
}
