//! `constat collect --transport proxmox` end to end against a loopback HTTPS server that
//! replays Proxmox VE API answers: no Proxmox VE runs here (a whole hypervisor distribution,
//! not in Debian). The answers are the recorded `/api2/json` answers of the
//! community.proxmox collection's tests (`systems/testdata/SOURCES.md`). What is tested is
//! the transport: the API token sent as `PVEAPIToken=…` on `GET`s of the documented paths
//! only, the server's certificate verified against the CA file, a guest's refused config
//! said in `hypervisor.unread`; and the hostile cases: a refused token, a wrong certificate,
//! an oversized answer, a server that never answers.

#[path = "support/replay.rs"]
mod replay;

use replay::testdata;

use std::collections::BTreeMap;
use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN_ID: &str = "constat@pve!audit";
const TOKEN_SECRET: &str = "5f3d8c1e-9a2b-4c7d-8e6f-0a1b2c3d4e5f";

/// What a path answers.
#[derive(Clone)]
enum Answer {
    /// Status and body.
    Body(u16, Vec<u8>),
    /// A `Content-Length` this large, and no body.
    Announces(u64),
    /// This many bytes, streamed without a `Content-Length`.
    Streams(usize),
    /// Nothing, ever (the connection stays open).
    Silent,
}

/// One request as received: method, path with its query, `Authorization`.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    authorization: Option<String>,
}

/// A self-signed certificate for 127.0.0.1 made in `dir`: the server's TLS configuration
/// and the certificate's PEM file (the CA file that trusts it).
fn certificate(dir: &Path) -> (Arc<rustls::ServerConfig>, PathBuf) {
    let material =
        constat_serve::tls::load_or_create(dir, vec!["127.0.0.1".into(), "localhost".into()])
            .unwrap();
    (material.config, dir.join("tls/cert.pem"))
}

fn serve_one(
    stream: TcpStream,
    config: Arc<rustls::ServerConfig>,
    answers: &BTreeMap<String, Answer>,
    log: &Mutex<Vec<Seen>>,
) {
    let connection = rustls::ServerConnection::new(config).unwrap();
    let mut tls = rustls::StreamOwned::new(connection, stream);
    let Some(request) = replay::read_request(&mut BufReader::new(&mut tls)) else {
        return;
    };
    log.lock().unwrap().push(Seen {
        authorization: request.header("authorization"),
        method: request.method,
        path: request.target.clone(),
    });
    let answer = answers
        .get(&request.target)
        .cloned()
        .unwrap_or(Answer::Body(
            404,
            b"{\"data\":null,\"message\":\"no such resource\"}".to_vec(),
        ));
    let head = |status: u16, length: Option<u64>| {
        replay::head(status, "application/json;charset=UTF-8", length, None)
    };
    match answer {
        Answer::Body(status, body) => {
            let _ = tls.write_all(head(status, Some(body.len() as u64)).as_bytes());
            let _ = tls.write_all(&body);
        }
        Answer::Announces(size) => {
            let _ = tls.write_all(head(200, Some(size)).as_bytes());
        }
        Answer::Streams(size) => {
            let _ = tls.write_all(head(200, None).as_bytes());
            let block = vec![b' '; 1 << 16];
            let mut sent = 0;
            while sent < size {
                if tls.write_all(&block).is_err() {
                    break;
                }
                sent += block.len();
            }
        }
        Answer::Silent => std::thread::sleep(Duration::from_secs(60)),
    }
    let _ = tls.flush();
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

/// Serves `answers` (path with its query → answer) over HTTPS on loopback until the test
/// ends; records every request.
fn replay(
    config: Arc<rustls::ServerConfig>,
    answers: BTreeMap<String, Answer>,
) -> (u16, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let port = replay::listen(true, move |stream| {
        serve_one(stream, Arc::clone(&config), &answers, &log)
    });
    (port, seen)
}

/// The recorded answers: the guest list and each guest's config.
fn proxmox_answers() -> BTreeMap<String, Answer> {
    let mut a = BTreeMap::new();
    a.insert(
        "/api2/json/cluster/resources?type=vm".to_owned(),
        Answer::Body(
            200,
            testdata(
                "ansible-collections_community.proxmox__api2_json_cluster_resources_type_vm.json",
            ),
        ),
    );
    let configs: serde_json::Value = serde_json::from_slice(&testdata(
        "ansible-collections_community.proxmox__api2_json_nodes_qemu_lxc_config.json",
    ))
    .unwrap();
    for (path, answer) in configs.as_object().unwrap() {
        a.insert(
            path.clone(),
            Answer::Body(200, serde_json::to_vec(answer).unwrap()),
        );
    }
    a
}

fn collect(port: u16, ca_file: &Path, out: &Path, timeout: u64) -> std::process::Output {
    collect_in("en", port, ca_file, out, timeout)
}

fn collect_in(
    lang: &str,
    port: u16,
    ca_file: &Path,
    out: &Path,
    timeout: u64,
) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_constat"))
        .env_remove("CONSTAT_LANG")
        .env("CONSTAT_CRED_PVE", TOKEN_SECRET)
        .args(["--lang", lang, "collect", "--transport", "proxmox"])
        .args(["--address", "127.0.0.1", "--port", &port.to_string()])
        .args(["--user", TOKEN_ID, "--cred", "pve", "--ca-file"])
        .arg(ca_file)
        .args(["--timeout", &timeout.to_string(), "--out"])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn the_guests_and_their_configs_are_read_with_the_token_over_verified_tls() {
    let dir = tempfile::tempdir().unwrap();
    let (config, ca_file) = certificate(&dir.path().join("server"));
    let (port, seen) = replay(config, proxmox_answers());
    let out = dir.path().join("pve.json");
    let whole = std::time::Instant::now();
    let run = collect(port, &ca_file, &out, 60);
    let whole = whole.elapsed().as_millis();
    assert!(run.status.success(), "{run:?}");
    let snap: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    // For BENCHMARKS.md (`-- --nocapture`), printed, never asserted: the exchange (5 requests)
    // and the whole `constat collect` process.
    eprintln!(
        "proxmox replay collection: {} ms, whole process {whole} ms",
        snap["collection"]["duration_ms"]
    );
    assert_eq!(snap["sections"]["hypervisor"]["status"], "collected");
    let h = &snap["sections"]["hypervisor"]["data"];
    let guests = h["guests"].as_array().unwrap();
    assert_eq!(guests.len(), 5);
    assert_eq!(guests[3]["name"], "test-qemu-multi-nic");
    assert_eq!(guests[3]["cpus"], 4);
    assert_eq!(guests[3]["networks"][1]["bridge"], "vmbr1");
    assert!(guests[..4].iter().all(|g| g["config_read"] == true));
    // The template's config is not read (the `vm` kind leaves templates out).
    assert_eq!(guests[4]["template"], true);
    assert_eq!(guests[4]["config_read"], false);
    assert!(h.get("unread").is_none(), "{h}");
    assert_eq!(
        snap["collection"]["transport"], "proxmox api https",
        "{snap}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        !text.contains(TOKEN_SECRET),
        "the token's secret in the snapshot"
    );
    let seen = seen.lock().unwrap().clone();
    let mut paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/api2/json/cluster/resources?type=vm",
            "/api2/json/nodes/testnode/lxc/100/config",
            "/api2/json/nodes/testnode/qemu/101/config",
            "/api2/json/nodes/testnode/qemu/102/config",
            "/api2/json/nodes/testnode/qemu/103/config",
        ]
    );
    assert!(seen.iter().all(|s| s.method == "GET"), "{seen:?}");
    let header = format!("PVEAPIToken={TOKEN_ID}={TOKEN_SECRET}");
    assert!(
        seen.iter()
            .all(|s| s.authorization.as_deref() == Some(header.as_str())),
        "{seen:?}"
    );
}

#[test]
fn a_refused_config_is_said_and_the_other_guests_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (config, ca_file) = certificate(&dir.path().join("server"));
    let mut answers = proxmox_answers();
    answers.insert(
        "/api2/json/nodes/testnode/qemu/102/config".to_owned(),
        Answer::Body(
            403,
            br#"{"data":null,"message":"Permission check failed (/vms/102, VM.Audit)\n"}"#.to_vec(),
        ),
    );
    let (port, _) = replay(config, answers);
    let out = dir.path().join("pve.json");
    let run = collect(port, &ca_file, &out, 60);
    assert!(run.status.success(), "{run:?}");
    let snap: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let h = &snap["sections"]["hypervisor"]["data"];
    assert_eq!(h["guests"][2]["config_read"], false);
    assert_eq!(h["guests"][3]["config_read"], true);
    let unread = h["unread"][0].as_str().unwrap();
    assert!(
        unread.starts_with("qemu/102 on testnode: HTTP 403") && unread.contains("VM.Audit"),
        "{unread}"
    );
}

#[test]
fn a_refused_token_fails_the_host_with_what_to_check() {
    let dir = tempfile::tempdir().unwrap();
    let (config, ca_file) = certificate(&dir.path().join("server"));
    let mut answers = BTreeMap::new();
    answers.insert(
        "/api2/json/cluster/resources?type=vm".to_owned(),
        Answer::Body(401, b"{\"data\":null}".to_vec()),
    );
    let (port, seen) = replay(config, answers);
    let run = collect(port, &ca_file, &dir.path().join("pve.json"), 60);
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("Proxmox VE refused the token constat@pve!audit")
            && err.contains("HTTP 401")
            && err.contains("VM.Audit"),
        "{err}"
    );
    assert!(!err.contains(TOKEN_SECRET), "{err}");
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn a_certificate_the_ca_file_does_not_sign_is_refused_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let (config, _) = certificate(&dir.path().join("server"));
    // Another certificate for the same address: the one the examiner was given.
    let (_, other_ca) = certificate(&dir.path().join("other"));
    let (port, seen) = replay(config, proxmox_answers());
    let run = collect(port, &other_ca, &dir.path().join("pve.json"), 60);
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("the API's TLS certificate was refused") && err.contains("ca_file"),
        "{err}"
    );
    assert!(
        seen.lock().unwrap().is_empty(),
        "a request went out over an unverified connection"
    );
}

#[test]
fn an_oversized_answer_is_refused_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (config, ca_file) = certificate(&dir.path().join("server"));
    for answer in [Answer::Announces(1 << 40), Answer::Streams(65 << 20)] {
        let mut answers = proxmox_answers();
        answers.insert("/api2/json/cluster/resources?type=vm".to_owned(), answer);
        let (port, _) = replay(Arc::clone(&config), answers);
        let run = collect(port, &ca_file, &dir.path().join("pve.json"), 60);
        assert!(!run.status.success());
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(
            err.contains("/api2/json/cluster/resources?type=vm is too large")
                && err.contains("limit 67108864")
                && err.contains("max_output_mib"),
            "{err}"
        );
    }
}

#[test]
fn a_server_that_never_answers_meets_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (config, ca_file) = certificate(&dir.path().join("server"));
    let mut answers = proxmox_answers();
    answers.insert(
        "/api2/json/nodes/testnode/qemu/101/config".to_owned(),
        Answer::Silent,
    );
    let (port, _) = replay(config, answers);
    let run = collect(port, &ca_file, &dir.path().join("pve.json"), 2);
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("the API did not answer within 2 s"), "{err}");
}

use constat_cli::one_language::assert_french_first;

/// Each failure met for real on loopback (nothing listening, a certificate the CA file does
/// not sign, a server that does not speak TLS, a web page instead of the API, an HTTP error)
/// reads in French with `constat collect`'s default language, the library's own text only
/// after « détail », and in English with `--lang en`.
#[test]
fn each_failure_reads_in_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let (config, ca_file) = certificate(&dir.path().join("server"));
    let (_, other_ca) = certificate(&dir.path().join("other"));
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (signed_elsewhere, _) = replay(Arc::clone(&config), proxmox_answers());
    let plain = replay::listen(true, |mut stream| {
        let mut buffer = [0u8; 512];
        let _ = std::io::Read::read(&mut stream, &mut buffer);
        let _ = stream.write_all(b"HTTP/1.0 200 OK\r\n\r\n<html>a web page</html>");
    });
    let web_page = {
        let mut answers = BTreeMap::new();
        answers.insert(
            "/api2/json/cluster/resources?type=vm".to_owned(),
            Answer::Body(200, b"<html>a web page</html>".to_vec()),
        );
        replay(Arc::clone(&config), answers).0
    };
    let server_error = {
        let mut answers = BTreeMap::new();
        answers.insert(
            "/api2/json/cluster/resources?type=vm".to_owned(),
            Answer::Body(500, b"<html>internal error</html>".to_vec()),
        );
        replay(Arc::clone(&config), answers).0
    };
    let cases = [
        ("nothing listens", closed, &ca_file),
        ("certificate signed elsewhere", signed_elsewhere, &other_ca),
        ("no TLS on the port", plain, &ca_file),
        ("a web page", web_page, &ca_file),
        ("HTTP 500", server_error, &ca_file),
    ];
    let mut shown = Vec::new();
    for (what, port, ca) in cases {
        let mut both = Vec::new();
        for lang in ["fr", "en"] {
            let run = collect_in(lang, port, ca, &dir.path().join("pve.json"), 20);
            assert!(!run.status.success(), "{what}");
            let err = String::from_utf8_lossy(&run.stderr).into_owned();
            both.push(
                err.trim_end()
                    .replace(&format!("127.0.0.1:{port}"), "127.0.0.1:[PORT]"),
            );
        }
        assert_french_first(&both[0]);
        shown.push(format!("{what}:\nfr: {}\nen: {}", both[0], both[1]));
    }
    insta::assert_snapshot!(shown.join("\n"));
}
