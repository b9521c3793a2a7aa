//! Escapers, one per destination, for every string that may come from a candidate's host
//! (hostnames, GECOS names, cron lines, file heads, collector errors): the output side of the
//! trust boundary.
//!
//! | destination | function | what it does |
//! |---|---|---|
//! | terminal, logs | [`terminal`], [`terminal_lines`] | control characters made visible (line breaks kept by the second) |
//! | Markdown text / table cell | [`markdown`] | visible + structure characters backslash-escaped |
//! | Markdown code span | [`markdown_code`] | visible + backticks replaced |
//! | CSV field | [`csv_field`] | formula guard + visible + RFC 4180 quoting |
//! | HTML text and attributes | [`html`] | visible + `& < > " '` as entities |
//! | XML (JUnit) text and attributes | [`xml`] | same as HTML: invalid XML characters made visible |
//!
//! "Control characters" are C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F) and the bidirectional
//! overrides and isolates (U+202A–U+202E, U+2066–U+2069, which reorder text as in
//! Trojan Source), plus U+200E/U+200F/U+061C marks. They are written as `\x1b` (C0, DEL),
//! `\n`, `\r`, `\t`, or `\u{202e}` (others), so an escape sequence can neither clear a terminal,
//! write its clipboard (OSC 52), rename its window, nor reorder what the jury reads.

use std::borrow::Cow;

/// Whether a character must be made visible before reaching any output.
pub fn is_control(c: char) -> bool {
    c.is_control() // C0, DEL, C1
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

fn push_visible(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Makes every control character visible, keeping `keep` as is (e.g. newlines in HTML).
fn visible_except<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !text.chars().any(|c| is_control(c) && !keep.contains(&c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) && !keep.contains(&c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// For a terminal (and any plain-text log): every control character made visible, newlines
/// included (a host string is one line of output).
pub fn terminal(text: &str) -> Cow<'_, str> {
    visible_except(text, &[])
}

/// For multi-line terminal text (an error chain, a status grid): as [`terminal`] but line
/// breaks are kept (a carriage return is not: it could overwrite the line the jury reads).
pub fn terminal_lines(text: &str) -> Cow<'_, str> {
    visible_except(text, &['\n'])
}

/// For Markdown inline text and table cells: control characters visible, newlines as spaces,
/// and every character that would change structure backslash-escaped (`|` of tables, `#`
/// headings, `` ` `` code, `*`/`_` emphasis, `[`/`]` links, `<`/`>` raw HTML and quotes,
/// `&` entities, `\`).
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' | '&' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' => out.push(' '),
            c if is_control(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// For the inside of a Markdown code span (`` `…` ``): control characters visible, backticks
/// replaced by `'` (a code span cannot escape them).
pub fn markdown_code(text: &str) -> String {
    terminal(text).replace('`', "'")
}

/// Characters after which a spreadsheet (Excel, LibreOffice, Google Sheets) evaluates a cell
/// as a formula, including the fullwidth forms some of them normalise.
const FORMULA_START: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// Whether a spreadsheet could evaluate this cell: it starts (after any leading whitespace)
/// with a formula character, or starts with TAB, CR, LF or NUL. Plain numbers (`-3`, `+1.5`)
/// are not formulas.
pub fn is_formula(text: &str) -> bool {
    if text.starts_with(['\t', '\r', '\n', '\0']) {
        return true;
    }
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\0');
    trimmed.starts_with(FORMULA_START)
        && (trimmed.len() != text.len() || text.parse::<f64>().is_err())
}

/// For one CSV field: formula guard (a leading `'`), control characters visible, quoted when it
/// holds a separator, a quote or a semicolon (RFC 4180).
pub fn csv_field(text: &str) -> String {
    let guarded = if is_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    };
    let text = terminal(&guarded);
    if text.contains([',', '"', ';']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}

/// For HTML element content and attribute values: control characters visible (newlines and
/// tabs kept: they are whitespace in HTML), then `& < > " '` as entities.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in visible_except(text, &['\n', '\t']).chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// For XML text and attributes (JUnit): as [`html`]; every character XML 1.0 forbids (C0 but
/// TAB and LF, U+FFFE, U+FFFF) is made visible too, so the document always parses.
pub fn xml(text: &str) -> String {
    let text: Cow<'_, str> = if text.contains(['\u{fffe}', '\u{ffff}']) {
        Cow::Owned(
            text.replace('\u{fffe}', "\\u{fffe}")
                .replace('\u{ffff}', "\\u{ffff}"),
        )
    } else {
        Cow::Borrowed(text)
    };
    html(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a hostile host sends: clear screen, OSC 52 clipboard write, OSC 0 window title,
    /// a C1 CSI, a Trojan-Source right-to-left override and isolate, Markdown and HTML structure.
    pub(crate) const HOSTILE: &str = "a\u{1b}[2J\u{1b}]52;c;ZWNobyBwd24=\u{7}\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}gnp.exe\u{2066}x\u{2069} | # `x` <b>[l](http://e)</b> & \"q\" 'q'\r\nz\u{7f}\0";

    #[test]
    fn every_destination_makes_controls_visible() {
        let out = format!(
            "terminal: {}\nmarkdown: {}\nmarkdown_code: {}\ncsv: {}\nhtml: {}\nxml: {}\n",
            terminal(HOSTILE),
            markdown(HOSTILE),
            markdown_code(HOSTILE),
            csv_field(HOSTILE),
            html(HOSTILE),
            xml(&format!("{HOSTILE}\u{ffff}"))
        );
        for line in out.lines() {
            assert!(!line.chars().any(is_control), "{line:?}");
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn csv_formula_guard_table() {
        let cases = [
            "=1+1",
            "+1+1",
            "-1+1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "\n=1",
            "\0=1",
            "\tplain",
            "＝1+1",
            "＋1",
            "－1",
            "＠x",
            "  =1+1",
            "\u{3000}=1",
            "-3",
            "+1.5",
            " -3",
            "42",
            "plain",
            "a=b",
            "a,b",
            "say \"hi\"",
            "x;y",
            "",
        ];
        let table: String = cases
            .iter()
            .map(|c| format!("{c:?} → {}\n", csv_field(c)))
            .collect();
        insta::assert_snapshot!(table);
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(terminal("srv-01 (Jean Dupont)"), Cow::Borrowed(_)));
        assert_eq!(csv_field("C:\\Windows"), "C:\\Windows");
        assert_eq!(html("é < ü"), "é &lt; ü");
    }
}
