//! GptTmpl.inf, the security template of a GPO ([MS-GPSB] 2.2):
//! `MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf`.
//!
//! Windows writes it UTF-16LE with BOM and CRLF; `samba-tool gpo manage security set` writes
//! ASCII with LF and no `[Unicode]`/`[Version]` sections. Both are accepted.

use crate::error::ParseError;
use crate::gpo::text::decode;
use constat_snapshot::gpo::{RestrictedGroup, SecurityTemplate};
use std::collections::BTreeMap;

/// Parses a security template. `file` names it in errors.
pub fn parse_gpttmpl_inf(bytes: &[u8], file: &str) -> Result<SecurityTemplate, ParseError> {
    let (text, encoding) = decode(bytes);
    let mut template = SecurityTemplate {
        encoding: encoding.name().to_owned(),
        ..SecurityTemplate::default()
    };
    let mut groups: BTreeMap<String, RestrictedGroup> = BTreeMap::new();
    let mut section: Option<String> = None;
    for (index, raw_line) in text.lines().enumerate() {
        let line = raw_line.trim();
        if line.is_empty() || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[') {
            let Some(name) = name.strip_suffix(']') else {
                return Err(ParseError::Text {
                    file: file.to_owned(),
                    line: index + 1,
                    message: format!("unterminated section header {line:?}: add the closing ']'"),
                });
            };
            section = Some(name.trim().to_owned());
            continue;
        }
        let Some(section) = section.as_deref() else {
            return Err(ParseError::Text {
                file: file.to_owned(),
                line: index + 1,
                message: format!("{line:?} is outside any [section]"),
            });
        };
        let (key, value) = match line.split_once('=') {
            Some((key, value)) => (key.trim().to_owned(), value.trim().to_owned()),
            // `[File Security]` / `[Service General Setting]` lines have no `=`.
            None => (line.to_owned(), String::new()),
        };
        match section {
            "Unicode" | "Version" => {}
            "System Access" => {
                template.system_access.insert(key, value);
            }
            "Kerberos Policy" => {
                template.kerberos_policy.insert(key, value);
            }
            "Event Audit" => {
                template.event_audit.insert(key, value);
            }
            "Registry Values" => {
                template.registry_values.insert(key, value);
            }
            "Privilege Rights" => {
                template.privilege_rights.insert(key, list(&value));
            }
            "Group Membership" => {
                let lower = key.to_ascii_lowercase();
                let (group, is_members) = if lower.ends_with("__members") {
                    (&key[..key.len() - "__members".len()], true)
                } else if lower.ends_with("__memberof") {
                    (&key[..key.len() - "__memberof".len()], false)
                } else {
                    return Err(ParseError::Text {
                        file: file.to_owned(),
                        line: index + 1,
                        message: format!(
                            "[Group Membership] key {key:?} must end with __Members or __Memberof"
                        ),
                    });
                };
                let entry = groups
                    .entry(group.to_owned())
                    .or_insert_with(|| RestrictedGroup {
                        group: group.to_owned(),
                        ..RestrictedGroup::default()
                    });
                if is_members {
                    entry.members = Some(list(&value));
                } else {
                    entry.member_of = Some(list(&value));
                }
            }
            other => {
                template
                    .other
                    .entry(other.to_owned())
                    .or_default()
                    .insert(key, value);
            }
        }
    }
    template.restricted_groups = groups.into_values().collect();
    Ok(template)
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        crate::gpo::test_fixture::fixture(&format!("sysvol/{name}"))
    }

    fn parse(bytes: &[u8]) -> Result<SecurityTemplate, String> {
        parse_gpttmpl_inf(bytes, "GptTmpl.inf").map_err(|e| e.to_string())
    }

    /// UTF-16LE + BOM + CRLF, made by the `printf | iconv` line of lab-recipes/gpo-setup.sh.
    #[test]
    fn windows_encoding() {
        insta::assert_yaml_snapshot!(parse(&fixture("windows_GptTmpl.inf")));
    }

    /// ASCII/LF as `samba-tool gpo manage security set` wrote it on the lab DC.
    #[test]
    fn samba_tool_encoding() {
        insta::assert_yaml_snapshot!(parse(&fixture("samba_GptTmpl.inf")));
    }

    /// Recorded real `secedit /export` output of a Windows host, from
    /// samples/mondoohq_cnquery__windows_testdata__secpol.toml (SOURCES.md §3.4), unwrapped
    /// from its TOML string.
    #[test]
    fn recorded_secedit_export() {
        let toml = include_str!(
            "../../tests/fixtures/samples/mondoohq_cnquery__windows_testdata__secpol.toml"
        );
        let start = toml.find("stdout = \"\"\"").map(|i| i + 12).unwrap_or(0);
        let body = &toml[start..];
        let body = &body[..body.find("\"\"\"").unwrap_or(body.len())];
        let inf = body
            .replace("\\\\", "\u{1}")
            .replace("\\\"", "\"")
            .replace('\u{1}', "\\");
        insta::assert_yaml_snapshot!(parse(inf.as_bytes()));
    }

    #[test]
    fn restricted_groups_and_errors() {
        let inf = "[Group Membership]\n*S-1-5-32-544__Memberof =\n*S-1-5-32-544__Members = *S-1-5-21-1-2-3-512, TSSR\\adminit\n";
        insta::assert_yaml_snapshot!((
            parse(inf.as_bytes()),
            parse(b"MinimumPasswordLength = 3\n"),
            parse(b"[System Access\n"),
            parse(b"[Group Membership]\nAdmins = x\n"),
        ));
    }
}
