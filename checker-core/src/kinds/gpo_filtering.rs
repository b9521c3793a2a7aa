//! The `gpo` kind's security filtering and WMI filter expectations, and the effective target
//! of a GPO (link scope × security filtering × enabled parts) shown in their evidence.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::directory::{account_key, is_within, name_path, normalize_dn};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::ad::{Directory, GpoContainer, GpoSecurity, GpoTrustee};
use constat_snapshot::section::Section;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// Security filtering: who the GPO applies to (Read + Apply Group Policy, not denied).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppliesToExpect {
    /// The GPO applies to exactly these accounts or groups, no others.
    #[serde(default)]
    pub exactly: Vec<Sp<String>>,
    /// The GPO applies to at least these accounts or groups.
    #[serde(default)]
    pub includes: Vec<Sp<String>>,
    /// The GPO must not apply to these (`Authenticated Users` for a filtered GPO).
    #[serde(default)]
    pub excludes: Vec<Sp<String>>,
}

/// The WMI filter linked to the GPO.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WmiFilterExpect {
    /// Whether the GPO must have a WMI filter (default) or must have none.
    #[serde(default = "yes")]
    pub exists: bool,
    /// Filter name (`msWMI-Name`), case-insensitive.
    #[serde(default)]
    pub name: Option<Sp<String>>,
    /// Regular expression one of its WQL queries must match (`ProductType\s*=\s*1`).
    #[serde(default)]
    pub query: Option<Sp<String>>,
}

fn yes() -> bool {
    true
}

/// Compiled `applies_to`.
#[derive(Debug, Clone, Default)]
pub struct AppliesToMatcher {
    exactly: Option<Vec<String>>,
    includes: Vec<String>,
    excludes: Vec<String>,
}

/// Compiled `wmi_filter`.
#[derive(Debug, Clone)]
pub struct WmiFilterMatcher {
    exists: bool,
    name: Option<String>,
    query: Option<Regex>,
}

impl AppliesToExpect {
    /// Compiles; `exactly` with `includes` is refused (one says all of the other).
    pub(crate) fn compile(&self, cx: &mut Compile<'_>) -> Option<AppliesToMatcher> {
        if let (Some(first), false) = (self.exactly.first(), self.includes.is_empty()) {
            cx.error(
                first,
                (
                    "`applies_to` a à la fois `exactly` et `includes`".to_owned(),
                    "`applies_to` has both `exactly` and `includes`".to_owned(),
                ),
                Some((
                    "gardez `exactly` (liste complète) ou `includes` (au moins)".to_owned(),
                    "keep `exactly` (complete list) or `includes` (at least)".to_owned(),
                )),
            );
            return None;
        }
        Some(AppliesToMatcher {
            exactly: (!self.exactly.is_empty()).then(|| cx.texts(&self.exactly)),
            includes: cx.texts(&self.includes),
            excludes: cx.texts(&self.excludes),
        })
    }
}

impl WmiFilterExpect {
    /// Compiles the query regex.
    pub(crate) fn compile(&self, cx: &mut Compile<'_>) -> Option<WmiFilterMatcher> {
        Some(WmiFilterMatcher {
            exists: self.exists,
            name: cx.opt_text(&self.name),
            query: cx.opt_regex(&self.query)?,
        })
    }
}

/// The comparison key of a trustee name: well-known groups in French or English and by SID,
/// accounts as [`account_key`].
fn trustee_key(name: &str) -> String {
    let short = name
        .trim()
        .rsplit_once('\\')
        .map_or(name.trim(), |(_, n)| n);
    match short.to_lowercase().as_str() {
        "authenticated users" | "utilisateurs authentifiés" | "s-1-5-11" => {
            "authenticated users".to_owned()
        }
        "everyone" | "tout le monde" | "s-1-1-0" => "everyone".to_owned(),
        "system" | "s-1-5-18" => "system".to_owned(),
        "enterprise domain controllers" | "contrôleurs de domaine d'entreprise" | "s-1-5-9" => {
            "enterprise domain controllers".to_owned()
        }
        _ => account_key(short),
    }
}

fn holds(list: &[GpoTrustee], name: &str) -> bool {
    let key = trustee_key(name);
    list.iter()
        .any(|t| trustee_key(&t.name) == key || t.sid.eq_ignore_ascii_case(name.trim()))
}

/// Whether an account (by name, with its transitive groups) is reached by a trustee.
fn reaches(dir: &Directory, trustee: &GpoTrustee, account: &str, groups: &[String]) -> bool {
    let key = trustee_key(&trustee.name);
    if matches!(key.as_str(), "authenticated users" | "everyone") {
        return true;
    }
    key == account_key(account) || groups.iter().any(|g| account_key(g) == key) || {
        // Groups whose transitive members are listed on the group side (computers).
        dir.groups.iter().any(|g| {
            account_key(&g.name) == key
                && g.members_transitive
                    .iter()
                    .any(|m| account_key(m) == account_key(account))
        })
    }
}

/// Whether a user or computer named `name` gets the GPO: inside the scope of its enabled links,
/// its part enabled, reached by the filtering (through a trustee it is, belongs to, or
/// Authenticated Users) and not denied. So `excludes: [jdupont]` does not pass while
/// Authenticated Users still applies the GPO to jdupont.
fn account_reached(dir: &Directory, gpo: &GpoContainer, sec: &GpoSecurity, name: &str) -> bool {
    let key = account_key(name);
    let links = enabled_links(dir, gpo);
    let user = dir
        .users
        .iter()
        .filter(|_| !gpo.user_disabled)
        .find(|u| account_key(&u.sam_account_name) == key)
        .map(|u| {
            (
                u.sam_account_name.as_str(),
                u.ou_dn.as_str(),
                u.member_of_transitive.as_slice(),
            )
        });
    let computer = dir
        .computers
        .iter()
        .filter(|_| !gpo.computer_disabled)
        .find(|c| account_key(&c.sam_account_name) == key)
        .map(|c| (c.sam_account_name.as_str(), c.ou_dn.as_str(), &[][..]));
    user.or(computer).is_some_and(|(account, ou_dn, groups)| {
        links.iter().any(|(dn, e)| link_reaches(dir, dn, *e, ou_dn))
            && sec
                .apply_to
                .iter()
                .any(|t| reaches(dir, t, account, groups))
            && !sec.denied.iter().any(|t| reaches(dir, t, account, groups))
    })
}

/// The containers where the GPO has an enabled link, with the link's enforced flag.
fn enabled_links<'a>(dir: &'a Directory, gpo: &GpoContainer) -> Vec<(&'a str, bool)> {
    let mut links = Vec::new();
    for (dn, list) in std::iter::once((dir.domain.dn.as_str(), &dir.domain.gp_links))
        .chain(dir.ous.iter().map(|o| (o.dn.as_str(), &o.gp_links)))
    {
        for l in list {
            if l.enabled && l.gpo_guid.eq_ignore_ascii_case(&gpo.guid) {
                links.push((dn, l.enforced));
            }
        }
    }
    links
}

/// Whether a link on `link_dn` reaches an object in `ou_dn`, given blocked inheritance on the
/// OUs between them (an enforced link passes the block).
fn link_reaches(dir: &Directory, link_dn: &str, enforced: bool, ou_dn: &str) -> bool {
    if !is_within(ou_dn, link_dn) {
        return false;
    }
    if enforced {
        return true;
    }
    let link = normalize_dn(link_dn);
    !dir.ous
        .iter()
        .any(|ou| ou.block_inheritance && normalize_dn(&ou.dn) != link && is_within(ou_dn, &ou.dn))
}

/// The effective target of a GPO: per trustee it applies to, the users and computers inside
/// the scope of its enabled links, through the parts that are enabled, minus denied accounts.
/// « GG_Compta (3 utilisateurs) ; refusé : PC-COMPTA01$ ; partie ordinateur désactivée ».
pub(crate) fn effective_target(dir: &Directory, gpo: &GpoContainer, sec: &GpoSecurity) -> String {
    let links = enabled_links(dir, gpo);
    let in_scope = |ou_dn: &str| links.iter().any(|(dn, e)| link_reaches(dir, dn, *e, ou_dn));
    let denied =
        |name: &str, groups: &[String]| sec.denied.iter().any(|t| reaches(dir, t, name, groups));
    let mut parts = Vec::new();
    for trustee in &sec.apply_to {
        let users = if gpo.user_disabled {
            0
        } else {
            dir.users
                .iter()
                .filter(|u| in_scope(&u.ou_dn))
                .filter(|u| reaches(dir, trustee, &u.sam_account_name, &u.member_of_transitive))
                .filter(|u| !denied(&u.sam_account_name, &u.member_of_transitive))
                .count()
        };
        let computers = if gpo.computer_disabled {
            0
        } else {
            dir.computers
                .iter()
                .filter(|c| in_scope(&c.ou_dn))
                .filter(|c| reaches(dir, trustee, &c.sam_account_name, &[]))
                .filter(|c| !denied(&c.sam_account_name, &[]))
                .count()
        };
        let name = &trustee.name;
        parts.push(match (users, computers) {
            (0, 0) => format!("{name} (nobody in the links' scope)"),
            (u, 0) => format!("{name} ({u} user(s))"),
            (0, c) => format!("{name} ({c} computer(s))"),
            (u, c) => format!("{name} ({u} user(s), {c} computer(s))"),
        });
    }
    // One `; `-list of phrases (`eval/words.rs`), each shown in the reader's language.
    if parts.is_empty() {
        parts.push("nobody (no group has Read + Apply group policy)".to_owned());
    }
    if !sec.denied.is_empty() {
        let names: Vec<&str> = sec.denied.iter().map(|t| t.name.as_str()).collect();
        parts.push(format!("denied: {}", names.join(", ")));
    }
    if links.is_empty() {
        parts.push("linked nowhere (or links disabled)".to_owned());
    }
    if gpo.user_disabled {
        parts.push("user part disabled".to_owned());
    }
    if gpo.computer_disabled {
        parts.push("computer part disabled".to_owned());
    }
    parts.join("; ")
}

/// The GPO's security, or the evidence saying why it cannot be judged.
fn security<'a>(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    gpo: &'a GpoContainer,
) -> Option<&'a GpoSecurity> {
    let why = match &gpo.security {
        Section::Collected { data } => return Some(data),
        Section::NotCollected { reason } => format!("not observed: {reason}"),
        Section::Error { message } => format!("error: {message}"),
    };
    out.push(host.evidence(
        "directory",
        path,
        "applies_to",
        "security filtering readable",
        why,
        Status::NotAssessable,
    ));
    None
}

/// Checks `applies_to`; the evidence names who the GPO applies to.
pub(crate) fn check_applies_to(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    dir: &Directory,
    gpo: &GpoContainer,
    m: &AppliesToMatcher,
) -> Status {
    let Some(sec) = security(host, out, path, gpo) else {
        return Status::NotAssessable;
    };
    let actual = format!("applies to: {}", effective_target(dir, gpo, sec));
    let mut status = Status::Pass;
    let mut push = |expected: String, ok: bool| {
        let st = Status::from_bool(ok);
        out.push(host.evidence(
            "directory",
            path,
            "applies_to",
            expected,
            actual.clone(),
            st,
        ));
        status = status.and(st);
    };
    if let Some(exactly) = &m.exactly {
        let all_listed = exactly.iter().all(|e| holds(&sec.apply_to, e));
        let no_other = sec.apply_to.iter().all(|t| {
            exactly
                .iter()
                .any(|e| trustee_key(e) == trustee_key(&t.name) || e.eq_ignore_ascii_case(&t.sid))
        });
        push(
            format!("applies exactly to: {}", exactly.join(", ")),
            all_listed && no_other,
        );
    }
    if !m.includes.is_empty() {
        push(
            format!("applies to: {}", m.includes.join(", ")),
            m.includes.iter().all(|e| holds(&sec.apply_to, e)),
        );
    }
    if !m.excludes.is_empty() {
        push(
            format!("does not apply to: {}", m.excludes.join(", ")),
            !m.excludes
                .iter()
                .any(|e| holds(&sec.apply_to, e) || account_reached(dir, gpo, sec, e)),
        );
    }
    status
}

/// Checks `wmi_filter`.
pub(crate) fn check_wmi_filter(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    gpo: &GpoContainer,
    m: &WmiFilterMatcher,
) -> Status {
    let filter = gpo.wmi_filter_object.as_ref();
    let mut expected = if m.exists {
        "WMI filter".to_owned()
    } else {
        "no WMI filter".to_owned()
    };
    if let Some(name) = &m.name {
        expected.push_str(&format!(" \"{name}\""));
    }
    if let Some(re) = &m.query {
        expected.push_str(&format!(", query ~ {}", re.as_str()));
    }
    let (actual, ok) = match (filter, gpo.wmi_filter.as_deref()) {
        (None, None) => ("no WMI filter".to_owned(), !m.exists),
        (None, Some(raw)) => (format!("filter {raw} not found in the directory"), false),
        (Some(f), _) => {
            let queries: Vec<&str> = f.queries.iter().map(|q| q.query.as_str()).collect();
            let body = if queries.is_empty() {
                f.raw_queries
                    .clone()
                    .unwrap_or_else(|| "(no query)".to_owned())
            } else {
                queries.join("; ")
            };
            let shown = format!("\"{}\": {body}", f.name.as_deref().unwrap_or(&f.id));
            let ok = m.exists
                && m.name
                    .as_ref()
                    .is_none_or(|n| f.name.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(n)))
                && m.query
                    .as_ref()
                    .is_none_or(|re| queries.iter().any(|q| re.is_match(q)));
            (shown, ok)
        }
    };
    let st = Status::from_bool(ok);
    out.push(host.evidence("directory", path, "wmi_filter", expected, actual, st));
    st
}

/// Where a GPO is linked, for the evidence of a link that is not where expected:
/// « liée à : Informatique, Comptabilite/Postes » or « liée nulle part ».
pub(crate) fn linked_elsewhere(dir: &Directory, gpo: &GpoContainer) -> String {
    if gpo.linked_to.is_empty() {
        return "linked nowhere".to_owned();
    }
    let names: Vec<String> = gpo
        .linked_to
        .iter()
        .map(|dn| {
            if normalize_dn(dn) == normalize_dn(&dir.domain.dn) {
                dir.domain.dns_name.clone()
            } else {
                let path = name_path(dn);
                if path.is_empty() { dn.clone() } else { path }
            }
        })
        .collect();
    format!("linked to: {}", names.join(", "))
}
