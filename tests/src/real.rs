//! The gate of the real-system tier and the agent binary under test.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// Whether the real tier runs (`CONSTAT_REAL_TESTS=1`). When it does not, prints the one
/// skip line and returns false; when it does, missing root is a failure, not a skip.
pub fn real_tests_enabled() -> bool {
    if std::env::var("CONSTAT_REAL_TESTS").as_deref() != Ok("1") {
        println!("skipped: set CONSTAT_REAL_TESTS=1 (needs root)");
        return false;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let euid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|r| r.split_whitespace().nth(1).map(str::to_owned));
    assert_eq!(
        euid.as_deref(),
        Some("0"),
        "CONSTAT_REAL_TESTS=1 needs root (namespaces, nft, sshd): run the tests as root"
    );
    true
}

/// Removes from `command` the `CONSTAT_*` variables of whoever runs the tests (all but the
/// gate, `CONSTAT_REAL_TESTS`): `CONSTAT_LANG=en` in a developer's shell would turn every
/// expected French line English, `CONSTAT_COLLECT_WORKERS`, `CONSTAT_AGENT_BIN`,
/// `CONSTAT_CREDENTIALS` or a `CONSTAT_CRED_*` would change what is collected. A test sets
/// what it needs after this call (a later `env` wins).
pub fn without_user_env(command: &mut Command) -> &mut Command {
    for (name, _) in std::env::vars_os() {
        let text = name.to_string_lossy();
        if text.starts_with("CONSTAT_") && text != "CONSTAT_REAL_TESTS" {
            command.env_remove(&name);
        }
    }
    command
}

/// Fails with a clear message when a program the test needs is missing.
pub fn require_programs(programs: &[&str]) {
    for program in programs {
        // The directories the agent itself searches, whatever PATH says.
        let found = constat_agent::command::ADMIN_DIRS
            .iter()
            .any(|d| std::path::Path::new(&format!("{d}/{program}")).exists());
        assert!(
            found,
            "{program} is not installed; install it (see the package list in .ci/run)"
        );
    }
}

/// Path of a freshly built `constat-agent` binary (built once per test process with the
/// cargo that runs the tests, so it is never stale).
pub fn agent_binary() -> PathBuf {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BUILT.get_or_init(|| build_binary("constat-agent", "constat-agent")) {
        Ok(path) => path.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// Path of a freshly built `constat` CLI binary (built once per test process).
pub fn cli_binary() -> PathBuf {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BUILT.get_or_init(|| build_binary("constat-cli", "constat")) {
        Ok(path) => path.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// A command that runs the freshly built `constat` CLI without the caller's `CONSTAT_*`
/// variables ([`without_user_env`]).
pub fn cli_command() -> Command {
    let mut command = Command::new(cli_binary());
    without_user_env(&mut command);
    command
}

/// `cargo build -q -p <package> --bin <bin>` with the cargo running the tests; the path of
/// the binary next to this test binary's profile directory.
fn build_binary(package: &str, bin: &str) -> Result<PathBuf, String> {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .ok_or("no workspace directory")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(&cargo)
        .args(["build", "-q", "-p", package, "--bin", bin])
        .current_dir(&workspace)
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo build -p {package} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // This test binary lives in target/<profile>/deps; the binaries in target/<profile>.
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .ok_or("unexpected test binary location")?;
    let path = profile_dir.join(bin);
    if path.exists() {
        Ok(path)
    } else {
        Err(format!("{} not found after the build", path.display()))
    }
}
