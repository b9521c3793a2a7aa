//! A real systemd to collect from: a minimal Debian root (debootstrap, built once and cached
//! under /var/cache/constat-tests, keyed by a hash of its recipe), cloned per test with an
//! overlay and booted with `systemd-nspawn -b` in a private network namespace that has only
//! a loopback interface.
//!
//! Host PID 1 is not systemd here, so nspawn runs with `--register=no --keep-unit` inside
//! its own cgroup directory (see /work/shared/notes/lab.md §3). [`Container`]'s drop powers
//! the container off (SIGTERM to nspawn, forwarded as SIGRTMIN+3), then unmounts the overlay,
//! removes the cgroup directories and the network namespace, even when the test failed.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Packages added to `--variant=minbase` (the exam lab's Linux server needs sshd, sudo,
/// nftables, nginx and tar; nginx is stopped and disabled by the lab's start state).
pub const PACKAGES: &[&str] = &[
    "systemd",
    "systemd-sysv",
    "dbus",
    "cron",
    "iproute2",
    "openssh-server",
    "sudo",
    "nftables",
    "nginx-light",
    "tar",
];
const CACHE_DIR: &str = "/var/cache/constat-tests";
/// Safety bound on a container's boot (systemd started, then startup finished): the waits
/// are on systemd's own answers; this only ends a boot that never finishes.
const BOOT_BOUND_S: u64 = 300;
const CGROUP_ROOTS: &[&str] = &[
    "/sys/fs/cgroup/unified",
    "/sys/fs/cgroup/systemd",
    "/sys/fs/cgroup",
];

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The Debian mirror and suite apt is configured with on this machine.
pub fn host_mirror() -> (String, String) {
    let mut mirror = None;
    let mut suite = None;
    let dir = Path::new("/etc/apt/sources.list.d");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".sources"))
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    texts.sort();
    for text in &texts {
        for line in text.lines() {
            if let Some(v) = line.strip_prefix("URIs:") {
                let uri = v.split_whitespace().next().unwrap_or_default();
                if mirror.is_none() && uri.ends_with("/debian") {
                    mirror = Some(uri.to_owned());
                }
            }
            if let Some(v) = line.strip_prefix("Suites:")
                && suite.is_none()
            {
                suite = v
                    .split_whitespace()
                    .find(|s| !s.contains('-'))
                    .map(str::to_owned);
            }
        }
    }
    if mirror.is_none()
        && let Ok(text) = std::fs::read_to_string("/etc/apt/sources.list")
    {
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let ["deb", url, s, ..] = words.as_slice()
                && !s.contains('-')
            {
                mirror = Some((*url).to_owned());
                suite = Some((*s).to_owned());
                break;
            }
        }
    }
    let mirror = mirror.unwrap_or_else(|| {
        panic!("no Debian mirror found in /etc/apt/sources.list*: configure apt first")
    });
    let suite = suite.unwrap_or_else(|| panic!("no Debian suite found in /etc/apt/sources.list*"));
    (mirror, suite)
}

/// The cached Debian root, built with debootstrap on first use (a few minutes).
pub fn debian_root() -> PathBuf {
    let (mirror, suite) = host_mirror();
    let recipe = format!("minbase|{suite}|{mirror}|{}", PACKAGES.join(","));
    let key: String = Sha256::digest(recipe.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect();
    let root = PathBuf::from(format!("{CACHE_DIR}/debian-root-{key}"));
    if root.join(".constat-complete").exists() {
        return root;
    }
    std::fs::create_dir_all(CACHE_DIR).unwrap_or_else(|e| panic!("cannot create {CACHE_DIR}: {e}"));
    let partial = PathBuf::from(format!("{}.partial-{}", root.display(), std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    let started = Instant::now();
    let out = Command::new("debootstrap")
        .args([
            "--variant=minbase",
            &format!("--include={}", PACKAGES.join(",")),
        ])
        .arg(&suite)
        .arg(&partial)
        .arg(&mirror)
        .output()
        .unwrap_or_else(|e| panic!("cannot run debootstrap: {e} (package debootstrap)"));
    if !out.status.success() {
        let _ = std::fs::remove_dir_all(&partial);
        panic!(
            "debootstrap {suite} from {mirror} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::write(
        partial.join(".constat-complete"),
        format!("{recipe}\nbuilt in {} s\n", started.elapsed().as_secs()),
    )
    .unwrap_or_else(|e| panic!("cannot mark {} complete: {e}", partial.display()));
    // Another test process may have finished first: keep its root, drop ours.
    if std::fs::rename(&partial, &root).is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    assert!(
        root.join(".constat-complete").exists(),
        "{} was not built",
        root.display()
    );
    root
}

/// A booted systemd container; powered off and cleaned up on drop.
pub struct Container {
    name: String,
    dir: PathBuf,
    netns: String,
    cgroup: String,
    nspawn: Option<Child>,
    leader: Option<u32>,
}

impl Container {
    /// Clones `root` with an overlay, lets `prepare` write into the clone (units, binaries),
    /// then boots it and waits until systemd has finished starting up.
    pub fn boot(root: &Path, label: &str, prepare: impl FnOnce(&Path)) -> Container {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!("cst-{label}-{}-{n}", std::process::id());
        let dir = PathBuf::from(format!("/tmp/constat-nspawn-{}-{n}", std::process::id()));
        let mut container = Container {
            netns: name.clone(),
            cgroup: name.clone(),
            name,
            dir,
            nspawn: None,
            leader: None,
        };
        let merged = container.merged();
        for sub in ["upper", "work", "merged"] {
            std::fs::create_dir_all(container.dir.join(sub))
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", container.dir.display()));
        }
        run_ok(
            Command::new("mount")
                .args(["-t", "overlay", "overlay", "-o"])
                .arg(format!(
                    "lowerdir={},upperdir={}/upper,workdir={}/work",
                    root.display(),
                    container.dir.display(),
                    container.dir.display()
                ))
                .arg(&merged),
        );
        std::fs::write(merged.join("etc/hostname"), format!("{}\n", container.name))
            .unwrap_or_else(|e| panic!("cannot write the hostname: {e}"));
        prepare(&merged);
        // A network namespace with only `lo`: nothing inside can reach another machine.
        run_ok(Command::new("ip").args(["netns", "add", &container.netns]));
        let cgroup_dir = cgroup_parent().join(&container.cgroup);
        std::fs::create_dir_all(&cgroup_dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", cgroup_dir.display()));
        // CAP_NET_ADMIN: nspawn only keeps it with its own private networking, and units
        // such as nftables.service need it; the namespace is the container's own anyway.
        let script = format!(
            "echo $$ > {}/cgroup.procs; exec systemd-nspawn -q -D {} -b -M {} --register=no --keep-unit \
             --console=passive --capability=CAP_NET_ADMIN --network-namespace-path=/run/netns/{}",
            cgroup_dir.display(),
            merged.display(),
            container.name,
            container.netns
        );
        let log = std::fs::File::create(container.dir.join("console.log"))
            .unwrap_or_else(|e| panic!("cannot create the console log: {e}"));
        let child = crate::daemon::command("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(
                log.try_clone()
                    .unwrap_or_else(|e| panic!("console log: {e}")),
            )
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start systemd-nspawn: {e}"));
        let nspawn_pid = child.id();
        container.nspawn = Some(child);
        container.leader = Some(container.wait_for_leader(nspawn_pid));
        container.wait_until_started();
        container
    }

    /// The container's network namespace (`ip netns` name; only `lo` until a caller adds
    /// links to it).
    pub fn netns(&self) -> &str {
        &self.netns
    }

    /// The container's root directory as seen from the host (the overlay clone).
    pub fn merged(&self) -> PathBuf {
        self.dir.join("merged")
    }

    /// The container's PID 1 as seen from the host: the `systemd` child of nspawn.
    fn wait_for_leader(&mut self, nspawn_pid: u32) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(BOOT_BOUND_S);
        while Instant::now() < deadline {
            if let Some(pid) = find_child(nspawn_pid, "systemd") {
                return pid;
            }
            if let Some(child) = self.nspawn.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!(
                    "systemd-nspawn exited ({status}) before systemd started:\n{}",
                    self.console()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "systemd did not start in the container within {BOOT_BOUND_S} s:\n{}",
            self.console()
        );
    }

    /// Waits until systemd says it has finished starting up (`running`, or `degraded` when a
    /// unit failed, as the agent tests' failing service does): `is-system-running --wait`
    /// blocks until then, however slow the machine. It answers at once (`offline`, or
    /// nothing) while the manager does not listen yet: only then is it asked again. The
    /// bound is a safety net against a boot that never ends, not a wait.
    fn wait_until_started(&self) {
        let deadline = Instant::now() + Duration::from_secs(BOOT_BOUND_S);
        loop {
            let bound = BOOT_BOUND_S.to_string();
            let out = self.exec(&[
                "timeout",
                &bound,
                "systemctl",
                "is-system-running",
                "--wait",
            ]);
            let state = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            match state.as_str() {
                "running" | "degraded" => return,
                "maintenance" | "stopping" => panic!(
                    "the container's systemd is {state} instead of starting up:\n{}",
                    self.console()
                ),
                _ if Instant::now() > deadline => panic!(
                    "the container did not finish booting within {BOOT_BOUND_S} s (last state \
                     {state:?}):\n{}",
                    self.console()
                ),
                _ => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }

    /// Runs a program inside the container (all its namespaces and its root).
    pub fn exec(&self, args: &[&str]) -> Output {
        let leader = self
            .leader
            .unwrap_or_else(|| panic!("container not booted"));
        Command::new("nsenter")
            .args(["-t", &leader.to_string(), "-a", "-r", "-w", "--"])
            .args(args)
            .env_clear()
            .env(
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            )
            .output()
            .unwrap_or_else(|e| panic!("cannot run nsenter: {e}"))
    }

    /// The console output so far (for failure messages).
    pub fn console(&self) -> String {
        std::fs::read_to_string(self.dir.join("console.log")).unwrap_or_default()
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        if let Some(mut child) = self.nspawn.take() {
            let pid = child.id().to_string();
            // nspawn was exec'd by the shell, so the child pid is nspawn's.
            let _ = Command::new("kill").args(["-TERM", &pid]).status();
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                }
            }
        }
        let merged = self.merged();
        let _ = Command::new("umount").arg(&merged).status();
        let _ = Command::new("ip")
            .args(["netns", "del", &self.netns])
            .status();
        for root in CGROUP_ROOTS {
            remove_cgroup_tree(&Path::new(root).join(&self.cgroup));
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where to create the container's own cgroup (hybrid hosts have `unified`).
fn cgroup_parent() -> PathBuf {
    let unified = Path::new("/sys/fs/cgroup/unified");
    if unified.join("cgroup.procs").exists() {
        unified.to_path_buf()
    } else {
        PathBuf::from("/sys/fs/cgroup")
    }
}

fn remove_cgroup_tree(dir: &Path) {
    if !dir.is_dir() {
        return;
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_cgroup_tree(&entry.path());
            }
        }
    }
    let _ = std::fs::remove_dir(dir);
}

fn find_child(parent: u32, comm: &str) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_string_lossy().parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let open = stat.find('(')?;
        let close = stat.rfind(')')?;
        let name = &stat[open + 1..close];
        let ppid: u32 = stat[close + 1..].split_whitespace().nth(1)?.parse().ok()?;
        (ppid == parent && name == comm).then_some(pid)
    })
}

fn run_ok(command: &mut Command) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        out.status.success(),
        "{command:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
