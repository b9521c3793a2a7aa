//! Registry-style data comparison shared by every kind that compares such data (GPO
//! Registry.pol and preference items, software installation sources, the probe's registry
//! reads): numbers with `equals` / `bits_set` / `bits_clear`, strings with `one_of` /
//! `regex`, and paths (`path`) compared case-insensitively with the host part of a UNC path
//! matched against the server's known names (short name, FQDN) from the snapshot.

use crate::eval::host::HostView;
use crate::kinds::env_path::canonical;
use regex::Regex;
use std::fmt::Write;

/// Registry data as observed: its text and, for numeric data (DWORD, QWORD, or a string
/// holding a decimal or `0x` number), its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Observed {
    /// The data as text (`4`, `http://srv-wsus:8530`, `a,b` for a multi-string).
    pub text: String,
    /// The number, when the data is one.
    pub number: Option<u64>,
    /// Registry type (`REG_DWORD`).
    pub value_type: String,
}

fn parse_number(text: &str) -> Option<u64> {
    let t = text.trim();
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => t.parse().ok(),
    }
}

impl Observed {
    /// A Registry.pol record's data (a JSON number for DWORD/QWORD, a string, a list).
    pub(crate) fn from_json(value: &serde_json::Value, value_type: &str) -> Observed {
        let text = json_text(value);
        let number = value.as_u64().or_else(|| {
            value
                .as_str()
                .filter(|_| !value_type.eq_ignore_ascii_case("REG_BINARY"))
                .and_then(parse_number)
        });
        Observed {
            text,
            number,
            value_type: value_type.to_owned(),
        }
    }

    /// A Group Policy Preferences Registry item: `REG_DWORD` / `REG_QWORD` values are written
    /// as hexadecimal digits (`00000004`).
    pub(crate) fn from_preference(value: &str, value_type: &str) -> Observed {
        let numeric = matches!(
            value_type.to_ascii_uppercase().as_str(),
            "REG_DWORD" | "REG_QWORD"
        );
        let number = if numeric {
            u64::from_str_radix(value.trim().trim_start_matches("0x"), 16).ok()
        } else {
            parse_number(value)
        };
        Observed {
            text: number
                .filter(|_| numeric)
                .map_or_else(|| value.to_owned(), |n| n.to_string()),
            number,
            value_type: value_type.to_owned(),
        }
    }
}

/// A YAML or JSON scalar as the text a GPO file holds (`1`, `http://…`); lists joined with `,`.
pub(crate) fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            items.iter().map(json_text).collect::<Vec<_>>().join(",")
        }
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// What registry data must be; every condition given must hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct DataMatcher {
    /// `data:` (the original form): the text, compared ignoring case; a number also equals
    /// the same number written another way (`4`, `0x4`, `00000004` in a preference).
    pub data: Option<String>,
    /// `equals:` a number (compared as a number) or a text (ignoring case).
    pub equals: Option<serde_json::Value>,
    /// `bits_set:` every bit of this mask is set.
    pub bits_set: Option<u64>,
    /// `bits_clear:` no bit of this mask is set.
    pub bits_clear: Option<u64>,
    /// `one_of:` the text equals one of these, ignoring case (numbers as numbers).
    pub one_of: Vec<serde_json::Value>,
    /// `regex:` the text matches.
    pub regex: Option<Regex>,
    /// `path:` the same path (UNC host by its short name or FQDN, case ignored).
    pub path: Option<String>,
}

fn same_scalar(expected: &serde_json::Value, observed: &Observed) -> bool {
    match expected {
        serde_json::Value::Number(n) => n.as_u64().is_some_and(|n| observed.number == Some(n)),
        other => {
            let text = json_text(other);
            text.trim().eq_ignore_ascii_case(observed.text.trim())
                || parse_number(&text).is_some_and(|n| observed.number == Some(n))
        }
    }
}

impl DataMatcher {
    /// Whether `observed` satisfies every condition.
    pub(crate) fn holds(&self, names: &HostNames, observed: &Observed) -> bool {
        let data = self.data.as_ref().is_none_or(|d| {
            d.eq_ignore_ascii_case(&observed.text)
                || parse_number(d).is_some_and(|n| observed.number == Some(n))
        });
        let equals = self
            .equals
            .as_ref()
            .is_none_or(|e| same_scalar(e, observed));
        let set = self
            .bits_set
            .is_none_or(|mask| observed.number.is_some_and(|n| n & mask == mask));
        let clear = self
            .bits_clear
            .is_none_or(|mask| observed.number.is_some_and(|n| n & mask == 0));
        let one_of = self.one_of.is_empty() || self.one_of.iter().any(|e| same_scalar(e, observed));
        let regex = self
            .regex
            .as_ref()
            .is_none_or(|re| re.is_match(&observed.text));
        let path = self
            .path
            .as_ref()
            .is_none_or(|p| same_path(names, p, &observed.text));
        data && equals && set && clear && one_of && regex && path
    }

    /// The expectation in words: `value ` then its conditions as a `; `-list (`set bits 0x4`,
    /// `one of 600, 900`), each a phrase of `eval/words.rs`; `(set)` when there is none.
    pub(crate) fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(d) = &self.data {
            parts.push(d.clone());
        }
        if let Some(e) = &self.equals {
            parts.push(format!("= {}", json_text(e)));
        }
        if let Some(mask) = self.bits_set {
            parts.push(format!("set bits {mask:#x}"));
        }
        if let Some(mask) = self.bits_clear {
            parts.push(format!("clear bits {mask:#x}"));
        }
        if !self.one_of.is_empty() {
            let list: Vec<String> = self.one_of.iter().map(json_text).collect();
            parts.push(format!("one of {}", list.join(", ")));
        }
        if let Some(re) = &self.regex {
            parts.push(format!("matches /{}/", re.as_str()));
        }
        if let Some(p) = &self.path {
            parts.push(format!("the path {p}"));
        }
        if parts.is_empty() {
            "(set)".to_owned()
        } else {
            format!("value {}", parts.join("; "))
        }
    }
}

/// The observed data in words: the text, and the hexadecimal form of a number used as a mask.
pub(crate) fn show_observed(matcher: &DataMatcher, observed: &Observed) -> String {
    let mut text = observed.text.clone();
    if let (Some(n), true) = (
        observed.number,
        matcher.bits_set.is_some() || matcher.bits_clear.is_some(),
    ) {
        let _ = write!(text, " ({n:#x})");
    }
    text
}

/// The names each server of the snapshot is known by: the host itself (hostname, FQDN) and,
/// on a domain controller's snapshot, every computer account (`SRV-FILE01$`,
/// `srv-file01.tssr.lan`). A host name maps to one key, the short name in lower case.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostNames {
    /// Each group: the short name first, then the other spellings, lower case.
    groups: Vec<Vec<String>>,
    /// DNS domain names whose suffix is dropped (`tssr.lan`).
    domains: Vec<String>,
}

fn clean(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

impl HostNames {
    /// The names known from the host's own snapshot.
    pub(crate) fn of(host: &HostView<'_>) -> HostNames {
        let mut names = HostNames::default();
        let identity = &host.snapshot.host;
        names.add(&identity.hostname, identity.fqdn.as_deref());
        if let Some(domain) = &identity.domain {
            names.domains.push(clean(domain));
        }
        if let Some(dir) = host.snapshot.sections.directory.data() {
            names.domains.push(clean(&dir.domain.dns_name));
            for computer in &dir.computers {
                names.add(
                    computer.sam_account_name.trim_end_matches('$'),
                    computer.dns_host_name.as_deref(),
                );
            }
        }
        names.domains.retain(|d| !d.is_empty());
        names.domains.sort();
        names.domains.dedup();
        names
    }

    fn add(&mut self, short: &str, fqdn: Option<&str>) {
        let short = clean(short.split('.').next().unwrap_or(short));
        if short.is_empty() {
            return;
        }
        let mut group = vec![short];
        group.extend(fqdn.map(clean).filter(|f| !f.is_empty()));
        self.groups.push(group);
    }

    /// The key of a host name: the short name of the server it names, else the name in
    /// lower case without a known domain suffix.
    pub(crate) fn key(&self, name: &str) -> String {
        let name = clean(name);
        if let Some(group) = self.groups.iter().find(|g| g.contains(&name)) {
            return group[0].clone();
        }
        for domain in &self.domains {
            if let Some(short) = name
                .strip_suffix(domain.as_str())
                .and_then(|s| s.strip_suffix('.'))
            {
                return short.to_owned();
            }
        }
        name
    }
}

/// `\\host\share\path` → (host, rest) with `/` read as `\`; `None` when not a UNC path.
fn split_unc(path: &str) -> Option<(String, String)> {
    let path = path.trim().replace('/', "\\");
    let rest = path.strip_prefix("\\\\")?;
    let (host, tail) = rest.split_once('\\').unwrap_or((rest, ""));
    Some((host.to_owned(), tail.trim_end_matches('\\').to_lowercase()))
}

/// Two paths are the same: UNC paths when their hosts have the same key and the rest is
/// equal ignoring case (`\\WINSERV1\Ressources` = `\\winserv1.lab.lan\ressources\`); other
/// paths equal ignoring case and the slash direction. Environment variables are compared
/// by their canonical names (`%LogonUser%` = `%USERNAME%`, `env_path.rs`).
pub(crate) fn same_path(names: &HostNames, a: &str, b: &str) -> bool {
    let (a, b) = (canonical(a), canonical(b));
    match (split_unc(&a), split_unc(&b)) {
        (Some((host_a, rest_a)), Some((host_b, rest_b))) => {
            rest_a == rest_b && names.key(&host_a) == names.key(&host_b)
        }
        (None, None) => {
            let norm = |p: &str| {
                p.trim()
                    .replace('/', "\\")
                    .trim_end_matches('\\')
                    .to_lowercase()
            };
            norm(&a) == norm(&b)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dword(n: u64) -> Observed {
        Observed::from_json(&json!(n), "REG_DWORD")
    }

    /// "Drive C: hidden" is NoDrives bit 2: 4 alone (C only) or any mask containing it, such
    /// as 0x3FFFFFF (all drives) or 0x7 (A, B, C); 0x3 (A and B) or 8 (D) do not hide C.
    #[test]
    fn nodrives_bit_masks() {
        let names = HostNames::default();
        let c_hidden = DataMatcher {
            bits_set: Some(4),
            ..DataMatcher::default()
        };
        for (n, hidden) in [
            (4, true),
            (0x3FF_FFFF, true),
            (7, true),
            (3, false),
            (8, false),
            (0, false),
        ] {
            assert_eq!(c_hidden.holds(&names, &dword(n)), hidden, "{n:#x}");
        }
        let d_visible = DataMatcher {
            bits_clear: Some(8),
            ..DataMatcher::default()
        };
        assert!(d_visible.holds(&names, &dword(4)));
        assert!(!d_visible.holds(&names, &dword(0x3FF_FFFF)));
        // A string is not a mask.
        let text = Observed::from_json(&json!("C:"), "REG_SZ");
        assert!(!c_hidden.holds(&names, &text));
    }

    #[test]
    fn equals_one_of_regex_and_preference_numbers() {
        let names = HostNames::default();
        let timeout = DataMatcher {
            one_of: vec![json!(600), json!("900")],
            ..DataMatcher::default()
        };
        assert!(timeout.holds(&names, &Observed::from_json(&json!("600"), "REG_SZ")));
        assert!(timeout.holds(&names, &Observed::from_preference("00000384", "REG_DWORD")));
        assert!(!timeout.holds(&names, &Observed::from_json(&json!("300"), "REG_SZ")));
        let one = DataMatcher {
            equals: Some(json!(1)),
            ..DataMatcher::default()
        };
        assert!(one.holds(&names, &Observed::from_preference("00000001", "REG_DWORD")));
        assert!(one.holds(&names, &dword(1)));
        assert!(!one.holds(&names, &Observed::from_json(&json!("yes"), "REG_SZ")));
        let wallpaper = DataMatcher {
            regex: Regex::new(r"(?i)\\\\[^\\]+\\ressources\\.*\.(jpg|png)$").ok(),
            ..DataMatcher::default()
        };
        assert!(wallpaper.holds(
            &names,
            &Observed::from_json(&json!(r"\\WINSERV1\Ressources\fond.JPG"), "REG_SZ")
        ));
    }

    fn names() -> HostNames {
        let mut names = HostNames {
            domains: vec!["lab.lan".to_owned()],
            ..HostNames::default()
        };
        names.add("WINSERV1", Some("winserv1.lab.lan"));
        names.add("FS", Some("files.other.net"));
        names
    }

    #[test]
    fn unc_hosts_match_by_short_name_and_fqdn() {
        let n = names();
        for (a, b, same) in [
            (
                r"\\WINSERV1\Ressources",
                r"\\winserv1.lab.lan\ressources\",
                true,
            ),
            (
                r"\\winserv1\Ressources\Logiciels",
                r"//WinServ1/ressources/logiciels",
                true,
            ),
            (
                r"\\FS\Deploiement\7z.msi",
                r"\\files.other.net\deploiement\7z.msi",
                true,
            ),
            (r"\\srv2\Deploiement", r"\\srv2.lab.lan\Deploiement", true),
            (r"\\WINSERV1\Ressources", r"\\winserv2\Ressources", false),
            (r"\\WINSERV1\Ressources", r"\\winserv1\Ressources2", false),
            (r"\\WINSERV1\Ressources", r"C:\Ressources", false),
            (r"C:\Windows\Web\wall.jpg", r"c:/windows/web/WALL.jpg", true),
            (
                r"\\winserv1\perso$\%LogonUser%",
                r"\\WINSERV1.lab.lan\Perso$\%username%",
                true,
            ),
            (
                r"\\winserv1\perso$\%LogonUser%",
                r"\\winserv1\perso$\%LogonDomain%",
                false,
            ),
        ] {
            assert_eq!(same_path(&n, a, b), same, "{a} vs {b}");
        }
    }
}
