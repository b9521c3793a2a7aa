//! The shape of a table of user-facing texts, `(key, français, English)`, shared by the
//! CLI's and the server's catalogues (each keeps its own texts): lookup, the whole table of
//! a language, `{name}` placeholders, and the checks their tests run.

use super::Lang;
use std::collections::BTreeSet;
use std::fmt::Display;

/// A catalogue: `(key, français, English)` entries.
#[derive(Debug, Clone, Copy)]
pub struct Catalogue(pub &'static [(&'static str, &'static str, &'static str)]);

impl Catalogue {
    /// The text of `key` in `lang` (`None`: an unknown key, which the catalogues' tests
    /// prevent).
    pub fn text(self, lang: Lang, key: &str) -> Option<&'static str> {
        self.0
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, fr, en)| pick(lang, fr, en))
    }

    /// Every key with its text in `lang`, in catalogue order.
    pub fn texts(self, lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
        self.0
            .iter()
            .map(move |(k, fr, en)| (*k, pick(lang, fr, en)))
    }

    /// Every key.
    pub fn keys(self) -> impl Iterator<Item = &'static str> {
        self.0.iter().map(|(k, _, _)| *k)
    }

    /// What is wrong with the catalogue, one line each: a key given twice, a text missing in
    /// a language, placeholders that differ between the languages.
    pub fn problems(self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut problems = Vec::new();
        for (key, fr, en) in self.0 {
            if !seen.insert(*key) {
                problems.push(format!("{key}: given twice"));
            }
            if fr.trim().is_empty() || en.trim().is_empty() {
                problems.push(format!("{key}: a language's text is missing"));
            }
            if placeholders(fr) != placeholders(en) {
                problems.push(format!("{key}: the placeholders differ"));
            }
        }
        problems
    }
}

fn pick(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// The `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        found.insert(&after[..end]);
        rest = &after[end + 1..];
    }
    found
}

/// `text` with its `{name}` placeholders replaced by `args`.
pub fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    // One pass over the template: a value holding `{name}` (a host's text, a path) is shown
    // as it is, never filled in turn.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let arg = after.find('}').and_then(|end| {
            let name = &after[..end];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, value)| (end, value))
        });
        match arg {
            Some((end, value)) => {
                out.push_str(&value.to_string());
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: Catalogue = Catalogue(&[
        ("hello", "bonjour {name}", "hello {name}"),
        ("bye", "au revoir", "bye"),
    ]);

    /// A value is put in once: a `{name}` inside it (a host's text) is never filled.
    #[test]
    fn a_value_is_never_filled_again() {
        assert_eq!(
            fill(
                "key {file}: {error}",
                &[("file", &"{error}"), ("error", &"boom")]
            ),
            "key {error}: boom"
        );
        assert_eq!(fill("{a} {b} {", &[("a", &1)]), "1 {b} {");
    }

    #[test]
    fn texts_are_found_filled_and_listed_per_language() {
        assert_eq!(GOOD.text(Lang::En, "bye"), Some("bye"));
        assert_eq!(GOOD.text(Lang::Fr, "nope"), None);
        let text = GOOD.text(Lang::Fr, "hello").unwrap_or_default();
        assert_eq!(fill(text, &[("name", &"Ada")]), "bonjour Ada");
        let keys: Vec<&str> = GOOD.keys().collect();
        assert_eq!(keys, ["hello", "bye"]);
        assert_eq!(GOOD.texts(Lang::En).nth(1), Some(("bye", "bye")));
        assert!(GOOD.problems().is_empty());
    }

    #[test]
    fn a_bad_catalogue_says_each_problem() {
        let bad = Catalogue(&[("a", "x {n}", "x {m}"), ("a", "", "y")]);
        assert_eq!(
            bad.problems(),
            [
                "a: the placeholders differ",
                "a: given twice",
                "a: a language's text is missing"
            ]
        );
    }
}
