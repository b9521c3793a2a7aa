//! Package sources as the package manager reads them, pure functions of a file's text: APT
//! one-line entries (`sources.list`, `sources.list.d/*.list`), APT deb822 stanzas
//! (`sources.list.d/*.sources`) and yum/dnf `.repo` files (`/etc/yum.repos.d`).
//!
//! One [`RepositorySource`] per entry APT or yum would use: a deb822 stanza with two types,
//! two URIs and two suites is eight entries, as `apt-get update` fetches them. A line that
//! is not an entry (a comment, a malformed line) is skipped and named in the errors, never
//! guessed.

use constat_snapshot::package_repositories::RepositorySource;

/// What a parser found in one file: the sources, and the lines it could not read.
pub type Parsed = (Vec<RepositorySource>, Vec<String>);

/// A `.repo` section being read: first line, id, `key=value` pairs.
type RepoSection = (usize, String, Vec<(String, String)>);

/// Parses a one-line-style APT file (`sources.list`, `*.list`).
pub fn parse_one_line(path: &str, text: &str) -> Parsed {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let origin = format!("{path}:{}", index + 1);
        match one_line_entry(line) {
            Some(mut source) => {
                source.origin = origin;
                sources.push(source);
            }
            None => errors.push(format!(
                "{origin}: not an APT source line (expected `deb [options] URI suite [components]`)"
            )),
        }
    }
    (sources, errors)
}

fn one_line_entry(line: &str) -> Option<RepositorySource> {
    let (kind, rest) = line.split_once(char::is_whitespace)?;
    if kind != "deb" && kind != "deb-src" {
        return None;
    }
    let mut rest = rest.trim_start();
    let mut source = RepositorySource {
        kind: kind.to_owned(),
        enabled: true,
        ..RepositorySource::default()
    };
    if let Some(after) = rest.strip_prefix('[') {
        let (options, tail) = after.split_once(']')?;
        for option in options.split_whitespace() {
            let Some((key, value)) = option.split_once('=') else {
                continue;
            };
            apply_apt_option(&mut source, key, value);
        }
        rest = tail.trim_start();
    }
    let mut words = rest.split_whitespace();
    source.uri = words.next()?.to_owned();
    source.suite = words.next()?.to_owned();
    source.components = words.map(str::to_owned).collect();
    Some(source)
}

fn apply_apt_option(source: &mut RepositorySource, key: &str, value: &str) {
    match key.to_ascii_lowercase().as_str() {
        "trusted" => source.trusted = yes(value),
        "signed-by" => source.signed_by = Some(value.to_owned()),
        _ => {}
    }
}

fn yes(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "yes" | "true" | "1" | "on"
    )
}

/// Parses a deb822 APT file (`*.sources`).
pub fn parse_deb822(path: &str, text: &str) -> Parsed {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for (first_line, fields) in stanzas(text) {
        let origin = format!("{path}:{first_line}");
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let words = |name: &str| -> Vec<String> {
            get(name)
                .map(|v| v.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let (types, uris, suites) = (words("Types"), words("URIs"), words("Suites"));
        if types.is_empty() || uris.is_empty() || suites.is_empty() {
            errors.push(format!(
                "{origin}: deb822 stanza without Types, URIs or Suites (apt ignores it)"
            ));
            continue;
        }
        let enabled = get("Enabled").is_none_or(yes);
        let trusted = get("Trusted").is_some_and(yes);
        // A Signed-By holding the key itself (lines of an armoured block) is named, not kept.
        let signed_by = get("Signed-By").map(|v| {
            if v.contains("BEGIN PGP") {
                "(embedded key)".to_owned()
            } else {
                v.split_whitespace().collect::<Vec<_>>().join(" ")
            }
        });
        let components = words("Components");
        for kind in &types {
            for uri in &uris {
                for suite in &suites {
                    sources.push(RepositorySource {
                        origin: origin.clone(),
                        kind: kind.clone(),
                        uri: uri.clone(),
                        suite: suite.clone(),
                        components: components.clone(),
                        enabled,
                        trusted,
                        signed_by: signed_by.clone(),
                        gpgcheck: None,
                    });
                }
            }
        }
    }
    (sources, errors)
}

/// deb822 stanzas: `(1-based line of the first field, [(field, value with continuation
/// lines joined by '\n')])`. `#` lines are comments.
fn stanzas(text: &str) -> Vec<(usize, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, Vec<(String, String)>)> = None;
    for (index, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            out.extend(current.take());
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, fields)) = current.as_mut()
                && let Some((_, value)) = fields.last_mut()
            {
                value.push('\n');
                value.push_str(line.trim());
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        current
            .get_or_insert_with(|| (index + 1, Vec::new()))
            .1
            .push((key.trim().to_owned(), value.trim().to_owned()));
    }
    out.extend(current);
    out
}

/// Parses a yum/dnf `.repo` file: one source per `[id]` section with a `baseurl` (its first
/// URL), `mirrorlist` or `metalink`.
pub fn parse_yum_repo(path: &str, text: &str) -> Parsed {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let mut section: Option<RepoSection> = None;
    let mut finish = |section: Option<RepoSection>| {
        let Some((line, id, keys)) = section else {
            return;
        };
        let get = |name: &str| {
            keys.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let origin = format!("{path}:{line}");
        let uri = ["baseurl", "mirrorlist", "metalink"]
            .iter()
            .find_map(|k| get(k))
            .and_then(|v| v.split_whitespace().next())
            .map(str::to_owned);
        let Some(uri) = uri else {
            errors.push(format!(
                "{origin}: repository [{id}] has no baseurl, mirrorlist or metalink"
            ));
            return;
        };
        sources.push(RepositorySource {
            origin,
            kind: "rpm".to_owned(),
            uri,
            suite: id,
            components: Vec::new(),
            enabled: get("enabled").is_none_or(yes),
            trusted: false,
            signed_by: None,
            gpgcheck: get("gpgcheck").map(yes),
        });
    };
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') || trimmed.is_empty() {
            continue;
        }
        if let Some(id) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            finish(section.take());
            section = Some((index + 1, id.trim().to_owned(), Vec::new()));
            continue;
        }
        let Some((_, _, keys)) = section.as_mut() else {
            continue;
        };
        if line.starts_with([' ', '\t']) {
            // A continuation of the previous value (a second baseurl).
            if let Some((_, value)) = keys.last_mut() {
                value.push(' ');
                value.push_str(trimmed);
            }
            continue;
        }
        if let Some((key, value)) = trimmed.split_once('=') {
            keys.push((key.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    finish(section.take());
    (sources, errors)
}

/// The local directory of a `file:` URI (`file:/srv/depot`, `file:///srv/depot/`), without
/// its trailing slash.
pub fn file_uri_path(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("file:")?;
    let path = rest.strip_prefix("//").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    Some(if trimmed.is_empty() { "/" } else { trimmed }.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_entries_with_options_comments_and_a_bad_line() {
        let text = "# Debian\ndeb http://deb.debian.org/debian bookworm main contrib\n\
                    deb [trusted=yes arch=amd64] http://10.0.0.5/depot ./ # local\n\
                    deb-src [signed-by=/usr/share/keyrings/tssr.gpg] file:/srv/depot tssr main\n\
                    debx http://bad\n";
        let (sources, errors) = parse_one_line("/etc/apt/sources.list", text);
        insta::assert_debug_snapshot!((sources, errors));
    }

    #[test]
    fn deb822_stanzas_multiply_types_uris_and_suites() {
        // The shape of Debian 12's /etc/apt/sources.list.d/debian.sources, plus a disabled
        // local stanza and one with an embedded key.
        let text = "Types: deb deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n\
                    # local\nTypes: deb\nURIs: http://10.0.0.5/depot\nSuites: tssr\nComponents: main\nEnabled: no\nTrusted: yes\n\n\
                    Types: deb\nURIs: file:///srv/depot/\nSuites: tssr\nComponents: main\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mQINBGP\n -----END PGP PUBLIC KEY BLOCK-----\n\n\
                    Types: deb\nURIs: http://x\n";
        let (sources, errors) = parse_deb822("/etc/apt/sources.list.d/x.sources", text);
        insta::assert_debug_snapshot!((sources, errors));
    }

    #[test]
    fn yum_repo_sections() {
        let text = "[local]\nname=Dépôt local\nbaseurl=http://10.0.0.5/rpm/\n  http://mirror/rpm/\nenabled=1\ngpgcheck=0\n\n[epel]\nmetalink=https://mirrors.fedoraproject.org/metalink?repo=epel-9\nenabled=0\n\n[broken]\nname=x\n";
        let (sources, errors) = parse_yum_repo("/etc/yum.repos.d/local.repo", text);
        insta::assert_debug_snapshot!((sources, errors));
    }

    #[test]
    fn file_uris() {
        assert_eq!(
            file_uri_path("file:/srv/depot").as_deref(),
            Some("/srv/depot")
        );
        assert_eq!(
            file_uri_path("file:///srv/depot/").as_deref(),
            Some("/srv/depot")
        );
        assert_eq!(file_uri_path("http://x/"), None);
        assert_eq!(file_uri_path("file:relative"), None);
    }
}
