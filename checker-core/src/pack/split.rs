//! Cuts each check out of the pack text so that every check can be parsed on its own and
//! every syntax error reported, not only the first one.

/// A sub-document holding one check item at its original line and column (lines before it
/// are blank, so positions reported by the parser stay true).
pub(crate) fn check_document(text: &str, line: u32, col: u32) -> Option<String> {
    if line == 0 || col == 0 {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let start = line as usize - 1;
    let indent = col as usize - 1;
    let first = lines.get(start)?;
    let mut doc = "\n".repeat(start);
    let cut = first
        .char_indices()
        .nth(indent)
        .map_or(first.len(), |(i, _)| i);
    doc.push_str(&" ".repeat(indent));
    doc.push_str(&first[cut..]);
    doc.push('\n');
    for l in &lines[start + 1..] {
        let trimmed = l.trim_start();
        let own_indent = l.len() - trimmed.len();
        if !trimmed.is_empty() && !trimmed.starts_with('#') && own_indent < indent {
            break;
        }
        doc.push_str(l);
        doc.push('\n');
    }
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions() {
        let text = "checks:\n  - id: a\n    title: x\n  - id: b\nother: 1\n";
        assert_eq!(
            check_document(text, 2, 5).as_deref(),
            Some("\n    id: a\n    title: x\n")
        );
        assert_eq!(
            check_document(text, 4, 5).as_deref(),
            Some("\n\n\n    id: b\n")
        );
    }
}
