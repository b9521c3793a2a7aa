//! Writes (with `UPDATE_FIXTURES=1`) or checks the checker's appliance fixtures:
//! `checker-core/tests/fixtures/snapshots/appliance-{pfsense,opnsense}.json` are this crate's
//! output on the real public samples of `testdata/` (see `testdata/SOURCES.md`). A test fails
//! when they are stale.

use constat_snapshot::Snapshot;
use constat_snapshot::section::Section;
use constat_systems::appliance_snapshot;
use constat_systems::glpi::{GlpiAnswers, ServerOffset, helpdesk_snapshot, parse_glpi};
use constat_systems::proxmox::{hypervisor_snapshot, parse_proxmox};
use constat_systems::supervision::{parse_icinga2, supervision_snapshot};
use constat_systems::zabbix::{ZabbixAnswers, parse_zabbix};
use std::path::PathBuf;

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn read(name: &str) -> Snapshot {
    appliance_snapshot(&testdata(name), name, "2026-11-23T17:00:00Z").unwrap()
}

/// pfSense: no single public export has VLANs, rules, OpenVPN and IPsec at once, so the
/// fixture is the rule excerpt's snapshot with the interfaces and VLANs of the interface
/// excerpt (same appliance: same wan/lan/opt1..3) and the tunnels of the OpenVPN and IPsec
/// excerpts. Every value comes from the parser; only the sections are put together.
fn pfsense() -> Snapshot {
    let mut s = read("pfsensible_core__pfsense_rule_config_excerpt.xml");
    let ifaces = read("pfsensible_core__pfsense_interface_vlan_config_excerpt.xml");
    let ovpn = read("pfsensible_core__pfsense_openvpn_config_excerpt.xml");
    let ipsec = read("pfsensible_core__pfsense_ipsec_config_excerpt.xml");
    let data = |s: &Snapshot| s.sections.appliance.data().unwrap().clone();
    let mut a = data(&s);
    let i = data(&ifaces);
    a.interfaces = i.interfaces;
    a.vlans = i.vlans;
    a.vpn_tunnels = data(&ovpn).vpn_tunnels;
    a.vpn_tunnels.extend(data(&ipsec).vpn_tunnels);
    s.sections.appliance = Section::collected(a);
    s.collection.root = Some("pfsensible/core fixtures (rule, interface, openvpn, ipsec)".into());
    s
}

fn opnsense() -> Snapshot {
    read("idx39993198255__opnsense_25_vlans_interfaces_rules_excerpt.xml")
}

/// The recorded Icinga2 API answers (hosts, services in problem).
fn icinga2() -> Snapshot {
    let sup = parse_icinga2(
        &testdata("recorded_icinga2-2.13__objects_hosts.json"),
        &testdata("recorded_icinga2-2.13__objects_services_problems.json"),
        "https://127.0.0.1:5665",
    )
    .unwrap();
    supervision_snapshot(
        sup,
        "supervision",
        "https://127.0.0.1:5665",
        "2026-11-23T17:00:00Z",
    )
}

/// The Zabbix 6.0 answers recorded live (one problem resolved, one open on the backup flag).
fn zabbix() -> Snapshot {
    let [hosts, items, triggers, problems] = ["host", "item", "trigger", "problem"]
        .map(|m| testdata(&format!("recorded_zabbix-6.0__live_{m}.get.json")));
    let sup = parse_zabbix(
        ZabbixAnswers {
            hosts: &hosts,
            items: &items,
            triggers: &triggers,
            problems: &problems,
        },
        "http://127.0.0.1:8080/api_jsonrpc.php",
    )
    .unwrap();
    supervision_snapshot(
        sup,
        "supervision",
        "http://127.0.0.1:8080/api_jsonrpc.php",
        "2026-12-02T08:13:00Z",
    )
}

/// The Proxmox answers of one test cluster: guests and their configs.
fn proxmox() -> Snapshot {
    let all: serde_json::Value = serde_json::from_slice(&testdata(
        "ansible-collections_community.proxmox__api2_json_nodes_qemu_lxc_config.json",
    ))
    .unwrap();
    let configs: Vec<(String, Vec<u8>)> = all
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::to_vec(v).unwrap()))
        .collect();
    let refs: Vec<(&str, &[u8])> = configs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    let h = parse_proxmox(
        &testdata(
            "ansible-collections_community.proxmox__api2_json_cluster_resources_type_vm.json",
        ),
        &refs,
        "/api2/json/cluster/resources?type=vm",
    )
    .unwrap();
    hypervisor_snapshot(h, "pve", "2026-11-23T17:00:00Z")
}

/// GLPI: the real `GET /Ticket` answer of a production GLPI, with the other lists derived
/// from GLPI's tables for those tickets (`testdata/SOURCES.md`); the server is UTC−3.
fn glpi() -> Snapshot {
    let derived = |name: &str| testdata(&format!("glpi-schema-derived__{name}_list.json"));
    let (categories, actors, users, followups, solutions) = (
        derived("ITILCategory"),
        derived("Ticket_User"),
        derived("User"),
        derived("ITILFollowup"),
        derived("ITILSolution"),
    );
    let (kb, kb_links, kb_categories) = (
        derived("KnowbaseItem"),
        derived("KnowbaseItem_KnowbaseItemCategory"),
        derived("KnowbaseItemCategory"),
    );
    let tickets = testdata("jozadaque_glpi_hoiol__apirest_Ticket_list_excerpt.json");
    let h = parse_glpi(
        GlpiAnswers {
            tickets: &tickets,
            ticket_categories: Some(&categories),
            ticket_users: Some(&actors),
            users: Some(&users),
            followups: Some(&followups),
            solutions: Some(&solutions),
            kb_items: &kb,
            kb_item_categories: Some(&kb_links),
            kb_categories: Some(&kb_categories),
        },
        &ServerOffset {
            minutes: Some(-180),
            source: Some("server clock".to_owned()),
        },
        "https://glpi/apirest.php",
    )
    .unwrap();
    helpdesk_snapshot(
        h,
        "glpi",
        "https://glpi/apirest.php",
        "2022-07-28T13:12:00Z",
    )
}

#[test]
fn checker_fixtures_are_fresh() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../checker-core/tests/fixtures/snapshots");
    for (name, snapshot) in [
        ("appliance-pfsense.json", pfsense()),
        ("appliance-opnsense.json", opnsense()),
        ("supervision-icinga2.json", icinga2()),
        ("supervision-zabbix.json", zabbix()),
        ("hypervisor-proxmox.json", proxmox()),
        ("helpdesk-glpi.json", glpi()),
    ] {
        let text = serde_json::to_string_pretty(&snapshot).unwrap() + "\n";
        let path = dir.join(name);
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, &text).unwrap();
        } else {
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == text,
                "{} is stale: run UPDATE_FIXTURES=1 cargo test -p constat-systems --test fixtures",
                path.display()
            );
        }
    }
}
