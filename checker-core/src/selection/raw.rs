//! The `select` expectation as written: which accounts (directory or local), then how many
//! of them, and what each must satisfy.

use crate::kinds::RawExpect;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `select: {ad_user: {member_of: GG_Compta}, all: {ad_user: {name: "${member}", …}}}`:
/// a set of accounts chosen by relation (group, OU) and attributes, then a quantifier.
///
/// Exactly one source (`ad_user` or `user`) and at least one of `count`, `all`, `at_least`.
/// Inside `all` and `at_least`, `${member}` is the account's name, `${member.home}` its home
/// directory and `${member.dn}` its distinguished name (directory accounts only).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSelect {
    /// Directory accounts (the `directory` section of the role), every criterion must hold.
    #[serde(default)]
    pub ad_user: Option<AdUserSelector>,
    /// Local accounts (the `users` and `groups` sections of the role), every criterion must
    /// hold.
    #[serde(default)]
    pub user: Option<UserSelector>,
    /// How many accounts the selection must hold (`{min: 2}`, `{min: 2, max: 5}`).
    #[serde(default)]
    pub count: Option<Sp<RawCount>>,
    /// What every selected account must satisfy; partial credit per account.
    #[serde(default)]
    pub all: Option<Box<Sp<RawExpect>>>,
    /// At least `n` selected accounts must satisfy `expect`.
    #[serde(default)]
    pub at_least: Option<Sp<RawSelectAtLeast>>,
    /// An empty selection satisfies `all` (by default it fails: nobody was found to judge).
    #[serde(default)]
    pub allow_empty: bool,
}

/// `count: {min: 2, max: 5}`: bounds, inclusive.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCount {
    /// At least this many accounts.
    #[serde(default)]
    pub min: Option<u32>,
    /// At most this many accounts.
    #[serde(default)]
    pub max: Option<u32>,
}

/// `at_least: {n: 2, expect: {...}}` over the selected accounts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSelectAtLeast {
    /// How many accounts must satisfy `expect` (1 or more).
    pub n: u32,
    /// What they must satisfy (`${member}`, `${member.home}`, `${member.dn}`).
    pub expect: Box<Sp<RawExpect>>,
}

/// Which directory accounts: every criterion given must hold (AND).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdUserSelector {
    /// Members of this group (name, case-insensitive): through nested groups and the primary
    /// group unless `nested: false`.
    #[serde(default)]
    pub member_of: Option<Sp<String>>,
    /// Count memberships through nested groups (default `true`); `false`: direct members and
    /// accounts whose primary group it is.
    #[serde(default = "yes")]
    pub nested: bool,
    /// In this OU: a DN (`OU=Compta,OU=Siege,DC=tssr,DC=lan`, or without the `DC=` part) or a
    /// name path (`Siege/Compta`), case-insensitive.
    #[serde(default)]
    pub ou: Option<Sp<String>>,
    /// Include the OU's sub-OUs (default `true`); `false`: accounts directly in it.
    #[serde(default = "yes")]
    pub recursive: bool,
    /// Enabled (`true`) or disabled (`false`) accounts only.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Regex the `sAMAccountName` must match (`(?i)` for case-insensitivity).
    #[serde(default)]
    pub name: Option<Sp<String>>,
    /// `department` (exact, case-insensitive).
    #[serde(default)]
    pub department: Option<Sp<String>>,
    /// `title` (exact, case-insensitive).
    #[serde(default)]
    pub title: Option<Sp<String>>,
}

/// Which local accounts: every criterion given must hold (AND).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserSelector {
    /// Members of this group: listed in it, or whose primary group (gid) it is; through
    /// groups listed as members unless `nested: false`.
    #[serde(default)]
    pub member_of: Option<Sp<String>>,
    /// Count memberships through groups that are members of the group (default `true`).
    #[serde(default = "yes")]
    pub nested: bool,
    /// Regex the login name must match.
    #[serde(default)]
    pub name: Option<Sp<String>>,
    /// Accounts that can log in (`true`) or cannot (`false`).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// System accounts (`true`) or human ones (`false`, uid from 1000 on Linux).
    #[serde(default)]
    pub system: Option<bool>,
}

fn yes() -> bool {
    true
}
