//! The generic fact matcher: a path into the snapshot JSON and one comparison.
//!
//! Works on any section by name, including sections this build does not know yet (Windows,
//! AD): the path's first segment is the section (`users`, `ad`) or `host` / `collection`.
//!
//! Path syntax: `section.key.key`, with selectors after a key: `[2]` (index), `[*]` (every
//! element), `[name=alice]` (elements whose field equals the text).
//! Examples: `users[name=alice].shell`, `network.dns.nameservers`, `sshd.settings.port[0]`.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::expect::select::{Segment, select};
use crate::kinds::RawExpect;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

/// `fact: {path: ..., <one operator>}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    /// Path into the snapshot, starting with a section name, `host` or `collection`.
    pub path: Sp<String>,
    /// The value equals this (strings compare with numbers by their text).
    #[serde(default)]
    pub equals: Option<Value>,
    /// The value (as text) matches this regex.
    #[serde(default)]
    pub regex: Option<Sp<String>>,
    /// The list contains this element, or the text contains this substring.
    #[serde(default)]
    pub contains: Option<Value>,
    /// The number of values found satisfies this comparison.
    #[serde(default)]
    pub count: Option<RawCompare>,
    /// The value, as a number, satisfies this comparison.
    #[serde(default)]
    pub compare: Option<RawCompare>,
    /// Something is (true) or is not (false) at the path.
    #[serde(default)]
    pub exists: Option<bool>,
    /// When the path finds several values: every one must satisfy the operator (default:
    /// at least one).
    #[serde(default)]
    pub all: bool,
}

/// Numeric comparison; every bound given must hold.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCompare {
    /// Equal to.
    #[serde(default)]
    pub eq: Option<f64>,
    /// Different from.
    #[serde(default)]
    pub ne: Option<f64>,
    /// Greater than.
    #[serde(default)]
    pub gt: Option<f64>,
    /// Greater than or equal to.
    #[serde(default)]
    pub ge: Option<f64>,
    /// Less than.
    #[serde(default)]
    pub lt: Option<f64>,
    /// Less than or equal to.
    #[serde(default)]
    pub le: Option<f64>,
}

impl RawCompare {
    fn holds(&self, x: f64) -> bool {
        self.eq.is_none_or(|v| x == v)
            && self.ne.is_none_or(|v| x != v)
            && self.gt.is_none_or(|v| x > v)
            && self.ge.is_none_or(|v| x >= v)
            && self.lt.is_none_or(|v| x < v)
            && self.le.is_none_or(|v| x <= v)
    }

    fn is_empty(&self) -> bool {
        *self == RawCompare::default()
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (op, v) in [
            ("=", self.eq),
            ("≠", self.ne),
            (">", self.gt),
            ("≥", self.ge),
            ("<", self.lt),
            ("≤", self.le),
        ] {
            if let Some(v) = v {
                parts.push(format!("{op} {v}"));
            }
        }
        parts.join(" et ")
    }
}

#[derive(Debug, Clone)]
enum Operator {
    Equals(Value),
    Regex(Regex),
    Contains(Value),
    Count(RawCompare),
    Compare(RawCompare),
    Exists(bool),
}

/// A validated fact matcher.
#[derive(Debug, Clone)]
pub(crate) struct CompiledFact {
    text: String,
    root: String,
    segments: Vec<Segment>,
    /// `[root, "status"]`, built once: grading walks it for every candidate.
    status_path: [Segment; 2],
    /// `[root, "data", segments...]`, built once.
    data_path: Vec<Segment>,
    op: Operator,
    all: bool,
    /// Direct lookup for `packages.installed[name=X]...` / `users[name=X]...` /
    /// `groups[name=X]...`, decided once at compile time.
    lookup: Option<Lookup>,
    /// Optional parts of the section the path reads (`packages.updates`), each with the
    /// path of its `status` (`[root, "data", part, "status"]`).
    parts: Vec<(&'static str, [Segment; 4])>,
}

/// A `[name=X]` filter over a typed list, answered by a lookup instead of serializing every
/// element through the generic walker (the lab has ~750 packages). Same values, same order.
#[derive(Debug, Clone)]
enum Lookup {
    Package { name: String, rest: Vec<Segment> },
    User { name: String, rest: Vec<Segment> },
    Group { name: String, rest: Vec<Segment> },
}

impl Lookup {
    fn new(root: &str, segments: &[Segment]) -> Option<Lookup> {
        let by_name = |s: &Segment| match s {
            Segment::Filter(k, v) if k == "name" => Some(v.clone()),
            _ => None,
        };
        match (root, segments) {
            ("packages", [Segment::Key(k), filter, rest @ ..]) if k == "installed" => {
                Some(Lookup::Package {
                    name: by_name(filter)?,
                    rest: rest.to_vec(),
                })
            }
            ("users", [filter, rest @ ..]) => Some(Lookup::User {
                name: by_name(filter)?,
                rest: rest.to_vec(),
            }),
            ("groups", [filter, rest @ ..]) => Some(Lookup::Group {
                name: by_name(filter)?,
                rest: rest.to_vec(),
            }),
            _ => None,
        }
    }

    /// Selects the values; `false` when the section is not collected (the generic path
    /// then explains why).
    fn select(&self, host: &HostView<'_>, out: &mut Vec<Value>) -> bool {
        let sections = &host.snapshot.sections;
        match self {
            Lookup::Package { name, rest } => {
                if sections.packages.data().is_none() {
                    return false;
                }
                for p in host.packages_named(name) {
                    select(p, rest, out);
                }
            }
            Lookup::User { name, rest } => {
                let Some(users) = sections.users.data() else {
                    return false;
                };
                for u in users.iter().filter(|u| u.name == *name) {
                    select(u, rest, out);
                }
            }
            Lookup::Group { name, rest } => {
                let Some(groups) = sections.groups.data() else {
                    return false;
                };
                for g in groups.iter().filter(|g| g.name == *name) {
                    select(g, rest, out);
                }
            }
        }
        true
    }
}

/// Errors are `(français, English)`.
fn parse_path(path: &str) -> Result<(String, Vec<Segment>), (String, String)> {
    let mut segments = Vec::new();
    let mut chars = path.char_indices().peekable();
    let mut key = String::new();
    let bytes = path;
    while let Some((i, c)) = chars.next() {
        match c {
            '.' => {
                if !key.is_empty() {
                    segments.push(Segment::Key(std::mem::take(&mut key)));
                } else if !matches!(
                    segments.last(),
                    Some(Segment::Index(_) | Segment::Every | Segment::Filter(..))
                ) {
                    return Err((
                        format!("segment vide à la position {}", i + 1),
                        format!("empty segment at position {}", i + 1),
                    ));
                }
            }
            '[' => {
                if !key.is_empty() {
                    segments.push(Segment::Key(std::mem::take(&mut key)));
                }
                let rest = &bytes[i + 1..];
                let Some(end) = rest.find(']') else {
                    return Err((
                        format!("« [ » sans « ] » à la position {}", i + 1),
                        format!("\"[\" without \"]\" at position {}", i + 1),
                    ));
                };
                let inner = &rest[..end];
                let seg = if inner == "*" {
                    Segment::Every
                } else if let Ok(n) = inner.parse::<usize>() {
                    Segment::Index(n)
                } else if let Some((k, v)) = inner.split_once('=') {
                    Segment::Filter(k.trim().to_owned(), v.trim().to_owned())
                } else {
                    return Err((
                        format!("sélecteur « [{inner}] » invalide"),
                        format!("invalid selector \"[{inner}]\""),
                    ));
                };
                if matches!(segments.last(), Some(Segment::Filter(..))) {
                    // `[a=b][c=d]` or `[a=b][0]`: a filter yields elements, not a list, so
                    // a second selector would silently find nothing.
                    return Err((
                        format!(
                            "sélecteur « [{inner}] » juste après un filtre, à la position {} : un \
                             filtre donne des éléments, pas une liste (un seul filtre par niveau ; \
                             pour un champ de l'élément, écrivez par exemple users[name=alice].groups[0])",
                            i + 1
                        ),
                        format!(
                            "selector \"[{inner}]\" right after a filter, at position {}: a \
                             filter gives elements, not a list (one filter per level; for a \
                             field of the element, write for example users[name=alice].groups[0])",
                            i + 1
                        ),
                    ));
                }
                segments.push(seg);
                for _ in 0..=inner.chars().count() {
                    chars.next();
                }
            }
            c => key.push(c),
        }
    }
    if !key.is_empty() {
        segments.push(Segment::Key(key));
    }
    match segments.first() {
        Some(Segment::Key(root)) => {
            let root = root.clone();
            segments.remove(0);
            Ok((root, segments))
        }
        _ => Err((
            "le chemin doit commencer par un nom de section".to_owned(),
            "the path must start with a section name".to_owned(),
        )),
    }
}

impl RawFact {
    pub(crate) fn compile(&self, at: &Sp<RawExpect>, cx: &mut Compile<'_>) -> Option<CompiledFact> {
        let text = cx.text(&self.path);
        let (root, segments) = match parse_path(&text) {
            Ok(p) => p,
            Err(e) => {
                cx.error(
                    &self.path,
                    (
                        format!("chemin de fait invalide « {text} » : {}", e.0),
                        format!("invalid fact path \"{text}\": {}", e.1),
                    ),
                    Some((
                        "exemple : users[name=alice].shell, network.dns.nameservers, sshd.settings.port[0]".to_owned(),
                        "example: users[name=alice].shell, network.dns.nameservers, sshd.settings.port[0]".to_owned(),
                    )),
                );
                return None;
            }
        };
        let mut ops = Vec::new();
        if let Some(v) = &self.equals {
            ops.push(Operator::Equals(substitute_value(v, cx, &self.path)));
        }
        if let Some(r) = &self.regex {
            ops.push(Operator::Regex(cx.regex(r)?));
        }
        if let Some(v) = &self.contains {
            ops.push(Operator::Contains(substitute_value(v, cx, &self.path)));
        }
        for (c, make) in [
            (&self.count, Operator::Count as fn(RawCompare) -> Operator),
            (&self.compare, Operator::Compare),
        ] {
            if let Some(c) = c {
                if c.is_empty() {
                    cx.error(
                        at,
                        ("comparaison vide".to_owned(), "empty comparison".to_owned()),
                        Some((
                            "donnez au moins une borne : eq, ne, gt, ge, lt, le".to_owned(),
                            "give at least one bound: eq, ne, gt, ge, lt, le".to_owned(),
                        )),
                    );
                    return None;
                }
                ops.push(make(c.clone()));
            }
        }
        if let Some(e) = self.exists {
            ops.push(Operator::Exists(e));
        }
        if ops.len() != 1 {
            cx.error(
                at,
                (
                    format!("un fait demande exactement un opérateur, {} trouvé(s)", ops.len()),
                    format!("a fact needs exactly one operator, {} found", ops.len()),
                ),
                Some((
                    "choisissez un seul de : equals, regex, contains, count, compare, exists (combinez avec all:)".to_owned(),
                    "choose only one of: equals, regex, contains, count, compare, exists (combine with all:)".to_owned(),
                )),
            );
            return None;
        }
        let key = |k: &str| Segment::Key(k.to_owned());
        let status_path = [key(&root), key("status")];
        let mut data_path = vec![key(&root), key("data")];
        data_path.extend(segments.iter().cloned());
        let lookup = Lookup::new(&root, &segments);
        let parts = parts_read(&root, &segments)
            .into_iter()
            .map(|part| {
                let (_, name) = part.split_once('.').unwrap_or((part, part));
                (part, [key(&root), key("data"), key(name), key("status")])
            })
            .collect();
        Some(CompiledFact {
            lookup,
            parts,
            text,
            root,
            segments,
            status_path,
            data_path,
            op: ops.remove(0),
            all: self.all,
        })
    }
}

fn substitute_value(v: &Value, cx: &mut Compile<'_>, at: &Sp<String>) -> Value {
    match v {
        Value::String(s) => Value::String(cx.text(&Sp {
            value: s.clone(),
            line: at.line,
            col: at.col,
        })),
        other => other.clone(),
    }
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn loose_eq(actual: &Value, expected: &Value) -> bool {
    actual == expected
        || match (actual, expected) {
            (Value::String(_), Value::String(_)) => false,
            (a, Value::String(e)) | (Value::String(e), a) if !a.is_object() && !a.is_array() => {
                as_text(a) == *e
            }
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            _ => false,
        }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn show(nodes: &[&Value]) -> String {
    let text = match nodes {
        [] => "(absent)".to_owned(),
        [one] => as_text(one),
        many => format!(
            "[{}]",
            many.iter()
                .map(|v| as_text(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    if text.chars().count() > 200 {
        let cut: String = text.chars().take(200).collect();
        format!("{cut}…")
    } else {
        text
    }
}

impl CompiledFact {
    /// The snapshot section the path reads (its first segment); `None` for `host.` and
    /// `collection.` paths, which every snapshot carries.
    pub(crate) fn section(&self) -> Option<&str> {
        match self.root.as_str() {
            "host" | "collection" => None,
            section => Some(section),
        }
    }

    /// The optional parts of its section the path reads (`packages.updates` for
    /// `packages.updates.known`, or for `packages` alone), see
    /// [`constat_snapshot::files::OPTIONAL_PARTS`].
    pub(crate) fn parts(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.parts.iter().map(|(part, _)| *part)
    }
}

/// The optional parts of section `root` that a path of `segments` under it reads: the part
/// its first key names, or every part when the path reads the section whole (no key, or a
/// selector in first place).
fn parts_read(root: &str, segments: &[Segment]) -> Vec<&'static str> {
    constat_snapshot::files::OPTIONAL_PARTS
        .iter()
        .copied()
        .filter(|part| {
            let (section, name) = part.split_once('.').unwrap_or((part, ""));
            section == root
                && match segments.first() {
                    Some(Segment::Key(k)) => k == name,
                    _ => true,
                }
        })
        .collect()
}

/// `Some(NotAssessable)`, with the evidence, when an optional part the fact reads was not
/// collected (left out of the request): its empty or absent values are not observations.
fn part_not_collected(
    f: &CompiledFact,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Option<Status> {
    for (_, status_path) in &f.parts {
        let mut status = Vec::new();
        select(&host.snapshot.sections, status_path, &mut status);
        let Some(status) = status.first().and_then(Value::as_str) else {
            continue;
        };
        if status == "collected" {
            continue;
        }
        let mut reason = Vec::new();
        let mut reason_path = status_path.to_vec();
        reason_path[3] = Segment::Key("reason".to_owned());
        select(&host.snapshot.sections, &reason_path, &mut reason);
        let reason = reason.first().map(as_text).unwrap_or_default();
        out.push(host.evidence(
            f.root.clone(),
            &f.text,
            "section",
            "collected",
            format!("{status}: {reason}"),
            Status::NotAssessable,
        ));
        return Some(Status::NotAssessable);
    }
    None
}

/// Evaluates a fact on one host.
pub(crate) fn evaluate_fact(
    f: &CompiledFact,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Status {
    let snapshot = host.snapshot;
    let mut nodes: Vec<Value> = Vec::new();
    match f.root.as_str() {
        "host" => select(&snapshot.host, &f.segments, &mut nodes),
        "collection" => select(&snapshot.collection, &f.segments, &mut nodes),
        _ if f
            .lookup
            .as_ref()
            .is_some_and(|l| l.select(host, &mut nodes)) => {}
        section => {
            let key = |k: &str| Segment::Key(k.to_owned());
            let mut head = Vec::new();
            select(&snapshot.sections, &f.status_path, &mut head);
            match head.first().and_then(Value::as_str) {
                Some("collected") => {
                    if let Some(status) = part_not_collected(f, host, out) {
                        return status;
                    }
                    select(&snapshot.sections, &f.data_path, &mut nodes)
                }
                None => {
                    out.push(host.evidence(
                        section.to_owned(),
                        &f.text,
                        "section",
                        "collected",
                        "section absent from the snapshot",
                        Status::NotAssessable,
                    ));
                    return Status::NotAssessable;
                }
                Some(status) => {
                    let mut cause = Vec::new();
                    select(
                        &snapshot.sections,
                        &[key(section), key("reason")],
                        &mut cause,
                    );
                    select(
                        &snapshot.sections,
                        &[key(section), key("message")],
                        &mut cause,
                    );
                    let cause = cause.first().map(as_text).unwrap_or_default();
                    out.push(host.evidence(
                        section.to_owned(),
                        &f.text,
                        "section",
                        "collected",
                        format!("{status}: {cause}"),
                        Status::NotAssessable,
                    ));
                    return Status::NotAssessable;
                }
            }
        }
    }
    let nodes: Vec<&Value> = nodes.iter().collect();
    let (holds, expected) = match &f.op {
        Operator::Exists(e) => (
            nodes.iter().any(|v| !v.is_null()) == *e,
            if *e {
                "present".to_owned()
            } else {
                "absent".to_owned()
            },
        ),
        Operator::Count(c) => {
            let n = match (nodes.as_slice(), f.segments.last()) {
                ([Value::Array(items)], last) if last != Some(&Segment::Every) => items.len(),
                _ => nodes.len(),
            };
            let status = Status::from_bool(c.holds(n as f64));
            out.push(host.evidence(
                f.root.clone(),
                &f.text,
                "count",
                c.describe(),
                n.to_string(),
                status,
            ));
            return status;
        }
        op => {
            let test = |v: &&Value| match op {
                Operator::Equals(e) => loose_eq(v, e),
                Operator::Regex(r) => r.is_match(&as_text(v)),
                Operator::Contains(e) => match v {
                    Value::Array(items) => items.iter().any(|i| loose_eq(i, e)),
                    Value::String(s) => s.contains(&as_text(e)),
                    _ => false,
                },
                Operator::Compare(c) => as_number(v).is_some_and(|x| c.holds(x)),
                Operator::Exists(_) | Operator::Count(_) => false,
            };
            let holds = !nodes.is_empty()
                && if f.all {
                    nodes.iter().all(test)
                } else {
                    nodes.iter().any(test)
                };
            let expected = match op {
                Operator::Equals(e) => format!("= {}", as_text(e)),
                Operator::Regex(r) => format!("~ /{}/", r.as_str()),
                Operator::Contains(e) => format!("includes {}", as_text(e)),
                Operator::Compare(c) => c.describe(),
                Operator::Exists(_) | Operator::Count(_) => String::new(),
            };
            (holds, expected)
        }
    };
    let status = Status::from_bool(holds);
    let property = match f.op {
        Operator::Equals(_) => "equals",
        Operator::Regex(_) => "regex",
        Operator::Contains(_) => "contains",
        Operator::Compare(_) => "compare",
        Operator::Exists(_) => "exists",
        Operator::Count(_) => "count",
    };
    out.push(host.evidence(
        f.root.clone(),
        &f.text,
        property,
        expected,
        show(&nodes),
        status,
    ));
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testing::{fixture, kind_case, lab, without};

    #[test]
    fn passes_on_recorded_facts() {
        let cases = [
            r#"fact: {path: "users[name=root].shell", equals: /bin/bash}"#,
            r#"fact: {path: "network.dns.nameservers", contains: 10.255.255.53}"#,
            r#"fact: {path: "users[*]", count: {ge: 10}}"#,
            r#"fact: {path: "packages.installed[name=openssh-server].version", regex: "^1:9"}"#,
            r#"fact: {path: "users[name=root].uid", compare: {eq: 0}}"#,
            r#"fact: {path: "users[name=nobody-here]", exists: false}"#,
            r#"fact: {path: "host.os.id", equals: debian}"#,
            r#"fact: {path: "users[uid=0].name", equals: root}"#,
        ];
        let out: Vec<String> = cases.iter().map(|c| kind_case(c, &fixture())).collect();
        insta::assert_snapshot!(out.join(""));
    }

    #[test]
    fn name_lookups_agree_with_the_generic_walk() {
        let mut snapshot = lab();
        // Multi-arch: two packages with one name must both be found, in list order.
        if let constat_snapshot::section::Section::Collected { data: p } =
            &mut snapshot.sections.packages
        {
            let mut twin = p.installed[0].clone();
            twin.arch = Some("i386".to_owned());
            p.installed.insert(1, twin);
        }
        let first = snapshot
            .sections
            .packages
            .data()
            .map(|p| p.installed[0].name.clone())
            .unwrap_or_default();
        let zone = crate::eval::ExamZone::default();
        let host = HostView::new("linux", &snapshot, None, &zone);
        let paths = [
            format!("packages.installed[name={first}]"),
            "packages.installed[name=openssh-server].version".to_owned(),
            "packages.installed[name=absent-here]".to_owned(),
            "users[name=alice].groups[*]".to_owned(),
            "users[name=nobody-here]".to_owned(),
            "groups[name=compta].members".to_owned(),
        ];
        for path in paths {
            let (root, segments) = parse_path(&path).expect("path");
            let lookup = Lookup::new(&root, &segments).expect("a name lookup");
            let (mut fast, mut walked) = (Vec::new(), Vec::new());
            assert!(lookup.select(&host, &mut fast), "{path}");
            let mut full = vec![Segment::Key(root), Segment::Key("data".to_owned())];
            full.extend(segments);
            select(&snapshot.sections, &full, &mut walked);
            assert_eq!(fast, walked, "{path}");
        }
        assert_eq!(
            fast_len(&host, "packages.installed[name=openssh-server]"),
            1
        );
    }

    fn fast_len(host: &HostView<'_>, path: &str) -> usize {
        let (root, segments) = parse_path(path).expect("path");
        let mut out = Vec::new();
        Lookup::new(&root, &segments)
            .expect("lookup")
            .select(host, &mut out);
        out.len()
    }

    #[test]
    fn fails_when_the_value_differs() {
        let cases = [
            r#"fact: {path: "users[*].shell", all: true, regex: "bash$"}"#,
            r#"fact: {path: "sshd.settings.permitrootlogin[0]", equals: "no"}"#,
            r#"fact: {path: "users[*]", count: {lt: 3}}"#,
        ];
        let out: Vec<String> = cases.iter().map(|c| kind_case(c, &fixture())).collect();
        insta::assert_snapshot!(out.join(""));
    }

    #[test]
    fn is_not_assessable_for_missing_or_unknown_sections() {
        let a = kind_case(
            r#"fact: {path: "services[name=ssh.service].running", equals: true}"#,
            &fixture(),
        );
        let b = kind_case(
            r#"fact: {path: "ad.users[name=alice]", exists: true}"#,
            &lab(),
        );
        let c = kind_case(
            r#"fact: {path: "users[name=root]", exists: true}"#,
            &without(lab(), "users"),
        );
        insta::assert_snapshot!(format!("{a}{b}{c}"));
    }

    /// Pending updates left out of the request are not an empty list: a fact on them is not
    /// assessable (with the collector's reason), a fact on installed packages is graded.
    #[test]
    fn is_not_assessable_when_pending_updates_were_left_out() {
        let mut snapshot = lab();
        if let constat_snapshot::section::Section::Collected { data: p } =
            &mut snapshot.sections.packages
        {
            p.updates = constat_snapshot::packages::PendingUpdates::not_requested();
        }
        let cases = [
            r#"fact: {path: "packages.updates.known", equals: true}"#,
            r#"fact: {path: "packages.updates.pending[*]", count: {eq: 0}}"#,
            r#"fact: {path: "packages", exists: true}"#,
            r#"fact: {path: "packages.installed[name=openssh-server]", exists: true}"#,
        ];
        let out: Vec<String> = cases.iter().map(|c| kind_case(c, &snapshot)).collect();
        let text = out.join("");
        assert_eq!(
            text.matches("not_collected: not requested").count(),
            3,
            "{text}"
        );
        insta::assert_snapshot!(text);
    }

    #[test]
    fn needs_exactly_one_operator() {
        insta::assert_snapshot!(kind_case(
            r#"fact: {path: "users", exists: true, count: {ge: 1}}"#,
            &fixture()
        ));
    }

    #[test]
    fn paths_parse() {
        let (root, segs) = parse_path("users[name=alice].groups[*]").expect("parses");
        assert_eq!(root, "users");
        assert_eq!(
            segs,
            vec![
                Segment::Filter("name".into(), "alice".into()),
                Segment::Key("groups".into()),
                Segment::Every
            ]
        );
        let (root, segs) =
            parse_path("storage.mounts[target=/srv/data.old].fstype").expect("parses");
        assert_eq!(root, "storage");
        assert_eq!(segs.len(), 3);
        assert!(parse_path("[0]").is_err());
        assert!(parse_path("users[name").is_err());
        assert!(parse_path("users..x").is_err());
        // A selector right after a filter would silently find nothing: refused with why.
        for chained in [
            "users[name=a][uid=0]",
            "users[name=a][0]",
            "users[name=a][*]",
        ] {
            let err = parse_path(chained).expect_err(chained);
            assert!(
                err.0.contains("juste après un filtre"),
                "{chained}: {err:?}"
            );
            assert!(err.1.contains("right after a filter"), "{chained}: {err:?}");
        }
        assert!(parse_path("users[name=a].groups[0]").is_ok());
    }
}
