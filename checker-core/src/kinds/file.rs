//! Check kind `file`: a requested path exists with the expected type, mode, owner, ACL,
//! and content.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::{Kind, includes, property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::FileKind;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// `file: {path: /srv/compta, kind: directory, mode: "2770", group: compta}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileExpect {
    /// Absolute path (requested from the collector automatically).
    pub path: Sp<String>,
    /// Whether something must exist there (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// Type.
    #[serde(default)]
    pub kind: Option<FileKind>,
    /// Permission bits in octal (`0640`, `2770`).
    #[serde(default)]
    pub mode: Option<Sp<String>>,
    /// Owner name.
    #[serde(default)]
    pub owner: Option<Sp<String>>,
    /// Group name.
    #[serde(default)]
    pub group: Option<Sp<String>>,
    /// ACL entries it must include (`group:compta:rwx`, `TSSR\GG_Compta:allow:Modify`).
    #[serde(default)]
    pub acl: Vec<Sp<String>>,
    /// Regex the start of the content must match (multi-line: use `(?m)`).
    #[serde(default)]
    pub content: Option<Sp<String>>,
    /// Regex the content must not match.
    #[serde(default)]
    pub not_content: Option<Sp<String>>,
    /// Another absolute path whose content must be identical (same SHA-256): a restored
    /// file and its source (also requested from the collector).
    #[serde(default)]
    pub same_as: Option<Sp<String>>,
}

fn yes() -> bool {
    true
}

/// Compiled `file` expectation.
#[derive(Debug, Clone)]
pub struct FileMatcher {
    path: String,
    exists: bool,
    kind: Option<FileKind>,
    mode: Option<String>,
    owner: Option<String>,
    group: Option<String>,
    acl: Vec<String>,
    content: Option<Regex>,
    not_content: Option<Regex>,
    same_as: Option<String>,
}

impl Kind for FileExpect {
    const NAME: &'static str = "file";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["files"]);
    const DOC: &'static str = r#"# file

## What it checks
A path the pack requests from the collector: existence, type, mode (octal, leading zeros
ignored), owner, group, ACL entries (must include), a regex on the start of its content, and
`same_as`: the same content (SHA-256) as another path, e.g. a restored file and its source.
ACL entries are compared as text; whether an account can really read or write the path
(mask, groups, parent directories) is `file_access`.

## Why it matters
Permissions and configuration files are where a subject's "only group X may write" or "the
vhost serves /var/www/intranet" becomes observable.

## Passing example
```yaml
expect:
  file: {path: /srv/compta, kind: directory, mode: "2770", group: compta, acl: ["group:compta:rwx"]}
```

A restore test: `file: {path: /srv/restauration/var/www/html/index.html, same_as: /var/www/html/index.html}`.

## Failing example
The same with `mode: "0777"` observed: `mode` fails (expected 2770, actual 0777).
A restored file whose SHA-256 differs from its source's fails `same_as`; a file whose hash the
collector did not report (too big, secret) makes it not assessable, never failed.

## Critères
`tssr-2023/CP3/C1` (rights), `tssr-2023/CP6/C2` (scripts present), `tssr-2023/CP3/C4` (docs),
`tssr-2023/CP8/C3` (restore tested: `same_as`).
"#;
    const DOC_FR: &'static str = r#"# file

## Ce qui est vérifié
Un chemin que le pack demande au collecteur : existence, type, droits (en octal, zéros de tête
ignorés), propriétaire, groupe, entrées d'ACL (doivent être incluses) et une expression
régulière sur le début de son contenu.
Les entrées d'ACL sont comparées comme du texte ; savoir si un compte peut vraiment lire ou
écrire le chemin (masque, groupes, dossiers parents) relève de `file_access`.

## Pourquoi c'est important
Les droits et les fichiers de configuration sont l'endroit où le « seul le groupe X peut
écrire » ou le « le vhost sert /var/www/intranet » d'un sujet devient observable.

## Exemple conforme
```yaml
expect:
  file: {path: /srv/compta, kind: directory, mode: "2770", group: compta, acl: ["group:compta:rwx"]}
```

## Exemple non conforme
La même attente quand le mode observé est `0777` : `mode` échoue (attendu 2770, observé 0777).

## Critères
`tssr-2023/CP3/C1` (droits), `tssr-2023/CP6/C2` (scripts présents), `tssr-2023/CP3/C4` (documentation).
"#;
    type Compiled = FileMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<FileMatcher> {
        let path = cx.text(&self.path);
        if !path.starts_with('/') && !path.contains(":\\") {
            cx.error(
                &self.path,
                (
                    format!("chemin non absolu « {path} »"),
                    format!("path not absolute \"{path}\""),
                ),
                Some((
                    "donnez un chemin absolu (/etc/..., C:\\...)".to_owned(),
                    "give an absolute path (/etc/..., C:\\...)".to_owned(),
                )),
            );
        }
        let mode = cx.opt_text(&self.mode);
        if let (Some(m), Some(at)) = (&mode, &self.mode)
            && (m.is_empty() || m.len() > 5 || !m.chars().all(|c| ('0'..='7').contains(&c)))
        {
            cx.error(
                at,
                (
                    format!("mode « {m} » non octal"),
                    format!("mode \"{m}\" not octal"),
                ),
                Some((
                    "écrivez le mode en octal entre guillemets, par ex. \"0640\"".to_owned(),
                    "write the mode in octal between quotes, e.g. \"0640\"".to_owned(),
                )),
            );
        }
        let same_as = cx.opt_text(&self.same_as);
        if let (Some(other), Some(at)) = (&same_as, &self.same_as)
            && !other.starts_with('/')
            && !other.contains(":\\")
        {
            cx.error(
                at,
                (
                    format!("chemin non absolu « {other} »"),
                    format!("path not absolute \"{other}\""),
                ),
                Some((
                    "same_as : donnez le chemin absolu du fichier d'origine".to_owned(),
                    "same_as: give the absolute path of the original file".to_owned(),
                )),
            );
        }
        Some(FileMatcher {
            same_as,
            path,
            exists: self.exists,
            kind: self.kind,
            mode: mode.map(|m| normalise_mode(&m)),
            owner: cx.opt_text(&self.owner),
            group: cx.opt_text(&self.group),
            acl: cx.texts(&self.acl),
            content: cx.opt_regex(&self.content)?,
            not_content: cx.opt_regex(&self.not_content)?,
        })
    }

    fn evaluate(m: &FileMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "files";
        let Some(file) = requested_file(host, &m.path, out) else {
            return Status::NotAssessable;
        };
        let exists = Status::from_bool(file.exists == m.exists);
        out.push(host.evidence(
            S,
            &m.path,
            "exists",
            if m.exists { "present" } else { "absent" },
            if file.exists { "present" } else { "absent" },
            exists,
        ));
        if !(file.exists && m.exists) {
            return exists;
        }
        let text = |s: &String| s.clone();
        let mode = file.mode.as_deref().map(normalise_mode);
        let mut status = property(
            host,
            out,
            S,
            &m.path,
            "kind",
            m.kind.as_ref(),
            file.kind.as_ref(),
            |k| format!("{k:?}").to_lowercase(),
        )
        .and(property(
            host,
            out,
            S,
            &m.path,
            "mode",
            m.mode.as_ref(),
            mode.as_ref(),
            text,
        ))
        .and(property(
            host,
            out,
            S,
            &m.path,
            "owner",
            m.owner.as_ref(),
            file.owner.as_ref(),
            text,
        ))
        .and(property(
            host,
            out,
            S,
            &m.path,
            "group",
            m.group.as_ref(),
            file.group.as_ref(),
            text,
        ));
        let acl: Vec<&str> = file.acl.iter().map(String::as_str).collect();
        status = status.and(includes(host, out, S, &m.path, "acl", &m.acl, &acl));
        for (re, wanted, name) in [
            (&m.content, true, "content"),
            (&m.not_content, false, "not_content"),
        ] {
            let Some(re) = re else { continue };
            let s = match &file.head {
                None => {
                    let why = file
                        .error
                        .clone()
                        .unwrap_or_else(|| "content not reported".to_owned());
                    out.push(host.evidence(
                        S,
                        &m.path,
                        name,
                        format!("/{}/", re.as_str()),
                        why,
                        Status::NotAssessable,
                    ));
                    Status::NotAssessable
                }
                Some(head) => {
                    let found = re.find(head);
                    let s = Status::from_bool(found.is_some() == wanted);
                    let actual = match found {
                        Some(f) => format!("found: {}", f.as_str()),
                        None if file.head_truncated => {
                            "not found (start of the file only)".to_owned()
                        }
                        None => "not found".to_owned(),
                    };
                    out.push(host.evidence(
                        S,
                        &m.path,
                        name,
                        format!("{}/{}/", if wanted { "" } else { "not " }, re.as_str()),
                        actual,
                        s,
                    ));
                    s
                }
            };
            status = status.and(s);
        }
        if let Some(other) = &m.same_as {
            status = status.and(same_content(host, out, &m.path, file, other));
        }
        status
    }

    fn requested_files(m: &FileMatcher, out: &mut Vec<String>) {
        out.push(m.path.clone());
        out.extend(m.same_as.clone());
    }
}

/// `same_as`: the file's SHA-256 equals that of `other` (both reported by the collector).
fn same_content(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    file: &constat_snapshot::FileInfo,
    other: &str,
) -> Status {
    const S: &str = "files";
    let Some(source) = requested_file(host, other, out) else {
        return Status::NotAssessable;
    };
    let short = |h: &str| h.chars().take(12).collect::<String>();
    let expected = format!("same content as {other}");
    let (status, actual) = match (&file.sha256, &source.sha256) {
        (_, _) if !source.exists => (Status::Fail, format!("{other} absent")),
        (Some(a), Some(b)) if a == b => (Status::Pass, format!("identical (sha256 {})", short(a))),
        (Some(a), Some(b)) => (
            Status::Fail,
            format!("different (sha256 {} ≠ {})", short(a), short(b)),
        ),
        _ => (
            Status::NotAssessable,
            "digest not reported by the collector".to_owned(),
        ),
    };
    out.push(host.evidence(S, path, "same_as", expected, actual, status));
    status
}

fn normalise_mode(mode: &str) -> String {
    let digits = mode.trim_start_matches('0');
    format!("{digits:0>4}")
}

/// The requested file at `path`, or `None` with the evidence saying why: the `files` section
/// was not collected, or the path was not in the collector's request.
pub(crate) fn requested_file<'a>(
    host: &HostView<'a>,
    path: &str,
    out: &mut Vec<Evidence>,
) -> Option<&'a constat_snapshot::FileInfo> {
    let files = host.section("files", path, &host.snapshot.sections.files, out)?;
    let found = files.iter().find(|f| f.path == path);
    if found.is_none() {
        out.push(host.evidence(
            "files",
            path,
            "requested",
            "reported",
            "path not requested from the collector",
            Status::NotAssessable,
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};

    #[test]
    fn passes_on_recorded_files() {
        insta::assert_snapshot!(kind_case(
            r#"all: [{file: {path: /etc/passwd, kind: file, mode: "644", owner: root, content: "(?m)^root:x:0:0:"}}, {file: {path: /etc/nonexistent-constat, exists: false}}]"#,
            &fixture()
        ));
    }

    #[test]
    fn fails_on_mode_acl_and_content() {
        insta::assert_snapshot!(kind_case(
            r#"all: [{file: {path: /srv/compta, mode: "0770", acl: ["group:direction:r-x"]}}, {file: {path: /etc/passwd, not_content: "^root:"}}]"#,
            &lab()
        ));
    }

    /// `same_as` on the real recording: a "restored" copy of /etc/passwd (its recorded hash)
    /// passes, one with another hash fails, and one whose hash was not reported (withheld or
    /// too big) is not assessable.
    #[test]
    fn same_as_compares_the_recorded_hashes() {
        let mut value = serde_json::to_value(fixture()).expect("snapshot");
        let files = value["sections"]["files"]["data"]
            .as_array_mut()
            .expect("files recorded");
        let passwd = files
            .iter()
            .find(|f| f["path"] == "/etc/passwd")
            .cloned()
            .expect("passwd recorded");
        let mut restored = passwd.clone();
        restored["path"] = "/srv/restauration/etc/passwd".into();
        let mut altered = passwd.clone();
        altered["path"] = "/srv/restauration/etc/passwd.old".into();
        altered["sha256"] = "00".repeat(32).into();
        let mut unhashed = passwd;
        unhashed["path"] = "/srv/restauration/etc/passwd.big".into();
        unhashed
            .as_object_mut()
            .map(|o| o.remove("sha256"))
            .expect("an object");
        files.extend([restored, altered, unhashed]);
        let snapshot = serde_json::from_value(value).expect("snapshot");
        insta::assert_snapshot!(kind_case(
            "all: [{file: {path: /srv/restauration/etc/passwd, same_as: /etc/passwd}}, {file: {path: /srv/restauration/etc/passwd.old, same_as: /etc/passwd}}, {file: {path: /srv/restauration/etc/passwd.big, same_as: /etc/passwd}}]",
            &snapshot
        ));
    }

    #[test]
    fn is_not_assessable_when_not_requested_or_not_collected() {
        let a = kind_case("file: {path: /etc/hostname}", &fixture());
        let b = kind_case("file: {path: /etc/passwd}", &without(fixture(), "files"));
        insta::assert_snapshot!(format!("{a}{b}"));
    }
}
