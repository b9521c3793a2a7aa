//! Local accounts a selector chooses: membership from the group file (members, primary
//! gid, groups listed as members of the group), name, state.

use crate::kinds::directory::{account_key, same_account};
use crate::selection::compile::LocalSelector;
use crate::selection::member::Member;
use crate::selection::outcome::Selection;
use constat_snapshot::users::{Group, User};
use std::collections::{BTreeMap, BTreeSet};

/// The accounts of `users` that `sel` chooses. `groups` is `None` when the section was not
/// needed (no `member_of`).
pub(crate) fn select(sel: &LocalSelector, users: &[User], groups: Option<&[Group]>) -> Selection {
    let mut notes = Vec::new();
    let mut unknown = Vec::new();
    let set = match (&sel.member_of, groups) {
        (Some(name), Some(groups)) => {
            let set = group_closure(groups, name, sel.nested);
            if set.is_empty() {
                notes.push(format!("group \"{name}\" absent from the machine"));
            }
            Some(set)
        }
        _ => None,
    };
    let mut members = Vec::new();
    for user in users {
        if let (Some(set), Some(groups)) = (&set, groups)
            && !is_member(user, set, groups)
        {
            continue;
        }
        if sel.name.as_ref().is_some_and(|re| !re.is_match(&user.name)) {
            continue;
        }
        if sel.system.is_some_and(|s| s != user.system) {
            continue;
        }
        if let Some(wanted) = sel.enabled {
            match user.enabled {
                Some(e) if e != wanted => continue,
                Some(_) => {}
                None => {
                    unknown.push(user.name.clone());
                    continue;
                }
            }
        }
        members.push(Member {
            name: user.name.clone(),
            home: user.home.clone().filter(|h| !h.trim().is_empty()),
            dn: None,
        });
    }
    Selection::new(members, notes, unknown)
}

/// Indexes (in `groups`) of the group named `name` and, when `nested`, of the groups listed
/// as its members, at any depth (Windows local groups hold groups; Linux ones do not).
fn group_closure(groups: &[Group], name: &str, nested: bool) -> BTreeSet<usize> {
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        by_name.entry(account_key(&g.name)).or_default().push(i);
    }
    let named = |n: &str| by_name.get(&account_key(n)).cloned().unwrap_or_default();
    let mut set = BTreeSet::new();
    let mut queue = named(name);
    // Each group is visited once: a cycle ends.
    while let Some(i) = queue.pop() {
        if !set.insert(i) || !nested {
            continue;
        }
        for member in groups.get(i).map_or(&[][..], |g| g.members.as_slice()) {
            queue.extend(named(member).into_iter().filter(|j| !set.contains(j)));
        }
    }
    set
}

/// In one of the groups of `set`: listed as a member, primary member, primary gid, or the
/// group named in the user's own list.
fn is_member(user: &User, set: &BTreeSet<usize>, groups: &[Group]) -> bool {
    set.iter().filter_map(|&i| groups.get(i)).any(|g| {
        g.members.iter().any(|m| same_account(m, &user.name))
            || g.primary_members
                .iter()
                .any(|m| same_account(m, &user.name))
            || (g.gid.is_some() && g.gid == user.gid)
            || user.groups.iter().any(|n| same_account(n, &g.name))
    })
}
