//! The reports looked at in a real browser (issue 14, item 8): a candidate report and a
//! session summary of 16 candidates, rendered from the checker's fixtures (the real recorded
//! Linux snapshot and its end-of-lab variant), opened in Debian's headless Chromium.
//!
//! * Measured through chromedriver (WebDriver over loopback, a plain HTTP/1.1 client below;
//!   our pages carry no script, the measuring script is the test's): at 1280 px wide, no
//!   horizontal overflow (`scrollWidth <= 1280`) in either page, and the total is above the
//!   first check of the report.
//! * Printed with `--print-to-pdf` (A4 from the page's `@page`): page count from `pdfinfo`,
//!   and no orphan header: no page of `pdftotext -layout` ends with a heading or a table
//!   header row.
//! * Artefacts kept under `target/browser-artefacts/` (HTML, PNG screenshots, PDFs).
//!
//! Needs root and CONSTAT_REAL_TESTS=1 like the other real tests, and `chromium`,
//! `chromium-driver`, `poppler-utils` (installed by .ci/run).

use constat_checker_core::eval::{
    CandidateInput, GradeOptions, HostFailure, HostObservation, Observed,
};
use constat_checker_core::i18n::Lang;
use constat_checker_core::render::{Audience, RenderOptions, html, session_html};
use constat_checker_core::report::{Report, SessionSummary};
use constat_snapshot::Snapshot;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WIDTH: u32 = 1280;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../checker-core/tests/fixtures")
        .join(name)
}

fn snapshot(name: &str) -> Snapshot {
    let text = std::fs::read_to_string(fixture(&format!("snapshots/{name}"))).expect("fixture");
    Snapshot::from_json(&text).expect("fixture parses")
}

/// Candidate `id` graded with the lab pack; `variant` picks a different state so that the
/// summary shows every colour: 0 = end of lab, 1 = nothing done (the start state),
/// 2 = the host unreachable, 3 = another machine at the end, 5 = sudo refused.
fn graded(id: &str, variant: usize) -> Report {
    let pack_text = std::fs::read_to_string(fixture("packs/lab-linux.yaml")).expect("pack");
    let pack = constat_checker_core::pack::load("lab-linux.yaml", &pack_text).expect("pack");
    let start = snapshot("linux-real.json");
    let end = match variant {
        1 => Observed::Snapshot(Box::new(start.clone())),
        2 => Observed::Unreachable {
            cause: "connexion à 192.0.2.12:22 : délai dépassé (10 s)".to_owned(),
        },
        5 => Observed::Failed {
            failure: HostFailure::SudoRefused,
            cause: "sudo: exam is not in the sudoers file".to_owned(),
        },
        3 => {
            let mut other = snapshot("linux-lab.json");
            other.host.hostname = "autre-vm".to_owned();
            Observed::Snapshot(Box::new(other))
        }
        _ => Observed::Snapshot(Box::new(snapshot("linux-lab.json"))),
    };
    let input = CandidateInput {
        id: id.to_owned(),
        name: Some(format!("Candidat·e {id} Dupont-Lefèvre")),
        variables: BTreeMap::new(),
        expected_identity: Default::default(),
        hosts: BTreeMap::from([(
            "linux".to_owned(),
            HostObservation {
                end,
                start: Some(Observed::Snapshot(Box::new(start))),
            },
        )]),
    };
    constat_checker_core::grade(
        &pack,
        &input,
        &GradeOptions {
            graded_at: "2026-11-23T17:35:00Z".to_owned(),
            profile: None,
            timezone: None,
        },
    )
}

/// Runs a program with a deadline; its output, or a panic naming it.
fn run(program: &str, args: &[&str], deadline: Duration) -> String {
    let mut child = Command::new(program)
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

/// Kills a child started in its own process group, with everything it started (Chromium's
/// renderers and zygote, chromedriver's browser): nothing is left behind, even on failure.
fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// Chromium's flags for a headless run. `--no-sandbox`: Chromium refuses to start as root
/// with its sandbox, and the real tier runs as root; the pages are our own local files.
fn chromium_flags(profile: &Path) -> Vec<String> {
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
        format!("--window-size={WIDTH},900"),
    ]
}

/// A tiny HTTP/1.1 client for chromedriver on loopback (`Connection: close`).
fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> serde_json::Value {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("chromedriver connection");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
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

struct Driver {
    child: Child,
    port: u16,
    session: String,
}

impl Driver {
    fn start(profile: &Path) -> Driver {
        // A free loopback port (the real tier runs under one lock, no one races for it).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new("chromedriver")
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
            "goog:chromeOptions": {"binary": binary, "args": chromium_flags(profile)}
        }}});
        let answer = http(port, "POST", "/session", Some(&caps));
        driver.session = answer["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_owned();
        let rect = serde_json::json!({"width": WIDTH, "height": 900});
        http(
            port,
            "POST",
            &format!("/session/{}/window/rect", driver.session),
            Some(&rect),
        );
        driver
    }

    /// Opens a page and evaluates `script` (its `return` value).
    fn measure(&self, page: &Path, script: &str) -> serde_json::Value {
        let url = serde_json::json!({"url": format!("file://{}", page.display())});
        http(
            self.port,
            "POST",
            &format!("/session/{}/url", self.session),
            Some(&url),
        );
        let body = serde_json::json!({"script": script, "args": []});
        http(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(&body),
        )["value"]
            .clone()
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

/// Lines that must never end a printed page: headings and table header rows (French).
fn orphan_candidates() -> Vec<&'static str> {
    vec![
        "Résultat",
        "À examiner par le jury",
        "Notes du jury",
        "Vérifications échouées ou partielles",
        "Vérifications non évaluables",
        "Vérifications non évaluées",
        "Vérifications réussies",
        "Critères de performance",
        "Compétences",
        "Hôtes",
        "Changements pendant l'épreuve",
        "Annexe : critères à évaluer par le jury",
        "Ce qui a été regardé",
        "Critère",
        "Candidat",
        "Grille candidats × critères",
        "Couverture des critères",
    ]
}

/// Page count and pages that end with a heading or a header row.
fn check_pdf(pdf: &Path) -> (usize, Vec<String>) {
    let info = run(
        "pdfinfo",
        &[pdf.to_str().expect("path")],
        Duration::from_secs(60),
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count");
    let text = run(
        "pdftotext",
        &["-layout", pdf.to_str().expect("path"), "-"],
        Duration::from_secs(60),
    );
    let headings = orphan_candidates();
    let mut orphans = Vec::new();
    for (i, page) in text.split('\u{c}').enumerate().take(pages) {
        // The last line of text, skipping the page number the @page margin box prints.
        let last = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .rfind(|l| {
                !l.chars()
                    .all(|c| c.is_ascii_digit() || c == '/' || c == ' ')
            })
            .unwrap_or_default();
        if headings.iter().any(|h| last.starts_with(h)) {
            orphans.push(format!("page {}: « {last} »", i + 1));
        }
    }
    (pages, orphans)
}

#[test]
fn reports_fit_the_screen_lead_with_the_result_and_print_cleanly() {
    if !constat_tests::real::real_tests_enabled() {
        return;
    }
    constat_tests::real::require_programs(&["chromium", "chromedriver", "pdftotext", "pdfinfo"]);
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-artefacts");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("artefact dir");
    let out = out.canonicalize().expect("artefact dir");
    let profile = tempfile::tempdir().expect("profile dir");
    let options = RenderOptions {
        lang: Lang::Fr,
        audience: Audience::Examiner,
        color: false,
    };
    // A session of 16 candidates, each report beside the summary as `session grade` writes.
    let reports: Vec<Report> = (1..=16)
        .map(|n| graded(&format!("c{n:02}"), if n == 13 { 5 } else { n % 4 }))
        .collect();
    for r in &reports {
        std::fs::write(
            out.join(format!("{}.html", r.candidate.id)),
            html(r, &options),
        )
        .expect("write report");
    }
    let summary = out.join("summary.html");
    std::fs::write(
        &summary,
        session_html(&SessionSummary::from_reports(&reports), &options),
    )
    .expect("write summary");
    // c04 is variant 0 (end of lab: partial, failed, passed checks); c02: nothing done.
    let report = out.join("c04.html");

    let driver = Driver::start(profile.path());
    let m = driver.measure(
        &report,
        "const first = document.querySelector('.check');\
         return [document.documentElement.scrollWidth, window.innerWidth,\
                 document.getElementById('total').getBoundingClientRect().top,\
                 first ? first.getBoundingClientRect().top : -1];",
    );
    let (scroll, inner, total_top, check_top) = (
        m[0].as_f64().expect("scrollWidth"),
        m[1].as_f64().expect("innerWidth"),
        m[2].as_f64().expect("total"),
        m[3].as_f64().expect("first check"),
    );
    assert_eq!(inner, f64::from(WIDTH), "the window is {WIDTH} px wide");
    assert!(scroll <= f64::from(WIDTH), "report overflows: {scroll} px");
    assert!(
        check_top > 0.0 && total_top < check_top,
        "the total ({total_top}) must be above the first check ({check_top})"
    );
    let m = driver.measure(
        &summary,
        "const t = document.getElementById('candidates').getBoundingClientRect();\
         return [document.documentElement.scrollWidth, t.right, t.bottom,\
                 document.querySelectorAll('#candidates tbody tr').length];",
    );
    let (scroll, right, bottom, rows) = (
        m[0].as_f64().expect("scrollWidth"),
        m[1].as_f64().expect("right"),
        m[2].as_f64().expect("bottom"),
        m[3].as_u64().expect("rows"),
    );
    assert_eq!(rows, 16);
    assert!(scroll <= f64::from(WIDTH), "summary overflows: {scroll} px");
    assert!(
        right <= f64::from(WIDTH),
        "summary table ends at {right} px"
    );
    drop(driver);

    // Screenshots and PDFs, kept as artefacts.
    let mut figures = Vec::new();
    for (page, stem) in [(&report, "report"), (&summary, "summary")] {
        let url = format!("file://{}", page.display());
        let png = out.join(format!("{stem}.png"));
        let pdf = out.join(format!("{stem}.pdf"));
        let flags = chromium_flags(profile.path());
        let mut args: Vec<String> = flags.clone();
        args.push(format!("--screenshot={}", png.display()));
        args.push(url.clone());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run("chromium", &args, Duration::from_secs(120));
        assert!(
            png.metadata().map(|m| m.len() > 0).unwrap_or(false),
            "{png:?}"
        );
        let mut args: Vec<String> = flags;
        args.push("--no-pdf-header-footer".to_owned());
        args.push(format!("--print-to-pdf={}", pdf.display()));
        args.push(url);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run("chromium", &args, Duration::from_secs(120));
        let (pages, orphans) = check_pdf(&pdf);
        assert!(pages >= 1, "{pdf:?}: no page");
        assert!(
            orphans.is_empty(),
            "{stem}.pdf: orphan headers: {orphans:?}"
        );
        figures.push(format!("{stem}: {pages} page(s)"));
    }
    // Summary one screen: the 16 rows end within a 1280×900-ish first screen is not asserted
    // (fonts vary); the height is printed for the report.
    println!(
        "artefacts in {}; summary table bottom {bottom} px; {}",
        out.display(),
        figures.join(", ")
    );
}
