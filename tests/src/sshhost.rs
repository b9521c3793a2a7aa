//! Simulated Linux hosts reachable over SSH, for session tests and benchmarks.
//!
//! A [`Lab`] is a private network: a client network namespace holding a bridge
//! (10.203.<n>.1/24, no default route) where `constat` runs, plus one network namespace per
//! host (10.203.<n>.<10+i>) linked to that bridge by a veth pair. Nothing is added to the
//! machine's own network namespace, so no packet can leave the machine.
//!
//! Each host runs the machine's own `sshd -D` inside private mount and pid namespaces, with
//! its own host key, an overlay over `/etc` and `/home` (its own users, passwords, sudoers),
//! and a private `/tmp` (a directory of the lab, so tests can check what was left there).
//! Dropping the lab kills every process (the pid namespace's init dies), deletes the
//! namespaces and removes the lab directory, even when the test failed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Whether the real-system tier runs. Without `CONSTAT_REAL_TESTS=1` prints the skip line and
/// returns false; with it, missing root or tools is a failure with a clear message.
pub fn real_tests_enabled(tools: &[&str]) -> bool {
    if std::env::var("CONSTAT_REAL_TESTS").as_deref() != Ok("1") {
        println!("skipped: set CONSTAT_REAL_TESTS=1 (needs root)");
        return false;
    }
    let uid = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("Uid:")
                .map(|r| r.split_whitespace().nth(1).unwrap_or("").to_owned())
        })
        .unwrap_or_default();
    assert_eq!(
        uid, "0",
        "CONSTAT_REAL_TESTS=1 needs root (network and mount namespaces)"
    );
    for tool in tools {
        let found = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
            .iter()
            .any(|dir| Path::new(dir).join(tool).exists());
        assert!(
            found,
            "CONSTAT_REAL_TESTS=1 needs `{tool}` (see .ci/run for the Debian packages)"
        );
    }
    true
}

/// Runs a command, panicking with its output when it fails.
pub fn sh(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A user account of a simulated host.
#[derive(Debug, Clone)]
pub struct Account {
    /// Login.
    pub name: String,
    /// Password (lab only).
    pub password: String,
    /// May run anything with `sudo` (password asked).
    pub sudo: bool,
}

/// One simulated host.
#[derive(Debug)]
pub struct SshHost {
    /// Index in the lab.
    pub index: u32,
    /// Network namespace.
    pub netns: String,
    /// Address.
    pub address: String,
    /// Its directory (config, keys, /tmp, overlay layers).
    pub dir: PathBuf,
    /// Accounts created at start.
    pub accounts: Vec<Account>,
    /// Shell run at start, inside the host's namespaces, after the accounts and before sshd
    /// (`set -e`): the host state a test or benchmark prepares (writes under /etc and /home
    /// land in the host's overlays, never on the machine).
    pub setup: String,
    child: Option<Child>,
}

/// A private network of simulated hosts and a client namespace.
#[derive(Debug)]
pub struct Lab {
    /// Unique id (pid + counter).
    pub id: String,
    /// Third byte of 10.203.<n>.0/24.
    pub subnet: u32,
    /// Client namespace, where `constat` runs.
    pub client_ns: String,
    /// Lab directory.
    pub dir: PathBuf,
    /// Private key accepted for root on every host.
    pub client_key: PathBuf,
    /// The hosts.
    pub hosts: Vec<SshHost>,
}

impl Lab {
    /// Creates the client namespace and bridge.
    pub fn new() -> Lab {
        let counter = COUNTER.fetch_add(1, Ordering::SeqCst);
        let pid = std::process::id();
        let id = format!("{}{}", pid % 100_000, counter);
        let dir = PathBuf::from(format!("/var/tmp/constat-lab-{pid}-{counter}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let client_ns = format!("cst{id}-cl");
        let lab = Lab {
            subnet: (pid + counter) % 250 + 1,
            client_ns,
            client_key: dir.join("client_key"),
            dir,
            hosts: Vec::new(),
            id,
        };
        sh("ip", &["netns", "add", &lab.client_ns]);
        let ns = lab.client_ns.as_str();
        sh("ip", &["-n", ns, "link", "set", "lo", "up"]);
        sh("ip", &["-n", ns, "link", "add", "br0", "type", "bridge"]);
        sh(
            "ip",
            &[
                "-n",
                ns,
                "addr",
                "add",
                &format!("10.203.{}.1/24", lab.subnet),
                "dev",
                "br0",
            ],
        );
        sh("ip", &["-n", ns, "link", "set", "br0", "up"]);
        let key = lab.client_key.display().to_string();
        sh("ssh-keygen", &["-q", "-t", "ed25519", "-N", "", "-f", &key]);
        lab
    }

    /// Adds a host (network only; start its sshd with [`Lab::start`]).
    pub fn add_host(&mut self, accounts: Vec<Account>) -> usize {
        let index = self.hosts.len() as u32;
        let netns = format!("cst{}-h{index}", self.id);
        let address = format!("10.203.{}.{}", self.subnet, 10 + index);
        let dir = self.dir.join(format!("h{index}"));
        for sub in [
            "tmp",
            "etc-upper",
            "etc-work",
            "home-upper",
            "home-work",
            "keys",
        ] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        sh("chmod", &["1777", &dir.join("tmp").display().to_string()]);
        sh("ip", &["netns", "add", &netns]);
        let peer = format!("v{}h{index}", self.id);
        sh(
            "ip",
            &[
                "link", "add", &peer, "type", "veth", "peer", "name", "eth0", "netns", &netns,
            ],
        );
        sh("ip", &["link", "set", &peer, "netns", &self.client_ns]);
        sh(
            "ip",
            &[
                "-n",
                &self.client_ns,
                "link",
                "set",
                &peer,
                "master",
                "br0",
                "up",
            ],
        );
        sh(
            "ip",
            &[
                "-n",
                &netns,
                "addr",
                "add",
                &format!("{address}/24"),
                "dev",
                "eth0",
            ],
        );
        sh("ip", &["-n", &netns, "link", "set", "eth0", "up"]);
        sh("ip", &["-n", &netns, "link", "set", "lo", "up"]);
        let host_key = dir.join("keys/host_key").display().to_string();
        sh(
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-f", &host_key],
        );
        let authorized = dir.join("keys/authorized_root");
        std::fs::copy(self.client_key.with_extension("pub"), &authorized).unwrap();
        let config = format!(
            "ListenAddress {address}\nPort 22\nHostKey {host_key}\nPidFile none\nUsePAM no\n\
             PermitRootLogin prohibit-password\nPasswordAuthentication yes\n\
             KbdInteractiveAuthentication no\nAuthorizedKeysFile {keys}/authorized_%u\n\
             StrictModes no\nMaxStartups 200\nLogLevel INFO\n",
            keys = dir.join("keys").display()
        );
        std::fs::write(dir.join("sshd_config"), config).unwrap();
        self.hosts.push(SshHost {
            index,
            netns,
            address,
            dir,
            accounts,
            setup: String::new(),
            child: None,
        });
        self.hosts.len() - 1
    }

    /// Starts (or restarts) host `i`'s sshd and waits until it listens.
    pub fn start(&mut self, i: usize) {
        self.stop(i);
        let host = &mut self.hosts[i];
        let d = host.dir.display().to_string();
        let mut setup = format!(
            "set -e\n\
             mount -t overlay overlay -o lowerdir=/etc,upperdir={d}/etc-upper,workdir={d}/etc-work /etc\n\
             mount -t overlay overlay -o lowerdir=/home,upperdir={d}/home-upper,workdir={d}/home-work /home\n\
             mount --bind {d}/tmp /tmp\n\
             mount -t tmpfs tmpfs /run && mkdir -p /run/sshd\n"
        );
        for account in &host.accounts {
            let name = &account.name;
            setup.push_str(&format!(
                "id -u {name} >/dev/null 2>&1 || useradd -m -s /bin/sh {name}\n\
                 echo '{name}:{pw}' | chpasswd\n",
                pw = account.password
            ));
            if account.sudo {
                setup.push_str(&format!(
                    "echo '{name} ALL=(ALL) ALL' > /etc/sudoers.d/constat-lab && chmod 440 /etc/sudoers.d/constat-lab\n"
                ));
            }
        }
        setup.push_str(&host.setup);
        setup.push('\n');
        setup.push_str(&format!("exec /usr/sbin/sshd -D -e -f {d}/sshd_config\n"));
        let log = std::fs::File::create(host.dir.join("sshd.log")).unwrap();
        let child = crate::daemon::command("ip")
            .args([
                "netns",
                "exec",
                &host.netns,
                "unshare",
                "--mount",
                "--propagation",
                "private",
            ])
            .args([
                "--pid",
                "--fork",
                "--kill-child",
                "--mount-proc",
                "sh",
                "-c",
                &setup,
            ])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        host.child = Some(child);
        let started = Instant::now();
        loop {
            let text = std::fs::read_to_string(host.dir.join("sshd.log")).unwrap_or_default();
            if text.contains("Server listening") {
                break;
            }
            if started.elapsed() > Duration::from_secs(10) || text.contains("Cannot bind") {
                let pids = sh("ip", &["netns", "pids", &host.netns]);
                let sockets = sh("ip", &["netns", "exec", &host.netns, "ss", "-ltnp"]);
                panic!(
                    "sshd of {} did not start: {text}\npids: {pids}\nsockets: {sockets}",
                    host.address
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops host `i`'s sshd (the address stays up: connections are refused).
    pub fn stop(&mut self, i: usize) {
        let host = &mut self.hosts[i];
        stop_child(&mut host.child);
        // The namespace's processes die asynchronously after unshare: wait until none is
        // left, so that a restarted sshd can bind the port again.
        let started = Instant::now();
        // The listening socket can outlive the processes by a few milliseconds.
        while !sh("ip", &["netns", "pids", &host.netns]).trim().is_empty()
            || !sh("ip", &["netns", "exec", &host.netns, "ss", "-Hltn"])
                .trim()
                .is_empty()
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "processes of {} did not stop",
                host.netns
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The SHA-256 fingerprint of host `i`'s SSH key, as `ssh-keygen -l` prints it.
    pub fn host_key_fingerprint(&self, i: usize) -> String {
        let public = self.hosts[i].dir.join("keys/host_key.pub");
        let listed = sh(
            "ssh-keygen",
            &["-l", "-E", "sha256", "-f", &public.display().to_string()],
        );
        listed
            .split_whitespace()
            .nth(1)
            .unwrap_or_else(|| panic!("no fingerprint in {listed}"))
            .to_owned()
    }

    /// Gives host `i` a new SSH key (a reinstalled VM, or another machine at its address)
    /// and restarts its sshd; answers the new key's fingerprint.
    pub fn new_host_key(&mut self, i: usize) -> String {
        let key = self.hosts[i].dir.join("keys/host_key");
        let _ = std::fs::remove_file(&key);
        let _ = std::fs::remove_file(key.with_extension("pub"));
        sh(
            "ssh-keygen",
            &[
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                &key.display().to_string(),
            ],
        );
        self.start(i);
        self.host_key_fingerprint(i)
    }

    /// Freezes (SIGSTOP) or thaws (SIGCONT) every process of host `i`: a frozen host
    /// accepts TCP connections (the kernel does) but its sshd never answers, like a hung VM.
    /// (netem would be closer to a slow link, but the sch_netem module is not always there.)
    pub fn set_frozen(&self, i: usize, frozen: bool) {
        let pids = sh("ip", &["netns", "pids", &self.hosts[i].netns]);
        let signal = if frozen { "-STOP" } else { "-CONT" };
        for pid in pids.split_whitespace() {
            sh("kill", &[signal, pid]);
        }
    }

    /// Files left in host `i`'s /tmp.
    pub fn tmp_files(&self, i: usize) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.hosts[i].dir.join("tmp"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A command run inside the client namespace.
    pub fn client_command(&self, program: &Path) -> Command {
        // A client program may be a server (`constat serve` in pull mode).
        let mut command = crate::daemon::command("ip");
        crate::real::without_user_env(&mut command)
            .args(["netns", "exec", &self.client_ns])
            .arg(program);
        command
    }

    /// Replaces the lab's addresses by `[NET]` in `text`.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&format!("10.203.{}.", self.subnet), "[NET].")
            .replace(&self.dir.display().to_string(), "[LAB]")
    }
}

impl Default for Lab {
    fn default() -> Lab {
        Lab::new()
    }
}

fn stop_child(child: &mut Option<Child>) {
    if let Some(mut c) = child.take() {
        // `unshare --kill-child`: when it dies, the pid namespace's init (sh → sshd) gets
        // SIGKILL, and every process of the namespace with it.
        let _ = c.kill();
        let _ = c.wait();
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for host in &mut self.hosts {
            stop_child(&mut host.child);
        }
        for host in &self.hosts {
            let _ = Command::new("ip")
                .args(["netns", "del", &host.netns])
                .output();
        }
        let _ = Command::new("ip")
            .args(["netns", "del", &self.client_ns])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Path of a binary of this workspace (`constat`, `constat-agent`) in the target directory
/// of the running test, built (or brought up to date) with cargo first.
pub fn workspace_binary(name: &str) -> PathBuf {
    static BUILT: Mutex<Vec<(String, PathBuf)>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, path)) = built.iter().find(|(n, _)| n == name) {
        return path.clone();
    }
    let exe = std::env::current_exe().unwrap();
    // target/debug/deps/<test> → target/debug/<name>
    let profile_dir = exe.parent().and_then(Path::parent).unwrap().to_owned();
    let path = profile_dir.join(name);
    let package = if name == "constat" {
        "constat-cli"
    } else {
        name
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut build = Command::new(cargo);
    build.args(["build", "--quiet", "-p", package, "--bin", name]);
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    let status = build
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success(), "cannot build {name}");
    assert!(path.exists(), "{} not found after building", path.display());
    built.push((name.to_owned(), path.clone()));
    path
}
