//! Network configuration: interfaces, routes, default gateways, DNS, /etc/hosts, config files.
//!
//! Live: `ip -j -d addr` (addresses, kind, VLAN), `ip -j route` and `ip -6 -j route`;
//! without `ip`, interfaces come from /sys/class/net (IPv6 addresses from /proc/net/if_inet6,
//! IPv4 addresses then unknown and said so). An offline root has no interfaces or routes: only
//! the configuration files are read, and `not_collected` says why.

use crate::collectors::command_text::{CommandFailure, run_text};
use crate::context::{Context, Update};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::network::{
    ConfigSource, DnsConfig, HostsEntry, Interface, InterfaceAddress, Network, Route, Vlan,
};
use serde_json::Value;

/// systemd-resolved's local stub address.
const RESOLVED_STUB: &str = "127.0.0.53";

/// Collects the `network` section.
pub fn collect(ctx: &Context) -> Update {
    let section = Section::collected(network(&*ctx.host));
    Box::new(move |s| s.network = section)
}

fn network(host: &dyn Host) -> Network {
    let mut net = Network::default();
    if host.is_live() {
        live_interfaces(host, &mut net);
        live_routes(host, &mut net);
    } else {
        let reason = "offline root: interfaces and routes exist only on a running system; \
                      see config_sources for the configured ones";
        net.not_collected
            .insert("interfaces".to_owned(), reason.to_owned());
        net.not_collected
            .insert("routes".to_owned(), reason.to_owned());
    }
    net.default_gateways = default_gateways(&net.routes);
    match dns(host) {
        Ok(dns) => net.dns = dns,
        Err(reason) => {
            net.not_collected.insert("dns".to_owned(), reason);
        }
    }
    match host.read_to_string("/etc/hosts") {
        Ok(text) => net.hosts = parse_hosts(&text),
        Err(e) => {
            net.not_collected
                .insert("hosts".to_owned(), format!("/etc/hosts: {e}"));
        }
    }
    net.config_sources = config_sources(host);
    net
}

/// One `ip -j -d addr`: iproute2 prints each link with the same function (`print_linkinfo`)
/// for `addr` and `link`, so with `-d` every entry carries the `linkinfo` and `link` that
/// `ip -j -d link` gave (checked field by field on iproute2 6.1: only `linkmode` and
/// `inet6_addr_gen_mode`, which are not read, are missing), and the addresses of `ip -j addr`.
/// One program less per collection.
fn live_interfaces(host: &dyn Host, net: &mut Network) {
    match run_text(host, "ip", &["-j", "-d", "addr"]) {
        Ok(addr) => match parse_ip_addr(&addr, &addr) {
            Ok(interfaces) => net.interfaces = interfaces,
            Err(e) => {
                net.not_collected
                    .insert("interfaces".to_owned(), format!("ip -j -d addr: {e}"));
            }
        },
        Err(CommandFailure::Unavailable(_)) => sysfs_interfaces(host, net),
        Err(e) => {
            net.not_collected
                .insert("interfaces".to_owned(), e.to_string());
        }
    }
}

/// Parses `ip -j addr` output, completed by `ip -j -d link` (kind, VLAN); the live collection
/// passes `ip -j -d addr` as both.
pub fn parse_ip_addr(addr_json: &str, link_json: &str) -> Result<Vec<Interface>, String> {
    let addrs: Vec<Value> = serde_json::from_str(addr_json).map_err(|e| e.to_string())?;
    let links: Vec<Value> = serde_json::from_str(link_json).unwrap_or_default();
    let mut interfaces = Vec::new();
    for entry in &addrs {
        let Some(name) = entry.get("ifname").and_then(Value::as_str) else {
            continue;
        };
        let link = links
            .iter()
            .find(|l| l.get("ifname").and_then(Value::as_str) == Some(name));
        let info = link.and_then(|l| l.get("linkinfo"));
        let info_kind = info
            .and_then(|i| i.get("info_kind"))
            .and_then(Value::as_str);
        let link_type = entry.get("link_type").and_then(Value::as_str);
        let vlan = (info_kind == Some("vlan"))
            .then(|| {
                let id = info?.get("info_data")?.get("id")?.as_u64()?;
                Some(Vlan {
                    id: u16::try_from(id).ok()?,
                    parent: link
                        .and_then(|l| l.get("link"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                })
            })
            .flatten();
        let mut addresses = Vec::new();
        let mut dynamic_v4 = None;
        for a in entry
            .get("addr_info")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let family = match a.get("family").and_then(Value::as_str) {
                Some("inet") => "ipv4",
                Some("inet6") => "ipv6",
                _ => continue,
            };
            let (Some(local), Some(prefix)) = (
                a.get("local").and_then(Value::as_str),
                a.get("prefixlen").and_then(Value::as_u64),
            ) else {
                continue;
            };
            if family == "ipv4" {
                let dynamic = a.get("dynamic").and_then(Value::as_bool).unwrap_or(false);
                dynamic_v4 = Some(dynamic_v4.unwrap_or(false) || dynamic);
            }
            addresses.push(InterfaceAddress {
                family: family.to_owned(),
                address: local.to_owned(),
                prefix_len: u8::try_from(prefix).unwrap_or(u8::MAX),
                scope: a.get("scope").and_then(Value::as_str).map(str::to_owned),
            });
        }
        interfaces.push(Interface {
            name: name.to_owned(),
            mac: entry
                .get("address")
                .and_then(Value::as_str)
                .filter(|_| link_type != Some("loopback"))
                .map(str::to_owned),
            state: entry
                .get("operstate")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_lowercase(),
            mtu: entry
                .get("mtu")
                .and_then(Value::as_u64)
                .and_then(|m| u32::try_from(m).ok()),
            kind: info_kind.or(link_type).map(str::to_owned),
            vlan,
            addresses,
            dhcp: dynamic_v4,
        });
    }
    Ok(interfaces)
}

/// Without `ip`: names, MAC, state, MTU and type from /sys/class/net, IPv6 addresses from
/// /proc/net/if_inet6. IPv4 addresses need netlink: recorded as not collected.
fn sysfs_interfaces(host: &dyn Host, net: &mut Network) {
    let names = match host.read_dir("/sys/class/net") {
        Ok(n) => n,
        Err(e) => {
            net.not_collected.insert(
                "interfaces".to_owned(),
                format!("`ip` is not installed and /sys/class/net is unreadable: {e}"),
            );
            return;
        }
    };
    let inet6 = host
        .read_to_string("/proc/net/if_inet6")
        .unwrap_or_default();
    let read = |name: &str, file: &str| {
        host.read_to_string(&format!("/sys/class/net/{name}/{file}"))
            .ok()
            .map(|s| s.trim().to_owned())
    };
    for name in names {
        let kind = match read(&name, "type").as_deref() {
            Some("1") => Some("ether".to_owned()),
            Some("772") => Some("loopback".to_owned()),
            Some(other) => Some(format!("arphrd-{other}")),
            None => None,
        };
        net.interfaces.push(Interface {
            mac: read(&name, "address").filter(|_| kind.as_deref() != Some("loopback")),
            state: read(&name, "operstate").unwrap_or_else(|| "unknown".to_owned()),
            mtu: read(&name, "mtu").and_then(|m| m.parse().ok()),
            kind,
            vlan: None,
            addresses: parse_if_inet6(&inet6, &name),
            dhcp: None,
            name,
        });
    }
    net.not_collected.insert(
        "interfaces".to_owned(),
        "`ip` (iproute2) is not installed: interfaces read from /sys/class/net, \
         IPv4 addresses unknown; install iproute2 for the full picture"
            .to_owned(),
    );
}

/// Parses /proc/net/if_inet6 lines of one interface.
fn parse_if_inet6(text: &str, name: &str) -> Vec<InterfaceAddress> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.get(5) != Some(&name) {
                return None;
            }
            let hex = f.first()?;
            let groups: Vec<&str> = (0..8).filter_map(|i| hex.get(i * 4..i * 4 + 4)).collect();
            let addr: std::net::Ipv6Addr = groups.join(":").parse().ok()?;
            let scope = match *f.get(3)? {
                "00" => "global",
                "10" => "host",
                "20" => "link",
                _ => "other",
            };
            Some(InterfaceAddress {
                family: "ipv6".to_owned(),
                address: addr.to_string(),
                prefix_len: u8::from_str_radix(f.get(2)?, 16).ok()?,
                scope: Some(scope.to_owned()),
            })
        })
        .collect()
}

fn live_routes(host: &dyn Host, net: &mut Network) {
    let mut errors = Vec::new();
    for (args, family) in [
        (&["-j", "route"][..], "ipv4"),
        (&["-6", "-j", "route"][..], "ipv6"),
    ] {
        match run_text(host, "ip", args)
            .map_err(|e| e.to_string())
            .and_then(|text| parse_ip_route(&text, family))
        {
            Ok(routes) => net.routes.extend(routes),
            Err(e) => errors.push(format!("ip {}: {e}", args.join(" "))),
        }
    }
    if !errors.is_empty() {
        net.not_collected
            .insert("routes".to_owned(), errors.join("; "));
    }
}

/// Parses `ip -j route` (main table).
pub fn parse_ip_route(text: &str, family: &str) -> Result<Vec<Route>, String> {
    let routes: Vec<Value> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let host_prefix = if family == "ipv4" { "/32" } else { "/128" };
    Ok(routes
        .iter()
        .filter_map(|r| {
            let dst = r.get("dst")?.as_str()?;
            let destination = if dst == "default" || dst.contains('/') {
                dst.to_owned()
            } else {
                format!("{dst}{host_prefix}")
            };
            Some(Route {
                family: family.to_owned(),
                destination,
                gateway: r.get("gateway").and_then(Value::as_str).map(str::to_owned),
                interface: r.get("dev").and_then(Value::as_str).map(str::to_owned),
                metric: r
                    .get("metric")
                    .and_then(Value::as_u64)
                    .and_then(|m| u32::try_from(m).ok()),
            })
        })
        .collect())
}

fn default_gateways(routes: &[Route]) -> Vec<String> {
    let mut gateways: Vec<String> = routes
        .iter()
        .filter(|r| r.destination == "default")
        .filter_map(|r| r.gateway.clone())
        .collect();
    gateways.dedup();
    gateways
}

/// Reads /etc/resolv.conf; behind systemd-resolved's stub, the upstream servers.
fn dns(host: &dyn Host) -> Result<DnsConfig, String> {
    let text = host
        .read_to_string("/etc/resolv.conf")
        .map_err(|e| format!("/etc/resolv.conf: {e}"))?;
    let mut dns = parse_resolv_conf(&text);
    dns.source = Some("/etc/resolv.conf".to_owned());
    if dns.nameservers.iter().any(|n| n == RESOLVED_STUB) {
        const UPSTREAM: &str = "/run/systemd/resolve/resolv.conf";
        if host.is_live()
            && let Ok(text) = host.read_to_string(UPSTREAM)
        {
            let upstream = parse_resolv_conf(&text);
            dns.nameservers = upstream.nameservers;
            if dns.search.is_empty() {
                dns.search = upstream.search;
            }
            dns.source = Some(format!("systemd-resolved ({UPSTREAM})"));
        } else if let Ok(text) = host.read_to_string("/etc/systemd/resolved.conf") {
            let configured = parse_resolved_conf(&text);
            if !configured.is_empty() {
                dns.nameservers = configured;
                dns.source = Some(
                    "systemd-resolved stub; servers from /etc/systemd/resolved.conf".to_owned(),
                );
            }
        }
    }
    Ok(dns)
}

/// Parses resolv.conf `nameserver`, `search` and `domain` lines.
pub fn parse_resolv_conf(text: &str) -> DnsConfig {
    let mut dns = DnsConfig::default();
    for line in text.lines() {
        let line = line.split(['#', ';']).next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => dns.nameservers.extend(words.next().map(str::to_owned)),
            // The last search/domain line wins (resolv.conf(5)).
            Some("search") | Some("domain") => {
                dns.search = words.map(str::to_owned).collect();
            }
            _ => {}
        }
    }
    dns
}

/// `DNS=` servers of resolved.conf's [Resolve] section.
fn parse_resolved_conf(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("DNS="))
        .flat_map(|v| v.split_whitespace().map(str::to_owned))
        .collect()
}

/// Parses /etc/hosts.
pub fn parse_hosts(text: &str) -> Vec<HostsEntry> {
    text.lines()
        .filter_map(|line| {
            let line = line.split('#').next()?.trim();
            let mut words = line.split_whitespace();
            let address = words.next()?.to_owned();
            let names: Vec<String> = words.map(str::to_owned).collect();
            (!names.is_empty()).then_some(HostsEntry { address, names })
        })
        .collect()
}

/// Network configuration systems whose files are present.
fn config_sources(host: &dyn Host) -> Vec<ConfigSource> {
    let list = |dir: &str, keep: &dyn Fn(&str) -> bool| -> Vec<String> {
        host.read_dir(dir)
            .unwrap_or_default()
            .into_iter()
            .filter(|n| keep(n))
            .map(|n| format!("{dir}/{n}"))
            .filter(|p| host.metadata(p).is_ok_and(|m| m.is_file()))
            .collect()
    };
    let any = |_: &str| true;
    let mut sources = Vec::new();
    let mut ifupdown = Vec::new();
    if host
        .metadata("/etc/network/interfaces")
        .is_ok_and(|m| m.is_file())
    {
        ifupdown.push("/etc/network/interfaces".to_owned());
    }
    ifupdown.extend(list("/etc/network/interfaces.d", &any));
    let candidates = [
        ("ifupdown", ifupdown),
        (
            "netplan",
            list("/etc/netplan", &|n| {
                n.ends_with(".yaml") || n.ends_with(".yml")
            }),
        ),
        (
            "NetworkManager",
            list("/etc/NetworkManager/system-connections", &any),
        ),
        (
            "systemd-networkd",
            list("/etc/systemd/network", &|n| {
                n.ends_with(".network") || n.ends_with(".netdev") || n.ends_with(".link")
            }),
        ),
    ];
    for (kind, files) in candidates {
        if !files.is_empty() {
            sources.push(ConfigSource {
                kind: kind.to_owned(),
                files,
            });
        }
    }
    sources
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// Fixture in, snapshot out: `ip` outputs recorded in a namespace (testdata/SOURCES.md).
    #[test]
    fn recorded_ip_outputs() {
        let interfaces = parse_ip_addr(
            include_str!("testdata/ip-addr.json"),
            include_str!("testdata/ip-link.json"),
        )
        .unwrap();
        let mut routes = parse_ip_route(include_str!("testdata/ip-route.json"), "ipv4").unwrap();
        routes.extend(parse_ip_route(include_str!("testdata/ip6-route.json"), "ipv6").unwrap());
        let gateways = default_gateways(&routes);
        insta::assert_json_snapshot!((interfaces, routes, gateways));
    }

    /// Not recorded (the 802.1q module cannot be loaded here): a VLAN entry written in the
    /// shape iproute2 6.1 prints (`linkinfo.info_kind`, `info_data.id`, parent in `link`).
    #[test]
    fn vlan_kind_and_parent() {
        let addr = r#"[{"ifname":"eth0.20","operstate":"UP","mtu":1500,"link_type":"ether","address":"52:54:00:12:34:56","addr_info":[{"family":"inet","local":"192.168.20.1","prefixlen":24,"scope":"global","dynamic":true}]}]"#;
        let link = r#"[{"ifname":"eth0.20","link":"eth0","linkinfo":{"info_kind":"vlan","info_data":{"protocol":"802.1Q","id":20,"flags":["REORDER_HDR"]}}}]"#;
        let interfaces = parse_ip_addr(addr, link).unwrap();
        assert_eq!(interfaces[0].kind.as_deref(), Some("vlan"));
        assert_eq!(
            interfaces[0].vlan,
            Some(Vlan {
                id: 20,
                parent: Some("eth0".into())
            })
        );
        assert_eq!(interfaces[0].dhcp, Some(true));
    }

    #[test]
    fn resolv_conf_and_hosts() {
        let dns = parse_resolv_conf(
            "# generated\nnameserver 192.168.10.10\nnameserver 1.1.1.1 ; second\nsearch horizon.lan\noptions edns0\n",
        );
        assert_eq!(dns.nameservers, ["192.168.10.10", "1.1.1.1"]);
        assert_eq!(dns.search, ["horizon.lan"]);
        let hosts =
            parse_hosts("127.0.0.1 localhost\n# c\n\n192.168.10.20 srv.horizon.lan srv # x\n");
        assert_eq!(hosts.len(), 2);
        assert_eq!(hosts[1].names, ["srv.horizon.lan", "srv"]);
    }

    #[test]
    fn offline_root_reads_config_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("etc/network/interfaces.d")).unwrap();
        fs::create_dir_all(root.join("etc/netplan")).unwrap();
        fs::create_dir_all(root.join("etc/systemd")).unwrap();
        fs::write(root.join("etc/network/interfaces"), "auto lo\n").unwrap();
        fs::write(
            root.join("etc/network/interfaces.d/eth0"),
            "iface eth0 inet dhcp\n",
        )
        .unwrap();
        fs::write(root.join("etc/netplan/50-cloud.yaml"), "network: {}\n").unwrap();
        fs::write(
            root.join("etc/resolv.conf"),
            "nameserver 127.0.0.53\nsearch lan\n",
        )
        .unwrap();
        fs::write(
            root.join("etc/systemd/resolved.conf"),
            "[Resolve]\nDNS=192.168.10.10\n",
        )
        .unwrap();
        let host = crate::host::LocalHost::offline(root);
        insta::assert_json_snapshot!(network(&host));
    }
}
