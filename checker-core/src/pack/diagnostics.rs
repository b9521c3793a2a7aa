//! Diagnostics: every problem found in a pack, with file, line, column and a fix.

use crate::i18n::Lang;
use serde::Serialize;
use std::fmt;

/// One problem in a pack file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// File name as given to [`crate::pack::load`].
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub col: u32,
    /// What is wrong (French, for trainers; every diagnostic also has its English).
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The message in English, when it has one (`--lang en`).
    #[serde(skip)]
    pub message_en: Option<String>,
    /// The help in English, when it has one.
    #[serde(skip)]
    pub help_en: Option<String>,
}

impl Diagnostic {
    /// The message in `lang` (French when no English text was written for it).
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.message,
        }
    }

    /// The help in `lang`.
    pub fn help_in(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.help_en) {
            (Lang::En, Some(en)) => Some(en),
            _ => self.help.as_deref(),
        }
    }

    /// `file:line:col: erreur : message` and its help, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let (error, help) = match lang {
            Lang::Fr => ("erreur : ", "aide : "),
            Lang::En => ("error: ", "help: "),
        };
        let mut out = format!(
            "{}:{}:{}: {error}{}",
            self.file,
            self.line,
            self.col,
            self.message_in(lang)
        );
        if let Some(text) = self.help_in(lang) {
            out.push_str(&format!("\n  {help}{text}"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::Fr))
    }
}

/// A text in both languages: `(français, English)`. Every diagnostic is written in both
/// (issue 14 item 5: `--lang en validate` prints no French).
pub(crate) type Both = (String, String);

/// Collects diagnostics for one file.
#[derive(Debug)]
pub(crate) struct Diagnostics {
    file: String,
    pub(crate) list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn new(file: &str) -> Self {
        Diagnostics {
            file: file.to_owned(),
            list: Vec::new(),
        }
    }

    /// Reports under another file name from now on (an included check's own file);
    /// returns the previous name.
    pub(crate) fn set_file(&mut self, file: &str) -> String {
        std::mem::replace(&mut self.file, file.to_owned())
    }

    /// A problem written in both languages: `(français, English)`.
    pub(crate) fn push_both(&mut self, line: u32, col: u32, message: Both, help: Option<Both>) {
        let (help, help_en) = match help {
            Some((fr, en)) => (Some(fr), Some(en)),
            None => (None, None),
        };
        self.list.push(Diagnostic {
            file: self.file.clone(),
            line,
            col,
            message: message.0,
            help,
            message_en: Some(message.1),
            help_en,
        });
    }

    /// Sorted by position, duplicates removed.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        self.list.sort();
        self.list.dedup();
        self.list
    }
}

/// Renders every diagnostic, one block each (French).
pub fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    render_diagnostics_in(diagnostics, Lang::Fr)
}

/// Renders every diagnostic in `lang`, one block each.
pub fn render_diagnostics_in(diagnostics: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.render(lang));
        out.push('\n');
    }
    out.push_str(&match lang {
        Lang::Fr => format!("{} erreur(s)\n", diagnostics.len()),
        Lang::En => format!("{} error(s)\n", diagnostics.len()),
    });
    out
}

/// A parser's (serde's) English message in French: `invalid type: string "x", expected a
/// boolean` → `type invalide : texte "x" au lieu d'un booléen (true/false)`. The parts it does
/// not know stay as written (a name, a value); a message of another shape is returned as is.
pub fn parser_message_fr(message: &str) -> String {
    fn unexpected(u: &str) -> String {
        const KINDS: &[(&str, &str)] = &[
            ("boolean ", "booléen "),
            ("integer ", "entier "),
            ("floating point ", "nombre décimal "),
            ("string ", "texte "),
            ("char ", "caractère "),
        ];
        for (en, fr) in KINDS {
            if let Some(rest) = u.strip_prefix(en) {
                return format!("{fr}{rest}");
            }
        }
        match u {
            "unit value" => "valeur vide".to_owned(),
            "sequence" => "liste".to_owned(),
            "map" => "dictionnaire".to_owned(),
            "enum" => "énumération".to_owned(),
            other => other.to_owned(),
        }
    }
    fn expected(e: &str) -> String {
        let e = e.trim_end_matches('.');
        match e {
            "a boolean" => "d'un booléen (true/false)".to_owned(),
            "a string" | "a borrowed string" => "d'un texte".to_owned(),
            "a sequence" => "d'une liste".to_owned(),
            "a map" => "d'un dictionnaire".to_owned(),
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
                format!("d'un entier ({e})")
            }
            "f32" | "f64" => "d'un nombre".to_owned(),
            other => match other.strip_prefix("struct ") {
                Some(name) => format!("d'un dictionnaire ({name})"),
                None => format!("de : {other}"),
            },
        }
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((u, e)) = rest.split_once(", expected ")
    {
        return format!("type invalide : {} au lieu {}", unexpected(u), expected(e));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((u, e)) = rest.split_once(", expected ")
    {
        return format!(
            "valeur invalide : {} au lieu {}",
            unexpected(u),
            expected(e)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((n, e)) = rest.split_once(", expected ")
    {
        return format!("longueur invalide {n} au lieu {}", expected(e));
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return format!("champ {rest} en double");
    }
    // The YAML parser's own messages (serde-saphyr), the frequent ones.
    const PARSER: &[(&str, &str)] = &[
        ("unexpected end of input", "fin du texte inattendue"),
        ("unexpected end of file", "fin du fichier inattendue"),
        (
            "invalid boolean (strict mode expects true/false)",
            "booléen invalide (true ou false attendu)",
        ),
        (
            "invalid boolean (true or false expected)",
            "booléen invalide (true ou false attendu)",
        ),
        ("null is not allowed here", "valeur vide interdite ici"),
        (
            "cannot deserialize null into string; use Option<String>",
            "valeur vide au lieu d'un texte",
        ),
        (
            "alias references unknown anchor",
            "l'alias cite une ancre inconnue",
        ),
        (
            "duplicate mapping key not allowed here",
            "clé en double interdite ici",
        ),
        (
            "YAML document too large or too complex",
            "document YAML trop grand ou trop complexe",
        ),
        (
            "input is not valid UTF-8",
            "le texte n'est pas de l'UTF-8 valide",
        ),
        (
            "value requires quoting",
            "la valeur doit être entre guillemets",
        ),
    ];
    if let Some((_, fr)) = PARSER.iter().find(|(en, _)| *en == message) {
        return (*fr).to_owned();
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key ") {
        return format!(
            "clé {}",
            rest.replace("is not allowed here", "en double interdite ici")
        );
    }
    if let Some(ty) = message.strip_prefix("invalid ")
        && !ty.contains(' ')
    {
        return format!("valeur invalide pour le type {ty}");
    }
    if let Some(expected) = message.strip_prefix("expected ") {
        return format!("attendu : {expected}");
    }
    message.to_owned()
}

/// Edit distance between two names (Levenshtein, on characters), for "did you mean".
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The known name closest to `unknown`, if it is close enough to be a typo.
pub fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = (unknown.chars().count() / 3).max(2);
    known
        .iter()
        .map(|k| (distance(unknown, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_messages_are_shown_in_french() {
        for (en, fr) in [
            (
                "invalid type: string \"many\", expected usize",
                "type invalide : texte \"many\" au lieu d'un entier (usize)",
            ),
            (
                "invalid type: map, expected a sequence",
                "type invalide : dictionnaire au lieu d'une liste",
            ),
            ("invalid u64", "valeur invalide pour le type u64"),
            ("duplicate field `id`", "champ `id` en double"),
            ("unexpected end of input", "fin du texte inattendue"),
            ("something else entirely", "something else entirely"),
        ] {
            assert_eq!(parser_message_fr(en), fr);
        }
    }
}
