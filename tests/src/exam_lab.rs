//! The end-to-end exam lab of the subject `tssr-2023-msp-titre` (/work/prompts/subject.md):
//! per candidate, a Samba AD DC in the subject's start state (`scripts/exam-dc-build.sh`,
//! cached) and a Debian server booted with `systemd-nspawn -b` on an overlay of the shared
//! cached root, both wired to one examiner network namespace where every `constat` command
//! runs.
//!
//! Addresses: candidate `k` (1-based) has the bridge `br<k>` at 10.205.<k>.1/24 in the
//! examiner namespace, its DC at 10.205.<k>.10 and its Linux server at 10.205.<k>.20. No
//! namespace has a default route: nothing can leave the machine.
//!
//! Dropping the lab powers the containers off, stops the DCs and deletes every namespace,
//! overlay and directory, even when the test failed (each part has its own `Drop`, and the
//! examiner namespace goes last).

use crate::nspawn::{Container, debian_root};
use crate::samba::{ADMIN_PASSWORD, DcLink, DcOptions, SambaDc};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Account the examiner collects the Linux servers with (key login, `sudo` with password).
pub const JURY_USER: &str = "jury";
/// Its sudo password (lab only).
pub const JURY_PASSWORD: &str = "Jury-Exam-2026!";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// One candidate's two VMs.
pub struct CandidateVms {
    /// Candidate id (`cand-a`, ...).
    pub id: String,
    /// Number `k` of the candidate's subnet 10.205.<k>.0/24.
    pub subnet: u8,
    /// The DC (`SRV-AD`).
    pub dc: SambaDc,
    /// The Linux server (`SRV-LNX`).
    pub linux: Container,
}

impl CandidateVms {
    /// The DC's address.
    pub fn dc_ip(&self) -> String {
        format!("10.205.{}.10", self.subnet)
    }

    /// The Linux server's address.
    pub fn linux_ip(&self) -> String {
        format!("10.205.{}.20", self.subnet)
    }

    /// Runs a script inside the Linux server as root; panics with its output on failure.
    pub fn linux_sh(&self, script: &str, args: &[&str]) -> String {
        let mut full = vec!["bash", "-c", script, "bash"];
        full.extend_from_slice(args);
        let out = self.linux.exec(&full);
        checked("linux script", out)
    }

    /// Runs a script file of `tests/scripts/` in the DC's namespace with `args`.
    pub fn dc_script(&self, name: &str, args: &[&str]) -> String {
        let mut line = format!("bash '{}'", scripts_dir().join(name).display());
        for arg in args {
            line.push_str(&format!(" '{arg}'"));
        }
        match self.dc.run_in_dc(&line) {
            Ok(out) => String::from_utf8_lossy(&out.stdout).into_owned(),
            Err(e) => panic!("{e}"),
        }
    }
}

/// The examiner namespace (bridges to every candidate); deleted on drop.
struct Examiner {
    netns: String,
}

impl Drop for Examiner {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.netns])
            .status();
    }
}

/// The whole lab. Field order matters: the candidates' VMs are dropped before the
/// examiner namespace their links end in.
pub struct ExamLab {
    /// The candidates' VMs, in order.
    pub candidates: Vec<CandidateVms>,
    /// Lab directory (the examiner's files: key, inventory, session).
    pub dir: PathBuf,
    examiner: Examiner,
}

/// `tests/scripts/`.
pub fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts")
}

fn checked(what: &str, out: Output) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ip(args: &[&str]) {
    let out = Command::new("ip")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ip: {e}"));
    checked(&format!("ip {}", args.join(" ")), out);
}

impl ExamLab {
    /// Builds the lab for these candidates (ids), all in their start state.
    pub fn start(candidate_ids: &[&str]) -> ExamLab {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let pid = std::process::id();
        let netns = format!("cex-{pid}-{n}");
        let dir = PathBuf::from(format!("/var/tmp/constat-exam-{pid}-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        ip(&["netns", "add", &netns]);
        let mut lab = ExamLab {
            candidates: Vec::new(),
            dir,
            examiner: Examiner { netns },
        };
        let ns = lab.examiner.netns.clone();
        ip(&["-n", &ns, "link", "set", "lo", "up"]);
        let key = lab.client_key();
        let out = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "jury@examiner", "-f"])
            .arg(&key)
            .output()
            .unwrap_or_else(|e| panic!("cannot run ssh-keygen: {e}"));
        checked("ssh-keygen", out);
        let public = std::fs::read_to_string(key.with_extension("pub"))
            .unwrap_or_else(|e| panic!("public key: {e}"));
        let root = debian_root();
        for (i, id) in candidate_ids.iter().enumerate() {
            let subnet = u8::try_from(i + 1).unwrap_or_else(|_| panic!("too many candidates"));
            let bridge = format!("br{subnet}");
            ip(&["-n", &ns, "link", "add", &bridge, "type", "bridge"]);
            ip(&[
                "-n",
                &ns,
                "addr",
                "add",
                &format!("10.205.{subnet}.1/24"),
                "dev",
                &bridge,
            ]);
            ip(&["-n", &ns, "link", "set", &bridge, "up"]);
            let dc = SambaDc::start_with(&DcOptions {
                script: "exam-dc-build.sh",
                archive_prefix: "exam-dc-",
                dc_ip: format!("10.205.{subnet}.10"),
                link: DcLink::Bridge {
                    netns: ns.clone(),
                    bridge: bridge.clone(),
                    prefix: 24,
                },
            })
            .unwrap_or_else(|e| panic!("{e}"));
            let linux = Container::boot(&root, &format!("ex{subnet}"), prepare_linux);
            let vms = CandidateVms {
                id: (*id).to_owned(),
                subnet,
                dc,
                linux,
            };
            // The Linux server's link: a veth from the bridge to its namespace.
            let peer = format!("vl{}x{n}x{subnet}", pid % 1_000_000);
            let cns = vms.linux.netns().to_owned();
            ip(&[
                "-n", &ns, "link", "add", &peer, "type", "veth", "peer", "name", "eth0", "netns",
                &cns,
            ]);
            ip(&["-n", &ns, "link", "set", &peer, "master", &bridge, "up"]);
            ip(&[
                "-n",
                &cns,
                "addr",
                "add",
                &format!("{}/24", vms.linux_ip()),
                "dev",
                "eth0",
            ]);
            ip(&["-n", &cns, "link", "set", "eth0", "up"]);
            vms.linux_sh(JURY_SETUP, &[JURY_USER, JURY_PASSWORD, public.trim()]);
            lab.candidates.push(vms);
            let vms = lab.candidates.last().unwrap_or_else(|| unreachable!());
            lab.wait_port(&vms.linux_ip(), 22);
        }
        lab.assert_no_default_route();
        lab
    }

    /// Private key the examiner logs in to the Linux servers with.
    pub fn client_key(&self) -> PathBuf {
        self.dir.join("jury_key")
    }

    /// The examiner namespace.
    pub fn examiner_netns(&self) -> &str {
        &self.examiner.netns
    }

    /// Fails unless the examiner namespace has no default route (nothing can leave the
    /// machine from it).
    pub fn assert_no_default_route(&self) {
        for family in ["-4", "-6"] {
            let out = Command::new("ip")
                .args([
                    family,
                    "-n",
                    &self.examiner.netns,
                    "route",
                    "show",
                    "default",
                ])
                .output()
                .unwrap_or_else(|e| panic!("cannot run ip: {e}"));
            let routes = checked("ip route show default", out);
            assert!(
                routes.trim().is_empty(),
                "the examiner namespace has a default route ({routes}): refusing to run"
            );
        }
    }

    /// A command run inside the examiner namespace (checked for a default route first).
    pub fn examiner_command(&self, program: &Path) -> Command {
        self.assert_no_default_route();
        let mut command = Command::new("ip");
        crate::real::without_user_env(&mut command)
            .args(["netns", "exec", &self.examiner.netns])
            .arg(program);
        command
    }

    fn wait_port(&self, address: &str, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let ok = Command::new("ip")
                .args(["netns", "exec", &self.examiner.netns, "bash", "-c"])
                .arg(format!("exec 3<>/dev/tcp/{address}/{port}"))
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("{address}:{port} did not answer from the examiner namespace within 30 s");
    }

    /// Replaces the lab's variable parts (directories, namespace names) in a text.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text
            .replace(&self.dir.display().to_string(), "[LAB]")
            .replace(&self.examiner.netns, "[EXAMINER]");
        for vms in &self.candidates {
            text = text.replace(&vms.dc.dir().display().to_string(), "[DC]");
        }
        text
    }

    /// The Administrator password of every lab DC.
    pub fn dc_password(&self) -> &'static str {
        ADMIN_PASSWORD
    }
}

impl Drop for ExamLab {
    fn drop(&mut self) {
        // VMs first (their links end in the examiner namespace), then the namespace.
        self.candidates.clear();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The start state of `SRV-LNX` written into the overlay before boot: host name, nginx
/// installed but disabled (it is stopped since it does not start), no nft ruleset loaded
/// (nftables.service is disabled by Debian's default), `/srv/sauvegardes` (root, 0700).
fn prepare_linux(merged: &Path) {
    let write = |path: &str, text: &str| {
        let p = merged.join(path);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
    };
    write("etc/hostname", "srv-lnx\n");
    write(
        "etc/hosts",
        "127.0.0.1\tlocalhost\n127.0.1.1\tsrv-lnx.tssr.lan srv-lnx\n",
    );
    let wants = merged.join("etc/systemd/system/multi-user.target.wants");
    let _ = std::fs::remove_file(wants.join("nginx.service"));
    let _ = std::fs::remove_file(wants.join("nftables.service"));
    let backups = merged.join("srv/sauvegardes");
    std::fs::create_dir_all(&backups).unwrap_or_else(|e| panic!("{}: {e}", backups.display()));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&backups, std::fs::Permissions::from_mode(0o700))
        .unwrap_or_else(|e| panic!("{}: {e}", backups.display()));
}

/// Creates the examiner's account on a Linux server: `$1` user, `$2` password, `$3` public
/// key; sudo for everything with the password.
const JURY_SETUP: &str = r#"set -e
useradd -m -s /bin/bash -c "Jury d'examen" "$1"
echo "$1:$2" | chpasswd
install -d -m 700 -o "$1" -g "$1" "/home/$1/.ssh"
echo "$3" > "/home/$1/.ssh/authorized_keys"
chown "$1:$1" "/home/$1/.ssh/authorized_keys"
chmod 600 "/home/$1/.ssh/authorized_keys"
echo "$1 ALL=(ALL:ALL) ALL" > "/etc/sudoers.d/$1"
chmod 440 "/etc/sudoers.d/$1"
"#;
