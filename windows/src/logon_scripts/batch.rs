//! Drive mappings of `.bat`/`.cmd` logon scripts: every `net use X: \\srv\share` command,
//! wherever it sits on a line (`if not exist S: net use S: …`, `… & net use …`, inside
//! parentheses), with `^` continuations joined and `rem`/`::` comments skipped.
//! `net use` is also how many PowerShell scripts map drives: [`net_use_in`] serves both.

use crate::logon_scripts::statement::{
    CMD, Quoting, Token, drive_letter, kept_statement, logical_lines, looks_like_remote_path,
    program, rejoin, tokens,
};
use constat_snapshot::logon_scripts::{DriveMapMethod, ScriptDriveMap};

/// Drive mappings of a batch file's text, in file order.
pub fn batch_drive_maps(text: &str) -> Vec<ScriptDriveMap> {
    let mut out = Vec::new();
    for logical in logical_lines(text, |l| l.trim_end().strip_suffix('^')) {
        let trimmed = logical
            .text
            .trim_start()
            .trim_start_matches('@')
            .trim_start();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("::")
            || lower == "rem"
            || lower.starts_with("rem ")
            || lower.starts_with("rem\t")
        {
            continue;
        }
        out.extend(net_use_in(trimmed, logical.line, CMD));
    }
    out
}

/// Every `net use <letter> <path>` of one statement. A deletion (`/delete`), a connection
/// without a letter (`net use \\srv\ipc$`) and a letter without a path are not mappings.
pub(crate) fn net_use_in(text: &str, line: u32, quoting: Quoting) -> Vec<ScriptDriveMap> {
    let tokens = tokens(text, quoting);
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < tokens.len() {
        let is_net_use = tokens[i].word().is_some_and(|w| program(w) == "net")
            && tokens[i + 1]
                .word()
                .is_some_and(|w| w.eq_ignore_ascii_case("use"));
        if !is_net_use {
            i += 1;
            continue;
        }
        let command = (
            tokens[i].word().unwrap_or_default().to_owned(),
            tokens[i + 1].word().unwrap_or_default().to_owned(),
        );
        let mut j = i + 2;
        let mut args: Vec<(String, bool)> = Vec::new();
        while let Some(Token::Word { text, quoted }) = tokens.get(j) {
            args.push((text.clone(), *quoted));
            j += 1;
        }
        if let Some(map) = parse_net_use(command, &args, line) {
            out.push(map);
        }
        i = j;
    }
    out
}

fn parse_net_use(
    (net, usage): (String, String),
    args: &[(String, bool)],
    line: u32,
) -> Option<ScriptDriveMap> {
    let mut letter = None;
    let mut path: Option<String> = None;
    let mut persistent = None;
    let mut user = None;
    let mut deleted = false;
    let mut shown: Vec<(String, bool)> = vec![(net, false), (usage, false)];
    let mut password_seen = false;
    for (word, quoted) in args {
        let lower = word.to_ascii_lowercase();
        if !quoted && word.starts_with('/') {
            if let Some(value) = lower
                .strip_prefix("/persistent:")
                .or_else(|| lower.strip_prefix("/p:"))
            {
                persistent = match value {
                    "yes" | "y" | "oui" => Some(true),
                    "no" | "n" | "non" => Some(false),
                    _ => persistent,
                };
            } else if lower.starts_with("/user:") || lower.starts_with("/u:") {
                user = word
                    .split_once(':')
                    .map(|(_, u)| u.to_owned())
                    .filter(|u| !u.is_empty());
            } else if lower == "/d" || lower.starts_with("/del") {
                deleted = true;
            }
            shown.push((word.clone(), false));
            continue;
        }
        let is_letter = word == "*" || (word.ends_with(':') && drive_letter(word).is_some());
        if letter.is_none() && path.is_none() && is_letter {
            letter = Some(drive_letter(word).unwrap_or_else(|| "*".to_owned()));
            shown.push((word.clone(), *quoted));
            continue;
        }
        if path.is_none() && looks_like_remote_path(word) {
            path = Some(word.clone());
            shown.push((word.clone(), *quoted));
            continue;
        }
        if path.is_some() && !password_seen {
            // `net use S: \\srv\share <password>`: never kept. `*` means "prompt".
            password_seen = true;
            shown.push((
                if word == "*" {
                    "*".to_owned()
                } else {
                    "***".to_owned()
                },
                false,
            ));
            continue;
        }
        shown.push((word.clone(), *quoted));
    }
    if deleted {
        return None;
    }
    Some(ScriptDriveMap {
        letter: letter?,
        path: path?,
        line,
        method: DriveMapMethod::NetUse,
        persistent,
        user,
        statement: kept_statement(&rejoin(&shown)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A logon script in the style of those published for TSSR/BTS SIO labs (drive per
    /// service, home drive with %USERNAME%, deletion first, a password on one line).
    #[test]
    fn real_style_batch_script() {
        let script = "@echo off\r\n\
rem Script de connexion - service commercial\r\n\
:: lecteurs reseau\r\n\
net use S: /delete /y >nul 2>&1\r\n\
net use S: \\\\SRV-AD\\Commercial /persistent:yes\r\n\
if not exist H: net use H: \"\\\\srv-ad.tssr.lan\\Perso$\\%USERNAME%\" /PERSISTENT:NO\r\n\
NET.EXE USE P: \\\\SRV-FILE\\Public MotDePasse123 /user:TSSR\\svc-map\r\n\
%SystemRoot%\\system32\\net.exe use T: ^\r\n\
  \\\\%LOGONSERVER:~2%\\Transfert\r\n\
net use \\\\SRV-AD\\IPC$\r\n\
rem net use Z: \\\\old\\share\r\n\
net use * \\\\SRV-AD\\Temp & echo done\r\n";
        insta::assert_yaml_snapshot!(batch_drive_maps(script));
    }

    #[test]
    fn passwords_never_reach_the_statement() {
        let maps = batch_drive_maps("net use P: \\\\srv\\p S3cr3t! /user:x\n");
        assert_eq!(maps.len(), 1);
        assert!(!maps[0].statement.contains("S3cr3t"), "{:?}", maps[0]);
    }
}
