//! Pull mode of `constat serve` for real (issue 17): the server runs in a lab's client
//! namespace (as `tests/session_ssh.rs` makes it: a bridge, no default route) with the lab's
//! key given by `--pull-key`; a trainer attaches an inventory of three learners' VMs — one
//! real sshd (root by key), one dead (its sshd never started: connection refused), one hung
//! (its sshd frozen: the TCP connection opens, nothing answers) — and presses « pull now ».
//! The grid's event stream receives each learner's row: the first graded by the class's
//! pack, the two others failed with their cause (the hung one with the inventory's connect
//! time limit, not its host limit). Nothing is left in the good host's /tmp, and the
//! inventory page never shows a secret. The live VM's host key was trusted on first use, in
//! the store; the VM then gets a new key (reinstalled): the next pull refuses it and the
//! class page says whose host, which, both fingerprints and how to accept it; the trainer
//! accepts it and the next pull grades the VM again. Needs root and CONSTAT_REAL_TESTS=1.

use constat_serve::store::{PullHostKey, SqliteStore, Store};
use constat_tests::serve::{
    Browser, EventStream, create_trainer, csrf_of, row_of, start_server, trainer_command,
};
use constat_tests::sshhost::{Lab, real_tests_enabled, workspace_binary};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const TOOLS: &[&str] = &["ip", "sshd", "ssh-keygen", "unshare", "curl"];

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
    let cli = workspace_binary("constat");
    create_trainer(trainer_command(&cli, &data));
    let mut command = lab.client_command(&cli);
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
        .arg(&data)
        .arg("--pull-key")
        .arg(&lab.client_key)
        .env("CONSTAT_AGENT_BIN", &agent)
        .env("CONSTAT_CRED_LAB_SECRET", "Never-Shown-2026")
        .stderr(Stdio::inherit());
    let server = start_server(command, false, None);
    step("server listening");
    let browser = Browser::in_netns(&lab.dir.join("cookies"), &lab.client_ns);
    browser.login(&server.url);
    let grid_path = browser.create_class(&server.url, "TSSR pull", "lab-cp3-linux");

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
    let pull_url = format!("{}{grid_path}/pull", server.url);
    let grid_url = format!("{}{grid_path}", server.url);
    let pull_page = browser.get(&pull_url);
    let attached = browser.curl(&[
        "-L",
        "--data-urlencode",
        &format!("csrf={}", csrf_of(&pull_page)),
        "--data-urlencode",
        "source=lab.yaml",
        "--data-urlencode",
        &format!("inventory={inventory}"),
        &format!("{pull_url}/inventory"),
    ]);
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
    let refused = browser.curl(&[
        "--data-urlencode",
        &format!("csrf={}", csrf_of(&attached)),
        "--data-urlencode",
        &format!(
            "inventory={}",
            inventory.replace(&*key_name, "id_rsa_of_someone")
        ),
        &format!("{pull_url}/inventory"),
    ]);
    assert!(
        refused.contains("the key id_rsa_of_someone is not a key given to the server"),
        "{refused}"
    );

    // The grid's live stream; « pull now ».
    let mut stream = browser.events(&format!("{grid_url}/events"));
    pull_now(&browser, &grid_url, &grid_path);
    step("pull started");
    wait_rows(&mut stream, &["Alice Live", "Bob Dead", "Carol Hung"]);
    step("three rows received");
    let grid = grid_after_the_run(&browser, &grid_url, "1 host(s) collected, 2 failed");
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
    // The hung host costs its connect limit (3 s), not the host limit (60 s): its cause says so.
    let carol = row_of(&grid, "Carol Hung").unwrap();
    assert!(
        carol.contains("linux : unreachable — ") && carol.contains("within 3"),
        "hung host with its cause: {carol}"
    );
    assert!(!grid.contains("Never-Shown-2026"));
    assert!(
        lab.tmp_files(0).is_empty(),
        "left on the VM: {:?}",
        lab.tmp_files(0)
    );

    // The live VM's host key was trusted on first use, in the store (shared by every
    // instance on a database), for this class only.
    let alice_host = format!("[10.203.{}.10]:22", lab.subnet);
    let old = lab.host_key_fingerprint(0);
    let keys = host_keys(&data);
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(
        (
            keys[0].host.as_str(),
            keys[0].fingerprint.as_str(),
            keys[0].role.as_str()
        ),
        (alice_host.as_str(), old.as_str(), "linux")
    );
    assert!(keys[0].offered.is_none());
    assert!(!grid.contains("SSH host keys refused"), "{grid}");
    step("host key trusted on first use");

    // The VM is reinstalled: a new key. The next pull refuses it, and says so.
    let new = lab.new_host_key(0);
    assert_ne!(old, new);
    stream.clear();
    pull_now(&browser, &grid_url, &grid_path);
    wait_rows(&mut stream, &["Alice Live", "Bob Dead", "Carol Hung"]);
    let grid = grid_after_the_run(&browser, &grid_url, "0 host(s) collected, 3 failed");
    let alice = unescaped(row_of(&grid, "Alice Live").unwrap());
    // The row says whose host and both fingerprints (its cause is cut short there; the
    // refused keys' section below has the whole of it).
    for said in [
        "the SSH key of Alice Live's linux host",
        &format!("recorded key {old}, presented key {new}"),
    ] {
        assert!(alice.contains(said), "{said}: {alice}");
    }
    let refused_keys = unescaped(
        grid.split("<section id=\"host-keys\"")
            .nth(1)
            .and_then(|rest| rest.split("</section>").next())
            .unwrap_or_else(|| panic!("no refused key on the class page: {grid}")),
    );
    for shown in [
        "Alice Live",
        "linux",
        &alice_host,
        &old,
        &new,
        "Accept the new key",
    ] {
        assert!(refused_keys.contains(shown), "{shown}: {refused_keys}");
    }
    assert_eq!(host_keys(&data)[0].fingerprint, old, "still the old key");
    step("changed key refused and shown");

    // The trainer accepts it (the fingerprint the page showed); once only.
    let accept = format!("{grid_url}/pull/host-key");
    let fields = [
        ("csrf", csrf_of(&refused_keys)),
        ("host", alice_host.clone()),
        ("fingerprint", new.clone()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let answer = browser.post(&accept, &fields);
    assert!(
        answer.starts_with("303") && answer.ends_with(&grid_path),
        "{answer}"
    );
    let again = browser.post(&accept, &fields);
    assert!(again.starts_with("409"), "{again}");
    let keys = host_keys(&data);
    assert_eq!(
        (keys[0].fingerprint.as_str(), keys[0].offered.is_none()),
        (new.as_str(), true)
    );

    // The next pull grades the VM again.
    stream.clear();
    pull_now(&browser, &grid_url, &grid_path);
    wait_rows(&mut stream, &["Alice Live", "Bob Dead", "Carol Hung"]);
    let grid = grid_after_the_run(&browser, &grid_url, "1 host(s) collected, 2 failed");
    let alice = row_of(&grid, "Alice Live").unwrap();
    assert!(!alice.contains("pull-failed"), "{alice}");
    assert!(!grid.contains("SSH host keys refused"), "{grid}");
    step("new key accepted, VM graded again");
    drop(stream);
    lab.set_frozen(2, false);
}

/// `html` as a reader sees it (the templates escape `'` and `/`, which fingerprints hold).
fn unescaped(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// « Pull now » on the grid; the server answers at once with the grid (the run goes on).
fn pull_now(browser: &Browser, grid_url: &str, grid_path: &str) {
    let answer = browser.submit_form(grid_url, &format!("{grid_url}/pull"), &[]);
    assert!(
        answer.starts_with("303") && answer.ends_with(grid_path),
        "{answer}"
    );
}

/// Reads the stream until a row of each of `names` arrived.
fn wait_rows(stream: &mut EventStream, names: &[&str]) {
    stream.wait_for("every learner's row", Duration::from_secs(90), |received| {
        names.iter().all(|name| row_of(received, name).is_some())
    });
}

/// The grid once the run's summary says `summary` (it is written once the last host is
/// recorded, just after its row).
fn grid_after_the_run(browser: &Browser, grid_url: &str, summary: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let grid = browser.get(grid_url);
        if grid.contains(summary) {
            return grid;
        }
        assert!(Instant::now() < deadline, "no « {summary} »: {grid}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The class's trusted host keys, read from the server's store.
fn host_keys(data: &Path) -> Vec<PullHostKey> {
    let store = SqliteStore::open(&data.join("constat.sqlite")).expect("the store opens");
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(store.pull_host_keys(1))
        .unwrap()
}
