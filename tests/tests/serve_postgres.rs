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
//! * TLS: `sslmode=require` encrypts the pool's and the listener's connections;
//!   `sslmode=verify-full` with `--database-ca` connects to a server whose certificate the
//!   test's own CA (openssl) signed for `localhost`, and refuses the same server reached by
//!   its address (the name is checked), or checked against another CA or the system's roots.
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
use constat_tests::serve::{
    Browser, Server, code_of, create_trainer, enrol, start_server, submit_accepted, trainer_command,
};
use std::path::{Path, PathBuf};
use std::process::Command;
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

/// Why the store could not connect to `url` with `ca` (it must not).
async fn refused(url: &str, ca: Option<&Path>) -> String {
    let target = PgTarget::parse_verified(url, Some(PASSWORD), ca).unwrap();
    match PgStore::connect(target).await {
        Ok(_) => panic!("connected to {url} with {ca:?}"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_verify_full_checks_the_ca_and_the_host_name() {
    if !real_tests_enabled() {
        return;
    }
    let cluster = PgCluster::start_with_ca().unwrap_or_else(|e| panic!("PostgreSQL: {e}"));
    let by_name = format!("{}?sslmode=verify-full", cluster.url_by_name("constat"));
    let ca = cluster.ca_file();
    // The CA that signed the certificate, the host name it gives: connected, encrypted.
    let target = PgTarget::parse_verified(&by_name, Some(PASSWORD), Some(&ca)).unwrap();
    assert!(target.tls_required() && target.tls_verified());
    let store = PgStore::connect(target)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", cluster.log()));
    store
        .create_trainer("ana".into(), "h".into(), 1)
        .await
        .unwrap();
    let seen = cluster
        .psql(
            "constat",
            "SELECT DISTINCT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) \
             WHERE a.usename = 'constat'",
        )
        .unwrap();
    assert_eq!(seen.trim(), "t", "every connection encrypted");
    drop(store);

    // The same server by its address: the certificate names localhost only.
    let by_address = format!("{}?sslmode=verify-full", cluster.url("constat"));
    let error = refused(&by_address, Some(&ca)).await;
    assert!(
        error.contains("certificate") && error.contains("name"),
        "{error}"
    );
    assert!(
        error.contains("verify-full"),
        "says what verify-full needs: {error}"
    );
    // Another CA, or the system's roots: the server is not trusted.
    for ca in [Some(cluster.other_ca_file()), None] {
        let error = refused(&by_name, ca.as_deref()).await;
        assert!(error.contains("UnknownIssuer"), "{ca:?}: {error}");
        assert!(
            error.contains("--database-ca"),
            "{ca:?}: says how to fix: {error}"
        );
        assert!(!error.contains(PASSWORD), "{error}");
    }
}

/// `constat serve --database DATABASE` on loopback, its stderr in `DATA.log`.
fn start_instance(data: &Path, database: &str) -> (Server, PathBuf) {
    let log = data.with_extension("log");
    let mut command = daemon::command(cli_binary());
    constat_tests::real::without_user_env(&mut command)
        .args(["--lang", "en", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(["--database", database])
        .env("PGPASSWORD", PASSWORD)
        .stderr(std::fs::File::create(&log).unwrap());
    let server = start_server(command, true, Some(&log));
    assert!(
        server.listening.contains(&format!("(database {database})")),
        "{}",
        server.listening
    );
    (server, log)
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
    let cli = cli_binary();

    // The trainer account, in the shared database.
    let mut command = trainer_command(&cli, &data_a);
    command
        .args(["--database", &database])
        .env("PGPASSWORD", PASSWORD);
    let created = create_trainer(command);
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

    let (a, log_a) = start_instance(&data_a, &database);
    // Behind one balancer the instances share the certificate: B gets a copy of A's.
    std::fs::create_dir_all(&data_b).unwrap();
    let copied = Command::new("cp")
        .arg("-a")
        .arg(data_a.join("tls"))
        .arg(&data_b)
        .status()
        .unwrap();
    assert!(copied.success());
    let (b, log_b) = start_instance(&data_b, &database);
    assert_eq!(a.fingerprint, b.fingerprint);
    let pin = b.pin().to_owned();
    step("two instances listening");

    // Log in and create the class on A.
    let browser = Browser::new(&dir.path().join("cookies"));
    browser.login(&a.url);
    let grid_path = browser.create_class(&a.url, "TSSR décembre", "lab-cp3-linux");
    // The same session cookie opens the grid on B: sessions live in the database.
    let code = code_of(&browser.get(&format!("{}{grid_path}", b.url)));
    step("class created on A, grid open on B");

    // B's live stream.
    let mut stream = browser.events(&format!("{}{grid_path}/events", b.url));

    // Alice enrols and submits to A: her row arrives on B's stream.
    let alice = enrol(&a.url, &code, "Alice", dir.path());
    submit_accepted(&cli, &a.url, &code, &alice.key, &pin);
    stream.wait_row(alice.id);
    step("Alice's submission to A seen on B");

    // A dies mid-class.
    drop(a);
    step("A killed");

    // B keeps serving: Bob enrols and submits to B, Alice submits again to B (her second
    // submission is sent again while the store's 2 s per-learner limit refuses it).
    let bob = enrol(&b.url, &code, "Bob", dir.path());
    submit_accepted(&cli, &b.url, &code, &bob.key, &pin);
    stream.wait_row(bob.id);
    stream.clear();
    submit_accepted(&cli, &b.url, &code, &alice.key, &pin);
    stream.wait_row(alice.id);
    step("Bob's and Alice's submissions to B seen on B");
    drop(stream);

    // Nothing lost: every accepted submission is a row, with its result.
    let counts = cluster
        .psql(
            "constat",
            "SELECT (SELECT count(*) FROM learners), (SELECT count(*) FROM submissions), \
             (SELECT count(*) FROM results)",
        )
        .unwrap();
    assert_eq!(counts.trim(), "2|3|3", "learners|submissions|results");
    let grid = browser.get(&format!("{}{grid_path}", b.url));
    assert!(grid.contains("Alice") && grid.contains("Bob"), "{grid}");

    drop(b);
    for log in [log_a, log_b] {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(!text.contains(PASSWORD), "{}: {text}", log.display());
    }
}
