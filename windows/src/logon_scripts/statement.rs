//! What the three script parsers share: logical lines (continuations joined, first line
//! kept), shell-style tokens, drive letters, and the cut statement text kept as evidence.

/// One logical line: continued physical lines joined, numbered by the first one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Logical {
    /// 1-based line of the first physical line.
    pub(crate) line: u32,
    /// The joined text.
    pub(crate) text: String,
}

/// Joins lines that `continued` says go on (it returns the line without its marker).
pub(crate) fn logical_lines(text: &str, continued: fn(&str) -> Option<&str>) -> Vec<Logical> {
    let mut out = Vec::new();
    let mut current: Option<Logical> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let (body, more) = match continued(raw) {
            Some(body) => (body, true),
            None => (raw, false),
        };
        let entry = current.get_or_insert_with(|| Logical {
            line: number,
            text: String::new(),
        });
        if !entry.text.is_empty() {
            entry.text.push(' ');
        }
        entry.text.push_str(body);
        if !more && let Some(done) = current.take() {
            out.push(done);
        }
    }
    out.extend(current);
    out
}

/// A token of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// A word, quotes removed (`quoted` when any part was quoted).
    Word {
        /// The text without its quotes.
        text: String,
        /// Some part was quoted.
        quoted: bool,
    },
    /// A command separator or grouping character outside quotes (`&`, `|`, `;`, `(`, `)`,
    /// `>`, `<`, `{`, `}`).
    Separator(char),
}

impl Token {
    pub(crate) fn word(&self) -> Option<&str> {
        match self {
            Token::Word { text, .. } => Some(text),
            Token::Separator(_) => None,
        }
    }
}

/// Quoting rules of the language being tokenised.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quoting {
    /// `'` quotes too (PowerShell), not only `"` (cmd).
    pub(crate) single: bool,
    /// Characters that separate commands outside quotes.
    pub(crate) separators: &'static str,
}

/// cmd.exe: `"` only; `&`, `|`, `(`, `)`, `<`, `>` separate.
pub(crate) const CMD: Quoting = Quoting {
    single: false,
    separators: "&|()<>",
};

/// PowerShell: `'` and `"`; `;`, `|`, `(`, `)`, `{`, `}` separate.
pub(crate) const POWERSHELL: Quoting = Quoting {
    single: true,
    separators: ";|(){}",
};

/// Splits a statement into words and separators. An unclosed quote runs to the end.
pub(crate) fn tokens(text: &str, quoting: Quoting) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    let flush = |out: &mut Vec<Token>, word: &mut String, quoted: &mut bool, in_word: &mut bool| {
        if *in_word {
            out.push(Token::Word {
                text: std::mem::take(word),
                quoted: *quoted,
            });
        }
        *quoted = false;
        *in_word = false;
    };
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' if c == '"' || quoting.single => {
                in_word = true;
                quoted = true;
                while let Some(q) = chars.next() {
                    if q == c {
                        // A doubled quote inside quotes is the quote itself ('' and "").
                        if chars.peek() == Some(&c) {
                            chars.next();
                            word.push(c);
                            continue;
                        }
                        break;
                    }
                    word.push(q);
                }
            }
            c if c.is_whitespace() => flush(&mut out, &mut word, &mut quoted, &mut in_word),
            c if quoting.separators.contains(c) => {
                flush(&mut out, &mut word, &mut quoted, &mut in_word);
                out.push(Token::Separator(c));
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    flush(&mut out, &mut word, &mut quoted, &mut in_word);
    out
}

/// The program name of a command word: `C:\Windows\System32\NET.EXE` → `net`.
pub(crate) fn program(word: &str) -> String {
    let base = word.rsplit(['\\', '/']).next().unwrap_or(word);
    let lower = base.to_ascii_lowercase();
    lower
        .strip_suffix(".exe")
        .map_or_else(|| lower.clone(), str::to_owned)
}

/// A drive letter as written (`S:`, `s`, `"S:"`, `S:\`), upper case without the colon.
pub(crate) fn drive_letter(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches('\\');
    let t = t.strip_suffix(':').unwrap_or(t);
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_uppercase().to_string()),
        _ => None,
    }
}

/// A word that can be a remote path: a UNC path, or one built from a variable.
pub(crate) fn looks_like_remote_path(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("\\\\") || t.starts_with('%') || t.starts_with('$') || t.starts_with("//")
}

/// At most this many characters of a statement are kept.
pub(crate) const MAX_STATEMENT_CHARS: usize = 300;

/// The statement kept as evidence: trimmed, control characters removed, cut.
pub(crate) fn kept_statement(text: &str) -> String {
    let clean: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() <= MAX_STATEMENT_CHARS {
        return clean;
    }
    let mut cut: String = clean.chars().take(MAX_STATEMENT_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Words joined back into a command line, quoting those that were quoted.
pub(crate) fn rejoin(words: &[(String, bool)]) -> String {
    words
        .iter()
        .map(|(w, quoted)| {
            if *quoted {
                format!("\"{w}\"")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continued_lines_keep_their_first_number() {
        let lines = logical_lines("a ^\nb\nc\n", |l| l.strip_suffix('^'));
        assert_eq!(
            lines,
            vec![
                Logical {
                    line: 1,
                    text: "a  b".to_owned()
                },
                Logical {
                    line: 3,
                    text: "c".to_owned()
                }
            ]
        );
    }

    #[test]
    fn tokens_respect_quotes_and_separators() {
        let t = tokens(r#"if not exist S: net use S: "\\srv\a b" & echo ok"#, CMD);
        let words: Vec<_> = t.iter().map(|t| t.word().unwrap_or("<sep>")).collect();
        assert_eq!(
            words,
            [
                "if",
                "not",
                "exist",
                "S:",
                "net",
                "use",
                "S:",
                r"\\srv\a b",
                "<sep>",
                "echo",
                "ok"
            ]
        );
        let t = tokens("New-PSDrive -Root 'it''s' ; x", POWERSHELL);
        assert_eq!(t[2].word(), Some("it's"));
        assert_eq!(t[3], Token::Separator(';'));
    }

    #[test]
    fn letters_and_programs() {
        assert_eq!(drive_letter("s:"), Some("S".to_owned()));
        assert_eq!(drive_letter("S:\\"), Some("S".to_owned()));
        assert_eq!(drive_letter("SS:"), None);
        assert_eq!(program(r"%SystemRoot%\System32\NET.EXE"), "net");
        assert_eq!(kept_statement(&"x".repeat(400)).chars().count(), 300);
    }
}
