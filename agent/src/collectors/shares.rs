//! File shares: Samba (smb.conf with its includes; `testparm -s` only when live and the
//! configuration uses what only Samba resolves) and NFS (/etc/exports and
//! /etc/exports.d/*.exports).
//!
//! Reading the files instead of running `testparm` (~15 MiB, tens of ms) gives the same
//! shares for plain configurations (same sections, includes, continuation lines, synonyms of
//! `read only`, `guest ok` and `path`; proved on the recorded smb.conf against testparm's
//! output). `testparm -s` is still run, live, when the text has `config backend = registry`,
//! `include = registry`, an `include` with %-macros (per-client files), `copy =` (a share
//! copying another's options) or an include that cannot be read: there Samba is the source of
//! truth.
//!
//! Samba: every section but `[global]` is a share, except print queues (`printable = yes`,
//! `[printers]`) and the printer-driver share `[print$]` that Debian's default smb.conf
//! defines. `read only` and its inverses `writeable`/`writable`/`write ok` become `read_only`;
//! unset, it inherits `[global]` and then Samba's default (read only). Keys are lower-cased
//! with their spaces collapsed, as Samba compares them.

use crate::collectors::command_text::run_text;
use crate::context::{Context, Update};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::shares::Share;
use std::collections::BTreeMap;

/// Include nesting kept at most (Samba itself stops at loops).
const MAX_INCLUDE_DEPTH: usize = 8;

/// Collects the `shares` section.
pub fn collect(ctx: &Context) -> Update {
    let section = shares(&*ctx.host);
    Box::new(move |s| s.shares = section)
}

fn shares(host: &dyn Host) -> Section<Vec<Share>> {
    let mut shares = match samba(host) {
        Ok(s) => s,
        Err(e) => return Section::error(e),
    };
    shares.extend(nfs(host));
    Section::collected(shares)
}

fn samba(host: &dyn Host) -> Result<Vec<Share>, String> {
    const SMB_CONF: &str = "/etc/samba/smb.conf";
    if !host.exists(SMB_CONF) {
        return Ok(Vec::new());
    }
    let text = host
        .read_to_string(SMB_CONF)
        .map_err(|e| format!("{SMB_CONF}: {e}"));
    let mut only_samba_resolves = text.as_deref().is_ok_and(only_testparm_resolves);
    let mut include = |path: &str| {
        let included = host.read_to_string(path).ok();
        only_samba_resolves |= included.as_deref().is_none_or(only_testparm_resolves);
        included
    };
    let from_files = text.map(|t| parse_smb_conf(&t, &mut include));
    // testparm gives the effective configuration where the files alone cannot.
    if host.is_live()
        && only_samba_resolves
        && let Ok(text) = run_text(host, "testparm", &["-s", SMB_CONF])
    {
        return Ok(samba_shares(&parse_smb_conf(&text, &mut |_| None)));
    }
    Ok(samba_shares(&from_files?))
}

/// Whether smb.conf text uses what only Samba resolves (see the module doc).
fn only_testparm_resolves(text: &str) -> bool {
    text.lines().any(|line| {
        let Some((key, value)) = line.trim().split_once('=') else {
            return false;
        };
        let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
        let value = value.trim();
        match key.to_ascii_lowercase().as_str() {
            "include" => value.contains('%') || value.eq_ignore_ascii_case("registry"),
            "config backend" => value.eq_ignore_ascii_case("registry"),
            "copy" => true,
            _ => false,
        }
    })
}

/// Sections of an smb.conf in order, each with its options in order (keys normalised).
pub type SmbSections = Vec<(String, Vec<(String, String)>)>;

/// Parses smb.conf text; `include` reads an included file (None when unreadable).
pub fn parse_smb_conf(text: &str, include: &mut dyn FnMut(&str) -> Option<String>) -> SmbSections {
    let mut sections: SmbSections = vec![("global".to_owned(), Vec::new())];
    parse_into(text, include, &mut sections, 0);
    sections
}

fn parse_into(
    text: &str,
    include: &mut dyn FnMut(&str) -> Option<String>,
    sections: &mut SmbSections,
    depth: usize,
) {
    let mut logical = String::new();
    for raw in text.lines() {
        // A trailing backslash continues the line.
        if let Some(stripped) = raw.trim_end().strip_suffix('\\') {
            logical.push_str(stripped);
            logical.push(' ');
            continue;
        }
        logical.push_str(raw);
        let line = std::mem::take(&mut logical);
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            let name = name.trim().to_owned();
            match sections
                .iter()
                .position(|(n, _)| n.eq_ignore_ascii_case(&name))
            {
                // A section seen again continues (Samba merges them).
                Some(i) => {
                    let section = sections.remove(i);
                    sections.push(section);
                }
                None => sections.push((name, Vec::new())),
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let value = value.trim().to_owned();
        if key == "include" {
            // Paths with %-macros depend on the client: they cannot be followed here.
            if depth < MAX_INCLUDE_DEPTH
                && !value.contains('%')
                && let Some(text) = include(&value)
            {
                parse_into(&text, include, sections, depth + 1);
            }
            continue;
        }
        if let Some((_, options)) = sections.last_mut() {
            options.retain(|(k, _)| *k != key);
            options.push((key, value));
        }
    }
}

fn boolean(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" | "on" => Some(true),
        "no" | "false" | "0" | "off" => Some(false),
        _ => None,
    }
}

fn list(value: &str) -> Vec<String> {
    value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Read-only setting of an option list, from `read only` or its inverses.
fn read_only_of(options: &[(String, String)]) -> Option<bool> {
    options.iter().rev().find_map(|(k, v)| match k.as_str() {
        "read only" => boolean(v),
        "writeable" | "writable" | "write ok" => boolean(v).map(|w| !w),
        _ => None,
    })
}

fn guest_ok_of(options: &[(String, String)]) -> Option<bool> {
    options.iter().rev().find_map(|(k, v)| match k.as_str() {
        "guest ok" | "public" => boolean(v),
        _ => None,
    })
}

/// Turns parsed sections into shares.
pub fn samba_shares(sections: &SmbSections) -> Vec<Share> {
    let global: &[(String, String)] = sections
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("global"))
        .map(|(_, o)| o.as_slice())
        .unwrap_or_default();
    let mut shares = Vec::new();
    for (name, options) in sections {
        let lower = name.to_lowercase();
        let printable = options
            .iter()
            .any(|(k, v)| (k == "printable" || k == "print ok") && boolean(v) == Some(true));
        if lower == "global" || lower == "printers" || lower == "print$" || printable {
            continue;
        }
        let get = |key: &str| {
            options
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let mut share = Share {
            name: name.clone(),
            protocol: "smb".to_owned(),
            path: get("path").or_else(|| get("directory")).unwrap_or_default(),
            comment: get("comment"),
            read_only: read_only_of(options)
                .or(read_only_of(global))
                .or(Some(true)),
            valid_users: get("valid users").map(|v| list(&v)).unwrap_or_default(),
            write_list: get("write list").map(|v| list(&v)).unwrap_or_default(),
            guest_ok: guest_ok_of(options).or(guest_ok_of(global)).or(Some(false)),
            ..Share::default()
        };
        for (k, v) in options {
            if !matches!(
                k.as_str(),
                "path"
                    | "directory"
                    | "comment"
                    | "read only"
                    | "writeable"
                    | "writable"
                    | "write ok"
                    | "valid users"
                    | "write list"
                    | "guest ok"
                    | "public"
            ) {
                share.options.insert(k.clone(), v.clone());
            }
        }
        shares.push(share);
    }
    shares
}

fn nfs(host: &dyn Host) -> Vec<Share> {
    let mut files = vec!["/etc/exports".to_owned()];
    files.extend(
        host.read_dir("/etc/exports.d")
            .unwrap_or_default()
            .into_iter()
            .filter(|n| n.ends_with(".exports"))
            .map(|n| format!("/etc/exports.d/{n}")),
    );
    files
        .iter()
        .filter_map(|f| host.read_to_string(f).ok())
        .flat_map(|text| parse_exports(&text))
        .collect()
}

/// Parses exports(5): `path client(options) ...`, with `\` continuations and quoted paths.
pub fn parse_exports(text: &str) -> Vec<Share> {
    let joined = text.replace("\\\n", " ");
    joined
        .lines()
        .filter_map(|line| {
            let line = line.split('#').next()?.trim();
            if line.is_empty() {
                return None;
            }
            let (path, rest) = if let Some(quoted) = line.strip_prefix('"') {
                let (p, r) = quoted.split_once('"')?;
                (p.to_owned(), r)
            } else {
                let (p, r) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
                (p.to_owned(), r)
            };
            let clients: Vec<String> = rest.split_whitespace().map(str::to_owned).collect();
            // exports(5): `ro` is the default; `rw` per client.
            let writable: Vec<bool> = clients
                .iter()
                .map(|c| {
                    c.split_once('(')
                        .map(|(_, o)| o.trim_end_matches(')').split(',').any(|o| o == "rw"))
                        .unwrap_or(false)
                })
                .collect();
            let read_only = if writable.iter().all(|w| *w) && !writable.is_empty() {
                Some(false)
            } else if writable.iter().all(|w| !*w) {
                Some(true)
            } else {
                None
            };
            Some(Share {
                name: path.clone(),
                protocol: "nfs".to_owned(),
                path,
                read_only,
                clients,
                options: BTreeMap::new(),
                ..Share::default()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixture in, snapshot out: the smb.conf written for the recording and testparm's view of
    /// it (testdata/SOURCES.md) must give the same shares.
    #[test]
    fn smb_conf_with_include_matches_testparm() {
        let mut include = |path: &str| {
            path.ends_with("shares.conf")
                .then(|| include_str!("testdata/smb-shares.conf").to_owned())
        };
        let from_file = samba_shares(&parse_smb_conf(
            include_str!("testdata/smb.conf"),
            &mut include,
        ));
        let from_testparm = samba_shares(&parse_smb_conf(
            include_str!("testdata/testparm.txt"),
            &mut |_| None,
        ));
        insta::assert_json_snapshot!(from_testparm);
        let names = |s: &[Share]| {
            let mut v: Vec<(String, Option<bool>, Option<bool>)> = s
                .iter()
                .map(|s| (s.name.clone(), s.read_only, s.guest_ok))
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(&from_file), names(&from_testparm));
    }

    #[test]
    fn testparm_only_where_samba_alone_resolves() {
        assert!(!only_testparm_resolves(include_str!("testdata/smb.conf")));
        assert!(!only_testparm_resolves(include_str!(
            "testdata/smb-shares.conf"
        )));
        for text in [
            "[global]\n  config backend = registry\n",
            "[global]\ninclude = registry\n",
            "[global]\n include = /etc/samba/%m.conf\n",
            "[b]\n copy = a\n",
        ] {
            assert!(only_testparm_resolves(text), "{text}");
        }
    }

    #[test]
    fn exports() {
        insta::assert_json_snapshot!(parse_exports(
            "# /etc/exports\n/srv/nfs/public 192.168.10.0/24(ro,sync) *(ro)\n\"/srv/nfs/with space\" 10.0.0.1(rw,sync,no_subtree_check) \\\n  10.0.0.2(rw)\n/srv/mixed a(rw) b(ro)\n"
        ));
    }
}
