//! Evidence in words for the jury: what was looked at (« compte « carol » — existe »),
//! expected and verdict without the machinery (`files[path=/etc/shadow].mode`, `~ /re/`,
//! `/./`), the raw path kept apart for whoever wants it. Plain text: renderers escape it.

use crate::eval::{Evidence, EvidenceContext, Status};
use crate::i18n::Lang;

/// One evidence line, described.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Described {
    /// What was looked at, in words.
    pub(crate) what: String,
    /// What the pack expects, in words.
    pub(crate) expected: String,
    /// The verdict label.
    pub(crate) verdict: &'static str,
    /// CSS class / tone of the verdict: `pass`, `fail`, `not_assessable`, `unused`.
    pub(crate) tone: &'static str,
    /// The raw coordinates (host · section · path · property).
    pub(crate) raw: String,
}

/// Quotes host text the way the language does.
fn q(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Fr => format!("« {text} »"),
        Lang::En => format!("“{text}”"),
    }
}

/// An object written as a regex (`/tar czf/`, `/./`) in words; a file path is literal.
fn object_words(lang: Lang, section: &str, path: &str) -> String {
    let w = lang.words();
    let regex = path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix('/'))
        .filter(|p| !p.is_empty() && section != "files");
    match regex {
        Some("." | ".*" | ".+" | "^.*$") => w.any_value.to_owned(),
        Some(re) => format!("{} {}", w.matching, q(lang, re)),
        None => q(
            lang,
            &crate::eval::words::object_display(lang, section, path),
        ),
    }
}

/// `files[path=/etc/shadow].mode` → (`mode`, `/etc/shadow`); `network.interfaces[name=eth0]
/// .addresses[*].prefix_len` → (`prefix_len`, `eth0`).
fn fact_words(text: &str) -> (String, Option<String>) {
    let mut object = None;
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        if let Some((_, v)) = inner.split_once('=') {
            object = Some(v.to_owned());
        }
        rest = &rest[open + close + 1..];
    }
    let field = text
        .rsplit('.')
        .next()
        .unwrap_or(text)
        .trim_end_matches("[*]")
        .to_owned();
    (field, object)
}

fn is_fact(property: &str) -> bool {
    matches!(
        property,
        "equals" | "regex" | "contains" | "compare" | "count"
    )
}

/// Describes one evidence line in `lang`.
pub(crate) fn describe(lang: Lang, ev: &Evidence) -> Described {
    let w = lang.words();
    let noun = lang.section_noun(&ev.section);
    let what = if is_fact(&ev.property) {
        let (field, object) = fact_words(&ev.path);
        let on = match (noun, object) {
            (Some(n), Some(o)) => format!(" — {n} {}", q(lang, &o)),
            (Some(n), None) => format!(" — {n}"),
            (None, Some(o)) => format!(" — {}", q(lang, &o)),
            (None, None) => String::new(),
        };
        format!("{} {}{on}", w.value_at, q(lang, &field))
    } else {
        let property = lang
            .property_words(&ev.section, &ev.property)
            .unwrap_or_else(|| ev.property.to_string());
        let object = object_words(lang, &ev.section, &ev.path);
        match noun {
            Some(n) => format!("{n} {object} — {property}"),
            None if ev.section.is_empty() => property,
            None => format!("{} {object} — {property}", ev.section),
        }
    };
    let what = match &ev.item {
        Some(item) => format!("{what} ({} {})", w.for_item, q(lang, item)),
        None => what,
    };
    let expected = match ev.expected.strip_prefix("~ ") {
        Some(re) => format!("{} {re}", w.matching),
        None => lang
            .shown(ev.expected.strip_prefix("= ").unwrap_or(&ev.expected))
            .into_owned(),
    };
    let (verdict, tone) = match (ev.context, ev.status) {
        (_, Status::NotAssessable) => (lang.status(ev.status), "not_assessable"),
        (Some(EvidenceContext::UnusedAlternative), _) => (w.unused, "unused"),
        (Some(EvidenceContext::MustNotHold), Status::Fail) => (w.must_not_hold_ok, "pass"),
        (Some(EvidenceContext::MustNotHold), Status::Pass) if ev.property != "none" => {
            (w.must_not_hold_bad, "fail")
        }
        (_, Status::Pass) => (lang.status(ev.status), "pass"),
        (_, Status::Fail) => (lang.status(ev.status), "fail"),
    };
    let raw = [&*ev.host, &*ev.section, &ev.path, &*ev.property]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    Described {
        what,
        expected,
        verdict,
        tone,
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn ev(
        section: &'static str,
        path: &str,
        property: &'static str,
        expected: &'static str,
    ) -> Evidence {
        Evidence {
            host: "linux".into(),
            section: Cow::Borrowed(section),
            path: path.to_owned(),
            property: Cow::Borrowed(property),
            expected: Cow::Borrowed(expected),
            actual: Cow::Borrowed("x"),
            status: Status::Fail,
            item: None,
            context: None,
            display: None,
            look_alike: None,
        }
    }

    #[test]
    fn machinery_becomes_words() {
        let mut unused = ev("sshd", "sshd_config", "permitrootlogin", "without-password");
        unused.context = Some(EvidenceContext::UnusedAlternative);
        let mut for_item = ev("gpos", "Default Domain Policy", "forced_logoff", "activée");
        for_item.item = Some("GPO-ADM-Poste".to_owned());
        let mut forbidden = ev("packages", "telnetd", "installed", "installé");
        forbidden.context = Some(EvidenceContext::MustNotHold);
        let lines = [
            ev(
                "files",
                "files[path=/etc/shadow].mode",
                "regex",
                "~ /[0-3]$/",
            ),
            ev(
                "network",
                "network.interfaces[name=eth0].addresses[*].prefix_len",
                "equals",
                "= 24",
            ),
            ev("scheduled_jobs", "/./", "schedule", "toute planification"),
            ev(
                "scheduled_jobs",
                "/tar czf /srv/backup/",
                "schedule",
                "toute planification",
            ),
            ev("users", "carol", "exists", "présent"),
            ev("", "linux", "changed", "absent au début"),
            ev("custom", "thing", "weird", "w"),
            unused,
            forbidden,
            for_item,
        ];
        let mut shown = String::new();
        for lang in [Lang::Fr, Lang::En] {
            for l in &lines {
                let d = describe(lang, l);
                shown.push_str(&format!(
                    "{} | {} | {} ({}) | {}\n",
                    d.what, d.expected, d.verdict, d.tone, d.raw
                ));
            }
        }
        insta::assert_snapshot!(shown);
    }
}
