//! Drive mappings of `.ps1` logon scripts: `New-PSDrive` (aliases `ndr`, `mount`; a
//! Windows drive only with `-Persist`, a FileSystem root and a one-letter name),
//! `New-SmbMapping`, `net use` and `WScript.Network`'s `MapNetworkDrive` through COM.
//! Parameters may be abbreviated (`-PSP`), positional or written `-Name:S`; a value held in
//! a variable assigned a literal earlier (`$lecteur = 'S'`) is resolved, other variables
//! are kept as written (`"\\srv\home\$env:USERNAME"`). `<# … #>` and `#` comments are
//! skipped, backtick continuations joined.

use crate::logon_scripts::batch::net_use_in;
use crate::logon_scripts::statement::{
    POWERSHELL, Token, drive_letter, kept_statement, logical_lines, looks_like_remote_path, tokens,
};
use crate::logon_scripts::vbscript::{map_network_drive_in, split_outside_quotes, string_literal};
use constat_snapshot::logon_scripts::{DriveMapMethod, ScriptDriveMap};
use std::collections::BTreeMap;

/// Drive mappings of a PowerShell file's text, in file order.
pub fn powershell_drive_maps(text: &str) -> Vec<ScriptDriveMap> {
    let code = without_block_comments(text);
    let mut out = Vec::new();
    let mut literals: BTreeMap<String, String> = BTreeMap::new();
    for logical in logical_lines(&code, |l| l.trim_end().strip_suffix('`')) {
        let line = strip_line_comment(&logical.text);
        for statement in split_outside_quotes(&line, ';', '\'') {
            let statement = statement.trim();
            if statement.is_empty() {
                continue;
            }
            if let Some((name, value)) = literal_assignment(statement) {
                literals.insert(name, value);
            }
            let value = |arg: &str| resolve(arg, &literals);
            out.extend(net_use_in(statement, logical.line, POWERSHELL));
            out.extend(map_network_drive_in(statement, logical.line, &value, '\''));
            out.extend(cmdlet_maps(statement, logical.line, &literals));
        }
    }
    out
}

/// `<# … #>` blanked, newlines kept so that line numbers stay true.
fn without_block_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<#") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find("#>").map_or(after.len(), |e| e + 2);
        out.extend(after[..end].chars().filter(|&c| c == '\n'));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn strip_line_comment(line: &str) -> String {
    let mut quote: Option<char> = None;
    let mut out = String::new();
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' => break,
            None => {}
        }
        out.push(c);
    }
    out
}

/// `$name = 'literal'` or `"literal"` without `$` inside → (lower-case name, value).
fn literal_assignment(statement: &str) -> Option<(String, String)> {
    let (name, value) = statement.strip_prefix('$')?.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let value = value.trim();
    let text = string_literal(value, '\'')
        .or_else(|| string_literal(value, '"').filter(|t| !t.contains('$') && !t.contains('`')))?;
    Some((name.to_ascii_lowercase(), text))
}

fn resolve(arg: &str, literals: &BTreeMap<String, String>) -> String {
    let arg = arg.trim();
    if let Some(text) = string_literal(arg, '\'').or_else(|| string_literal(arg, '"')) {
        return text;
    }
    arg.strip_prefix('$')
        .and_then(|name| literals.get(&name.to_ascii_lowercase()))
        .cloned()
        .unwrap_or_else(|| arg.to_owned())
}

/// `$name` and `${name}` of variables assigned a literal, replaced inside a string (as
/// PowerShell expands double-quoted strings); other variables kept.
fn expand(text: &str, literals: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = match after.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        match literals.get(&name.to_ascii_lowercase()) {
            Some(value) if len > 0 => {
                out.push_str(value);
                rest = &after[len..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parameters of the two cmdlets, in positional order first.
const NEW_PSDRIVE: &[&str] = &[
    "name",
    "psprovider",
    "root",
    "description",
    "scope",
    "persist",
    "credential",
];
const NEW_SMBMAPPING: &[&str] = &[
    "localpath",
    "remotepath",
    "username",
    "password",
    "persistent",
    "savecredentials",
    "homefolder",
    "credential",
];
const PSDRIVE_POSITIONAL: usize = 3;
const SMBMAPPING_POSITIONAL: usize = 2;
/// Switches (no value unless written `-Switch:$false`).
const SWITCHES: &[&str] = &[
    "persist",
    "savecredentials",
    "homefolder",
    "whatif",
    "confirm",
];

/// Common parameters every cmdlet takes.
const COMMON: &[&str] = &["whatif", "confirm"];

/// The full parameter name an abbreviation stands for, when it is unambiguous.
fn parameter(names: &[&'static str], written: &str) -> Option<&'static str> {
    let lower = written.to_ascii_lowercase();
    if let Some(exact) = names.iter().chain(COMMON).find(|n| **n == lower) {
        return Some(exact);
    }
    let mut matches = names.iter().chain(COMMON).filter(|n| n.starts_with(&lower));
    let first = matches.next()?;
    matches.next().is_none().then_some(*first)
}

/// Bound parameters of one cmdlet call: name → (value as written, quoted).
fn bind(
    names: &[&'static str],
    positional: usize,
    args: &[(String, bool)],
) -> BTreeMap<&'static str, (String, bool)> {
    let mut bound = BTreeMap::new();
    let mut position = 0;
    let mut i = 0;
    while i < args.len() {
        let (word, quoted) = &args[i];
        i += 1;
        if !quoted && word.starts_with('-') && word.len() > 1 {
            let (name, inline) = match word[1..].split_once(':') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (&word[1..], None),
            };
            let Some(name) = parameter(names, name) else {
                continue;
            };
            let value = match inline {
                Some(v) => (v, false),
                None if SWITCHES.contains(&name) => ("$true".to_owned(), false),
                None => {
                    let v = args.get(i).cloned().unwrap_or_default();
                    i += 1;
                    v
                }
            };
            bound.insert(name, value);
            continue;
        }
        if position < positional
            && let Some(name) = names.get(position)
        {
            bound.insert(*name, (word.clone(), *quoted));
            position += 1;
        }
    }
    bound
}

fn truthy(value: Option<&(String, bool)>) -> Option<bool> {
    let (v, _) = value?;
    match v.trim_start_matches('$').to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

fn cmdlet_maps(
    statement: &str,
    line: u32,
    literals: &BTreeMap<String, String>,
) -> Vec<ScriptDriveMap> {
    let tokens = tokens(statement, POWERSHELL);
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Some(word) = token.word() else { continue };
        let lower = word.to_ascii_lowercase();
        let cmdlet = match lower.as_str() {
            "new-psdrive" | "ndr" | "mount" => DriveMapMethod::NewPsDrive,
            "new-smbmapping" => DriveMapMethod::NewSmbMapping,
            _ => continue,
        };
        let args: Vec<(String, bool)> = tokens[i + 1..]
            .iter()
            .map_while(|t| match t {
                Token::Word { text, quoted } => Some((text.clone(), *quoted)),
                Token::Separator(_) => None,
            })
            .collect();
        let value = |v: Option<&(String, bool)>| {
            v.map(|(text, quoted)| {
                if *quoted {
                    expand(text, literals)
                } else {
                    resolve(text, literals)
                }
            })
        };
        let (letter, path, persistent, user, secret) = match cmdlet {
            DriveMapMethod::NewPsDrive => {
                let bound = bind(NEW_PSDRIVE, PSDRIVE_POSITIONAL, &args);
                let provider = value(bound.get("psprovider")).unwrap_or_default();
                let provider = provider.rsplit('\\').next().unwrap_or_default();
                if !provider.is_empty() && !provider.eq_ignore_ascii_case("filesystem") {
                    continue;
                }
                (
                    value(bound.get("name")),
                    value(bound.get("root")),
                    Some(truthy(bound.get("persist")).unwrap_or(false)),
                    None,
                    None,
                )
            }
            _ => {
                let bound = bind(NEW_SMBMAPPING, SMBMAPPING_POSITIONAL, &args);
                (
                    value(bound.get("localpath")),
                    value(bound.get("remotepath")),
                    truthy(bound.get("persistent")),
                    value(bound.get("username")),
                    bound.get("password").map(|(v, _)| v.clone()),
                )
            }
        };
        let (Some(letter), Some(path)) = (letter.as_deref().and_then(drive_letter), path) else {
            continue;
        };
        if !looks_like_remote_path(&path) {
            continue;
        }
        let mut shown = vec![word.to_owned()];
        for (text, quoted) in &args {
            let masked = secret.as_deref() == Some(text.as_str());
            shown.push(match (masked, quoted) {
                (true, _) => "***".to_owned(),
                (false, true) => format!("'{text}'"),
                (false, false) => text.clone(),
            });
        }
        out.push(ScriptDriveMap {
            letter,
            path,
            line,
            method: cmdlet,
            persistent,
            user,
            statement: kept_statement(&shown.join(" ")),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PowerShell logon script in the styles found in lab write-ups: New-PSDrive with and
    /// without -Persist, positional and abbreviated parameters, New-SmbMapping with a
    /// password, net use, COM, a registry PSDrive (not a drive map), comments.
    #[test]
    fn real_style_powershell_script() {
        let script = "<#\r\n.SYNOPSIS\r\n  Script de connexion\r\n  New-PSDrive -Name Z -Root \\\\old\\x -Persist\r\n#>\r\n\
$serveur = 'SRV-AD'\r\n\
$lecteur = \"S\"\r\n\
New-PSDrive -Name $lecteur -PSProvider FileSystem -Root \"\\\\$serveur\\Commercial\" -Persist -Scope Global | Out-Null\r\n\
New-PSDrive H FileSystem \"\\\\srv-ad.tssr.lan\\Perso$\\$env:USERNAME\"\r\n\
ndr -N T -PSP FileSystem -R \\\\SRV-AD\\Transfert -Pe:$true\r\n\
New-PSDrive -Name HKU -PSProvider Registry -Root HKEY_USERS\r\n\
New-SmbMapping -LocalPath 'P:' -RemotePath '\\\\SRV-FILE\\Public' -UserName 'TSSR\\svc-map' -Password 'MotDePasse123' -Persistent $true\r\n\
# New-SmbMapping -LocalPath Q: -RemotePath \\\\old\\q\r\n\
net use R: \\\\SRV-AD\\Rapports /persistent:yes ; Write-Host ok\r\n\
$net = New-Object -ComObject WScript.Network\r\n\
$net.MapNetworkDrive('U:', `\r\n\
    '\\\\SRV-AD\\Utilitaires', $true)\r\n";
        let maps = powershell_drive_maps(script);
        assert!(maps.iter().all(|m| !m.statement.contains("MotDePasse123")));
        insta::assert_yaml_snapshot!(maps);
    }
}
