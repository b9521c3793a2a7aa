//! Local package repositories (issue 16, deployment): APT and RPM repositories found on a
//! host's disk where a web server serves them or a `file:` source uses them, and the sources
//! the host's own package manager reads (APT one-line and deb822 files, yum/dnf `.repo`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the Linux agent found about package repositories.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageRepositories {
    /// Repositories found on this host, sorted by path.
    #[serde(default)]
    pub repositories: Vec<LocalRepository>,
    /// Directories searched for repositories (web server document roots and aliases, `file:`
    /// sources), sorted by path, each with what named it.
    #[serde(default)]
    pub searched: Vec<SearchedRoot>,
    /// Sources this host's package manager reads, in file order (files sorted by path).
    #[serde(default)]
    pub sources: Vec<RepositorySource>,
    /// Parts that could not be read (`path: reason`): a file or directory that exists but
    /// could not be read, a search cut at its limit. Empty when everything was read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// A directory searched for repositories.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchedRoot {
    /// Directory on the host.
    pub path: String,
    /// What named it: `nginx`, `apache`, `lighttpd` (a document root or alias, with the
    /// configuration file), `file-source` (a `file:` source of this host), `default`.
    pub origin: String,
    /// The configuration file and line that named it, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// URL path under which the web server serves it (`/` for a document root, the alias's
    /// location otherwise); absent for `file-source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_path: Option<String>,
    /// Whether the directory exists.
    pub exists: bool,
}

/// A repository on this host's disk.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalRepository {
    /// `apt` or `rpm`.
    pub format: String,
    /// The repository's root directory (the one holding `dists/`, a flat `Packages` index or
    /// `repodata/`).
    pub path: String,
    /// How clients reach it: URL paths under which a web server serves it
    /// (`apache /debian`), `file:` when a source of this host uses the path. Empty when
    /// nothing serves it.
    #[serde(default)]
    pub served_as: Vec<String>,
    /// APT: one entry per `dists/<suite>` (or `.` for a flat repository); sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suites: Vec<AptSuite>,
    /// RPM: the data types `repodata/repomd.xml` lists (`primary`, `filelists`…), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rpm_data: Vec<String>,
    /// RPM: `repomd.xml`'s `<revision>`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpm_revision: Option<String>,
    /// Package files (`.deb`, `.rpm`) found under the root (searched to a bounded depth),
    /// counted.
    pub package_files: u64,
    /// Names of package files, sorted, at most 50.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub package_file_names: Vec<String>,
    /// Problems inside the repository (an index that could not be read, a malformed
    /// `repomd.xml`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// One suite of an APT repository (`dists/<name>`), or the root of a flat repository.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AptSuite {
    /// Directory name under `dists/` (`bookworm`, `stable`), `.` for a flat repository.
    pub name: String,
    /// Release files present: `InRelease`, `Release`, `Release.gpg`, sorted.
    #[serde(default)]
    pub release_files: Vec<String>,
    /// Signed: an `InRelease` or a `Release.gpg` is present (the signature is not verified).
    pub signed: bool,
    /// `Origin:` of the Release file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
    /// `Label:`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// `Suite:`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suite: String,
    /// `Codename:`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub codename: String,
    /// `Components:` of the Release file, else the component directories found.
    #[serde(default)]
    pub components: Vec<String>,
    /// `Architectures:` of the Release file, else those of the indexes found.
    #[serde(default)]
    pub architectures: Vec<String>,
    /// `Packages` indexes found (path relative to the suite, compressed or not), sorted.
    #[serde(default)]
    pub indexes: Vec<PackagesIndex>,
}

/// A `Packages` index file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackagesIndex {
    /// Path relative to the suite (`main/binary-amd64/Packages.gz`).
    pub path: String,
    /// Packages it lists, when it could be counted (a plain or LZ4 index); absent for a
    /// compressed index the agent does not decode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<u64>,
    /// Names of the packages it lists (plain or LZ4 index), sorted, at most 200.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub package_names: Vec<String>,
}

/// A source the host's package manager reads.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepositorySource {
    /// `path:line` of the entry (the stanza's first line for deb822 and `.repo`).
    pub origin: String,
    /// `deb`, `deb-src` (APT) or `rpm` (yum/dnf).
    pub kind: String,
    /// The repository URI (`http://10.0.0.5/debian`, `file:/srv/depot`), as written
    /// (yum: `baseurl`, else `mirrorlist`/`metalink`).
    pub uri: String,
    /// APT suite (`bookworm`, `./` for a flat repository); the `.repo` section id for yum.
    #[serde(default)]
    pub suite: String,
    /// APT components (`main contrib`).
    #[serde(default)]
    pub components: Vec<String>,
    /// Whether the entry is in effect (a deb822 `Enabled: no` or a yum `enabled=0` is not).
    pub enabled: bool,
    /// APT `[trusted=yes]`/`Trusted: yes`: signatures are not checked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trusted: bool,
    /// APT `signed-by`/`Signed-By` as written (a key path or fingerprint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<String>,
    /// yum `gpgcheck` (absent: unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpgcheck: Option<bool>,
}
