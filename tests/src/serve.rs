//! Shared steps of the real `constat serve` tests (`serve_class`, `serve_pull`,
//! `serve_postgres`, `serve_browser`): start a server and read the address (and, with TLS,
//! the certificate fingerprint) it prints; create the trainer account with `--create-trainer`
//! (password on stdin); the trainer's browser (`curl` with a cookie jar, in English, in a lab's
//! network namespace when the server runs there) that logs in, creates a class and reads the
//! grid's event stream; a learner's enrolment through `/api/join`; grid rows in a page.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The trainer account every serve test creates.
pub const TRAINER: &str = "Mme Martin";
/// Its password.
pub const PASSWORD: &str = "formateur-2026";

/// How long a server may take to print its address (a debug build on a loaded machine).
const START_WAIT: Duration = Duration::from_secs(60);

/// A running `constat serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// `https://127.0.0.1:PORT` (or `http://` with `--plain-http`), without a final `/`.
    pub url: String,
    /// The certificate's SHA-256 fingerprint (hex) to `--pin`, with TLS.
    pub fingerprint: Option<String>,
    /// The line announcing the address, as printed.
    pub listening: String,
}

impl Server {
    /// The fingerprint; panics when the server was started without TLS.
    pub fn pin(&self) -> &str {
        self.fingerprint
            .as_deref()
            .expect("a server started with TLS")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` (a `constat --lang en serve --listen 127.0.0.1:0 …` command line whose
/// stderr the caller has directed) and reads what it prints first: the address, then with
/// `tls` the fingerprint line. `log` is shown when the server prints nothing.
pub fn start_server(mut command: Command, tls: bool, log: Option<&Path>) -> Server {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .expect("constat serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let lines = lines_of(stdout);
    let shown_log = || {
        log.map(|l| std::fs::read_to_string(l).unwrap_or_default())
            .unwrap_or_default()
    };
    let listening = lines
        .recv_timeout(START_WAIT)
        .unwrap_or_else(|_| panic!("no listening line; log: {}", shown_log()));
    let url = listening
        .split("listening on ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("unexpected first line: {listening}"))
        .trim_end_matches('/')
        .to_owned();
    let fingerprint = tls.then(|| {
        let printed = lines
            .recv_timeout(START_WAIT)
            .unwrap_or_else(|_| panic!("no fingerprint line; log: {}", shown_log()));
        let fingerprint = printed.rsplit(' ').next().unwrap_or_default().to_owned();
        assert!(
            fingerprint.len() == 64 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()),
            "not a fingerprint line: {printed}"
        );
        fingerprint
    });
    Server {
        child,
        url,
        fingerprint,
        listening,
    }
}

/// Each line `from` writes, read on a thread of its own.
fn lines_of(from: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Runs `command` (`constat --lang en serve --create-trainer NAME --data DIR …`) with the
/// password on stdin; answers its output once it succeeded.
pub fn create_trainer(mut command: Command) -> Output {
    let mut create = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("constat serve --create-trainer starts");
    create
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("the password is written");
    let created = create.wait_with_output().expect("it ends");
    assert!(created.status.success(), "{created:?}");
    created
}

/// `command` as `constat --lang en serve --create-trainer TRAINER --data DATA`.
pub fn trainer_command(cli: &Path, data: &Path) -> Command {
    let mut command = crate::daemon::command(cli);
    crate::real::without_user_env(&mut command)
        .args([
            "--lang",
            "en",
            "serve",
            "--create-trainer",
            TRAINER,
            "--data",
        ])
        .arg(data);
    command
}

/// The trainer's browser: `curl` with a cookie jar, reading the pages in English; `-k`
/// because the tests check the pinned fingerprint through `constat check --pin` themselves.
pub struct Browser {
    jar: PathBuf,
    netns: Option<String>,
}

impl Browser {
    /// A browser keeping its cookies in `jar`.
    pub fn new(jar: &Path) -> Browser {
        Browser {
            jar: jar.to_owned(),
            netns: None,
        }
    }

    /// The same browser in the network namespace `netns` (where the server listens).
    pub fn in_netns(jar: &Path, netns: &str) -> Browser {
        Browser {
            jar: jar.to_owned(),
            netns: Some(netns.to_owned()),
        }
    }

    fn command(&self) -> Command {
        match &self.netns {
            Some(ns) => {
                let mut command = Command::new("ip");
                command.args(["netns", "exec", ns, "curl"]);
                command
            }
            None => Command::new("curl"),
        }
    }

    /// `curl ARGS` with the jar; its output (a failed transfer fails the test).
    pub fn curl(&self, args: &[&str]) -> String {
        let out = self
            .command()
            .args([
                "-sSk",
                "--max-time",
                "30",
                "-H",
                "Accept-Language: en",
                "-c",
            ])
            .arg(&self.jar)
            .arg("-b")
            .arg(&self.jar)
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

    /// `GET url`: the page.
    pub fn get(&self, url: &str) -> String {
        self.curl(&[url])
    }

    /// Posts the form `fields` to `url`; answers `%{http_code} %{redirect_url}`.
    pub fn post(&self, url: &str, fields: &[(&str, &str)]) -> String {
        let mut args = vec![
            "-o".to_owned(),
            "/dev/null".to_owned(),
            "-w".to_owned(),
            "%{http_code} %{redirect_url}".to_owned(),
        ];
        for (name, value) in fields {
            args.push("--data-urlencode".to_owned());
            args.push(format!("{name}={value}"));
        }
        args.push(url.to_owned());
        self.curl(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Posts `fields` to `url` with the CSRF token of the page `form_page` shows; answers
    /// `%{http_code} %{redirect_url}`.
    pub fn submit_form(&self, form_page: &str, url: &str, fields: &[(&str, &str)]) -> String {
        let page = self.get(form_page);
        let csrf = csrf_of(&page);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(url, &all)
    }

    /// Logs in as [`TRAINER`] on `server_url`.
    pub fn login(&self, server_url: &str) {
        let login = format!("{server_url}/login");
        let answer = self.submit_form(&login, &login, &[("name", TRAINER), ("password", PASSWORD)]);
        assert!(
            answer.starts_with("303") && answer.ends_with("/classes"),
            "login: {answer}"
        );
    }

    /// Creates a class graded by `pack`; answers its grid's path (`/classes/ID`).
    pub fn create_class(&self, server_url: &str, name: &str, pack: &str) -> String {
        let classes = format!("{server_url}/classes");
        let answer = self.submit_form(&classes, &classes, &[("name", name), ("pack", pack)]);
        answer
            .split(server_url)
            .nth(1)
            .filter(|path| path.starts_with("/classes/"))
            .unwrap_or_else(|| panic!("no class: {answer}"))
            .to_owned()
    }

    /// The grid's live stream (`GET …/events`), read on a thread of its own; returns once the
    /// stream opened.
    pub fn events(&self, url: &str) -> EventStream {
        let mut child = self
            .command()
            .args(["-sSkN", "--max-time", "300", "-b"])
            .arg(&self.jar)
            .arg(url)
            .stdout(Stdio::piped())
            .spawn()
            .expect("curl runs");
        let mut out = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0
                    || tx
                        .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                        .is_err()
                {
                    break;
                }
            }
        });
        let stream = EventStream {
            child,
            rx,
            received: String::new(),
        };
        let opened = stream
            .rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the stream opens");
        assert!(opened.starts_with(':'), "{opened}");
        stream
    }
}

/// A grid's event stream being read; the `curl` reading it is killed when dropped.
pub struct EventStream {
    child: Child,
    rx: mpsc::Receiver<String>,
    /// What arrived so far (since the last [`EventStream::clear`]).
    pub received: String,
}

impl EventStream {
    /// Reads until `done(received)` holds; panics with what arrived after `wait`.
    pub fn wait_for(&mut self, what: &str, wait: Duration, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + wait;
        while !done(&self.received) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(chunk) => self.received.push_str(&chunk),
                Err(_) => panic!("{what} did not arrive: {}", self.received),
            }
        }
    }

    /// Reads until the row of learner `id` arrives.
    pub fn wait_row(&mut self, id: i64) {
        let row = format!("<tr id=\"learner-{id}\"");
        self.wait_for(
            &format!("the row of learner {id}"),
            Duration::from_secs(60),
            |r| r.contains(&row),
        );
    }

    /// Forgets what arrived so far.
    pub fn clear(&mut self) {
        self.received.clear();
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The CSRF token of the first form of `html`.
pub fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no CSRF token in {html}"))
        .to_owned()
}

/// The enrolment code a grid page shows.
pub fn code_of(grid: &str) -> String {
    grid.split("<p class=\"code\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("no enrolment code in {grid}"))
        .to_owned()
}

/// The grid row of the learner named `name` in `html` (a page or an event).
pub fn row_of<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    html.split("<tr id=\"learner-")
        .skip(1)
        .map(|row| row.split("</tr>").next().unwrap_or(row))
        .find(|row| row.contains(&format!(">{name}</a>")))
}

/// A learner enrolled through `POST /api/join` (as `constat check --join` does).
pub struct Enrolled {
    /// Learner id (the grid row is `learner-ID`).
    pub id: i64,
    /// The signing key file written in the test's directory.
    pub key: PathBuf,
    /// The whole answer.
    pub answer: serde_json::Value,
}

/// Enrols `name` in the class `code` of `server_url`; the key is written in `dir`.
pub fn enrol(server_url: &str, code: &str, name: &str, dir: &Path) -> Enrolled {
    let body = serde_json::json!({ "code": code, "name": name }).to_string();
    let out = Command::new("curl")
        .args([
            "-sSk",
            "--max-time",
            "30",
            "-H",
            "Content-Type: application/json",
        ])
        .args(["--data", &body])
        .arg(format!("{server_url}/api/join"))
        .output()
        .expect("curl runs");
    assert!(out.status.success(), "{out:?}");
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    let key = dir.join(format!("{name}.key"));
    std::fs::write(&key, answer["key"].as_str().expect("a key")).expect("the key is written");
    Enrolled {
        id: answer["learner"].as_i64().expect("a learner id"),
        key,
        answer,
    }
}

/// `constat check --pack lab-cp3-linux --submit URL --class CODE --key KEY --pin PIN` (the
/// real agent collecting this machine).
pub fn submit(cli: &Path, server_url: &str, code: &str, key: &Path, pin: &str) -> Output {
    crate::real::without_user_env(&mut Command::new(cli))
        .args([
            "--lang",
            "en",
            "--color",
            "never",
            "check",
            "--pack",
            "lab-cp3-linux",
            "--submit",
            server_url,
            "--class",
            code,
            "--key",
        ])
        .arg(key)
        .args(["--pin", pin])
        .output()
        .expect("constat check runs")
}

/// Submits until the server takes it: a learner may submit once every 2 s (the limit is in
/// the store, shared by every instance), so a submission refused as too soon is sent again,
/// at most 40 times. Any other refusal fails the test.
pub fn submit_accepted(cli: &Path, server_url: &str, code: &str, key: &Path, pin: &str) {
    for _ in 0..40 {
        let out = submit(cli, server_url, code, key, pin);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if matches!(out.status.code(), Some(0 | 1))
            && stdout.contains(&format!("sent to {server_url}"))
        {
            return;
        }
        assert!(
            stderr.contains("Too many submissions"),
            "refused for another reason: {out:?}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("still too soon after 40 tries");
}
