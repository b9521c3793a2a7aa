//! Drive mappings of `.vbs` logon scripts: `WScript.Network`'s `MapNetworkDrive "S:",
//! "\\srv\share"[, updateProfile[, user[, password]]]`, with or without parentheses or
//! `Call`, `_` continuations joined, `'`/`Rem` comments skipped. A letter or a path held in
//! a variable assigned a literal earlier in the file (`strDrive = "S:"`, `Const`) is
//! resolved; any other expression is kept as written (`"\\srv\home\" & strUser`).
//! [`map_network_drive_in`] also serves PowerShell calling the same COM object.

use crate::logon_scripts::statement::{drive_letter, kept_statement, logical_lines};
use constat_snapshot::logon_scripts::{DriveMapMethod, ScriptDriveMap};
use std::collections::BTreeMap;

/// Drive mappings of a VBScript file's text, in file order.
pub fn vbscript_drive_maps(text: &str) -> Vec<ScriptDriveMap> {
    let mut out = Vec::new();
    let mut literals: BTreeMap<String, String> = BTreeMap::new();
    for logical in logical_lines(text, |l| l.trim_end().strip_suffix(" _")) {
        let code = strip_comment(&logical.text);
        // `:` separates statements outside strings.
        for statement in split_outside_quotes(&code, ':', '"') {
            let trimmed = statement.trim();
            if let Some((name, value)) = literal_assignment(trimmed) {
                literals.insert(name, value);
                continue;
            }
            out.extend(map_network_drive_in(
                trimmed,
                logical.line,
                &|arg| resolve(arg, &literals),
                '"',
            ));
        }
    }
    out
}

fn strip_comment(line: &str) -> String {
    let trimmed = line.trim_start();
    let lower = trimmed.to_ascii_lowercase();
    if lower == "rem" || lower.starts_with("rem ") || lower.starts_with("rem\t") {
        return String::new();
    }
    let mut in_string = false;
    let mut out = String::new();
    for c in line.chars() {
        match c {
            '"' => in_string = !in_string,
            '\'' if !in_string => break,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Splits on `sep` outside quotes (and outside parentheses).
pub(crate) fn split_outside_quotes(text: &str, sep: char, quote: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut in_string: Option<char> = None;
    let mut depth = 0_i32;
    for c in text.chars() {
        match in_string {
            Some(q) if c == q => in_string = None,
            Some(_) => {}
            None if c == quote || (quote == '\'' && c == '"') => in_string = Some(c),
            None if c == '(' => depth += 1,
            None if c == ')' => depth -= 1,
            None if c == sep && depth <= 0 => {
                parts.push(String::new());
                continue;
            }
            None => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

/// `strDrive = "S:"`, `Const DRIVE = "S:"`, `Dim x : x = "…"` → (lower-case name, value).
fn literal_assignment(statement: &str) -> Option<(String, String)> {
    let body = statement
        .strip_prefix("Const ")
        .or_else(|| statement.strip_prefix("const "))
        .unwrap_or(statement);
    let (name, value) = body.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let value = value.trim();
    // `objNetwork.UserName` is the logged-on user: written as cmd would (`%USERNAME%`).
    if value.to_ascii_lowercase().ends_with(".username") {
        return Some((name.to_ascii_lowercase(), "%USERNAME%".to_owned()));
    }
    Some((name.to_ascii_lowercase(), string_literal(value, '"')?))
}

/// A whole string literal (`"a""b"` → `a"b`), else `None`.
pub(crate) fn string_literal(text: &str, quote: char) -> Option<String> {
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    let doubled = format!("{quote}{quote}");
    let single = quote.to_string();
    // A quote alone inside means the text is a concatenation (`"a" & "b"`).
    if inner.replace(&doubled, "").contains(quote) {
        return None;
    }
    Some(inner.replace(&doubled, &single))
}

/// An argument's text: a literal, a known variable, or a concatenation (`&`) of those;
/// anything else as written.
fn resolve(arg: &str, literals: &BTreeMap<String, String>) -> String {
    let arg = arg.trim();
    let mut joined = String::new();
    for part in split_outside_quotes(arg, '&', '"') {
        let part = part.trim();
        match string_literal(part, '"')
            .or_else(|| literals.get(&part.to_ascii_lowercase()).cloned())
        {
            Some(text) => joined.push_str(&text),
            None => return arg.to_owned(),
        }
    }
    joined
}

/// Every `….MapNetworkDrive <args>` of one statement. `value` turns an argument into its
/// text (a literal unquoted, a known variable resolved, else as written).
pub(crate) fn map_network_drive_in(
    statement: &str,
    line: u32,
    value: &dyn Fn(&str) -> String,
    quote: char,
) -> Vec<ScriptDriveMap> {
    let lower = statement.to_ascii_lowercase();
    let Some(at) = lower.find(".mapnetworkdrive") else {
        return Vec::new();
    };
    let rest = statement[at + ".mapnetworkdrive".len()..].trim();
    let rest = match rest.strip_prefix('(') {
        Some(inner) => inner.rsplit_once(')').map_or(inner, |(args, _)| args),
        None => rest,
    };
    let args: Vec<String> = split_outside_quotes(rest, ',', quote)
        .iter()
        .map(|a| a.trim().to_owned())
        .collect();
    let (Some(letter_arg), Some(path_arg)) = (args.first(), args.get(1)) else {
        return Vec::new();
    };
    let Some(letter) = drive_letter(&value(letter_arg)) else {
        return Vec::new();
    };
    let path = value(path_arg);
    let persistent = args
        .get(2)
        .map(|a| a.trim_start_matches('$').to_ascii_lowercase())
        .and_then(|a| match a.as_str() {
            "true" | "-1" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        });
    let user = args.get(3).map(|a| value(a)).filter(|u| !u.is_empty());
    // Argument 5 is the password: the statement is rebuilt without it.
    let mut shown: Vec<String> = args.iter().take(4).cloned().collect();
    if args.len() > 4 {
        shown.push("***".to_owned());
    }
    let head = &statement[..at + ".mapnetworkdrive".len()];
    Vec::from([ScriptDriveMap {
        letter,
        path,
        line,
        method: DriveMapMethod::MapNetworkDrive,
        persistent,
        user,
        statement: kept_statement(&format!("{head} {}", shown.join(", "))),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classic VBScript logon script (WScript.Network, a home drive built from
    /// %USERNAME%, constants, a commented-out line, a continued call, a password).
    #[test]
    fn real_style_vbscript() {
        let script = "Option Explicit\r\n\
' Script de connexion TSSR\r\n\
Dim objNetwork, strUser, strDrive\r\n\
Const SERVEUR = \"\\\\SRV-AD\"\r\n\
Set objNetwork = CreateObject(\"WScript.Network\")\r\n\
strUser = objNetwork.UserName\r\n\
strDrive = \"S:\"\r\n\
objNetwork.MapNetworkDrive strDrive, \"\\\\SRV-AD\\Commercial\", True\r\n\
objNetwork.MapNetworkDrive \"H:\", SERVEUR & \"\\Perso$\\\" & strUser\r\n\
' objNetwork.MapNetworkDrive \"Z:\", \"\\\\old\\share\"\r\n\
Call objNetwork.MapNetworkDrive(\"P:\", _\r\n\
    \"\\\\SRV-FILE\\Public\", False, \"TSSR\\svc-map\", \"MotDePasse123\")\r\n\
Rem fin\r\n";
        let maps = vbscript_drive_maps(script);
        assert!(maps.iter().all(|m| !m.statement.contains("MotDePasse123")));
        insta::assert_yaml_snapshot!(maps);
    }
}
