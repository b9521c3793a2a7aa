//! A small shell-command reader: splits a command line into simple commands (`;`, `&&`,
//! `||`, `|`) and words, keeping `$(…)`, backticks and quotes inside one word. It does not
//! evaluate anything; it only finds what a backup job calls and with which arguments.

/// Splits `text` into simple commands, each a list of words (quotes removed, `$(…)` kept
/// verbatim). Redirections (`>file`, `2>&1`) are dropped.
pub fn simple_commands(text: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let finish_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    word.push(chars[i]);
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    word.push(chars[i]);
                    i += 1;
                }
            }
            '\\' => {
                in_word = true;
                if i + 1 < chars.len() {
                    word.push(chars[i + 1]);
                    i += 1;
                }
            }
            '$' if chars.get(i + 1) == Some(&'(') => {
                in_word = true;
                let mut depth = 0;
                while i < chars.len() {
                    word.push(chars[i]);
                    match chars[i] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            '`' => {
                in_word = true;
                word.push(c);
                i += 1;
                while i < chars.len() && chars[i] != '`' {
                    word.push(chars[i]);
                    i += 1;
                }
                if i < chars.len() {
                    word.push('`');
                }
            }
            ';' | '|' | '&' | '\n' => {
                finish_word(&mut word, &mut in_word, &mut words);
                // `2>&1` and `&>` were consumed with their redirection; a lone `&` ends a
                // command like `;`.
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '>' | '<' => {
                // A redirection: drop an fd number just read, the operator and its target.
                if in_word && word.chars().all(|c| c.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                } else {
                    finish_word(&mut word, &mut in_word, &mut words);
                }
                while i + 1 < chars.len() && matches!(chars[i + 1], '>' | '&' | '<') {
                    i += 1;
                }
                while i + 1 < chars.len() && chars[i + 1].is_whitespace() {
                    i += 1;
                }
                while i + 1 < chars.len()
                    && !chars[i + 1].is_whitespace()
                    && !matches!(chars[i + 1], ';' | '|' | '&')
                {
                    i += 1;
                }
            }
            c if c.is_whitespace() => finish_word(&mut word, &mut in_word, &mut words),
            c => {
                in_word = true;
                word.push(c);
            }
        }
        i += 1;
    }
    finish_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_commands_and_keeps_substitutions() {
        let cmds = simple_commands(
            "cd / && tar -czf \"/srv/backup/web_$(date +%F).tar.gz\" /var/www 2>&1 >>/var/log/b.log; echo 'done ok' | logger # note",
        );
        assert_eq!(
            cmds,
            vec![
                vec!["cd".to_owned(), "/".to_owned()],
                vec![
                    "tar".to_owned(),
                    "-czf".to_owned(),
                    "/srv/backup/web_$(date +%F).tar.gz".to_owned(),
                    "/var/www".to_owned()
                ],
                vec!["echo".to_owned(), "done ok".to_owned()],
                vec!["logger".to_owned()],
            ]
        );
    }

    #[test]
    fn substitution_with_spaces_is_one_word() {
        assert_eq!(
            simple_commands("rsync -a /home/ /mnt/b/$(date +%Y %m)/"),
            vec![vec![
                "rsync".to_owned(),
                "-a".to_owned(),
                "/home/".to_owned(),
                "/mnt/b/$(date +%Y %m)/".to_owned()
            ]]
        );
    }
}
