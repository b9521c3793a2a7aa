//! Reading an inventory file: YAML (strict booleans) with `file:line:col` errors, then checks
//! that serde cannot express (ids usable as directory names, unique candidates, hosts that
//! resolve).

use super::model::Inventory;
use super::resolve::resolve_hosts;
use crate::errors::CliError;
use crate::i18n::{t, tf};
use std::collections::BTreeSet;
use std::path::Path;

/// Reads and checks the inventory at `path`.
pub fn load_inventory(path: &Path) -> anyhow::Result<Inventory> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::Error::new(e).context(tf("inventory.unreadable", &[("file", &shown)]))
    })?;
    parse_inventory(&text, &shown)
}

/// Parses and checks inventory text; `origin` names it in errors.
pub fn parse_inventory(text: &str, origin: &str) -> anyhow::Result<Inventory> {
    let options = serde_saphyr::options! { strict_booleans: true };
    let inventory: Inventory = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = first_line(&e.to_string());
        CliError::input(
            tf(
                "inventory.invalid",
                &[
                    ("file", &origin),
                    ("line", &line),
                    ("column", &column),
                    ("message", &message),
                ],
            ),
            t("inventory.invalid_hint"),
        )
    })?;
    check_inventory(&inventory, origin)?;
    Ok(inventory)
}

/// The parser's first line without its own `error: line L column C:` prefix (the location
/// is already shown as `file:line:col`).
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default().trim();
    match line.strip_prefix("error: line ") {
        Some(rest) if rest.contains(" column ") => rest
            .split_once(": ")
            .map(|(_, m)| m.to_owned())
            .unwrap_or_else(|| line.to_owned()),
        _ => line.to_owned(),
    }
}

/// Whether `name` can be used as a file or directory name.
pub(crate) fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn check_inventory(inventory: &Inventory, origin: &str) -> anyhow::Result<()> {
    let bad_name = |what: &str, value: &str| -> anyhow::Error {
        CliError::input(
            tf(
                "inventory.bad_name",
                &[("file", &origin), ("what", &what), ("value", &value)],
            ),
            t("inventory.bad_name_hint"),
        )
        .into()
    };
    if !is_safe_name(&inventory.session.id) {
        return Err(bad_name("session.id", &inventory.session.id));
    }
    let mut seen = BTreeSet::new();
    for (index, candidate) in inventory.candidates.iter().enumerate() {
        if !is_safe_name(&candidate.id) {
            return Err(bad_name(&format!("candidates[{index}].id"), &candidate.id));
        }
        if !seen.insert(candidate.id.as_str()) {
            return Err(CliError::input(
                tf(
                    "inventory.duplicate_candidate",
                    &[("file", &origin), ("id", &candidate.id)],
                ),
                t("inventory.duplicate_candidate_hint"),
            )
            .into());
        }
        for role in candidate.hosts.keys() {
            if !is_safe_name(role) {
                return Err(bad_name(&format!("candidates[{index}].hosts"), role));
            }
        }
    }
    for role in inventory.defaults.keys() {
        if !is_safe_name(role) {
            return Err(bad_name("defaults", role));
        }
    }
    if inventory.settings.concurrency == 0 {
        return Err(CliError::input(
            tf("inventory.zero_concurrency", &[("file", &origin)]),
            t("inventory.zero_concurrency_hint"),
        )
        .into());
    }
    resolve_hosts(inventory)
        .map_err(|e| e.context(tf("inventory.in_file", &[("file", &origin)])))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(yaml: &str) -> String {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let error = parse_inventory(yaml, "inv.yaml").unwrap_err();
        let mut text = format!("{error:#}");
        if let Some(cli) = error.chain().find_map(|c| c.downcast_ref::<CliError>())
            && let Some(hint) = &cli.hint
        {
            text.push_str(&format!("\nque faire : {hint}"));
        }
        text
    }

    #[test]
    fn errors_point_at_file_line_and_column() {
        insta::assert_snapshot!(error_of(
            "session:\n  id: s1\n  referentiel: TSSR\n  pakc: x.yaml\n"
        ));
        insta::assert_snapshot!(error_of(
            "session: { id: s1, referentiel: TSSR }\nsettings:\n  concurrency: beaucoup\n"
        ));
        insta::assert_snapshot!(error_of(
            "session: { id: s1, referentiel: TSSR }\ncandidates:\n  - id: c01\n    name: A\n    hosts:\n      linux: { transport: telnet }\n"
        ));
    }

    #[test]
    fn semantic_errors_name_the_field() {
        insta::assert_snapshot!(error_of(
            "session: { id: s1, referentiel: TSSR }\ncandidates:\n  - { id: c01, name: A }\n  - { id: c01, name: B }\n"
        ));
        insta::assert_snapshot!(error_of("session: { id: 'a/b', referentiel: TSSR }\n"));
        insta::assert_snapshot!(error_of(
            "session: { id: s1, referentiel: TSSR }\ndefaults:\n  linux: { transport: ssh, address: '10.0.${num}.1' }\ncandidates:\n  - { id: c01, name: A }\n"
        ));
    }

    #[test]
    fn a_password_in_the_inventory_is_refused_without_being_repeated() {
        let text = error_of(
            "session: { id: s1, referentiel: TSSR }\ncandidates:\n  - id: c01\n    name: A\n    hosts:\n      linux: { address: 10.0.0.1, password: 'Secr3t!' }\n",
        );
        assert!(text.contains("unknown field `password`"), "{text}");
        assert!(!text.contains("Secr3t"), "{text}");
    }

    #[test]
    fn booleans_are_strict() {
        let inventory = parse_inventory(
            "session: { id: s1, referentiel: NO }\nsettings: { strict_host_keys: true }\n",
            "inv.yaml",
        )
        .unwrap();
        assert_eq!(inventory.session.referentiel, "NO");
        assert!(inventory.settings.strict_host_keys);
    }
}
