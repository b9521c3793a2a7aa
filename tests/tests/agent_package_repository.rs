//! A local APT repository built with the real Debian tools, collected by the agent and graded
//! (issue 16, `package_repository`). Everything happens in a private mount namespace whose
//! /etc and /srv are throw-away overlays (`mountns.rs`): the machine's own APT sources and
//! web server configuration are replaced there by the scenario's, nothing reaches the
//! machine, no network is used.
//!
//! The candidate's work: a package built with `dpkg-deb`, indexed with `dpkg-scanpackages`
//! into `dists/tssr/main/binary-amd64/Packages(.gz)`, a `Release` written by hand
//! (`apt-ftparchive` is not installed here), Apache publishing `/srv/depot` under `/depot`,
//! and the host's own sources pointing to it (deb822 `http://` and one-line `file:`). The
//! repository is proved usable by APT itself: `apt-get update` from the `file:` source, then
//! `apt-cache show` finds the package file, with a private state directory.
//! Then the agent collects `package_repositories`, the section is compared in full, and the
//! CLI grades a pack (server side and client side) whose report is compared in full.

use constat_tests::mountns::OverlayRoot;
use constat_tests::real::{agent_binary, cli_command, real_tests_enabled, require_programs};
use serde_json::Value;

const SCENARIO: &str = r#"set -e
# A known baseline: the machine's sources and web server configuration are hidden.
rm -rf /etc/apt/sources.list /etc/apt/sources.list.d/* /etc/nginx /etc/lighttpd /etc/apache2
mkdir -p /etc/apt/sources.list.d /etc/apache2/sites-enabled
# The package.
mkdir -p /srv/build/outil-tssr/DEBIAN /srv/build/outil-tssr/usr/share/doc/outil-tssr
cat > /srv/build/outil-tssr/DEBIAN/control <<'EOF'
Package: outil-tssr
Version: 1.0
Architecture: all
Maintainer: Jury TSSR <jury@tssr.lan>
Description: outil interne du service informatique
EOF
echo 'Outil TSSR' > /srv/build/outil-tssr/usr/share/doc/outil-tssr/README
mkdir -p /srv/depot/pool/main/o /srv/depot/dists/tssr/main/binary-amd64
dpkg-deb --root-owner-group --build /srv/build/outil-tssr /srv/depot/pool/main/o/outil-tssr_1.0_all.deb >/dev/null
# The index and the Release file.
cd /srv/depot
dpkg-scanpackages --multiversion pool > dists/tssr/main/binary-amd64/Packages 2>/dev/null
gzip -9 -k -n dists/tssr/main/binary-amd64/Packages
{
  printf 'Origin: TSSR\nLabel: Depot TSSR\nSuite: tssr\nCodename: tssr\nArchitectures: amd64\nComponents: main\nDescription: depot local\nSHA256:\n'
  for f in main/binary-amd64/Packages main/binary-amd64/Packages.gz; do
    printf ' %s %s %s\n' "$(sha256sum dists/tssr/$f | cut -d' ' -f1)" "$(stat -c %s dists/tssr/$f)" "$f"
  done
} > dists/tssr/Release
# Published by Apache, used by this host.
cat > /etc/apache2/sites-enabled/depot.conf <<'EOF'
<VirtualHost *:80>
    DocumentRoot /srv/www
    Alias /depot /srv/depot
</VirtualHost>
EOF
mkdir -p /srv/www
cat > /etc/apt/sources.list.d/tssr.sources <<'EOF'
Types: deb
URIs: http://10.0.0.5/depot
Suites: tssr
Components: main
Trusted: yes
EOF
echo 'deb [trusted=yes] file:/srv/depot tssr main' > /etc/apt/sources.list.d/local.list
echo 'deb http://deb.debian.org/debian bookworm main' > /etc/apt/sources.list
"#;

/// APT reads the repository for real: `update` from the `file:` source only, then
/// `apt-cache show` names the package file, with a private state and cache (nothing of the
/// machine's APT is touched).
const APT_PROOF: &str = r#"set -e
mkdir -p /srv/apt/lists/partial /srv/apt/cache/archives/partial /srv/apt/sources
echo 'deb [trusted=yes] file:/srv/depot tssr main' > /srv/apt/sources/local.list
opts="-o Dir::State::Lists=/srv/apt/lists -o Dir::Cache=/srv/apt/cache -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/srv/apt/sources -o Dir::State::status=/var/lib/dpkg/status -o Debug::NoLocking=1 -o APT::Sandbox::User=root"
apt-get $opts -qq update
# A file: repository is used in place (nothing is copied into the cache): APT's own record
# of the package names the file it would install.
apt-cache $opts show outil-tssr | sed -n 's|^Filename: .*/||p'
"#;

const PACK: &str = r#"pack:
  id: depot-local
  title: "Dépôt local de paquets"
  version: "1"
  referentiel: tssr-2023
  profile: titre
hosts:
  linux: {os: linux}
checks:
  - id: depot-publie
    title: "Le dépôt APT local est publié par le serveur web et propose l'outil"
    criteres: [tssr-2023/CP9/C2]
    hosts: [linux]
    points: 2
    expect:
      package_repository: {format: apt, suite: tssr, component: main, package: outil-tssr, min_packages: 1}
  - id: depot-signe
    title: "Le dépôt est signé"
    criteres: [tssr-2023/CP9/C2]
    hosts: [linux]
    points: 1
    expect:
      package_repository: {suite: tssr, signed: true}
  - id: client-utilise-le-depot
    title: "Le poste utilise le dépôt local"
    criteres: [tssr-2023/CP9/C2]
    hosts: [linux]
    points: 1
    expect:
      package_repository: {source: '^http://10\.0\.0\.5/depot/?$', suite: tssr, component: main}
"#;

#[test]
fn a_repository_built_with_dpkg_tools_served_and_used() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&[
        "unshare",
        "mount",
        "dpkg-deb",
        "dpkg-scanpackages",
        "gzip",
        "sha256sum",
        "apt-get",
    ]);
    let root = OverlayRoot::new("pkgrepo");
    root.run(SCENARIO, &[]);
    let found = root.run(APT_PROOF, &[]);
    assert_eq!(
        String::from_utf8_lossy(&found.stdout).trim(),
        "outil-tssr_1.0_all.deb",
        "APT could not use the repository"
    );
    let shared = root.shared();
    let snapshot_path = shared.join("snapshot.json");
    let agent = agent_binary();
    root.run(
        r#""$1" collect --only package_repositories > "$2""#,
        &[
            agent.to_str().expect("agent path"),
            snapshot_path.to_str().expect("snapshot path"),
        ],
    );
    let text = std::fs::read_to_string(&snapshot_path).expect("the agent wrote a snapshot");
    let snapshot: Value = serde_json::from_str(&text).expect("snapshot is JSON");
    let section = &snapshot["sections"]["package_repositories"];
    assert_eq!(section["status"], "collected", "{section:#}");
    insta::assert_json_snapshot!("section", section);
    write_checker_fixture(&snapshot);

    std::fs::write(shared.join("pack.yaml"), PACK).expect("write the pack");
    let report_dir = shared.join("report");
    let graded = cli_command()
        .arg("grade")
        .arg("--pack")
        .arg(shared.join("pack.yaml"))
        .arg("--snapshot")
        .arg(format!("linux={}", snapshot_path.display()))
        .arg("--out")
        .arg(&report_dir)
        .output()
        .expect("run constat grade");
    let report = std::fs::read_to_string(report_dir.join("report.json")).unwrap_or_else(|e| {
        panic!(
            "no report ({e}): {}",
            String::from_utf8_lossy(&graded.stderr)
        )
    });
    let report: Value = serde_json::from_str(&report).expect("report is JSON");
    let statuses: Vec<(&str, &str)> = report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default(),
                c["outcome"]["status"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // Published and used; not signed (no InRelease nor Release.gpg was made).
    assert_eq!(
        statuses,
        [
            ("depot-publie", "pass"),
            ("depot-signe", "fail"),
            ("client-utilise-le-depot", "pass")
        ],
        "{report:#}"
    );
    insta::assert_json_snapshot!("report", report, {
        ".graded_at" => "[TIME]",
        ".tool" => "[TOOL]",
        ".hosts[].observed_at" => "[TIME]",
        ".hosts[].hostname" => "[HOST]",
        ".hosts[].os" => "[OS]",
    });
}

/// `checker-core/tests/fixtures/snapshots/package-repository-lab.json` is this run's
/// collection with the machine's identity replaced (`UPDATE_FIXTURES=1` writes it; otherwise
/// its section must be the one collected).
fn write_checker_fixture(snapshot: &Value) {
    let path = format!(
        "{}/../checker-core/tests/fixtures/snapshots/package-repository-lab.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut fixture = snapshot.clone();
    fixture["host"] = serde_json::json!({
        "hostname": "srv-depot",
        "os": {"family": "linux", "id": "debian", "name": "Debian GNU/Linux 12 (bookworm)", "version": "12"}
    });
    fixture["collection"]["started_at"] = "2026-12-02T16:00:00Z".into();
    fixture["collection"]["finished_at"] = "2026-12-02T16:00:01Z".into();
    fixture["collection"]["duration_ms"] = 1.into();
    fixture["collection"]["agent_version"] = "0".into();
    if let Some(runs) = fixture["collection"]["collectors"].as_array_mut() {
        for run in runs {
            run["duration_ms"] = 1.into();
        }
    }
    let fresh = serde_json::to_string_pretty(&fixture).expect("fixture JSON") + "\n";
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, fresh).expect("write the checker fixture");
        return;
    }
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(
        committed["sections"]["package_repositories"], snapshot["sections"]["package_repositories"],
        "{path} is stale: run this test with UPDATE_FIXTURES=1"
    );
}
