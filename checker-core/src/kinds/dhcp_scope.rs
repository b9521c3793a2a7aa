//! Check kind `dhcp_scope`: a DHCP scope with its range, mask, state and options.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{bool_property, listed, text_property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::windows::{DhcpOption, DhcpScope};
use schemars::JsonSchema;
use serde::Deserialize;

/// `dhcp_scope: {scope: 192.168.10.0, start: .100, end: .200, mask: 255.255.255.0, router: ..}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpScopeExpect {
    /// Scope id (network address).
    pub scope: Sp<String>,
    /// First address of the range.
    #[serde(default)]
    pub start: Option<Sp<String>>,
    /// Last address of the range.
    #[serde(default)]
    pub end: Option<Sp<String>>,
    /// Subnet mask.
    #[serde(default)]
    pub mask: Option<Sp<String>>,
    /// Whether the scope must be active.
    #[serde(default)]
    pub active: Option<bool>,
    /// Router (option 3), scope option or else server option.
    #[serde(default)]
    pub router: Option<Sp<String>>,
    /// DNS servers (option 6) that must all be given, in any order.
    #[serde(default)]
    pub dns_servers: Vec<Sp<String>>,
    /// DNS domain name (option 15), case-insensitive.
    #[serde(default)]
    pub dns_domain: Option<Sp<String>>,
}

/// Compiled `dhcp_scope` expectation.
#[derive(Debug, Clone)]
pub struct DhcpScopeMatcher {
    scope: String,
    start: Option<String>,
    end: Option<String>,
    mask: Option<String>,
    active: Option<bool>,
    router: Option<String>,
    dns_servers: Vec<String>,
    dns_domain: Option<String>,
}

/// Values of an option: the scope's own, else the server-level one (Windows inheritance).
fn option<'a>(scope: &'a DhcpScope, server: &'a [DhcpOption], id: u32) -> Option<&'a [String]> {
    scope
        .options
        .iter()
        .chain(server)
        .find(|o| o.option_id == id)
        .map(|o| o.values.as_slice())
}

impl Kind for DhcpScopeExpect {
    const NAME: &'static str = "dhcp_scope";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["dhcp_server"]);
    const DOC: &'static str = r#"# dhcp_scope

## What it checks
The DHCP server has the IPv4 scope `scope` (`Get-DhcpServerv4Scope`) with, when given, the
expected range (`start`, `end`), subnet mask, state (`active`), router (option 3), DNS servers
(option 6: every expected address among those given, any order) and DNS domain (option 15,
case-insensitive). Options set at server level count for every scope, as on Windows.

## Why it matters
« Le serveur et les services sont opérationnels » (CP2): a scope with the wrong gateway or DNS
server hands out leases with which clients cannot reach the domain nor the Internet; an inactive
scope serves nobody.

## Passing example
```yaml
expect:
  dhcp_scope: {scope: 192.168.10.0, start: 192.168.10.100, end: 192.168.10.200,
               mask: 255.255.255.0, active: true, router: 192.168.10.254,
               dns_servers: [192.168.10.10], dns_domain: tssr.lan}
```

## Failing example
The same when option 3 is missing: `router` fails (expected 192.168.10.254, actual (absent)).

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    const DOC_FR: &'static str = r#"# dhcp_scope

## Ce qui est vérifié
Le serveur DHCP a l'étendue IPv4 `scope` (`Get-DhcpServerv4Scope`) avec, quand ils sont
donnés, la plage (`start`, `end`), le masque de sous-réseau, l'état (`active`), le routeur
(option 3), les serveurs DNS (option 6 : chaque adresse attendue parmi celles distribuées, dans
n'importe quel ordre) et le domaine DNS (option 15, sans tenir compte de la casse) attendus.
Les options définies au niveau du serveur valent pour toutes les étendues, comme sous Windows.

## Pourquoi c'est important
« Le serveur et les services sont opérationnels » (CP2) : une étendue avec une mauvaise
passerelle ou un mauvais serveur DNS distribue des baux avec lesquels les clients n'atteignent
ni le domaine ni Internet ; une étendue inactive ne sert personne.

## Exemple conforme
```yaml
expect:
  dhcp_scope: {scope: 192.168.10.0, start: 192.168.10.100, end: 192.168.10.200,
               mask: 255.255.255.0, active: true, router: 192.168.10.254,
               dns_servers: [192.168.10.10], dns_domain: tssr.lan}
```

## Exemple non conforme
La même attente quand l'option 3 manque : `router` échoue (attendu 192.168.10.254, observé
(absent)).

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    type Compiled = DhcpScopeMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<DhcpScopeMatcher> {
        Some(DhcpScopeMatcher {
            scope: cx.text(&self.scope),
            start: cx.opt_text(&self.start),
            end: cx.opt_text(&self.end),
            mask: cx.opt_text(&self.mask),
            active: self.active,
            router: cx.opt_text(&self.router),
            dns_servers: cx.texts(&self.dns_servers),
            dns_domain: cx.opt_text(&self.dns_domain),
        })
    }

    fn evaluate(m: &DhcpScopeMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "dhcp_server";
        let Some(dhcp) = host.section(S, &m.scope, &host.snapshot.sections.dhcp_server, out) else {
            return Status::NotAssessable;
        };
        let scope = dhcp.scopes.iter().find(|s| s.scope_id == m.scope);
        let ids: Vec<&str> = dhcp.scopes.iter().map(|s| s.scope_id.as_str()).collect();
        out.push(host.evidence(
            S,
            &m.scope,
            "exists",
            "present",
            if scope.is_some() {
                "present".to_owned()
            } else {
                format!("absent (scopes: {})", listed(&ids))
            },
            Status::from_bool(scope.is_some()),
        ));
        let Some(scope) = scope else {
            return Status::Fail;
        };
        let at = (S, m.scope.as_str());
        let router = option(scope, &dhcp.server_options, 3).and_then(|v| v.first());
        let domain = option(scope, &dhcp.server_options, 15).and_then(|v| v.first());
        let mut status = text_property(
            host,
            out,
            at,
            "start",
            m.start.as_deref(),
            Some(&scope.start),
        )
        .and(text_property(
            host,
            out,
            at,
            "end",
            m.end.as_deref(),
            Some(&scope.end),
        ))
        .and(text_property(
            host,
            out,
            at,
            "mask",
            m.mask.as_deref(),
            Some(&scope.subnet_mask),
        ))
        .and(bool_property(
            host,
            out,
            at,
            "active",
            m.active,
            Some(scope.state.eq_ignore_ascii_case("active")),
        ))
        .and(text_property(
            host,
            out,
            at,
            "router (option 3)",
            m.router.as_deref(),
            router.map(String::as_str),
        ))
        .and(text_property(
            host,
            out,
            at,
            "dns_domain (option 15)",
            m.dns_domain.as_deref(),
            domain.map(|d| d.trim_end_matches('.')),
        ));
        if !m.dns_servers.is_empty() {
            let actual = option(scope, &dhcp.server_options, 6).unwrap_or_default();
            let missing: Vec<&str> = m
                .dns_servers
                .iter()
                .filter(|d| !actual.contains(d))
                .map(String::as_str)
                .collect();
            let s = Status::from_bool(missing.is_empty());
            out.push(host.evidence(
                S,
                &m.scope,
                "dns_servers (option 6)",
                format!("includes {}", m.dns_servers.join(", ")),
                if missing.is_empty() {
                    listed(actual)
                } else {
                    format!("[{}]; missing {}", listed(actual), missing.join(", "))
                },
                s,
            ));
            status = status.and(s);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, windows_lab, without};

    /// `windows-lab.json`'s DHCP section has the shape of Microsoft's documentation.
    #[test]
    fn passes_on_the_lab_scope() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "dhcp_scope: {scope: 192.168.10.0, start: 192.168.10.100, end: 192.168.10.200, mask: 255.255.255.0, active: true, router: 192.168.10.254, dns_servers: [192.168.10.10], dns_domain: TSSR.lan}",
            &windows_lab()
        ));
    }

    #[test]
    fn fails_on_wrong_options_or_a_missing_scope() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{dhcp_scope: {scope: 192.168.10.0, end: 192.168.10.250, router: 192.168.10.1, dns_servers: [192.168.10.10, 1.1.1.1]}}, {dhcp_scope: {scope: 10.0.0.0}}]",
            &windows_lab()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_dhcp_section() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "dhcp_scope: {scope: 192.168.10.0, active: true}",
            &without(windows_lab(), "dhcp_server")
        ));
    }
}
