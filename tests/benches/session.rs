//! Session wall time against the slowest single host, for N simulated SSH hosts.
//!
//! `scripts/bench-session [N...]` (root): for each N, starts N hosts (namespaces with their
//! own sshd, see `constat_tests::sshhost`), times `constat collect` alone on a few hosts (the
//! slowest is the reference), then times `constat session run` over all N hosts with the
//! default concurrency (16) and with concurrency N. Prints one Markdown table row per run,
//! with the session's peak RSS (`/usr/bin/time -f %M`).

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

/// CPU seconds (user + system) of this process's waited-for children, from /proc/self/stat.
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat
        .rsplit_once(") ")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    let fields: Vec<f64> = after_name
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // Fields 16 and 17 of stat (cutime, cstime) are 13 and 14 after the name; 100 ticks/s.
    (fields.get(13).copied().unwrap_or(0.0) + fields.get(14).copied().unwrap_or(0.0)) / 100.0
}

fn timed(lab: &Lab, constat: &Path, agent: &Path, args: &[String]) -> Duration {
    timed_rss(lab, constat, agent, args).0
}

/// Wall time and peak RSS (KiB, `/usr/bin/time -f %M`) of `constat args` in the client
/// namespace.
fn timed_rss(lab: &Lab, constat: &Path, agent: &Path, args: &[String]) -> (Duration, u64) {
    let started = Instant::now();
    let output = lab
        .client_command(Path::new("/usr/bin/time"))
        .args(["-f", "constat-peak-rss-kib %M"])
        .arg(constat)
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
    let stderr = String::from_utf8_lossy(&output.stderr);
    let rss = stderr
        .lines()
        .find_map(|l| l.strip_prefix("constat-peak-rss-kib "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    (elapsed, rss)
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
        "| hosts | N | concurrency | slowest single host | session wall time | ratio | round trips/host | constat CPU/host | constat peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let mut lab = Lab::new();
        for i in 0..n {
            lab.add_host(Vec::new());
            lab.start(i);
        }
        // "upload": the agent is uploaded and run (all hosts share this machine's 2 cores).
        // "2 s on the host": an installed agent that first sleeps 2 s, like a VM spending its
        // own CPU on collection; this isolates what the grader adds.
        let wrapper = lab.dir.join("slow-agent.sh");
        std::fs::write(
            &wrapper,
            format!("#!/bin/sh\nsleep 2\nexec {} \"$@\"\n", agent.display()),
        )
        .unwrap();
        std::fs::set_permissions(
            &wrapper,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        for (mode, agent_path) in [
            ("upload", None),
            ("2 s on the host", Some(wrapper.display().to_string())),
        ] {
            measure(&lab, &constat, &agent, n, mode, agent_path.as_deref());
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn measure(
    lab: &Lab,
    constat: &Path,
    agent: &Path,
    n: usize,
    mode: &str,
    agent_path: Option<&str>,
) {
    let key = lab.client_key.display().to_string();
    let known = lab.dir.join("known_hosts").display().to_string();
    let out = lab.dir.join("single.json").display().to_string();
    let mut slowest = Duration::ZERO;
    for host in lab.hosts.iter().take(3) {
        for _ in 0..3 {
            let mut args = strings(&[
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
            ]);
            if let Some(path) = agent_path {
                args.extend(strings(&["--agent-path", path]));
            }
            slowest = slowest.max(timed(lab, constat, agent, &args));
        }
    }
    let installed = agent_path
        .map(|p| format!(", agent_path: '{p}'"))
        .unwrap_or_default();
    let mut inventory = format!(
        "session: {{ id: bench-{n}, referentiel: TSSR }}\ndefaults:\n  linux: {{ transport: ssh, user: root, key: '{key}'{installed} }}\ncandidates:\n"
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
    let mut concurrencies = vec![16.min(n), n];
    concurrencies.dedup();
    for concurrency in concurrencies {
        let session = lab
            .dir
            .join(format!("session-{}-{concurrency}", agent_path.is_some()));
        let s = session.display().to_string();
        let inventory_arg = inventory_path.display().to_string();
        timed(
            lab,
            constat,
            agent,
            &strings(&["session", "init", "--inventory", &inventory_arg, &s]),
        );
        let run = strings(&[
            "session",
            "run",
            &s,
            "--phase",
            "start",
            "--quiet",
            "--concurrency",
            &concurrency.to_string(),
        ]);
        let cpu_before = children_cpu();
        let (wall, rss) = timed_rss(lab, constat, agent, &run);
        let cpu = children_cpu() - cpu_before;
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(session.join("manifest.json")).unwrap())
                .unwrap();
        let hosts = manifest["hosts"].as_array().unwrap();
        let trips: u64 = hosts
            .iter()
            .map(|h| h["round_trips"].as_u64().unwrap_or(0))
            .sum();
        println!(
            "| {mode} | {n} | {concurrency} | {:.2} s | {:.2} s | {:.2} | {:.1} | {:.0} ms | {:.1} MiB |",
            slowest.as_secs_f64(),
            wall.as_secs_f64(),
            wall.as_secs_f64() / slowest.as_secs_f64(),
            trips as f64 / hosts.len() as f64,
            cpu * 1000.0 / hosts.len() as f64,
            rss as f64 / 1024.0
        );
    }
}
