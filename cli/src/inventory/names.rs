//! Names that become files in a session directory (session id, candidate ids, host roles) and
//! candidate display names: what they may contain, so that no candidate can collide with the
//! session's own files (`known_hosts`, `reports`, `summary`…), another candidate, or exceed
//! a file-name limit.

/// Longest id or role (a file name component, far under every file system's 255 bytes).
pub(crate) const MAX_NAME_LEN: usize = 64;

/// Longest candidate display name, in characters.
pub(crate) const MAX_DISPLAY_NAME_LEN: usize = 200;

/// Every name the session layout uses at its root, in `reports/` or under a candidate
/// (compared case-insensitively, with and without extension), and the session phases.
const RESERVED: &[&str] = &[
    "inventory",
    "known_hosts",
    "request",
    "manifest",
    "reports",
    "summary",
    "jury",
    "start",
    "end",
    "export",
    "exports",
];

/// Names Windows refuses as a file name, with any extension (a session may be exported to or
/// opened on Windows).
fn windows_reserved(stem: &str) -> bool {
    matches!(
        stem,
        "con" | "prn" | "aux" | "nul" | "clock$" | "conin$" | "conout$"
    ) || ((stem.starts_with("com") || stem.starts_with("lpt"))
        && stem.len() == 4
        && stem.as_bytes()[3].is_ascii_digit())
}

/// Why a name is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameProblem {
    /// Empty.
    Empty,
    /// Longer than the limit (length, limit).
    TooLong(usize, usize),
    /// A character other than ASCII letters, digits, `-`, `_`, `.`.
    BadChar(char),
    /// Starts with `.` (hidden file, `.`, `..`).
    LeadingDot,
    /// A name the session layout or Windows uses.
    Reserved,
}

/// Checks an id or role used as a file name.
pub(crate) fn check_name(name: &str) -> Result<(), NameProblem> {
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(NameProblem::BadChar(c));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(NameProblem::TooLong(name.len(), MAX_NAME_LEN));
    }
    if name.starts_with('.') {
        return Err(NameProblem::LeadingDot);
    }
    let lower = name.to_ascii_lowercase();
    let stem = lower.split('.').next().unwrap_or_default();
    if RESERVED.contains(&lower.as_str()) || RESERVED.contains(&stem) || windows_reserved(stem) {
        return Err(NameProblem::Reserved);
    }
    Ok(())
}

/// Checks a candidate display name (free text shown in reports): bounded, no control character.
pub(crate) fn check_display_name(name: &str) -> Result<(), NameProblem> {
    let count = name.chars().count();
    if count > MAX_DISPLAY_NAME_LEN {
        return Err(NameProblem::TooLong(count, MAX_DISPLAY_NAME_LEN));
    }
    match name
        .chars()
        .find(|c| constat_checker_core::render::escape::is_control(*c))
    {
        Some(c) => Err(NameProblem::BadChar(c)),
        None => Ok(()),
    }
}

impl NameProblem {
    /// The reason, in the user's language.
    pub(crate) fn describe(&self) -> String {
        use crate::i18n::{t, tf};
        match self {
            NameProblem::Empty => t("name.empty").to_owned(),
            NameProblem::TooLong(n, max) => tf("name.too_long", &[("length", n), ("max", max)]),
            NameProblem::BadChar(c) => tf(
                "name.bad_char",
                &[(
                    "char",
                    &constat_checker_core::render::escape::terminal(&c.to_string()),
                )],
            ),
            NameProblem::LeadingDot => t("name.leading_dot").to_owned(),
            NameProblem::Reserved => t("name.reserved").to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_table() {
        let long = "a".repeat(252);
        let cases = [
            "c01",
            "Alice.Martin_2",
            "known_hosts",
            "KNOWN_HOSTS",
            "summary",
            "Summary.html",
            "reports",
            "manifest.json",
            "inventory.yaml",
            "start",
            "CON",
            "nul.txt",
            "com1",
            "lpt9.json",
            ".",
            "..",
            ".hidden",
            "a/b",
            "é",
            "a b",
            "",
            &long,
        ];
        let table: String = cases
            .iter()
            .map(|c| {
                format!(
                    "{:?} → {:?}\n",
                    c.chars().take(20).collect::<String>(),
                    check_name(c)
                )
            })
            .collect();
        insta::assert_snapshot!(table);
    }
}
