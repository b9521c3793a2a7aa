//! Proxmox VE API answers → [`Hypervisor`]: `GET /cluster/resources?type=vm` (every guest
//! with its node, state and resources) and, per guest, `GET /nodes/{node}/{qemu|lxc}/{vmid}/config`
//! (cores, memory, `netN` bridges and VLAN tags). Pure functions of bytes, bounded in size.
//! Proxmox writes some numbers as strings (`"vmid": "100"`, `"template": ""`): both read.

use constat_snapshot::hypervisor::{Guest, GuestNetwork, Hypervisor};
use constat_snapshot::{HostIdentity, SCHEMA_VERSION, Section, Sections, Snapshot};
use serde_json::Value;

/// Largest answer accepted.
pub const MAX_PROXMOX_BYTES: usize = 16 * 1024 * 1024;

/// Why a Proxmox answer could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ProxmoxError {
    /// Malformed, too large or not the expected answer, located.
    #[error("{source_name}:{line}:{col}: {what}")]
    Malformed {
        /// URL path or file.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong and how to fix it.
        what: String,
    },
}

fn data(bytes: &[u8], source_name: &str) -> Result<Value, ProxmoxError> {
    let err = |line: usize, col: usize, what: String| ProxmoxError::Malformed {
        source_name: source_name.to_owned(),
        line,
        col,
        what,
    };
    if bytes.len() > MAX_PROXMOX_BYTES {
        return Err(err(
            1,
            1,
            format!(
                "{} bytes, over the {MAX_PROXMOX_BYTES}-byte limit",
                bytes.len()
            ),
        ));
    }
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        err(
            e.line().max(1),
            e.column().max(1),
            format!("not a Proxmox API answer ({e})"),
        )
    })?;
    match v.get("data") {
        Some(d) if !d.is_null() => Ok(d.clone()),
        _ => Err(err(
            1,
            1,
            "no « data »: the API refused the request (check the token's privileges, VM.Audit)"
                .to_owned(),
        )),
    }
}

/// A number written as a number or a string.
fn num(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn text(v: &Value) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

/// `virtio=…,bridge=vmbr0,tag=20,firewall=1` → a network.
fn network(key: &str, spec: &str) -> GuestNetwork {
    let mut n = GuestNetwork {
        key: key.to_owned(),
        ..GuestNetwork::default()
    };
    for part in spec.split(',') {
        match part.split_once('=') {
            Some(("bridge", b)) => n.bridge = Some(b.to_owned()),
            Some(("tag", t)) => n.vlan_tag = t.parse().ok(),
            Some(("firewall", f)) => n.firewall = f == "1",
            _ => {}
        }
    }
    n
}

/// Parses the guests of `/cluster/resources?type=vm` and merges each
/// `(path, answer)` of `/nodes/{node}/{type}/{vmid}/config` into the guest with the same
/// node, type and id (a config of a guest the list does not have adds it, status unknown).
pub fn parse_proxmox(
    resources: &[u8],
    configs: &[(&str, &[u8])],
    source_name: &str,
) -> Result<Hypervisor, ProxmoxError> {
    let rows = data(resources, source_name)?;
    let Some(rows) = rows.as_array() else {
        return Err(ProxmoxError::Malformed {
            source_name: source_name.to_owned(),
            line: 1,
            col: 1,
            what: "« data » is not a list: pass the answer of /cluster/resources?type=vm"
                .to_owned(),
        });
    };
    let mut guests: Vec<Guest> = rows
        .iter()
        .filter(|r| matches!(r["type"].as_str(), Some("qemu" | "lxc")))
        .map(|r| Guest {
            id: num(&r["vmid"]).unwrap_or_default() as u32,
            name: text(&r["name"]).unwrap_or_default(),
            guest_type: text(&r["type"]).unwrap_or_default(),
            node: text(&r["node"]).unwrap_or_default(),
            status: text(&r["status"]).unwrap_or_default(),
            template: num(&r["template"]).is_some_and(|t| t > 0),
            cpus: num(&r["maxcpu"]).map(|c| c as u32),
            memory_mib: num(&r["maxmem"]).map(|m| m / (1024 * 1024)),
            networks: Vec::new(),
            config_read: false,
        })
        .collect();
    for (path, body) in configs {
        // /api2/json/nodes/{node}/{type}/{vmid}/config
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let at = parts.iter().position(|p| *p == "nodes");
        let (Some(i), true) = (at, path.ends_with("/config")) else {
            return Err(ProxmoxError::Malformed {
                source_name: (*path).to_owned(),
                line: 1,
                col: 1,
                what: "not a /nodes/{node}/{qemu|lxc}/{vmid}/config path".to_owned(),
            });
        };
        let (node, kind, id) = (
            parts.get(i + 1).copied().unwrap_or_default(),
            parts.get(i + 2).copied().unwrap_or_default(),
            parts
                .get(i + 3)
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or_default(),
        );
        let cfg = data(body, path)?;
        let pos = guests
            .iter()
            .position(|g| g.id == id && g.node == node && g.guest_type == kind);
        let guest = match pos {
            Some(p) => &mut guests[p],
            None => {
                guests.push(Guest {
                    id,
                    name: String::new(),
                    guest_type: kind.to_owned(),
                    node: node.to_owned(),
                    ..Guest::default()
                });
                guests.last_mut().expect("just pushed")
            }
        };
        guest.config_read = true;
        if guest.name.is_empty() {
            guest.name = text(&cfg["name"])
                .or_else(|| text(&cfg["hostname"]))
                .unwrap_or_default();
        }
        if guest.cpus.is_none() {
            let cores = num(&cfg["cores"]).unwrap_or(1);
            guest.cpus = Some((num(&cfg["sockets"]).unwrap_or(1) * cores) as u32);
        }
        if guest.memory_mib.is_none() {
            guest.memory_mib = num(&cfg["memory"]);
        }
        let mut nets: Vec<GuestNetwork> = cfg
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| {
                k.strip_prefix("net")
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
            .filter_map(|(k, v)| v.as_str().map(|s| network(k, s)))
            .collect();
        nets.sort_by(|a, b| a.key.cmp(&b.key));
        guest.networks = nets;
    }
    guests.sort_by(|a, b| (a.id, &a.node).cmp(&(b.id, &b.node)));
    Ok(Hypervisor {
        product: "proxmox".to_owned(),
        guests,
        unread: Vec::new(),
    })
}

/// A snapshot of the hypervisor `hostname` (its API address), read at `started_at` (RFC 3339,
/// the caller's clock).
pub fn hypervisor_snapshot(hypervisor: Hypervisor, hostname: &str, started_at: &str) -> Snapshot {
    Snapshot {
        schema_version: SCHEMA_VERSION,
        host: HostIdentity {
            hostname: hostname.to_owned(),
            ..HostIdentity::default()
        },
        collection: crate::collection::read_at(started_at, None),
        sections: Sections {
            hypervisor: Section::collected(hypervisor),
            ..Sections::default()
        },
    }
}

#[cfg(test)]
mod tests {
    //! Proxmox answers from the community.proxmox collection's tests, which mirror the real
    //! API (see `testdata/SOURCES.md`): no Proxmox VE can run here.
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// The per-guest configs, split out of the sample's `{path: answer}` object.
    pub(crate) fn configs() -> Vec<(String, Vec<u8>)> {
        let all: Value = serde_json::from_slice(&sample(
            "ansible-collections_community.proxmox__api2_json_nodes_qemu_lxc_config.json",
        ))
        .unwrap();
        all.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::to_vec(v).unwrap()))
            .collect()
    }

    #[test]
    fn guests_with_their_configs() {
        let configs = configs();
        let refs: Vec<(&str, &[u8])> = configs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_slice()))
            .collect();
        insta::assert_json_snapshot!(
            parse_proxmox(
                &sample("ansible-collections_community.proxmox__api2_json_cluster_resources_type_vm.json"),
                &refs,
                "/api2/json/cluster/resources?type=vm"
            )
            .unwrap()
        );
    }

    #[test]
    fn bad_answers_are_located_errors() {
        let errors = [
            parse_proxmox(b"{\"data\": null}", &[], "/cluster/resources"),
            parse_proxmox(b"{\"data\": {}}", &[], "/cluster/resources"),
            parse_proxmox(b"{\"data\": [}", &[], "/cluster/resources"),
            parse_proxmox(
                b"{\"data\": []}",
                &[("/nodes/pve/qemu/100", b"{}")],
                "/cluster/resources",
            ),
        ]
        .into_iter()
        .map(|r| r.unwrap_err().to_string())
        .collect::<Vec<_>>();
        insta::assert_snapshot!(errors.join("\n"));
    }
}
