//! OpenSSH server settings: `sshd -T` when live, else /etc/ssh/sshd_config and its includes.
//!
//! `sshd -T` prints the effective settings, defaults included; it needs the host keys to be
//! readable, so when it fails the reason is kept in `fallback_reason` and the files are parsed
//! instead (`source: config`, defaults absent). Files follow sshd's rules: `Include` globs are
//! relative to /etc/ssh, the first value of a single-valued keyword wins, keywords are
//! case-insensitive (keys lower-cased) and `Match` blocks are kept apart in `matches`.

use crate::collectors::command_text::{CommandFailure, run_text};
use crate::context::{Context, Update};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::sshd::{Sshd, SshdMatch};
use std::collections::BTreeMap;

const SSHD_CONFIG: &str = "/etc/ssh/sshd_config";
/// Include nesting kept at most (sshd allows 16).
const MAX_INCLUDE_DEPTH: usize = 16;

/// Keywords that accumulate (every line counts), and whose arguments `sshd -T` prints one
/// per line.
const MULTI: &[&str] = &[
    "allowusers",
    "allowgroups",
    "denyusers",
    "denygroups",
    "acceptenv",
    "hostkey",
    "listenaddress",
    "port",
    "subsystem",
    "hostcertificate",
    "setenv",
];

/// Collects the `sshd` section.
pub fn collect(ctx: &Context) -> Update {
    let section = sshd(&*ctx.host);
    Box::new(move |s| s.sshd = section)
}

fn sshd(host: &dyn Host) -> Section<Sshd> {
    let binary = ["/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd"]
        .into_iter()
        .find(|p| host.exists(p));
    let config = host.read_to_string(SSHD_CONFIG);
    if binary.is_none() && config.is_err() {
        return Section::not_collected(format!(
            "OpenSSH server not installed (no sshd binary, no {SSHD_CONFIG})"
        ));
    }
    let mut read = |path: &str| host.read_to_string(path).ok();
    let mut list = |dir: &str| host.read_dir(dir).ok();
    let parsed = match &config {
        Ok(text) => Some(parse_config(text, &mut read, &mut list)),
        Err(_) => None,
    };
    let mut fallback_reason = (host.is_live() && binary.is_none())
        .then(|| "no sshd binary found: settings read from the files".to_owned());
    if host.is_live()
        && let Some(binary) = binary
    {
        match effective(host, binary) {
            Ok(text) => {
                let (files, matches, origins) = parsed
                    .map(|p| (p.files, p.matches, p.origins))
                    .unwrap_or_default();
                return Section::collected(Sshd {
                    source: "sshd -T".to_owned(),
                    files,
                    origins,
                    settings: parse_sshd_t(&text),
                    matches,
                    fallback_reason: None,
                });
            }
            Err(reason) => fallback_reason = Some(reason),
        }
    }
    match (parsed, config) {
        (Some(p), _) => Section::collected(Sshd {
            source: "config".to_owned(),
            files: p.files,
            origins: p.origins,
            settings: p.settings,
            matches: p.matches,
            fallback_reason,
        }),
        (None, Err(e)) => Section::error(format!(
            "{SSHD_CONFIG}: {e}{}",
            fallback_reason
                .map(|r| format!("; sshd -T failed too: {r}"))
                .unwrap_or_default()
        )),
        (None, Ok(_)) => Section::error("internal: config read but not parsed"),
    }
}

/// Runs `sshd -T`, then with a connection specification (older versions need one when the
/// configuration has `Match` blocks).
fn effective(host: &dyn Host, binary: &str) -> Result<String, String> {
    let plain = run_text(host, binary, &["-T"]);
    let first = match plain {
        Ok(text) if !text.trim().is_empty() => return Ok(text),
        Ok(_) => "sshd -T printed nothing".to_owned(),
        Err(CommandFailure::Unavailable(e)) => return Err(e.to_string()),
        Err(e) => e.to_string(),
    };
    match run_text(
        host,
        binary,
        &["-T", "-C", "user=root,host=localhost,addr=127.0.0.1"],
    ) {
        Ok(text) if !text.trim().is_empty() => Ok(text),
        _ => Err(first),
    }
}

/// Parses `sshd -T` output: `keyword value` lines, keywords already lower-case.
pub fn parse_sshd_t(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut settings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        settings
            .entry(key.to_lowercase())
            .or_default()
            .push(value.trim().to_owned());
    }
    settings
}

/// The result of reading the configuration files.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedConfig {
    /// Files read, in order.
    pub files: Vec<String>,
    /// Global settings.
    pub settings: BTreeMap<String, Vec<String>>,
    /// Match blocks.
    pub matches: Vec<SshdMatch>,
    /// Global keyword → `path:line` of the lines that set it (the first for a single-valued
    /// keyword, as sshd uses the first value it reads; every line for a multi-valued one).
    pub origins: BTreeMap<String, Vec<String>>,
}

/// Parses sshd_config text; `read` reads a file, `list` lists a directory (for `Include`).
pub fn parse_config(
    text: &str,
    read: &mut dyn FnMut(&str) -> Option<String>,
    list: &mut dyn FnMut(&str) -> Option<Vec<String>>,
) -> ParsedConfig {
    let mut parsed = ParsedConfig {
        files: vec![SSHD_CONFIG.to_owned()],
        ..ParsedConfig::default()
    };
    let mut current: Option<usize> = None;
    parse_file(SSHD_CONFIG, text, read, list, &mut parsed, &mut current, 0);
    parsed
}

fn parse_file(
    file: &str,
    text: &str,
    read: &mut dyn FnMut(&str) -> Option<String>,
    list: &mut dyn FnMut(&str) -> Option<Vec<String>>,
    parsed: &mut ParsedConfig,
    current: &mut Option<usize>,
    depth: usize,
) {
    for (index, line) in text.lines().enumerate() {
        let Some((key, args)) = split_line(line) else {
            continue;
        };
        match key.as_str() {
            "include" => {
                if depth >= MAX_INCLUDE_DEPTH {
                    continue;
                }
                for pattern in &args {
                    for path in expand_include(pattern, list) {
                        if let Some(text) = read(&path) {
                            parsed.files.push(path.clone());
                            parse_file(&path, &text, read, list, parsed, current, depth + 1);
                        }
                    }
                }
            }
            "match" => {
                parsed.matches.push(SshdMatch {
                    criteria: args.join(" "),
                    settings: BTreeMap::new(),
                });
                *current = Some(parsed.matches.len() - 1);
            }
            _ => {
                let origin = format!("{file}:{}", index + 1);
                if current.is_none() {
                    let origins = parsed.origins.entry(key.clone()).or_default();
                    if origins.is_empty() || MULTI.contains(&key.as_str()) {
                        origins.push(origin);
                    }
                }
                let settings = match *current {
                    Some(i) => &mut parsed.matches[i].settings,
                    None => &mut parsed.settings,
                };
                let values: Vec<String> = if MULTI.contains(&key.as_str())
                    && matches!(
                        key.as_str(),
                        "allowusers" | "allowgroups" | "denyusers" | "denygroups" | "acceptenv"
                    ) {
                    args.iter().map(|a| normalise_value(a)).collect()
                } else {
                    vec![normalise_value(&args.join(" "))]
                };
                if MULTI.contains(&key.as_str()) {
                    settings.entry(key).or_default().extend(values);
                } else {
                    // sshd: the first value obtained for a keyword is used.
                    settings.entry(key).or_insert(values);
                }
            }
        }
    }
}

/// Splits a line into its lower-cased keyword and its arguments (quotes honoured,
/// `keyword=value` accepted, `#` starts a comment).
fn split_line(line: &str) -> Option<(String, Vec<String>)> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut has_word = false;
    for c in line.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                has_word = true;
            }
            '#' if !in_quotes => break,
            c if (c.is_whitespace() || (c == '=' && words.is_empty())) && !in_quotes => {
                if has_word {
                    words.push(std::mem::take(&mut current));
                    has_word = false;
                }
            }
            c => {
                current.push(c);
                has_word = true;
            }
        }
    }
    if has_word {
        words.push(current);
    }
    let mut iter = words.into_iter();
    let key = iter.next()?.to_lowercase();
    Some((key, iter.collect()))
}

/// Lower-cases the case-insensitive enumerated values sshd accepts.
fn normalise_value(value: &str) -> String {
    let lower = value.to_lowercase();
    match lower.as_str() {
        "yes"
        | "no"
        | "prohibit-password"
        | "without-password"
        | "forced-commands-only"
        | "any"
        | "local"
        | "remote"
        | "all"
        | "none" => lower,
        _ => value.to_owned(),
    }
}

/// Expands an `Include` argument: relative to /etc/ssh, `*` and `?` in the last component,
/// matches sorted (glob(3) order).
fn expand_include(pattern: &str, list: &mut dyn FnMut(&str) -> Option<Vec<String>>) -> Vec<String> {
    let absolute = if pattern.starts_with('/') {
        pattern.to_owned()
    } else {
        format!("/etc/ssh/{pattern}")
    };
    let (dir, name) = absolute.rsplit_once('/').unwrap_or(("", &absolute));
    if !name.contains(['*', '?']) {
        return vec![absolute];
    }
    let mut names: Vec<String> = list(dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| !n.starts_with('.') && glob_match(name, n))
        .collect();
    names.sort();
    names.into_iter().map(|n| format!("{dir}/{n}")).collect()
}

/// Matches a file name against a pattern with `*` and `?`.
fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixture in, snapshot out: `sshd -T` recorded (testdata/SOURCES.md).
    #[test]
    fn recorded_sshd_t() {
        insta::assert_json_snapshot!(parse_sshd_t(include_str!("testdata/sshd-T.txt")));
    }

    #[test]
    fn config_with_includes_and_match() {
        let main = "# Debian\nInclude sshd_config.d/*.conf\nPort 22\nPermitRootLogin yes\nAllowGroups sshusers admins\nPasswordAuthentication=No\nSubsystem sftp /usr/lib/openssh/sftp-server\nMatch Group sftp\n  ForceCommand internal-sftp\n  PermitRootLogin no\n";
        let mut read = |path: &str| match path {
            "/etc/ssh/sshd_config.d/10-root.conf" => {
                Some("PermitRootLogin prohibit-password # first wins\n".to_owned())
            }
            "/etc/ssh/sshd_config.d/20-port.conf" => Some("Port 2222\n".to_owned()),
            _ => None,
        };
        let mut list = |dir: &str| {
            (dir == "/etc/ssh/sshd_config.d").then(|| {
                vec![
                    "20-port.conf".to_owned(),
                    "10-root.conf".to_owned(),
                    "README".to_owned(),
                ]
            })
        };
        let p = parse_config(main, &mut read, &mut list);
        insta::assert_json_snapshot!((p.files, p.settings, p.matches));
        // The drop-in that set each value, first one for single-valued keywords.
        insta::assert_json_snapshot!("config_origins", p.origins);
    }

    #[test]
    fn globs() {
        assert!(glob_match("*.conf", "a.conf"));
        assert!(!glob_match("*.conf", "a.conf.bak"));
        assert!(glob_match("a?c*", "abcdef"));
    }
}
