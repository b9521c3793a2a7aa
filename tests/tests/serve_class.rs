//! `constat serve` for real (issue 17): the server started as the trainer starts it (TLS
//! with its self-signed certificate, on loopback), a trainer account created with
//! `--create-trainer` (password on stdin), a class created through the web forms (login,
//! CSRF), two learners enrolled who submit with the real agent (`constat check --submit
//! --pin`, collecting this machine as root), and the trainer's grid stream (Server-Sent
//! Events) receiving each learner's row. A wrong `--pin` is refused before anything is sent.
//!
//! The trainer's browser is `curl` (cookie jar, `-N` for the stream; `-k` because the test
//! itself checks the pinned fingerprint through `constat check --pin`). Needs root and
//! CONSTAT_REAL_TESTS=1 like the other real tests.

use constat_tests::real::{cli_binary, real_tests_enabled};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    url: String,
    fingerprint: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(data: &Path) -> Server {
    let mut child = constat_tests::daemon::command(cli_binary())
        .args(["--lang", "en", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
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
        .expect("listening line");
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
    assert_eq!(fingerprint.len(), 64, "{printed}");
    Server {
        child,
        url,
        fingerprint,
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

fn submit(server: &Server, code: &str, key: &Path, pin: &str) -> std::process::Output {
    Command::new(cli_binary())
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
        .args(["--pin", pin])
        .output()
        .expect("constat check runs")
}

#[test]
fn a_class_grid_receives_the_real_agents_submissions_live() {
    if !real_tests_enabled() {
        return;
    }
    let began = Instant::now();
    let step = |what: &str| eprintln!("[{:>6.1} s] {what}", began.elapsed().as_secs_f64());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let jar = dir.path().join("cookies");

    // The trainer account, password on stdin.
    let mut create = Command::new(cli_binary())
        .args([
            "--lang",
            "en",
            "serve",
            "--create-trainer",
            "Mme Martin",
            "--data",
        ])
        .arg(&data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
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
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(data.join("constat.sqlite"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the database is private");

    step("trainer created");
    let server = start_server(&data);
    step("server listening");
    let login = curl(&jar, &[&format!("{}/login", server.url)]);
    let csrf = csrf_of(&login);
    let answer = curl(
        &jar,
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{redirect_url}",
            "--data-urlencode",
            &format!("csrf={csrf}"),
            "--data-urlencode",
            "name=Mme Martin",
            "--data-urlencode",
            "password=formateur-2026",
            &format!("{}/login", server.url),
        ],
    );
    assert!(
        answer.starts_with("303") && answer.ends_with("/classes"),
        "{answer}"
    );
    let classes = curl(&jar, &[&format!("{}/classes", server.url)]);
    let csrf = csrf_of(&classes);
    let answer = curl(
        &jar,
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{redirect_url}",
            "--data-urlencode",
            &format!("csrf={csrf}"),
            "--data-urlencode",
            "name=TSSR décembre",
            "--data-urlencode",
            "pack=lab-cp3-linux",
            &format!("{}/classes", server.url),
        ],
    );
    let grid_path = answer
        .split(&server.url)
        .nth(1)
        .unwrap_or_else(|| panic!("no class: {answer}"))
        .to_owned();
    let grid = curl(&jar, &[&format!("{}{grid_path}", server.url)]);
    let code = grid
        .split("<p class=\"code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        grid.contains(&server.fingerprint),
        "the grid shows the fingerprint to pin"
    );

    // The grid's live stream, read on its own thread.
    let mut stream = Command::new("curl")
        .args(["-sSkN", "--max-time", "300", "-b"])
        .arg(&jar)
        .arg(format!("{}{grid_path}/events", server.url))
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

    for name in ["Alice", "Bob"] {
        let joined = curl(
            &jar,
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
        let key = dir.path().join(format!("{name}.key"));
        std::fs::write(&key, value["key"].as_str().unwrap()).unwrap();

        step(&format!("{name} enrolled"));
        let wrong = submit(&server, &code, &key, &"0".repeat(64));
        assert_eq!(wrong.status.code(), Some(2), "{wrong:?}");
        assert!(
            String::from_utf8_lossy(&wrong.stderr).contains("not the pinned"),
            "{}",
            String::from_utf8_lossy(&wrong.stderr)
        );

        step("wrong pin refused");
        let sent = submit(&server, &code, &key, &server.fingerprint);
        step("submitted");
        let stdout = String::from_utf8_lossy(&sent.stdout);
        assert!(matches!(sent.status.code(), Some(0 | 1)), "{sent:?}");
        assert!(
            stdout.contains(&format!("sent to {}", server.url)),
            "{stdout}"
        );

        let deadline = Instant::now() + Duration::from_secs(60);
        let mut received = String::new();
        while !(received.contains("event: row") && received.contains(name)) {
            let left = deadline.saturating_duration_since(Instant::now());
            received.push_str(
                &rx.recv_timeout(left)
                    .unwrap_or_else(|_| panic!("no row for {name}: {received}")),
            );
        }
        assert!(
            received.contains(&format!("<tr id=\"learner-{}\"", value["learner"])),
            "{received}"
        );
        step("row received");
    }
    let _ = stream.kill();
    let _ = stream.wait();
    let jury = curl(
        &jar,
        &[&format!("{}{grid_path}/export/jury.csv", server.url)],
    );
    assert!(jury.contains("Alice") && jury.contains("Bob"), "{jury}");
}
