//! Side by side: constat against pytest-testinfra and a plain sh script, on the same checks.
//!
//! `scripts/bench-anchors [N]` (root; `cargo bench -p constat-tests --bench anchors`). It starts
//! N simulated hosts (namespaces with their own sshd, `constat_tests::sshhost`), each prepared
//! by `benches/anchors/setup.sh` (users, group, sudo rule, a setgid directory, sshd setting, in
//! the host's own overlays), then times the same 10 checks written three ways —
//! `anchors/pack.yaml` (constat), `anchors/test_anchors.py` (pytest-testinfra, installed from
//! PyPI in a venv under /var/cache/constat-bench), `anchors/anchors.sh` (POSIX sh) —
//! locally (inside host 0's namespaces), over SSH to one host, and over SSH to N hosts.
//! Every tool must pass every check on every run (same verdicts), or the benchmark stops.
//! Runs are interleaved (tool A, B, C, A, B, C…); it prints, per measure, the median wall time,
//! the min–max, the median peak RSS (`/usr/bin/time -f %M`, largest process of the tree), the
//! median CPU time (`%U + %S`: the command and the children it waited for) and the ratio to
//! constat, as Markdown rows for BENCHMARKS.md.

use constat_tests::sshhost::{Lab, real_tests_enabled, workspace_binary};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const VENV: &str = "/var/cache/constat-bench/venv";

fn anchors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/anchors")
}

/// The static agent when built (`release-agent`, musl), else the workspace's.
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

/// pytest-testinfra and pytest-xdist in a venv, installed once from PyPI.
fn ensure_venv() -> PathBuf {
    let python = Path::new(VENV).join("bin/python");
    let ready = Command::new(&python)
        .args(["-c", "import testinfra, xdist"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ready {
        let status = Command::new("python3")
            .args(["-m", "venv", VENV])
            .status()
            .unwrap();
        assert!(status.success(), "python3 -m venv {VENV}");
        let status = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "pytest-testinfra",
                "pytest-xdist",
            ])
            .status()
            .unwrap();
        assert!(
            status.success(),
            "pip install pytest-testinfra pytest-xdist"
        );
    }
    let version = Command::new(&python)
        .args(["-m", "pip", "show", "pytest-testinfra"])
        .output()
        .unwrap();
    let version = String::from_utf8_lossy(&version.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Version: ").map(str::to_owned))
        .unwrap_or_default();
    println!("pytest-testinfra {version} in {VENV}");
    python
}

/// One measured command: wall time, peak RSS (KiB) and CPU time (user + system, seconds) of
/// the command and the children it waited for (`ssh` for constat and the sh loop).
struct Sample {
    wall: Duration,
    rss_kib: u64,
    cpu: f64,
}

/// Runs `command` wrapped in `/usr/bin/time`, asserting success (every check passed).
fn run(label: &str, mut command: Command) -> Sample {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let output = command.output().unwrap();
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let kept = std::env::temp_dir().join("constat-bench-anchors-failure.out");
        std::fs::write(&kept, &output.stdout).unwrap();
        panic!(
            "{label}: not every check passed ({:?}); its output is in {}\n{stderr}",
            output.status,
            kept.display()
        );
    }
    let rss_kib = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("bench-rss-kib "))
        .filter_map(|v| v.trim().parse().ok())
        .max()
        .unwrap_or(0);
    // Several lines when `time` wraps a wrapper (nsenter): the outermost is the largest.
    let cpu = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("bench-cpu "))
        .filter_map(|v| {
            let (user, system) = v.trim().split_once(' ')?;
            Some(user.parse::<f64>().ok()? + system.parse::<f64>().ok()?)
        })
        .fold(0.0, f64::max);
    Sample { wall, rss_kib, cpu }
}

/// `/usr/bin/time -f … program args…`, through `prefix` (nsenter or `ip netns exec`).
fn timed(prefix: &[String], program: &str, args: &[String]) -> Command {
    let mut command = Command::new(&prefix[0]);
    command
        .args(&prefix[1..])
        .args([
            "/usr/bin/time",
            "-f",
            "bench-rss-kib %M\nbench-cpu %U %S",
            program,
        ])
        .args(args);
    command
}

fn s(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| i.to_string()).collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// One measure: several tools, interleaved, `runs` times each.
struct Measure {
    title: String,
    tools: Vec<(String, Box<dyn Fn() -> Sample>)>,
}

impl Measure {
    fn run(&self, runs: usize) {
        // One warm-up run each (page cache, SSH ControlMaster, pytest's imports).
        for (_, tool) in &self.tools {
            tool();
        }
        let mut samples: Vec<Vec<Sample>> = self.tools.iter().map(|_| Vec::new()).collect();
        for _ in 0..runs {
            for (i, (_, tool)) in self.tools.iter().enumerate() {
                samples[i].push(tool());
            }
        }
        let reference = median(samples[0].iter().map(|s| s.wall.as_secs_f64()).collect());
        for ((name, _), samples) in self.tools.iter().zip(&samples) {
            let walls: Vec<f64> = samples.iter().map(|s| s.wall.as_secs_f64()).collect();
            let min = walls.iter().copied().fold(f64::MAX, f64::min);
            let max = walls.iter().copied().fold(0.0, f64::max);
            let wall = median(walls);
            let rss = median(samples.iter().map(|s| s.rss_kib as f64).collect()) / 1024.0;
            let cpu = median(samples.iter().map(|s| s.cpu).collect());
            println!(
                "| {} | {name} | {:.3} s | {:.3}–{:.3} s | {rss:.1} MiB | {cpu:.3} s | {:.2}× |",
                self.title,
                wall,
                min,
                max,
                wall / reference
            );
        }
    }
}

/// `CONSTAT_BENCH_HOLD=1`: keeps the N hosts up for profiling the client (nothing is timed)
/// and prints how to run a session against them; stops (and removes the lab) when the file it
/// names is deleted. Hold the real-tier lock only as long as needed.
fn hold(
    lab: &Lab,
    client: &[String],
    constat: &Path,
    agent: &Path,
    inventory: &Path,
    known: &Path,
) {
    let stop = lab.dir.join("hold");
    std::fs::write(&stop, "").unwrap();
    let dir = lab.dir.join("session");
    println!(
        "hosts up; a session against them (as root):\n  \
         {client} {constat} session init --inventory {inventory} {dir} && \
         cp {known} {dir}/known_hosts\n  \
         CONSTAT_AGENT_BIN={agent} {client} {constat} session run {dir} --phase end --quiet \
         --concurrency {n}\nrm {stop} to stop",
        client = client.join(" "),
        constat = constat.display(),
        inventory = inventory.display(),
        dir = dir.display(),
        known = known.display(),
        agent = agent.display(),
        n = lab.hosts.len(),
        stop = stop.display(),
    );
    while stop.exists() {
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// How much of `cli/link-order.txt` the binary still has: a stale list (its names changed with
/// the code) silently loses round 4's memory gain, so the bench says it next to the RSS column.
fn link_order_coverage(constat: &Path) -> String {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/link-order.txt");
    let Ok(list) = std::fs::read_to_string(&list) else {
        return "link order: cli/link-order.txt not found".to_owned();
    };
    let Ok(nm) = Command::new("nm").arg(constat).output() else {
        return "link order: nm not found".to_owned();
    };
    let symbols: std::collections::HashSet<&str> = std::str::from_utf8(&nm.stdout)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_whitespace().nth(2))
        .collect();
    let listed: Vec<&str> = list.lines().filter(|l| !l.starts_with('#')).collect();
    let found = listed.iter().filter(|name| symbols.contains(*name)).count();
    let stale = if found * 10 < listed.len() * 9 {
        " (stale: run scripts/link-order, `check`'s RSS depends on it)"
    } else {
        ""
    };
    format!(
        "link order: {found} of {} listed functions in the binary{stale}",
        listed.len()
    )
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    // `cargo test --all-targets` also runs bench targets, without `--bench`: only
    // `cargo bench` (scripts/bench-anchors) starts the hosts.
    if !std::env::args().any(|a| a == "--bench") {
        println!("skipped: run scripts/bench-anchors (cargo bench) to compare with testinfra");
        return;
    }
    if !real_tests_enabled(&["ip", "sshd", "ssh-keygen", "unshare", "nsenter", "python3"]) {
        return;
    }
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(16);
    let runs: usize = std::env::var("CONSTAT_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    let python = ensure_venv();
    let constat = workspace_binary("constat");
    let agent = agent_binary();
    let anchors = anchors_dir();
    let setup = std::fs::read_to_string(anchors.join("setup.sh")).unwrap();
    println!(
        "constat: {} · agent: {} ({} bytes) · {n} hosts · {runs} runs · load average before: {}",
        constat.display(),
        agent.display(),
        std::fs::metadata(&agent).map(|m| m.len()).unwrap_or(0),
        loadavg()
    );
    println!("{}", link_order_coverage(&constat));

    let mut lab = Lab::new();
    let mut known_hosts = String::new();
    for i in 0..n {
        lab.add_host(Vec::new());
        lab.hosts[i].setup = setup.clone();
        lab.start(i);
        let key = std::fs::read_to_string(lab.hosts[i].dir.join("keys/host_key.pub")).unwrap();
        let key: Vec<&str> = key.split_whitespace().take(2).collect();
        known_hosts.push_str(&format!("{} {}\n", lab.hosts[i].address, key.join(" ")));
    }
    let known = lab.dir.join("bench_known_hosts");
    std::fs::write(&known, known_hosts).unwrap();
    let key = lab.client_key.display().to_string();
    let plain_config = lab.dir.join("ssh_config");
    let base = format!(
        "Host *\n  User root\n  IdentityFile {key}\n  UserKnownHostsFile {}\n  \
         StrictHostKeyChecking yes\n  BatchMode yes\n",
        known.display()
    );
    std::fs::write(&plain_config, &base).unwrap();
    // What a testinfra user sets up for speed: one multiplexed connection per host.
    let master_config = lab.dir.join("ssh_config_master");
    std::fs::write(
        &master_config,
        format!(
            "{base}  ControlMaster auto\n  ControlPath {}/cm-%C\n  ControlPersist 600\n",
            lab.dir.display()
        ),
    )
    .unwrap();

    // Host 0's namespaces, entered through its sshd (the pid namespace's init).
    let host0_pid = constat_tests::sshhost::sh("ip", &["netns", "pids", &lab.hosts[0].netns])
        .split_whitespace()
        .find(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "sshd")
        })
        .map(str::to_owned)
        .expect("sshd of host 0");
    let local = s(&["nsenter", "-t", &host0_pid, "-m", "-n", "-p", "--"]);
    let client = s(&["ip", "netns", "exec", &lab.client_ns]);
    let pack = anchors.join("pack.yaml").display().to_string();
    let tests = anchors.join("test_anchors.py").display().to_string();
    let script = anchors.join("anchors.sh").display().to_string();
    let py = python.display().to_string();
    let pytest = |hosts: &str, config: &Path, extra: &[&str]| -> Vec<String> {
        let mut args = s(&["-m", "pytest", "-q", "-p", "no:cacheprovider"]);
        args.push(format!("--hosts={hosts}"));
        if !hosts.starts_with("local") {
            args.push(format!("--ssh-config={}", config.display()));
        }
        args.extend(s(extra));
        args.push(tests.clone());
        args
    };

    println!(
        "\n| where | tool | median wall | min–max | peak RSS (median) | CPU user+sys with children (median) | ratio to constat |"
    );
    println!("|---|---|---|---|---|---|---|");

    let holding = std::env::var_os("CONSTAT_BENCH_HOLD").is_some();
    // Locally, inside host 0.
    if !holding {
        let (l, c, p) = (local.clone(), constat.clone(), pack.clone());
        let (l2, py2, l3) = (local.clone(), py.clone(), local.clone());
        let (sc, pt) = (script.clone(), pytest("local://", &plain_config, &[]));
        Measure {
            title: "local".into(),
            tools: vec![
                (
                    "constat check".into(),
                    Box::new(move || {
                        run(
                            "constat check",
                            timed(
                                &l,
                                &c.display().to_string(),
                                &s(&["check", "--pack", &p, "--format", "json"]),
                            ),
                        )
                    }),
                ),
                (
                    "pytest-testinfra".into(),
                    Box::new(move || run("testinfra local", timed(&l2, &py2, &pt))),
                ),
                (
                    "sh script".into(),
                    Box::new(move || {
                        run("sh local", timed(&l3, "/bin/sh", std::slice::from_ref(&sc)))
                    }),
                ),
            ],
        }
        .run(runs);
    }

    // Over SSH, one host.
    if !holding {
        let address = lab.hosts[0].address.clone();
        // What a user types: collect over SSH and grade, one command, one process.
        let check = s(&[
            "check",
            "--pack",
            &pack,
            "--host",
            &format!("ssh://root@{address}"),
            "--ssh-key",
            &key,
            "--known-hosts",
            &known.display().to_string(),
            "--format",
            "json",
        ]);
        let (cl, c) = (client.clone(), constat.display().to_string());
        let agent_bin = agent.clone();
        let (cl2, cl3, cl4) = (client.clone(), client.clone(), client.clone());
        let pt = pytest(&format!("ssh://{address}"), &master_config, &[]);
        let py2 = py.clone();
        let plain = plain_config.display().to_string();
        let (a2, a3, plain2, sc) = (
            address.clone(),
            address.clone(),
            plain.clone(),
            script.clone(),
        );
        Measure {
            title: "SSH, 1 host".into(),
            tools: vec![
                (
                    "constat check --host ssh://…".into(),
                    Box::new(move || {
                        let mut command = timed(&cl, &c, &check);
                        command.env("CONSTAT_AGENT_BIN", &agent_bin);
                        run("constat check --host", command)
                    }),
                ),
                (
                    "pytest-testinfra, ControlMaster".into(),
                    Box::new(move || run("testinfra ssh", timed(&cl2, &py2, &pt))),
                ),
                (
                    "sh script over ssh".into(),
                    Box::new(move || {
                        let mut command = timed(&cl3, "ssh", &s(&["-F", &plain, &a2, "sh", "-s"]));
                        command.stdin(std::fs::File::open(&sc).unwrap());
                        run("sh over ssh", command)
                    }),
                ),
                (
                    "one SSH round trip (ssh host true)".into(),
                    Box::new(move || {
                        run(
                            "ssh true",
                            timed(&cl4, "ssh", &s(&["-F", &plain2, &a3, "true"])),
                        )
                    }),
                ),
            ],
        }
        .run(runs);
    }

    // Over SSH, N hosts.
    {
        let mut inventory = format!(
            "session: {{ id: anchors-{n}, referentiel: TSSR, pack: '{pack}' }}\n\
             defaults:\n  linux: {{ transport: ssh, user: root, key: '{key}' }}\ncandidates:\n"
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
        if holding {
            hold(&lab, &client, &constat, &agent, &inventory_path, &known);
            return;
        }
        let all: Vec<String> = lab.hosts.iter().map(|h| h.address.clone()).collect();
        let lab_dir = lab.dir.clone();
        let (cl, c) = (client.clone(), constat.display().to_string());
        let agent_bin = agent.clone();
        let known_for_session = known.clone();
        let counter = std::cell::Cell::new(0u32);
        let session_tool = move || {
            // A fresh session each run (init is not timed): what an examiner runs at the end.
            counter.set(counter.get() + 1);
            let dir = lab_dir.join(format!("session-{}", counter.get()));
            let d = dir.display().to_string();
            let init = Command::new(&cl[0])
                .args(&cl[1..])
                .arg(&c)
                .args(["session", "init", "--inventory"])
                .arg(&inventory_path)
                .arg(&d)
                .output()
                .unwrap();
            assert!(init.status.success(), "session init: {init:?}");
            std::fs::copy(&known_for_session, dir.join("known_hosts")).unwrap();
            let mut command = timed(
                &cl,
                &c,
                &s(&["session", "run", &d, "--phase", "end", "--quiet"])
                    .into_iter()
                    .chain(s(&["--concurrency", &all.len().to_string()]))
                    .collect::<Vec<_>>(),
            );
            command.env("CONSTAT_AGENT_BIN", &agent_bin);
            let sample = run("constat session run", command);
            let _ = std::fs::remove_dir_all(&dir);
            sample
        };
        let hosts_arg = lab
            .hosts
            .iter()
            .map(|h| format!("ssh://{}", h.address))
            .collect::<Vec<_>>()
            .join(",");
        let pt = pytest(&hosts_arg, &master_config, &["-n", &n.to_string()]);
        let (cl2, py2, cl3) = (client.clone(), py.clone(), client.clone());
        let loop_script = format!(
            "rc=0; pids=; for a in {}; do ssh -F {} $a sh -s < {} > /dev/null & pids=\"$pids $!\"; done; \
             for p in $pids; do wait $p || rc=1; done; exit $rc",
            lab.hosts
                .iter()
                .map(|h| h.address.clone())
                .collect::<Vec<_>>()
                .join(" "),
            plain_config.display(),
            script
        );
        Measure {
            title: format!("SSH, {n} hosts"),
            tools: vec![
                (
                    "constat session run --phase end".into(),
                    Box::new(session_tool),
                ),
                (
                    format!("pytest-testinfra -n {n}, ControlMaster"),
                    Box::new(move || run("testinfra xdist", timed(&cl2, &py2, &pt))),
                ),
                (
                    "sh script over ssh, in parallel".into(),
                    Box::new(move || {
                        run(
                            "sh over ssh ×N",
                            timed(&cl3, "/bin/sh", &s(&["-c", &loop_script])),
                        )
                    }),
                ),
            ],
        }
        .run(runs);
    }
    println!("\nload average after: {}", loadavg());
}
