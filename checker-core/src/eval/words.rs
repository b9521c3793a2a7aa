//! Language-neutral evidence values: the stable English words and phrases the kinds write
//! into a report's `expected`/`actual`, and their French display text (issue 14 item 5).
//!
//! The model (and so `--format json`, `report.json`) only ever holds the English form;
//! renderers show [`display`]'s text in the reader's language, and `render::for_reader` puts
//! it beside the value as `display`. A phrase is a template whose `{}` stand for host or pack
//! data (kept as is, never translated). To add one: write the English in the kind, add the
//! pair here; the test `checks/src/one_language_tests.rs` fails on a French word left in the
//! JSON of any shipped pack graded on any fixture.

use crate::i18n::Lang;

/// Whole values: `(English in the model, French display)`.
const WORDS: &[(&str, &str)] = &[
    ("listening", "en écoute"),
    ("closed", "fermé"),
    ("unknown", "inconnu"),
    ("(unknown)", "(inconnu)"),
    ("present", "présent"),
    ("absent", "absent"),
    ("(absent)", "(absent)"),
    ("installed", "installé"),
    ("not installed", "non installé"),
    ("enabled", "activé"),
    ("disabled", "désactivé"),
    ("none", "aucun"),
    ("(none)", "(aucun)"),
    ("collected", "collecté"),
    ("not collected", "non collecté"),
    ("observed", "observé"),
    (
        "no snapshot given for this role",
        "aucun snapshot fourni pour ce rôle",
    ),
    ("absent at the start", "absent au début"),
    (
        "no start state to compare with",
        "pas d'état initial pour comparer",
    ),
    ("start state not assessable", "état initial non évaluable"),
    ("configured", "configurée"),
    ("applied", "appliquée"),
    ("allowed", "autorisé"),
    ("blocked", "bloqué"),
    ("always allowed", "toujours autorisé"),
    ("never allowed", "jamais autorisé"),
    ("always", "toujours"),
    ("user", "utilisateur"),
    ("computer", "ordinateur"),
    ("system", "système"),
    ("monitored", "supervisé"),
    ("reported", "rapporté"),
    ("not found", "non trouvé"),
    ("(not read)", "(non lu)"),
    ("content not reported", "contenu non rapporté"),
    ("for the jury to check", "à vérifier par le jury"),
    ("not assessable", "non évaluable"),
    ("no WMI filter", "aucun filtre WMI"),
    ("linked nowhere", "liée nulle part"),
];

/// Phrases with `{}` placeholders: `(English in the model, French display)`.
const PHRASES: &[(&str, &str)] = &[
    ("not collected: {}", "non collecté : {}"),
    ("error: {}", "erreur : {}"),
    ("includes {}", "contient {}"),
    ("[{}]; missing {}", "[{}] ; manque {}"),
    ("present ({})", "présent ({})"),
    ("found: {}", "trouvé : {}"),
    ("applies to: {}", "s'applique à : {}"),
    ("applies exactly to: {}", "s'applique exactement à : {}"),
    ("not observed: {}", "non relevé : {}"),
    ("not read: {}", "non lu : {}"),
];

/// The display text of a neutral value in `lang` (`None` when it is not one, or when the
/// English is shown as is).
pub(crate) fn display(lang: Lang, value: &str) -> Option<String> {
    if let Some((_, fr)) = WORDS.iter().find(|(en, _)| *en == value) {
        return Some(match lang {
            Lang::Fr => (*fr).to_owned(),
            Lang::En => value.to_owned(),
        });
    }
    for (en, fr) in PHRASES {
        if let Some(parts) = matches(en, value) {
            return Some(match lang {
                Lang::Fr => fill(fr, &parts),
                Lang::En => value.to_owned(),
            });
        }
    }
    None
}

/// The data standing for each `{}` of `template` in `value`, when `value` is written that way.
fn matches<'v>(template: &str, value: &'v str) -> Option<Vec<&'v str>> {
    let literals: Vec<&str> = template.split("{}").collect();
    let (first, rest) = literals.split_first()?;
    let mut tail = value.strip_prefix(first)?;
    let mut parts = Vec::new();
    for (i, literal) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let at = if last {
            // The last literal closes the value.
            tail.len()
                .checked_sub(literal.len())
                .filter(|&at| tail.is_char_boundary(at) && tail[at..] == **literal)?
        } else if literal.is_empty() {
            return None;
        } else {
            tail.find(literal)?
        };
        parts.push(&tail[..at]);
        tail = &tail[at + literal.len()..];
    }
    Some(parts)
}

/// `template` with its `{}` replaced, in order, by `parts`.
fn fill(template: &str, parts: &[&str]) -> String {
    let mut out =
        String::with_capacity(template.len() + parts.iter().map(|p| p.len()).sum::<usize>());
    let mut parts = parts.iter();
    let mut literals = template.split("{}").peekable();
    while let Some(literal) = literals.next() {
        out.push_str(literal);
        if literals.peek().is_some() {
            out.push_str(parts.next().copied().unwrap_or_default());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases_are_shown_in_french_and_kept_in_english() {
        assert_eq!(display(Lang::Fr, "listening").as_deref(), Some("en écoute"));
        assert_eq!(display(Lang::En, "listening").as_deref(), Some("listening"));
        assert_eq!(
            display(Lang::Fr, "[alice, bob]; missing carol").as_deref(),
            Some("[alice, bob] ; manque carol")
        );
        assert_eq!(
            display(Lang::Fr, "not collected: sshd absent").as_deref(),
            Some("non collecté : sshd absent")
        );
        assert_eq!(display(Lang::Fr, "/bin/bash"), None);
        assert_eq!(display(Lang::Fr, "present (x"), None);
    }

    /// Every entry has the same placeholders in both languages, no French in the English,
    /// and no two English forms are the same.
    #[test]
    fn the_catalogue_is_consistent() {
        let mut seen = std::collections::BTreeSet::new();
        for (en, fr) in WORDS.iter().chain(PHRASES) {
            assert_eq!(en.matches("{}").count(), fr.matches("{}").count(), "{en}");
            assert!(
                !en.chars().any(|c| "àâçéèêëîïôûùüÿœ«»".contains(c)),
                "French in the English form {en}"
            );
            assert!(seen.insert(*en), "{en} twice");
        }
    }
}
