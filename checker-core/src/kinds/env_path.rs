//! Environment variables in Windows paths (`\\srv\perso$\%USERNAME%`): the one place every
//! kind comparing such paths (GPP drive maps, registry `path:` data, home folders, shares)
//! normalises them, so a pack matches the host written either way.
//!
//! Two steps. [`canonical`] names each variable one way: upper case, and the Group Policy
//! Preferences names (`%LogonUser%`, `%LogonDomain%`) mapped to the environment variables
//! they equal (`%USERNAME%`, `%USERDOMAIN%`); `%WINDIR%` is `%SYSTEMROOT%`. [`expand`] then
//! replaces the account variables by an account's values when the comparison is about one
//! account (its home folder): Active Directory Users and Computers writes
//! `\\srv\perso$\jdupont` when the administrator typed `\\srv\perso$\%username%`.

use std::borrow::Cow;

/// Variables that name the same value, as (alias, canonical name), upper case.
const ALIASES: &[(&str, &str)] = &[
    // Group Policy Preferences variables.
    ("LOGONUSER", "USERNAME"),
    ("LOGONDOMAIN", "USERDOMAIN"),
    ("WINDIR", "SYSTEMROOT"),
];

/// `%NAME%` spans of a path: (start, end exclusive, name). A `%` without its pair, or around
/// something that cannot be a variable name, is text.
fn variables(path: &str) -> Vec<(usize, usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = path[from..].find('%').map(|i| from + i) {
        let Some(len) = path[start + 1..].find('%') else {
            break;
        };
        let name = &path[start + 1..start + 1 + len];
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '(' | ')'));
        if valid {
            found.push((start, start + len + 2, name));
            from = start + len + 2;
        } else {
            from = start + 1;
        }
    }
    found
}

fn canonical_name(name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == upper)
        .map_or(upper, |(_, canon)| (*canon).to_owned())
}

/// The path with every variable named canonically (`%LogonUser%` → `%USERNAME%`).
pub(crate) fn canonical(path: &str) -> Cow<'_, str> {
    let spans = variables(path);
    if spans.is_empty() {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len());
    let mut last = 0;
    for (start, end, name) in spans {
        out.push_str(&path[last..start]);
        out.push('%');
        out.push_str(&canonical_name(name));
        out.push('%');
        last = end;
    }
    out.push_str(&path[last..]);
    Cow::Owned(out)
}

/// The account a path is about (a user's home folder): its variables can be replaced.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Account<'a> {
    /// `sAMAccountName` (`%USERNAME%`).
    pub name: &'a str,
    /// NetBIOS domain name (`%USERDOMAIN%`), when known.
    pub domain: Option<&'a str>,
}

/// The path canonical, with the account's variables replaced by its values.
pub(crate) fn expand(path: &str, account: Account<'_>) -> String {
    let canon = canonical(path);
    let mut out = canon.into_owned();
    out = replace_ignoring_case(&out, "%USERNAME%", account.name);
    if let Some(domain) = account.domain {
        out = replace_ignoring_case(&out, "%USERDOMAIN%", domain);
    }
    out
}

fn replace_ignoring_case(text: &str, what: &str, with: &str) -> String {
    // `what` is ASCII, so byte offsets in the lower-cased copy are the text's.
    let lower = text.to_ascii_lowercase();
    let needle = what.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in lower.match_indices(&needle) {
        out.push_str(&text[last..at]);
        out.push_str(with);
        last = at + needle.len();
    }
    out.push_str(&text[last..]);
    out
}

/// A path for an evidence line: as written, plus its normalised form when it differs
/// (`\\srv\perso$\%LogonUser% (normalisé : \\srv\perso$\%USERNAME%)`).
pub(crate) fn shown(raw: &str, normalised: &str) -> String {
    if raw == normalised {
        raw.to_owned()
    } else {
        format!("{raw} (normalised: {normalised})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_named_one_way() {
        for (raw, want) in [
            (r"\\srv\perso$\%LogonUser%", r"\\srv\perso$\%USERNAME%"),
            (r"\\srv\perso$\%username%", r"\\srv\perso$\%USERNAME%"),
            (r"%HomeDrive%%HomePath%", r"%HOMEDRIVE%%HOMEPATH%"),
            (r"%windir%\Web", r"%SYSTEMROOT%\Web"),
            (
                r"\\srv\%LogonDomain%-%LogonUser%",
                r"\\srv\%USERDOMAIN%-%USERNAME%",
            ),
            // Not variables: a lone %, a space inside, an empty pair.
            (r"\\srv\50%\x", r"\\srv\50%\x"),
            (r"\\srv\a % b %\x", r"\\srv\a % b %\x"),
            (r"\\srv\%%\x", r"\\srv\%%\x"),
            (r"\\srv\perso$\%\%username%", r"\\srv\perso$\%\%USERNAME%"),
        ] {
            assert_eq!(canonical(raw), want, "{raw}");
        }
    }

    #[test]
    fn an_account_fills_its_variables() {
        let jdupont = Account {
            name: "jdupont",
            domain: Some("TSSR"),
        };
        assert_eq!(
            expand(r"\\SRV\Perso$\%LogonUser%", jdupont),
            r"\\SRV\Perso$\jdupont"
        );
        assert_eq!(
            expand(r"\\srv\profils\%USERDOMAIN%.%username%", jdupont),
            r"\\srv\profils\TSSR.jdupont"
        );
        assert_eq!(
            expand(r"\\srv\perso$\jdupont", jdupont),
            r"\\srv\perso$\jdupont"
        );
        assert_eq!(
            shown(r"\\srv\p\%LogonUser%", &canonical(r"\\srv\p\%LogonUser%")),
            r"\\srv\p\%LogonUser% (normalised: \\srv\p\%USERNAME%)"
        );
    }
}
