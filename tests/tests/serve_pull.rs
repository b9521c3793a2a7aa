//! Pull mode of `constat serve` for real (issue 17): the server runs in a lab's client
//! namespace (as `tests/session_ssh.rs` makes it: a bridge, no default route) with the lab's
//! key given by `--pull-key`; a trainer attaches an inventory of three learners' VMs — one
//! real sshd (root by key), one dead (its sshd never started: connection refused), one hung
//! (its sshd frozen: the TCP connection opens, nothing answers) — and presses « pull now ».
//! The grid's event stream receives each learner's row: the first graded by the class's
//! pack, the two others failed with their cause, and the class is not held up by them past
//! the inventory's connect time limit. Nothing is left in the good host's /tmp, and the
//! inventory page never shows a secret. Needs root and CONSTAT_REAL_TESTS=1.

use constat_tests::sshhost::{Lab, real_tests_enabled, workspace_binary};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TOOLS: &[&str] = &["ip", "sshd", "ssh-keygen", "unshare", "curl"];

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

fn start_server(lab: &Lab, data: &Path, agent: &Path) -> Server {
    let mut child = lab
        .client_command(&workspace_binary("constat"))
        .args([
            "--lang",
            "en",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--plain-http",
        ])
        .arg("--data")
        .arg(data)
        .arg("--pull-key")
        .arg(&lab.client_key)
        .env("CONSTAT_AGENT_BIN", agent)
        .env("CONSTAT_CRED_LAB_SECRET", "Never-Shown-2026")
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
    Server { child, url }
}

/// `curl` in the lab's client namespace (where the server listens), with a cookie jar.
fn curl(lab: &Lab, jar: &Path, args: &[&str]) -> String {
    let out = Command::new("ip")
        .args([
            "netns",
            "exec",
            &lab.client_ns,
            "curl",
            "-sS",
            "--max-time",
            "30",
            // The pages in English, as the server's --lang (a reader's choice).
            "-H",
            "Accept-Language: en",
            "-c",
        ])
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

/// The grid row of the learner named `name` in `html` (a page or an event).
fn row_of<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    html.split("<tr id=\"learner-")
        .skip(1)
        .map(|row| row.split("</tr>").next().unwrap_or(row))
        .find(|row| row.contains(&format!(">{name}</a>")))
}

#[test]
fn a_pull_grades_the_live_vm_and_shows_the_dead_and_hung_ones_with_their_cause() {
    if !real_tests_enabled(TOOLS) {
        return;
    }
    let began = Instant::now();
    let step = |what: &str| eprintln!("[{:>6.1} s] {what}", began.elapsed().as_secs_f64());
    let agent = workspace_binary("constat-agent");
    let mut lab = Lab::new();
    for _ in 0..3 {
        lab.add_host(Vec::new());
    }
    lab.start(0);
    lab.start(2);
    lab.set_frozen(2, true);
    let data = lab.dir.join("data");
    let jar = lab.dir.join("cookies");

    let mut create = Command::new(workspace_binary("constat"))
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
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    create
        .stdin
        .take()
        .unwrap()
        .write_all(b"formateur-2026\n")
        .unwrap();
    assert!(create.wait().unwrap().success());
    let server = start_server(&lab, &data, &agent);
    step("server listening");

    let login = curl(&lab, &jar, &[&format!("{}/login", server.url)]);
    let answer = curl(
        &lab,
        &jar,
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--data-urlencode",
            &format!("csrf={}", csrf_of(&login)),
            "--data-urlencode",
            "name=Mme Martin",
            "--data-urlencode",
            "password=formateur-2026",
            &format!("{}/login", server.url),
        ],
    );
    assert_eq!(answer, "303");
    let classes = curl(&lab, &jar, &[&format!("{}/classes", server.url)]);
    let answer = curl(
        &lab,
        &jar,
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{redirect_url}",
            "--data-urlencode",
            &format!("csrf={}", csrf_of(&classes)),
            "--data-urlencode",
            "name=TSSR pull",
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

    // The inventory names the key by its file name and a credential by its name.
    let key_name = lab.client_key.file_name().unwrap().to_string_lossy();
    let inventory = format!(
        "session: {{ id: pull-{id}, referentiel: TSSR }}
settings: {{ concurrency: 3, connect_timeout_s: 3, host_timeout_s: 60 }}
defaults:
  linux: {{ transport: ssh, address: '10.203.{net}.${{ip}}', user: root, key: {key_name} }}
candidates:
  - {{ id: c01, name: Alice Live, vars: {{ ip: '10' }} }}
  - {{ id: c02, name: Bob Dead, vars: {{ ip: '11' }} }}
  - id: c03
    name: Carol Hung
    vars: {{ ip: '12' }}
    hosts: {{ linux: {{ cred: lab-secret }} }}
",
        id = lab.id,
        net = lab.subnet,
    );
    let pull_page = curl(&lab, &jar, &[&format!("{}{grid_path}/pull", server.url)]);
    let attached = curl(
        &lab,
        &jar,
        &[
            "-L",
            "--data-urlencode",
            &format!("csrf={}", csrf_of(&pull_page)),
            "--data-urlencode",
            "source=lab.yaml",
            "--data-urlencode",
            &format!("inventory={inventory}"),
            &format!("{}{grid_path}/pull/inventory", server.url),
        ],
    );
    assert!(!attached.contains("class=\"error\""), "{attached}");
    for shown in [
        "Alice Live",
        "Bob Dead",
        "Carol Hung",
        "credential lab-secret",
    ] {
        assert!(attached.contains(shown), "{shown}: {attached}");
    }
    assert!(
        !attached.contains("Never-Shown-2026"),
        "a password is shown"
    );
    step("inventory attached");

    // A wrong key name is refused with validate's diagnostics.
    let refused = curl(
        &lab,
        &jar,
        &[
            "--data-urlencode",
            &format!("csrf={}", csrf_of(&attached)),
            "--data-urlencode",
            &format!(
                "inventory={}",
                inventory.replace(&*key_name, "id_rsa_of_someone")
            ),
            &format!("{}{grid_path}/pull/inventory", server.url),
        ],
    );
    assert!(
        refused.contains("the key id_rsa_of_someone is not a key given to the server"),
        "{refused}"
    );

    // The grid's live stream.
    let mut stream = Command::new("ip")
        .args([
            "netns",
            "exec",
            &lab.client_ns,
            "curl",
            "-sSN",
            "--max-time",
            "120",
            "-b",
        ])
        .arg(&jar)
        .arg(format!("{}{grid_path}/events", server.url))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut events = stream.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
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

    let grid = curl(&lab, &jar, &[&format!("{}{grid_path}", server.url)]);
    let pressed = Instant::now();
    let answer = curl(
        &lab,
        &jar,
        &[
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{redirect_url}",
            "--data-urlencode",
            &format!("csrf={}", csrf_of(&grid)),
            &format!("{}{grid_path}/pull", server.url),
        ],
    );
    assert!(
        answer.starts_with("303") && answer.ends_with(&grid_path),
        "{answer}"
    );
    step("pull started");

    let deadline = Instant::now() + Duration::from_secs(90);
    let mut received = String::new();
    while ["Alice Live", "Bob Dead", "Carol Hung"]
        .iter()
        .any(|name| row_of(&received, name).is_none())
    {
        let left = deadline.saturating_duration_since(Instant::now());
        received.push_str(
            &rx.recv_timeout(left)
                .unwrap_or_else(|_| panic!("rows missing: {received}")),
        );
    }
    step("three rows received");
    let _ = stream.kill();
    let _ = stream.wait();
    // The hung host costs its connect limit (3 s), not the host limit (60 s).
    assert!(
        pressed.elapsed() < Duration::from_secs(45),
        "the class waited {:?}",
        pressed.elapsed()
    );

    // The run's summary is written once the last host is recorded (just after its row).
    let deadline = Instant::now() + Duration::from_secs(30);
    let grid = loop {
        let grid = curl(&lab, &jar, &[&format!("{}{grid_path}", server.url)]);
        if grid.contains("host(s) collected") || Instant::now() > deadline {
            break grid;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let alice = row_of(&grid, "Alice Live").unwrap();
    assert!(alice.contains(" %</td>"), "graded: {alice}");
    assert!(
        alice.contains("cell s-pass") || alice.contains("cell s-fail"),
        "{alice}"
    );
    assert!(!alice.contains("pull-failed"), "{alice}");
    let bob = row_of(&grid, "Bob Dead").unwrap();
    assert!(
        bob.contains("linux : unreachable — ") && bob.contains("refused"),
        "dead host with its cause: {bob}"
    );
    assert!(
        bob.contains("<td class=\"s-none\">—</td>"),
        "not graded: {bob}"
    );
    let carol = row_of(&grid, "Carol Hung").unwrap();
    assert!(
        carol.contains("linux : unreachable — ") && carol.contains("within 3"),
        "hung host with its cause: {carol}"
    );
    assert!(
        grid.contains("1 host(s) collected, 2 failed"),
        "the run's summary: {grid}"
    );
    assert!(!grid.contains("Never-Shown-2026"));
    assert!(
        lab.tmp_files(0).is_empty(),
        "left on the VM: {:?}",
        lab.tmp_files(0)
    );
    // The host key was trusted on first use, for this class only.
    let known = std::fs::read_to_string(data.join("pull/class-1/known_hosts")).unwrap();
    assert_eq!(known.lines().count(), 1, "{known}");
    lab.set_frozen(2, false);
}
