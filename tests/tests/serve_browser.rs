//! `constat serve` used as the trainer and the learners use it, in a real browser (issue 17,
//! item 7): Debian's headless Chromium (through chromedriver, `constat_tests::webdriver`)
//! against the real server on loopback (TLS with its self-signed certificate).
//!
//! * The trainer sets up their account on the first-start page, pastes a pack in the class
//!   form (the CP3 lab plus a check whose expected value is a marker no learner may ever
//!   see) and reads the enrolment code on the class grid, which they keep open.
//! * Learner 1 joins through the join form in their own browser and copies the key and the
//!   exact `constat check` command from the join-success page (a pasted pack: no `--pack`,
//!   the server's collection plan says what to collect); learners 2 and 3 join through the
//!   JSON API; eleven more join so that the grid has 14 rows.
//! * Three learner "VMs" — private mount namespaces whose /etc, /home and /srv are overlays
//!   (`constat_tests::mountns`), in three states: everything done, half done, nothing — run
//!   that command with the real agent. The open grid updates live (Server-Sent Events and
//!   `live.js`: the rows' cells change while a marker set in the page survives, so the page
//!   was not reloaded), and the three rows differ.
//! * The trainer opens learner 1's page: the evidence, with the marker as expected value.
//! * Learner 1's own page (their link, no trainer cookie) shows their result with hints and
//!   neither the marker nor an "expected" column; another learner's pages, a tampered link
//!   and the class's stream answer 404 or send to the login page.
//! * At 1280 px the grid of 14 learners has no horizontal overflow.
//! * Screenshots kept under `target/browser-artefacts/serve/`.
//!
//! Needs root and CONSTAT_REAL_TESTS=1 like the other real tests, and `chromium`,
//! `chromium-driver`, `curl` (installed by .ci/run).

use constat_tests::mountns::OverlayRoot;
use constat_tests::real::{cli_binary, real_tests_enabled, require_programs};
use constat_tests::serve::{enrol, start_server};
use constat_tests::webdriver::{Driver, WIDTH};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

/// The expected value no learner may see (the shell of the "secret" check).
const MARKER: &str = "/bin/attendu-zq7";

/// The trainer's class pack, pasted in the form: the shipped CP3 lab under another id, plus
/// a check whose expected value is [`MARKER`] (no hint: nothing may reveal it).
fn pasted_pack() -> String {
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../checks/packs/lab-cp3-linux.yaml"),
    )
    .expect("the CP3 pack");
    let renamed = shipped.replace("  id: lab-cp3-linux", "  id: atelier-navigateur");
    assert_ne!(renamed, shipped, "the pack id line moved");
    format!(
        "{renamed}
  - id: nav-shell
    title: \"jdupont a le shell de secours\"
    criteres: [tssr-2023/CP3/C1]
    hosts: [linux]
    points: 1
    expect:
      user: {{name: jdupont, shell: {MARKER}}}
"
    )
}

/// What each learner VM did before submitting (run in its overlays).
const EVERYTHING: &str = "set -e
groupadd informatique
useradd -l -m -s /bin/bash -G informatique jdupont
useradd -l -m -s /bin/bash -G informatique mmartin
mkdir -p /srv/informatique
chgrp informatique /srv/informatique
chmod 2770 /srv/informatique
mkdir -p /etc/sudoers.d
echo 'jdupont ALL=(ALL:ALL) ALL' > /etc/sudoers.d/jdupont
chmod 0440 /etc/sudoers.d/jdupont
";
const HALF: &str = "set -e
groupadd informatique
useradd -l -m -s /bin/bash -G informatique jdupont
";

/// A learner VM: its overlays, its key file and its state.
struct LearnerVm {
    name: &'static str,
    id: i64,
    root: OverlayRoot,
    key: PathBuf,
}

impl LearnerVm {
    fn new(label: &str, name: &'static str, id: i64, key_text: &str, setup: &str) -> LearnerVm {
        let root = OverlayRoot::new(label);
        let key = root.shared().join("constat.key");
        std::fs::write(&key, key_text).expect("key file");
        if !setup.is_empty() {
            root.run(setup, &[]);
        }
        LearnerVm {
            name,
            id,
            root,
            key,
        }
    }

    /// Runs the join page's command (`sudo constat …`, the key at its place) in the VM.
    fn submit(&self, command: &str, code: &str) -> String {
        let args: Vec<String> = command
            .strip_prefix("sudo constat ")
            .unwrap_or_else(|| panic!("unexpected command {command}"))
            .replace(
                &format!("~/constat-{code}.key"),
                &self.key.display().to_string(),
            )
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let mut all = vec![
            cli_binary().display().to_string(),
            "--lang".to_owned(),
            "en".to_owned(),
            "--color".to_owned(),
            "never".to_owned(),
        ];
        all.extend(args);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let out = self.root.run("\"$@\" 2>&1; echo \"exit=$?\"", &refs);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            text.contains("exit=0") || text.contains("exit=1"),
            "{}: {text}",
            self.name
        );
        text
    }
}

/// The grid row's cells of learner `id`: `[check id, class]` in column order (null before
/// the row exists).
const ROW_CELLS: &str = "const row = document.getElementById('learner-' + arguments[0]);
if (!row) { return null; }
return Array.from(row.querySelectorAll('td.cell')).map(c => [c.title.split(' ')[0], c.className]);";

fn cells(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c[0].as_str().unwrap_or_default().to_owned(),
                        c[1].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn status_of(cells: &[(String, String)], check: &str) -> String {
    cells
        .iter()
        .find(|(id, _)| id == check)
        .map(|(_, class)| class.replace("cell ", ""))
        .unwrap_or_else(|| panic!("no {check} in {cells:?}"))
}

/// `fetch` from the page: `[status, response type, text]` (redirections not followed).
const FETCH: &str = "const done = arguments[arguments.length - 1];
fetch(arguments[0], {redirect: 'manual', credentials: 'same-origin'})
  .then(r => r.text().then(t => done([r.status, r.type, t])))
  .catch(e => done([-1, 'error', String(e)]));";

fn save(dir: &Path, name: &str, png: &[u8]) {
    std::fs::write(dir.join(name), png).expect("screenshot written");
}

#[test]
fn a_trainer_watches_the_class_live_in_a_real_browser_and_learners_see_only_their_own() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["chromium", "chromedriver", "curl", "unshare", "useradd"]);
    let began = Instant::now();
    let step = |what: &str| eprintln!("[{:>6.1} s] {what}", began.elapsed().as_secs_f64());
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-artefacts/serve");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("artefact dir");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut command = constat_tests::daemon::command(cli_binary());
    constat_tests::real::without_user_env(&mut command)
        .args(["--lang", "en", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .stderr(Stdio::inherit());
    let server = start_server(command, true, None);
    step("server listening");

    // The trainer: first-start page, then the class form with the pasted pack.
    let trainer = Driver::start(&dir.path().join("trainer-profile"));
    trainer.open(&format!("{}/?lang=fr", server.url));
    trainer.wait_for(
        "the setup page",
        "return location.pathname === '/setup' && !!document.querySelector('input[name=password_again]');",
        &[],
    );
    trainer.type_into("input[name=name]", "Mme Martin");
    trainer.type_into("input[name=password]", "formateur-2026");
    trainer.type_into("input[name=password_again]", "formateur-2026");
    trainer.click("form.stack button");
    trainer.wait_for(
        "the classes page",
        "return location.pathname === '/classes';",
        &[],
    );
    trainer.type_into("input[name=name]", "TSSR décembre — navigateur");
    trainer.execute(
        "document.querySelector('textarea[name=pack_yaml]').value = arguments[0];",
        &[json!(pasted_pack())],
    );
    trainer.click("form.stack button");
    let grid_path = trainer
        .wait_for(
            "the class grid",
            "return /^\\/classes\\/\\d+$/.test(location.pathname) && location.pathname;",
            &[],
        )
        .as_str()
        .expect("path")
        .to_owned();
    let (text, _) = trainer.page();
    assert!(text.contains(server.pin()), "the grid shows the pin");
    let code = trainer.execute(
        "return document.querySelector('p.code').textContent.trim();",
        &[],
    );
    let code = code.as_str().expect("enrolment code").to_owned();
    trainer.wait_for(
        "the live stream",
        "return document.getElementById('live').className === 'live on';",
        &[],
    );
    // A reload would lose this.
    trainer.execute("window.constatNoReload = 'kept';", &[]);
    step("class created, grid live");

    // Learner 1 joins with the form, in their own browser.
    let learner = Driver::start(&dir.path().join("learner-profile"));
    learner.open(&format!("{}/join?code={code}", server.url));
    learner.type_into("input[name=name]", "Alice Martin");
    learner.click("form.stack button");
    let joined = learner.wait_for(
        "the join-success page",
        "const pres = document.querySelectorAll('main pre');
         const link = document.querySelector('main a[href^=\"/l/\"]');
         return pres.length === 2 && link && [pres[0].textContent, pres[1].textContent, link.getAttribute('href')];",
        &[],
    );
    save(&out, "joined.png", &learner.screenshot());
    let key_block = joined[0].as_str().expect("key").to_owned();
    let command = joined[1].as_str().expect("command").trim().to_owned();
    let alice_page = joined[2].as_str().expect("page").to_owned();
    assert!(
        !command.contains("--pack"),
        "a pasted pack is not on the VM: {command}"
    );
    for part in [
        &format!("--submit {}/", server.url),
        &format!("--class {code}"),
        &format!("--pin {}", server.pin()),
    ] {
        assert!(command.contains(part.as_str()), "{part} not in {command}");
    }
    // The key block is a heredoc: the key file is what lies between its markers.
    let key_text = key_block
        .split_once("<<'EOF'\n")
        .and_then(|(_, rest)| rest.rsplit_once("EOF"))
        .map(|(key, _)| key.to_owned())
        .unwrap_or_else(|| panic!("no key in {key_block}"));
    let alice_id: i64 = key_text
        .lines()
        .find_map(|l| l.strip_prefix("learner="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no learner id in {key_text}"));

    let bruno = enrol(&server.url, &code, "Bruno Petit", dir.path()).answer;
    let chloe = enrol(&server.url, &code, "Chloé Durand", dir.path()).answer;
    for n in 1..=11 {
        enrol(
            &server.url,
            &code,
            &format!("Apprenant·e n° {n:02} Marie-Éléonore de la Tour-Dupont"),
            dir.path(),
        );
    }
    let vms = [
        LearnerVm::new("alice", "Alice Martin", alice_id, &key_text, EVERYTHING),
        LearnerVm::new(
            "bruno",
            "Bruno Petit",
            bruno["learner"].as_i64().expect("id"),
            bruno["key"].as_str().expect("key"),
            HALF,
        ),
        LearnerVm::new(
            "chloe",
            "Chloé Durand",
            chloe["learner"].as_i64().expect("id"),
            chloe["key"].as_str().expect("key"),
            "",
        ),
    ];
    step("14 learners enrolled, 3 VMs ready");

    // Each VM submits with the join page's command; the open grid changes live.
    let mut rows = Vec::new();
    for vm in &vms {
        let before = cells(&trainer.execute(ROW_CELLS, &[json!(vm.id)]));
        assert!(
            before.iter().all(|(_, class)| class.contains("s-none")),
            "{}: {before:?}",
            vm.name
        );
        let printed = vm.submit(&command, &code);
        assert!(
            printed.contains(&format!("sent to {}", server.url)),
            "{printed}"
        );
        let after = trainer.wait_for(
            &format!("{}'s row to change", vm.name),
            &format!(
                "const cells = (function () {{ {ROW_CELLS} }}).apply(null, arguments); \
                 return cells && cells.every(c => !c[1].includes('s-none')) && cells;"
            ),
            &[json!(vm.id)],
        );
        assert_eq!(
            trainer.execute("return window.constatNoReload;", &[]),
            json!("kept"),
            "the grid was reloaded"
        );
        rows.push(cells(&after));
        step(&format!("{} graded, grid updated live", vm.name));
    }
    let statuses: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            ["cp3-users", "cp3-group", "cp3-shared-dir", "nav-shell"]
                .iter()
                .map(|check| status_of(row, check))
                .collect()
        })
        .collect();
    assert_eq!(
        statuses[0],
        ["s-pass", "s-pass", "s-pass", "s-fail"],
        "everything done (but the marker shell)"
    );
    assert_eq!(statuses[1][0], "s-partial", "half done: {:?}", statuses[1]);
    assert_eq!(statuses[2][0], "s-fail", "nothing done: {:?}", statuses[2]);

    // No horizontal overflow at 1280 px with 14 learners (the eleven who joined after the
    // page was opened appear on reload).
    trainer.open(&format!("{}{grid_path}", server.url));
    let fit = trainer.execute(
        "const s = document.querySelector('.scroll'); const t = document.querySelector('table.grid');
         return [document.documentElement.scrollWidth, window.innerWidth, s.scrollWidth, s.clientWidth,
                 t.getBoundingClientRect().right, document.querySelectorAll('#rows tr').length];",
        &[],
    );
    let number = |i: usize| fit[i].as_f64().unwrap_or(f64::MAX);
    assert_eq!(number(1), f64::from(WIDTH), "the window is {WIDTH} px wide");
    assert_eq!(number(5), 14.0, "14 rows: {fit}");
    assert!(number(0) <= f64::from(WIDTH), "the page overflows: {fit}");
    assert!(
        number(2) <= number(3) && number(4) <= f64::from(WIDTH),
        "the grid overflows: {fit}"
    );
    trainer.resize(WIDTH, 1400);
    save(&out, "grid.png", &trainer.screenshot());
    trainer.resize(WIDTH, 900);

    // The trainer's view of learner 1: the evidence, the expected values with it.
    trainer.click(&format!("#learner-{alice_id} th a"));
    trainer.wait_for(
        "Alice's page",
        &format!("return location.pathname === '{grid_path}/learners/{alice_id}';"),
        &[],
    );
    let (text, _) = trainer.page();
    assert!(
        text.contains(MARKER),
        "the trainer sees the expected value: {text}"
    );
    save(&out, "trainer-learner.png", &trainer.screenshot());

    // Learner 1's own page, with their link only.
    learner.open(&format!("{}{alice_page}", server.url));
    let (text, html) = learner.page();
    assert!(text.contains("Alice Martin"), "{text}");
    assert!(text.contains("cp3-users"), "their result: {text}");
    for page in [&text, &html] {
        assert!(!page.contains("attendu-zq7"), "the marker leaked: {page}");
        assert!(!page.contains(">Attendu<"), "an expected column: {page}");
    }
    save(&out, "learner-self.png", &learner.screenshot());
    let report = learner.execute_async(FETCH, &[json!(format!("{alice_page}/report"))]);
    assert_eq!(report[0], json!(200), "{report}");
    assert!(
        !report[2]
            .as_str()
            .unwrap_or_default()
            .contains("attendu-zq7"),
        "the marker leaked in the report"
    );
    // Another learner's result, by changing the address: never shown.
    let mut tampered = alice_page.clone();
    let last = tampered.pop().expect("token");
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for path in [
        tampered.clone(),
        format!("{tampered}/report"),
        format!("{grid_path}/learners/{}", vms[1].id),
        format!("{grid_path}/learners/{}/report", vms[1].id),
        format!("{grid_path}/events"),
        format!("{grid_path}/export/jury.csv"),
        grid_path.clone(),
    ] {
        let answer = learner.execute_async(FETCH, &[json!(path)]);
        let (status, kind, body) = (
            answer[0].as_i64().unwrap_or(-1),
            answer[1].as_str().unwrap_or_default(),
            answer[2].as_str().unwrap_or_default(),
        );
        assert!(
            matches!(status, 403 | 404) || kind == "opaqueredirect",
            "{path}: {answer}"
        );
        assert!(
            !body.contains("Bruno Petit") && !body.contains("attendu-zq7"),
            "{path}: {body}"
        );
    }
    learner.open(&format!("{}{grid_path}/learners/{}", server.url, vms[1].id));
    learner.wait_for(
        "the login page",
        "return location.pathname === '/login';",
        &[],
    );
    step("learner views checked");
    println!("artefacts in {}", out.display());
}
