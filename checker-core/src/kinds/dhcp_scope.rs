//! Check kind `dhcp_scope`: a DHCP scope with its range, mask, state and options.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::dhcp_settings::{
    DnsUpdatesExpect, check_authorized, check_dns_updates, check_options, check_values,
    duration_seconds, option, show_duration,
};
use crate::kinds::kind::Kind;
use crate::kinds::windows::{bool_property, listed, text_property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::windows::{DhcpOption, DhcpScope};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

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
    /// Scope name, case-insensitive.
    #[serde(default)]
    pub name: Option<Sp<String>>,
    /// Lease duration: `8d`, `12h`, `1d12h`, `90m`, seconds, or Windows' `8.00:00:00`.
    #[serde(default)]
    pub lease_duration: Option<Sp<String>>,
    /// Options by code (`{3: [192.168.10.254], 6: [192.168.10.10], 15: [tssr.lan]}`): every
    /// value listed must be among the option's values (scope's, else server's).
    #[serde(default)]
    pub options: BTreeMap<u32, Vec<Sp<String>>>,
    /// The DHCP server authorised in Active Directory (the directory's `DhcpRoot` when read
    /// over LDAP on this host, else the probe's `Get-DhcpServerInDC`).
    #[serde(default)]
    pub authorized: Option<bool>,
    /// DNS dynamic-update settings (`Get-DhcpServerv4DnsSetting`, effective for the scope).
    #[serde(default)]
    pub dns_updates: Option<DnsUpdatesExpect>,
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
    name: Option<String>,
    lease_seconds: Option<(String, u64)>,
    options: BTreeMap<u32, Vec<String>>,
    authorized: Option<bool>,
    dns_updates: DnsUpdatesExpect,
}

/// Values of an option: the scope's own, else the server-level one (Windows inheritance).
fn values<'a>(scope: &'a DhcpScope, server: &'a [DhcpOption], id: u32) -> Option<&'a [String]> {
    option(scope, server, id).map(|o| o.values.as_slice())
}

impl Kind for DhcpScopeExpect {
    const NAME: &'static str = "dhcp_scope";
    // `directory`: the authorisation in AD, read over LDAP.
    const SECTIONS: Option<&'static [&'static str]> = Some(&["dhcp_server", "directory"]);
    const DOC: &'static str = r#"# dhcp_scope

## What it checks
The DHCP server has the IPv4 scope `scope` (`Get-DhcpServerv4Scope`) with, when given, the
expected name (case-insensitive), range (`start`, `end`), subnet mask, state (`active`),
lease duration (`lease_duration: 8d`, `12h`, `1d12h`, `90m`, seconds or Windows'
`8.00:00:00`, compared as a duration), router (option 3), DNS servers (option 6: every
expected address among those given, any order), DNS domain (option 15, case-insensitive) and
any option by its code (`options: {42: [192.168.10.1]}`: every value listed among the
option's). Options set at server level count for every scope, as on Windows.
`authorized: true` reads the authorisation in Active Directory: on a snapshot read over LDAP,
the servers `CN=DhcpRoot,CN=NetServices,CN=Services,CN=Configuration,…` lists (a server
object left there without its DhcpRoot entry is named as found instead, without effect);
otherwise the probe's `Get-DhcpServerInDC`. `dns_updates` compares the effective DNS
dynamic-update settings of the scope (`Get-DhcpServerv4DnsSetting -ScopeId`):
`dynamic_updates` (`always`, `on_client_request`, `never`), `delete_on_lease_expiry`,
`update_older_clients`, `disable_ptr_update`, `name_protection`; a probe that did not read
them makes them not assessable.

## Why it matters
« Le serveur et les services sont opérationnels » (CP2): a scope with the wrong gateway or DNS
server hands out leases with which clients cannot reach the domain nor the Internet; an inactive
scope serves nobody; a DHCP server not authorised in the domain does not serve at all (Windows
stops it as a rogue server); without dynamic updates the clients' names are missing from DNS.

## Passing example
```yaml
expect:
  dhcp_scope: {scope: 192.168.10.0, name: LAN, start: 192.168.10.100, end: 192.168.10.200,
               mask: 255.255.255.0, active: true, lease_duration: 8d,
               options: {3: [192.168.10.254], 6: [192.168.10.10], 15: [tssr.lan]},
               authorized: true, dns_updates: {dynamic_updates: always, delete_on_lease_expiry: true}}
```

## Failing example
The same when option 3 is missing: `option 3` fails (expected 192.168.10.254, actual
(absente)); when the lease is `1.00:00:00`, `lease_duration` fails (8d = 8 j, observed 1 j).

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    const DOC_FR: &'static str = r#"# dhcp_scope

## Ce qui est vérifié
Le serveur DHCP a l'étendue IPv4 `scope` (`Get-DhcpServerv4Scope`) avec, quand ils sont
donnés, le nom (sans tenir compte de la casse), la plage (`start`, `end`), le masque de
sous-réseau, l'état (`active`), la durée du bail (`lease_duration: 8d`, `12h`, `1d12h`, `90m`,
en secondes ou au format Windows `8.00:00:00`, comparée comme une durée), le routeur
(option 3), les serveurs DNS (option 6 : chaque adresse attendue parmi celles distribuées, dans
n'importe quel ordre), le domaine DNS (option 15, sans tenir compte de la casse) et toute option
désignée par son code (`options: {42: [192.168.10.1]}` : chaque valeur listée parmi celles de
l'option) attendus. Les options définies au niveau du serveur valent pour toutes les étendues,
comme sous Windows.
`authorized: true` lit l'autorisation dans Active Directory : sur un relevé lu par LDAP, les
serveurs que liste `CN=DhcpRoot,CN=NetServices,CN=Services,CN=Configuration,…` (un objet
serveur laissé là sans son entrée dans DhcpRoot est cité comme trouvé à la place, sans effet) ;
sinon le `Get-DhcpServerInDC` de la sonde. `dns_updates` compare les réglages effectifs de mise
à jour dynamique du DNS de l'étendue (`Get-DhcpServerv4DnsSetting -ScopeId`) :
`dynamic_updates` (`always`, `on_client_request`, `never`), `delete_on_lease_expiry`,
`update_older_clients`, `disable_ptr_update`, `name_protection` ; si la sonde ne les a pas
lus, ils sont non évaluables.

## Pourquoi c'est important
« Le serveur et les services sont opérationnels » (CP2) : une étendue avec une mauvaise
passerelle ou un mauvais serveur DNS distribue des baux avec lesquels les clients n'atteignent
ni le domaine ni Internet ; une étendue inactive ne sert personne ; un serveur DHCP non
autorisé dans le domaine ne sert pas du tout (Windows l'arrête comme serveur illicite) ; sans
mises à jour dynamiques, les noms des clients manquent dans le DNS.

## Exemple conforme
```yaml
expect:
  dhcp_scope: {scope: 192.168.10.0, name: LAN, start: 192.168.10.100, end: 192.168.10.200,
               mask: 255.255.255.0, active: true, lease_duration: 8d,
               options: {3: [192.168.10.254], 6: [192.168.10.10], 15: [tssr.lan]},
               authorized: true, dns_updates: {dynamic_updates: always, delete_on_lease_expiry: true}}
```

## Exemple non conforme
La même attente quand l'option 3 manque : `option 3` échoue (attendu 192.168.10.254, observé
(absente)) ; quand le bail vaut `1.00:00:00`, `lease_duration` échoue (8d = 8 j, observé 1 j).

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    type Compiled = DhcpScopeMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<DhcpScopeMatcher> {
        let lease_seconds = match &self.lease_duration {
            None => None,
            Some(sp) => {
                let text = cx.text(sp);
                let Some(seconds) = duration_seconds(&text) else {
                    cx.error(
                        sp,
                        (
                            format!("durée de bail illisible : {text:?}"),
                            format!("unreadable lease duration: {text:?}"),
                        ),
                        Some((
                            "écrire 8d, 12h, 1d12h, 90m, un nombre de secondes ou 8.00:00:00"
                                .to_owned(),
                            "write 8d, 12h, 1d12h, 90m, a number of seconds or 8.00:00:00"
                                .to_owned(),
                        )),
                    );
                    return None;
                };
                Some((text, seconds))
            }
        };
        let options = self
            .options
            .iter()
            .map(|(code, values)| (*code, cx.texts(values)))
            .collect();
        Some(DhcpScopeMatcher {
            name: cx.opt_text(&self.name),
            lease_seconds,
            options,
            authorized: self.authorized,
            dns_updates: self.dns_updates.clone().unwrap_or_default(),
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
        // Authorisation first: over LDAP it is known even when the probe did not run.
        let authorized = m.authorized.map_or(Status::Pass, |want| {
            check_authorized(host, out, &m.scope, want)
        });
        let Some(dhcp) = host.section(S, &m.scope, &host.snapshot.sections.dhcp_server, out) else {
            return authorized.and(Status::NotAssessable);
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
        let router = values(scope, &dhcp.server_options, 3).and_then(|v| v.first());
        let domain = values(scope, &dhcp.server_options, 15).and_then(|v| v.first());
        let mut status = authorized.and(text_property(
            host,
            out,
            at,
            "name",
            m.name.as_deref(),
            scope.name.as_deref(),
        ));
        if let Some((written, want)) = &m.lease_seconds {
            let actual = scope.lease_duration.as_deref();
            let seconds = actual.and_then(duration_seconds);
            let st = match (actual, seconds) {
                (None, _) => Status::Fail,
                (Some(_), None) => Status::NotAssessable,
                (Some(_), Some(s)) => Status::from_bool(s == *want),
            };
            out.push(host.evidence(
                S,
                &m.scope,
                "lease_duration",
                format!("{written} ({})", show_duration(*want)),
                match (actual, seconds) {
                    (None, _) => "(absent)".to_owned(),
                    (Some(a), None) => format!("{a} (unreadable duration)"),
                    (Some(a), Some(s)) => format!("{a} ({})", show_duration(s)),
                },
                st,
            ));
            status = status.and(st);
        }
        status = status.and(
            text_property(
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
            )),
        );
        if !m.dns_servers.is_empty() {
            status = status.and(check_values(
                host,
                out,
                at,
                "dns_servers (option 6)".to_owned(),
                &m.dns_servers,
                values(scope, &dhcp.server_options, 6),
            ));
        }
        status = status.and(check_options(host, out, at, dhcp, scope, &m.options));
        status.and(check_dns_updates(
            host,
            out,
            at,
            dhcp,
            scope,
            &m.dns_updates,
        ))
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

    /// The lab scope (shape of Microsoft's documentation, derived: `windows-lab.json`) with
    /// the DNS settings `Get-DhcpServerv4DnsSetting` documents added here, and the AD
    /// authorisation the LDAP collector reads ([MS-DHCPE] 7.3 format, derived).
    fn lab_with_dns_settings() -> constat_snapshot::Snapshot {
        use constat_snapshot::ad::{AuthorizedDhcpServer, DhcpAuthorizations};
        use constat_snapshot::section::Section;
        use constat_snapshot::windows::DhcpDnsSettings;
        let mut snap = windows_lab();
        let mut dhcp = snap
            .sections
            .dhcp_server
            .data()
            .cloned()
            .expect("dhcp collected");
        dhcp.scopes[0].dns_settings = Some(DhcpDnsSettings {
            dynamic_updates: Some("OnClientRequest".to_owned()),
            delete_on_lease_expiry: Some(true),
            update_older_clients: Some(false),
            disable_ptr_update: Some(false),
            name_protection: Some(false),
        });
        snap.sections.dhcp_server = Section::collected(dhcp);
        let mut dir = snap.sections.directory.data().cloned().expect("directory");
        let host = snap.host.hostname.clone();
        dir.dhcp_authorizations = Some(DhcpAuthorizations {
            servers: vec![AuthorizedDhcpServer {
                name: "srv-other.tssr.lan".to_owned(),
                address: "192.168.10.11".to_owned(),
            }],
            unlisted: vec![AuthorizedDhcpServer {
                name: format!("{host}.tssr.lan"),
                address: "192.168.10.10".to_owned(),
            }],
            malformed: Vec::new(),
        });
        snap.sections.directory = Section::collected(dir);
        snap
    }

    #[test]
    fn name_lease_options_and_dns_updates() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{dhcp_scope: {scope: 192.168.10.0, name: lan, lease_duration: 8d, options: {3: [192.168.10.254], 15: [TSSR.lan.]}, dns_updates: {dynamic_updates: on_client_request, delete_on_lease_expiry: true}}}, {dhcp_scope: {scope: 192.168.10.0, lease_duration: '1.00:00:00', options: {6: [192.168.10.10, 192.168.10.11], 44: [192.168.10.10]}, dns_updates: {dynamic_updates: always, name_protection: true}}}]",
            &lab_with_dns_settings()
        ));
    }

    /// Over LDAP the server object exists but DhcpRoot does not list it: not authorised, and
    /// the look-alike is named; without a directory the probe's answer is used.
    #[test]
    fn authorisation_in_ad() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{dhcp_scope: {scope: 192.168.10.0, authorized: true}}, {dhcp_scope: {scope: 10.0.0.0, authorized: true}}]",
            &lab_with_dns_settings()
        ));
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "dhcp_scope: {scope: 192.168.10.0, authorized: true, dns_updates: {dynamic_updates: always}}",
            &without(windows_lab(), "directory")
        ));
    }

    #[test]
    fn an_unreadable_lease_is_a_pack_error() {
        let text = kind_case_as(
            "dc",
            "dhcp_scope: {scope: 192.168.10.0, lease_duration: 8 jours}",
            &windows_lab(),
        );
        assert!(text.contains("durée de bail illisible"), "{text}");
    }
}
