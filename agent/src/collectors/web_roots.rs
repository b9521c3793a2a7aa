//! The directories a web server serves, read from its configuration text (pure functions):
//! nginx `root` and `alias` (with the `location` they sit in), Apache `DocumentRoot` and
//! `Alias`, lighttpd `server.document-root` and `alias.url`. A repository under one of them
//! is reachable by clients at the URL path the mapping gives.
//!
//! Variables (`$document_root`, `${APACHE_ROOT}`) and regex locations are not resolved: such
//! a mapping is left out rather than guessed.

/// One directory a web server maps to a URL path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebRoot {
    /// Directory on the host, without a trailing slash.
    pub path: String,
    /// `nginx`, `apache` or `lighttpd`.
    pub server: &'static str,
    /// `file:line` of the directive.
    pub config: String,
    /// URL path it is served under (`/` for a document root).
    pub url_path: String,
}

/// nginx: `root` (served at `/`: a file's URL is its path under the root, whatever the
/// location) and `alias` (served at its location's path).
pub fn nginx(file: &str, text: &str) -> Vec<WebRoot> {
    let mut roots = Vec::new();
    let mut locations: Vec<Option<String>> = Vec::new();
    let mut words: Vec<(String, usize)> = Vec::new();
    for (token, line) in nginx_tokens(text) {
        match token.as_str() {
            ";" => {
                let directive = words.first().map(|(w, _)| w.as_str());
                if let (Some(name @ ("root" | "alias")), Some((value, _))) =
                    (directive, words.get(1))
                {
                    let url = if name == "root" {
                        Some("/".to_owned())
                    } else {
                        locations.iter().rev().flatten().next().cloned()
                    };
                    if let (Some(url), Some(path)) = (url, plain_path(value)) {
                        roots.push(WebRoot {
                            path,
                            server: "nginx",
                            config: format!("{file}:{}", words[0].1),
                            url_path: url,
                        });
                    }
                }
                words.clear();
            }
            "{" => {
                let location = (words.first().map(|(w, _)| w.as_str()) == Some("location")
                    && words.len() == 2)
                    .then(|| words[1].0.clone())
                    .filter(|uri| uri.starts_with('/'));
                locations.push(location);
                words.clear();
            }
            "}" => {
                locations.pop();
                words.clear();
            }
            _ => words.push((token, line)),
        }
    }
    roots
}

/// nginx tokens with their 1-based line: words (quotes removed), `;`, `{`, `}`; comments
/// dropped.
fn nginx_tokens(text: &str) -> Vec<(String, usize)> {
    let mut tokens = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut word = String::new();
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => word.push(c),
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '#' => break,
                    ';' | '{' | '}' => {
                        if !word.is_empty() {
                            tokens.push((std::mem::take(&mut word), index + 1));
                        }
                        tokens.push((c.to_string(), index + 1));
                    }
                    c if c.is_whitespace() => {
                        if !word.is_empty() {
                            tokens.push((std::mem::take(&mut word), index + 1));
                        }
                    }
                    c => word.push(c),
                },
            }
        }
        if !word.is_empty() {
            tokens.push((word, index + 1));
        }
    }
    tokens
}

/// Apache: `DocumentRoot DIR` (served at `/`) and `Alias URL DIR` (directive names are
/// case-insensitive).
pub fn apache(file: &str, text: &str) -> Vec<WebRoot> {
    let mut roots = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let words = quoted_words(line.trim());
        let Some(directive) = words.first() else {
            continue;
        };
        let mapping = if directive.eq_ignore_ascii_case("DocumentRoot") {
            words.get(1).map(|dir| ("/".to_owned(), dir))
        } else if directive.eq_ignore_ascii_case("Alias") {
            words
                .get(1)
                .zip(words.get(2))
                .map(|(url, dir)| (url.clone(), dir))
        } else {
            None
        };
        if let Some((url, dir)) = mapping
            && let Some(path) = plain_path(dir)
            && url.starts_with('/')
        {
            roots.push(WebRoot {
                path,
                server: "apache",
                config: format!("{file}:{}", index + 1),
                url_path: url,
            });
        }
    }
    roots
}

/// lighttpd: `server.document-root = "DIR"` and the `"URL" => "DIR"` pairs of `alias.url`.
pub fn lighttpd(file: &str, text: &str) -> Vec<WebRoot> {
    let mut roots = Vec::new();
    let mut in_alias = false;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        let config = format!("{file}:{}", index + 1);
        if let Some(value) = line
            .strip_prefix("server.document-root")
            .and_then(|rest| rest.trim_start().strip_prefix('='))
        {
            if let Some(path) = quoted_words(value.trim())
                .first()
                .and_then(|d| plain_path(d))
            {
                roots.push(WebRoot {
                    path,
                    server: "lighttpd",
                    config,
                    url_path: "/".to_owned(),
                });
            }
            continue;
        }
        if line.starts_with("alias.url") {
            in_alias = true;
        }
        if !in_alias {
            continue;
        }
        for pair in line.split(',') {
            let Some((url, dir)) = pair.split_once("=>") else {
                continue;
            };
            let url = quoted_words(url.trim().trim_start_matches(|c| c != '"'));
            let dir = quoted_words(dir.trim());
            if let (Some(url), Some(path)) = (url.first(), dir.first().and_then(|d| plain_path(d)))
                && url.starts_with('/')
            {
                roots.push(WebRoot {
                    path,
                    server: "lighttpd",
                    config: config.clone(),
                    url_path: url.clone(),
                });
            }
        }
        if line.contains(')') {
            in_alias = false;
        }
    }
    roots
}

/// Words of a line, a double-quoted string being one word (quotes removed); `#` starts a
/// comment outside quotes.
fn quoted_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                if quoted {
                    words.push(std::mem::take(&mut word));
                }
                quoted = !quoted;
            }
            '#' if !quoted && word.is_empty() => break,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// An absolute directory without variables, trailing slash removed.
fn plain_path(value: &str) -> Option<String> {
    if !value.starts_with('/') || value.contains('$') {
        return None;
    }
    let trimmed = value.trim_end_matches('/');
    Some(if trimmed.is_empty() { "/" } else { trimmed }.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_roots_and_aliases_with_their_locations() {
        let text = "server {\n    listen 80 default_server;\n    root /var/www/html; # site\n\
                    location /debian/ {\n        alias /srv/depot/;\n        autoindex on;\n    }\n\
                    location ~ \\.php$ { alias /nope; }\n    location /x { root \"/srv/x\"; }\n\
                    location /v { alias $document_root/v; }\n}\n";
        assert_eq!(
            nginx("/etc/nginx/sites-enabled/default", text),
            [
                WebRoot {
                    path: "/var/www/html".into(),
                    server: "nginx",
                    config: "/etc/nginx/sites-enabled/default:3".into(),
                    url_path: "/".into()
                },
                WebRoot {
                    path: "/srv/depot".into(),
                    server: "nginx",
                    config: "/etc/nginx/sites-enabled/default:5".into(),
                    url_path: "/debian/".into()
                },
                WebRoot {
                    path: "/srv/x".into(),
                    server: "nginx",
                    config: "/etc/nginx/sites-enabled/default:9".into(),
                    url_path: "/".into()
                },
            ]
        );
    }

    #[test]
    fn apache_document_roots_and_aliases() {
        // The shape of Debian's 000-default.conf, with an alias added.
        let text = "<VirtualHost *:80>\n\tServerAdmin webmaster@localhost\n\tDocumentRoot /var/www/html\n\
                    \t# Alias /old /srv/old\n\tAlias \"/depot\" \"/srv/depot/\"\n\tdocumentroot ${APACHE_ROOT}\n</VirtualHost>\n";
        let roots = apache("/etc/apache2/sites-enabled/000-default.conf", text);
        let got: Vec<(&str, &str, &str)> = roots
            .iter()
            .map(|r| (r.path.as_str(), r.url_path.as_str(), r.config.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "/var/www/html",
                    "/",
                    "/etc/apache2/sites-enabled/000-default.conf:3"
                ),
                (
                    "/srv/depot",
                    "/depot",
                    "/etc/apache2/sites-enabled/000-default.conf:5"
                ),
            ]
        );
    }

    #[test]
    fn lighttpd_document_root_and_alias_url() {
        let text = "server.document-root        = \"/var/www/html\"\n\
                    alias.url += ( \"/debian\" => \"/srv/depot\",\n  \"/rpm/\" => \"/srv/rpm/\" )\n";
        let roots = lighttpd("/etc/lighttpd/lighttpd.conf", text);
        let got: Vec<(&str, &str)> = roots
            .iter()
            .map(|r| (r.path.as_str(), r.url_path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("/var/www/html", "/"),
                ("/srv/depot", "/debian"),
                ("/srv/rpm", "/rpm/")
            ]
        );
    }
}
