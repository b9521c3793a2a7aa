//! Check kind `vpn_tunnel`: a firewall appliance has an enabled OpenVPN or IPsec tunnel with
//! the expected peer and networks.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{listed, text_property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::appliance::VpnTunnel;
use schemars::JsonSchema;
use serde::Deserialize;

/// `vpn_tunnel: {type: ipsec, remote_gateway: 1.2.4.8, remote_networks: [10.20.30.40/24]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VpnTunnelExpect {
    /// `openvpn` or `ipsec`.
    #[serde(rename = "type")]
    pub vpn_type: VpnType,
    /// `server` or `client` (OpenVPN; remote access is a `server`), `site_to_site` (IPsec).
    #[serde(default)]
    pub role: Option<Sp<String>>,
    /// Description as written on the appliance, case-insensitive; not given = any tunnel of
    /// that type that meets the other expectations.
    #[serde(default)]
    pub description: Option<Sp<String>>,
    /// Remote peer (IPsec remote gateway, OpenVPN client's server).
    #[serde(default)]
    pub remote_gateway: Option<Sp<String>>,
    /// OpenVPN listening protocol and port (`UDP4/1194`).
    #[serde(default)]
    pub endpoint: Option<Sp<String>>,
    /// OpenVPN tunnel network (`10.100.0.0/24`).
    #[serde(default)]
    pub tunnel_network: Option<Sp<String>>,
    /// Local networks that must all be reached through the tunnel.
    #[serde(default)]
    pub local_networks: Vec<Sp<String>>,
    /// Remote networks that must all be reached through the tunnel.
    #[serde(default)]
    pub remote_networks: Vec<Sp<String>>,
}

/// The VPN technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VpnType {
    /// OpenVPN.
    Openvpn,
    /// IPsec.
    Ipsec,
}

/// Compiled `vpn_tunnel` expectation.
#[derive(Debug, Clone)]
pub struct VpnTunnelMatcher {
    vpn_type: &'static str,
    role: Option<String>,
    description: Option<String>,
    remote_gateway: Option<String>,
    endpoint: Option<String>,
    tunnel_network: Option<String>,
    local_networks: Vec<String>,
    remote_networks: Vec<String>,
}

impl VpnTunnelMatcher {
    /// How many expectations a tunnel meets (to pick the closest one for evidence).
    fn score(&self, t: &VpnTunnel) -> usize {
        let eq = |want: &Option<String>, have: &Option<String>| {
            want.as_ref()
                .is_some_and(|w| have.as_ref().is_some_and(|h| h.eq_ignore_ascii_case(w)))
        };
        usize::from(t.enabled)
            + usize::from(eq(&self.remote_gateway, &t.remote_gateway))
            + usize::from(eq(&self.endpoint, &t.endpoint))
            + usize::from(eq(&self.tunnel_network, &t.tunnel_network))
            + self
                .local_networks
                .iter()
                .filter(|n| t.local_networks.contains(n))
                .count()
            + self
                .remote_networks
                .iter()
                .filter(|n| t.remote_networks.contains(n))
                .count()
    }
}

fn tunnel_label(t: &VpnTunnel) -> String {
    let mut s = format!("{} {}", t.vpn_type, t.role);
    if let Some(id) = &t.id {
        s.push_str(&format!(" #{id}"));
    }
    if let Some(d) = &t.description {
        s.push_str(&format!(" \"{d}\""));
    }
    s
}

impl Kind for VpnTunnelExpect {
    const NAME: &'static str = "vpn_tunnel";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["appliance"]);
    const DOC: &'static str = r#"# vpn_tunnel

## What it checks
The firewall appliance (pfSense or OPNsense `config.xml`, section `appliance`) has a VPN
tunnel of `type` (`openvpn`: servers and clients; `ipsec`: each phase 1 with the networks of
its phase 2 entries), with the given `role`, `description`, remote peer, OpenVPN endpoint
(`UDP4/1194`) and tunnel network, and every listed local and remote network; it must be
enabled. Among several tunnels of that type the closest one is shown. Pre-shared keys, TLS
keys and certificates are never read. OPNsense 23.x+ instances (VPN > OpenVPN > Instances,
IPsec connections) are not read yet: the snapshot's `unread` list names them, and the check is
then not assessable rather than failed.

## Why it matters
« Les accès des utilisateurs nomades sont conformes aux besoins et aux recommandations de sécurité » (CP7): a site-to-site IPsec
tunnel between two sites, or an OpenVPN remote access for nomad users, is a classic subject;
the peer address and the networks on each side decide whether the sites can talk.

## Passing example
```yaml
expect:
  vpn_tunnel: {type: ipsec, remote_gateway: 1.2.4.8,
               local_networks: [lan], remote_networks: [10.20.30.40/24]}
```

## Failing example
`vpn_tunnel: {type: openvpn, role: server, endpoint: UDP4/1194, tunnel_network: 10.8.0.0/24}`
when the server's tunnel network is 10.100.0.0/24: `tunnel_network` fails (expected
10.8.0.0/24, actual 10.100.0.0/24).

## Critères
`tssr-2023/CP7/C4`, `tssr-2023/CP7/C1`.
"#;
    const DOC_FR: &'static str = r#"# vpn_tunnel

## Ce qui est vérifié
Le pare-feu matériel (`config.xml` de pfSense ou d'OPNsense, section `appliance`) a un tunnel
VPN de type `type` (`openvpn` : serveurs et clients ; `ipsec` : chaque phase 1 avec les
réseaux de ses entrées de phase 2), avec le rôle (`role`), la description (`description`), le
pair distant, le point d'accès OpenVPN (`UDP4/1194`) et le réseau du tunnel donnés, et chacun
des réseaux locaux et distants listés ; il doit être activé. Parmi plusieurs tunnels de ce
type, le plus proche est montré. Les clés prépartagées, les clés TLS et les certificats ne
sont jamais lus. Les instances d'OPNsense 23.x et suivants (VPN > OpenVPN > Instances,
connexions IPsec) ne sont pas encore lues : la liste `unread` du relevé les nomme, et la
vérification est alors non évaluable plutôt qu'échouée.

## Pourquoi c'est important
« Les accès des utilisateurs nomades sont conformes aux besoins et aux recommandations de
sécurité » (CP7) : un tunnel IPsec entre deux sites, ou un accès distant OpenVPN pour les
nomades, est un sujet classique ; l'adresse du pair et les réseaux de chaque côté décident si
les sites peuvent communiquer.

## Exemple conforme
```yaml
expect:
  vpn_tunnel: {type: ipsec, remote_gateway: 1.2.4.8,
               local_networks: [lan], remote_networks: [10.20.30.40/24]}
```

## Exemple non conforme
`vpn_tunnel: {type: openvpn, role: server, endpoint: UDP4/1194, tunnel_network: 10.8.0.0/24}`
quand le réseau du tunnel du serveur est 10.100.0.0/24 : `tunnel_network` échoue (attendu
10.8.0.0/24, observé 10.100.0.0/24).

## Critères
`tssr-2023/CP7/C4`, `tssr-2023/CP7/C1`.
"#;
    type Compiled = VpnTunnelMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<VpnTunnelMatcher> {
        Some(VpnTunnelMatcher {
            vpn_type: match self.vpn_type {
                VpnType::Openvpn => "openvpn",
                VpnType::Ipsec => "ipsec",
            },
            role: cx.opt_text(&self.role),
            description: cx.opt_text(&self.description),
            remote_gateway: cx.opt_text(&self.remote_gateway),
            endpoint: cx.opt_text(&self.endpoint),
            tunnel_network: cx.opt_text(&self.tunnel_network),
            local_networks: cx.texts(&self.local_networks),
            remote_networks: cx.texts(&self.remote_networks),
        })
    }

    fn evaluate(m: &VpnTunnelMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "appliance";
        let path = match &m.description {
            Some(d) => format!("{} \"{d}\"", m.vpn_type),
            None => m.vpn_type.to_owned(),
        };
        let Some(a) = host.section(S, &path, &host.snapshot.sections.appliance, out) else {
            return Status::NotAssessable;
        };
        let candidates: Vec<&VpnTunnel> = a
            .vpn_tunnels
            .iter()
            .filter(|t| t.vpn_type == m.vpn_type)
            .filter(|t| {
                m.role
                    .as_ref()
                    .is_none_or(|r| t.role.eq_ignore_ascii_case(r))
            })
            .filter(|t| {
                m.description.as_ref().is_none_or(|d| {
                    t.description
                        .as_ref()
                        .is_some_and(|h| h.eq_ignore_ascii_case(d))
                })
            })
            .collect();
        // First best: `max_by_key` would keep the last of equals.
        let best = candidates
            .iter()
            .copied()
            .fold(None::<&VpnTunnel>, |best, t| match best {
                Some(b) if m.score(b) >= m.score(t) => Some(b),
                _ => Some(t),
            });
        let Some(t) = best else {
            let unread = a
                .unread
                .iter()
                .find(|u| u.to_ascii_lowercase().contains(m.vpn_type));
            let all: Vec<String> = a.vpn_tunnels.iter().map(tunnel_label).collect();
            let (actual, status) = match unread {
                Some(u) => (format!("not read: {u}"), Status::NotAssessable),
                None => (format!("absent (tunnels: {})", listed(&all)), Status::Fail),
            };
            out.push(host.evidence(S, &path, "exists", "present", actual, status));
            return status;
        };
        out.push(host.evidence(S, &path, "exists", "present", tunnel_label(t), Status::Pass));
        let at = (S, path.as_str());
        let enabled = Status::from_bool(t.enabled);
        out.push(host.evidence(S, &path, "enabled", "true", t.enabled.to_string(), enabled));
        let mut status = enabled
            .and(text_property(
                host,
                out,
                at,
                "remote_gateway",
                m.remote_gateway.as_deref(),
                t.remote_gateway.as_deref(),
            ))
            .and(text_property(
                host,
                out,
                at,
                "endpoint",
                m.endpoint.as_deref(),
                t.endpoint.as_deref(),
            ))
            .and(text_property(
                host,
                out,
                at,
                "tunnel_network",
                m.tunnel_network.as_deref(),
                t.tunnel_network.as_deref(),
            ));
        for (name, want, have) in [
            ("local_networks", &m.local_networks, &t.local_networks),
            ("remote_networks", &m.remote_networks, &t.remote_networks),
        ] {
            if want.is_empty() {
                continue;
            }
            let missing: Vec<&str> = want
                .iter()
                .filter(|w| !have.iter().any(|h| h.eq_ignore_ascii_case(w)))
                .map(String::as_str)
                .collect();
            let s = Status::from_bool(missing.is_empty());
            out.push(host.evidence(
                S,
                &path,
                name,
                format!("includes {}", want.join(", ")),
                if missing.is_empty() {
                    listed(have)
                } else {
                    format!("[{}]; missing {}", listed(have), missing.join(", "))
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
    use crate::kinds::testing::{appliance_opnsense, appliance_pfsense, kind_case, without};

    /// The real pfSense fixture's IPsec phase 1 "test_tunnel" and OpenVPN server "ovpns1".
    #[test]
    fn passes_on_real_ipsec_and_openvpn_tunnels() {
        insta::assert_snapshot!(kind_case(
            "all: [{vpn_tunnel: {type: ipsec, remote_gateway: 1.2.4.8, local_networks: [lan], remote_networks: [10.20.30.40/24]}}, {vpn_tunnel: {type: openvpn, role: server, description: ovpns1, endpoint: UDP4/1194, tunnel_network: 10.100.0.0/24}}]",
            &appliance_pfsense()
        ));
    }

    #[test]
    fn fails_on_wrong_networks_or_a_missing_tunnel() {
        insta::assert_snapshot!(kind_case(
            "all: [{vpn_tunnel: {type: openvpn, role: server, endpoint: UDP4/1194, tunnel_network: 10.8.0.0/24}}, {vpn_tunnel: {type: ipsec, remote_gateway: 9.9.9.9, remote_networks: [192.168.50.0/24]}}, {vpn_tunnel: {type: openvpn, role: client}}]",
            &appliance_pfsense()
        ));
    }

    /// OPNsense without any legacy tunnel: absent, hence a failure.
    #[test]
    fn fails_when_there_is_no_tunnel_and_is_not_assessable_without_the_section() {
        insta::assert_snapshot!(kind_case(
            "vpn_tunnel: {type: ipsec}",
            &appliance_opnsense()
        ));
        insta::assert_snapshot!(kind_case(
            "vpn_tunnel: {type: ipsec}",
            &without(appliance_opnsense(), "appliance")
        ));
    }
}
