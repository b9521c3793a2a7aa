//! Load benchmark of `constat serve` (issue 17, BENCHMARKS.md "Under load: 30 learners").
//!
//! `scripts/bench-serve [--learners 30] [--interval 5] [--duration 120] [--grids 3]
//! [--postgres [--kill-at SECONDS]] [--server-env NAME=VALUE]…`: starts the release
//! `constat serve` on loopback (plain HTTP), a trainer logs in and creates a class, N
//! learners enrol through `POST /api/join`, G grid clients open the class's event stream
//! (Server-Sent Events), then every learner submits a real recorded snapshot (the checker
//! core's `linux-lab.json`), signed with its key, every `interval` seconds for `duration`
//! seconds (start times spread over the first interval).
//!
//! * SQLite (default): one instance on a fresh data directory.
//! * `--postgres` (root: Debian's PostgreSQL 15): a cluster of the bench's own on loopback
//!   (`constat_tests::postgres`, removed at the end) and **two** instances on its database,
//!   as behind a load balancer: learners and grids are spread over both; at `--kill-at`
//!   (default: half the duration) instance A is killed (SIGKILL). Like a load balancer, a
//!   learner whose request to A fails sends it to B (signed anew, after the per-learner
//!   minimum interval when the server asks for it); like a browser's `EventSource`, a grid
//!   whose stream ends reconnects to B.
//!
//! Measured:
//!
//! * submission → graded answer (the accepted `POST`'s round trip), p50/p99;
//! * submission → row seen on each open grid (the `row` event of that learner), p50/p99
//!   over every (submission, grid) pair, and submission → seen on *every* open grid (the
//!   slowest grid of each submission), and how many pairs were never seen; a grid that was
//!   reconnecting while a submission was handled does not count for that submission (its
//!   reconnection shows the stored row);
//! * the servers' peak RSS (`VmHWM` of /proc/<pid>/status, read just before a kill or at
//!   the end, and the largest `VmRSS` sampled every 100 ms);
//! * nothing lost: submissions sent, accepted (200, retries included), and results stored
//!   (counted in the database).
//!
//! `--server-env NAME=VALUE` is set in the servers' environment only (allocator and runtime
//! settings under test, e.g. `MIMALLOC_PURGE_DELAY=0`, `TOKIO_WORKER_THREADS=1`).
//!
//! Not a timed test: it prints figures (with the load average) for BENCHMARKS.md, and skips
//! unless run by `cargo bench` (`cargo test --all-targets` runs bench targets too).

use constat_serve::protocol::{
    HEADER_LEARNER, HEADER_ROLE, HEADER_SIGNATURE, HEADER_TIMESTAMP, LearnerKey,
};
use constat_serve::store::{SqliteStore, Store};
use constat_tests::postgres::{PASSWORD, PgCluster};
use constat_tests::sshhost::workspace_binary;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Attempts of one submission (a failed instance, then the per-learner limit on the other).
const MAX_ATTEMPTS: usize = 5;

struct Options {
    learners: usize,
    interval: u64,
    duration: u64,
    grids: usize,
    postgres: bool,
    kill_at: Option<u64>,
    server_env: Vec<(String, String)>,
}

fn options() -> Options {
    let mut o = Options {
        learners: 30,
        interval: 5,
        duration: 120,
        grids: 3,
        postgres: false,
        kill_at: None,
        server_env: Vec::new(),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--learners" => o.learners = value.parse().expect("--learners N"),
            "--interval" => o.interval = value.parse().expect("--interval SECONDS"),
            "--duration" => o.duration = value.parse().expect("--duration SECONDS"),
            "--grids" => o.grids = value.parse().expect("--grids N"),
            "--kill-at" => o.kill_at = Some(value.parse().expect("--kill-at SECONDS")),
            "--server-env" => {
                let (name, v) = value.split_once('=').expect("--server-env NAME=VALUE");
                o.server_env.push((name.to_owned(), v.to_owned()));
            }
            "--postgres" => {
                o.postgres = true;
                i += 1;
                continue;
            }
            // cargo bench passes --bench.
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    assert!(
        o.learners > 0 && o.interval > 0 && o.grids > 0,
        "--learners, --interval and --grids must be at least 1"
    );
    if o.postgres && o.kill_at.is_none() {
        o.kill_at = Some(o.duration / 2);
    }
    o
}

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The bench's environment for `constat serve`: the PostgreSQL password, the settings under
/// test.
fn server_command(constat: &Path, o: &Options) -> Command {
    let mut command = constat_tests::daemon::command(constat);
    if o.postgres {
        command.env("PGPASSWORD", PASSWORD);
    }
    for (name, value) in &o.server_env {
        command.env(name, value);
    }
    command
}

fn start_server(constat: &Path, o: &Options, data: &Path, database: Option<&str>) -> Server {
    let mut command = server_command(constat, o);
    command
        .args([
            "--lang",
            "en",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--plain-http",
        ])
        .arg("--data")
        .arg(data);
    if let Some(url) = database {
        command.args(["--database", url]);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("constat serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a listening line").unwrap();
    let url = first
        .split("listening on ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .trim_end_matches('/')
        .to_owned();
    // Keep reading stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, url }
}

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a CSRF token")
        .to_owned()
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("constat_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The instances, as a load balancer sees them.
struct Instances {
    urls: Vec<String>,
    alive: Vec<AtomicBool>,
}

impl Instances {
    /// `preferred` if it is alive, else the first one alive.
    fn pick(&self, preferred: usize) -> Option<usize> {
        let preferred = preferred % self.urls.len();
        if self.alive[preferred].load(Ordering::SeqCst) {
            return Some(preferred);
        }
        (0..self.urls.len()).find(|&i| self.alive[i].load(Ordering::SeqCst))
    }

    fn failed(&self, i: usize) {
        self.alive[i].store(false, Ordering::SeqCst);
    }
}

/// One submission (one tick of one learner).
struct Sent {
    learner: i64,
    /// When the accepted attempt was sent, and when its answer arrived.
    at: Instant,
    done: Instant,
    accepted: bool,
    /// Attempts before the accepted one (a failed instance, the per-learner limit).
    retries: usize,
}

/// What the grid clients saw: row events (grid, learner, when), reload events, and the
/// spans during which a grid was not connected (grid, from, to).
#[derive(Default)]
struct GridLog {
    rows: Vec<(usize, i64, Instant)>,
    reloads: usize,
    gaps: Vec<(usize, Instant, Instant)>,
}

type Seen = Arc<Mutex<GridLog>>;

/// One grid: the class's event stream on instance `grid % instances`, reconnected to an
/// instance alive when it ends (as `EventSource` does), until `stop`.
async fn watch_grid(
    client: reqwest::Client,
    instances: Arc<Instances>,
    path: String,
    cookie: String,
    grid: usize,
    seen: Seen,
    stop: Arc<AtomicBool>,
) {
    let mut lost_at: Option<Instant> = None;
    while !stop.load(Ordering::SeqCst) {
        let Some(i) = instances.pick(grid) else {
            return;
        };
        let response = client
            .get(format!("{}{path}", instances.urls[i]))
            .header(reqwest::header::COOKIE, &cookie)
            .send()
            .await;
        let mut response = match response {
            Ok(r) if r.status().is_success() => r,
            Ok(r) => panic!("grid {grid}: the event stream answered {}", r.status()),
            Err(_) => {
                instances.failed(i);
                lost_at.get_or_insert_with(Instant::now);
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        if let Some(from) = lost_at.take() {
            seen.lock().unwrap().gaps.push((grid, from, Instant::now()));
        }
        let mut buffer = String::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            let now = Instant::now();
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find('\n') {
                let line: String = buffer.drain(..=end).collect();
                if let Some(rest) = line.strip_prefix("data: <tr id=\"learner-")
                    && let Some(id) = rest.split('"').next().and_then(|n| n.parse().ok())
                {
                    seen.lock().unwrap().rows.push((grid, id, now));
                } else if line.trim_end() == "event: reload" {
                    seen.lock().unwrap().reloads += 1;
                }
            }
        }
        lost_at = Some(Instant::now());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A learner's submissions, every `interval` until `duration` has passed since `started`.
#[allow(clippy::too_many_arguments)]
async fn learner_loop(
    client: reqwest::Client,
    instances: Arc<Instances>,
    preferred: usize,
    code: String,
    key: LearnerKey,
    body: Arc<Vec<u8>>,
    (offset, interval, duration): (Duration, Duration, Duration),
    started: Instant,
    sent: Arc<Mutex<Vec<Sent>>>,
) {
    tokio::time::sleep(offset).await;
    let mut tick = tokio::time::interval(interval);
    let mut last_signed = 0;
    while started.elapsed() < duration {
        tick.tick().await;
        let mut retries = 0;
        let mut outcome = None;
        for _ in 0..MAX_ATTEMPTS {
            let Some(i) = instances.pick(preferred) else {
                break;
            };
            let url = format!("{}/api/classes/{code}/submissions", instances.urls[i]);
            let signed_at = now_secs().max(last_signed + 1);
            last_signed = signed_at;
            let signature = key.sign("linux", signed_at, &body);
            let at = Instant::now();
            let answer = client
                .post(&url)
                .header(HEADER_LEARNER, key.learner.to_string())
                .header(HEADER_ROLE, "linux")
                .header(HEADER_TIMESTAMP, signed_at.to_string())
                .header(HEADER_SIGNATURE, signature)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_vec())
                .send()
                .await;
            match answer {
                Ok(response) if response.status().is_success() => {
                    let _ = response.bytes().await;
                    outcome = Some((at, Instant::now(), true));
                    break;
                }
                Ok(response) if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS => {
                    // The limit is in the database: an attempt that reached A before it died
                    // counts. Wait as the server says, then send it again.
                    let wait = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
                        .unwrap_or(1);
                    retries += 1;
                    tokio::time::sleep(Duration::from_secs(wait)).await;
                }
                Ok(response) => {
                    eprintln!(
                        "learner {}: {} {}",
                        key.learner,
                        response.status(),
                        response.text().await.unwrap_or_default()
                    );
                    outcome = Some((at, Instant::now(), false));
                    break;
                }
                Err(e) => {
                    eprintln!("learner {}: instance {i}: {e}", key.learner);
                    instances.failed(i);
                    retries += 1;
                }
            }
        }
        let (at, done, accepted) = outcome.unwrap_or_else(|| {
            let now = Instant::now();
            (now, now, false)
        });
        sent.lock().unwrap().push(Sent {
            learner: key.learner,
            at,
            done,
            accepted,
            retries,
        });
    }
}

/// Latencies from submission to grid rows: every (submission, grid) pair, and the slowest
/// grid of each submission; pairs never seen; pairs left out (the grid was reconnecting).
struct OnGrids {
    pairs: Vec<f64>,
    every: Vec<f64>,
    missing: usize,
    left_out: usize,
}

fn on_grids(sent: &[Sent], log: &GridLog, grids: usize) -> OnGrids {
    let accepted: Vec<&Sent> = sent.iter().filter(|s| s.accepted).collect();
    let mut by_learner: HashMap<i64, Vec<Instant>> = HashMap::new();
    for s in &accepted {
        by_learner.entry(s.learner).or_default().push(s.at);
    }
    let mut result = OnGrids {
        pairs: Vec::new(),
        every: Vec::new(),
        missing: 0,
        left_out: 0,
    };
    for s in accepted {
        // The row of this submission: the first of that learner seen at or after it and
        // before the learner's next one.
        let next = by_learner[&s.learner]
            .iter()
            .copied()
            .filter(|t| *t > s.at)
            .min();
        let mut slowest: Option<f64> = Some(0.0);
        for g in 0..grids {
            let reconnecting = log.gaps.iter().any(|(grid, from, to)| {
                *grid == g && *from <= s.done + Duration::from_secs(1) && *to >= s.at
            });
            if reconnecting {
                result.left_out += 1;
                continue;
            }
            let first = log
                .rows
                .iter()
                .filter(|(grid, learner, t)| {
                    *grid == g && *learner == s.learner && *t >= s.at && next.is_none_or(|n| *t < n)
                })
                .map(|(_, _, t)| *t)
                .min();
            match first {
                Some(t) => {
                    let ms = t.duration_since(s.at).as_secs_f64() * 1000.0;
                    result.pairs.push(ms);
                    slowest = slowest.map(|m| m.max(ms));
                }
                None => {
                    result.missing += 1;
                    slowest = None;
                }
            }
        }
        if let Some(ms) = slowest {
            result.every.push(ms);
        }
    }
    result.pairs.sort_by(f64::total_cmp);
    result.every.sort_by(f64::total_cmp);
    result
}

fn main() {
    // `cargo test --all-targets` also runs bench targets, without `--bench`: only
    // `scripts/bench-serve` (cargo bench) measures.
    if !std::env::args().any(|a| a == "--bench") {
        println!("skipped: run scripts/bench-serve (cargo bench) to measure the server under load");
        return;
    }
    let o = options();
    let loadavg = || std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    // Built first: the load average before is the one the run starts at.
    let constat = workspace_binary("constat");
    let load_before = loadavg();
    let dir = tempfile::tempdir().unwrap();
    let cluster = o.postgres.then(|| {
        PgCluster::start()
            .unwrap_or_else(|e| panic!("--postgres needs root and Debian's postgresql (15): {e}"))
    });
    let database = cluster.as_ref().map(|c| c.url("constat"));
    let data: Vec<PathBuf> = (0..if o.postgres { 2 } else { 1 })
        .map(|i| dir.path().join(format!("data-{i}")))
        .collect();
    let mut create = server_command(&constat, &o);
    create.args([
        "--lang",
        "en",
        "serve",
        "--create-trainer",
        "bench",
        "--data",
    ]);
    create.arg(&data[0]);
    if let Some(url) = &database {
        create.args(["--database", url]);
    }
    let mut create = create
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    create
        .stdin
        .take()
        .unwrap()
        .write_all(b"bench-password-2026\n")
        .unwrap();
    assert!(create.wait().unwrap().success());
    let servers: Vec<Server> = data
        .iter()
        .map(|d| start_server(&constat, &o, d, database.as_deref()))
        .collect();
    let pids: Vec<u32> = servers.iter().map(|s| s.child.id()).collect();
    let instances = Arc::new(Instances {
        urls: servers.iter().map(|s| s.url.clone()).collect(),
        alive: servers.iter().map(|_| AtomicBool::new(true)).collect(),
    });
    let servers = Arc::new(Mutex::new(servers));
    let snapshot: Arc<Vec<u8>> = Arc::new(
        std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../checker-core/tests/fixtures/snapshots/linux-lab.json"),
        )
        .unwrap(),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let base = instances.urls[0].clone();
        // The trainer logs in and creates the class (on the first instance: sessions live
        // in the database, so the cookie opens grids on every instance).
        let page = client.get(format!("{base}/login")).send().await.unwrap();
        let cookie = session_cookie(&page).unwrap();
        let csrf = csrf_of(&page.text().await.unwrap());
        let login = client
            .post(format!("{base}/login"))
            .header(reqwest::header::COOKIE, &cookie)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form(&[("csrf", &csrf), ("name", "bench"), ("password", "bench-password-2026")]))
            .send()
            .await
            .unwrap();
        let cookie = session_cookie(&login).expect("logged in");
        let page = client
            .get(format!("{base}/classes"))
            .header(reqwest::header::COOKIE, &cookie)
            .send()
            .await
            .unwrap();
        let csrf = csrf_of(&page.text().await.unwrap());
        let created = client
            .post(format!("{base}/classes"))
            .header(reqwest::header::COOKIE, &cookie)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form(&[("csrf", &csrf), ("name", "bench"), ("pack", "lab-cp3-linux")]))
            .send()
            .await
            .unwrap();
        let grid_path = created
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .expect("the class page")
            .to_owned();
        let class_id: i64 = grid_path.rsplit('/').next().unwrap().parse().unwrap();
        let grid = client
            .get(format!("{base}{grid_path}"))
            .header(reqwest::header::COOKIE, &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let code = grid
            .split("<p class=\"code\">")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .to_owned();
        let mut keys = Vec::new();
        for n in 0..o.learners {
            let url = &instances.urls[n % instances.urls.len()];
            let answer = client
                .post(format!("{url}/api/join"))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(serde_json::json!({"code": code, "name": format!("learner {n:02}")}).to_string())
                .send()
                .await
                .unwrap();
            let joined = json_value(answer).await;
            keys.push(LearnerKey::parse(joined["key"].as_str().unwrap()).unwrap());
        }
        let seen: Seen = Arc::new(Mutex::new(GridLog::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let mut watchers = Vec::new();
        for g in 0..o.grids {
            watchers.push(tokio::spawn(watch_grid(
                client.clone(),
                Arc::clone(&instances),
                format!("{grid_path}/events"),
                cookie.clone(),
                g,
                Arc::clone(&seen),
                Arc::clone(&stop),
            )));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        // Per instance: the largest VmRSS sampled, with its anonymous and file-backed parts
        // (heap and stacks; the binary's pages).
        let peak_sampled = Arc::new(Mutex::new(vec![(0u64, 0u64, 0u64); pids.len()]));
        let sampler = {
            let peak = Arc::clone(&peak_sampled);
            let pids = pids.clone();
            tokio::spawn(async move {
                loop {
                    for (i, pid) in pids.iter().enumerate() {
                        let rss = status_kib(*pid, "VmRSS:");
                        let mut p = peak.lock().unwrap();
                        if rss > p[i].0 {
                            p[i] = (
                                rss,
                                status_kib(*pid, "RssAnon:"),
                                status_kib(*pid, "RssFile:"),
                            );
                        }
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        };
        eprintln!(
            "{} learners × every {} s × {} s, {} grids, {} instance(s): running",
            o.learners,
            o.interval,
            o.duration,
            o.grids,
            pids.len()
        );
        let started = Instant::now();
        let hwm_killed = Arc::new(Mutex::new(None::<u64>));
        let killer = o.kill_at.map(|secs| {
            let servers = Arc::clone(&servers);
            let hwm = Arc::clone(&hwm_killed);
            let pid = pids[0];
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(secs)).await;
                *hwm.lock().unwrap() = Some(status_kib(pid, "VmHWM:"));
                let mut servers = servers.lock().unwrap();
                let _ = servers[0].child.kill();
                let _ = servers[0].child.wait();
                eprintln!("instance A killed at {:.1} s", started.elapsed().as_secs_f64());
            })
        });
        let sent: Arc<Mutex<Vec<Sent>>> = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (n, key) in keys.into_iter().enumerate() {
            let offset = Duration::from_millis(o.interval * 1000 * n as u64 / o.learners as u64);
            tasks.push(tokio::spawn(learner_loop(
                client.clone(),
                Arc::clone(&instances),
                n,
                code.clone(),
                key,
                Arc::clone(&snapshot),
                (offset, Duration::from_secs(o.interval), Duration::from_secs(o.duration)),
                started,
                Arc::clone(&sent),
            )));
        }
        for task in tasks {
            task.await.unwrap();
        }
        if let Some(killer) = killer {
            killer.await.unwrap();
        }
        // The last rows reach the grids.
        tokio::time::sleep(Duration::from_secs(2)).await;
        sampler.abort();
        stop.store(true, Ordering::SeqCst);
        for watcher in watchers {
            watcher.abort();
        }
        let load_after = loadavg();
        let mut hwm: Vec<u64> = pids.iter().map(|p| status_kib(*p, "VmHWM:")).collect();
        if let Some(killed) = *hwm_killed.lock().unwrap() {
            hwm[0] = killed;
        }
        let sampled = peak_sampled.lock().unwrap().clone();

        let sent = std::mem::take(&mut *sent.lock().unwrap());
        let log = std::mem::take(&mut *seen.lock().unwrap());
        let accepted = sent.iter().filter(|s| s.accepted).count();
        let retried = sent.iter().filter(|s| s.accepted && s.retries > 0).count();
        let mut answered: Vec<f64> = sent
            .iter()
            .filter(|s| s.accepted)
            .map(|s| s.done.duration_since(s.at).as_secs_f64() * 1000.0)
            .collect();
        answered.sort_by(f64::total_cmp);
        let grids = on_grids(&sent, &log, o.grids);
        let (stored, submissions) = match &cluster {
            None => {
                let store = SqliteStore::open(&data[0].join("constat.sqlite")).unwrap();
                let mut count = 0;
                for learner in store.learners_of(class_id).await.unwrap() {
                    count += store.history(learner.id).await.unwrap().len();
                }
                (count, None)
            }
            Some(cluster) => {
                let out = cluster
                    .psql(
                        "constat",
                        &format!(
                            "SELECT (SELECT count(*) FROM results WHERE class_id = {class_id}), \
                             (SELECT count(*) FROM submissions s JOIN learners l ON l.id = s.learner_id \
                             WHERE l.class_id = {class_id})"
                        ),
                    )
                    .unwrap_or_else(|e| panic!("count the rows: {e}"));
                let mut counts = out.trim().split('|').map(|n| n.parse::<usize>().unwrap_or(0));
                (counts.next().unwrap_or(0), counts.next())
            }
        };
        let backend = if o.postgres {
            "PostgreSQL, 2 instances"
        } else {
            "SQLite"
        };
        println!("load average before: {}", load_before.trim());
        println!("load average after:  {}", load_after.trim());
        println!(
            "{backend}: {} learners × every {} s × {} s, {} grids",
            o.learners, o.interval, o.duration, o.grids
        );
        if let Some(secs) = o.kill_at {
            println!(
                "instance A killed at {secs} s; grid reconnections: {}; reload events: {}",
                log.gaps.len(),
                log.reloads
            );
        }
        println!(
            "sent {} · accepted {accepted} ({retried} after a retry) · results stored {stored}{} · \
             grid rows never seen {} · left out while a grid reconnected {}",
            sent.len(),
            submissions.map(|n| format!(" · submissions stored {n}")).unwrap_or_default(),
            grids.missing,
            grids.left_out
        );
        println!(
            "submission → graded answer: p50 {:.1} ms · p99 {:.1} ms · max {:.1} ms",
            percentile(&answered, 50.0),
            percentile(&answered, 99.0),
            answered.last().copied().unwrap_or(f64::NAN)
        );
        println!(
            "submission → row on a grid: p50 {:.1} ms · p99 {:.1} ms · max {:.1} ms ({} rows)",
            percentile(&grids.pairs, 50.0),
            percentile(&grids.pairs, 99.0),
            grids.pairs.last().copied().unwrap_or(f64::NAN),
            grids.pairs.len()
        );
        println!(
            "submission → on every open grid: p50 {:.1} ms · p99 {:.1} ms · max {:.1} ms ({} submissions)",
            percentile(&grids.every, 50.0),
            percentile(&grids.every, 99.0),
            grids.every.last().copied().unwrap_or(f64::NAN),
            grids.every.len()
        );
        for (i, (h, s)) in hwm.iter().zip(&sampled).enumerate() {
            println!(
                "server {} peak RSS: VmHWM {:.1} MiB · largest sampled VmRSS {:.1} MiB \
                 (anonymous {:.1} MiB, file-backed {:.1} MiB) · threads at the end {}",
                ["A", "B"][i.min(1)],
                *h as f64 / 1024.0,
                s.0 as f64 / 1024.0,
                s.1 as f64 / 1024.0,
                s.2 as f64 / 1024.0,
                status_kib(pids[i], "Threads:")
            );
        }
        let rss = hwm
            .iter()
            .map(|h| format!("{:.1}", *h as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(" + ");
        println!(
            "| {backend} | {} × {} s × {} s, {} grids | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {rss} MiB | {}/{}/{} | {} → {} |",
            o.learners,
            o.interval,
            o.duration,
            o.grids,
            percentile(&answered, 50.0),
            percentile(&answered, 99.0),
            percentile(&grids.every, 50.0),
            percentile(&grids.every, 99.0),
            sent.len(),
            accepted,
            stored,
            load_before.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
            load_after.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
        drop(servers);
        drop(cluster);
    });
}

/// The JSON body of an answer (reqwest's `json` feature is not built here).
async fn json_value(response: reqwest::Response) -> serde_json::Value {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}
