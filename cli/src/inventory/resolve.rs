//! Expands an inventory into one [`HostTarget`] per candidate and role: defaults for the role,
//! overridden by the candidate's own fields, then `${...}` templates filled in.

use super::model::{Candidate, HostSpec, Inventory, TransportKind};
use crate::errors::CliError;
use crate::i18n::{t, tf};

/// A host to collect, fully resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct HostTarget {
    /// Candidate id.
    pub candidate: String,
    /// Role (`linux`, `server`, `client`).
    pub role: String,
    /// Transport.
    pub transport: TransportKind,
    /// Address (empty for `local`).
    pub address: String,
    /// Port.
    pub port: u16,
    /// Account.
    pub user: String,
    /// Credential name (resolved template), if any.
    pub cred: Option<String>,
    /// Private key file, if any.
    pub key: Option<String>,
    /// Agent already on the host.
    pub agent_path: Option<String>,
    /// Use `sudo -S` for the agent.
    pub sudo: bool,
}

impl HostTarget {
    /// `candidate/role`, as shown in progress and errors.
    pub fn label(&self) -> String {
        format!("{}/{}", self.candidate, self.role)
    }
}

/// All hosts of the inventory, candidates in order, roles sorted.
pub fn resolve_hosts(inventory: &Inventory) -> anyhow::Result<Vec<HostTarget>> {
    let mut hosts = Vec::new();
    for candidate in &inventory.candidates {
        let mut roles: Vec<&String> = inventory
            .defaults
            .keys()
            .chain(candidate.hosts.keys())
            .collect();
        roles.sort();
        roles.dedup();
        for role in roles {
            let merged = merge(inventory.defaults.get(role), candidate.hosts.get(role));
            hosts.push(resolve_one(candidate, role, &merged)?);
        }
    }
    Ok(hosts)
}

fn merge(defaults: Option<&HostSpec>, own: Option<&HostSpec>) -> HostSpec {
    let base = defaults.cloned().unwrap_or_default();
    let Some(own) = own else { return base };
    HostSpec {
        address: own.address.clone().or(base.address),
        port: own.port.or(base.port),
        transport: own.transport.or(base.transport),
        user: own.user.clone().or(base.user),
        cred: own.cred.clone().or(base.cred),
        key: own.key.clone().or(base.key),
        agent_path: own.agent_path.clone().or(base.agent_path),
        sudo: own.sudo.or(base.sudo),
    }
}

fn resolve_one(candidate: &Candidate, role: &str, spec: &HostSpec) -> anyhow::Result<HostTarget> {
    let at = format!("{}/{role}", candidate.id);
    let fill = |field: &str, value: &Option<String>| -> anyhow::Result<Option<String>> {
        value
            .as_deref()
            .map(|v| expand(v, candidate, &format!("{at}.{field}")))
            .transpose()
    };
    let transport = spec.transport.unwrap_or(TransportKind::Ssh);
    let address = fill("address", &spec.address)?.unwrap_or_default();
    if address.is_empty() && transport != TransportKind::Local {
        return Err(CliError::input(
            tf("inventory.no_address", &[("host", &at)]),
            t("inventory.no_address_hint"),
        )
        .into());
    }
    let default_port = match transport {
        TransportKind::Winrm => 5985,
        TransportKind::Ldap => 389,
        _ => 22,
    };
    Ok(HostTarget {
        candidate: candidate.id.clone(),
        role: role.to_owned(),
        transport,
        address,
        port: spec.port.unwrap_or(default_port),
        user: fill("user", &spec.user)?.unwrap_or_else(|| "root".to_owned()),
        cred: fill("cred", &spec.cred)?,
        key: fill("key", &spec.key)?,
        agent_path: fill("agent_path", &spec.agent_path)?,
        sudo: spec.sudo.unwrap_or(false),
    })
}

/// Replaces `${candidate}`, `${name}` and `${<var>}`; an unknown variable is an error.
fn expand(template: &str, candidate: &Candidate, at: &str) -> anyhow::Result<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err(CliError::input(
                tf(
                    "inventory.unclosed_template",
                    &[("host", &at), ("value", &template)],
                ),
                t("inventory.template_hint"),
            )
            .into());
        };
        let name = &after[..end];
        let value = match name {
            "candidate" => Some(candidate.id.as_str()),
            "name" => Some(candidate.name.as_str()),
            other => candidate.vars.get(other).map(String::as_str),
        };
        let Some(value) = value else {
            return Err(CliError::input(
                tf(
                    "inventory.unknown_variable",
                    &[("host", &at), ("var", &name), ("candidate", &candidate.id)],
                ),
                t("inventory.template_hint"),
            )
            .into());
        };
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::parse_inventory;

    #[test]
    fn defaults_and_templates_are_applied() {
        let inventory = parse_inventory(
            "session: { id: s1, referentiel: TSSR }
defaults:
  linux: { address: '10.0.${num}.20', user: admin, cred: '${candidate}-linux', sudo: true }
candidates:
  - { id: c01, name: Alice, vars: { num: '1' } }
  - id: c02
    name: Bruno
    vars: { num: '2' }
    hosts:
      linux: { port: 2222 }
      server: { transport: winrm, address: 10.0.2.10, cred: lab-win }
",
            "inv.yaml",
        )
        .unwrap();
        let hosts = resolve_hosts(&inventory).unwrap();
        insta::assert_debug_snapshot!(hosts);
    }
}
