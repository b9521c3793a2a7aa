//! scripts.ini and psscripts.ini: `Machine/Scripts/` (startup, shutdown) and `User/Scripts/`
//! (logon, logoff). Sections `[Logon]` … with `0CmdLine=` / `0Parameters=` pairs.

use crate::gpo::text::decode;
use constat_snapshot::gpo::{GpoScript, PolicyScope};
use std::collections::BTreeMap;

/// Parses a scripts.ini (`powershell` false) or psscripts.ini (`powershell` true).
pub fn parse_scripts_ini(bytes: &[u8], scope: PolicyScope, powershell: bool) -> Vec<GpoScript> {
    let (text, _) = decode(bytes);
    // (trigger, order) → (command, parameters)
    let mut entries: BTreeMap<(String, u32), (Option<String>, Option<String>)> = BTreeMap::new();
    let mut trigger: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            trigger = Some(name.trim().to_ascii_lowercase());
            continue;
        }
        let (Some(trigger), Some((key, value))) = (trigger.as_ref(), line.split_once('=')) else {
            continue;
        };
        let key = key.trim();
        let digits = key.chars().take_while(char::is_ascii_digit).count();
        let Ok(order) = key[..digits].parse::<u32>() else {
            continue;
        };
        let entry = entries.entry((trigger.clone(), order)).or_default();
        match key[digits..].to_ascii_lowercase().as_str() {
            "cmdline" => entry.0 = Some(value.trim().to_owned()),
            "parameters" => entry.1 = Some(value.trim().to_owned()).filter(|p| !p.is_empty()),
            _ => {}
        }
    }
    entries
        .into_iter()
        .filter_map(|((trigger, order), (command, parameters))| {
            Some(GpoScript {
                scope,
                trigger,
                powershell,
                order,
                command: command?,
                parameters,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logon_scripts_in_utf16() {
        // Shape written by GPMC (UTF-16LE with BOM, CRLF, blank first line).
        let text = "\r\n[Logon]\r\n0CmdLine=\\\\tssr.lan\\NETLOGON\\map.bat\r\n0Parameters=\r\n1CmdLine=inventaire.vbs\r\n1Parameters=/q\r\n[Logoff]\r\n";
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        insta::assert_yaml_snapshot!(parse_scripts_ini(&bytes, PolicyScope::User, false));
    }
}
