//! Session wall time against the slowest single host, for N simulated SSH hosts.
//!
//! `scripts/bench-session [N...]` (root): for each N, starts N hosts (namespaces with their
//! own sshd, see `constat_tests::sshhost`), times `constat collect` alone on a few hosts (the
//! slowest is the reference), then times `constat session run` over all N hosts with the
//! default concurrency (16) and with concurrency N. Prints one Markdown table row per run.

use constat_tests::sshhost::{Lab, real_tests_enabled, workspace_binary};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn agent_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let target = exe.ancestors().nth(3).unwrap().to_owned();
    let musl = target.join("x86_64-unknown-linux-musl/release-agent/constat-agent");
    if musl.exists() {
        musl
    } else {
        workspace_binary("constat-agent")
    }
}

fn timed(lab: &Lab, constat: &Path, agent: &Path, args: &[String]) -> Duration {
    let started = Instant::now();
    let output = lab
        .client_command(constat)
        .args(args)
        .env("CONSTAT_AGENT_BIN", agent)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn main() {
    // `cargo test --all-targets` also runs bench targets, without `--bench`: only
    // `cargo bench` (scripts/bench-session) starts the hosts.
    if !std::env::args().any(|a| a == "--bench") {
        println!("skipped: run scripts/bench-session (cargo bench) to measure sessions");
        return;
    }
    if !real_tests_enabled(&["ip", "sshd", "ssh-keygen", "unshare"]) {
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![3, 12, 48]
    } else {
        sizes
    };
    let constat = workspace_binary("constat");
    let agent = agent_binary();
    let agent_size = std::fs::metadata(&agent).map(|m| m.len()).unwrap_or(0);
    println!("agent: {} ({agent_size} bytes)", agent.display());
    println!(
        "| N | concurrency | slowest single host | session wall time | ratio | round trips/host |"
    );
    println!("|---|---|---|---|---|---|");
    for n in sizes {
        let mut lab = Lab::new();
        for i in 0..n {
            lab.add_host(Vec::new());
            lab.start(i);
        }
        let key = lab.client_key.display().to_string();
        let known = lab.dir.join("known_hosts").display().to_string();
        let out = lab.dir.join("single.json").display().to_string();
        let mut slowest = Duration::ZERO;
        for host in lab.hosts.iter().take(3) {
            for _ in 0..3 {
                let args: Vec<String> = [
                    "collect",
                    "--transport",
                    "ssh",
                    "--address",
                    &host.address,
                    "--key",
                    &key,
                    "--known-hosts",
                    &known,
                    "--out",
                    &out,
                ]
                .iter()
                .map(|s| s.to_string())
                .collect();
                slowest = slowest.max(timed(&lab, &constat, &agent, &args));
            }
        }
        let mut inventory = format!(
            "session: {{ id: bench-{n}, referentiel: TSSR }}\ndefaults:\n  linux: {{ transport: ssh, user: root, key: '{key}' }}\ncandidates:\n"
        );
        for host in &lab.hosts {
            inventory.push_str(&format!(
                "  - {{ id: c{i:02}, name: C{i}, hosts: {{ linux: {{ address: {a} }} }} }}\n",
                i = host.index,
                a = host.address
            ));
        }
        let inventory_path = lab.dir.join("inventory.yaml");
        std::fs::write(&inventory_path, inventory).unwrap();
        for concurrency in [16, n] {
            let session = lab.dir.join(format!("session-{concurrency}"));
            let s = session.display().to_string();
            let init: Vec<String> = [
                "session",
                "init",
                "--inventory",
                inventory_path.to_str().unwrap(),
                &s,
            ]
            .iter()
            .map(|x| x.to_string())
            .collect();
            timed(&lab, &constat, &agent, &init);
            let run: Vec<String> = [
                "session",
                "run",
                &s,
                "--phase",
                "start",
                "--quiet",
                "--concurrency",
                &concurrency.to_string(),
            ]
            .iter()
            .map(|x| x.to_string())
            .collect();
            let wall = timed(&lab, &constat, &agent, &run);
            let manifest: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(session.join("manifest.json")).unwrap(),
            )
            .unwrap();
            let hosts = manifest["hosts"].as_array().unwrap();
            let trips: u64 = hosts
                .iter()
                .map(|h| h["round_trips"].as_u64().unwrap_or(0))
                .sum();
            println!(
                "| {n} | {concurrency} | {:.2} s | {:.2} s | {:.2} | {:.1} |",
                slowest.as_secs_f64(),
                wall.as_secs_f64(),
                wall.as_secs_f64() / slowest.as_secs_f64(),
                trips as f64 / hosts.len() as f64
            );
            if concurrency == n {
                break;
            }
        }
    }
}
