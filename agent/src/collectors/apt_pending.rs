//! Pending updates computed from dpkg's status and apt's local lists, without running apt:
//! what `apt-get -s dist-upgrade` would install, never touching the network or a lock.
//!
//! Modelled: Debian version ordering (`debversion.rs`), candidate choice with APT's
//! priorities (`apt_policy.rs`: defaults, `NotAutomatic`, `ButAutomaticUpgrades`,
//! `APT::Default-Release`, preferences pins by version/release/origin, downgrades only at
//! priority ≥ 1000), multi-arch (`Architecture: all` belongs to the native architecture;
//! foreign packages are named `name:arch`), held packages (dpkg `hold`) kept back, and new
//! packages a candidate's `Depends`/`Pre-Depends` pull in (first real alternative, no installed
//! package or `Provides` satisfying the group), as dist-upgrade installs them.
//!
//! Not modelled: version constraints of dependencies and conflicts (apt may keep an upgrade
//! back, or remove packages, when they cannot be met), new `Recommends`, virtual packages as
//! the first alternative of a new dependency, `Phased-Update-Percentage` (Ubuntu), lists left
//! behind by an entry since removed from sources.list, regular-expression pins (reported as
//! not computed).

use super::apt_lists::{self, ListError};
use super::apt_policy::{self, PackageFile, Pin};
use super::debversion;
use crate::host::Host;
use constat_snapshot::packages::PendingUpdate;
use std::collections::{BTreeMap, HashMap, HashSet};

const APT_LISTS: &str = "/var/lib/apt/lists";

/// One installed package of the dpkg status.
#[derive(Debug, Clone)]
struct Installed {
    name: String,
    /// Architecture, `all` mapped to the native one.
    arch: String,
    version: String,
    held: bool,
    provides: Vec<String>,
}

/// One version of a package found in the lists.
#[derive(Debug, Clone, Default)]
struct Available {
    version: String,
    files: Vec<usize>,
    depends: String,
    provides: Vec<String>,
}

/// Computes pending updates; `Err` says why they could not be (recorded as not known).
pub fn pending_updates(host: &dyn Host, status: &str) -> Result<Vec<PendingUpdate>, String> {
    let installed = parse_status(status)?;
    let native = native_arch(&installed)
        .ok_or("dpkg status has no installed dpkg package: native architecture unknown")?;
    let installed: Vec<Installed> = installed
        .into_iter()
        .map(|mut p| {
            if p.arch == "all" {
                p.arch = native.clone();
            }
            p
        })
        .collect();
    let (mut files, lists) = package_files(host)?;
    let pins = read_preferences(host)?;
    let default_release = read_default_release(host);
    apt_policy::assign_file_priorities(&mut files, default_release.as_deref(), &pins);

    let mut keys: HashMap<String, Vec<String>> = HashMap::new();
    for p in &installed {
        keys.entry(p.name.clone()).or_default().push(p.arch.clone());
    }
    let mut available: HashMap<(String, String), Vec<Available>> = HashMap::new();
    scan(host, &lists, &files, &native, &keys, &mut available)?;

    let mut out = Vec::new();
    let mut present: HashSet<String> = HashSet::new();
    for p in &installed {
        present.insert(p.name.clone());
        present.extend(p.provides.iter().cloned());
    }
    let mut pulled_by: Vec<String> = Vec::new();
    for p in installed.iter().filter(|p| !p.held) {
        let versions = available
            .get(&(p.name.clone(), p.arch.clone()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let Some(candidate) = candidate(&p.name, Some(&p.version), versions, &files, &pins) else {
            continue;
        };
        if candidate.version == p.version {
            continue;
        }
        present.extend(candidate.provides.iter().cloned());
        pulled_by.push(candidate.depends.clone());
        out.push(update(
            p.name.clone(),
            &p.arch,
            &native,
            Some(p.version.clone()),
            candidate,
            &files,
        ));
    }

    // New packages the upgrades depend on, a few rounds deep (each round reads the lists again).
    for _round in 0..8 {
        let mut wanted: Vec<Vec<String>> = Vec::new();
        for depends in pulled_by.drain(..) {
            for group in depends.split(',') {
                let alternatives: Vec<String> =
                    group.split('|').filter_map(dependency_name).collect();
                if alternatives.is_empty() || alternatives.iter().any(|a| present.contains(a)) {
                    continue;
                }
                if !wanted.contains(&alternatives) {
                    wanted.push(alternatives);
                }
            }
        }
        if wanted.is_empty() {
            break;
        }
        let mut keys: HashMap<String, Vec<String>> = HashMap::new();
        for name in wanted.iter().flatten() {
            keys.entry(name.clone())
                .or_insert_with(|| vec![native.clone()]);
        }
        let mut found: HashMap<(String, String), Vec<Available>> = HashMap::new();
        scan(host, &lists, &files, &native, &keys, &mut found)?;
        for alternatives in &wanted {
            if alternatives.iter().any(|a| present.contains(a)) {
                continue;
            }
            for name in alternatives {
                let versions = found
                    .get(&(name.clone(), native.clone()))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                if let Some(candidate) = candidate(name, None, versions, &files, &pins) {
                    present.insert(name.clone());
                    present.extend(candidate.provides.iter().cloned());
                    pulled_by.push(candidate.depends.clone());
                    out.push(update(
                        name.clone(),
                        &native,
                        &native,
                        None,
                        candidate,
                        &files,
                    ));
                    break;
                }
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out.dedup_by(|a, b| a.name == b.name);
    Ok(out)
}

fn update(
    name: String,
    arch: &str,
    native: &str,
    current: Option<String>,
    candidate: &Available,
    files: &[PackageFile],
) -> PendingUpdate {
    PendingUpdate {
        name: if arch == native {
            name
        } else {
            format!("{name}:{arch}")
        },
        current,
        candidate: candidate.version.clone(),
        security: candidate.files.iter().any(|&f| files[f].is_security()),
    }
}

/// `pkg (>= 1) [amd64]` / `pkg:any` → `pkg`.
fn dependency_name(alternative: &str) -> Option<String> {
    let name = alternative
        .trim()
        .split(|c: char| c.is_whitespace() || c == '(' || c == '[' || c == '<')
        .next()?;
    let name = name.split(':').next()?;
    (!name.is_empty()).then(|| name.to_owned())
}

/// APT's `GetCandidateVer`: versions from the newest down; the first with a strictly higher
/// priority wins; the search stops at the installed version unless a priority ≥ 1000 was
/// seen (only such a pin downgrades). `None` when the installed version stays (or nothing
/// has a positive priority).
fn candidate<'a>(
    name: &str,
    installed: Option<&str>,
    versions: &'a [Available],
    files: &[PackageFile],
    pins: &[Pin],
) -> Option<&'a Available> {
    const STATUS_FILE: usize = 0;
    // (version, files, list entry, is the installed version)
    let mut walk: Vec<(&str, Vec<usize>, Option<&'a Available>, bool)> = versions
        .iter()
        .map(|v| {
            let is_installed = installed == Some(v.version.as_str());
            let mut f = v.files.clone();
            if is_installed {
                f.push(STATUS_FILE);
            }
            (v.version.as_str(), f, Some(v), is_installed)
        })
        .collect();
    if let Some(v) = installed.filter(|v| !versions.iter().any(|a| a.version == *v)) {
        walk.push((v, vec![STATUS_FILE], None, true));
    }
    walk.sort_by(|a, b| debversion::compare(b.0, a.0));
    let mut best: Option<(Option<&'a Available>, bool)> = None;
    let mut max = 0;
    let mut seen_installed = false;
    for (version, file_ids, entry, is_installed) in walk {
        let refs: Vec<&PackageFile> = file_ids.iter().map(|&f| &files[f]).collect();
        let priority = apt_policy::version_priority(name, version, &refs, pins);
        if priority > max {
            max = priority;
            best = Some((entry, is_installed));
        }
        seen_installed |= is_installed;
        if seen_installed && max < 1000 {
            break;
        }
    }
    match best {
        Some((Some(entry), false)) => Some(entry),
        _ => None,
    }
}

/// Installed packages of the dpkg status (any state with an unpacked version).
fn parse_status(status: &str) -> Result<Vec<Installed>, String> {
    let mut out = Vec::new();
    for paragraph in apt_lists::split_blank_lines(status) {
        let p = paragraph.as_bytes();
        let text = |name: &[u8]| {
            apt_lists::field(p, name).map(|v| String::from_utf8_lossy(v).into_owned())
        };
        let (Some(name), Some(state), Some(version)) =
            (text(b"Package"), text(b"Status"), text(b"Version"))
        else {
            continue;
        };
        let mut words = state.split_whitespace();
        let want = words.next().unwrap_or_default();
        let current = words.nth(1).unwrap_or_default();
        if matches!(current, "not-installed" | "config-files" | "") {
            continue;
        }
        out.push(Installed {
            name,
            arch: text(b"Architecture").unwrap_or_else(|| "all".to_owned()),
            version,
            held: want == "hold",
            provides: text(b"Provides")
                .map(|v| v.split(',').filter_map(dependency_name).collect())
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

fn native_arch(installed: &[Installed]) -> Option<String> {
    installed
        .iter()
        .find(|p| p.name == "dpkg")
        .map(|p| p.arch.clone())
        .filter(|a| a != "all")
}

/// The status "file" (index 0) and one entry per `Packages` list, with the list names.
fn package_files(host: &dyn Host) -> Result<(Vec<PackageFile>, Vec<String>), String> {
    let names = host
        .read_dir(APT_LISTS)
        .map_err(|e| format!("cannot list {APT_LISTS}: {e}"))?;
    let mut releases: BTreeMap<String, apt_lists::ReleaseInfo> = BTreeMap::new();
    for name in &names {
        let (prefix, signed) = if let Some(p) = name.strip_suffix("InRelease") {
            (p, true)
        } else if let Some(p) = name.strip_suffix("_Release") {
            (&name[..p.len() + 1], false)
        } else {
            continue;
        };
        if !signed && releases.contains_key(prefix) {
            continue;
        }
        let text = host
            .read_to_string(&format!("{APT_LISTS}/{name}"))
            .map_err(|e| format!("cannot read {APT_LISTS}/{name}: {e}"))?;
        releases.insert(prefix.to_owned(), apt_lists::parse_release(&text));
    }
    let mut files = vec![PackageFile {
        status: true,
        ..PackageFile::default()
    }];
    let mut lists: Vec<String> = Vec::new();
    let mut bases: HashSet<String> = HashSet::new();
    // Plain names sort before their compressed twin: the plain one is kept.
    for name in names.iter().filter(|n| apt_lists::is_packages_list(n)) {
        let base = apt_lists::strip_compression(name).0;
        if !bases.insert(base.to_owned()) {
            continue;
        }
        let release = releases
            .iter()
            .filter(|(prefix, _)| base.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len());
        let rest = release.map_or(base, |(prefix, _)| &base[prefix.len()..]);
        let (component, arch) = match rest.split_once("_binary-") {
            Some((component, tail)) => (
                component.to_owned(),
                tail.strip_suffix("_Packages").unwrap_or(tail).to_owned(),
            ),
            None => (String::new(), String::new()),
        };
        let site = base.split('_').next().unwrap_or_default();
        let site = site.rsplit_once(':').map_or(site, |(host, _)| host);
        files.push(PackageFile {
            status: false,
            site: site.to_owned(),
            component,
            arch,
            release: release.map(|(_, r)| r.clone()).unwrap_or_default(),
            priority: 0,
        });
        lists.push(name.clone());
    }
    if lists.is_empty() {
        return Err(
            "apt lists absent (/var/lib/apt/lists): run `apt update` on the host first".to_owned(),
        );
    }
    Ok((files, lists))
}

/// `/etc/apt/preferences` then `/etc/apt/preferences.d/*` (no extension or `.pref`, apt's
/// name rules), in order.
fn read_preferences(host: &dyn Host) -> Result<Vec<Pin>, String> {
    let mut paths = vec!["/etc/apt/preferences".to_owned()];
    paths.extend(
        host.read_dir("/etc/apt/preferences.d")
            .unwrap_or_default()
            .into_iter()
            .filter(|n| apt_part_name(n, "pref"))
            .map(|n| format!("/etc/apt/preferences.d/{n}")),
    );
    let mut pins = Vec::new();
    for path in paths {
        match host.read_to_string(&path) {
            Ok(text) => pins.extend(apt_policy::parse_preferences(&text, &path)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot read {path}: {e}")),
        }
    }
    Ok(pins)
}

/// apt's rule for `*.d` parts: letters, digits, `_`, `-`, `.`; no extension or `.ext`.
fn apt_part_name(name: &str, ext: &str) -> bool {
    name.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && match name.rsplit_once('.') {
            None => true,
            Some((_, e)) => e == ext,
        }
}

fn read_default_release(host: &dyn Host) -> Option<String> {
    let mut paths = vec!["/etc/apt/apt.conf".to_owned()];
    paths.extend(
        host.read_dir("/etc/apt/apt.conf.d")
            .unwrap_or_default()
            .into_iter()
            .filter(|n| apt_part_name(n, "conf"))
            .map(|n| format!("/etc/apt/apt.conf.d/{n}")),
    );
    paths
        .iter()
        .filter_map(|p| host.read_to_string(p).ok())
        .filter_map(|text| apt_policy::default_release(&text))
        .last()
}

/// Reads every list once, keeping the versions of the packages named in `keys`
/// (name → architectures wanted).
fn scan(
    host: &dyn Host,
    lists: &[String],
    files: &[PackageFile],
    native: &str,
    keys: &HashMap<String, Vec<String>>,
    out: &mut HashMap<(String, String), Vec<Available>>,
) -> Result<(), String> {
    for (index, list) in lists.iter().enumerate() {
        let file_id = index + 1;
        let _ = &files[file_id];
        let path = host.path(&format!("{APT_LISTS}/{list}"));
        let result = apt_lists::for_each_paragraph(&path, |p| {
            let Some(name) = apt_lists::first_field(p, b"Package")
                .or_else(|| apt_lists::field(p, b"Package"))
                .and_then(|n| std::str::from_utf8(n).ok())
            else {
                return;
            };
            let Some(arches) = keys.get(name) else {
                return;
            };
            let arch = apt_lists::field(p, b"Architecture")
                .and_then(|a| std::str::from_utf8(a).ok())
                .unwrap_or("all");
            let arch = if arch == "all" { native } else { arch };
            if !arches.iter().any(|a| a == arch) {
                return;
            }
            let text = |f: &[u8]| {
                apt_lists::field(p, f)
                    .map(|v| String::from_utf8_lossy(v).into_owned())
                    .unwrap_or_default()
            };
            let version = text(b"Version");
            if version.is_empty() {
                return;
            }
            let versions = out.entry((name.to_owned(), arch.to_owned())).or_default();
            if let Some(existing) = versions.iter_mut().find(|v| v.version == version) {
                if !existing.files.contains(&file_id) {
                    existing.files.push(file_id);
                }
                return;
            }
            let mut depends = text(b"Pre-Depends");
            let plain = text(b"Depends");
            if !plain.is_empty() {
                if !depends.is_empty() {
                    depends.push(',');
                }
                depends.push_str(&plain);
            }
            versions.push(Available {
                version,
                files: vec![file_id],
                depends,
                provides: text(b"Provides")
                    .split(',')
                    .filter_map(dependency_name)
                    .collect(),
            });
        });
        result.map_err(|e: ListError| format!("cannot read {APT_LISTS}/{list}: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LocalHost;

    /// An offline root made by hand: the same shapes as the real-tier comparison with apt-get
    /// (`tests/tests/apt_pending.rs`), small enough to read.
    #[test]
    fn offline_root_with_pins_holds_and_new_dependencies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |p: &str, text: &str| {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let status = "Package: dpkg\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.21.22\n\n\
Package: a\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0-1\n\n\
Package: b\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n\n\
Package: held\nStatus: hold ok installed\nArchitecture: amd64\nVersion: 1.0-1\n\n\
Package: libx\nStatus: install ok installed\nArchitecture: i386\nVersion: 2.0-1\n\n\
Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 0.1\n";
        write("var/lib/dpkg/status", status);
        let lists = "var/lib/apt/lists";
        write(
            &format!("{lists}/deb.example.org_d_dists_main_InRelease"),
            "-----BEGIN PGP SIGNED MESSAGE-----\n\nOrigin: Ex\nLabel: Ex\nSuite: stable\nCodename: one\n",
        );
        write(
            &format!("{lists}/deb.example.org_d_dists_main_main_binary-amd64_Packages"),
            "Package: a\nVersion: 1.1-1\nArchitecture: all\nDepends: new (>= 1) | alt, dpkg\n\n\
Package: new\nVersion: 1.0~rc1-1\nArchitecture: amd64\nProvides: virtual\n\n\
Package: b\nVersion: 1.0-1\nArchitecture: amd64\n\nPackage: held\nVersion: 9\nArchitecture: amd64\n",
        );
        write(
            &format!("{lists}/deb.example.org_d_dists_main_main_binary-i386_Packages"),
            "Package: libx\nVersion: 2.0-2\nArchitecture: i386\n",
        );
        write(
            &format!("{lists}/sec.example.org_d_dists_sec_Release"),
            "Origin: Ex\nLabel: Ex-Security\nSuite: stable-security\n",
        );
        write(
            &format!("{lists}/sec.example.org_d_dists_sec_main_binary-amd64_Packages"),
            "Package: b\nVersion: 1.0-1+sec1\nArchitecture: amd64\n",
        );
        write(
            &format!("{lists}/exp.example.org_d_dists_exp_Release"),
            "Suite: experimental\nNotAutomatic: yes\n",
        );
        write(
            &format!("{lists}/exp.example.org_d_dists_exp_main_binary-amd64_Packages"),
            "Package: b\nVersion: 5.0-1\nArchitecture: amd64\n",
        );
        let host = LocalHost::offline(root);
        insta::assert_yaml_snapshot!(pending_updates(&host, status).unwrap());
        // A pin on the security archive keeps b where it is.
        write(
            "etc/apt/preferences.d/no-sec",
            "Package: b\nPin: release l=Ex-Security\nPin-Priority: 50\n",
        );
        let pending = pending_updates(&host, status).unwrap();
        assert!(!pending.iter().any(|p| p.name == "b"), "{pending:?}");
        write(
            "etc/apt/preferences.d/bad",
            "Package: b\nPin: release a=x\nPin-Priority: x\n",
        );
        assert_eq!(
            pending_updates(&host, status).unwrap_err(),
            "/etc/apt/preferences.d/bad:3: Pin-Priority \"x\" is not a number"
        );
    }
}
