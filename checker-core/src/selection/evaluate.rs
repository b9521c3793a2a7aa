//! Evaluation of a selection: the accounts chosen, then the count and the quantifier, with
//! one verdict per member (who satisfies the expectation, who does not and why).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::{HostView, Hosts};
use crate::expect::evaluate;
use crate::selection::compile::{
    CompiledSelect, DirectorySelector, LocalSelector, Quantifier, Selector,
};
use crate::selection::member::Member;
use crate::selection::outcome::Selection;
use crate::selection::{directory, local};

/// At most this many accounts are judged one by one: a host with more (a candidate who is
/// root may create thousands) makes the quantifier not assessable, never slow.
pub(crate) const MAX_JUDGED: usize = 500;

/// At most this many names are listed in one evidence line.
const MAX_NAMES: usize = 50;

/// Status and fraction that holds (per member, for partial credit) of a `select`.
pub(crate) fn evaluate_select(
    sel: &CompiledSelect,
    host: &HostView<'_>,
    hosts: &Hosts<'_>,
    out: &mut Vec<Evidence>,
) -> (Status, f64) {
    let what = describe(&sel.selector);
    let Some(selection) = select(sel, &what, host, out) else {
        return (Status::NotAssessable, 0.0);
    };
    let section = sel.source_sections()[0];
    if !selection.unknown.is_empty() {
        out.push(host.evidence(
            section,
            &what,
            "selection",
            count_text(sel.count),
            format!(
                "state unknown for {}: selection not assessable",
                names(selection.unknown.iter().map(String::as_str))
            ),
            Status::NotAssessable,
        ));
        return (Status::NotAssessable, 0.0);
    }
    let n = selection.members.len();
    let mut parts = Vec::new();
    let count_status = match sel.count {
        Some((min, max)) => Status::from_bool(
            min.is_none_or(|m| n >= m as usize) && max.is_none_or(|m| n <= m as usize),
        ),
        None => Status::Pass,
    };
    out.push(host.evidence(
        section,
        &what,
        "selection",
        count_text(sel.count),
        selected_text(&selection),
        count_status,
    ));
    if sel.count.is_some() {
        parts.push((
            count_status,
            if count_status == Status::Pass {
                1.0
            } else {
                0.0
            },
        ));
    }
    if let Some(q) = &sel.quantifier {
        parts.push(quantify(
            q,
            &selection.members,
            &what,
            section,
            host,
            hosts,
            out,
        ));
    }
    let status = parts.iter().fold(Status::Pass, |s, (p, _)| s.and(*p));
    let fraction = parts.iter().map(|(_, f)| f).sum::<f64>() / parts.len().max(1) as f64;
    (status, fraction)
}

/// The selection, or `None` after a not-assessable line when a section it reads was not
/// collected.
fn select(
    sel: &CompiledSelect,
    what: &str,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Option<Selection> {
    let sections = &host.snapshot.sections;
    match &sel.selector {
        Selector::Directory(d) => {
            let dir = host.section("directory", what, &sections.directory, out)?;
            Some(directory::select(d, dir))
        }
        Selector::Local(l) => {
            let users = host.section("users", what, &sections.users, out)?;
            let groups = match &l.member_of {
                Some(_) => Some(
                    host.section("groups", what, &sections.groups, out)?
                        .as_slice(),
                ),
                None => None,
            };
            Some(local::select(l, users, groups))
        }
    }
}

/// Judges every member, then applies the quantifier; (status, fraction of members).
fn quantify(
    q: &Quantifier,
    members: &[Member],
    what: &str,
    section: &'static str,
    host: &HostView<'_>,
    hosts: &Hosts<'_>,
    out: &mut Vec<Evidence>,
) -> (Status, f64) {
    let (template, expected) = match q {
        Quantifier::All {
            template,
            allow_empty,
        } => (
            template,
            if *allow_empty {
                "all (empty selection accepted)".to_owned()
            } else {
                "all, at least one".to_owned()
            },
        ),
        Quantifier::AtLeast { n, template } => (template, format!("at least {n}")),
    };
    if members.len() > MAX_JUDGED {
        out.push(host.evidence(
            section,
            what,
            "quantifier",
            expected,
            format!(
                "{} accounts selected, more than the {MAX_JUDGED} judged one by one: narrow the selection",
                members.len()
            ),
            Status::NotAssessable,
        ));
        return (Status::NotAssessable, 0.0);
    }
    let (mut passed, mut failed, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
    for member in members {
        let first = out.len();
        let status = match template.for_member(member) {
            Ok(expect) => evaluate(&expect, host, hosts, out).0,
            Err(_) if template.needs_home && member.home.is_none() => {
                out.push(host.evidence(
                    section,
                    &member.name,
                    "home",
                    "(set)",
                    "(absent)",
                    Status::Fail,
                ));
                Status::Fail
            }
            Err(message) => {
                out.push(host.evidence(
                    section,
                    &member.name,
                    "member_expect",
                    "expectation built for this account",
                    message,
                    Status::NotAssessable,
                ));
                Status::NotAssessable
            }
        };
        for e in out.iter_mut().skip(first) {
            if !e.path.contains(member.name.as_str()) {
                e.path = format!("{} [{}]", e.path, member.name);
            }
        }
        let summary = member_summary(host, section, member, status, &out[first..]);
        out.insert(first, summary);
        match status {
            Status::Pass => passed.push(member.name.as_str()),
            Status::Fail => failed.push(member.name.as_str()),
            Status::NotAssessable => unknown.push(member.name.as_str()),
        }
    }
    let total = members.len();
    let (status, fraction) = match q {
        Quantifier::All { allow_empty, .. } => {
            let status = if total == 0 {
                Status::from_bool(*allow_empty)
            } else if !failed.is_empty() {
                Status::Fail
            } else if !unknown.is_empty() {
                Status::NotAssessable
            } else {
                Status::Pass
            };
            let fraction = if total == 0 {
                if *allow_empty { 1.0 } else { 0.0 }
            } else {
                passed.len() as f64 / total as f64
            };
            (status, fraction)
        }
        Quantifier::AtLeast { n, .. } => {
            let n = *n as usize;
            let status = if passed.len() >= n {
                Status::Pass
            } else if passed.len() + unknown.len() >= n {
                Status::NotAssessable
            } else {
                Status::Fail
            };
            (status, (passed.len() as f64 / n as f64).min(1.0))
        }
    };
    let mut actual = format!("{} of {total} compliant", passed.len());
    if total == 0 {
        actual = "no account selected".to_owned();
    }
    if !failed.is_empty() {
        actual.push_str(&format!("; not compliant: {}", names(failed.into_iter())));
    }
    if !unknown.is_empty() {
        actual.push_str(&format!("; not assessable: {}", names(unknown.into_iter())));
    }
    out.push(host.evidence(section, what, "quantifier", expected, actual, status));
    (status, fraction)
}

/// One line per member, before its own lines: its verdict and the properties that decided.
fn member_summary(
    host: &HostView<'_>,
    section: &'static str,
    member: &Member,
    status: Status,
    lines: &[Evidence],
) -> Evidence {
    let mut decided: Vec<&str> = Vec::new();
    for e in lines.iter().filter(|e| e.status == status) {
        if !decided.contains(&&*e.property) {
            decided.push(&e.property);
        }
    }
    let actual = match status {
        Status::Pass => "compliant".to_owned(),
        Status::Fail => format!("not compliant: {}", decided.join(", ")),
        Status::NotAssessable => {
            let cause = lines
                .iter()
                .find(|e| e.status == Status::NotAssessable)
                .map_or("", |e| &*e.actual);
            format!("not assessable: {cause}")
        }
    };
    host.evidence(section, &member.name, "member", "compliant", actual, status)
}

fn count_text(count: Option<(Option<u32>, Option<u32>)>) -> String {
    match count {
        Some((Some(min), Some(max))) if min == max => format!("exactly {min}"),
        Some((Some(min), Some(max))) => format!("between {min} and {max}"),
        Some((Some(min), None)) => format!("at least {min}"),
        Some((None, Some(max))) => format!("at most {max}"),
        Some((None, None)) | None => "(any number)".to_owned(),
    }
}

fn selected_text(selection: &Selection) -> String {
    let n = selection.members.len();
    let mut text = if n == 0 {
        "no account selected".to_owned()
    } else {
        format!(
            "selected ({n}): {}",
            names(selection.members.iter().map(|m| m.name.as_str()))
        )
    };
    if !selection.notes.is_empty() {
        text.push_str(&format!("; {}", selection.notes.join("; ")));
    }
    text
}

/// `a, b, c`, cut after [`MAX_NAMES`] with the number left out.
fn names<'n>(list: impl Iterator<Item = &'n str>) -> String {
    let all: Vec<&str> = list.collect();
    let mut text = all
        .iter()
        .take(MAX_NAMES)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > MAX_NAMES {
        text.push_str(&format!(" … (+{})", all.len() - MAX_NAMES));
    }
    text
}

/// The selection for the evidence path, in the pack's own keys (the same in both
/// languages): `ad_user {member_of: GG_Compta, nested: true, ou: OU=Compta, recursive: true}`.
fn describe(selector: &Selector) -> String {
    let (base, parts) = match selector {
        Selector::Directory(d) => ("ad_user", directory_parts(d)),
        Selector::Local(l) => ("user", local_parts(l)),
    };
    format!("{base} {{{}}}", parts.join(", "))
}

fn directory_parts(d: &DirectorySelector) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(g) = &d.member_of {
        parts.push(format!("member_of: {g}, nested: {}", d.nested));
    }
    if let Some(ou) = &d.ou {
        parts.push(format!("ou: {ou}, recursive: {}", d.recursive));
    }
    if let Some(e) = d.enabled {
        parts.push(format!("enabled: {e}"));
    }
    if let Some(re) = &d.name {
        parts.push(format!("name: {}", re.as_str()));
    }
    if let Some(v) = &d.department {
        parts.push(format!("department: {v}"));
    }
    if let Some(v) = &d.title {
        parts.push(format!("title: {v}"));
    }
    parts
}

fn local_parts(l: &LocalSelector) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(g) = &l.member_of {
        parts.push(format!("member_of: {g}, nested: {}", l.nested));
    }
    if let Some(re) = &l.name {
        parts.push(format!("name: {}", re.as_str()));
    }
    if let Some(e) = l.enabled {
        parts.push(format!("enabled: {e}"));
    }
    if let Some(s) = l.system {
        parts.push(format!("system: {s}"));
    }
    parts
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{ad, kind_case, kind_case_as, lab, without};

    // Fixtures: the real Samba AD DC collection (ad-samba.json: GG_Compta holds jdupont,
    // mmartin, pdurand and is nested in U_Tous beside adminit) and the derived Linux lab
    // (linux-lab.json: alice and bob in compta).

    #[test]
    fn every_member_of_a_group_is_judged_with_partial_credit() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"select:
  ad_user: {member_of: GG_Compta}
  all: {ad_user: {name: "${member}", logon_hours: ["Mon-Fri 08:00-18:00"]}}"#,
            &ad()
        ));
    }

    #[test]
    fn nested_groups_and_the_count() {
        let nested = kind_case_as(
            "dc",
            "select: {ad_user: {member_of: U_Tous}, count: {min: 2, max: 5}}",
            &ad(),
        );
        let direct = kind_case_as(
            "dc",
            "select: {ad_user: {member_of: U_Tous, nested: false}, count: {min: 2}}",
            &ad(),
        );
        let primary = kind_case_as(
            "dc",
            "select: {ad_user: {member_of: Domain Users, nested: false, enabled: false}, count: {max: 1}}",
            &ad(),
        );
        insta::assert_snapshot!(format!("{nested}{direct}{primary}"));
    }

    #[test]
    fn ou_and_attributes_combine_with_at_least() {
        let a = kind_case_as(
            "dc",
            r#"select:
  ad_user: {ou: Comptabilite, recursive: false, enabled: true, name: "^[a-z]+$"}
  at_least: {n: 2, expect: {ad_user: {name: "${member}", must_change_password: true}}}"#,
            &ad(),
        );
        let b = kind_case_as(
            "dc",
            r#"select:
  ad_user: {member_of: GG_Compta, ou: "OU=Comptabilite", department: comptabilite}
  at_least: {n: 1, expect: {ad_user: {name: "${member}", title: Comptable}}}"#,
            &ad(),
        );
        insta::assert_snapshot!(format!("{a}{b}"));
    }

    #[test]
    fn an_empty_selection_fails_all_unless_the_pack_allows_it() {
        let absent = kind_case_as(
            "dc",
            r#"select: {ad_user: {member_of: GG_Vente}, all: {ad_user: {name: "${member}", enabled: true}}}"#,
            &ad(),
        );
        let allowed = kind_case_as(
            "dc",
            r#"select: {ad_user: {member_of: GG_Vente, ou: "OU=Vente"}, allow_empty: true, all: {ad_user: {name: "${member}", enabled: true}}}"#,
            &ad(),
        );
        insta::assert_snapshot!(format!("{absent}{allowed}"));
    }

    #[test]
    fn home_directories_per_member() {
        // jdupont's home is a UNC path the collector was not asked for (members are known
        // only at grading): not assessable; mmartin has none: a failure.
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"select: {ad_user: {member_of: GG_Compta, enabled: true}, all: {file: {path: "${member.home}", kind: directory}}}"#,
            &ad()
        ));
    }

    #[test]
    fn a_selection_without_its_section_is_not_assessable() {
        let dir = kind_case_as(
            "dc",
            "select: {ad_user: {member_of: GG_Compta}, count: {min: 2}}",
            &without(ad(), "directory"),
        );
        let users = kind_case(
            r#"select: {user: {name: "^a"}, all: {user: {name: "${member}"}}}"#,
            &without(lab(), "users"),
        );
        let groups = kind_case(
            "select: {user: {member_of: compta}, count: {min: 2}}",
            &without(lab(), "groups"),
        );
        insta::assert_snapshot!(format!("{dir}{users}{groups}"));
    }

    #[test]
    fn local_accounts_by_group_and_primary_gid() {
        let compta = kind_case(
            r#"select:
  user: {member_of: compta, system: false}
  all: {user: {name: "${member}", shell: /bin/bash, groups: [compta]}}"#,
            &lab(),
        );
        let primary = kind_case(
            "select: {user: {member_of: alice, nested: false}, count: {min: 1, max: 1}}",
            &lab(),
        );
        let human = kind_case(
            r#"select: {user: {system: false, enabled: true}, at_least: {n: 2, expect: {file: {path: "${member.home}", kind: directory}}}}"#,
            &lab(),
        );
        insta::assert_snapshot!(format!("{compta}{primary}{human}"));
    }

    #[test]
    fn for_each_item_and_member_together() {
        // `${item}` of a for_each and `${member}` together.
        let vars = std::collections::BTreeMap::from([("item".to_owned(), "GG_Compta".to_owned())]);
        insta::assert_snapshot!(crate::kinds::testing::kind_case_with_vars(
            "dc",
            &vars,
            r#"select: {ad_user: {member_of: "${item}"}, count: {min: 2}, all: {ad_user: {name: "${member}", member_of: ["${item}"], upn: "${member}@tssr.lan"}}}"#,
            &ad()
        ));
    }
}
