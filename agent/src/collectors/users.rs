//! Local accounts: /etc/passwd, /etc/group, /etc/shadow (password state only, never the
//! hash), NSS accounts seen through `getent`, and authorized SSH keys as fingerprints.

use crate::context::{Context, Update};
use crate::fingerprint::ssh_sha256_fingerprint;
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::time::date_from_days;
use constat_snapshot::users::{AuthorizedKey, Group, PasswordState, PasswordStatus, User};
use std::collections::{BTreeSet, HashMap};
use std::io::ErrorKind;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One /etc/passwd line.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswdEntry {
    /// Login name.
    pub name: String,
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// GECOS field.
    pub gecos: String,
    /// Home directory.
    pub home: String,
    /// Login shell.
    pub shell: String,
}

/// One /etc/group line.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupEntry {
    /// Group name.
    pub name: String,
    /// Group id.
    pub gid: u32,
    /// Listed members.
    pub members: Vec<String>,
}

/// Reads users and groups.
pub fn collect(ctx: &Context) -> Update {
    let host = &*ctx.host;
    let today = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| (d.as_secs() / 86_400) as i64)
        .unwrap_or(0);
    let (users, groups) = read_accounts(host, today);
    Box::new(move |s| {
        s.users = users;
        s.groups = groups;
    })
}

fn read_accounts(host: &dyn Host, today: i64) -> (Section<Vec<User>>, Section<Vec<Group>>) {
    let passwd_text = match host.read_to_string("/etc/passwd") {
        Ok(t) => t,
        Err(e) => {
            let msg = format!("cannot read /etc/passwd: {e}");
            return (Section::error(msg.clone()), Section::error(msg));
        }
    };
    let mut passwd = parse_passwd(&passwd_text);
    let group_text = host.read_to_string("/etc/group");
    let mut groups = group_text.as_deref().map(parse_group).unwrap_or_default();
    let shadow = match host.read_to_string("/etc/shadow") {
        Ok(t) => Ok(parse_shadow(&t)),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => Err(
            "/etc/shadow unreadable (permission denied): run the agent as root to see password states"
                .to_owned(),
        ),
        Err(e) => Err(format!("/etc/shadow unreadable: {e}")),
    };
    let mut origins: HashMap<String, &'static str> =
        passwd.iter().map(|p| (p.name.clone(), "files")).collect();
    if host.is_live() && host.has_program("getent") {
        for entry in getent(host, "passwd")
            .map(|t| parse_passwd(&t))
            .unwrap_or_default()
        {
            if !origins.contains_key(&entry.name) {
                origins.insert(entry.name.clone(), "nss");
                passwd.push(entry);
            }
        }
        let known: BTreeSet<String> = groups.iter().map(|g| g.name.clone()).collect();
        for entry in getent(host, "group")
            .map(|t| parse_group(&t))
            .unwrap_or_default()
        {
            if !known.contains(&entry.name) {
                groups.push(entry);
            }
        }
    }
    let uid_min = login_defs_min(&host.read_to_string("/etc/login.defs").unwrap_or_default());
    let mut users = build_users(&passwd, &groups, shadow.as_ref(), today, uid_min);
    for user in &mut users {
        user.origin = origins.get(&user.name).map(|o| (*o).to_owned());
        if let Some(home) = user.home.clone()
            && user.origin.as_deref() == Some("files")
        {
            user.authorized_keys = read_authorized_keys(host, &home);
        }
    }
    let group_section = match group_text {
        Ok(_) => Section::collected(build_groups(&groups, &passwd, uid_min)),
        Err(e) => Section::error(format!("cannot read /etc/group: {e}")),
    };
    (Section::collected(users), group_section)
}

fn getent(host: &dyn Host, database: &str) -> Option<String> {
    host.run("getent", &[database], Duration::from_secs(5))
        .ok()
        .filter(|o| o.success())
        .map(|o| o.stdout)
}

/// Parses /etc/passwd; malformed lines are skipped.
pub fn parse_passwd(text: &str) -> Vec<PasswdEntry> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 7 || f[0].is_empty() || f[0].starts_with('#') {
                return None;
            }
            Some(PasswdEntry {
                name: f[0].to_owned(),
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                gecos: f[4].to_owned(),
                home: f[5].to_owned(),
                shell: f[6].to_owned(),
            })
        })
        .collect()
}

/// Parses /etc/group; malformed lines are skipped.
pub fn parse_group(text: &str) -> Vec<GroupEntry> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 4 || f[0].is_empty() || f[0].starts_with('#') {
                return None;
            }
            Some(GroupEntry {
                name: f[0].to_owned(),
                gid: f[2].parse().ok()?,
                members: f[3]
                    .split(',')
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
}

/// Parses /etc/shadow into password states by user name. The hash is read only to classify
/// it and is never stored.
pub fn parse_shadow(text: &str) -> HashMap<String, PasswordState> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 2 || f[0].is_empty() {
                return None;
            }
            let field = |i: usize| f.get(i).and_then(|v| v.parse::<i64>().ok());
            let last = field(2);
            let max_days = field(4);
            let state = PasswordState {
                status: classify_hash(f[1]),
                last_change: last.filter(|&d| d > 0).map(date_from_days),
                must_change: last == Some(0),
                min_days: field(3),
                max_days,
                warn_days: field(5),
                inactive_days: field(6),
                account_expires: field(7).map(date_from_days),
                never_expires: max_days.is_none_or(|m| m >= 99_999),
                note: None,
            };
            Some((f[0].to_owned(), state))
        })
        .collect()
}

fn classify_hash(hash: &str) -> PasswordStatus {
    if hash.is_empty() {
        return PasswordStatus::Empty;
    }
    let rest = hash.trim_start_matches(['!', '*']);
    if rest.is_empty() {
        PasswordStatus::NotSet
    } else if rest.len() < hash.len() {
        PasswordStatus::Locked
    } else {
        PasswordStatus::Set
    }
}

/// `UID_MIN` from login.defs, 1000 when absent.
fn login_defs_min(text: &str) -> u32 {
    text.lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some("UID_MIN")).then(|| words.next()?.parse().ok())?
        })
        .unwrap_or(1000)
}

fn is_system_id(id: u32, min: u32) -> bool {
    id < min || id == 65_534
}

/// Joins passwd, group and shadow data into users, sorted by uid then name.
pub fn build_users(
    passwd: &[PasswdEntry],
    groups: &[GroupEntry],
    shadow: Result<&HashMap<String, PasswordState>, &String>,
    today: i64,
    uid_min: u32,
) -> Vec<User> {
    let mut users: Vec<User> = passwd
        .iter()
        .map(|p| {
            let primary = groups
                .iter()
                .find(|g| g.gid == p.gid)
                .map(|g| g.name.clone());
            let mut member_of: BTreeSet<String> = groups
                .iter()
                .filter(|g| g.members.iter().any(|m| m == &p.name))
                .map(|g| g.name.clone())
                .collect();
            member_of.extend(primary.clone());
            let password = match shadow {
                Ok(map) => map.get(&p.name).cloned().unwrap_or(PasswordState {
                    note: Some("no /etc/shadow entry".to_owned()),
                    ..PasswordState::default()
                }),
                Err(why) => PasswordState {
                    note: Some(why.clone()),
                    ..PasswordState::default()
                },
            };
            let expired = password
                .account_expires
                .as_deref()
                .and_then(shadow_day)
                .is_some_and(|d| d <= today);
            let enabled = match password.status {
                PasswordStatus::Unknown => None,
                PasswordStatus::Locked => Some(false),
                _ => Some(!expired),
            };
            let full_name = p
                .gecos
                .split(',')
                .next()
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            User {
                name: p.name.clone(),
                uid: Some(p.uid),
                gid: Some(p.gid),
                primary_group: primary,
                full_name,
                home: Some(p.home.clone()).filter(|h| !h.is_empty()),
                shell: Some(p.shell.clone()).filter(|h| !h.is_empty()),
                groups: member_of.into_iter().collect(),
                enabled,
                system: is_system_id(p.uid, uid_min),
                password,
                ..User::default()
            }
        })
        .collect();
    users.sort_by(|a, b| a.uid.cmp(&b.uid).then(a.name.cmp(&b.name)));
    users
}

fn shadow_day(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    Some(constat_snapshot::time::days_from_civil(y, m, d))
}

/// Groups with their explicit and primary members, sorted by gid then name.
pub fn build_groups(groups: &[GroupEntry], passwd: &[PasswdEntry], gid_min: u32) -> Vec<Group> {
    let mut out: Vec<Group> = groups
        .iter()
        .map(|g| Group {
            name: g.name.clone(),
            gid: Some(g.gid),
            members: g.members.clone(),
            primary_members: passwd
                .iter()
                .filter(|p| p.gid == g.gid && !g.members.contains(&p.name))
                .map(|p| p.name.clone())
                .collect(),
            system: is_system_id(g.gid, gid_min),
            ..Group::default()
        })
        .collect();
    out.sort_by(|a, b| a.gid.cmp(&b.gid).then(a.name.cmp(&b.name)));
    out
}

fn read_authorized_keys(host: &dyn Host, home: &str) -> Vec<AuthorizedKey> {
    let home = home.trim_end_matches('/');
    ["authorized_keys", "authorized_keys2"]
        .iter()
        .filter_map(|f| host.read_to_string(&format!("{home}/.ssh/{f}")).ok())
        .flat_map(|text| parse_authorized_keys(&text))
        .collect()
}

/// Parses an authorized_keys file into fingerprints; the key material is dropped.
pub fn parse_authorized_keys(text: &str) -> Vec<AuthorizedKey> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let words = split_respecting_quotes(line);
            let type_at = words.iter().position(|w| is_key_type(w))?;
            let blob = words.get(type_at + 1)?;
            let options = (type_at > 0).then(|| words[..type_at].join(" "));
            let comment = words.get(type_at + 2..).map(|c| c.join(" "));
            Some(AuthorizedKey {
                key_type: words[type_at].clone(),
                fingerprint: ssh_sha256_fingerprint(blob)
                    .unwrap_or_else(|| "invalid key data".to_owned()),
                comment: comment.filter(|c| !c.is_empty()),
                options,
            })
        })
        .collect()
}

fn is_key_type(word: &str) -> bool {
    word.starts_with("ssh-")
        || word.starts_with("ecdsa-sha2-")
        || word.starts_with("sk-ssh-")
        || word.starts_with("sk-ecdsa-")
}

/// Splits on blanks outside double quotes (authorized_keys options hold quoted values).
fn split_respecting_quotes(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            current.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => {
                current.push(c);
                escaped = true;
            }
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use constat_snapshot::users::{Group, User};

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
alice:x:1000:1000:Alice Martin,,,:/home/alice:/bin/bash
bob:x:1001:1001::/home/bob:/bin/sh
carol:x:1002:1002::/home/carol:/bin/bash
dave:x:1003:100::/home/dave:/bin/bash
erin:x:1004:100::/home/erin:/bin/bash
broken line
";
    const GROUP: &str = "root:x:0:
sudo:x:27:alice
users:x:100:dave
nogroup:x:65534:
alice:x:1000:
bob:x:1001:
carol:x:1002:
webadmins:x:1005:alice,carol
";
    // Hashes below are made-up strings in the real formats; they must not survive parsing.
    const SHADOW: &str = "root:*:19000:0:99999:7:::
daemon:*:19000:0:99999:7:::
alice:$y$j9T$abcdefgh$ijklmnopqrstuvwxyz0123456789ABCDEFGHIJK:19500:0:90:7:30::
bob:!$6$salt$hashhashhash:19500:0:99999:7:::
carol:$6$salt$anotherhash:0:0:99999:7:::
dave::19500::::::
erin:!:19500:0:99999:7::19000:
";

    fn users_and_groups(shadow: Result<&str, &str>) -> (Vec<User>, Vec<Group>) {
        let passwd = parse_passwd(PASSWD);
        let groups = parse_group(GROUP);
        let shadow_map = shadow.map(parse_shadow).map_err(str::to_owned);
        let users = build_users(&passwd, &groups, shadow_map.as_ref(), 20_000, 1000);
        (users, build_groups(&groups, &passwd, 1000))
    }

    #[test]
    fn users_from_files() {
        let (users, groups) = users_and_groups(Ok(SHADOW));
        insta::assert_yaml_snapshot!("users", users);
        insta::assert_yaml_snapshot!("groups", groups);
    }

    #[test]
    fn no_hash_survives() {
        let (users, _) = users_and_groups(Ok(SHADOW));
        let json = serde_json::to_string(&users).unwrap();
        for needle in ["$y$", "$6$", "hashhash", "abcdefgh"] {
            assert!(!json.contains(needle), "{needle} leaked into {json}");
        }
    }

    #[test]
    fn unreadable_shadow_is_unknown_and_says_why() {
        let (users, _) = users_and_groups(Err("/etc/shadow unreadable (permission denied)"));
        assert!(
            users
                .iter()
                .all(|u| u.password.status == PasswordStatus::Unknown
                    && u.password.note.is_some()
                    && u.enabled.is_none())
        );
    }

    #[test]
    fn authorized_keys_become_fingerprints() {
        let text = "# comment\n\
            ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINxQ7uzCDpcOrtQY90vDLH8qsKa/JVBUS7Q81gDuL0bN alice@pc\n\
            from=\"10.0.0.0/8\",command=\"echo a b\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINxQ7uzCDpcOrtQY90vDLH8qsKa/JVBUS7Q81gDuL0bN\n\
            ssh-rsa !!notbase64!! broken\n";
        let keys = parse_authorized_keys(text);
        let json = serde_json::to_string(&keys).unwrap();
        assert!(!json.contains("AAAAC3Nza"));
        insta::assert_yaml_snapshot!(keys);
    }

    #[test]
    fn login_defs_uid_min() {
        assert_eq!(login_defs_min("# x\nUID_MIN\t\t\t 500\n"), 500);
        assert_eq!(login_defs_min(""), 1000);
    }
}
