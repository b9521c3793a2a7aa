//! Expands an inventory into one [`HostTarget`] per candidate and role: defaults for the role,
//! overridden by the candidate's own fields, then `${...}` templates filled in.

use super::model::{Candidate, HostSpec, Inventory, TlsMode, TransportKind};
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
    /// TLS policy as written (`ldap`: `None` means verify; `winrm`: `None` means HTTP).
    pub tls: Option<TlsMode>,
    /// CA file for `tls: verify` (`ldap`).
    pub ca_file: Option<String>,
    /// Naming context to read (`ldap`).
    pub base_dn: Option<String>,
    /// Read SYSVOL too (`ldap`).
    pub sysvol: bool,
    /// Path of the API on the web server (`zabbix`, `glpi`).
    pub api_path: Option<String>,
    /// Credential name of the API client's application token (`glpi`).
    pub app_token_cred: Option<String>,
    /// Largest snapshot (and any other output) accepted from the host, in bytes.
    pub output_limit: u64,
    /// What the host must report as its identity (`expect_hostname`, `expect_machine_id`).
    pub expected_identity: constat_checker_core::ExpectedIdentity,
}

/// Default of `max_output_mib`.
pub const DEFAULT_MAX_OUTPUT_MIB: u64 = 64;

/// Largest `max_output_mib` accepted.
pub const MAX_OUTPUT_MIB_LIMIT: u64 = 4096;

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
        tls: own.tls.or(base.tls),
        ca_file: own.ca_file.clone().or(base.ca_file),
        base_dn: own.base_dn.clone().or(base.base_dn),
        sysvol: own.sysvol.or(base.sysvol),
        utc_offset_minutes: own.utc_offset_minutes.or(base.utc_offset_minutes),
        api_path: own.api_path.clone().or(base.api_path),
        app_token_cred: own.app_token_cred.clone().or(base.app_token_cred),
        max_output_mib: own.max_output_mib.or(base.max_output_mib),
        expect_hostname: own.expect_hostname.clone().or(base.expect_hostname),
        expect_machine_id: own.expect_machine_id.clone().or(base.expect_machine_id),
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
    check_transport_options(spec, transport, &at)?;
    let default_port = match (transport, spec.tls) {
        (TransportKind::Winrm, Some(TlsMode::Verify | TlsMode::Insecure)) => 5986,
        (TransportKind::Winrm, _) => 5985,
        (TransportKind::Ldap, Some(TlsMode::Plain)) => 389,
        (TransportKind::Ldap, _) => 636,
        (TransportKind::Zabbix, Some(TlsMode::Plain)) => 80,
        (TransportKind::Zabbix, _) => 443,
        (TransportKind::Icinga2, _) => 5665,
        (TransportKind::Glpi, Some(TlsMode::Plain)) => 80,
        (TransportKind::Glpi, _) => 443,
        (TransportKind::Proxmox, _) => 8006,
        _ => 22,
    };
    // A Zabbix or GLPI host without `user` is read with an API token (the credential); a
    // Proxmox host's `user` is its token's id, required.
    let default_user = match transport {
        TransportKind::Zabbix | TransportKind::Glpi | TransportKind::Proxmox => "",
        _ => "root",
    };
    Ok(HostTarget {
        candidate: candidate.id.clone(),
        role: role.to_owned(),
        transport,
        address,
        port: spec.port.unwrap_or(default_port),
        user: fill("user", &spec.user)?.unwrap_or_else(|| default_user.to_owned()),
        cred: fill("cred", &spec.cred)?,
        key: fill("key", &spec.key)?,
        agent_path: fill("agent_path", &spec.agent_path)?,
        sudo: spec.sudo.unwrap_or(false),
        tls: spec.tls,
        ca_file: fill("ca_file", &spec.ca_file)?,
        base_dn: fill("base_dn", &spec.base_dn)?,
        sysvol: spec.sysvol.unwrap_or(true),
        api_path: fill("api_path", &spec.api_path)?,
        app_token_cred: fill("app_token_cred", &spec.app_token_cred)?,
        output_limit: spec.max_output_mib.unwrap_or(DEFAULT_MAX_OUTPUT_MIB) << 20,
        expected_identity: constat_checker_core::ExpectedIdentity {
            hostname: fill("expect_hostname", &spec.expect_hostname)?,
            machine_id: fill("expect_machine_id", &spec.expect_machine_id)?,
        },
    })
}

/// Refuses options that the host's transport would silently ignore, and out-of-range values.
fn check_transport_options(
    spec: &HostSpec,
    transport: TransportKind,
    at: &str,
) -> anyhow::Result<()> {
    let misplaced = |option: &str, allowed: &str| -> anyhow::Error {
        CliError::input(
            tf(
                "inventory.option_not_for_transport",
                &[
                    ("host", &at),
                    ("option", &option),
                    ("transport", &transport.as_str()),
                ],
            ),
            tf("inventory.option_transports_hint", &[("allowed", &allowed)]),
        )
        .into()
    };
    let ldap = transport == TransportKind::Ldap;
    let api = matches!(
        transport,
        TransportKind::Zabbix
            | TransportKind::Icinga2
            | TransportKind::Glpi
            | TransportKind::Proxmox
    );
    if spec.tls.is_some() && !(ldap || api || transport == TransportKind::Winrm) {
        return Err(misplaced(
            "tls",
            "ldap, winrm, zabbix, icinga2, glpi, proxmox",
        ));
    }
    if spec.ca_file.is_some() && !(ldap || api) {
        return Err(misplaced("ca_file", "ldap, zabbix, icinga2, glpi, proxmox"));
    }
    if spec.api_path.is_some() && !matches!(transport, TransportKind::Zabbix | TransportKind::Glpi)
    {
        return Err(misplaced("api_path", "zabbix, glpi"));
    }
    if spec.app_token_cred.is_some() && transport != TransportKind::Glpi {
        return Err(misplaced("app_token_cred", "glpi"));
    }
    if let Some(path) = spec.api_path.as_deref()
        && (!path.starts_with('/')
            || path.contains(['?', '#'])
            || path.chars().any(char::is_whitespace))
    {
        return Err(CliError::input(
            tf(
                "inventory.api_path_invalid",
                &[("host", &at), ("value", &path)],
            ),
            t("inventory.api_path_invalid_hint"),
        )
        .into());
    }
    // A supervision API reports no machine-id either.
    if spec.expect_machine_id.is_some() && api {
        return Err(misplaced("expect_machine_id", "local, ssh, winrm"));
    }
    for (option, set) in [
        ("base_dn", spec.base_dn.is_some()),
        ("sysvol", spec.sysvol.is_some()),
        ("utc_offset_minutes", spec.utc_offset_minutes.is_some()),
    ] {
        if set && !ldap {
            return Err(misplaced(option, "ldap"));
        }
    }
    // A DC read over LDAP reports no machine-id: the expectation could never be met.
    if spec.expect_machine_id.is_some() && ldap {
        return Err(misplaced("expect_machine_id", "local, ssh, winrm"));
    }
    if spec.ca_file.is_some() && spec.tls.is_some_and(|tls| tls != TlsMode::Verify) {
        return Err(CliError::input(
            tf(
                "inventory.ca_file_needs_verify",
                &[
                    ("host", &at),
                    ("tls", &spec.tls.unwrap_or_default().as_str()),
                ],
            ),
            t("inventory.ca_file_needs_verify_hint"),
        )
        .into());
    }
    if let Some(mib) = spec.max_output_mib
        && !(1..=MAX_OUTPUT_MIB_LIMIT).contains(&mib)
    {
        return Err(CliError::input(
            tf(
                "inventory.max_output_range",
                &[("host", &at), ("value", &mib)],
            ),
            tf(
                "inventory.max_output_range_hint",
                &[("max", &MAX_OUTPUT_MIB_LIMIT)],
            ),
        )
        .into());
    }
    if spec.base_dn.as_deref().is_some_and(|dn| !dn.contains('=')) {
        return Err(CliError::input(
            tf(
                "inventory.base_dn_invalid",
                &[
                    ("host", &at),
                    ("value", &spec.base_dn.as_deref().unwrap_or("")),
                ],
            ),
            t("inventory.base_dn_invalid_hint"),
        )
        .into());
    }
    Ok(())
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

    /// The message and hint of the error resolving the inventory `text` (which must fail).
    fn resolve_error(text: &str) -> String {
        let error = parse_inventory(text, "inv.yaml")
            .and_then(|inventory| resolve_hosts(&inventory))
            .unwrap_err();
        let cli = error.downcast_ref::<CliError>().unwrap();
        format!("{} | {}", cli.message, cli.hint.as_deref().unwrap_or(""))
    }

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

    #[test]
    fn ldap_options_are_resolved_and_checked() {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let head = "session: { id: s1, referentiel: TSSR }\ncandidates:\n  - id: c01\n    name: Alice\n    hosts:\n      dc: ";
        let ok = parse_inventory(
            &format!("{head}{{ transport: ldap, address: 10.0.1.10, user: Administrator@tssr.lan, cred: dc, tls: insecure, base_dn: 'DC=tssr,DC=lan', sysvol: false, utc_offset_minutes: 120 }}\n"),
            "inv.yaml",
        )
        .unwrap();
        let hosts = resolve_hosts(&ok).unwrap();
        assert_eq!(hosts[0].port, 636);
        assert_eq!(hosts[0].tls, Some(TlsMode::Insecure));
        assert!(!hosts[0].sysvol);
        // `utc_offset_minutes` is legacy: still accepted (older inventories load), ignored.
        let errors: Vec<String> = [
            "{ transport: ssh, address: a, sysvol: false }",
            "{ transport: ldap, address: a, tls: insecure, ca_file: ca.pem }",
            "{ transport: ldap, address: a, base_dn: tssr.lan }",
            "{ transport: local, tls: verify }",
        ]
        .iter()
        .map(|spec| resolve_error(&format!("{head}{spec}\n")))
        .collect();
        insta::assert_debug_snapshot!(errors);
    }

    #[test]
    fn a_proxmox_host_takes_its_port_token_id_and_ca_file() {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let head = "session: { id: s1, referentiel: TSSR }\ncandidates:\n  - id: c01\n    name: Alice\n    hosts:\n      pve: ";
        let ok = parse_inventory(
            &format!("{head}{{ transport: proxmox, address: pve.lab, user: 'constat@pve!audit', cred: pve, ca_file: pve-root-ca.pem }}\n"),
            "inv.yaml",
        )
        .unwrap();
        let hosts = resolve_hosts(&ok).unwrap();
        assert_eq!(hosts[0].transport, TransportKind::Proxmox);
        assert_eq!(hosts[0].port, 8006);
        assert_eq!(hosts[0].user, "constat@pve!audit");
        assert_eq!(hosts[0].ca_file.as_deref(), Some("pve-root-ca.pem"));
        let error = resolve_error(&format!(
            "{head}{{ transport: proxmox, address: pve.lab, api_path: /api2/json }}\n"
        ));
        assert!(
            error.contains("api_path") && error.contains("zabbix, glpi"),
            "{error}"
        );
    }

    #[test]
    fn output_limit_comes_from_the_role_default_or_the_host() {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let inventory = parse_inventory(
            "session: { id: s1, referentiel: TSSR }
defaults:
  linux: { address: 10.0.1.20, max_output_mib: 8 }
  server: { address: 10.0.1.10 }
candidates:
  - id: c01
    name: Alice
    hosts:
      server: { max_output_mib: 128 }
  - { id: c02, name: Bruno }
",
            "inv.yaml",
        )
        .unwrap();
        let limits: Vec<(String, u64)> = resolve_hosts(&inventory)
            .unwrap()
            .iter()
            .map(|h| (h.label(), h.output_limit >> 20))
            .collect();
        insta::assert_debug_snapshot!(limits);
        let errors: Vec<String> = ["0", "5000"]
            .iter()
            .map(|mib| {
                let text = format!(
                    "session: {{ id: s1, referentiel: TSSR }}\ncandidates:\n  - id: c01\n    name: Alice\n    hosts:\n      linux: {{ address: a, max_output_mib: {mib} }}\n"
                );
                resolve_error(&text)
            })
            .collect();
        insta::assert_debug_snapshot!(errors);
    }

    #[test]
    fn identity_expectations_are_templated_and_refused_where_unmeetable() {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let inventory = parse_inventory(
            "session: { id: s1, referentiel: TSSR }
defaults:
  linux: { address: 10.0.1.20, expect_hostname: 'srv-${num}' }
candidates:
  - { id: c01, name: Alice, vars: { num: '1' } }
  - id: c02
    name: Bruno
    vars: { num: '2' }
    hosts:
      linux: { expect_machine_id: 3d1219c7a0e54a8c9f1b2e3d4c5b6a79 }
",
            "inv.yaml",
        )
        .unwrap();
        let expected: Vec<(String, constat_checker_core::ExpectedIdentity)> =
            resolve_hosts(&inventory)
                .unwrap()
                .into_iter()
                .map(|h| (h.label(), h.expected_identity))
                .collect();
        insta::assert_debug_snapshot!(expected);
        insta::assert_snapshot!(resolve_error(
            "session: { id: s1, referentiel: TSSR }\ncandidates:\n  - id: c01\n    name: Alice\n    hosts:\n      dc: { transport: ldap, address: a, expect_machine_id: x }\n",
        ));
    }
}
