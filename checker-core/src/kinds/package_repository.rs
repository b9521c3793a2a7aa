//! Check kind `package_repository`: a local APT/RPM repository served by this host, or a
//! source of this host pointing to one.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::package_repositories::{LocalRepository, PackageRepositories};
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// `package_repository: {format: apt, suite: tssr, package: outil-tssr}` on the server;
/// `package_repository: {source: "^http://10\\.0\\.0\\.5/depot", suite: tssr}` on a client.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageRepositoryExpect {
    /// Client side: a regex an enabled source's URI must match. Without it, the check is
    /// about a repository on this host.
    #[serde(default)]
    pub source: Option<Sp<String>>,
    /// `apt` or `rpm` (any when left out).
    #[serde(default)]
    pub format: Option<RepoFormat>,
    /// Server side: a regex the repository's directory must match.
    #[serde(default)]
    pub path: Option<Sp<String>>,
    /// Server side: served by a web server (default true); `false` accepts a repository
    /// only reachable as `file:`.
    #[serde(default = "yes")]
    pub served: bool,
    /// The suite: a `dists/` directory name, `Suite:` or `Codename:` on the server; the
    /// source's suite on a client (for yum, the `.repo` section id).
    #[serde(default)]
    pub suite: Option<Sp<String>>,
    /// A component (`main`) of that suite, or of the source.
    #[serde(default)]
    pub component: Option<Sp<String>>,
    /// Server side: the repository offers this package.
    #[serde(default)]
    pub package: Option<Sp<String>>,
    /// Server side: at least this many packages.
    #[serde(default)]
    pub min_packages: Option<u64>,
    /// Server side: the suite is signed (`InRelease` or `Release.gpg`), or is not.
    #[serde(default)]
    pub signed: Option<bool>,
}

/// Repository formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RepoFormat {
    /// Debian/Ubuntu (`dists/`, `Packages`).
    Apt,
    /// Red Hat family (`repodata/repomd.xml`).
    Rpm,
}

impl RepoFormat {
    fn name(self) -> &'static str {
        match self {
            RepoFormat::Apt => "apt",
            RepoFormat::Rpm => "rpm",
        }
    }
}

fn yes() -> bool {
    true
}

/// Compiled `package_repository` expectation.
#[derive(Debug, Clone)]
pub struct PackageRepositoryMatcher {
    source: Option<Regex>,
    format: Option<RepoFormat>,
    path: Option<Regex>,
    served: bool,
    suite: Option<String>,
    component: Option<String>,
    package: Option<String>,
    min_packages: Option<u64>,
    signed: Option<bool>,
}

impl Kind for PackageRepositoryExpect {
    const NAME: &'static str = "package_repository";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["package_repositories"]);
    const DOC: &'static str = r#"# package_repository

## What it checks
A local package repository (section `package_repositories`, read by the Linux agent).
On the server (no `source`): a repository of `format` (`apt` or `rpm`) whose directory
matches `path`, served by a web server (nginx, Apache or lighttpd document root or alias;
`served: false` also accepts a repository only used as `file:`), with a suite `suite` (a
`dists/` name, its `Suite:` or `Codename:`; `.` for a flat repository), a `component`,
`signed` or not (an `InRelease` or `Release.gpg`; the signature itself is not verified),
offering `package` and at least `min_packages` packages (counted in a plain index, else the
`.deb`/`.rpm` files of the repository). Among several repositories, the one satisfying the
most is shown.
On a client (`source`, a regex): an enabled source of APT (`sources.list`, `*.list`, deb822
`*.sources`) or yum/dnf (`*.repo`) whose URI matches, with that `suite` and `component`.

## Why it matters
« Préparation, test et suivi du déploiement des mises à jour logicielles (de type WSUS/dépôt
local Linux) » (CP9): the updates the servers install come from a repository the candidate
built and published, and the clients really use it.

## Passing example
```yaml
expect:
  package_repository: {format: apt, suite: tssr, component: main, package: outil-tssr}
```

## Failing example
`package_repository: {source: "^http://10\\.0\\.0\\.5/depot"}` on a client whose only
source is `http://deb.debian.org/debian`: `source` fails, listing the sources found.

## Critères
`tssr-2023/CP9/C2`.
"#;
    const DOC_FR: &'static str = r#"# package_repository

## Ce qui est vérifié
Un dépôt local de paquets (section `package_repositories`, relevée par l'agent Linux).
Sur le serveur (sans `source`) : un dépôt au format `format` (`apt` ou `rpm`) dont le
répertoire correspond à `path`, servi par un serveur web (racine ou alias nginx, Apache ou
lighttpd ; `served: false` accepte aussi un dépôt seulement utilisé en `file:`), avec une
suite `suite` (un nom sous `dists/`, son `Suite:` ou son `Codename:` ; `.` pour un dépôt
plat), une composante `component`, signé ou non (`signed` : un `InRelease` ou un
`Release.gpg` ; la signature elle-même n'est pas vérifiée), proposant le paquet `package` et
au moins `min_packages` paquets (comptés dans un index non compressé, sinon les fichiers
`.deb`/`.rpm` du dépôt). Parmi plusieurs dépôts, celui qui satisfait le plus d'attentes est
montré.
Sur un client (`source`, une expression régulière) : une source active d'APT
(`sources.list`, `*.list`, `*.sources` deb822) ou de yum/dnf (`*.repo`) dont l'URI
correspond, avec cette `suite` et cette `component`.

## Pourquoi c'est important
« Préparation, test et suivi du déploiement des mises à jour logicielles (de type WSUS/dépôt
local Linux) » (CP9) : les mises à jour installées par les serveurs viennent d'un dépôt que
le candidat a construit et publié, et les clients l'utilisent vraiment.

## Exemple conforme
```yaml
expect:
  package_repository: {format: apt, suite: tssr, component: main, package: outil-tssr}
```

## Exemple non conforme
`package_repository: {source: "^http://10\\.0\\.0\\.5/depot"}` sur un client dont la seule
source est `http://deb.debian.org/debian` : `source` échoue en citant les sources trouvées.

## Critères
`tssr-2023/CP9/C2`.
"#;
    type Compiled = PackageRepositoryMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<PackageRepositoryMatcher> {
        let source = cx.opt_regex(&self.source)?;
        let path = cx.opt_regex(&self.path)?;
        Some(PackageRepositoryMatcher {
            source,
            format: self.format,
            path,
            served: self.served,
            suite: cx.opt_text(&self.suite),
            component: cx.opt_text(&self.component),
            package: cx.opt_text(&self.package),
            min_packages: self.min_packages,
            signed: self.signed,
        })
    }

    fn evaluate(
        m: &PackageRepositoryMatcher,
        host: &HostView<'_>,
        out: &mut Vec<Evidence>,
    ) -> Status {
        let label = m
            .source
            .as_ref()
            .map(|r| r.as_str().to_owned())
            .or_else(|| m.suite.clone())
            .unwrap_or_else(|| "*".to_owned());
        let Some(data) = host.section(S, &label, &host.snapshot.sections.package_repositories, out)
        else {
            return Status::NotAssessable;
        };
        match &m.source {
            Some(source) => client(m, source, data, host, &label, out),
            None => server(m, data, host, &label, out),
        }
    }
}

const S: &str = "package_repositories";

/// Client side: one enabled source matching everything asked.
fn client(
    m: &PackageRepositoryMatcher,
    source: &Regex,
    data: &PackageRepositories,
    host: &HostView<'_>,
    label: &str,
    out: &mut Vec<Evidence>,
) -> Status {
    let kinds: &[&str] = match m.format {
        Some(RepoFormat::Apt) => &["deb"],
        Some(RepoFormat::Rpm) => &["rpm"],
        None => &["deb", "rpm"],
    };
    let fits = |s: &&constat_snapshot::package_repositories::RepositorySource| {
        kinds.contains(&s.kind.as_str())
            && source.is_match(&s.uri)
            && m.suite.as_ref().is_none_or(|x| &s.suite == x)
            && m.component
                .as_ref()
                .is_none_or(|c| s.components.contains(c))
    };
    let enabled = data.sources.iter().filter(|s| s.enabled).find(fits);
    let disabled = data.sources.iter().filter(|s| !s.enabled).find(fits);
    let describe = |s: &constat_snapshot::package_repositories::RepositorySource| {
        let mut text = format!("{} {} {}", s.kind, s.uri, s.suite);
        for c in &s.components {
            text.push(' ');
            text.push_str(c);
        }
        format!("{} ({})", text.trim_end(), s.origin)
    };
    let mut expected = format!("/{}/", source.as_str());
    if let Some(suite) = &m.suite {
        expected.push_str(&format!(" {suite}"));
    }
    if let Some(component) = &m.component {
        expected.push_str(&format!(" {component}"));
    }
    let (actual, status) = match (enabled, disabled) {
        (Some(s), _) => (describe(s), Status::Pass),
        (None, Some(s)) => (format!("disabled: {}", describe(s)), Status::Fail),
        (None, None) => {
            let all: Vec<String> = data
                .sources
                .iter()
                .filter(|s| s.enabled && s.kind != "deb-src")
                .map(|s| format!("{} {}", s.uri, s.suite))
                .collect();
            (format!("absent (sources: {})", list(&all)), Status::Fail)
        }
    };
    out.push(host.evidence(S, label, "source", expected, actual, status));
    status
}

/// One property judged on a repository: `(property, expected, actual, status)`.
type Line = (&'static str, String, String, Status);

/// Server side: the repository satisfying the most of what is asked.
fn server(
    m: &PackageRepositoryMatcher,
    data: &PackageRepositories,
    host: &HostView<'_>,
    label: &str,
    out: &mut Vec<Evidence>,
) -> Status {
    let candidates: Vec<&LocalRepository> = data
        .repositories
        .iter()
        .filter(|r| m.format.is_none_or(|f| r.format == f.name()))
        .filter(|r| m.path.as_ref().is_none_or(|p| p.is_match(&r.path)))
        .collect();
    let expected_repo = match (m.format, &m.path) {
        (Some(f), Some(p)) => format!("{} /{}/", f.name(), p.as_str()),
        (Some(f), None) => f.name().to_owned(),
        (None, Some(p)) => format!("/{}/", p.as_str()),
        (None, None) => "present".to_owned(),
    };
    // The repository satisfying the most; the first in path order among equals.
    let mut best: Option<(&LocalRepository, usize)> = None;
    for repo in &candidates {
        let passes = judge(m, repo)
            .iter()
            .filter(|l| l.3 == Status::Pass)
            .count();
        if best.is_none_or(|(_, most)| passes > most) {
            best = Some((repo, passes));
        }
    }
    let best = best.map(|(r, _)| r);
    let Some(repo) = best else {
        let searched: Vec<String> = data
            .searched
            .iter()
            .map(|r| match &r.url_path {
                Some(url) => format!("{} {} ({})", r.origin, r.path, url),
                None => format!("{} {}", r.origin, r.path),
            })
            .collect();
        let found: Vec<String> = data
            .repositories
            .iter()
            .map(|r| format!("{} {}", r.format, r.path))
            .collect();
        let actual = if found.is_empty() {
            format!("absent (searched: {})", list(&searched))
        } else {
            format!("absent (repositories: {})", list(&found))
        };
        out.push(host.evidence(S, label, "exists", expected_repo, actual, Status::Fail));
        return Status::Fail;
    };
    out.push(host.evidence(
        S,
        label,
        "exists",
        expected_repo,
        format!("{} {}", repo.format, repo.path),
        Status::Pass,
    ));
    let mut status = Status::Pass;
    for (property, expected, actual, s) in judge(m, repo) {
        out.push(host.evidence(S, label, property, expected, actual, s));
        status = status.and(s);
    }
    if !repo.errors.is_empty() && status != Status::Pass {
        out.push(host.evidence(
            S,
            label,
            "errors",
            "(none)",
            repo.errors.join("; "),
            Status::NotAssessable,
        ));
    }
    status
}

/// Every property asked, judged on one repository.
fn judge(m: &PackageRepositoryMatcher, repo: &LocalRepository) -> Vec<Line> {
    let mut lines = Vec::new();
    if m.served {
        let web: Vec<&String> = repo.served_as.iter().filter(|s| *s != "file:").collect();
        lines.push((
            "served",
            "served by a web server".to_owned(),
            if web.is_empty() {
                "not served by a web server".to_owned()
            } else {
                list(&web)
            },
            Status::from_bool(!web.is_empty()),
        ));
    }
    let suites: Vec<_> = repo
        .suites
        .iter()
        .filter(|s| {
            m.suite
                .as_ref()
                .is_none_or(|x| &s.name == x || &s.suite == x || &s.codename == x)
        })
        .collect();
    if let Some(suite) = &m.suite {
        let names: Vec<&str> = repo.suites.iter().map(|s| s.name.as_str()).collect();
        let shown = if repo.format == "rpm" {
            "(rpm repository: no suites)".to_owned()
        } else {
            list(&names)
        };
        lines.push((
            "suite",
            suite.clone(),
            shown,
            Status::from_bool(!suites.is_empty()),
        ));
    }
    if let Some(component) = &m.component {
        let all: std::collections::BTreeSet<&str> = suites
            .iter()
            .flat_map(|s| s.components.iter().map(String::as_str))
            .collect();
        let all: Vec<&str> = all.into_iter().collect();
        lines.push((
            "component",
            component.clone(),
            list(&all),
            Status::from_bool(all.contains(&component.as_str())),
        ));
    }
    if let Some(signed) = m.signed {
        let is = !suites.is_empty() && suites.iter().all(|s| s.signed);
        let files: Vec<String> = suites
            .iter()
            .map(|s| format!("{}: {}", s.name, list(&s.release_files)))
            .collect();
        lines.push((
            "signed",
            if signed { "signed" } else { "not signed" }.to_owned(),
            list(&files),
            Status::from_bool(is == signed && !suites.is_empty()),
        ));
    }
    let indexes: Vec<_> = suites.iter().flat_map(|s| &s.indexes).collect();
    let counted: Vec<_> = indexes.iter().filter(|i| i.packages.is_some()).collect();
    if let Some(package) = &m.package {
        let in_index = counted
            .iter()
            .any(|i| i.package_names.iter().any(|n| n == package));
        let prefix = format!("{package}_");
        let prefix_rpm = format!("{package}-");
        let in_files = repo.package_file_names.iter().any(|f| {
            f.starts_with(&prefix) || (repo.format == "rpm" && f.starts_with(&prefix_rpm))
        });
        let names_complete = (repo.package_file_names.len() as u64) == repo.package_files;
        let (actual, status) = if in_index {
            ("in the index".to_owned(), Status::Pass)
        } else if in_files {
            ("package file present".to_owned(), Status::Pass)
        } else if counted.is_empty() && !names_complete {
            (
                format!(
                    "index not read, {} package files not all listed",
                    repo.package_files
                ),
                Status::NotAssessable,
            )
        } else {
            let names: Vec<&str> = counted
                .iter()
                .flat_map(|i| i.package_names.iter().map(String::as_str))
                .chain(repo.package_file_names.iter().map(String::as_str))
                .collect();
            (format!("absent (packages: {})", list(&names)), Status::Fail)
        };
        lines.push(("package", package.clone(), actual, status));
    }
    if let Some(min) = m.min_packages {
        let indexed = counted.iter().filter_map(|i| i.packages).max();
        let (count, actual) = match indexed {
            Some(n) if n >= repo.package_files => (n, format!("{n} packages in the index")),
            _ => (
                repo.package_files,
                format!("{} package files", repo.package_files),
            ),
        };
        lines.push((
            "min_packages",
            format!("≥ {min}"),
            actual,
            Status::from_bool(count >= min),
        ));
    }
    lines
}

/// Items joined by `, `, `(none)` when empty.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case, package_repository_lab, without};

    /// `package-repository-lab.json`: the agent's collection of the repository built by
    /// `tests/tests/agent_package_repository.rs` (dpkg-deb, dpkg-scanpackages, Apache).
    #[test]
    fn passes_on_the_served_repository_and_the_client_source() {
        insta::assert_snapshot!(kind_case(
            "all: [{package_repository: {format: apt, suite: tssr, component: main, package: outil-tssr, min_packages: 1}}, {package_repository: {source: '^http://10\\.0\\.0\\.5/depot/?$', suite: tssr, component: main}}]",
            &package_repository_lab()
        ));
    }

    #[test]
    fn fails_on_a_missing_package_suite_signature_or_source() {
        insta::assert_snapshot!(kind_case(
            "all: [{package_repository: {suite: stable, package: nginx, signed: true}}, {package_repository: {format: rpm}}, {package_repository: {source: 'mirror\\.tssr\\.lan'}}]",
            &package_repository_lab()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_section() {
        insta::assert_snapshot!(kind_case(
            "package_repository: {suite: tssr}",
            &without(package_repository_lab(), "package_repositories")
        ));
    }
}
