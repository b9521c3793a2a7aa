//! Helpers shared by the firewall appliance kinds (`vlan`, `appliance_rule`, `vpn_tunnel`):
//! naming an interface the way a subject does, resolving aliases, comparing addresses.

use constat_snapshot::appliance::{Appliance, ApplianceInterface, RuleEndpoint};
use core::net::IpAddr;

/// The interface a subject names: its logical key (`lan`, `opt1`), its description (`USER`),
/// or its device (`vmx1.1100`), case-insensitive.
pub(crate) fn find_interface<'a>(a: &'a Appliance, name: &str) -> Option<&'a ApplianceInterface> {
    let is = |v: &str| v.eq_ignore_ascii_case(name);
    a.interfaces
        .iter()
        .find(|i| is(&i.key))
        .or_else(|| {
            a.interfaces
                .iter()
                .find(|i| i.description.as_deref().is_some_and(is))
        })
        .or_else(|| a.interfaces.iter().find(|i| is(&i.device)))
}

/// How an interface reads in evidence: `opt1 (USER, vlan01)`.
pub(crate) fn interface_label(i: &ApplianceInterface) -> String {
    match &i.description {
        Some(d) if !d.eq_ignore_ascii_case(&i.key) => format!("{} ({d}, {})", i.key, i.device),
        _ => format!("{} ({})", i.key, i.device),
    }
}

/// Every interface, for "absent among …" evidence.
pub(crate) fn interface_names(a: &Appliance) -> Vec<String> {
    a.interfaces.iter().map(interface_label).collect()
}

/// The values an alias stands for (nested aliases expanded, depth-bounded), or the name
/// itself when it is no alias.
pub(crate) fn expand(a: &Appliance, name: &str) -> Vec<String> {
    fn go(a: &Appliance, name: &str, depth: u8, out: &mut Vec<String>) {
        match a.aliases.iter().find(|al| al.name == name) {
            Some(al) if depth < 8 => {
                for v in &al.values {
                    go(a, v, depth + 1, out);
                }
            }
            _ => out.push(name.to_owned()),
        }
    }
    let mut out = Vec::new();
    go(a, name, 0, &mut out);
    out
}

/// Whether a port specification (`22`, `8000-8080`, `8000:8080`, or an alias of those)
/// covers `port`.
pub(crate) fn port_covers(a: &Appliance, spec: &str, port: u16) -> bool {
    expand(a, spec).iter().any(|p| {
        let (lo, hi) = p.split_once(['-', ':']).unwrap_or((p, p));
        matches!((lo.trim().parse::<u16>(), hi.trim().parse::<u16>()),
            (Ok(lo), Ok(hi)) if (lo..=hi).contains(&port))
    })
}

/// Whether `addr/prefix` (or a bare address) contains the address `ip`.
fn cidr_contains(net: &str, ip: IpAddr) -> bool {
    let (addr, prefix) = net.split_once('/').unwrap_or((net, ""));
    let Ok(addr) = addr.parse::<IpAddr>() else {
        return false;
    };
    match (addr, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let bits = prefix.parse::<u32>().unwrap_or(32).min(32);
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let bits = prefix.parse::<u32>().unwrap_or(128).min(128);
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

/// Whether a rule endpoint covers what the subject names: `any` covers everything; a network
/// keyword (`lan`, `lanip`) or alias name matches the same name; an address or network (or an
/// alias of those) contains the named address. `<not/>` inverts.
pub(crate) fn endpoint_covers(a: &Appliance, e: &RuleEndpoint, wanted: &str) -> bool {
    let raw = e.target.eq_ignore_ascii_case("any")
        || e.target.eq_ignore_ascii_case(wanted)
        || match wanted
            .split('/')
            .next()
            .and_then(|w| w.parse::<IpAddr>().ok())
        {
            Some(ip) if !e.network => expand(a, &e.target)
                .iter()
                .any(|v| v.eq_ignore_ascii_case(wanted) || cidr_contains(v, ip)),
            _ => false,
        };
    raw != e.not
}

/// An endpoint as evidence reads it: `!srv_admin:port_ssh`.
pub(crate) fn endpoint_label(e: &RuleEndpoint) -> String {
    let not = if e.not { "!" } else { "" };
    match &e.port {
        Some(p) => format!("{not}{}:{p}", e.target),
        None => format!("{not}{}", e.target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use constat_snapshot::appliance::ApplianceAlias;

    fn with_aliases() -> Appliance {
        Appliance {
            aliases: vec![
                ApplianceAlias {
                    name: "web".into(),
                    alias_type: "port".into(),
                    values: vec!["80".into(), "443".into(), "8000:8080".into()],
                },
                ApplianceAlias {
                    name: "srv".into(),
                    alias_type: "network".into(),
                    values: vec!["192.168.10.0/24".into(), "nested".into()],
                },
                ApplianceAlias {
                    name: "nested".into(),
                    alias_type: "host".into(),
                    values: vec!["10.0.0.5".into()],
                },
            ],
            ..Appliance::default()
        }
    }

    #[test]
    fn ports_and_ranges_through_aliases() {
        let a = with_aliases();
        assert!(port_covers(&a, "web", 443));
        assert!(port_covers(&a, "web", 8042));
        assert!(!port_covers(&a, "web", 22));
        assert!(port_covers(&a, "20-23", 22));
        assert!(!port_covers(&a, "junk", 22));
    }

    #[test]
    fn endpoints_with_networks_aliases_and_negation() {
        let a = with_aliases();
        let e = |t: &str, network: bool, not: bool| RuleEndpoint {
            target: t.into(),
            network,
            not,
            port: None,
        };
        assert!(endpoint_covers(&a, &e("any", false, false), "lan"));
        assert!(endpoint_covers(&a, &e("srv", false, false), "192.168.10.7"));
        assert!(endpoint_covers(&a, &e("srv", false, false), "10.0.0.5"));
        assert!(!endpoint_covers(&a, &e("srv", false, true), "10.0.0.5"));
        assert!(endpoint_covers(&a, &e("LAN", true, false), "lan"));
        assert!(!endpoint_covers(&a, &e("lan", true, false), "192.168.1.5"));
    }
}
