//! The `package_repositories` section (issue 16, deployment): local APT and RPM repositories
//! this host serves, and the sources its package manager reads.
//!
//! Where a repository is looked for: the directories a web server serves (nginx, Apache,
//! lighttpd configuration, [`web_roots`]) and the directories of this host's own `file:`
//! sources. Under each, directories are walked (symbolic links followed, each directory once)
//! to [`MAX_DEPTH`] levels and [`MAX_DIRS`] directories in all; a directory holding `dists/`
//! (APT), a flat `Packages` index or `Release` (APT, suite `.`) or `repodata/repomd.xml`
//! (RPM) is a repository, and is not walked further for others. A search cut at a limit is
//! named in `errors`, never silent.
//!
//! Only files are read: nothing is fetched over the network, `apt`/`dnf` are never run.
//! Plain and LZ4 `Packages` indexes are counted (apt's own streaming reader,
//! [`apt_lists`]); gzip/xz ones are listed without a count, and the `.deb`/`.rpm` files
//! under the repository are counted instead.

use crate::collectors::apt_lists;
use crate::collectors::package_sources::{
    Parsed, file_uri_path, parse_deb822, parse_one_line, parse_yum_repo,
};
use crate::collectors::web_roots::{self, WebRoot};
use crate::context::{Context, Update};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::package_repositories::{
    AptSuite, LocalRepository, PackageRepositories, PackagesIndex, RepositorySource, SearchedRoot,
};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::os::unix::fs::MetadataExt;

/// Depth of the search under a served directory (`/var/www/html/depot/debian` is 2).
pub const MAX_DEPTH: usize = 4;
/// Directories visited in all while searching.
pub const MAX_DIRS: usize = 2000;
/// Entries of one directory considered.
const MAX_ENTRIES: usize = 512;
/// Configuration, source and Release files larger than this are not read.
const MAX_TEXT: u64 = 1024 * 1024;
/// `Packages` indexes larger than this are not counted.
const MAX_INDEX: u64 = 64 * 1024 * 1024;
/// Suites and indexes read per repository.
const MAX_SUITES: usize = 32;
const MAX_INDEXES: usize = 64;
/// Names kept.
const MAX_INDEX_NAMES: usize = 200;
const MAX_FILE_NAMES: usize = 50;
/// Directories visited when counting a repository's package files.
const MAX_POOL_DIRS: usize = 1000;

/// Collects the `package_repositories` section.
pub fn collect(ctx: &Context) -> Update {
    let section = Section::collected(read(&*ctx.host));
    Box::new(move |s| s.package_repositories = section)
}

/// Reads sources, served directories and the repositories under them.
pub fn read(host: &dyn Host) -> PackageRepositories {
    let mut out = PackageRepositories::default();
    out.sources = read_sources(host, &mut out.errors);
    let mut searched: BTreeMap<(String, String, Option<String>), SearchedRoot> = BTreeMap::new();
    for root in served_roots(host, &mut out.errors) {
        let exists = is_dir(host, &root.path);
        searched.insert(
            (
                root.path.clone(),
                root.server.to_owned(),
                Some(root.url_path.clone()),
            ),
            SearchedRoot {
                path: root.path,
                origin: root.server.to_owned(),
                config: Some(root.config),
                url_path: Some(root.url_path),
                exists,
            },
        );
    }
    for source in &out.sources {
        if let Some(path) = file_uri_path(&source.uri) {
            let exists = is_dir(host, &path);
            searched
                .entry((path.clone(), "file-source".to_owned(), None))
                .or_insert(SearchedRoot {
                    path,
                    origin: "file-source".to_owned(),
                    config: Some(source.origin.clone()),
                    url_path: None,
                    exists,
                });
        }
    }
    out.searched = searched.into_values().collect();
    let mut walk = Walk {
        host,
        dirs_left: MAX_DIRS,
        visited: HashSet::new(),
        found: BTreeMap::new(),
        errors: Vec::new(),
    };
    for root in out.searched.iter().filter(|r| r.exists) {
        walk.search(&root.path, 0);
    }
    if walk.dirs_left == 0 {
        walk.errors.push(format!(
            "search stopped after {MAX_DIRS} directories: repositories deeper or further may be missing"
        ));
    }
    let Walk { found, errors, .. } = walk;
    out.errors.extend(errors);
    out.repositories = found
        .into_iter()
        .map(|(path, format)| {
            let mut repo = read_repository(host, &path, format);
            repo.served_as = served_as(&path, &out.searched);
            repo
        })
        .collect();
    out
}

/// Every source file of APT and yum, in path order.
fn read_sources(host: &dyn Host, errors: &mut Vec<String>) -> Vec<RepositorySource> {
    type Parse = fn(&str, &str) -> Parsed;
    let mut files: Vec<(String, Parse)> =
        vec![("/etc/apt/sources.list".to_owned(), parse_one_line)];
    for (dir, suffix, parse) in [
        ("/etc/apt/sources.list.d", ".list", parse_one_line as Parse),
        ("/etc/apt/sources.list.d", ".sources", parse_deb822),
        ("/etc/yum.repos.d", ".repo", parse_yum_repo),
    ] {
        for name in list_dir(host, dir, errors) {
            if name.ends_with(suffix) && !name.starts_with('.') {
                files.push((format!("{dir}/{name}"), parse));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut sources = Vec::new();
    for (path, parse) in files {
        if let Some(text) = read_text(host, &path, errors) {
            let (found, problems) = parse(&path, &text);
            sources.extend(found);
            errors.extend(problems);
        }
    }
    sources
}

/// Directories the web servers' configuration files map to URL paths.
fn served_roots(host: &dyn Host, errors: &mut Vec<String>) -> Vec<WebRoot> {
    type Parse = fn(&str, &str) -> Vec<WebRoot>;
    let mut files: Vec<(String, Parse)> = Vec::new();
    let single: [(&str, Parse); 3] = [
        ("/etc/nginx/nginx.conf", web_roots::nginx),
        ("/etc/apache2/apache2.conf", web_roots::apache),
        ("/etc/httpd/conf/httpd.conf", web_roots::apache),
    ];
    for (path, parse) in single {
        files.push((path.to_owned(), parse));
    }
    files.push((
        "/etc/lighttpd/lighttpd.conf".to_owned(),
        web_roots::lighttpd,
    ));
    let dirs: [(&str, &str, Parse); 6] = [
        ("/etc/nginx/conf.d", ".conf", web_roots::nginx),
        ("/etc/nginx/sites-enabled", "", web_roots::nginx),
        ("/etc/apache2/sites-enabled", "", web_roots::apache),
        ("/etc/apache2/conf-enabled", "", web_roots::apache),
        ("/etc/httpd/conf.d", ".conf", web_roots::apache),
        ("/etc/lighttpd/conf-enabled", ".conf", web_roots::lighttpd),
    ];
    for (dir, suffix, parse) in dirs {
        for name in list_dir(host, dir, errors) {
            if name.ends_with(suffix) && !name.starts_with('.') {
                files.push((format!("{dir}/{name}"), parse));
            }
        }
    }
    let mut roots = Vec::new();
    for (path, parse) in files {
        if let Some(text) = read_text(host, &path, errors) {
            roots.extend(parse(&path, &text));
        }
    }
    roots
}

/// The search for repositories under served directories, bounded in directories visited.
struct Walk<'h> {
    host: &'h dyn Host,
    dirs_left: usize,
    visited: HashSet<(u64, u64)>,
    /// Repository path → `apt` or `rpm`.
    found: BTreeMap<String, &'static str>,
    errors: Vec<String>,
}

impl Walk<'_> {
    fn search(&mut self, dir: &str, depth: usize) {
        if self.dirs_left == 0 {
            return;
        }
        let Ok(meta) = self.host.metadata(dir) else {
            return;
        };
        if !meta.is_dir() || !self.visited.insert((meta.dev(), meta.ino())) {
            return;
        }
        self.dirs_left -= 1;
        let entries = match self.host.read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.errors.push(format!("{dir}: cannot list ({e})"));
                return;
            }
        };
        let child = |name: &str| join(dir, name);
        if entries.iter().any(|e| e == "dists") && is_dir(self.host, &child("dists")) {
            self.found.insert(dir.to_owned(), "apt");
            return;
        }
        if entries.iter().any(|e| e == "repodata")
            && self.host.exists(&join(&child("repodata"), "repomd.xml"))
        {
            self.found.insert(dir.to_owned(), "rpm");
            return;
        }
        if entries
            .iter()
            .any(|e| is_packages_index(e) || e == "Release" || e == "InRelease")
        {
            self.found.insert(dir.to_owned(), "apt");
            return;
        }
        if depth >= MAX_DEPTH {
            return;
        }
        if entries.len() > MAX_ENTRIES {
            self.errors.push(format!(
                "{dir}: {} entries, only the first {MAX_ENTRIES} searched",
                entries.len()
            ));
        }
        for name in entries.iter().take(MAX_ENTRIES) {
            let path = child(name);
            if is_dir(self.host, &path) {
                self.search(&path, depth + 1);
            }
        }
    }
}

/// Reads one repository found by the search.
fn read_repository(host: &dyn Host, path: &str, format: &str) -> LocalRepository {
    let mut repo = LocalRepository {
        format: format.to_owned(),
        path: path.to_owned(),
        ..LocalRepository::default()
    };
    if format == "rpm" {
        read_repomd(host, path, &mut repo);
    } else if is_dir(host, &join(path, "dists")) {
        let dists = join(path, "dists");
        let names = list_dir(host, &dists, &mut repo.errors);
        for name in names.iter().filter(|n| is_dir(host, &join(&dists, n))) {
            if repo.suites.len() == MAX_SUITES {
                repo.errors.push(format!(
                    "{dists}: more than {MAX_SUITES} suites, the others not read"
                ));
                break;
            }
            repo.suites.push(read_suite(
                host,
                &join(&dists, name),
                name,
                &mut repo.errors,
            ));
        }
    } else {
        repo.suites
            .push(read_suite(host, path, ".", &mut repo.errors));
    }
    count_package_files(host, &mut repo);
    repo
}

/// One suite directory (`dists/<name>`, or a flat repository's root).
fn read_suite(host: &dyn Host, dir: &str, name: &str, errors: &mut Vec<String>) -> AptSuite {
    let mut suite = AptSuite {
        name: name.to_owned(),
        ..AptSuite::default()
    };
    for file in ["InRelease", "Release", "Release.gpg"] {
        if host.exists(&join(dir, file)) {
            suite.release_files.push(file.to_owned());
        }
    }
    suite.release_files.sort();
    suite.signed = suite
        .release_files
        .iter()
        .any(|f| f == "InRelease" || f == "Release.gpg");
    let release = ["InRelease", "Release"]
        .iter()
        .filter(|f| suite.release_files.iter().any(|r| r == *f))
        .find_map(|f| read_text(host, &join(dir, f), errors));
    if let Some(text) = &release {
        let info = apt_lists::parse_release(text);
        suite.origin = info.origin;
        suite.label = info.label;
        suite.suite = info.suite;
        suite.codename = info.codename;
        suite.components = release_words(text, "Components");
        suite.architectures = release_words(text, "Architectures");
    }
    let flat = name == ".";
    let mut indexes = Vec::new();
    find_indexes(host, dir, "", if flat { 0 } else { 3 }, &mut indexes);
    indexes.sort();
    if indexes.len() > MAX_INDEXES {
        errors.push(format!(
            "{dir}: {} Packages indexes, only the first {MAX_INDEXES} read",
            indexes.len()
        ));
        indexes.truncate(MAX_INDEXES);
    }
    let mut components = BTreeSet::new();
    let mut architectures = BTreeSet::new();
    for relative in indexes {
        let parts: Vec<&str> = relative.split('/').collect();
        if let [component, .., binary, _] = parts.as_slice()
            && let Some(arch) = binary.strip_prefix("binary-")
        {
            components.insert((*component).to_owned());
            architectures.insert(arch.to_owned());
        }
        suite
            .indexes
            .push(read_index(host, &join(dir, &relative), relative, errors));
    }
    if suite.components.is_empty() {
        suite.components = components.into_iter().collect();
    }
    if suite.architectures.is_empty() {
        suite.architectures = architectures.into_iter().collect();
    }
    suite
}

/// `Packages` index files under `dir`, as paths relative to the suite, to `depth` levels.
fn find_indexes(host: &dyn Host, dir: &str, relative: &str, depth: usize, out: &mut Vec<String>) {
    let Ok(entries) = host.read_dir(dir) else {
        return;
    };
    for name in entries.iter().take(MAX_ENTRIES) {
        if out.len() > MAX_INDEXES {
            return;
        }
        let rel = if relative.is_empty() {
            name.clone()
        } else {
            format!("{relative}/{name}")
        };
        let path = join(dir, name);
        if is_packages_index(name) {
            out.push(rel);
        } else if depth > 0 && is_dir(host, &path) {
            find_indexes(host, &path, &rel, depth - 1, out);
        }
    }
}

/// Counts an index's packages when it is plain or LZ4 and not too large.
fn read_index(
    host: &dyn Host,
    path: &str,
    relative: String,
    errors: &mut Vec<String>,
) -> PackagesIndex {
    let mut index = PackagesIndex {
        path: relative,
        ..PackagesIndex::default()
    };
    let name = path.rsplit('/').next().unwrap_or_default();
    let countable = matches!(apt_lists::strip_compression(name).1, None | Some("lz4"));
    if !countable {
        return index;
    }
    match host.metadata(path) {
        Ok(m) if m.len() > MAX_INDEX => {
            errors.push(format!(
                "{path}: {} bytes, larger than {MAX_INDEX}: not counted",
                m.len()
            ));
            return index;
        }
        Ok(_) => {}
        Err(e) => {
            errors.push(format!("{path}: {e}"));
            return index;
        }
    }
    let mut count = 0u64;
    let mut names = BTreeSet::new();
    let result = apt_lists::for_each_paragraph(&host.path(path), |paragraph| {
        if let Some(package) = apt_lists::first_field(paragraph, b"Package") {
            count += 1;
            if names.len() < MAX_INDEX_NAMES {
                names.insert(String::from_utf8_lossy(package).into_owned());
            }
        }
    });
    match result {
        Ok(()) => {
            index.packages = Some(count);
            index.package_names = names.into_iter().collect();
        }
        Err(e) => errors.push(format!("{path}: {e}")),
    }
    index
}

/// `repodata/repomd.xml`: the data types it lists and its revision.
fn read_repomd(host: &dyn Host, path: &str, repo: &mut LocalRepository) {
    let file = join(&join(path, "repodata"), "repomd.xml");
    let Some(text) = read_text(host, &file, &mut repo.errors) else {
        return;
    };
    if !text.contains("<repomd") {
        repo.errors.push(format!(
            "{file}: no <repomd> element: not a repository index"
        ));
        return;
    }
    let mut types = BTreeSet::new();
    for piece in text.split("<data ").skip(1) {
        let head = piece.split('>').next().unwrap_or_default();
        if let Some(value) = head
            .split("type=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
        {
            types.insert(value.to_owned());
        }
    }
    repo.rpm_data = types.into_iter().collect();
    repo.rpm_revision = text
        .split("<revision>")
        .nth(1)
        .and_then(|v| v.split("</revision>").next())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 64);
}

/// Counts `.deb`/`.udeb`/`.rpm` files under the repository (bounded walk).
fn count_package_files(host: &dyn Host, repo: &mut LocalRepository) {
    let suffix: &[&str] = if repo.format == "rpm" {
        &[".rpm"]
    } else {
        &[".deb", ".udeb"]
    };
    let mut stack = vec![(repo.path.clone(), 0usize)];
    let mut visited = HashSet::new();
    let mut dirs = 0;
    let mut names = BTreeSet::new();
    while let Some((dir, depth)) = stack.pop() {
        let Ok(meta) = host.metadata(&dir) else {
            continue;
        };
        if !visited.insert((meta.dev(), meta.ino())) {
            continue;
        }
        dirs += 1;
        if dirs > MAX_POOL_DIRS {
            repo.errors.push(format!(
                "{}: package files counted in the first {MAX_POOL_DIRS} directories only",
                repo.path
            ));
            break;
        }
        let Ok(entries) = host.read_dir(&dir) else {
            continue;
        };
        for name in entries {
            let path = join(&dir, &name);
            if suffix.iter().any(|s| name.ends_with(s)) {
                repo.package_files += 1;
                if names.len() < MAX_FILE_NAMES {
                    names.insert(name);
                }
            } else if depth < 6 && name != "dists" && name != "repodata" && is_dir(host, &path) {
                stack.push((path, depth + 1));
            }
        }
    }
    repo.package_file_names = names.into_iter().collect();
}

/// How clients reach a repository: every served directory containing it, with the URL path,
/// and `file:` when a `file:` source of this host names it.
fn served_as(path: &str, searched: &[SearchedRoot]) -> Vec<String> {
    let mut out = BTreeSet::new();
    for root in searched {
        let Some(relative) = relative_to(path, &root.path) else {
            continue;
        };
        match &root.url_path {
            Some(url) => {
                let full = format!("{}{relative}", url.trim_end_matches('/'));
                let full = if full.is_empty() {
                    "/".to_owned()
                } else {
                    full
                };
                out.insert(format!("{} {full}", root.origin));
            }
            None if relative.is_empty() => {
                out.insert("file:".to_owned());
            }
            None => {}
        }
    }
    out.into_iter().collect()
}

/// `path` relative to `root` (`""` or `/sub/dir`), when inside it.
fn relative_to<'a>(path: &'a str, root: &str) -> Option<&'a str> {
    if root == "/" {
        return Some(path);
    }
    let rest = path.strip_prefix(root)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// The words of a Release field (`Components: main contrib`).
fn release_words(text: &str, field: &str) -> Vec<String> {
    text.lines()
        .take_while(|l| !l.starts_with("-----BEGIN PGP SIGNATURE"))
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .map(|v| v.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn is_packages_index(name: &str) -> bool {
    apt_lists::strip_compression(name).0 == "Packages"
}

fn is_dir(host: &dyn Host, path: &str) -> bool {
    host.metadata(path).is_ok_and(|m| m.is_dir())
}

fn join(dir: &str, name: &str) -> String {
    format!("{}/{name}", dir.trim_end_matches('/'))
}

/// A directory's entries; a directory that does not exist is empty, one that cannot be
/// listed is named in `errors`.
fn list_dir(host: &dyn Host, dir: &str, errors: &mut Vec<String>) -> Vec<String> {
    match host.read_dir(dir) {
        Ok(names) => names,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            errors.push(format!("{dir}: cannot list ({e})"));
            Vec::new()
        }
    }
}

/// A text file of at most [`MAX_TEXT`] bytes; absent is `None` silently, anything else that
/// prevents reading it is named in `errors`.
fn read_text(host: &dyn Host, path: &str, errors: &mut Vec<String>) -> Option<String> {
    match host.metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            errors.push(format!("{path}: {e}"));
            return None;
        }
        Ok(m) if !m.is_file() => return None,
        Ok(m) if m.len() > MAX_TEXT => {
            errors.push(format!(
                "{path}: {} bytes, larger than {MAX_TEXT}: not read",
                m.len()
            ));
            return None;
        }
        Ok(_) => {}
    }
    match host.read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) => {
            errors.push(format!("{path}: {e}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LocalHost;
    use crate::test_root::write;

    /// A served APT repository (apache alias), a flat one used by a `file:` source, an RPM
    /// repository under nginx, and sources of every format.
    #[test]
    fn repositories_under_served_directories_and_file_sources() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(
            r,
            "/etc/apache2/sites-enabled/000-default.conf",
            "<VirtualHost *:80>\n\tDocumentRoot /var/www/html\n\tAlias /depot /srv/depot\n</VirtualHost>\n",
            0o644,
        );
        write(
            r,
            "/etc/nginx/sites-enabled/rpm",
            "server { location /rpm/ { alias /srv/rpm/; } }\n",
            0o644,
        );
        write(
            r,
            "/srv/depot/dists/tssr/Release",
            "Origin: TSSR\nLabel: Depot TSSR\nSuite: tssr\nCodename: tssr\nArchitectures: amd64\nComponents: main\nSHA256:\n 00 12 main/binary-amd64/Packages\n",
            0o644,
        );
        write(r, "/srv/depot/dists/tssr/Release.gpg", "sig", 0o644);
        write(
            r,
            "/srv/depot/dists/tssr/main/binary-amd64/Packages",
            "Package: outil-tssr\nVersion: 1.0\n\nPackage: agent-tssr\nVersion: 2.0\n",
            0o644,
        );
        write(
            r,
            "/srv/depot/dists/tssr/main/binary-amd64/Packages.gz",
            "gz",
            0o644,
        );
        write(
            r,
            "/srv/depot/pool/main/o/outil-tssr_1.0_all.deb",
            "!<arch>",
            0o644,
        );
        write(r, "/srv/flat/Packages.xz", "xz", 0o644);
        write(r, "/srv/flat/a_1_all.deb", "!<arch>", 0o644);
        write(r, "/var/www/html/index.html", "<h1>", 0o644);
        write(
            r,
            "/srv/rpm/el9/repodata/repomd.xml",
            "<?xml version=\"1.0\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\">\n  <revision>1733140000</revision>\n  <data type=\"primary\"><location href=\"repodata/x-primary.xml.gz\"/></data>\n  <data type=\"filelists\"/>\n</repomd>\n",
            0o644,
        );
        write(r, "/srv/rpm/el9/Packages/h/htop-3.2.rpm", "rpm", 0o644);
        write(
            r,
            "/etc/apt/sources.list",
            "deb http://deb.debian.org/debian bookworm main\n",
            0o644,
        );
        write(
            r,
            "/etc/apt/sources.list.d/flat.list",
            "deb [trusted=yes] file:/srv/flat ./\n",
            0o644,
        );
        write(
            r,
            "/etc/apt/sources.list.d/tssr.sources",
            "Types: deb\nURIs: http://10.0.0.5/depot\nSuites: tssr\nComponents: main\n",
            0o644,
        );
        write(
            r,
            "/etc/yum.repos.d/local.repo",
            "[local]\nbaseurl=http://10.0.0.5/rpm/el9\ngpgcheck=0\n",
            0o644,
        );
        let found = read(&LocalHost::offline(r));
        insta::assert_json_snapshot!(found);
    }

    /// Nothing served, no source: collected and empty (looked, found nothing); a source
    /// line that is not one is named.
    #[test]
    fn nothing_found_is_empty_and_bad_lines_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(r, "/etc/apt/sources.list", "deb\n", 0o644);
        let found = read(&LocalHost::offline(r));
        assert!(found.repositories.is_empty() && found.sources.is_empty());
        assert_eq!(
            found.errors,
            [
                "/etc/apt/sources.list:1: not an APT source line (expected `deb [options] URI suite [components]`)"
            ]
        );
    }

    /// A directory loop (a symbolic link to a parent) is visited once.
    #[test]
    fn a_symbolic_link_loop_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(
            r,
            "/etc/lighttpd/lighttpd.conf",
            "server.document-root = \"/var/www/html\"\n",
            0o644,
        );
        write(r, "/var/www/html/a/index.html", "x", 0o644);
        std::os::unix::fs::symlink(r.join("var/www/html"), r.join("var/www/html/a/loop")).unwrap();
        let found = read(&LocalHost::offline(r));
        assert!(found.repositories.is_empty());
        assert!(found.errors.is_empty(), "{:?}", found.errors);
    }
}
