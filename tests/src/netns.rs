//! A throw-away "candidate VM" made of namespaces: a network namespace joined to this machine
//! by a veth pair in 10.202.<n>.0/24 (agent-net's reserved range) with no default route, and a
//! private copy of /etc that every command run inside sees in place of /etc.
//!
//! Each command runs as `ip netns exec NS unshare -m ...`: in the namespace's network, in a
//! private mount namespace where the copy is bind-mounted on /etc and a fresh tmpfs on /run
//! (with /run/sshd), so nothing it writes there reaches this machine. Dropping the value kills
//! the daemons it started, deletes the namespace and its veth, and removes the directory.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Mount script run before every command inside: `$1` is the VM directory.
const ENTER: &str = r#"set -e
dir="$1"; shift
mount --bind "$dir/etc" /etc
mount -t tmpfs -o mode=0755 constat-run /run
mkdir -p /run/sshd
exec "$@""#;

/// A network namespace with its veth pair and its private /etc.
pub struct NetNs {
    /// Namespace name (`cnet<pid>x<n>`).
    pub name: String,
    /// Veth end left on this machine.
    pub host_veth: String,
    /// Third octet of the subnet: 10.202.<subnet>.0/24.
    pub subnet: u8,
    /// Address on this machine's end (`10.202.<subnet>.1`).
    pub host_addr: String,
    /// Address inside (`10.202.<subnet>.2`), on `eth0`.
    pub addr: String,
    dir: PathBuf,
    daemons: Vec<Child>,
}

impl NetNs {
    /// Creates the namespace, the veth pair (`eth0` inside), the addresses and a copy of /etc.
    pub fn create() -> NetNs {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let pid = std::process::id();
        let name = format!("cnet{pid}x{n}");
        let host_veth = format!("vc{pid}x{n}");
        // Spread concurrent test processes over the /24s of the range.
        let subnet = u8::try_from((pid % 40) * 6 + n % 6 + 1).unwrap_or(1);
        let dir = std::env::temp_dir().join(format!("constat-{name}"));
        let ns = NetNs {
            host_addr: format!("10.202.{subnet}.1"),
            addr: format!("10.202.{subnet}.2"),
            name,
            host_veth,
            subnet,
            dir,
            daemons: Vec::new(),
        };
        // From here on, Drop cleans up whatever was created.
        let _ = std::fs::remove_dir_all(&ns.dir);
        std::fs::create_dir_all(&ns.dir).unwrap_or_else(|e| panic!("{}: {e}", ns.dir.display()));
        run(Command::new("cp")
            .args(["-a", "/etc"])
            .arg(ns.dir.join("etc")));
        run(Command::new("ip").args(["netns", "add", &ns.name]));
        run(Command::new("ip").args([
            "link",
            "add",
            &ns.host_veth,
            "type",
            "veth",
            "peer",
            "name",
            "eth0",
            "netns",
            &ns.name,
        ]));
        let host_cidr = format!("{}/24", ns.host_addr);
        let cidr = format!("{}/24", ns.addr);
        run(Command::new("ip").args(["addr", "add", &host_cidr, "dev", &ns.host_veth]));
        run(Command::new("ip").args(["link", "set", &ns.host_veth, "up"]));
        run(Command::new("ip").args(["-n", &ns.name, "addr", "add", &cidr, "dev", "eth0"]));
        run(Command::new("ip").args(["-n", &ns.name, "link", "set", "eth0", "up"]));
        run(Command::new("ip").args(["-n", &ns.name, "link", "set", "lo", "up"]));
        ns
    }

    /// The VM directory (its `etc/` is the namespace's /etc).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes a file under the namespace's /etc (`path` relative to /etc).
    pub fn write_etc(&self, path: &str, text: &str) {
        let full = self.dir.join("etc").join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
        }
        std::fs::write(&full, text).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    }

    /// A command that runs inside the namespace (network + private /etc and /run).
    /// Its child inherits no descriptor but the standard ones ([`crate::daemon`]): it may be
    /// a daemon ([`Self::spawn`]).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Command {
        let mut c = crate::daemon::command("ip");
        c.args([
            "netns",
            "exec",
            &self.name,
            "unshare",
            "-m",
            "--propagation",
            "private",
        ])
        .args(["sh", "-c", ENTER, "sh"])
        .arg(&self.dir)
        .arg(program)
        .args(args)
        .env("LC_ALL", "C");
        c
    }

    /// Runs a shell script inside; panics with its output when it fails.
    pub fn sh(&self, script: &str) -> String {
        let out = run(&mut self.command("sh", &["-c", script]));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts a daemon inside, killed when the namespace is dropped.
    pub fn spawn(&mut self, program: &str, args: &[&str]) {
        let child = self
            .command(program, args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program} in {}: {e}", self.name));
        self.daemons.push(child);
    }

    /// Waits until something listens on `port` (TCP) inside, up to five seconds.
    pub fn wait_listening(&self, port: u16) {
        let hex = format!(":{port:04X} ");
        for _ in 0..100 {
            let out = self
                .command("cat", &["/proc/net/tcp", "/proc/net/tcp6"])
                .output();
            if let Ok(out) = out
                && String::from_utf8_lossy(&out.stdout).lines().any(|l| {
                    l.split_whitespace()
                        .nth(1)
                        .is_some_and(|a| format!("{a} ").contains(&hex))
                        && l.split_whitespace().nth(3) == Some("0A")
                })
            {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("nothing listens on port {port} in {} after 5 s", self.name);
    }

    /// Replaces this namespace's variable parts (name, subnet, directory) in a text, so that
    /// snapshots compare across runs.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.dir.display().to_string(), "[VM]")
            .replace(&format!("10.202.{}.", self.subnet), "10.202.N.")
            .replace(&self.host_veth, "[HOST-VETH]")
            .replace(&self.name, "[NS]")
    }
}

impl Drop for NetNs {
    fn drop(&mut self) {
        for child in &mut self.daemons {
            // `ip netns exec` execs into unshare, which execs into sh, which execs the
            // daemon: the child pid is the daemon's.
            let _ = child.kill();
            let _ = child.wait();
        }
        // Deleting the namespace deletes its veth end and so the pair.
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .output();
        let _ = Command::new("ip")
            .args(["link", "del", &self.host_veth])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs a command, panicking with its output when it fails.
pub fn run(command: &mut Command) -> Output {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
