//! Check kind `network`: addresses, default gateway, routes and DNS resolvers.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::{Kind, includes};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// A route that must exist.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    /// Destination in CIDR form, or `default`.
    pub destination: Sp<String>,
    /// Next hop.
    #[serde(default)]
    pub gateway: Option<Sp<String>>,
}

/// `network: {address: "192.168.${n}.10/24", gateway: "192.168.${n}.254", nameservers: ["192.168.${n}.1"]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkExpect {
    /// Interface the address must be on (any when absent).
    #[serde(default)]
    pub interface: Option<Sp<String>>,
    /// Address in CIDR form (`192.168.10.10/24`).
    #[serde(default)]
    pub address: Option<Sp<String>>,
    /// Default gateway.
    #[serde(default)]
    pub gateway: Option<Sp<String>>,
    /// Routes that must exist.
    #[serde(default)]
    pub routes: Vec<RawRoute>,
    /// Name servers the resolver must use.
    #[serde(default)]
    pub nameservers: Vec<Sp<String>>,
    /// Search domains.
    #[serde(default)]
    pub search: Vec<Sp<String>>,
}

/// Compiled `network` expectation.
#[derive(Debug, Clone)]
pub struct NetworkMatcher {
    interface: Option<String>,
    address: Option<String>,
    gateway: Option<String>,
    routes: Vec<(String, Option<String>)>,
    nameservers: Vec<String>,
    search: Vec<String>,
}

impl Kind for NetworkExpect {
    const NAME: &'static str = "network";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["network"]);
    const DOC: &'static str = r#"# network

## What it checks
An address (CIDR) on an interface (or any), the default gateway, routes (destination and
next hop), and the DNS name servers and search domains the resolver uses.

## Why it matters
The IP plan of the subject (often derived from the candidate number, see `variables`) is
the base of every other service: a wrong mask or gateway breaks the whole lab.

## Passing example
```yaml
expect:
  network: {address: "192.0.2.10/24", gateway: 192.0.2.1, nameservers: [10.255.255.53]}
```

## Failing example
The same when the host has `192.0.2.10/25`: `address` fails with the addresses observed.

## Critères
`tssr-2023/CP4/C2`, `tssr-2023/CP4/C3`.
"#;
    const DOC_FR: &'static str = r#"# network

## Ce qui est vérifié
Une adresse (CIDR) sur une interface (ou sur n'importe laquelle), la passerelle par défaut,
les routes (destination et prochain saut), et les serveurs DNS et domaines de recherche
qu'utilise le résolveur.

## Pourquoi c'est important
Le plan d'adressage du sujet (souvent dérivé du numéro du candidat, voir `variables`) est la
base de tous les autres services : un mauvais masque ou une mauvaise passerelle casse tout le
lab.

## Exemple conforme
```yaml
expect:
  network: {address: "192.0.2.10/24", gateway: 192.0.2.1, nameservers: [10.255.255.53]}
```

## Exemple non conforme
La même attente quand la machine a `192.0.2.10/25` : `address` échoue avec les adresses
observées.

## Critères
`tssr-2023/CP4/C2`, `tssr-2023/CP4/C3`.
"#;
    type Compiled = NetworkMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<NetworkMatcher> {
        let address = cx.opt_text(&self.address);
        if let (Some(a), Some(at)) = (&address, &self.address)
            && !a.contains('/')
        {
            cx.error(
                at,
                (
                    format!("adresse « {a} » sans longueur de préfixe"),
                    format!("address \"{a}\" without a prefix length"),
                ),
                Some((
                    "écrivez-la en CIDR, par ex. 192.168.10.10/24".to_owned(),
                    "write it in CIDR, e.g. 192.168.10.10/24".to_owned(),
                )),
            );
        }
        Some(NetworkMatcher {
            interface: cx.opt_text(&self.interface),
            address,
            gateway: cx.opt_text(&self.gateway),
            routes: self
                .routes
                .iter()
                .map(|r| (cx.text(&r.destination), cx.opt_text(&r.gateway)))
                .collect(),
            nameservers: cx.texts(&self.nameservers),
            search: cx.texts(&self.search),
        })
    }

    fn evaluate(m: &NetworkMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "network";
        let Some(net) = host.section(S, "ip", &host.snapshot.sections.network, out) else {
            return Status::NotAssessable;
        };
        let mut status = Status::Pass;
        if let Some(want) = &m.address {
            let path = m.interface.clone().unwrap_or_else(|| "*".to_owned());
            let mut seen = Vec::new();
            let mut found = false;
            for i in net
                .interfaces
                .iter()
                .filter(|i| m.interface.as_ref().is_none_or(|n| *n == i.name))
            {
                for a in &i.addresses {
                    let cidr = format!("{}/{}", a.address, a.prefix_len);
                    found |= cidr == *want;
                    if a.scope.as_deref() != Some("host") && a.scope.as_deref() != Some("link") {
                        seen.push(format!("{cidr} ({})", i.name));
                    }
                }
            }
            let s = Status::from_bool(found);
            out.push(host.evidence(
                S,
                &path,
                "address",
                want.clone(),
                if seen.is_empty() {
                    "no address".to_owned()
                } else {
                    seen.join(", ")
                },
                s,
            ));
            status = status.and(s);
        }
        if let Some(want) = &m.gateway {
            let s = Status::from_bool(net.default_gateways.contains(want));
            out.push(host.evidence(
                S,
                "default",
                "gateway",
                want.clone(),
                if net.default_gateways.is_empty() {
                    "none".to_owned()
                } else {
                    net.default_gateways.join(", ")
                },
                s,
            ));
            status = status.and(s);
        }
        for (dest, gw) in &m.routes {
            let route = net.routes.iter().find(|r| {
                r.destination == *dest && gw.as_ref().is_none_or(|g| r.gateway.as_ref() == Some(g))
            });
            let s = Status::from_bool(route.is_some());
            let actual: Vec<String> = net
                .routes
                .iter()
                .filter(|r| r.destination == *dest)
                .map(|r| {
                    format!(
                        "{} via {}",
                        r.destination,
                        r.gateway.as_deref().unwrap_or("(direct)")
                    )
                })
                .collect();
            out.push(host.evidence(
                S,
                dest,
                "route",
                format!(
                    "{dest}{}",
                    gw.as_ref().map(|g| format!(" via {g}")).unwrap_or_default()
                ),
                if actual.is_empty() {
                    "absent".to_owned()
                } else {
                    actual.join(", ")
                },
                s,
            ));
            status = status.and(s);
        }
        let ns: Vec<&str> = net.dns.nameservers.iter().map(String::as_str).collect();
        let search: Vec<&str> = net.dns.search.iter().map(String::as_str).collect();
        status
            .and(includes(
                host,
                out,
                S,
                "dns",
                "nameservers",
                &m.nameservers,
                &ns,
            ))
            .and(includes(host, out, S, "dns", "search", &m.search, &search))
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, without};

    #[test]
    fn passes_on_the_recorded_network() {
        insta::assert_snapshot!(kind_case(
            r#"network: {gateway: 192.0.2.1, routes: [{destination: 192.0.2.0/24}], nameservers: [10.255.255.53]}"#,
            &fixture()
        ));
    }

    #[test]
    fn fails_on_another_ip_plan() {
        insta::assert_snapshot!(kind_case(
            r#"network: {interface: eth0, address: 192.168.10.10/24, gateway: 192.168.10.254, nameservers: [192.168.10.1]}"#,
            &fixture()
        ));
    }

    #[test]
    fn is_not_assessable_without_network() {
        insta::assert_snapshot!(kind_case(
            "network: {gateway: 192.0.2.1}",
            &without(fixture(), "network")
        ));
    }
}
