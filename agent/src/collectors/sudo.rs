//! sudo rules: /etc/sudoers and the files it includes (`#includedir`, `@include`…), aliases
//! expanded, one rule per user specification with its `path:line`.

use crate::context::{Context, Update};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::users::{SudoFile, SudoRule, SudoRules};
use std::collections::HashMap;
use std::io::ErrorKind;
use std::os::unix::fs::PermissionsExt;

const MAIN_FILE: &str = "/etc/sudoers";
const MAX_INCLUDE_DEPTH: usize = 8;
const TAGS: &[&str] = &[
    "NOPASSWD",
    "PASSWD",
    "NOEXEC",
    "EXEC",
    "SETENV",
    "NOSETENV",
    "LOG_INPUT",
    "NOLOG_INPUT",
    "LOG_OUTPUT",
    "NOLOG_OUTPUT",
    "MAIL",
    "NOMAIL",
    "FOLLOW",
    "NOFOLLOW",
    "INTERCEPT",
    "NOINTERCEPT",
];

/// Reads the sudo configuration.
pub fn collect(ctx: &Context) -> Update {
    let section = read_sudo(&*ctx.host);
    Box::new(move |s| s.sudo = section)
}

fn read_sudo(host: &dyn Host) -> Section<SudoRules> {
    match host.read_to_string(MAIN_FILE) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Section::not_collected("sudo is not installed (/etc/sudoers absent)");
        }
        Err(e) => {
            return Section::error(format!(
                "cannot read {MAIN_FILE}: {e}; run the agent as root"
            ));
        }
    }
    let mut parser = Parser::default();
    parser.read_file(host, MAIN_FILE, 0);
    Section::collected(parser.finish())
}

/// Alias tables and raw rules gathered across files, expanded at the end.
#[derive(Default)]
struct Parser {
    files: Vec<SudoFile>,
    rules: Vec<SudoRule>,
    user_aliases: HashMap<String, Vec<String>>,
    runas_aliases: HashMap<String, Vec<String>>,
    cmnd_aliases: HashMap<String, Vec<String>>,
    host_aliases: HashMap<String, Vec<String>>,
}

impl Parser {
    fn read_file(&mut self, host: &dyn Host, path: &str, depth: usize) {
        let mode = host
            .metadata(path)
            .ok()
            .map(|m| format!("{:04o}", m.permissions().mode() & 0o7777));
        let text = match host.read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                self.files.push(SudoFile {
                    path: path.to_owned(),
                    mode,
                    unparsed: vec![format!("0: cannot read: {e}")],
                });
                return;
            }
        };
        let index = self.files.len();
        self.files.push(SudoFile {
            path: path.to_owned(),
            mode,
            unparsed: Vec::new(),
        });
        for (line_no, line) in logical_lines(&text) {
            match self.parse_line(path, line_no, &line) {
                Ok(Some(include)) => {
                    if depth >= MAX_INCLUDE_DEPTH {
                        self.files[index]
                            .unparsed
                            .push(format!("{line_no}: include nested too deep: {line}"));
                        continue;
                    }
                    for file in include_targets(host, path, &include) {
                        self.read_file(host, &file, depth + 1);
                    }
                }
                Ok(None) => {}
                Err(()) => self.files[index]
                    .unparsed
                    .push(format!("{line_no}: {line}")),
            }
        }
    }

    /// Parses one logical line; returns an include directive to follow.
    fn parse_line(
        &mut self,
        path: &str,
        line_no: usize,
        line: &str,
    ) -> Result<Option<Include>, ()> {
        let trimmed = line.trim();
        for (prefix, dir) in [
            ("#includedir", true),
            ("@includedir", true),
            ("#include", false),
            ("@include", false),
        ] {
            if let Some(rest) = trimmed.strip_prefix(prefix)
                && rest.starts_with(char::is_whitespace)
            {
                let target = rest.trim().trim_matches('"').to_owned();
                return Ok(Some(Include { target, dir }));
            }
        }
        let line = strip_comment(trimmed);
        if line.is_empty() || line.starts_with("Defaults") {
            return Ok(None);
        }
        for (keyword, kind) in [
            ("User_Alias", 0),
            ("Runas_Alias", 1),
            ("Cmnd_Alias", 2),
            ("Cmd_Alias", 2),
            ("Host_Alias", 3),
        ] {
            if let Some(rest) = line.strip_prefix(keyword)
                && rest.starts_with(char::is_whitespace)
            {
                return self.parse_alias(rest, kind).map(|()| None);
            }
        }
        let rules = parse_user_spec(line, &format!("{path}:{line_no}")).ok_or(())?;
        self.rules.extend(rules);
        Ok(None)
    }

    fn parse_alias(&mut self, rest: &str, kind: u8) -> Result<(), ()> {
        for definition in rest.split(':') {
            let (name, values) = definition.split_once('=').ok_or(())?;
            let name = name.trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(());
            }
            let table = match kind {
                0 => &mut self.user_aliases,
                1 => &mut self.runas_aliases,
                2 => &mut self.cmnd_aliases,
                _ => &mut self.host_aliases,
            };
            table.insert(name.to_owned(), split_list(values));
        }
        Ok(())
    }

    fn finish(mut self) -> SudoRules {
        let rules = std::mem::take(&mut self.rules)
            .into_iter()
            .map(|r| SudoRule {
                principals: expand(&r.principals, &self.user_aliases),
                hosts: expand(&r.hosts, &self.host_aliases),
                run_as: expand(&r.run_as, &self.runas_aliases),
                commands: expand(&r.commands, &self.cmnd_aliases),
                ..r
            })
            .collect();
        SudoRules {
            files: self.files,
            rules,
        }
    }
}

struct Include {
    target: String,
    dir: bool,
}

/// Files an include names, following sudo's rules: relative paths are relative to the
/// including file's directory; `includedir` skips names containing `.` or ending in `~`.
fn include_targets(host: &dyn Host, from: &str, include: &Include) -> Vec<String> {
    let base = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("/");
    let target = if include.target.starts_with('/') {
        include.target.clone()
    } else {
        format!("{base}/{}", include.target)
    };
    if !include.dir {
        return vec![target];
    }
    host.read_dir(&target)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| !n.contains('.') && !n.ends_with('~'))
        .map(|n| format!("{}/{n}", target.trim_end_matches('/')))
        .filter(|p| host.metadata(p).is_ok_and(|m| m.is_file()))
        .collect()
}

/// Joins `\`-continued lines; yields (first line number, text).
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let (start, mut acc) = current.take().unwrap_or((i + 1, String::new()));
        if let Some(body) = raw.strip_suffix('\\') {
            acc.push_str(body);
            acc.push(' ');
            current = Some((start, acc));
        } else {
            acc.push_str(raw);
            out.push((start, acc));
        }
    }
    out.extend(current);
    out
}

/// Drops a `#` comment; `#123` (a uid) is not a comment.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return line[..i].trim();
        }
    }
    line.trim()
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Replaces alias names by their members, recursively (aliases may name aliases).
fn expand(items: &[String], aliases: &HashMap<String, Vec<String>>) -> Vec<String> {
    fn go(item: &str, aliases: &HashMap<String, Vec<String>>, depth: usize, out: &mut Vec<String>) {
        let (neg, name) = match item.strip_prefix('!') {
            Some(n) => ("!", n.trim()),
            None => ("", item),
        };
        match aliases.get(name) {
            Some(members) if depth < 8 => {
                for m in members {
                    if neg.is_empty() {
                        go(m, aliases, depth + 1, out);
                    } else {
                        out.push(format!("!{m}"));
                    }
                }
            }
            _ => out.push(item.to_owned()),
        }
    }
    let mut out = Vec::new();
    for item in items {
        go(item, aliases, 0, &mut out);
    }
    out
}

/// Parses `who hosts = (runas) TAGS: cmd, cmd`. Commands whose NOPASSWD state differs from
/// the first ones' are returned as a second rule with the same source.
fn parse_user_spec(line: &str, source: &str) -> Option<Vec<SudoRule>> {
    let (left, right) = line.split_once('=')?;
    let left = left.replace(", ", ",").replace(" ,", ",");
    let words: Vec<&str> = left.split_whitespace().collect();
    let [who, hosts] = words.as_slice() else {
        return None;
    };
    let rest = right.trim();
    let mut run_as = Vec::new();
    let mut groups: Vec<(bool, Vec<String>)> = Vec::new();
    let mut nopasswd = false;
    for spec in rest_split_commands(rest) {
        let mut spec = spec.trim();
        if let Some(after) = spec.strip_prefix('(') {
            let (inside, tail) = after.split_once(')')?;
            run_as = split_list(inside.split(':').next().unwrap_or_default());
            spec = tail.trim();
        }
        while let Some((word, tail)) = spec.split_once(':') {
            let word = word.trim();
            if !TAGS.contains(&word) {
                break;
            }
            match word {
                "NOPASSWD" => nopasswd = true,
                "PASSWD" => nopasswd = false,
                _ => {}
            }
            spec = tail.trim();
        }
        if spec.is_empty() {
            return None;
        }
        let command = spec.split_whitespace().collect::<Vec<_>>().join(" ");
        match groups.last_mut() {
            Some((np, cmds)) if *np == nopasswd => cmds.push(command),
            _ => groups.push((nopasswd, vec![command])),
        }
    }
    if groups.is_empty() {
        return None;
    }
    Some(
        groups
            .into_iter()
            .map(|(nopasswd, commands)| SudoRule {
                source: source.to_owned(),
                principals: split_list(who),
                hosts: split_list(hosts),
                run_as: run_as.clone(),
                nopasswd,
                commands,
            })
            .collect(),
    )
}

/// Splits the command part on commas that are neither escaped nor inside a run-as list.
fn rest_split_commands(rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    let mut escaped = false;
    for c in rest.chars() {
        match c {
            _ if escaped => {
                current.push(c);
                escaped = false;
            }
            '\\' => {
                current.push(c);
                escaped = true;
            }
            '(' => {
                depth += 1;
                current.push(c);
            }
            ')' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    out.push(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LocalHost;
    use crate::test_root::write;

    #[test]
    fn sudoers_with_includes_and_aliases() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "/etc/sudoers",
            "# sudoers\nDefaults\tenv_reset\nDefaults\tsecure_path=\"/usr/sbin:/usr/bin\"\n\
             root\tALL=(ALL:ALL) ALL\n%sudo\tALL=(ALL:ALL) ALL\n#1001 ALL=(ALL) ALL\n\
             @includedir /etc/sudoers.d\n#include extra\n",
            0o440,
        );
        write(
            root,
            "/etc/sudoers.d/webadmins",
            "User_Alias WEBTEAM = alice, %webadmins\n\
             Cmnd_Alias WEB = /usr/bin/systemctl restart apache2, \\\n    /usr/bin/systemctl reload apache2\n\
             Runas_Alias OP = root, www-data\n\
             WEBTEAM ALL = (OP) NOPASSWD: WEB, PASSWD: /usr/bin/journalctl  # logs\n\
             this is not sudoers syntax\n",
            0o440,
        );
        write(
            root,
            "/etc/sudoers.d/README.txt",
            "bob ALL=(ALL) ALL\n",
            0o440,
        );
        write(root, "/etc/sudoers.d/old~", "bob ALL=(ALL) ALL\n", 0o440);
        write(root, "/etc/extra", "carol ALL=NOPASSWD:ALL\n", 0o644);
        let host = LocalHost::offline(root);
        insta::assert_yaml_snapshot!(read_sudo(&host));
    }

    #[test]
    fn missing_sudoers_is_not_collected() {
        let dir = tempfile::tempdir().unwrap();
        let host = LocalHost::offline(dir.path());
        assert_eq!(read_sudo(&host).status(), "not_collected");
    }
}
