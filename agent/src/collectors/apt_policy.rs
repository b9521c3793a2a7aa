//! APT's pinning priorities, as `apt-cache policy` computes them: file priorities (500, 100
//! for the dpkg status, 1 for `NotAutomatic`, 100 with `ButAutomaticUpgrades`, 990 for
//! `APT::Default-Release`), generic pins (`Package: *`) by release or origin, and
//! package-specific pins by version, release or origin, read from `/etc/apt/preferences` and
//! `/etc/apt/preferences.d`.

use super::apt_lists::ReleaseInfo;

/// One source of package versions: the dpkg status or one `Packages` list.
#[derive(Debug, Clone, Default)]
pub struct PackageFile {
    /// The dpkg status "file" (archive `now`).
    pub status: bool,
    /// Host of the repository (`deb.debian.org`), `Pin: origin`.
    pub site: String,
    /// Component (`main`), `c=`.
    pub component: String,
    /// Architecture of the list (`amd64`), `b=`.
    pub arch: String,
    /// The release file's fields.
    pub release: ReleaseInfo,
    /// Priority after defaults and generic pins.
    pub priority: i32,
}

impl PackageFile {
    /// A security archive (label, origin, suite or codename says so).
    pub fn is_security(&self) -> bool {
        let r = &self.release;
        [&r.label, &r.origin, &r.suite, &r.codename]
            .iter()
            .any(|s| s.to_ascii_lowercase().contains("security"))
    }
}

/// What a pin matches.
#[derive(Debug, Clone, PartialEq)]
pub enum PinKind {
    /// `Pin: version GLOB`.
    Version(String),
    /// `Pin: release a=..,n=..` (or a bare release name/version).
    Release(Vec<(char, String)>),
    /// `Pin: origin HOST`.
    Origin(String),
}

/// One stanza of a preferences file.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    /// Package name patterns; empty for `Package: *` (a generic pin).
    pub packages: Vec<String>,
    /// What it matches.
    pub kind: PinKind,
    /// `Pin-Priority`.
    pub priority: i32,
}

/// Parses one preferences file; `where_` names it in errors (`path:line`).
pub fn parse_preferences(text: &str, where_: &str) -> Result<Vec<Pin>, String> {
    let mut pins = Vec::new();
    let mut stanza: Vec<(usize, &str, &str)> = Vec::new();
    let mut flush = |stanza: &mut Vec<(usize, &str, &str)>| -> Result<(), String> {
        if stanza.is_empty() {
            return Ok(());
        }
        let first = stanza[0].0;
        let get = |k: &str| {
            stanza
                .iter()
                .find(|(_, key, _)| key.eq_ignore_ascii_case(k))
                .map(|(l, _, v)| (*l, *v))
        };
        let Some((_, packages)) = get("Package") else {
            // apt ignores stanzas without Package (e.g. only Explanation).
            stanza.clear();
            return Ok(());
        };
        let (line, pin) = get("Pin").ok_or(format!("{where_}:{first}: stanza without Pin:"))?;
        let (pl, priority) =
            get("Pin-Priority").ok_or(format!("{where_}:{first}: stanza without Pin-Priority:"))?;
        let priority: i32 = priority
            .trim()
            .parse()
            .map_err(|_| format!("{where_}:{pl}: Pin-Priority {priority:?} is not a number"))?;
        let packages: Vec<String> = packages
            .split_whitespace()
            .filter(|p| *p != "*")
            .map(str::to_owned)
            .collect();
        if let Some(p) = packages
            .iter()
            .find(|p| p.starts_with('/') || p.starts_with("src:"))
        {
            return Err(format!(
                "{where_}:{first}: package pattern {p:?} (regular expression or source package) \
                 is not modelled by the agent"
            ));
        }
        let (kind, value) = pin.trim().split_once(' ').unwrap_or((pin.trim(), ""));
        let value = value.trim();
        if value.starts_with('/') || value.contains(",/") || value.contains("=/") {
            return Err(format!(
                "{where_}:{line}: regular expression in Pin: is not modelled by the agent"
            ));
        }
        let kind = match kind {
            "version" => PinKind::Version(value.to_owned()),
            "origin" => PinKind::Origin(value.trim_matches('"').to_owned()),
            "release" => PinKind::Release(parse_release_pin(value)),
            other => return Err(format!("{where_}:{line}: unknown pin type {other:?}")),
        };
        pins.push(Pin {
            packages,
            kind,
            priority,
        });
        stanza.clear();
        Ok(())
    };
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim_start().starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            flush(&mut stanza)?;
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continue; // continuation of Explanation
        }
        if let Some((k, v)) = line.split_once(':') {
            stanza.push((line_no, k.trim(), v.trim()));
        }
    }
    flush(&mut stanza)?;
    Ok(pins)
}

/// `a=stable, n=bookworm` → `[('a', "stable"), ('n', "bookworm")]`; a bare value names a
/// release by archive or codename (`R`), or a version when it starts with a digit (`v`).
fn parse_release_pin(value: &str) -> Vec<(char, String)> {
    if value == "*" {
        return vec![('*', String::new())];
    }
    if !value.contains('=') {
        let key = if value.starts_with(|c: char| c.is_ascii_digit()) {
            'v'
        } else {
            'R'
        };
        return vec![(key, value.trim_matches('"').to_owned())];
    }
    value
        .split(',')
        .filter_map(|part| {
            let (k, v) = part.trim().split_once('=')?;
            Some((
                k.trim().chars().next()?,
                v.trim().trim_matches('"').to_owned(),
            ))
        })
        .collect()
}

/// fnmatch(3) without flags: `*`, `?`, `[...]`; anything else literal.
pub fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some(b'*') => (0..=t.len()).any(|i| go(&p[1..], &t[i..])),
            Some(b'?') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some(b'[') => {
                let Some(close) = p.iter().skip(2).position(|&c| c == b']').map(|i| i + 2) else {
                    return t.first() == Some(&b'[') && go(&p[1..], &t[1..]);
                };
                let Some(&c) = t.first() else { return false };
                let mut set = &p[1..close];
                let negate = matches!(set.first(), Some(b'!' | b'^'));
                if negate {
                    set = &set[1..];
                }
                let mut hit = false;
                let mut i = 0;
                while i < set.len() {
                    if i + 2 < set.len() && set[i + 1] == b'-' {
                        hit |= set[i] <= c && c <= set[i + 2];
                        i += 3;
                    } else {
                        hit |= set[i] == c;
                        i += 1;
                    }
                }
                hit != negate && go(&p[close + 1..], &t[1..])
            }
            Some(&c) => t.first() == Some(&c) && go(&p[1..], &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

/// Whether a release or origin pin matches a file (apt's `pkgVersionMatch::FileMatch`).
pub fn file_matches(kind: &PinKind, file: &PackageFile) -> bool {
    match kind {
        PinKind::Version(_) => false,
        PinKind::Origin(site) => {
            if file.status {
                return false;
            }
            glob(site, &file.site)
        }
        PinKind::Release(parts) => {
            if parts.iter().any(|(k, _)| *k == '*') {
                return true;
            }
            if parts.is_empty() {
                return false;
            }
            let r = &file.release;
            let archive = if file.status { "now" } else { r.suite.as_str() };
            parts.iter().all(|(k, v)| match k {
                'a' => glob(v, archive),
                'n' => glob(v, &r.codename),
                'R' => glob(v, archive) || glob(v, &r.codename),
                // A version pin matches as a prefix when it ends with `*`, else exactly.
                'v' => !r.version.is_empty() && glob(v, &r.version),
                'o' => glob(v, &r.origin),
                'l' => glob(v, &r.label),
                'c' => glob(v, &file.component),
                'b' => glob(v, &file.arch),
                _ => false,
            })
        }
    }
}

/// Sets every file's priority: defaults, then `APT::Default-Release` (990), then the first
/// matching generic pin of the preferences, in file order.
pub fn assign_file_priorities(
    files: &mut [PackageFile],
    default_release: Option<&str>,
    pins: &[Pin],
) {
    let default_pin = default_release.map(|r| Pin {
        packages: Vec::new(),
        kind: PinKind::Release(parse_release_pin(r)),
        priority: 990,
    });
    let generic: Vec<&Pin> = default_pin
        .iter()
        .chain(pins.iter().filter(|p| p.packages.is_empty()))
        .filter(|p| !matches!(p.kind, PinKind::Version(_)))
        .collect();
    for file in files.iter_mut() {
        let r = &file.release;
        file.priority = if file.status || (r.not_automatic && r.but_automatic_upgrades) {
            100
        } else if r.not_automatic {
            1
        } else {
            500
        };
        if let Some(pin) = generic.iter().find(|p| file_matches(&p.kind, file)) {
            file.priority = pin.priority;
        }
    }
}

/// The priority of one version of `name` found in `files` (apt's `GetPriority(Ver)`): the
/// first package-specific pin that matches it, else the highest of its files' priorities.
pub fn version_priority(name: &str, version: &str, files: &[&PackageFile], pins: &[Pin]) -> i32 {
    for pin in pins.iter().filter(|p| !p.packages.is_empty()) {
        if !pin.packages.iter().any(|p| glob(p, name)) {
            continue;
        }
        let hit = match &pin.kind {
            PinKind::Version(v) => glob(v, version),
            kind => files.iter().any(|f| file_matches(kind, f)),
        };
        if hit {
            return pin.priority;
        }
    }
    files.iter().map(|f| f.priority).max().unwrap_or(0)
}

/// `APT::Default-Release "x";` in apt.conf or apt.conf.d (flat or nested `Default-Release`).
pub fn default_release(conf: &str) -> Option<String> {
    let mut found = None;
    for line in conf.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if line.starts_with('#') {
            continue;
        }
        if let Some(pos) = line.find("Default-Release") {
            let rest = &line[pos + "Default-Release".len()..];
            if let Some(value) = rest.split('"').nth(1) {
                found = Some(value.to_owned());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(suite: &str, site: &str, not_auto: bool, but: bool) -> PackageFile {
        PackageFile {
            site: site.into(),
            component: "main".into(),
            arch: "amd64".into(),
            release: ReleaseInfo {
                suite: suite.into(),
                codename: suite.replace("stable", "bookworm"),
                origin: "Debian".into(),
                not_automatic: not_auto,
                but_automatic_upgrades: but,
                ..ReleaseInfo::default()
            },
            ..PackageFile::default()
        }
    }

    #[test]
    fn priorities_by_default_and_pins() {
        let prefs = "# comment\nExplanation: backports for nginx\nPackage: nginx nginx-*\nPin: release a=stable-backports\nPin-Priority: 900\n\n\
Package: *\nPin: origin deb.example.org\nPin-Priority: 50\n\nPackage: openssl\nPin: version 3.0.15*\nPin-Priority: 1001\n";
        let pins = parse_preferences(prefs, "prefs").unwrap();
        assert_eq!(pins.len(), 3);
        let mut files = vec![
            PackageFile {
                status: true,
                ..PackageFile::default()
            },
            file("stable", "deb.debian.org", false, false),
            file("stable-backports", "deb.debian.org", true, true),
            file("experimental", "deb.debian.org", true, false),
            file("stable", "deb.example.org", false, false),
            file("testing", "deb.debian.org", false, false),
        ];
        assign_file_priorities(&mut files, Some("stable"), &pins);
        let p: Vec<i32> = files.iter().map(|f| f.priority).collect();
        // status 100, Default-Release 990 (first generic pin wins), backports 100,
        // experimental 1, the example origin is also a=stable: Default-Release first, testing 500.
        assert_eq!(p, [100, 990, 100, 1, 990, 500]);
        assert_eq!(
            version_priority("nginx-core", "1.2", &[&files[2]], &pins),
            900
        );
        assert_eq!(
            version_priority("nginx-core", "1.2", &[&files[5]], &pins),
            500
        );
        assert_eq!(
            version_priority("openssl", "3.0.15-1~deb12u1", &[&files[5]], &pins),
            1001
        );
        assert_eq!(
            version_priority("openssl", "3.0.16-1", &[&files[1], &files[5]], &pins),
            990
        );
    }

    #[test]
    fn preference_errors_say_where() {
        let err = parse_preferences(
            "Package: foo\nPin: release a=x\nPin-Priority: high\n",
            "/etc/apt/preferences.d/x",
        )
        .unwrap_err();
        assert_eq!(
            err,
            "/etc/apt/preferences.d/x:3: Pin-Priority \"high\" is not a number"
        );
        let err = parse_preferences("Package: /^lib/\nPin: release a=x\nPin-Priority: 1\n", "p")
            .unwrap_err();
        assert!(err.starts_with("p:1: package pattern"), "{err}");
    }

    #[test]
    fn globs_and_default_release() {
        assert!(glob("nginx-*", "nginx-core"));
        assert!(glob("3.0.1[0-5]*", "3.0.15-1"));
        assert!(!glob("3.0.1[!5]*", "3.0.15-1"));
        assert!(glob("deb.debian.org", "deb.debian.org"));
        assert!(!glob("stable", "oldstable"));
        assert_eq!(
            default_release("// x\nAPT::Default-Release \"bookworm\";\n").as_deref(),
            Some("bookworm")
        );
        assert_eq!(
            default_release("APT {\n  Default-Release \"stable\";\n};\n").as_deref(),
            Some("stable")
        );
    }
}
