//! Debian's headless Chromium driven through chromedriver (WebDriver over loopback, a plain
//! HTTP/1.1 client below), and the helpers of the browser tests: running a program with a
//! deadline, killing a process group. Every process started here runs in its own process
//! group, killed whole on drop (Chromium's renderers and zygote too), even on failure.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The window's width of every browser test.
pub const WIDTH: u32 = 1280;
/// The window height: one laptop screen.
pub const HEIGHT: u32 = 900;

/// The key of an element reference in W3C WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52f-4a5d1c6e6f6f";

/// Runs a program with a deadline; its output, or a panic naming it.
pub fn run(program: &str, args: &[&str], deadline: Duration) -> String {
    let mut child = crate::daemon::command(program)
        .args(args)
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e} (installed by .ci/run)"));
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut out = String::new();
            let mut err = String::new();
            if let Some(mut s) = child.stdout.take() {
                let _ = s.read_to_string(&mut out);
            }
            if let Some(mut s) = child.stderr.take() {
                let _ = s.read_to_string(&mut err);
            }
            assert!(status.success(), "{program} {args:?}: {status}\n{err}");
            return out;
        }
        if start.elapsed() > deadline {
            kill_group(&mut child);
            panic!("{program} {args:?}: still running after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Kills a child started in its own process group, with everything it started.
pub fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// Chromium's flags for a headless run. `--no-sandbox`: Chromium refuses to start as root
/// with its sandbox, and the real tier runs as root; the pages are our own, on loopback.
pub fn chromium_flags(profile: &Path) -> Vec<String> {
    vec![
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--hide-scrollbars".to_owned(),
        "--no-first-run".to_owned(),
        // No crash reporter: it would write under the root user's ~/.config and outlive us.
        "--disable-crash-reporter".to_owned(),
        "--disable-breakpad".to_owned(),
        format!("--user-data-dir={}", profile.display()),
        format!("--window-size={WIDTH},{HEIGHT}"),
    ]
}

/// One WebDriver call to chromedriver on loopback (`Connection: close`); its JSON answer.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> serde_json::Value {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("chromedriver connection");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("request");
    // chromedriver keeps the connection open: read the head, then Content-Length bytes.
    let mut raw = Vec::new();
    let mut buf = [0_u8; 8192];
    let (head, body_start) = loop {
        let n = stream.read(&mut buf).expect("response");
        assert!(
            n > 0,
            "chromedriver {method} {path}: connection closed early"
        );
        raw.extend_from_slice(&buf[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break (String::from_utf8_lossy(&raw[..end]).into_owned(), end + 4);
        }
    };
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or_else(|| panic!("chromedriver {method} {path}: no Content-Length: {head}"));
    while raw.len() < body_start + length {
        let n = stream.read(&mut buf).expect("response body");
        assert!(n > 0, "chromedriver {method} {path}: body cut");
        raw.extend_from_slice(&buf[..n]);
    }
    let body = String::from_utf8_lossy(&raw[body_start..body_start + length]).into_owned();
    let value: serde_json::Value = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("chromedriver {method} {path}: {e}: {body}"));
    assert!(
        head.starts_with("HTTP/1.1 200"),
        "chromedriver {method} {path}: {head}\n{value}"
    );
    value
}

/// A chromedriver with one browser session.
pub struct Driver {
    child: Child,
    port: u16,
    session: String,
}

impl Driver {
    /// Starts chromedriver and a headless Chromium with its profile in `profile`, French
    /// first in `Accept-Language`. Certificate errors are accepted: the servers under test
    /// use self-signed certificates (their pin is checked by the tests themselves).
    pub fn start(profile: &Path) -> Driver {
        // A free loopback port (the real tier runs under one lock, no one races for it).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = crate::daemon::command("chromedriver")
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (package chromium-driver, installed by .ci/run)");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut driver = Driver {
            child,
            port,
            session: String::new(),
        };
        // chromedriver needs the browser itself: Debian's /usr/bin/chromium is a shell
        // launcher, through which the session never starts.
        let binary = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("chromium installed");
        let caps = serde_json::json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {
                "binary": binary,
                "args": chromium_flags(profile),
                "prefs": {"intl.accept_languages": "fr-FR,fr"}
            }
        }}});
        let answer = http(port, "POST", "/session", Some(&caps));
        driver.session = answer["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_owned();
        driver.resize(WIDTH, HEIGHT);
        driver
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> serde_json::Value {
        http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        )["value"]
            .clone()
    }

    /// Sets the window's size.
    pub fn resize(&self, width: u32, height: u32) {
        let rect = serde_json::json!({"width": width, "height": height});
        self.call("POST", "/window/rect", Some(&rect));
    }

    /// Opens `url` (returns once it is loaded).
    pub fn open(&self, url: &str) {
        self.call("POST", "/url", Some(&serde_json::json!({ "url": url })));
    }

    /// Evaluates `script` (a function body: `arguments`, `return`) in the page.
    pub fn execute(&self, script: &str, args: &[serde_json::Value]) -> serde_json::Value {
        let body = serde_json::json!({"script": script, "args": args});
        self.call("POST", "/execute/sync", Some(&body))
    }

    /// Evaluates an asynchronous `script`: it calls `arguments[arguments.length - 1]` with
    /// its result (a `fetch`, for instance).
    pub fn execute_async(&self, script: &str, args: &[serde_json::Value]) -> serde_json::Value {
        let body = serde_json::json!({"script": script, "args": args});
        self.call("POST", "/execute/async", Some(&body))
    }

    /// The element `css` selects (the test fails when there is none).
    pub fn find(&self, css: &str) -> String {
        let query = serde_json::json!({"using": "css selector", "value": css});
        // W3C answers `{ELEMENT: id}`; an older dialect `{"ELEMENT": id}`.
        let found = self.call("POST", "/element", Some(&query));
        found
            .get(ELEMENT)
            .or_else(|| found.get("ELEMENT"))
            .or_else(|| found.as_object().and_then(|o| o.values().next()))
            .and_then(serde_json::Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned()
    }

    /// Types `text` into the element `css` selects.
    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(&serde_json::json!({ "text": text })),
        );
    }

    /// Clicks the element `css` selects.
    pub fn click(&self, css: &str) {
        let element = self.find(css);
        self.call(
            "POST",
            &format!("/element/{element}/click"),
            Some(&serde_json::json!({})),
        );
    }

    /// Waits until `script` returns something other than `null`/`false`; that value.
    pub fn wait_for(
        &self,
        what: &str,
        script: &str,
        args: &[serde_json::Value],
    ) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let value = self.execute(script, args);
            if !(value.is_null() || value == serde_json::Value::Bool(false)) {
                return value;
            }
            if Instant::now() > deadline {
                let (text, _) = self.page();
                panic!("waited 60 s for {what}; the page says:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The page's text (`document.body.innerText`) and markup.
    pub fn page(&self) -> (String, String) {
        let both = self.execute(
            "return [document.body.innerText, document.documentElement.outerHTML];",
            &[],
        );
        (
            both[0].as_str().unwrap_or_default().to_owned(),
            both[1].as_str().unwrap_or_default().to_owned(),
        )
    }

    /// The window's screenshot (PNG bytes).
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine;
        let data = self.call("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("screenshot"))
            .expect("screenshot is base64")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = std::panic::catch_unwind(|| {
                http(
                    self.port,
                    "DELETE",
                    &format!("/session/{}", self.session),
                    None,
                )
            });
        }
        kill_group(&mut self.child);
    }
}
