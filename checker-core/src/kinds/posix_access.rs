//! Effective POSIX access of one account to one file, decided as the Linux kernel decides
//! (`fs/namei.c::acl_permission_check`, `fs/posix_acl.c::posix_acl_permission`, then
//! `generic_permission`'s capability rules for root), from what the agent records: the mode,
//! the owner and group names, and the ACL entries (`user:NAME:rwx`, `group::r-x`,
//! `group:NAME:rwx`, `mask::rwx`; `default:` entries do not grant access).
//!
//! Order: the owner (`user::` = the mode's owner bits) decides alone; then a named-user entry,
//! masked; then the group class — the owning group (`group::`, or the mode's group bits
//! without an ACL) and every named group the account belongs to (primary and supplementary):
//! granted when one of them grants the right and the mask does, denied when the account is in
//! one of them but none grants it (others are then never consulted); then `other::` (the
//! mode's other bits). Root reads and writes everything, searches every directory, and
//! executes a file that has at least one execute bit.

use constat_snapshot::{FileInfo, FileKind};

/// One permission bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Right {
    Read,
    Write,
    Execute,
}

impl Right {
    pub(crate) const ALL: [Right; 3] = [Right::Read, Right::Write, Right::Execute];

    fn bit(self) -> u8 {
        match self {
            Right::Read => 4,
            Right::Write => 2,
            Right::Execute => 1,
        }
    }

    /// `r`, `w`, `x`.
    pub(crate) fn letter(self) -> char {
        match self {
            Right::Read => 'r',
            Right::Write => 'w',
            Right::Execute => 'x',
        }
    }

    /// The right a letter names.
    pub(crate) fn from_letter(c: char) -> Option<Right> {
        Right::ALL.into_iter().find(|r| r.letter() == c)
    }

    /// `read`, `write`, `execute` (evidence property).
    pub(crate) fn word(self) -> &'static str {
        match self {
            Right::Read => "read",
            Right::Write => "write",
            Right::Execute => "execute",
        }
    }
}

/// The account whose access is decided, as the snapshot's `users` section describes it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Account<'a> {
    pub(crate) name: &'a str,
    pub(crate) uid: Option<u32>,
    pub(crate) gid: Option<u32>,
    /// Every group it belongs to (names), primary group included.
    pub(crate) groups: &'a [String],
}

impl Account<'_> {
    fn is_root(&self) -> bool {
        self.uid.map_or(self.name == "root", |u| u == 0)
    }

    /// The file's owner (a name, or a uid the collector could not name) is this account.
    fn is(&self, owner: &str) -> bool {
        owner == self.name
            || (owner
                .parse::<u32>()
                .ok()
                .is_some_and(|n| Some(n) == self.uid))
    }

    /// The account belongs to the group (a name, or a gid the collector could not name).
    fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
            || group
                .parse::<u32>()
                .ok()
                .is_some_and(|n| Some(n) == self.gid)
    }
}

/// Whether a right is granted, and the entry (or rule) that decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub(crate) granted: bool,
    /// `user::rwx` (the owner), `user:alice:rwx & mask::r-x`, `other::---`, `root`…
    pub(crate) by: String,
}

/// One access ACL entry as the agent records it.
#[derive(Debug, Clone)]
struct Entry<'a> {
    tag: &'a str,
    qualifier: &'a str,
    perms: u8,
    text: &'a str,
}

/// The file's permissions, parsed once.
#[derive(Debug, Clone)]
pub(crate) struct Permissions<'a> {
    path: &'a str,
    directory: bool,
    mode: u32,
    owner: &'a str,
    group: &'a str,
    /// Access entries other than `user::`/`other::` (`group::` included when recorded).
    entries: Vec<Entry<'a>>,
}

fn perms_of(text: &str) -> Option<u8> {
    let b = text.as_bytes();
    if b.len() != 3 {
        return None;
    }
    let mut p = 0;
    for (c, (letter, bit)) in b.iter().zip([(b'r', 4), (b'w', 2), (b'x', 1)]) {
        if *c == letter {
            p |= bit;
        } else if *c != b'-' {
            return None;
        }
    }
    Some(p)
}

fn letters(p: u8) -> String {
    [(4, 'r'), (2, 'w'), (1, 'x')]
        .iter()
        .map(|(b, c)| if p & b != 0 { *c } else { '-' })
        .collect()
}

impl<'a> Permissions<'a> {
    /// Reads what the collector recorded, or says why it cannot be judged (not a Linux file,
    /// a symbolic link, an ACL that was not read, an entry that does not parse).
    pub(crate) fn of(file: &'a FileInfo) -> Result<Permissions<'a>, String> {
        let path = file.path.as_str();
        if file.kind == Some(FileKind::Symlink) {
            return Err(format!(
                "{path} is a symbolic link: give the path it leads to"
            ));
        }
        let (Some(mode), Some(owner), Some(group)) = (&file.mode, &file.owner, &file.group) else {
            return Err(format!(
                "{path}: mode, owner or group not reported (not a Linux file?)"
            ));
        };
        let mode = u32::from_str_radix(mode, 8)
            .map_err(|_| format!("{path}: mode \"{mode}\" is not octal"))?;
        if let Some(error) = &file.error
            && error.contains("acl not read")
        {
            return Err(format!("{path}: ACL not read ({error})"));
        }
        let mut entries = Vec::new();
        for text in &file.acl {
            if text.starts_with("default:") {
                continue;
            }
            let mut parts = text.split(':');
            let (Some(tag), Some(qualifier), Some(perms), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(format!("{path}: ACL entry \"{text}\" is not tag:name:rwx"));
            };
            let Some(perms) = perms_of(perms) else {
                return Err(format!("{path}: ACL entry \"{text}\" is not tag:name:rwx"));
            };
            if !matches!(tag, "user" | "group" | "mask" | "other") {
                return Err(format!("{path}: ACL entry \"{text}\" has an unknown tag"));
            }
            entries.push(Entry {
                tag,
                qualifier,
                perms,
                text,
            });
        }
        Ok(Permissions {
            path,
            directory: file.kind == Some(FileKind::Directory),
            mode,
            owner,
            group,
            entries,
        })
    }

    fn mask(&self) -> Option<&Entry<'a>> {
        self.entries
            .iter()
            .find(|e| e.tag == "mask" && e.qualifier.is_empty())
    }

    /// Whether `account` has `right` on this file itself (parent directories apart).
    pub(crate) fn decide(&self, account: &Account<'_>, right: Right) -> Result<Decision, String> {
        let want = right.bit();
        let owner_bits = ((self.mode >> 6) & 7) as u8;
        let group_bits = ((self.mode >> 3) & 7) as u8;
        let other_bits = (self.mode & 7) as u8;
        let decided = |granted: bool, by: String| Ok(Decision { granted, by });
        if account.is(self.owner) {
            return decided(
                owner_bits & want != 0,
                format!("user::{}", letters(owner_bits)),
            );
        }
        let mask = self.mask();
        // The mode's group bits are the mask's when there is one.
        let mask_bits = mask.map_or(7, |m| m.perms);
        let masked = |e: &Entry<'_>| match mask {
            Some(m) => format!("{} & {}", e.text, m.text),
            None => e.text.to_owned(),
        };
        if let Some(e) = self
            .entries
            .iter()
            .find(|e| e.tag == "user" && !e.qualifier.is_empty() && account.is(e.qualifier))
        {
            return decided(e.perms & mask_bits & want != 0, masked(e));
        }
        let mut matched: Vec<String> = Vec::new();
        if account.in_group(self.group) {
            match (
                mask,
                self.entries
                    .iter()
                    .find(|e| e.tag == "group" && e.qualifier.is_empty()),
            ) {
                (None, _) => {
                    let text = format!("group::{}", letters(group_bits));
                    if group_bits & want != 0 {
                        return decided(true, text);
                    }
                    matched.push(text);
                }
                (Some(_), Some(e)) => {
                    if e.perms & mask_bits & want != 0 {
                        return decided(true, masked(e));
                    }
                    matched.push(masked(e));
                }
                (Some(_), None) => {
                    return Err(format!(
                        "{}: the owning group's entry (group::) was not recorded beside mask:: \
                         (snapshot from an older agent: collect again)",
                        self.path
                    ));
                }
            }
        }
        for e in self.entries.iter().filter(|e| {
            e.tag == "group" && !e.qualifier.is_empty() && account.in_group(e.qualifier)
        }) {
            if e.perms & mask_bits & want != 0 {
                return decided(true, masked(e));
            }
            matched.push(masked(e));
        }
        if !matched.is_empty() {
            return decided(false, matched.join(", "));
        }
        decided(
            other_bits & want != 0,
            format!("other::{}", letters(other_bits)),
        )
    }

    /// [`Permissions::decide`] with root's capabilities: root reads, writes and searches
    /// everything and executes a file with at least one execute bit.
    pub(crate) fn decide_for(
        &self,
        account: &Account<'_>,
        right: Right,
    ) -> Result<Decision, String> {
        if account.is_root() {
            let granted = right != Right::Execute || self.directory || self.mode & 0o111 != 0;
            let by = if granted {
                "root".to_owned()
            } else {
                format!("root, mode {:04o}", self.mode)
            };
            return Ok(Decision { granted, by });
        }
        self.decide(account, right)
    }

    /// The path these permissions belong to.
    pub(crate) fn path(&self) -> &'a str {
        self.path
    }
}

/// The directories above an absolute path, from `/` down to its parent.
pub(crate) fn ancestors(path: &str) -> Vec<String> {
    let trimmed = path.trim_end_matches('/');
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = trimmed[at..].find('/') {
        let end = at + i;
        out.push(if end == 0 {
            "/".to_owned()
        } else {
            trimmed[..end].to_owned()
        });
        at = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Account, Permissions, Right, ancestors};
    use constat_snapshot::{FileInfo, FileKind};

    fn file(mode: &str, owner: &str, group: &str, acl: &[&str]) -> FileInfo {
        FileInfo {
            path: "/srv/x".to_owned(),
            exists: true,
            kind: Some(FileKind::File),
            mode: Some(mode.to_owned()),
            owner: Some(owner.to_owned()),
            group: Some(group.to_owned()),
            acl: acl.iter().map(|s| (*s).to_owned()).collect(),
            ..FileInfo::default()
        }
    }

    fn rights(f: &FileInfo, name: &str, uid: u32, groups: &[&str]) -> String {
        let groups: Vec<String> = groups.iter().map(|s| (*s).to_owned()).collect();
        let account = Account {
            name,
            uid: Some(uid),
            gid: None,
            groups: &groups,
        };
        let p = Permissions::of(f).expect("parses");
        Right::ALL
            .iter()
            .map(|r| {
                let d = p.decide_for(&account, *r).expect("decides");
                format!(
                    "{}={} ({})",
                    r.letter(),
                    if d.granted { "yes" } else { "no" },
                    d.by
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    #[test]
    fn owner_decides_alone_even_with_fewer_rights_than_others() {
        let f = file("0077", "alice", "staff", &[]);
        assert_eq!(
            rights(&f, "alice", 1000, &["staff"]),
            "r=no (user::---); w=no (user::---); x=no (user::---)"
        );
        assert!(rights(&f, "bob", 1001, &[]).starts_with("r=yes (other::rwx)"));
    }

    #[test]
    fn named_user_entries_are_masked() {
        let f = file(
            "0750",
            "root",
            "compta",
            &["user:alice:rwx", "group::r-x", "mask::r-x"],
        );
        assert_eq!(
            rights(&f, "alice", 1000, &[]),
            "r=yes (user:alice:rwx & mask::r-x); w=no (user:alice:rwx & mask::r-x); x=yes (user:alice:rwx & mask::r-x)"
        );
    }

    #[test]
    fn a_matching_group_that_denies_stops_before_others() {
        let f = file(
            "0704",
            "root",
            "compta",
            &["group::---", "group:direction:r--", "mask::r--"],
        );
        // In compta (group:: grants nothing): others' r-- is never reached.
        assert!(rights(&f, "bob", 1001, &["compta"]).starts_with("r=no (group::--- & mask::r--)"));
        // In direction: the named group grants read.
        assert!(
            rights(&f, "carol", 1002, &["compta", "direction"])
                .starts_with("r=yes (group:direction:r-- & mask::r--)")
        );
        assert!(rights(&f, "dave", 1003, &[]).starts_with("r=yes (other::r--)"));
    }

    #[test]
    fn without_acl_the_mode_decides_and_root_needs_an_x_bit_to_execute() {
        let f = file("0640", "alice", "staff", &[]);
        assert_eq!(
            rights(&f, "bob", 1001, &["staff"]),
            "r=yes (group::r--); w=no (group::r--); x=no (group::r--)"
        );
        assert_eq!(
            rights(&f, "root", 0, &["root"]),
            "r=yes (root); w=yes (root); x=no (root, mode 0640)"
        );
    }

    #[test]
    fn a_mask_without_the_owning_group_entry_is_not_judged_for_its_members() {
        let f = file("0770", "root", "compta", &["user:alice:rwx", "mask::rwx"]);
        let p = Permissions::of(&f).expect("parses");
        let groups = vec!["compta".to_owned()];
        let bob = Account {
            name: "bob",
            uid: Some(1001),
            gid: None,
            groups: &groups,
        };
        assert!(p.decide(&bob, Right::Read).is_err());
    }

    #[test]
    fn unreadable_acls_and_ntfs_entries_are_errors() {
        let mut f = file("0640", "alice", "staff", &[]);
        f.error = Some("acl not read on offline root".to_owned());
        assert!(Permissions::of(&f).is_err());
        let ntfs = file(
            "0640",
            "a",
            "b",
            &["TSSR\\GG_Compta:allow:Modify,Synchronize"],
        );
        assert!(Permissions::of(&ntfs).is_err());
    }

    #[test]
    fn ancestors_from_the_root_down() {
        assert_eq!(ancestors("/home/alice"), vec!["/", "/home"]);
        assert_eq!(ancestors("/home/alice/"), vec!["/", "/home"]);
        assert_eq!(ancestors("/etc"), vec!["/"]);
        assert!(ancestors("/").is_empty());
    }
}
