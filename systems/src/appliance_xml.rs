//! pfSense / OPNsense `config.xml` → [`Appliance`]: interfaces, VLANs, aliases, filter rules in
//! order and VPN tunnels (OpenVPN, IPsec).
//!
//! Both products share the legacy layout (`<interfaces><wan><if>`, `<filter><rule>`,
//! `<vlans><vlan>`); booleans are presence-based on pfSense (`<disabled/>`) and `1`/`0` on
//! OPNsense, so a flag is set when its element exists and does not say `0`/`no`/`false`.
//! Secrets in the file (`<pre-shared-key>`, OpenVPN `<tls>`, certificate `<prv>`, password
//! hashes) are never read. Parts the reader does not understand yet (OPNsense 23.x+ MVC
//! OpenVPN instances, swanctl connections, MVC filter rules, WireGuard) are listed in
//! [`Appliance::unread`] when they hold anything, never dropped silently.

use constat_snapshot::appliance::{
    Appliance, ApplianceAlias, ApplianceInterface, ApplianceRule, ApplianceVlan, RuleEndpoint,
    VpnTunnel,
};
use constat_snapshot::{HostIdentity, OsFamily, OsInfo, SCHEMA_VERSION, Section, Snapshot};
use roxmltree::{Document, Node, ParsingOptions};

/// Largest `config.xml` accepted (real backups are a few hundred KiB; RRD data included in a
/// backup can reach a few MiB).
pub const MAX_CONFIG_BYTES: usize = 16 * 1024 * 1024;

/// Why a `config.xml` could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ApplianceError {
    /// Bigger than [`MAX_CONFIG_BYTES`].
    #[error(
        "{source_name}: {size} bytes, over the {limit}-byte limit of an appliance config.xml: pass the configuration backup (Diagnostics > Backup & Restore, without RRD data)"
    )]
    TooLarge {
        /// File or host path.
        source_name: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not UTF-8.
    #[error(
        "{source_name}: byte {offset} is not UTF-8: pass the config.xml as the appliance wrote it"
    )]
    NotUtf8 {
        /// File or host path.
        source_name: String,
        /// Offset of the first bad byte.
        offset: usize,
    },
    /// Not well-formed XML.
    #[error(
        "{source_name}:{line}:{col}: not well-formed XML ({message}): pass the config.xml as the appliance wrote it"
    )]
    Xml {
        /// File or host path.
        source_name: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        col: u32,
        /// Parser message.
        message: String,
    },
    /// The root is neither `<pfsense>` nor `<opnsense>`.
    #[error(
        "{source_name}:{line}:{col}: root element <{root}> is neither <pfsense> nor <opnsense>: pass the appliance's config.xml"
    )]
    NotAppliance {
        /// File or host path.
        source_name: String,
        /// Root element name.
        root: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        col: u32,
    },
    /// A value that must be of a given form is not.
    #[error("{source_name}:{line}:{col}: {what}")]
    Invalid {
        /// File or host path.
        source_name: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        col: u32,
        /// What is wrong and how to fix it.
        what: String,
    },
}

/// Parses a pfSense or OPNsense `config.xml`. `source_name` (a file path, or `host:path`)
/// locates errors.
pub fn parse_config_xml(bytes: &[u8], source_name: &str) -> Result<Appliance, ApplianceError> {
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(ApplianceError::TooLarge {
            source_name: source_name.to_owned(),
            size: bytes.len(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ApplianceError::NotUtf8 {
        source_name: source_name.to_owned(),
        offset: e.valid_up_to(),
    })?;
    let options = ParsingOptions {
        // config.xml has no DTD; refusing one also refuses entity expansion bombs.
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        ApplianceError::Xml {
            source_name: source_name.to_owned(),
            line: pos.row,
            col: pos.col,
            message: e.to_string(),
        }
    })?;
    let root = doc.root_element();
    let product = root.tag_name().name();
    if product != "pfsense" && product != "opnsense" {
        let pos = doc.text_pos_at(root.range().start);
        return Err(ApplianceError::NotAppliance {
            source_name: source_name.to_owned(),
            root: product.to_owned(),
            line: pos.row,
            col: pos.col,
        });
    }
    let cx = Cx {
        doc: &doc,
        source_name,
    };
    let interfaces = child(root, "interfaces")
        .map(|n| elements(n).filter_map(interface).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut vlans = Vec::new();
    if let Some(list) = child(root, "vlans") {
        for v in elements(list).filter(|n| n.has_tag_name("vlan")) {
            if let Some(vlan) = cx.vlan(v, &interfaces)? {
                vlans.push(vlan);
            }
        }
    }
    let aliases = root
        .descendants()
        .filter(|n| {
            n.has_tag_name("alias") && n.parent().is_some_and(|p| p.has_tag_name("aliases"))
        })
        .filter_map(alias)
        .collect();
    let rules = child(root, "filter")
        .map(|f| {
            elements(f)
                .filter(|n| n.has_tag_name("rule"))
                .enumerate()
                .map(|(i, r)| rule(i + 1, r))
                .collect()
        })
        .unwrap_or_default();
    let mut vpn_tunnels = Vec::new();
    if let Some(ovpn) = child(root, "openvpn") {
        for n in elements(ovpn) {
            match n.tag_name().name() {
                "openvpn-server" => vpn_tunnels.push(openvpn(n, "server")),
                "openvpn-client" => vpn_tunnels.push(openvpn(n, "client")),
                _ => {}
            }
        }
    }
    if let Some(ipsec) = child(root, "ipsec") {
        vpn_tunnels.extend(ipsec_tunnels(ipsec));
    }
    Ok(Appliance {
        product: product.to_owned(),
        version: text_of(root, "version"),
        interfaces,
        vlans,
        aliases,
        rules,
        vpn_tunnels,
        unread: unread(root),
    })
}

/// A snapshot of an appliance read from its `config.xml`: the host is named after
/// `<system><hostname>`/`<domain>` and the `appliance` section holds the parsed file.
/// `started_at` is the RFC 3339 time of the read (the caller's clock, so tests stay fixed).
pub fn appliance_snapshot(
    bytes: &[u8],
    source_name: &str,
    started_at: &str,
) -> Result<Snapshot, ApplianceError> {
    let appliance = parse_config_xml(bytes, source_name)?;
    // Parsed once more for the identity only: cheap next to the I/O, keeps the parser's
    // output free of host fields.
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let (hostname, domain) = Document::parse(text)
        .ok()
        .and_then(|d| {
            let system = child(d.root_element(), "system")?;
            Some((text_of(system, "hostname"), text_of(system, "domain")))
        })
        .unwrap_or_default();
    let hostname = hostname.unwrap_or_else(|| appliance.product.clone());
    let name = if appliance.product == "pfsense" {
        "pfSense"
    } else {
        "OPNsense"
    };
    Ok(Snapshot {
        schema_version: SCHEMA_VERSION,
        host: HostIdentity {
            fqdn: domain.as_ref().map(|d| format!("{hostname}.{d}")),
            hostname,
            domain,
            os: OsInfo {
                family: OsFamily::Unknown,
                id: Some(appliance.product.clone()),
                name: Some(name.to_owned()),
                version: appliance.version.clone(),
                ..OsInfo::default()
            },
            ..HostIdentity::default()
        },
        collection: crate::collection::read_at(started_at, Some(source_name)),
        sections: constat_snapshot::Sections {
            appliance: Section::collected(appliance),
            ..Default::default()
        },
    })
}

struct Cx<'a, 'input> {
    doc: &'a Document<'input>,
    source_name: &'a str,
}

impl Cx<'_, '_> {
    fn invalid(&self, node: Node<'_, '_>, what: String) -> ApplianceError {
        let pos = self.doc.text_pos_at(node.range().start);
        ApplianceError::Invalid {
            source_name: self.source_name.to_owned(),
            line: pos.row,
            col: pos.col,
            what,
        }
    }

    /// A `<vlan>`; an empty `<vlan/>` (OPNsense writes one when there are none) is skipped.
    fn vlan(
        &self,
        v: Node<'_, '_>,
        interfaces: &[ApplianceInterface],
    ) -> Result<Option<ApplianceVlan>, ApplianceError> {
        let Some(parent) = text_of(v, "if") else {
            if elements(v).next().is_none() {
                return Ok(None);
            }
            return Err(self.invalid(
                v,
                "<vlan> without its parent device <if>: fix the VLAN in Interfaces > Assignments > VLANs"
                    .to_owned(),
            ));
        };
        let tag_text = text_of(v, "tag").unwrap_or_default();
        let tag = match tag_text.parse::<u16>() {
            Ok(t) if (1..=4094).contains(&t) => t,
            _ => {
                let at = child(v, "tag").unwrap_or(v);
                return Err(self.invalid(
                    at,
                    format!(
                        "VLAN tag « {tag_text} » on {parent} is not a number from 1 to 4094: fix the VLAN in Interfaces > Assignments > VLANs"
                    ),
                ));
            }
        };
        let device = text_of(v, "vlanif").unwrap_or_else(|| format!("{parent}.{tag}"));
        let interface = interfaces
            .iter()
            .find(|i| i.device == device)
            .map(|i| i.key.clone());
        Ok(Some(ApplianceVlan {
            parent,
            tag,
            device,
            description: text_of(v, "descr"),
            interface,
        }))
    }
}

/// Element children.
fn elements<'a, 'input>(n: Node<'a, 'input>) -> impl Iterator<Item = Node<'a, 'input>> {
    n.children().filter(Node::is_element)
}

fn child<'a, 'input>(n: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    elements(n).find(|c| c.has_tag_name(name))
}

/// Trimmed text of a child (CDATA included), `None` when absent or empty.
fn text_of(n: Node<'_, '_>, name: &str) -> Option<String> {
    let c = child(n, name)?;
    let text: String = c.children().filter_map(|t| t.text()).collect();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A boolean element: set when present and not `0`/`no`/`false` (pfSense writes `<x/>`,
/// OPNsense `<x>1</x>`).
fn flag(n: Node<'_, '_>, name: &str) -> bool {
    child(n, name).is_some()
        && !matches!(
            text_of(n, name)
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("0" | "no" | "false" | "off")
        )
}

fn with_prefix(addr: Option<String>, prefix: Option<String>) -> Option<String> {
    let addr = addr?;
    // A mode (`dhcp`, `track6`, `pppoe`) has no prefix; an address does, even when written
    // with a template placeholder (`##LANNET##.10.1`).
    let is_address = addr.contains(['.', ':']);
    Some(match prefix {
        Some(p) if is_address => format!("{addr}/{p}"),
        _ => addr,
    })
}

fn interface(n: Node<'_, '_>) -> Option<ApplianceInterface> {
    let device = text_of(n, "if")?;
    Some(ApplianceInterface {
        key: n.tag_name().name().to_owned(),
        device,
        description: text_of(n, "descr"),
        enabled: flag(n, "enable"),
        ipv4: with_prefix(text_of(n, "ipaddr"), text_of(n, "subnet")),
        ipv6: with_prefix(text_of(n, "ipaddrv6"), text_of(n, "subnetv6")),
    })
}

fn alias(n: Node<'_, '_>) -> Option<ApplianceAlias> {
    let name = text_of(n, "name")?;
    let values = text_of(n, "address")
        .or_else(|| text_of(n, "content"))
        .map(|v| v.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    Some(ApplianceAlias {
        name,
        alias_type: text_of(n, "type").unwrap_or_default(),
        values,
    })
}

fn endpoint(n: Option<Node<'_, '_>>) -> RuleEndpoint {
    let Some(n) = n else {
        return RuleEndpoint {
            target: "any".to_owned(),
            ..RuleEndpoint::default()
        };
    };
    let (target, network) = if let Some(a) = text_of(n, "address") {
        (a, false)
    } else if let Some(net) = text_of(n, "network") {
        (net, true)
    } else {
        ("any".to_owned(), false)
    };
    RuleEndpoint {
        target,
        network,
        not: flag(n, "not"),
        port: text_of(n, "port"),
    }
}

fn rule(position: usize, n: Node<'_, '_>) -> ApplianceRule {
    ApplianceRule {
        position,
        interfaces: text_of(n, "interface")
            .map(|i| {
                i.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        action: text_of(n, "type").unwrap_or_else(|| "pass".to_owned()),
        enabled: !flag(n, "disabled"),
        floating: flag(n, "floating"),
        direction: text_of(n, "direction"),
        ip_protocol: text_of(n, "ipprotocol"),
        protocol: text_of(n, "protocol").filter(|p| p != "any"),
        source: endpoint(child(n, "source")),
        destination: endpoint(child(n, "destination")),
        schedule: text_of(n, "sched"),
        log: flag(n, "log"),
        description: text_of(n, "descr"),
    }
}

fn comma_list(v: Option<String>) -> Vec<String> {
    v.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn openvpn(n: Node<'_, '_>, role: &str) -> VpnTunnel {
    let protocol = text_of(n, "protocol");
    let port = if role == "server" {
        text_of(n, "local_port")
    } else {
        text_of(n, "server_port")
    };
    let endpoint = match (protocol, port) {
        (Some(p), Some(port)) => Some(format!("{p}/{port}")),
        (p, port) => p.or(port),
    };
    VpnTunnel {
        vpn_type: "openvpn".to_owned(),
        role: role.to_owned(),
        id: text_of(n, "vpnid"),
        description: text_of(n, "description"),
        enabled: !flag(n, "disable"),
        mode: text_of(n, "mode"),
        interface: text_of(n, "interface"),
        endpoint,
        remote_gateway: text_of(n, "server_addr"),
        tunnel_network: text_of(n, "tunnel_network"),
        local_networks: comma_list(text_of(n, "local_network")),
        remote_networks: comma_list(text_of(n, "remote_network")),
    }
}

/// A phase 2 identity: `lan` (an interface's network) or `10.20.30.0/24`.
fn phase2_id(n: Option<Node<'_, '_>>) -> Option<String> {
    let n = n?;
    match (text_of(n, "address"), text_of(n, "netbits")) {
        (Some(a), Some(b)) => Some(format!("{a}/{b}")),
        (Some(a), None) => Some(a),
        (None, _) => text_of(n, "type"),
    }
}

fn ipsec_tunnels(ipsec: Node<'_, '_>) -> Vec<VpnTunnel> {
    let phase2: Vec<Node<'_, '_>> = elements(ipsec)
        .filter(|n| n.has_tag_name("phase2") && !flag(*n, "disabled"))
        .collect();
    elements(ipsec)
        .filter(|n| n.has_tag_name("phase1"))
        .map(|p1| {
            let id = text_of(p1, "ikeid");
            let mut local = Vec::new();
            let mut remote = Vec::new();
            for p2 in phase2.iter().filter(|p2| text_of(**p2, "ikeid") == id) {
                local.extend(phase2_id(child(*p2, "localid")));
                remote.extend(phase2_id(child(*p2, "remoteid")));
            }
            local.dedup();
            remote.dedup();
            VpnTunnel {
                vpn_type: "ipsec".to_owned(),
                role: "site_to_site".to_owned(),
                id,
                description: text_of(p1, "descr"),
                enabled: !flag(p1, "disabled"),
                mode: text_of(p1, "iketype"),
                interface: text_of(p1, "interface"),
                endpoint: None,
                remote_gateway: text_of(p1, "remote-gateway"),
                tunnel_network: None,
                local_networks: local,
                remote_networks: remote,
            }
        })
        .collect()
}

/// Containers this reader does not understand yet, named when they hold anything.
fn unread(root: Node<'_, '_>) -> Vec<String> {
    const PATHS: &[(&[&str], &str)] = &[
        (
            &["OPNsense", "OpenVPN", "Instances"],
            "OPNsense OpenVPN instances (VPN > OpenVPN > Instances)",
        ),
        (
            &["OPNsense", "Swanctl", "Connections"],
            "OPNsense IPsec connections (VPN > IPsec > Connections)",
        ),
        (
            &["OPNsense", "wireguard"],
            "OPNsense WireGuard (VPN > WireGuard)",
        ),
        (
            &["OPNsense", "Firewall", "Filter", "rules"],
            "OPNsense automation filter rules (Firewall > Automation > Filter)",
        ),
        (
            &["installedpackages", "wireguard"],
            "pfSense WireGuard package (VPN > WireGuard)",
        ),
    ];
    let mut out = Vec::new();
    for (path, what) in PATHS {
        let mut node = Some(root);
        for name in *path {
            node = node.and_then(|n| child(n, name));
        }
        if let Some(n) = node
            && n.descendants()
                .any(|d| d.is_element() && d != n && has_content(d))
        {
            out.push(format!("{what}: present, not read by this version"));
        }
    }
    out
}

/// An element with non-blank text of its own.
fn has_content(n: Node<'_, '_>) -> bool {
    n.children()
        .any(|c| c.text().is_some_and(|t| !t.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    //! Every test reads a real public `config.xml` (or an excerpt of one) copied into
    //! `testdata/` with its provenance in `testdata/SOURCES.md`: no pfSense or OPNsense can
    //! run here.
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn parsed(name: &str) -> Appliance {
        parse_config_xml(&sample(name), name).unwrap()
    }

    #[test]
    fn pfsense_factory_default() {
        insta::assert_json_snapshot!(parsed("pfsense_pfsense__conf.default_config.xml"));
    }

    #[test]
    fn pfsense_rules_in_order_with_aliases_and_negations() {
        insta::assert_json_snapshot!(parsed("pfsensible_core__pfsense_rule_config_excerpt.xml"));
    }

    #[test]
    fn pfsense_vlans_assigned_to_interfaces() {
        let a = parsed("pfsensible_core__pfsense_interface_vlan_config_excerpt.xml");
        // vmx1.1200 (opt4) has no <vlan> entry in this real fixture: no VLAN is invented.
        assert!(a.vlans.iter().all(|v| v.device != "vmx1.1200"));
        insta::assert_json_snapshot!(a);
    }

    #[test]
    fn pfsense_openvpn_servers_without_secrets() {
        let bytes = sample("pfsensible_core__pfsense_openvpn_config_excerpt.xml");
        let a = parse_config_xml(&bytes, "openvpn.xml").unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert!(!json.contains("REDACTED") && !json.contains("BEGIN"));
        insta::assert_json_snapshot!(a.vpn_tunnels);
    }

    #[test]
    fn pfsense_ipsec_phase1_with_phase2_networks() {
        let a = parsed("pfsensible_core__pfsense_ipsec_config_excerpt.xml");
        assert!(!serde_json::to_string(&a).unwrap().contains("REDACTED"));
        insta::assert_json_snapshot!(a.vpn_tunnels);
    }

    #[test]
    fn opnsense_sample_and_vlan_devices() {
        insta::assert_json_snapshot!(parsed("opnsense_core__config.xml.sample.xml"));
        insta::assert_json_snapshot!(parsed(
            "idx39993198255__opnsense_25_vlans_interfaces_rules_excerpt.xml"
        ));
    }

    #[test]
    fn opnsense_mvc_containers_are_named_when_not_read() {
        insta::assert_json_snapshot!(parsed(
            "EvilBit-Labs_opnDossier__sample.config.5_excerpt.xml"
        ));
    }

    #[test]
    fn bad_inputs_are_located_errors() {
        let errors: Vec<String> = [
            "<pfsense><interfaces></pfsense>".as_bytes().to_vec(),
            b"<?xml version=\"1.0\"?>\n<html><body/></html>".to_vec(),
            b"<pfsense>\n  <vlans>\n    <vlan><if>em1</if><tag>5000</tag></vlan>\n  </vlans>\n</pfsense>"
                .to_vec(),
            b"<pfsense><vlans><vlan><tag>10</tag></vlan></vlans></pfsense>".to_vec(),
            b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><pfsense>&a;</pfsense>".to_vec(),
            vec![b'<', 0xff, b'>'],
        ]
        .iter()
        .map(|b| parse_config_xml(b, "fw1:/conf/config.xml").unwrap_err().to_string())
        .collect();
        insta::assert_snapshot!(errors.join("\n"));
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let big = vec![b' '; MAX_CONFIG_BYTES + 1];
        assert!(matches!(
            parse_config_xml(&big, "big.xml"),
            Err(ApplianceError::TooLarge { .. })
        ));
    }

    #[test]
    fn snapshot_names_the_host_from_the_file() {
        let s = appliance_snapshot(
            &sample("pfsense_pfsense__conf.default_config.xml"),
            "pfsense-backup.xml",
            "2026-11-23T10:00:00Z",
        )
        .unwrap();
        insta::assert_json_snapshot!((&s.host, &s.collection));
    }
}
