//! The readers take what a hostile host sends (appliance config.xml, Nagios status.dat, Icinga2,
//! Proxmox and GLPI API answers): bounded property tests feed them the real
//! samples cut and mutated byte by byte, and arbitrary bytes. No input may panic; every
//! refusal is an error naming the source (and `line:col` where the format has lines).
//! Fixed seed, 128 cases per property (`PROPTEST_CASES=N` for a longer local run).

use constat_systems::glpi::{GlpiAnswers, ServerOffset, offset_from_session, parse_glpi};
use constat_systems::parse_config_xml;
use constat_systems::proxmox::parse_proxmox;
use constat_systems::supervision::{parse_icinga2, parse_nagios_status};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x7379_7374_656d_7300),
        failure_persistence: None,
        ..Config::default()
    }
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

const SAMPLES: &[&str] = &[
    "pfsensible_core__pfsense_rule_config_excerpt.xml",
    "pfsensible_core__pfsense_interface_vlan_config_excerpt.xml",
    "pfsensible_core__pfsense_openvpn_config_excerpt.xml",
    "pfsensible_core__pfsense_ipsec_config_excerpt.xml",
    "idx39993198255__opnsense_25_vlans_interfaces_rules_excerpt.xml",
    "recorded_nagios-4.4__status.dat",
    "recorded_icinga2-2.13__objects_services_problems.json",
    "ansible-collections_community.proxmox__api2_json_cluster_resources_type_vm.json",
    "jozadaque_glpi_hoiol__apirest_Ticket_list_excerpt.json",
    "glpi-schema-derived__KnowbaseItem_list.json",
    "glpi-schema-derived__getFullSession_excerpt.json",
];

/// Every reader on `bytes`; each error must name its source.
fn read_all(bytes: &[u8]) {
    for e in [
        parse_config_xml(bytes, "SRC").err().map(|e| e.to_string()),
        parse_nagios_status(bytes, "SRC")
            .err()
            .map(|e| e.to_string()),
        parse_icinga2(bytes, bytes, "SRC")
            .err()
            .map(|e| e.to_string()),
        parse_proxmox(bytes, &[("/nodes/n/qemu/1/config", bytes)], "SRC")
            .err()
            .map(|e| e.to_string()),
        // GLPI: every list answer is the same hostile bytes; errors name `SRC/<list>`.
        parse_glpi(
            GlpiAnswers {
                tickets: bytes,
                ticket_categories: Some(bytes),
                ticket_users: Some(bytes),
                users: Some(bytes),
                followups: Some(bytes),
                solutions: Some(bytes),
                kb_items: bytes,
                kb_item_categories: Some(bytes),
                kb_categories: Some(bytes),
            },
            &ServerOffset {
                minutes: Some(60),
                source: Some("server clock".to_owned()),
            },
            "SRC",
        )
        .err()
        .map(|e| e.to_string()),
        offset_from_session(bytes, 1_795_455_000)
            .err()
            .map(|e| e.to_string().replace("getFullSession", "SRC")),
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            e.contains("SRC") || e.contains("/nodes/n/qemu/1/config"),
            "unlocated error: {e}"
        );
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_samples_never_panic(
        which in 0..SAMPLES.len(),
        cut in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
    ) {
        let mut bytes = sample(SAMPLES[which]);
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let keep = cut.index(bytes.len() + 1);
        bytes.truncate(keep);
        read_all(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        read_all(&bytes);
    }
}
