//! Times each reader on its real samples: `cargo run --release -p constat-systems --example
//! parse_times`. Prints the mean time per parse over 2000 runs (BENCHMARKS.md).

use std::time::Instant;

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn time(label: &str, bytes: usize, mut f: impl FnMut()) {
    const RUNS: u32 = 2000;
    f();
    let start = Instant::now();
    for _ in 0..RUNS {
        f();
    }
    let per = start.elapsed() / RUNS;
    println!("{label:<58} {bytes:>6} B  {per:>10.1?} per parse");
}

fn main() {
    for name in [
        "pfsense_pfsense__conf.default_config.xml",
        "pfsensible_core__pfsense_rule_config_excerpt.xml",
        "pfsensible_core__pfsense_ipsec_config_excerpt.xml",
        "opnsense_core__config.xml.sample.xml",
    ] {
        let b = sample(name);
        time(name, b.len(), || {
            constat_systems::parse_config_xml(&b, name).unwrap();
        });
    }
    let nagios = sample("recorded_nagios-4.4__status.dat");
    time("recorded_nagios-4.4__status.dat", nagios.len(), || {
        constat_systems::supervision::parse_nagios_status(&nagios, "status.dat").unwrap();
    });
    let hosts = sample("recorded_icinga2-2.13__objects_hosts.json");
    let services = sample("recorded_icinga2-2.13__objects_services_problems.json");
    time(
        "icinga2 hosts + services",
        hosts.len() + services.len(),
        || {
            constat_systems::supervision::parse_icinga2(&hosts, &services, "icinga2").unwrap();
        },
    );
    let res =
        sample("ansible-collections_community.proxmox__api2_json_cluster_resources_type_vm.json");
    time("proxmox cluster/resources", res.len(), || {
        constat_systems::proxmox::parse_proxmox(&res, &[], "/cluster/resources").unwrap();
    });
}
