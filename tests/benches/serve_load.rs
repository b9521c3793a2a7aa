//! Load benchmark of `constat serve` (issue 17, BENCHMARKS.md "Server under load").
//!
//! `scripts/bench-serve [--learners 30] [--interval 5] [--duration 120] [--grids 3]
//! [--database URL]`: starts the release `constat serve` on loopback (plain HTTP, a fresh
//! SQLite data directory, or `--database URL` passed through), a trainer logs in and creates
//! a class, N learners enrol through `POST /api/join`, G grid clients open the class's event
//! stream (Server-Sent Events), then every learner submits a real recorded snapshot (the
//! checker core's `linux-lab.json`), signed with its key, every `interval` seconds for
//! `duration` seconds (start times spread over the first interval). Measured:
//!
//! * submission → graded answer (the `POST`'s round trip), p50/p99;
//! * submission → row seen on each open grid (the `row` event of that learner), p50/p99
//!   over every (submission, grid) pair, and how many were never seen;
//! * the server's peak RSS (`VmHWM` of /proc/<pid>/status, and the largest `VmRSS` sampled
//!   every 100 ms);
//! * nothing lost: submissions sent, accepted (200), and stored (counted in the database).
//!
//! Not a timed test: it prints figures (with the load average) for BENCHMARKS.md.

use constat_serve::protocol::{
    HEADER_LEARNER, HEADER_ROLE, HEADER_SIGNATURE, HEADER_TIMESTAMP, LearnerKey,
};
use constat_serve::store::{SqliteStore, Store};
use constat_tests::sshhost::workspace_binary;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

struct Options {
    learners: usize,
    interval: u64,
    duration: u64,
    grids: usize,
    database: Option<String>,
}

fn options() -> Options {
    let mut o = Options {
        learners: 30,
        interval: 5,
        duration: 120,
        grids: 3,
        database: None,
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
            "--database" => o.database = Some(value),
            // cargo bench passes --bench.
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
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

fn start_server(constat: &Path, data: &Path, database: Option<&str>) -> Server {
    let mut command = constat_tests::daemon::command(constat);
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

/// One accepted or refused submission.
struct Sent {
    learner: i64,
    at: Instant,
    answered_ms: f64,
    accepted: bool,
}

/// Row events seen by the grid clients: (grid, learner, when).
type Seen = Arc<Mutex<Vec<(usize, i64, Instant)>>>;

async fn watch_grid(client: reqwest::Client, url: String, cookie: String, grid: usize, seen: Seen) {
    let mut response = client
        .get(&url)
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await
        .expect("the event stream opens");
    assert!(response.status().is_success(), "{}", response.status());
    let mut buffer = String::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let now = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find('\n') {
            let line: String = buffer.drain(..=end).collect();
            if let Some(rest) = line.strip_prefix("data: <tr id=\"learner-")
                && let Some(id) = rest.split('"').next().and_then(|n| n.parse().ok())
            {
                seen.lock().unwrap().push((grid, id, now));
            }
        }
    }
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
    let load_before = loadavg();
    let constat = workspace_binary("constat");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut create = Command::new(&constat)
        .args([
            "--lang",
            "en",
            "serve",
            "--create-trainer",
            "bench",
            "--data",
        ])
        .arg(&data)
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
    let server = start_server(&constat, &data, o.database.as_deref());
    let pid = server.child.id();
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
        let base = server.url.clone();
        // The trainer logs in and creates the class.
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
            let answer = client
                .post(format!("{base}/api/join"))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(serde_json::json!({"code": code, "name": format!("learner {n:02}")}).to_string())
                .send()
                .await
                .unwrap();
            let joined = json_value(answer).await;
            keys.push(LearnerKey::parse(joined["key"].as_str().unwrap()).unwrap());
        }
        let seen: Seen = Arc::new(Mutex::new(Vec::new()));
        for g in 0..o.grids {
            tokio::spawn(watch_grid(
                client.clone(),
                format!("{base}{grid_path}/events"),
                cookie.clone(),
                g,
                Arc::clone(&seen),
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let peak_sampled = Arc::new(Mutex::new(0u64));
        let sampler = {
            let peak = Arc::clone(&peak_sampled);
            tokio::spawn(async move {
                loop {
                    let rss = status_kib(pid, "VmRSS:");
                    {
                        let mut p = peak.lock().unwrap();
                        *p = (*p).max(rss);
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        };
        eprintln!(
            "{} learners × every {} s × {} s, {} grids: running",
            o.learners, o.interval, o.duration, o.grids
        );
        let started = Instant::now();
        let sent: Arc<Mutex<Vec<Sent>>> = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (n, key) in keys.into_iter().enumerate() {
            let client = client.clone();
            let url = format!("{base}/api/classes/{code}/submissions");
            let body = Arc::clone(&snapshot);
            let sent = Arc::clone(&sent);
            let offset = Duration::from_millis(o.interval * 1000 * n as u64 / o.learners as u64);
            let interval = Duration::from_secs(o.interval);
            let duration = Duration::from_secs(o.duration);
            tasks.push(tokio::spawn(async move {
                tokio::time::sleep(offset).await;
                let mut tick = tokio::time::interval(interval);
                let mut last_signed = 0;
                while started.elapsed() < duration {
                    tick.tick().await;
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
                    let accepted = match answer {
                        Ok(response) => {
                            let ok = response.status().is_success();
                            if !ok {
                                eprintln!(
                                    "learner {}: {} {}",
                                    key.learner,
                                    response.status(),
                                    response.text().await.unwrap_or_default()
                                );
                            } else {
                                let _ = response.bytes().await;
                            }
                            ok
                        }
                        Err(e) => {
                            eprintln!("learner {}: {e}", key.learner);
                            false
                        }
                    };
                    sent.lock().unwrap().push(Sent {
                        learner: key.learner,
                        at,
                        answered_ms: at.elapsed().as_secs_f64() * 1000.0,
                        accepted,
                    });
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        // The last rows reach the grids.
        tokio::time::sleep(Duration::from_secs(2)).await;
        sampler.abort();
        let load_after = loadavg();
        let hwm = status_kib(pid, "VmHWM:");
        let sampled = *peak_sampled.lock().unwrap();

        let sent = std::mem::take(&mut *sent.lock().unwrap());
        let seen = std::mem::take(&mut *seen.lock().unwrap());
        let accepted = sent.iter().filter(|s| s.accepted).count();
        let mut answered: Vec<f64> = sent.iter().filter(|s| s.accepted).map(|s| s.answered_ms).collect();
        answered.sort_by(f64::total_cmp);
        // Each accepted submission's row, on each grid: the first row of that learner seen
        // at or after the submission and before the learner's next one.
        let mut by_learner: HashMap<i64, Vec<Instant>> = HashMap::new();
        for s in sent.iter().filter(|s| s.accepted) {
            by_learner.entry(s.learner).or_default().push(s.at);
        }
        let mut on_grid = Vec::new();
        let mut missing = 0;
        for s in sent.iter().filter(|s| s.accepted) {
            let next = by_learner[&s.learner]
                .iter()
                .copied()
                .filter(|t| *t > s.at)
                .min();
            for g in 0..o.grids {
                let first = seen
                    .iter()
                    .filter(|(grid, learner, t)| {
                        *grid == g && *learner == s.learner && *t >= s.at && next.is_none_or(|n| *t < n)
                    })
                    .map(|(_, _, t)| *t)
                    .min();
                match first {
                    Some(t) => on_grid.push(t.duration_since(s.at).as_secs_f64() * 1000.0),
                    None => missing += 1,
                }
            }
        }
        on_grid.sort_by(f64::total_cmp);
        let stored = match &o.database {
            None => {
                let store = SqliteStore::open(&data.join("constat.sqlite")).unwrap();
                let mut count = 0;
                for learner in store.learners_of(class_id).await.unwrap() {
                    count += store.history(learner.id).await.unwrap().len();
                }
                count
            }
            Some(url) => {
                let out = Command::new("psql")
                    .args([url.as_str(), "-tAc"])
                    .arg(format!(
                        "SELECT COUNT(*) FROM results WHERE class_id = {class_id}"
                    ))
                    .output()
                    .expect("psql runs");
                String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0)
            }
        };
        let backend = if o.database.is_some() { "PostgreSQL" } else { "SQLite" };
        println!("load average before: {}", load_before.trim());
        println!("load average after:  {}", load_after.trim());
        println!(
            "{backend}: {} learners × every {} s × {} s, {} grids",
            o.learners, o.interval, o.duration, o.grids
        );
        println!(
            "sent {} · accepted {accepted} · stored {stored} · rows never seen {missing}",
            sent.len()
        );
        println!(
            "submission → graded answer: p50 {:.1} ms · p99 {:.1} ms · max {:.1} ms",
            percentile(&answered, 50.0),
            percentile(&answered, 99.0),
            answered.last().copied().unwrap_or(f64::NAN)
        );
        println!(
            "submission → row on the grids: p50 {:.1} ms · p99 {:.1} ms · max {:.1} ms ({} rows)",
            percentile(&on_grid, 50.0),
            percentile(&on_grid, 99.0),
            on_grid.last().copied().unwrap_or(f64::NAN),
            on_grid.len()
        );
        println!(
            "server peak RSS: VmHWM {:.1} MiB · largest sampled VmRSS {:.1} MiB",
            hwm as f64 / 1024.0,
            sampled as f64 / 1024.0
        );
        println!(
            "| {backend} | {} × {} s × {} s, {} grids | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.1} MiB | {}/{}/{} | {} |",
            o.learners,
            o.interval,
            o.duration,
            o.grids,
            percentile(&answered, 50.0),
            percentile(&answered, 99.0),
            percentile(&on_grid, 50.0),
            percentile(&on_grid, 99.0),
            hwm as f64 / 1024.0,
            sent.len(),
            accepted,
            stored,
            load_after.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
        drop(server);
    });
}

/// The JSON body of an answer (reqwest's `json` feature is not built here).
async fn json_value(response: reqwest::Response) -> serde_json::Value {
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}
