//! The compile context: substitutes `${variables}`, compiles regexes, records diagnostics.

use crate::pack::diagnostics::{Both, Diagnostics};
use crate::pack::span::Sp;
use regex::Regex;
use std::collections::BTreeMap;

/// Context handed to each kind while it turns its YAML expectation into a matcher.
pub(crate) struct Compile<'a> {
    pub(crate) vars: &'a BTreeMap<String, String>,
    pub(crate) roles: &'a BTreeMap<String, crate::pack::raw::HostOs>,
    pub(crate) diags: &'a mut Diagnostics,
}

impl Compile<'_> {
    /// Reports a problem at a position, in both languages: `(français, English)`.
    pub(crate) fn error<T>(&mut self, at: &Sp<T>, message: Both, help: Option<Both>) {
        self.diags.push_both(at.line, at.col, message, help);
    }

    /// The text with every `${name}` replaced; unknown names are reported.
    pub(crate) fn text(&mut self, s: &Sp<String>) -> String {
        match substitute(&s.value, self.vars) {
            Ok(text) => text,
            Err(name) if name.starts_with("item.") => {
                let fields: Vec<&str> = self
                    .vars
                    .keys()
                    .filter_map(|k| k.strip_prefix("item."))
                    .collect();
                let field = &name["item.".len()..];
                let item = self.vars.get("item").map_or("", String::as_str);
                let help = if fields.is_empty() {
                    (
                        "`${item.champ}` demande des éléments for_each enregistrements : `for_each: [{dir: commercial, group: GG_Commercial}]`".to_owned(),
                        "`${item.field}` needs for_each items that are records: `for_each: [{dir: commercial, group: GG_Commercial}]`".to_owned(),
                    )
                } else {
                    let fields = fields.join(", ");
                    (
                        format!(
                            "ajoutez ce champ à chaque élément ou utilisez un champ présent : {fields}"
                        ),
                        format!("add this field to every item or use a field they have: {fields}"),
                    )
                };
                self.error(
                    s,
                    (
                        format!("champ « {field} » absent de l'élément for_each « {item} »"),
                        format!("field \"{field}\" missing from the for_each item \"{item}\""),
                    ),
                    Some(help),
                );
                s.value.clone()
            }
            Err(name) => {
                let known: Vec<&str> = self
                    .vars
                    .keys()
                    .filter(|k| !k.starts_with("item."))
                    .map(String::as_str)
                    .collect();
                let list = if known.is_empty() {
                    "(-)".to_owned()
                } else {
                    known.join(", ")
                };
                let guess = crate::pack::diagnostics::closest(&name, &known)
                    .map(|best| {
                        (
                            format!("vouliez-vous dire « ${{{best}}} » ? "),
                            format!("did you mean \"${{{best}}}\"? "),
                        )
                    })
                    .unwrap_or_default();
                self.diags.push_both(
                    s.line,
                    s.col,
                    (
                        format!("variable inconnue « ${{{name}}} »"),
                        format!("unknown variable \"${{{name}}}\""),
                    ),
                    Some((
                        format!(
                            "{}déclarez-la sous `variables:` ou utilisez une variable connue : {list}",
                            guess.0
                        ),
                        format!(
                            "{}declare it under `variables:` or use a known variable: {list}",
                            guess.1
                        ),
                    )),
                );
                s.value.clone()
            }
        }
    }

    pub(crate) fn opt_text(&mut self, s: &Option<Sp<String>>) -> Option<String> {
        s.as_ref().map(|s| self.text(s))
    }

    pub(crate) fn texts(&mut self, list: &[Sp<String>]) -> Vec<String> {
        list.iter().map(|s| self.text(s)).collect()
    }

    /// A regex compiled after substitution; a bad one is reported.
    pub(crate) fn regex(&mut self, s: &Sp<String>) -> Option<Regex> {
        let text = self.text(s);
        match regex::RegexBuilder::new(&text)
            .size_limit(crate::pack::limits::REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(re) => Some(re),
            Err(e) => {
                let message = regex_error(&text, &e);
                self.error(
                    s,
                    message,
                    Some((
                        "syntaxe du crate regex (https://docs.rs/regex) ; échappez les caractères spéciaux avec \\".to_owned(),
                        "syntax of the regex crate (https://docs.rs/regex); escape special characters with \\".to_owned(),
                    )),
                );
                None
            }
        }
    }

    pub(crate) fn opt_regex(&mut self, s: &Option<Sp<String>>) -> Option<Option<Regex>> {
        match s {
            None => Some(None),
            Some(s) => self.regex(s).map(Some),
        }
    }
}

/// A regex the crate refused, in both languages: `(French, English)`. The crate's own
/// message is quoted as it wrote it (never translated), after a French sentence in French,
/// with the column of the expression it points at; the size limit is constat's, said in words.
pub(crate) fn regex_error(text: &str, e: &regex::Error) -> (String, String) {
    match e {
        regex::Error::CompiledTooBig(limit) => (
            format!(
                "expression régulière invalide « {text} » : une fois compilée, elle dépasse la \
                 limite de {limit} octets"
            ),
            format!(
                "invalid regular expression \"{text}\": compiled, it exceeds the limit of \
                 {limit} bytes"
            ),
        ),
        other => {
            let detail = other.to_string();
            let last = detail.lines().last().unwrap_or_default();
            let said = last.strip_prefix("error: ").unwrap_or(last);
            // The crate draws a caret under the expression, indented by four spaces; a
            // multi-line expression is drawn with line numbers, so no column then.
            let column = (!text.contains('\n'))
                .then(|| {
                    detail.lines().find_map(|l| {
                        let t = l.trim_start();
                        (t.starts_with('^') && t.chars().all(|c| c == '^' || c == '~'))
                            .then(|| l[..l.len() - t.len()].chars().count().checked_sub(3))
                            .flatten()
                    })
                })
                .flatten();
            match column {
                Some(c) => (
                    format!(
                        "expression régulière invalide « {text} », colonne {c} ; message du \
                         crate regex : « {said} »"
                    ),
                    format!(
                        "invalid regular expression \"{text}\", column {c}; the regex crate \
                         says: \"{said}\""
                    ),
                ),
                None => (
                    format!(
                        "expression régulière invalide « {text} » ; message du crate regex : \
                         « {said} »"
                    ),
                    format!(
                        "invalid regular expression \"{text}\"; the regex crate says: \"{said}\""
                    ),
                ),
            }
        }
    }
}

/// Replaces `${name}` by its value. Returns the first unknown name on failure.
pub(crate) fn substitute(text: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    if !text.contains("${") {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        match vars.get(name) {
            Some(value) => out.push_str(value),
            None => return Err(name.to_owned()),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Names referenced as `${name}` in a text.
pub(crate) fn references(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        names.push(&after[..end]);
        rest = &after[end + 1..];
    }
    names
}
