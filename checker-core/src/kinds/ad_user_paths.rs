//! The `ad_user` kind's folder paths: `home_directory`, `home_drive` and `profile_path`,
//! compared with the account's environment variables filled in (`env_path.rs`), so
//! `\\srv\perso$\%USERNAME%` in the pack matches the `\\srv\perso$\jdupont` ADUC writes, and
//! the server by any of its names (`registry_data.rs`).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::env_path::{self, Account};
use crate::kinds::registry_data::{HostNames, same_path};
use constat_snapshot::ad::DirectoryUser;

/// The path attributes a pack may give, by YAML key.
pub(crate) const PATH_KEYS: [&str; 3] = ["home_directory", "home_drive", "profile_path"];

fn observed<'u>(user: &'u DirectoryUser, key: &str) -> Option<&'u str> {
    match key {
        "home_directory" => user.home_directory.as_deref(),
        "home_drive" => user.home_drive.as_deref(),
        _ => user.profile_path.as_deref(),
    }
}

fn drive(letter: &str) -> String {
    letter.trim().trim_end_matches(':').to_ascii_uppercase()
}

/// One evidence line per expected path; `domain` is the NetBIOS name (`%USERDOMAIN%`).
pub(crate) fn check_paths(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    user: &DirectoryUser,
    domain: Option<&str>,
    expected: &[(&'static str, String)],
) -> Status {
    let account = Account {
        name: &user.sam_account_name,
        domain,
    };
    let names = HostNames::of(host);
    let mut status = Status::Pass;
    for (key, want) in expected {
        let actual = observed(user, key);
        let want_full = env_path::expand(want, account);
        let holds = actual.is_some_and(|a| {
            let a = env_path::expand(a, account);
            if *key == "home_drive" {
                drive(&a) == drive(&want_full)
            } else {
                same_path(&names, &a, &want_full)
            }
        });
        let st = Status::from_bool(holds);
        out.push(host.evidence(
            "directory",
            path,
            *key,
            env_path::shown(want, &want_full),
            actual.map_or_else(
                || "(absent)".to_owned(),
                |a| env_path::shown(a, &env_path::expand(a, account)),
            ),
            st,
        ));
        status = status.and(st);
    }
    status
}
