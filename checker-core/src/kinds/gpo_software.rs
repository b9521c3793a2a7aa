//! The `gpo` kind's software installation expectation: a package of the GPO's class store
//! (name, source `.msi`, assigned or published, computer or user part) and its evidence.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::registry_data::{HostNames, same_path};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::ad::{GpoContainer, SoftwareDeployment, SoftwarePackage};
use constat_snapshot::gpo::PolicyScope;
use constat_snapshot::section::Section;
use schemars::JsonSchema;
use serde::Deserialize;
use std::fmt::Write;

/// Software Installation client-side extension ([MS-GPSI] 1.9).
const SOFTWARE_CSE: &str = "{C6DC5466-785A-11D2-84D0-00C04FB169F7}";

/// How a package must be deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Deployment {
    /// Installed at computer startup (computer part) or advertised at logon (user part).
    Assigned,
    /// Offered to users in "Programs and Features" (user part only).
    Published,
}

/// One expected software installation package.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SoftwareExpect {
    /// Package name (`packageName`), case-insensitive; a package whose name begins with it
    /// matches too (`7-Zip` matches `7-Zip 23.01 (x64 edition)`).
    pub name: Sp<String>,
    /// The `.msi` path (`\\srv-file01\Deploiement\7z.msi`): compared ignoring case, with
    /// the server named by its short name or its FQDN.
    #[serde(default)]
    pub source: Option<Sp<String>>,
    /// `assigned` or `published`.
    #[serde(default)]
    pub deployment: Option<Deployment>,
    /// `machine` (computer configuration; `computer` is accepted) or `user`.
    #[serde(default)]
    pub scope: Option<SoftwareScope>,
    /// "Uninstall this application when it falls out of the scope of management".
    #[serde(default)]
    pub uninstall_when_out_of_scope: Option<bool>,
    /// Require that clients act on it: the Software Installation extension is registered in
    /// the GPO part (default true).
    #[serde(default = "yes")]
    pub effective: bool,
}

/// The GPO part a package is deployed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SoftwareScope {
    /// Computer configuration.
    #[serde(alias = "computer")]
    Machine,
    /// User configuration.
    User,
}

fn yes() -> bool {
    true
}

/// Compiled `software` item.
#[derive(Debug, Clone)]
pub struct SoftwareMatcher {
    name: String,
    source: Option<String>,
    deployment: Option<Deployment>,
    scope: Option<PolicyScope>,
    uninstall: Option<bool>,
    effective: bool,
}

impl SoftwareExpect {
    pub(crate) fn compile(&self, cx: &mut Compile<'_>) -> SoftwareMatcher {
        SoftwareMatcher {
            name: cx.text(&self.name),
            source: cx.opt_text(&self.source),
            deployment: self.deployment,
            scope: self.scope.map(|s| match s {
                SoftwareScope::Machine => PolicyScope::Machine,
                SoftwareScope::User => PolicyScope::User,
            }),
            uninstall: self.uninstall_when_out_of_scope,
            effective: self.effective,
        }
    }
}

fn scope_fr(scope: PolicyScope) -> &'static str {
    match scope {
        PolicyScope::Machine => "computer",
        PolicyScope::User => "user",
    }
}

fn deployment_fr(d: SoftwareDeployment) -> &'static str {
    match d {
        SoftwareDeployment::Assigned => "assigned",
        SoftwareDeployment::Published => "published",
        SoftwareDeployment::None => "neither assigned nor published (removed)",
        SoftwareDeployment::Both => "assigned and published (invalid object)",
    }
}

fn show(p: &SoftwarePackage) -> String {
    format!(
        "{}: {} ({}), source {}",
        p.name,
        deployment_fr(p.deployment),
        scope_fr(p.scope),
        p.msi_path.as_deref().unwrap_or("(none)")
    )
}

fn names_match(expected: &str, actual: &str) -> bool {
    let (e, a) = (expected.trim().to_lowercase(), actual.trim().to_lowercase());
    a == e || a.starts_with(&e)
}

/// Checks one expected package of `gpo`; pushes one evidence line.
pub(crate) fn check_software(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    gpo: &GpoContainer,
    m: &SoftwareMatcher,
) -> Status {
    let name = format!("software {}", m.name);
    // Always `name: deployment`: a whole phrase of `eval/words.rs` with its notes.
    let mut expected = m.name.clone();
    expected.push_str(match m.deployment {
        Some(Deployment::Assigned) => ": assigned",
        Some(Deployment::Published) => ": published",
        None => ": any deployment",
    });
    if let Some(s) = m.scope {
        let _ = write!(expected, " ({})", scope_fr(s));
    }
    if let Some(source) = &m.source {
        let _ = write!(expected, ", source {source}");
    }
    if let Some(u) = m.uninstall {
        expected.push_str(if u {
            ", uninstalled when out of scope"
        } else {
            ", kept when out of scope"
        });
    }
    if m.effective {
        expected.push_str(", effective");
    }
    let packages = match &gpo.software {
        Section::Collected { data } => data,
        Section::NotCollected { reason } => {
            out.push(host.evidence(
                "directory",
                path,
                name,
                expected,
                format!("not observed: {reason}"),
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        }
        Section::Error { message } => {
            out.push(host.evidence(
                "directory",
                path,
                name,
                expected,
                format!("collection error: {message}"),
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        }
    };
    let candidates: Vec<&SoftwarePackage> = packages
        .iter()
        .filter(|p| names_match(&m.name, &p.name))
        .collect();
    let names = HostNames::of(host);
    let holds = |p: &SoftwarePackage| {
        m.scope.is_none_or(|s| s == p.scope)
            && m.deployment.is_none_or(|d| {
                p.deployment
                    == match d {
                        Deployment::Assigned => SoftwareDeployment::Assigned,
                        Deployment::Published => SoftwareDeployment::Published,
                    }
            })
            && m.source.as_deref().is_none_or(|s| {
                p.msi_path
                    .as_deref()
                    .is_some_and(|msi| same_path(&names, s, msi))
            })
            && m.uninstall
                .is_none_or(|u| u == p.uninstall_when_out_of_scope)
    };
    let Some(found) = candidates
        .iter()
        .find(|p| holds(p))
        .or_else(|| candidates.first())
    else {
        let actual = if packages.is_empty() {
            "(absent); no package in this GPO".to_owned()
        } else {
            let list: Vec<String> = packages.iter().map(show).collect();
            format!("(absent); packages of the GPO: {}", list.join("; "))
        };
        out.push(host.evidence("directory", path, name, expected, actual, Status::Fail));
        return Status::Fail;
    };
    let mut status = Status::from_bool(holds(found));
    let mut actual = show(found);
    if m.uninstall.is_some() {
        actual.push_str(if found.uninstall_when_out_of_scope {
            ", uninstalled when out of scope"
        } else {
            ", kept when out of scope"
        });
    }
    if !found.errors.is_empty() {
        let _ = write!(actual, ", invalid object: {}", found.errors.join("; "));
        status = Status::Fail;
    }
    if m.effective {
        let registered = match found.scope {
            PolicyScope::Machine => &gpo.machine_extensions,
            PolicyScope::User => &gpo.user_extensions,
        };
        if registered
            .iter()
            .any(|r| r.cse.eq_ignore_ascii_case(SOFTWARE_CSE))
        {
            actual.push_str(", effective");
        } else {
            actual.push_str(", not effective (Software Installation extension not registered)");
            status = Status::Fail;
        }
    }
    out.push(host.evidence("directory", path, name, expected, actual, status));
    status
}
