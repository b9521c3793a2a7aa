//! The result of applying a selector: the accounts, in a stable order, and what the jury
//! should know about it.

use crate::kinds::directory::account_key;
use crate::selection::member::Member;

/// Accounts chosen by a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selection {
    /// Sorted by account name (case-insensitive, then as written), without duplicates.
    pub(crate) members: Vec<Member>,
    /// Why it may be empty (a group or OU that does not exist), for the evidence.
    pub(crate) notes: Vec<String>,
    /// Accounts a criterion could not be decided for (state unknown): the selection is then
    /// not assessable.
    pub(crate) unknown: Vec<String>,
}

impl Selection {
    pub(crate) fn new(
        mut members: Vec<Member>,
        notes: Vec<String>,
        mut unknown: Vec<String>,
    ) -> Self {
        members.sort_by(|a, b| {
            account_key(&a.name)
                .cmp(&account_key(&b.name))
                .then_with(|| a.name.cmp(&b.name))
        });
        members.dedup_by(|a, b| a.name == b.name);
        unknown.sort();
        unknown.dedup();
        Selection {
            members,
            notes,
            unknown,
        }
    }
}
