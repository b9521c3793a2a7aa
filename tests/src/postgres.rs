//! A PostgreSQL 15 cluster of its own for the real tier (`constat serve --database`): a new
//! cluster (`initdb`, owned by `postgres`) in a run directory under /var/tmp/constat-tests,
//! listening on 127.0.0.1 only, on a free port of its own, with SCRAM password
//! authentication over TCP for the role [`ROLE`] (TLS on when asked, with a self-signed
//! certificate); the superuser reaches it through the run directory's Unix socket. Stopped and removed on drop; the leftovers of an earlier run that
//! died (its test process gone) are stopped and removed first, so a machine that already
//! ran it runs it again the same way.

use crate::daemon;
use crate::shell::{self, sh};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

const CACHE_DIR: &str = "/var/tmp/constat-tests";
const PGB: &str = "/usr/lib/postgresql/15/bin";
const RUN_PREFIX: &str = "pg-run-";
/// The role `constat serve` logs in as.
pub const ROLE: &str = "constat";
/// Its password (given to `constat serve` through `PGPASSWORD`).
pub const PASSWORD: &str = "Base-partagee-2026";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A running cluster.
pub struct PgCluster {
    dir: PathBuf,
    /// Its TCP port on 127.0.0.1.
    pub port: u16,
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Stops and removes the clusters of test processes that are gone.
fn remove_stale() {
    let Ok(entries) = std::fs::read_dir(CACHE_DIR) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(RUN_PREFIX) else {
            continue;
        };
        let owner = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if owner.is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists()) {
            continue;
        }
        let data = entry.path().join("pg");
        if data.join("postmaster.pid").exists() {
            let data = data.display().to_string();
            let pg_ctl = format!("{PGB}/pg_ctl");
            let _ = as_postgres(
                "stop a stale cluster",
                &[&pg_ctl, "-D", &data, "-m", "immediate", "-w", "stop"],
            );
        }
        let _ = std::fs::remove_dir_all(entry.path());
    }
}

/// Runs `argv` as the `postgres` user (`runuser`: no shell, no quoting), with no inherited
/// descriptor but the standard ones; its stdout.
fn as_postgres(what: &str, argv: &[&str]) -> Result<String, String> {
    shell::output(
        what,
        daemon::command("runuser")
            .args(["-u", "postgres", "--"])
            .args(argv),
    )
}

impl PgCluster {
    /// Creates and starts a cluster with the role [`ROLE`] and its database `constat`.
    pub fn start() -> Result<PgCluster, String> {
        PgCluster::start_with(false)
    }

    /// The same with TLS on (`ssl = on`, a self-signed certificate made with `openssl`).
    pub fn start_with_tls() -> Result<PgCluster, String> {
        PgCluster::start_with(true)
    }

    /// The same with TLS on and a certificate for `localhost` only (no IP address in it)
    /// signed by a CA the test makes with `openssl` ([`PgCluster::ca_file`]); another CA,
    /// which signed nothing of the server's, is at [`PgCluster::other_ca_file`].
    pub fn start_with_ca() -> Result<PgCluster, String> {
        let cluster = PgCluster::start_with(false)?;
        let d = cluster.dir.display().to_string();
        let openssl = |what: &str, args: &[&str]| {
            let mut argv = vec!["openssl"];
            argv.extend_from_slice(args);
            as_postgres(what, &argv)
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        for (name, subject) in [
            ("ca", "/CN=constat test CA"),
            ("other-ca", "/CN=another CA"),
        ] {
            let mut args = vec!["req", "-x509"];
            args.extend_from_slice(&ec);
            let key = format!("{d}/{name}.key");
            let crt = format!("{d}/{name}.crt");
            args.extend_from_slice(&[
                "-days",
                "2",
                "-subj",
                subject,
                "-keyout",
                &key,
                "-out",
                &crt,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]);
            openssl("make a CA", &args)?;
        }
        let mut args = vec!["req"];
        args.extend_from_slice(&ec);
        let (key, csr) = (format!("{d}/server.key"), format!("{d}/server.csr"));
        args.extend_from_slice(&["-subj", "/CN=localhost", "-keyout", &key, "-out", &csr]);
        openssl("make the server's key", &args)?;
        let ext = format!("{d}/server.ext");
        std::fs::write(
            &ext,
            "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
        )
        .map_err(|e| format!("{ext}: {e}"))?;
        openssl(
            "sign the server's certificate",
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                &format!("{d}/ca.crt"),
                "-CAkey",
                &format!("{d}/ca.key"),
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                &ext,
                "-out",
                &format!("{d}/server.crt"),
            ],
        )?;
        // One statement a call: ALTER SYSTEM refuses to run in psql's implicit transaction.
        for setting in [
            format!("ssl_cert_file = '{d}/server.crt'"),
            format!("ssl_key_file = '{d}/server.key'"),
            "ssl = on".to_owned(),
        ] {
            cluster.psql("postgres", &format!("ALTER SYSTEM SET {setting}"))?;
        }
        cluster.psql("postgres", "SELECT pg_reload_conf()")?;
        // The reload is asynchronous: wait until the server says TLS is on.
        for _ in 0..100 {
            if cluster.psql("postgres", "SHOW ssl")?.trim() == "on" {
                return Ok(cluster);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Err(format!("ssl did not turn on: {}", cluster.log()))
    }

    /// The CA that signed the server's certificate ([`PgCluster::start_with_ca`]).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    /// A CA that signed nothing of the server's.
    pub fn other_ca_file(&self) -> PathBuf {
        self.dir.join("other-ca.crt")
    }

    /// `url` with `localhost` as the host (the name in [`PgCluster::start_with_ca`]'s
    /// certificate).
    pub fn url_by_name(&self, db: &str) -> String {
        format!("postgres://{ROLE}@localhost:{}/{db}", self.port)
    }

    fn start_with(tls: bool) -> Result<PgCluster, String> {
        if !Path::new(PGB).join("initdb").exists() {
            return Err(format!(
                "{PGB}/initdb is missing: install postgresql (see the package list in .ci/run)"
            ));
        }
        std::fs::create_dir_all(CACHE_DIR).map_err(|e| format!("{CACHE_DIR}: {e}"))?;
        remove_stale();
        let unique = format!(
            "{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let cluster = PgCluster {
            dir: Path::new(CACHE_DIR).join(format!("{RUN_PREFIX}{unique}")),
            port: free_port()?,
        };
        let d = cluster.dir.display().to_string();
        sh(
            "prepare the run directory",
            &format!("set -e; mkdir -p '{d}'; chmod 0755 '{d}'; chown postgres '{d}'"),
        )?;
        as_postgres(
            "initdb",
            &[
                &format!("{PGB}/initdb"),
                "-D",
                &format!("{d}/pg"),
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ],
        )?;
        let mut options = format!(
            "-p {} -k {d} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            cluster.port
        );
        if tls {
            as_postgres(
                "make a certificate",
                &[
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=localhost",
                    "-keyout",
                    &format!("{d}/server.key"),
                    "-out",
                    &format!("{d}/server.crt"),
                ],
            )?;
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={d}/server.crt -c ssl_key_file={d}/server.key"
            ));
        }
        as_postgres(
            "start PostgreSQL",
            &[
                &format!("{PGB}/pg_ctl"),
                "-D",
                &format!("{d}/pg"),
                "-o",
                &options,
                "-l",
                &format!("{d}/pg.log"),
                "-w",
                "start",
            ],
        )?;
        cluster.psql(
            "postgres",
            &format!("CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'"),
        )?;
        cluster.create_database("constat")?;
        Ok(cluster)
    }

    /// A new empty database owned by [`ROLE`].
    pub fn create_database(&self, name: &str) -> Result<(), String> {
        self.psql("postgres", &format!("CREATE DATABASE {name} OWNER {ROLE}"))
            .map(drop)
    }

    /// `postgres://constat@127.0.0.1:PORT/DB` (no password: it goes in `PGPASSWORD`).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{db}", self.port)
    }

    /// Runs `sql` in `db` as the superuser (Unix socket); unaligned tuples-only output.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String, String> {
        let d = self.dir.display().to_string();
        let port = self.port.to_string();
        as_postgres(
            "psql",
            &[
                "/usr/bin/psql",
                "-X",
                "-q",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                &d,
                "-p",
                &port,
                "-d",
                db,
                "-c",
                sql,
            ],
        )
    }

    /// The server's log so far (for a failing test's message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("pg.log")).unwrap_or_default()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let d = self.dir.display().to_string();
        let _ = as_postgres(
            "stop PostgreSQL",
            &[
                &format!("{PGB}/pg_ctl"),
                "-D",
                &format!("{d}/pg"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
