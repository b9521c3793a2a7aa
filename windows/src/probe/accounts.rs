//! Local users (`Get-LocalUser`) and groups (`Get-LocalGroup` + members).

use crate::probe::value::{boolean, items, strings, text};
use constat_snapshot::users::{Group, PasswordState, PasswordStatus, User};
use serde_json::Value;

/// Local users.
pub fn normalise_users(data: &Value) -> Result<Vec<User>, String> {
    let mut users: Vec<User> = items(data)
        .iter()
        .map(|u| {
            let name = text(u, "Name").ok_or("a user has no Name")?;
            let enabled = boolean(u, "Enabled");
            Ok(User {
                name,
                sid: text(u, "SID"),
                full_name: text(u, "FullName"),
                enabled,
                password: PasswordState {
                    status: match (enabled, boolean(u, "PasswordRequired")) {
                        (Some(false), _) => PasswordStatus::Locked,
                        (_, Some(false)) => PasswordStatus::Empty,
                        (Some(true), _) => PasswordStatus::Set,
                        _ => PasswordStatus::Unknown,
                    },
                    last_change: text(u, "PasswordLastSet").map(|t| t.chars().take(10).collect()),
                    never_expires: u.get("PasswordExpires").is_some_and(Value::is_null),
                    ..PasswordState::default()
                },
                ..User::default()
            })
        })
        .collect::<Result<_, String>>()?;
    users.sort_by_key(|u| u.name.to_ascii_lowercase());
    Ok(users)
}

/// Local groups with their members (`DOMAIN\name`).
pub fn normalise_groups(data: &Value) -> Result<Vec<Group>, String> {
    let mut groups: Vec<Group> = items(data)
        .iter()
        .map(|g| {
            let mut members = strings(g, "Members");
            members.sort_by_key(|m| m.to_ascii_lowercase());
            Ok(Group {
                name: text(g, "Name").ok_or("a group has no Name")?,
                sid: text(g, "SID"),
                members,
                ..Group::default()
            })
        })
        .collect::<Result<_, String>>()?;
    groups.sort_by_key(|g| g.name.to_ascii_lowercase());
    Ok(groups)
}
