//! MDT rules files (`CustomSettings.ini`, `Bootstrap.ini`): `[section]` headers and
//! `key=value` lines, `;` comments, as MDT's `ZTIGather.wsf` reads them (through the Windows
//! profile API: keys case-insensitive, the first of a repeated key wins, spaces around `=`
//! trimmed).
//!
//! Secrets never leave the parser: the value of a key naming a password or a product key
//! (`UserPassword`, `DomainAdminPassword`, `AdminPassword`, `ProductKey`,
//! `OverrideProductKey`…) is replaced by `***`, whatever the value (the wizard's `Skip…`
//! flags are not secrets).

use constat_snapshot::deployment::{IniFile, IniSection, IniSetting};

/// Lines read at most (a rules file has tens).
pub const MAX_LINES: usize = 20_000;

/// Parses an MDT `.ini` text; a line before any section or without `=` is kept out and
/// named in the returned problems (`line N: …`).
pub fn parse(text: &str) -> (IniFile, Vec<String>) {
    let mut file = IniFile::default();
    let mut problems = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        if index == MAX_LINES {
            problems.push(format!("more than {MAX_LINES} lines: the rest is not read"));
            break;
        }
        let line = raw.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with(';') {
            continue;
        }
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if let Some(name) = line.strip_prefix('[') {
            let name = name.split(']').next().unwrap_or_default().trim();
            file.sections.push(IniSection {
                name: name.to_owned(),
                settings: Vec::new(),
            });
            continue;
        }
        let Some(section) = file.sections.last_mut() else {
            problems.push(format!(
                "line {number}: a setting before any [section] (ignored by MDT)"
            ));
            continue;
        };
        let Some((key, value)) = line.split_once('=') else {
            problems.push(format!("line {number}: no `=` (ignored by MDT)"));
            continue;
        };
        let key = key.trim();
        let value = if is_secret(key) { "***" } else { value.trim() };
        section.settings.push(IniSetting {
            key: key.to_owned(),
            value: value.to_owned(),
            line: number,
        });
    }
    (file, problems)
}

/// Whether a key holds a secret: passwords and product keys. The wizard's `Skip…` flags
/// (`SkipAdminPassword=YES`, `SkipProductKey=YES`) are not.
pub fn is_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    !key.starts_with("skip")
        && (key.contains("password") || key.contains("productkey") || key.ends_with("pwd"))
}

/// The value MDT applies for `key`: the first section listed in `[Settings] Priority`
/// (`Default` when there is none) that exists under that name and sets it. A priority item
/// naming a client property (`Model`, `DefaultGateway`) selects the section named after the
/// client's value, unknown here: such sections are only found when literally named.
pub fn effective<'a>(file: &'a IniFile, key: &str) -> Option<&'a IniSetting> {
    let get = |section: &str| {
        file.sections
            .iter()
            .filter(|s| s.name.eq_ignore_ascii_case(section))
            .flat_map(|s| &s.settings)
            .find(|s| s.key.eq_ignore_ascii_case(key))
    };
    let priority: Vec<String> = get_in(file, "Settings", "Priority")
        .map(|p| p.value.split(',').map(|s| s.trim().to_owned()).collect())
        .unwrap_or_else(|| vec!["Default".to_owned()]);
    priority.iter().find_map(|section| get(section))
}

fn get_in<'a>(file: &'a IniFile, section: &str, key: &str) -> Option<&'a IniSetting> {
    file.sections
        .iter()
        .filter(|s| s.name.eq_ignore_ascii_case(section))
        .flat_map(|s| &s.settings)
        .find(|s| s.key.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// Real `CustomSettings.ini` of a public deployment share
    /// (`technology-toolbox/MDT-Deploy`, CRLF; see tests/fixtures/samples/SOURCES.md 3.18).
    #[test]
    fn a_real_custom_settings_ini() {
        let (file, problems) = parse(&sample(
            "technology-toolbox_MDT-Deploy__Control_CustomSettings.ini",
        ));
        assert!(problems.is_empty(), "{problems:?}");
        let names: Vec<&str> = file.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Settings", "Default"]);
        assert_eq!(
            effective(&file, "joindomain").map(|s| (s.value.as_str(), s.line)),
            Some(("corp.technologytoolbox.com", 9))
        );
        assert_eq!(
            effective(&file, "SkipBDDWelcome"),
            None,
            "not in this CustomSettings.ini (it is in Bootstrap.ini)"
        );
    }

    /// Real file with `AdminPassword=`/`DomainAdminPassword=` lines
    /// (`ciphernemo/Complete-Win10-Deploy`, tests/fixtures/samples/SOURCES.md 3.22): never kept.
    #[test]
    fn passwords_are_masked_and_comments_skipped() {
        let text = sample("ciphernemo_Complete-Win10-Deploy__Control_CustomSettings.ini");
        let (file, problems) = parse(&text);
        assert!(problems.is_empty(), "{problems:?}");
        let debug = format!("{file:?}");
        assert!(!debug.contains("if_you_want_to_expose_this"), "{debug}");
        assert_eq!(
            effective(&file, "AdminPassword").map(|s| s.value.as_str()),
            Some("***")
        );
        assert_eq!(
            effective(&file, "SkipAdminPassword").map(|s| s.value.as_str()),
            Some("YES"),
            "a wizard flag, not a secret"
        );
        assert_eq!(
            effective(&file, "TaskSequenceID").map(|s| s.value.as_str()),
            Some("MY_TASK_SEQ")
        );
        assert!(effective(&file, "Applications001").is_none(), "a ; comment");
    }

    #[test]
    fn priority_sections_and_malformed_lines() {
        let text = "stray=1\n[Settings]\nPriority=Model, Compta, Default\n[Default]\nJoinDomain=TSSR\nno equals\nJoinDomain=second\nOSInstall=Y\n[Compta]\nJoinDomain=compta\n";
        let (file, problems) = parse(text);
        assert_eq!(
            problems,
            [
                "line 1: a setting before any [section] (ignored by MDT)",
                "line 6: no `=` (ignored by MDT)"
            ]
        );
        assert_eq!(
            effective(&file, "JoinDomain").map(|s| s.value.as_str()),
            Some("compta")
        );
        assert_eq!(effective(&file, "osinstall").map(|s| s.line), Some(8));
    }
}
