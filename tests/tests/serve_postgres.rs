//! `constat serve --database postgres://…` for real (issue 17): a PostgreSQL 15 cluster of
//! the test's own on loopback (`constat_tests::postgres`, own data directory and port,
//! removed at the end).
//!
//! * The store behaviour suite (`constat_serve::store::suite`, the one SQLite passes in the
//!   serve crate) on PostgreSQL, a new database per case.
//! * The PostgreSQL-only behaviour: migrations recorded in `schema_version` and a database
//!   from a newer build refused; a write on one store instance announced on another
//!   (LISTEN/NOTIFY); the listening connection killed by the server → the store logs,
//!   reconnects, tells the grids to reload, and later writes are announced again; bodies kept
//!   bounded.
//! * Two `constat serve` instances on one database, as behind a load balancer (the second
//!   one's data directory holds a copy of the first one's certificate): the trainer logs in
//!   and creates the class on A and watches the grid stream on B (the session lives in the
//!   database); a learner's real `constat check --submit` to A shows up on B's stream; A is
//!   killed mid-class; B keeps serving, a new learner enrols and submits to B, and it is
//!   stored and seen; the rows are counted: nothing lost. No password in any output.
//!
//! Needs root (the cluster runs as `postgres`; the agent collects this machine) and
//! CONSTAT_REAL_TESTS=1, like the other real tests.

use constat_serve::store::suite::{CASES, class, learner, submission};
use constat_serve::store::{ClassEvent, MIGRATIONS, PgStore, PgTarget, Store, StoreError};
use constat_tests::daemon;
use constat_tests::postgres::{PASSWORD, PgCluster};
use constat_tests::real::{cli_binary, real_tests_enabled};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn cluster() -> PgCluster {
    PgCluster::start().unwrap_or_else(|e| panic!("PostgreSQL cluster: {e}"))
}

async fn store_on(cluster: &PgCluster, db: &str) -> PgStore {
    let target = PgTarget::parse(&cluster.url(db), Some(PASSWORD)).unwrap();
    PgStore::connect(target)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", cluster.log()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_suite_passes_on_postgresql() {
    if !real_tests_enabled() {
        return;
    }
    let cluster = cluster();
    for (i, (name, case)) in CASES.iter().enumerate() {
        eprintln!("postgresql: {name}");
        let db = format!("suite_{i}");
        cluster.create_database(&db).unwrap();
        let store = store_on(&cluster, &db).await;
        case(&store).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_share_migrations_events_and_survive_a_dropped_listener() {
    if !real_tests_enabled() {
        return;
    }
    let cluster = cluster();
    let a = store_on(&cluster, "constat").await;
    let b = store_on(&cluster, "constat").await;
    let known = MIGRATIONS.last().unwrap().version;
    assert_eq!(a.schema_version().await.unwrap(), known);
    let recorded = cluster
        .psql("constat", "SELECT count(*) FROM schema_version")
        .unwrap();
    assert_eq!(recorded.trim(), known.to_string(), "each migration once");

    // A write on A is announced on B.
    let mut on_b = b.subscribe();
    let t = a.create_trainer("ana".into(), "h".into(), 1).await.unwrap();
    let c = a.create_class(class(t, "ABC")).await.unwrap();
    let l = b.create_learner(learner(c.id, "bob")).await.unwrap();
    a.record_submission(submission(l.id, c.id, 1))
        .await
        .unwrap();
    let event = ClassEvent {
        class_id: c.id,
        learner_id: l.id,
    };
    let got = tokio::time::timeout(Duration::from_secs(10), on_b.recv()).await;
    assert_eq!(got.unwrap().unwrap(), event);

    // The server drops the listening connections: B reconnects and tells its grids to reload.
    let killed = cluster
        .psql(
            "constat",
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE application_name = 'constat-serve-listen'",
        )
        .unwrap();
    assert_eq!(killed.trim(), "2", "one listener per store instance");
    let got = tokio::time::timeout(Duration::from_secs(20), on_b.recv()).await;
    assert!(got.unwrap().unwrap().is_resync());
    for at in 2..=6 {
        a.record_submission(submission(l.id, c.id, at))
            .await
            .unwrap();
    }
    for _ in 2..=6 {
        let got = tokio::time::timeout(Duration::from_secs(10), on_b.recv()).await;
        assert_eq!(got.unwrap().unwrap(), event);
    }
    let counts = cluster
        .psql(
            "constat",
            "SELECT count(*), count(report_json) FROM results; \
             SELECT count(*), count(snapshot_json) FROM submissions",
        )
        .unwrap();
    assert_eq!(counts.trim(), "6|3\n6|3", "all rows, bounded bodies");

    // A database migrated by a newer build is refused, the URL shown without password.
    cluster.create_database("future").unwrap();
    drop(store_on(&cluster, "future").await);
    cluster
        .psql(
            "future",
            "INSERT INTO schema_version VALUES (99, 'from the future')",
        )
        .unwrap();
    let target = PgTarget::parse(&cluster.url("future"), Some(PASSWORD)).unwrap();
    let refused = PgStore::connect(target).await.err().unwrap();
    assert!(
        matches!(refused, StoreError::TooNew { found: 99, .. }),
        "{refused}"
    );
    let message = refused.to_string();
    assert!(message.contains("newer constat"), "{message}");
    assert!(message.contains(&cluster.url("future")), "{message}");
    assert!(!message.contains(PASSWORD), "{message}");

    // This cluster has no TLS: sslmode=require is refused, saying what to change.
    let url = format!("{}?sslmode=require", cluster.url("constat"));
    let target = PgTarget::parse(&url, Some(PASSWORD)).unwrap();
    let refused = PgStore::connect(target).await.err().unwrap().to_string();
    assert!(refused.contains("ssl = on"), "{refused}");

    // A wrong password says where to give it, and never quotes it.
    let target = PgTarget::parse(&cluster.url("constat"), Some("not-the-password")).unwrap();
    let refused = PgStore::connect(target).await.err().unwrap().to_string();
    assert!(refused.contains("PGPASSWORD"), "{refused}");
    assert!(!refused.contains("not-the-password"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_require_encrypts_every_connection() {
    if !real_tests_enabled() {
        return;
    }
    let cluster = PgCluster::start_with_tls().unwrap_or_else(|e| panic!("PostgreSQL: {e}"));
    let url = format!("{}?sslmode=require", cluster.url("constat"));
    let target = PgTarget::parse(&url, Some(PASSWORD)).unwrap();
    assert!(target.tls_required());
    let store = PgStore::connect(target)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", cluster.log()));
    let mut events = store.subscribe();
    let t = store
        .create_trainer("ana".into(), "h".into(), 1)
        .await
        .unwrap();
    let c = store.create_class(class(t, "ABC")).await.unwrap();
    let l = store.create_learner(learner(c.id, "bob")).await.unwrap();
    store
        .record_submission(submission(l.id, c.id, 1))
        .await
        .unwrap();
    let got = tokio::time::timeout(Duration::from_secs(10), events.recv()).await;
    assert_eq!(got.unwrap().unwrap().learner_id, l.id);
    // The pool's connection and the listener's, both encrypted.
    let seen = cluster
        .psql(
            "constat",
            "SELECT a.application_name, s.ssl FROM pg_stat_activity a \
             JOIN pg_stat_ssl s USING (pid) WHERE a.usename = 'constat' \
             ORDER BY a.application_name",
        )
        .unwrap();
    assert_eq!(
        seen.trim(),
        "constat-serve|t\nconstat-serve-listen|t",
        "{seen}"
    );
}

/// A `constat serve` process and what it printed on stderr (its log).
struct Server {
    child: Child,
    url: String,
    fingerprint: String,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(data: &Path, database: &str) -> Server {
    let log = data.with_extension("log");
    let mut child = daemon::command(cli_binary())
        .args(["--lang", "en", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(["--database", database])
        .env("PGPASSWORD", PASSWORD)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("constat serve starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let listening = rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| {
            panic!(
                "no listening line; log: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            )
        });
    assert!(
        listening.contains(&format!("(database {database})")),
        "{listening}"
    );
    let url = listening
        .split("listening on ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("unexpected first line: {listening}"))
        .trim_end_matches('/')
        .to_owned();
    let printed = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("fingerprint line");
    let fingerprint = printed.rsplit(' ').next().unwrap().to_owned();
    Server {
        child,
        url,
        fingerprint,
        log,
    }
}

/// `curl` as the trainer's browser, with its cookie jar.
fn curl(jar: &Path, args: &[&str]) -> String {
    let out = Command::new("curl")
        .args(["-sSk", "--max-time", "30", "-c"])
        .arg(jar)
        .arg("-b")
        .arg(jar)
        .args(args)
        .output()
        .expect("curl runs");
    assert!(
        out.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no CSRF token in {html}"))
        .to_owned()
}

fn enrol(
    jar: &Path,
    server: &Server,
    code: &str,
    name: &str,
    dir: &Path,
) -> (i64, std::path::PathBuf) {
    let joined = curl(
        jar,
        &[
            "-H",
            "Content-Type: application/json",
            "--data",
            &format!("{{\"code\":\"{code}\",\"name\":\"{name}\"}}"),
            &format!("{}/api/join", server.url),
        ],
    );
    let value: serde_json::Value =
        serde_json::from_str(&joined).unwrap_or_else(|e| panic!("{e}: {joined}"));
    let key = dir.join(format!("{name}.key"));
    std::fs::write(&key, value["key"].as_str().unwrap()).unwrap();
    (value["learner"].as_i64().unwrap(), key)
}

fn submit(server: &Server, code: &str, key: &Path) {
    let out = Command::new(cli_binary())
        .args([
            "--lang",
            "en",
            "--color",
            "never",
            "check",
            "--pack",
            "lab-cp3-linux",
            "--submit",
            &server.url,
            "--class",
            code,
            "--key",
        ])
        .arg(key)
        .args(["--pin", &server.fingerprint])
        .output()
        .expect("constat check runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    assert!(
        stdout.contains(&format!("sent to {}", server.url)),
        "{stdout}"
    );
}

/// Reads the stream until `learner`'s row arrives.
fn wait_row(rx: &mpsc::Receiver<String>, received: &mut String, learner: i64) {
    let row = format!("<tr id=\"learner-{learner}\"");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !received.contains(&row) {
        let left = deadline.saturating_duration_since(Instant::now());
        received.push_str(
            &rx.recv_timeout(left)
                .unwrap_or_else(|_| panic!("no row for learner {learner}: {received}")),
        );
    }
}

#[test]
fn two_instances_share_one_class_and_the_survivor_keeps_serving() {
    if !real_tests_enabled() {
        return;
    }
    let began = Instant::now();
    let step = |what: &str| eprintln!("[{:>6.1} s] {what}", began.elapsed().as_secs_f64());
    let cluster = cluster();
    let database = cluster.url("constat");
    let dir = tempfile::tempdir().unwrap();
    let (data_a, data_b) = (dir.path().join("a"), dir.path().join("b"));
    let jar = dir.path().join("cookies");

    // The trainer account, in the shared database.
    let mut create = Command::new(cli_binary())
        .args([
            "--lang",
            "en",
            "serve",
            "--create-trainer",
            "Mme Martin",
            "--data",
        ])
        .arg(&data_a)
        .args(["--database", &database])
        .env("PGPASSWORD", PASSWORD)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    create
        .stdin
        .take()
        .unwrap()
        .write_all(b"formateur-2026\n")
        .unwrap();
    let created = create.wait_with_output().unwrap();
    assert!(created.status.success(), "{created:?}");
    let said = String::from_utf8_lossy(&created.stdout);
    assert!(
        said.contains(&database) && !said.contains(PASSWORD),
        "{said}"
    );
    assert!(
        !data_a.join("constat.sqlite").exists(),
        "no SQLite file with --database"
    );
    step("trainer created");

    let a = start_server(&data_a, &database);
    // Behind one balancer the instances share the certificate: B gets a copy of A's.
    std::fs::create_dir_all(&data_b).unwrap();
    let copied = Command::new("cp")
        .arg("-a")
        .arg(data_a.join("tls"))
        .arg(&data_b)
        .status()
        .unwrap();
    assert!(copied.success());
    let b = start_server(&data_b, &database);
    assert_eq!(a.fingerprint, b.fingerprint);
    let logs = [a.log.clone(), b.log.clone()];
    step("two instances listening");

    // Log in and create the class on A.
    let login = curl(&jar, &[&format!("{}/login", a.url)]);
    let answer = curl(
        &jar,
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{redirect_url}",
            "--data-urlencode",
            &format!("csrf={}", csrf_of(&login)),
            "--data-urlencode",
            "name=Mme Martin",
            "--data-urlencode",
            "password=formateur-2026",
            &format!("{}/login", a.url),
        ],
    );
    assert!(answer.starts_with("303"), "{answer}");
    let classes = curl(&jar, &[&format!("{}/classes", a.url)]);
    let answer = curl(
        &jar,
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{redirect_url}",
            "--data-urlencode",
            &format!("csrf={}", csrf_of(&classes)),
            "--data-urlencode",
            "name=TSSR décembre",
            "--data-urlencode",
            "pack=lab-cp3-linux",
            &format!("{}/classes", a.url),
        ],
    );
    let grid_path = answer
        .split(&a.url)
        .nth(1)
        .unwrap_or_else(|| panic!("no class: {answer}"))
        .to_owned();
    // The same session cookie opens the grid on B: sessions live in the database.
    let grid = curl(&jar, &[&format!("{}{grid_path}", b.url)]);
    let code = grid
        .split("<p class=\"code\">")
        .nth(1)
        .unwrap_or_else(|| panic!("no code on B's grid: {grid}"))
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    step("class created on A, grid open on B");

    // B's live stream.
    let mut stream = Command::new("curl")
        .args(["-sSkN", "--max-time", "300", "-b"])
        .arg(&jar)
        .arg(format!("{}{grid_path}/events", b.url))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut events = stream.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = events.read(&mut buf) {
            if n == 0
                || tx
                    .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                    .is_err()
            {
                break;
            }
        }
    });
    let opened = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the stream opens");
    assert!(opened.starts_with(':'), "{opened}");
    let mut received = String::new();

    // Alice enrols and submits to A: her row arrives on B's stream.
    let (alice, alice_key) = enrol(&jar, &a, &code, "Alice", dir.path());
    submit(&a, &code, &alice_key);
    wait_row(&rx, &mut received, alice);
    step("Alice's submission to A seen on B");

    // A dies mid-class.
    drop(a);
    step("A killed");

    // B keeps serving: Bob enrols and submits to B, Alice submits again to B.
    let (bob, bob_key) = enrol(&jar, &b, &code, "Bob", dir.path());
    submit(&b, &code, &bob_key);
    wait_row(&rx, &mut received, bob);
    received.clear();
    // A learner may submit at most once every 2 s (the limit is in the database, so it holds
    // across instances): Alice's second submission waits it out, whatever this machine's speed.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    submit(&b, &code, &alice_key);
    wait_row(&rx, &mut received, alice);
    step("Bob's and Alice's submissions to B seen on B");
    let _ = stream.kill();
    let _ = stream.wait();

    // Nothing lost: every accepted submission is a row, with its result.
    let counts = cluster
        .psql(
            "constat",
            "SELECT (SELECT count(*) FROM learners), (SELECT count(*) FROM submissions), \
             (SELECT count(*) FROM results)",
        )
        .unwrap();
    assert_eq!(counts.trim(), "2|3|3", "learners|submissions|results");
    let grid = curl(&jar, &[&format!("{}{grid_path}", b.url)]);
    assert!(grid.contains("Alice") && grid.contains("Bob"), "{grid}");

    drop(b);
    for log in logs {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(!text.contains(PASSWORD), "{}: {text}", log.display());
    }
}
