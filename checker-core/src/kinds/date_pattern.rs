//! Dated archive names: a pack writes `/backup/etc-%F.tar.gz`; the matcher finds the
//! archive whatever date format among those the pack allows, both as the script writes it
//! (`/backup/etc-$(date +%Y%m%d).tar.gz`) and as a file on disk (`etc-20261202.tar.gz`).

use regex::Regex;

/// The strftime conversions understood: what each stands for, and its digits.
const TOKENS: &[(char, &str)] = &[
    ('Y', r"(?P<Y>\d{4})"),
    ('y', r"\d{2}"),
    ('m', r"(?P<m>\d{2})"),
    ('d', r"(?P<d>\d{2})"),
    ('H', r"(?P<H>\d{2})"),
    ('M', r"(?P<M>\d{2})"),
    ('S', r"(?P<S>\d{2})"),
    ('s', r"\d+"),
];

/// A compiled archive pattern.
#[derive(Debug, Clone)]
pub(crate) struct DatePattern {
    /// As the pack wrote it.
    pub(crate) text: String,
    /// One regex per allowed format on a concrete path (`etc-2026-12-02.tar.gz`).
    names: Vec<Regex>,
    /// The written form: the date slot as `$(date +FMT)` or `` `date +FMT` ``.
    written: Regex,
    /// The allowed formats, expanded (`%F` → `%Y-%m-%d`).
    formats: Vec<String>,
}

/// `%F` → `%Y-%m-%d`, `%T` → `%H:%M:%S`, `%D` → `%m/%d/%y`; checks every conversion.
fn expand(format: &str) -> Result<String, (String, String)> {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('F') => out.push_str("%Y-%m-%d"),
            Some('T') => out.push_str("%H:%M:%S"),
            Some('D') => out.push_str("%m/%d/%y"),
            Some('%') => out.push_str("%%"),
            Some(t) if TOKENS.iter().any(|(k, _)| *k == t) => {
                out.push('%');
                out.push(t);
            }
            Some(t) => {
                return Err((
                    format!(
                        "conversion « %{t} » non prise en charge (%Y %m %d %H %M %S %y %s %F %T)"
                    ),
                    format!("unsupported conversion \"%{t}\" (%Y %m %d %H %M %S %y %s %F %T)"),
                ));
            }
            None => {
                return Err((
                    "« % » seul en fin de motif".to_owned(),
                    "\"%\" alone at the end of the pattern".to_owned(),
                ));
            }
        }
    }
    Ok(out)
}

/// The regex of an expanded format on a concrete name.
fn name_regex(expanded: &str) -> String {
    let mut out = String::new();
    let mut seen = Vec::new();
    let mut chars = expanded.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push_str(&regex::escape(&c.to_string()));
            continue;
        }
        let Some(t) = chars.next() else { break };
        if t == '%' {
            out.push('%');
            continue;
        }
        let re = TOKENS
            .iter()
            .find(|(k, _)| *k == t)
            .map_or(r"\d+", |(_, r)| r);
        // A conversion written twice captures once (a group name is unique).
        if seen.contains(&t) {
            out.push_str(r"\d+");
        } else {
            seen.push(t);
            out.push_str(re);
        }
    }
    out
}

/// Splits a pattern around its date slot: the run from the first to the last conversion.
fn slot(pattern: &str) -> Option<(&str, &str, &str)> {
    let first = pattern.find('%')?;
    let bytes = pattern.as_bytes();
    let mut last = first;
    let mut i = first;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 1 < bytes.len() {
            last = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    Some((&pattern[..first], &pattern[first..last], &pattern[last..]))
}

impl DatePattern {
    /// Compiles `pattern` (with its date conversions) and the other formats allowed for
    /// its date (`%Y%m%d`, `%d-%m-%Y`); the pattern's own format is always allowed.
    /// Errors are `(français, English)`.
    pub(crate) fn compile(
        pattern: &str,
        formats: &[String],
    ) -> Result<DatePattern, (String, String)> {
        let (before, own, after) = slot(pattern).ok_or_else(|| {
            (
                "aucune date dans le motif : écrivez-la avec %F, %Y%m%d, %d-%m-%Y…".to_owned(),
                "no date in the pattern: write it with %F, %Y%m%d, %d-%m-%Y…".to_owned(),
            )
        })?;
        let mut allowed = vec![own.to_owned()];
        for f in formats {
            if !f.contains('%') {
                return Err((
                    format!("format de date « {f} » sans conversion %"),
                    format!("date format \"{f}\" without a % conversion"),
                ));
            }
            if !allowed.contains(f) {
                allowed.push(f.clone());
            }
        }
        let mut names = Vec::new();
        let mut expanded_formats = Vec::new();
        for format in &allowed {
            let expanded = expand(format)?;
            let re = format!(
                "^{}{}{}$",
                regex::escape(before),
                name_regex(&expanded),
                regex::escape(after)
            );
            names.push(Regex::new(&re).map_err(|e| crate::pack::compile::regex_error(&re, &e))?);
            expanded_formats.push(expanded);
        }
        // `$(date +FMT)`, `$(date "+FMT")`, `` `date +FMT` ``; the format is compared once
        // expanded, so `date +%F` and `date +%Y-%m-%d` are the same date.
        let date = r#"(?:\$\(\s*date\s+["']?\+(?P<a>[^"')\s]+)["']?\s*\)|`\s*date\s+["']?\+(?P<b>[^"'`\s]+)["']?\s*`)"#;
        let written = format!("^{}{date}{}$", regex::escape(before), regex::escape(after));
        let written =
            Regex::new(&written).map_err(|e| crate::pack::compile::regex_error(&written, &e))?;
        Ok(DatePattern {
            text: pattern.to_owned(),
            names,
            written,
            formats: expanded_formats,
        })
    }

    /// A concrete path (`/backup/etc-2026-12-02.tar.gz`) whose date is a real date.
    pub(crate) fn matches_name(&self, path: &str) -> bool {
        self.names.iter().any(|re| {
            re.captures(path).is_some_and(|c| {
                let n = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
                n("m").is_none_or(|m| (1..=12).contains(&m))
                    && n("d").is_none_or(|d| (1..=31).contains(&d))
                    && n("H").is_none_or(|h| h <= 23)
                    && n("M").is_none_or(|m| m <= 59)
                    && n("S").is_none_or(|s| s <= 60)
            })
        })
    }

    /// A target as the job writes it (`/backup/etc-$(date +%Y%m%d).tar.gz`).
    pub(crate) fn matches_written(&self, target: &str) -> bool {
        let Some(c) = self.written.captures(target.trim()) else {
            return false;
        };
        // In a crontab `%` is written `\%`.
        let format = c
            .name("a")
            .or_else(|| c.name("b"))
            .map_or(String::new(), |m| m.as_str().replace("\\%", "%"));
        expand(&format).is_ok_and(|f| self.formats.contains(&f))
    }
}

#[cfg(test)]
mod tests {
    use super::DatePattern;

    fn pattern(p: &str, formats: &[&str]) -> DatePattern {
        let formats: Vec<String> = formats.iter().map(|f| (*f).to_owned()).collect();
        DatePattern::compile(p, &formats).unwrap()
    }

    #[test]
    fn a_dated_archive_in_any_allowed_format() {
        let p = pattern(
            "/backup/etc-%F.tar.gz",
            &["%Y%m%d", "%d-%m-%Y", "%Y-%m-%d_%H%M"],
        );
        for ok in [
            "/backup/etc-2026-12-02.tar.gz",
            "/backup/etc-20261202.tar.gz",
            "/backup/etc-02-12-2026.tar.gz",
            "/backup/etc-2026-12-02_2330.tar.gz",
        ] {
            assert!(p.matches_name(ok), "{ok}");
        }
        for bad in [
            "/backup/etc-2026-13-02.tar.gz",
            "/backup/etc-2026-12-02.tar.bz2",
            "/backup/etc-latest.tar.gz",
            "/backup/etc-2026-12-02_2561.tar.gz",
            "/backup/etc-12-02-26.tar.gz",
        ] {
            assert!(!p.matches_name(bad), "{bad}");
        }
        for ok in [
            "/backup/etc-$(date +%F).tar.gz",
            "/backup/etc-$(date +%Y-%m-%d).tar.gz",
            "/backup/etc-$(date +\\%F).tar.gz",
            "/backup/etc-`date +%Y%m%d`.tar.gz",
            "/backup/etc-$(date '+%d-%m-%Y').tar.gz",
        ] {
            assert!(p.matches_written(ok), "{ok}");
        }
        for bad in [
            "/backup/etc-$(date +%s).tar.gz",
            "/backup/etc.tar.gz",
            "/srv/etc-$(date +%F).tar.gz",
        ] {
            assert!(!p.matches_written(bad), "{bad}");
        }
    }

    #[test]
    fn only_the_own_format_without_alternatives() {
        let p = pattern("/backup/etc-%Y%m%d.tgz", &[]);
        assert!(p.matches_name("/backup/etc-20261202.tgz"));
        assert!(!p.matches_name("/backup/etc-2026-12-02.tgz"));
    }

    #[test]
    fn bad_patterns_are_explained() {
        let e = |p: &str, f: &[&str]| {
            let f: Vec<String> = f.iter().map(|s| (*s).to_owned()).collect();
            let (fr, en) = DatePattern::compile(p, &f).unwrap_err();
            format!("{fr} | {en}")
        };
        insta::assert_snapshot!(format!(
            "{}\n{}\n{}",
            e("/backup/etc.tar.gz", &[]),
            e("/backup/etc-%Q.tar.gz", &[]),
            e("/backup/etc-%F.tar.gz", &["daily"])
        ));
    }
}
