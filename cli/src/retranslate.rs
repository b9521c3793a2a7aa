//! A message stored in one language, shown in the reader's: a host failure is written into
//! `manifest.json` in the language of the `session run` that met it, and `session status` or
//! `session regrade` may run with the other `--lang`. The stored text is matched against the
//! catalogue's templates of the other language (literal parts in order, `{name}` slots
//! between them) and filled into the same key's template of the current language; slot
//! values are converted the same way (a nested message), and the operating system's own
//! words follow the current language (`i18n::os_errors`). Text that fits no template (host
//! output, a newer version's message) is kept as written.

use crate::i18n::{CATALOGUE, Lang, lang, os_errors};
use constat_checker_core::i18n::Lang as CoreLang;

/// How deep nested messages are converted (a message inside a message inside a message).
const MAX_DEPTH: usize = 3;
/// Places tried for the slots' ends in one match, all levels together: a host's text full of
/// a template's literals never costs more than this.
const MAX_TRIES: usize = 4096;
/// Literal characters (not spaces or punctuation) a template needs to be trusted: `{a} : {b}`
/// would match any text holding a colon.
const MIN_LITERAL: usize = 6;

/// `text` in the current language when it is one of the catalogue's messages in the other.
pub fn in_current_lang(text: &str) -> String {
    os_errors(&convert(text, lang(), 0))
}

fn core(lang: Lang) -> CoreLang {
    match lang {
        Lang::Fr => CoreLang::Fr,
        Lang::En => CoreLang::En,
    }
}

fn convert(text: &str, to: Lang, depth: usize) -> String {
    if depth >= MAX_DEPTH || text.trim().is_empty() {
        return text.to_owned();
    }
    let from = match to {
        Lang::Fr => Lang::En,
        Lang::En => Lang::Fr,
    };
    let best = |lang: Lang| {
        CATALOGUE
            .texts(core(lang))
            .filter_map(|(key, template)| {
                let weight = literal_weight(template);
                if weight < MIN_LITERAL {
                    return None;
                }
                matches(template, text).map(|slots| {
                    let balanced = slots.iter().all(|(_, value)| balanced(value));
                    ((balanced, weight), key, slots)
                })
            })
            .max_by_key(|(fit, _, _)| *fit)
    };
    let Some((fit, key, slots)) = best(from) else {
        return text.to_owned();
    };
    // Already in the current language (a template there fits at least as well).
    if best(to).is_some_and(|(own, _, _)| own >= fit) {
        return text.to_owned();
    }
    let Some(target) = CATALOGUE.text(core(to), key) else {
        return text.to_owned();
    };
    let values: Vec<(String, String)> = slots
        .into_iter()
        .map(|(name, value)| {
            let value = convert(&value, to, depth + 1);
            (name, value)
        })
        .collect();
    let args: Vec<(&str, &dyn std::fmt::Display)> = values
        .iter()
        .map(|(name, value)| (name.as_str(), value as &dyn std::fmt::Display))
        .collect();
    constat_checker_core::i18n::catalogue::fill(target, &args)
}

/// Whether `value`'s parentheses pair up: a template whose slots cut a parenthesised group
/// (`… (ligne {line}, colonne {column})` over `… (ligne 1, colonne 1) (détail : …)`) fits
/// worse than one whose slots keep groups whole (`{phrase} (détail : {detail})`).
fn balanced(value: &str) -> bool {
    let mut depth = 0usize;
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

/// Letters and digits outside the `{name}` slots.
fn literal_weight(template: &str) -> usize {
    pieces(template)
        .0
        .iter()
        .map(|p| p.chars().filter(|c| c.is_alphanumeric()).count())
        .sum()
}

/// A template's literal pieces (one more than its slots) and slot names.
fn pieces(template: &str) -> (Vec<&str>, Vec<&str>) {
    let mut literals = Vec::new();
    let mut names = Vec::new();
    let mut rest = template;
    loop {
        let Some(start) = rest.find('{') else {
            literals.push(rest);
            break;
        };
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            literals.push(rest);
            break;
        };
        let name = &after[..end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            // Not a slot (`{` in the text itself): keep it in the literal.
            literals.push(rest);
            break;
        }
        literals.push(&rest[..start]);
        names.push(name);
        rest = &after[end + 1..];
    }
    (literals, names)
}

/// The slot values when `text` is `template` with its slots filled, each slot non-empty.
fn matches(template: &str, text: &str) -> Option<Vec<(String, String)>> {
    let (literals, names) = pieces(template);
    if literals.len() != names.len() + 1 {
        return None;
    }
    let rest = text.strip_prefix(literals[0])?;
    let mut values = Vec::new();
    if !fill_slots(rest, &literals[1..], &mut values, &mut 0) {
        return None;
    }
    Some(names.iter().map(|n| (*n).to_owned()).zip(values).collect())
}

/// Backtracking over where each slot ends ([`MAX_TRIES`] in all).
fn fill_slots(text: &str, literals: &[&str], values: &mut Vec<String>, tries: &mut usize) -> bool {
    let Some((literal, later)) = literals.split_first() else {
        return text.is_empty();
    };
    if later.is_empty() {
        // The last literal ends the text.
        return match text.strip_suffix(literal) {
            Some(value) if !value.is_empty() => {
                values.push(value.to_owned());
                true
            }
            _ => false,
        };
    }
    if literal.is_empty() {
        return false;
    }
    let mut from = 1;
    while let Some(found) = text.get(from..).and_then(|t| t.find(literal)) {
        *tries += 1;
        if *tries > MAX_TRIES {
            return false;
        }
        let at = from + found;
        values.push(text[..at].to_owned());
        if fill_slots(&text[at + literal.len()..], later, values, tries) {
            return true;
        }
        values.pop();
        from = at + 1;
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{tf, with_lang};

    /// A host failure recorded by a French run reads in English in `--lang en session
    /// status`, its nested OS error too; and the other way round.
    #[test]
    fn a_stored_message_reads_in_the_current_language() {
        // Thread-local languages: other tests set the process's.
        let message = |lang| {
            with_lang(lang, || {
                tf(
                    "ssh.key_file",
                    &[
                        ("file", &"/tmp/k"),
                        ("error", &"No such file or directory (os error 2)"),
                    ],
                )
            })
        };
        let (french, english) = (message(Lang::Fr), message(Lang::En));
        assert_ne!(french, english);
        assert_eq!(with_lang(Lang::En, || in_current_lang(&french)), english);
        with_lang(Lang::Fr, || {
            let shown = in_current_lang(&english);
            assert_eq!(shown, os_errors(&french), "French, OS error included");
            assert!(shown.contains("erreur système 2"), "{shown}");
            // Already in the current language, or host text: unchanged.
            assert_eq!(in_current_lang(&shown), shown);
            assert_eq!(
                in_current_lang("sudo: exam is not in the sudoers file"),
                "sudo: exam is not in the sudoers file"
            );
            assert_eq!(in_current_lang(""), "");
            // A value holding a slot's name is not filled again.
            let odd = "unreadable private key {error}: boom";
            let shown = in_current_lang(odd);
            assert_eq!(shown, "clé privée {error} illisible : boom");
        });
    }

    /// A library failure recorded by a French run (our phrase, then « détail : » and the
    /// library's text) reads wholly in English: the phrase is converted, the detail keeps
    /// the library's words with the OS's in English.
    #[test]
    fn a_worded_library_failure_reads_in_the_other_language() {
        let message = |lang| {
            with_lang(lang, || {
                let refused = std::io::Error::from_raw_os_error(111);
                tf(
                    "ssh.connect_failed",
                    &[
                        ("address", &"10.0.1.20"),
                        ("port", &22),
                        (
                            "error",
                            &os_errors(&crate::transport::cause_of_io(&refused)),
                        ),
                    ],
                )
            })
        };
        let (french, english) = (message(Lang::Fr), message(Lang::En));
        assert!(french.contains("(détail : connexion refusée"), "{french}");
        // A phrase with slots of its own inside the detail wrapper.
        let junk = |lang| {
            with_lang(lang, || {
                let text = "Segmentation fault? not JSON";
                let error = constat_snapshot::Snapshot::from_json(text).unwrap_err();
                tf(
                    "transport.bad_output",
                    &[
                        ("error", &crate::transport::cause_of_snapshot(&error, text)),
                        ("start", &format!("{text:?}")),
                    ],
                )
            })
        };
        let (junk_fr, junk_en) = (junk(Lang::Fr), junk(Lang::En));
        assert_eq!(with_lang(Lang::En, || in_current_lang(&junk_fr)), junk_en);
        assert_eq!(with_lang(Lang::Fr, || in_current_lang(&junk_en)), junk_fr);
        assert_eq!(with_lang(Lang::En, || in_current_lang(&french)), english);
        assert_eq!(
            with_lang(Lang::Fr, || in_current_lang(&english)),
            french,
            "and back"
        );
    }

    #[test]
    fn templates_match_whole_texts_only() {
        assert_eq!(
            matches("a {x} b {y} c", "a 1 b 2 b 3 c"),
            Some(vec![
                ("x".to_owned(), "1".to_owned()),
                ("y".to_owned(), "2 b 3".to_owned())
            ])
        );
        assert_eq!(matches("a {x} b", "a  b c"), None);
        assert_eq!(matches("a {x}", "a "), None);
        // A host's text full of the literals: the search gives up, it does not hang.
        let flood = format!("a {}c", " b ".repeat(5_000));
        assert_eq!(matches("a {x} b {y} b {z} b {w} d", &flood), None);
        assert_eq!(
            matches("{x} é {y}", "1 é 2"),
            Some(vec![
                ("x".to_owned(), "1".to_owned()),
                ("y".to_owned(), "2".to_owned())
            ])
        );
    }
}
