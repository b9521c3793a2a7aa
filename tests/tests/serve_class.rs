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
use constat_tests::serve::{
    Browser, code_of, create_trainer, enrol, start_server, submit, trainer_command,
};
use std::process::Stdio;
use std::time::Instant;

#[test]
fn a_class_grid_receives_the_real_agents_submissions_live() {
    if !real_tests_enabled() {
        return;
    }
    let began = Instant::now();
    let step = |what: &str| eprintln!("[{:>6.1} s] {what}", began.elapsed().as_secs_f64());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cli = cli_binary();

    // The trainer account, password on stdin.
    create_trainer(trainer_command(&cli, &data));
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(data.join("constat.sqlite"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the database is private");

    step("trainer created");
    let mut command = constat_tests::daemon::command(&cli);
    constat_tests::real::without_user_env(&mut command)
        .args(["--lang", "en", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .stderr(Stdio::inherit());
    let server = start_server(command, true, None);
    step("server listening");
    let browser = Browser::new(&dir.path().join("cookies"));
    browser.login(&server.url);
    let grid_path = browser.create_class(&server.url, "TSSR décembre", "lab-cp3-linux");
    let grid = browser.get(&format!("{}{grid_path}", server.url));
    let code = code_of(&grid);
    assert!(
        grid.contains(server.pin()),
        "the grid shows the fingerprint to pin"
    );

    // The grid's live stream, read on its own thread.
    let mut stream = browser.events(&format!("{}{grid_path}/events", server.url));

    for name in ["Alice", "Bob"] {
        let learner = enrol(&server.url, &code, name, dir.path());
        step(&format!("{name} enrolled"));
        let wrong = submit(&cli, &server.url, &code, &learner.key, &"0".repeat(64));
        assert_eq!(wrong.status.code(), Some(2), "{wrong:?}");
        assert!(
            String::from_utf8_lossy(&wrong.stderr).contains("not the pinned"),
            "{}",
            String::from_utf8_lossy(&wrong.stderr)
        );

        step("wrong pin refused");
        let sent = submit(&cli, &server.url, &code, &learner.key, server.pin());
        step("submitted");
        let stdout = String::from_utf8_lossy(&sent.stdout);
        assert!(matches!(sent.status.code(), Some(0 | 1)), "{sent:?}");
        assert!(
            stdout.contains(&format!("sent to {}", server.url)),
            "{stdout}"
        );
        stream.clear();
        stream.wait_row(learner.id);
        assert!(
            stream.received.contains("event: row"),
            "{}",
            stream.received
        );
        assert!(stream.received.contains(name), "{}", stream.received);
        step("row received");
    }
    drop(stream);
    let jury = browser.get(&format!("{}{grid_path}/export/jury.csv", server.url));
    assert!(jury.contains("Alice") && jury.contains("Bob"), "{jury}");
}
