//! Reading an inventory file: YAML (strict booleans) with `file:line:col` errors, then checks
//! that serde cannot express (ids usable as directory names, unique candidates, hosts that
//! resolve).

use super::model::Inventory;
use super::names::{NameProblem, check_display_name, check_name};
use super::resolve::resolve_hosts;
use crate::errors::CliError;
use crate::i18n::{t, tf};
use crate::local_input::{InputKind, read_local};
use std::collections::BTreeMap;
use std::path::Path;

/// Reads and checks the inventory at `path`.
pub fn load_inventory(path: &Path) -> anyhow::Result<Inventory> {
    let shown = path.display().to_string();
    let text = read_local(path, InputKind::Inventory)?;
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
    check_inventory(&inventory, origin, Some(text))?;
    Ok(inventory)
}

/// The parser's first line without its own `error: line L column C:` prefix (the location
/// is already shown as `file:line:col`).
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default().trim();
    let line = match line.strip_prefix("error: line ") {
        Some(rest) if rest.contains(" column ") => rest
            .split_once(": ")
            .map(|(_, m)| m.to_owned())
            .unwrap_or_else(|| line.to_owned()),
        _ => line.to_owned(),
    };
    serde_message(&line)
}

/// serde's English `unknown field`/`unknown variant`/`missing field` in the user's language,
/// with "did you mean" when the unknown name is close to an expected one.
fn serde_message(message: &str) -> String {
    let quoted = |s: &str| -> Option<String> {
        let start = s.find('`')? + 1;
        let end = s[start..].find('`')? + start;
        Some(s[start..end].to_owned())
    };
    let in_lang = |m: &str| match crate::i18n::lang() {
        crate::i18n::Lang::Fr => constat_checker_core::pack::parser_message_fr(m),
        crate::i18n::Lang::En => m.to_owned(),
    };
    let Some(name) = quoted(message) else {
        return in_lang(message);
    };
    let expected: Vec<&str> = message
        .split_once("expected one of ")
        .or_else(|| message.split_once("expected "))
        .map(|(_, list)| list.split(", ").map(|n| n.trim_matches('`')).collect())
        .unwrap_or_default();
    let key = if message.starts_with("unknown field") {
        "inventory.unknown_field"
    } else if message.starts_with("unknown variant") {
        "inventory.unknown_value"
    } else if message.starts_with("missing field") {
        return tf("inventory.missing_field", &[("name", &name)]);
    } else {
        return in_lang(message);
    };
    let mut text = tf(key, &[("name", &name), ("expected", &expected.join(", "))]);
    if let Some(best) = constat_checker_core::pack::closest(&name, &expected) {
        text.push_str(&tf("inventory.did_you_mean", &[("name", &best)]));
    }
    text
}

/// Positions of the names [`check_inventory`] checks, read again from the text only when one is
/// refused (so the model itself stays free of spans).
#[derive(serde::Deserialize, Default)]
struct Located {
    #[serde(default)]
    session: Option<LocatedSession>,
    #[serde(default)]
    candidates: Vec<LocatedCandidate>,
    #[serde(default)]
    defaults: Option<serde_saphyr::Spanned<serde::de::IgnoredAny>>,
}

#[derive(serde::Deserialize)]
struct LocatedSession {
    id: serde_saphyr::Spanned<serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize)]
struct LocatedCandidate {
    id: serde_saphyr::Spanned<serde::de::IgnoredAny>,
    #[serde(default)]
    name: Option<serde_saphyr::Spanned<serde::de::IgnoredAny>>,
    #[serde(default)]
    hosts: Option<serde_saphyr::Spanned<serde::de::IgnoredAny>>,
}

/// Where a refused name is: line and column in the inventory (0:0 when built in code).
#[derive(Clone, Copy)]
enum Place {
    SessionId,
    Defaults,
    CandidateId(usize),
    CandidateName(usize),
    CandidateHosts(usize),
}

fn position(text: Option<&str>, place: Place) -> (usize, usize) {
    let located: Located = text
        .and_then(|t| serde_saphyr::from_str(t).ok())
        .unwrap_or_default();
    let at = |s: &serde_saphyr::Spanned<serde::de::IgnoredAny>| {
        (s.referenced.line() as usize, s.referenced.column() as usize)
    };
    let found = match place {
        Place::SessionId => located.session.as_ref().map(|s| at(&s.id)),
        Place::Defaults => located.defaults.as_ref().map(at),
        Place::CandidateId(i) => located.candidates.get(i).map(|c| at(&c.id)),
        Place::CandidateName(i) => located
            .candidates
            .get(i)
            .and_then(|c| c.name.as_ref().or(Some(&c.id)).map(at)),
        Place::CandidateHosts(i) => located
            .candidates
            .get(i)
            .and_then(|c| c.hosts.as_ref().or(Some(&c.id)).map(at)),
    };
    found.unwrap_or((0, 0))
}

fn check_inventory(inventory: &Inventory, origin: &str, text: Option<&str>) -> anyhow::Result<()> {
    let refuse = |what: &str, value: &str, place: Place, problem: NameProblem| -> anyhow::Error {
        let (line, column) = position(text, place);
        CliError::input(
            tf(
                "inventory.bad_name_at",
                &[
                    ("file", &origin),
                    ("line", &line),
                    ("column", &column),
                    ("what", &what),
                    ("value", &value),
                    ("reason", &problem.describe()),
                ],
            ),
            t("inventory.bad_name_at_hint"),
        )
        .into()
    };
    check_name(&inventory.session.id)
        .map_err(|p| refuse("session.id", &inventory.session.id, Place::SessionId, p))?;
    if let Some(zone) = &inventory.session.timezone
        && constat_checker_core::eval::ExamZone::named(zone).is_err()
    {
        return Err(CliError::input(
            tf(
                "inventory.unknown_timezone",
                &[("file", &origin), ("value", zone)],
            ),
            t("inventory.unknown_timezone_hint"),
        )
        .into());
    }
    // Case-folded: `C01` and `c01` would share a directory on a case-insensitive disk.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (index, candidate) in inventory.candidates.iter().enumerate() {
        let what = format!("candidates[{index}].id");
        check_name(&candidate.id)
            .map_err(|p| refuse(&what, &candidate.id, Place::CandidateId(index), p))?;
        check_display_name(&candidate.name).map_err(|p| {
            refuse(
                &format!("candidates[{index}].name"),
                &candidate.name,
                Place::CandidateName(index),
                p,
            )
        })?;
        if let Some(&first) = seen.get(&candidate.id.to_ascii_lowercase()) {
            let (line, column) = position(text, Place::CandidateId(index));
            let (first_line, _) = position(text, Place::CandidateId(first));
            return Err(CliError::input(
                tf(
                    "inventory.duplicate_candidate_at",
                    &[
                        ("file", &origin),
                        ("line", &line),
                        ("column", &column),
                        ("id", &candidate.id),
                        ("first", &inventory.candidates[first].id),
                        ("first_line", &first_line),
                    ],
                ),
                t("inventory.duplicate_candidate_hint"),
            )
            .into());
        }
        seen.insert(candidate.id.to_ascii_lowercase(), index);
        for role in candidate.hosts.keys() {
            check_name(role).map_err(|p| {
                refuse(
                    &format!("candidates[{index}].hosts"),
                    role,
                    Place::CandidateHosts(index),
                    p,
                )
            })?;
        }
    }
    for role in inventory.defaults.keys() {
        check_name(role).map_err(|p| refuse("defaults", role, Place::Defaults, p))?;
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

    /// Reserved, long, dotted and case-duplicate ids, bad roles and display names: refused
    /// with the inventory's file:line:col.
    #[test]
    fn colliding_names_are_refused_where_they_are_written() {
        let head =
            "session: { id: s1, referentiel: TSSR }\ncandidates:\n  - { id: c01, name: A }\n";
        let long = "a".repeat(252);
        let mut out = String::new();
        for tail in [
            "  - { id: known_hosts, name: B }\n".to_owned(),
            "  - { id: SUMMARY, name: B }\n".to_owned(),
            "  - { id: reports, name: B }\n".to_owned(),
            format!("  - {{ id: {long}, name: B }}\n"),
            "  - { id: '..', name: B }\n".to_owned(),
            "  - { id: nul.txt, name: B }\n".to_owned(),
            "  - id: C01\n    name: B\n".to_owned(),
            "  - id: c02\n    name: \"B\\e[2J\"\n".to_owned(),
            "  - id: c02\n    name: B\n    hosts:\n      manifest: { address: 10.0.0.1 }\n"
                .to_owned(),
        ] {
            out.push_str(&error_of(&format!("{head}{tail}")));
            out.push('\n');
        }
        insta::assert_snapshot!(constat_checker_core::render::escape::terminal_lines(&out));
    }

    #[test]
    fn a_password_in_the_inventory_is_refused_without_being_repeated() {
        let text = error_of(
            "session: { id: s1, referentiel: TSSR }\ncandidates:\n  - id: c01\n    name: A\n    hosts:\n      linux: { address: 10.0.0.1, password: 'Secr3t!' }\n",
        );
        assert!(text.contains("champ inconnu « password »"), "{text}");
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
