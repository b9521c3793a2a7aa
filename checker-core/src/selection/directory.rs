//! Directory accounts a selector chooses: group membership through nested groups and the
//! primary group, OU with or without its sub-OUs, attributes.

use crate::kinds::directory::{normalize_dn, same_account};
use crate::selection::compile::DirectorySelector;
use crate::selection::member::Member;
use crate::selection::outcome::Selection;
use constat_snapshot::ad::{Directory, DirectoryGroup, DirectoryUser};
use std::collections::{BTreeMap, BTreeSet};

/// The accounts of `dir` that `sel` chooses, and what the jury should know about an empty
/// result (a group or OU the directory does not hold).
pub(crate) fn select(sel: &DirectorySelector, dir: &Directory) -> Selection {
    let mut notes = Vec::new();
    let groups = sel.member_of.as_ref().map(|name| {
        let set = group_closure(dir, name, sel.nested);
        if set.is_empty() {
            notes.push(format!("group \"{name}\" absent from the directory"));
        }
        (name, set)
    });
    if let Some(ou) = &sel.ou
        && !dir.ous.iter().any(|o| ou_matches(&o.dn, ou, true))
        && !dir.users.iter().any(|u| ou_matches(&u.ou_dn, ou, true))
    {
        notes.push(format!("OU \"{ou}\" absent from the directory"));
    }
    let by_name: BTreeMap<String, &DirectoryGroup> = dir
        .groups
        .iter()
        .map(|g| (crate::kinds::directory::account_key(&g.name), g))
        .collect();
    let members = dir
        .users
        .iter()
        .filter(|u| {
            groups
                .as_ref()
                .is_none_or(|(name, set)| is_member(u, name, set, &by_name, sel.nested))
        })
        .filter(|u| {
            sel.ou
                .as_ref()
                .is_none_or(|ou| ou_matches(&u.ou_dn, ou, sel.recursive))
        })
        .filter(|u| sel.enabled.is_none_or(|e| u.enabled == e))
        .filter(|u| {
            sel.name
                .as_ref()
                .is_none_or(|re| re.is_match(&u.sam_account_name))
        })
        .filter(|u| same_text(sel.department.as_deref(), u.department.as_deref()))
        .filter(|u| same_text(sel.title.as_deref(), u.title.as_deref()))
        .map(|u| Member {
            name: u.sam_account_name.clone(),
            home: u.home_directory.clone().filter(|h| !h.trim().is_empty()),
            dn: Some(u.dn.clone()),
        })
        .collect();
    Selection::new(members, notes, Vec::new())
}

fn same_text(expected: Option<&str>, actual: Option<&str>) -> bool {
    expected.is_none_or(|e| actual.is_some_and(|a| a.trim().eq_ignore_ascii_case(e.trim())))
}

/// Normalised DNs of the group named `name` and, when `nested`, of every group inside it
/// (members that are groups, at any depth). Empty when the directory has no such group.
fn group_closure(dir: &Directory, name: &str, nested: bool) -> BTreeSet<String> {
    let by_dn: BTreeMap<String, &DirectoryGroup> = dir
        .groups
        .iter()
        .map(|g| (normalize_dn(&g.dn), g))
        .collect();
    let mut set = BTreeSet::new();
    let mut queue: Vec<String> = dir
        .groups
        .iter()
        .filter(|g| same_account(&g.name, name))
        .map(|g| normalize_dn(&g.dn))
        .collect();
    // Each group is visited once: a cycle (A in B in A) ends.
    while let Some(dn) = queue.pop() {
        if !set.insert(dn.clone()) || !nested {
            continue;
        }
        if let Some(group) = by_dn.get(&dn) {
            queue.extend(
                group
                    .members
                    .iter()
                    .map(|m| normalize_dn(m))
                    .filter(|m| by_dn.contains_key(m) && !set.contains(m)),
            );
        }
    }
    set
}

/// Whether `user` is in one of the groups of `set`: by `memberOf` or by its primary group.
/// A `memberOf` DN of a group the collection does not hold still counts when its name is
/// the one asked (direct membership only).
fn is_member(
    user: &DirectoryUser,
    name: &str,
    set: &BTreeSet<String>,
    by_name: &BTreeMap<String, &DirectoryGroup>,
    nested: bool,
) -> bool {
    let direct = user.member_of.iter().any(|dn| {
        set.contains(&normalize_dn(dn))
            || same_account(crate::kinds::directory::rdn_value(dn), name)
    });
    let primary = user.primary_group.as_deref().is_some_and(|p| {
        same_account(p, name)
            || by_name
                .get(&crate::kinds::directory::account_key(p))
                .is_some_and(|g| set.contains(&normalize_dn(&g.dn)))
    });
    // The collector's own transitive list (names), for a chain through a group it could not
    // read as an entry.
    let transitive = nested
        && user
            .member_of_transitive
            .iter()
            .any(|g| same_account(g, name));
    direct || primary || transitive
}

/// Whether the container `dn` is the OU `reference` (or below it with `recursive`). The
/// reference is a DN, with or without its `DC=` part, or a name path (`Siege/Compta`).
pub(crate) fn ou_matches(dn: &str, reference: &str, recursive: bool) -> bool {
    let mut actual = rdns(dn);
    let wanted = if reference.contains('=') {
        rdns(reference)
    } else {
        reference
            .split('/')
            .filter(|p| !p.trim().is_empty())
            .rev()
            .map(|p| format!("ou={}", p.trim().to_lowercase()))
            .collect()
    };
    if wanted.is_empty() {
        return false;
    }
    if !wanted.iter().any(|r| r.starts_with("dc=")) {
        actual.retain(|r| !r.starts_with("dc="));
    }
    if recursive {
        actual.ends_with(&wanted)
    } else {
        actual == wanted
    }
}

fn rdns(dn: &str) -> Vec<String> {
    normalize_dn(dn)
        .split(',')
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ou_matches;

    #[test]
    fn ou_references_are_dns_partial_dns_or_name_paths() {
        let dn = "OU=Compta,OU=Siege,DC=tssr,DC=lan";
        for (reference, recursive, expected) in [
            ("OU=Compta,OU=Siege,DC=tssr,DC=lan", false, true),
            ("ou=compta, ou=siege", false, true),
            ("Siege/Compta", false, true),
            ("OU=Siege", true, true),
            ("OU=Siege", false, false),
            ("Siege", true, true),
            ("OU=Siege,DC=tssr,DC=lan", true, true),
            ("OU=Siege,DC=autre,DC=lan", true, false),
            // A DN without its `DC=` part is read from the domain root: no top-level Compta.
            ("OU=Compta", true, false),
            ("Compta/Siege", true, false),
            ("OU=Ege", true, false),
        ] {
            assert_eq!(
                ou_matches(dn, reference, recursive),
                expected,
                "{reference} recursive={recursive}"
            );
        }
    }
}
