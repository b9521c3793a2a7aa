//! Pending updates computed by the agent from dpkg's status and apt's lists are the same as
//! `apt-get -s dist-upgrade` says, run for real on this machine: once on the live root, once
//! on a crafted root (this machine's status and lists, plus a hand-made status of fake
//! packages, three fake repositories — `NotAutomatic`+`ButAutomaticUpgrades`, `NotAutomatic`,
//! plain — `APT::Default-Release`, preferences pins by version, release, label and origin, a
//! hold, and a new dependency). apt only reads local files here: the fake repositories have
//! `.invalid` hosts and `apt update` is never run.

use constat_tests::real::{agent_binary, real_tests_enabled, require_programs};
use regex::Regex;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

type Pending = BTreeMap<String, (Option<String>, String, bool)>;

fn agent_pending(root: Option<&Path>) -> Pending {
    let mut cmd = Command::new(agent_binary());
    cmd.args(["collect", "--only", "packages"]);
    if let Some(root) = root {
        cmd.arg("--root").arg(root);
    }
    let out = cmd.output().expect("agent runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let snapshot: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let updates = &snapshot["sections"]["packages"]["data"]["updates"];
    assert_eq!(
        updates["known"], true,
        "pending updates not computed: {updates}"
    );
    updates["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                (
                    p["current"].as_str().map(str::to_owned),
                    p["candidate"].as_str().unwrap().to_owned(),
                    p["security"].as_bool().unwrap(),
                ),
            )
        })
        .collect()
}

fn apt_pending(extra: &[String]) -> Pending {
    let mut cmd = Command::new("apt-get");
    cmd.args([
        "-s",
        "-q",
        "-o",
        "Debug::NoLocking=1",
        "-o",
        "Dir::Cache::pkgcache=",
    ])
    .args(["-o", "Dir::Cache::srcpkgcache="])
    .args(extra)
    .arg("dist-upgrade");
    let out = cmd.output().expect("apt-get runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "apt-get failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = Regex::new(r"^Inst (\S+) (?:\[(\S+)\] )?\((\S+) (.*)\)").unwrap();
    stdout
        .lines()
        .filter_map(|l| line.captures(l))
        .map(|c| {
            (
                c[1].to_owned(),
                (
                    c.get(2).map(|m| m.as_str().to_owned()),
                    c[3].to_owned(),
                    c[4].to_ascii_lowercase().contains("security"),
                ),
            )
        })
        .collect()
}

fn assert_same(agent: &Pending, apt: &Pending, what: &str) {
    let diff: Vec<String> = agent
        .keys()
        .chain(apt.keys())
        .filter(|k| agent.get(*k) != apt.get(*k))
        .map(|k| format!("{k}: agent {:?}, apt-get {:?}", agent.get(k), apt.get(k)))
        .collect();
    assert!(
        diff.is_empty(),
        "{what}: agent and apt-get differ:\n{}",
        diff.join("\n")
    );
}

#[test]
fn same_pending_updates_as_apt_get_on_this_machine() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["apt-get"]);
    assert!(
        Path::new("/var/lib/apt/lists")
            .read_dir()
            .is_ok_and(|mut d| d
                .any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().contains("_Packages")))),
        "this test compares with apt-get on the machine's lists: run `apt update` first"
    );
    let apt = apt_pending(&[]);
    let agent = agent_pending(None);
    assert_same(&agent, &apt, "live root");
}

const FAKE_STATUS: &str = "
Package: constat-fake-a
Status: install ok installed
Architecture: all
Version: 1.0-1
Description: fake

Package: constat-fake-b
Status: install ok installed
Architecture: amd64
Version: 1.0-1
Description: fake

Package: constat-fake-c
Status: install ok installed
Architecture: amd64
Version: 1.0-1
Description: fake

Package: constat-fake-d
Status: install ok installed
Architecture: amd64
Version: 1.0-1
Description: fake

Package: constat-fake-held
Status: hold ok installed
Architecture: amd64
Version: 1.0-1
Description: fake
";

/// (suite, Release extra lines, Packages)
const FAKE_REPOS: &[(&str, &str, &str)] = &[
    (
        "bpo",
        "NotAutomatic: yes\nButAutomaticUpgrades: yes\n",
        "Package: constat-fake-a\nVersion: 1.1-1\nArchitecture: all\nDepends: constat-fake-new (>= 1) | constat-fake-other\n\n\
Package: constat-fake-new\nVersion: 1.0-1\nArchitecture: amd64\n",
    ),
    (
        "exp",
        "NotAutomatic: yes\n",
        "Package: constat-fake-a\nVersion: 3.0-1\nArchitecture: all\n\n\
Package: constat-fake-b\nVersion: 2.0-1\nArchitecture: amd64\n",
    ),
    (
        "extra",
        "",
        "Package: constat-fake-c\nVersion: 1.5-1\nArchitecture: amd64\n\n\
Package: constat-fake-held\nVersion: 1.5-1\nArchitecture: amd64\n",
    ),
    (
        "other",
        "",
        "Package: constat-fake-c\nVersion: 1.9-1\nArchitecture: amd64\n\n\
Package: constat-fake-d\nVersion: 1.2-1\nArchitecture: amd64\n",
    ),
];

const PREFERENCES: &str = "Explanation: never take constat-fake-d from other
Package: constat-fake-d
Pin: release a=other
Pin-Priority: -1

Package: *
Pin: release l=Debian-Security
Pin-Priority: 90

Package: *
Pin: origin exp.invalid
Pin-Priority: 1
";

#[test]
fn same_pending_updates_as_apt_get_on_a_crafted_root() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["apt-get", "dpkg"]);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mkdir = |p: &str| std::fs::create_dir_all(root.join(p)).unwrap();
    for d in [
        "etc/apt/preferences.d",
        "etc/apt/apt.conf.d",
        "etc/apt/sources.list.d",
        "var/lib/dpkg",
        "var/lib/apt/lists/partial",
    ] {
        mkdir(d);
    }
    let arch = String::from_utf8(
        Command::new("dpkg")
            .arg("--print-architecture")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_owned();
    // The machine's sources and lists, read in place.
    let mut sources = std::fs::read_to_string("/etc/apt/sources.list").unwrap_or_default();
    for entry in std::fs::read_dir("/etc/apt/sources.list.d")
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".list") || name.ends_with(".sources") {
            std::fs::copy(
                entry.path(),
                root.join("etc/apt/sources.list.d").join(&name),
            )
            .unwrap();
        }
    }
    for entry in std::fs::read_dir("/var/lib/apt/lists").unwrap().flatten() {
        if entry.file_type().unwrap().is_file() {
            std::os::unix::fs::symlink(
                entry.path(),
                root.join("var/lib/apt/lists").join(entry.file_name()),
            )
            .unwrap();
        }
    }
    // The fake repositories.
    for (suite, release, packages) in FAKE_REPOS {
        let host = format!("{suite}.invalid");
        sources.push_str(&format!(
            "\ndeb [trusted=yes] http://{host}/debian {suite} main\n"
        ));
        let prefix = root.join(format!("var/lib/apt/lists/{host}_debian_dists_{suite}_"));
        // apt-get -s needs a download location to simulate an install (never fetched).
        let packages: Vec<String> = packages
            .replace("Architecture: amd64", &format!("Architecture: {arch}"))
            .split("\n\n")
            .map(|p| {
                format!(
                    "{}\nFilename: pool/main/fake_{suite}.deb\nSize: 100\nSHA256: {}\n",
                    p.trim_end(),
                    "0".repeat(64)
                )
            })
            .collect();
        let packages = packages.join("\n");
        std::fs::write(
            format!("{}main_binary-{arch}_Packages", prefix.display()),
            packages,
        )
        .unwrap();
        std::fs::write(
            format!("{}Release", prefix.display()),
            format!(
                "Origin: Constat {suite}\nLabel: Constat {suite}\nSuite: {suite}\nCodename: {suite}\n{release}Architectures: {arch}\nComponents: main\n"
            ),
        )
        .unwrap();
    }
    std::fs::write(root.join("etc/apt/sources.list"), sources).unwrap();
    std::fs::write(root.join("etc/apt/preferences.d/constat"), PREFERENCES).unwrap();
    std::fs::write(
        root.join("etc/apt/apt.conf.d/90default-release"),
        "APT::Default-Release \"extra\";\n",
    )
    .unwrap();
    let status = std::fs::read_to_string("/var/lib/dpkg/status").unwrap();
    let fake = FAKE_STATUS.replace("Architecture: amd64", &format!("Architecture: {arch}"));
    std::fs::write(
        root.join("var/lib/dpkg/status"),
        format!("{}\n{fake}", status.trim_end()),
    )
    .unwrap();

    let r = root.display();
    let apt = apt_pending(&[
        "-o".into(),
        format!("Dir={r}"),
        "-o".into(),
        format!("Dir::State::status={r}/var/lib/dpkg/status"),
        "-o".into(),
        "APT::Default-Release=extra".into(),
    ]);
    let agent = agent_pending(Some(root));
    assert_same(&agent, &apt, "crafted root");
    // What the fake packages exercise, said explicitly.
    let candidate = |name: &str| agent.get(name).map(|(_, c, _)| c.as_str());
    assert_eq!(
        candidate("constat-fake-a"),
        Some("1.1-1"),
        "ButAutomaticUpgrades upgrades"
    );
    assert_eq!(
        candidate("constat-fake-new"),
        Some("1.0-1"),
        "a new dependency is installed"
    );
    assert_eq!(agent["constat-fake-new"].0, None);
    assert_eq!(
        candidate("constat-fake-b"),
        None,
        "NotAutomatic does not upgrade"
    );
    assert_eq!(
        candidate("constat-fake-c"),
        Some("1.5-1"),
        "Default-Release wins"
    );
    assert_eq!(candidate("constat-fake-d"), None, "a negative pin forbids");
    assert_eq!(candidate("constat-fake-held"), None, "held");
}
