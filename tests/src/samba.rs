//! A throw-away Samba AD DC in its own network, mount and pid namespaces, plus a client
//! network namespace wired only to it (no default route): the collector runs in the client
//! namespace, so LDAP and SMB traffic can never leave the machine.
//!
//! The DC is provisioned and populated once by `tests/scripts/samba-dc-build.sh` (about a
//! minute) and cached as a `.tar.zst` with xattrs (SYSVOL ACLs live in `security.NTACL`).
//! Each test restores the archive into its own directory (paths in smb.conf rewritten) and
//! starts it in about two seconds. [`SambaDc`]'s `Drop` kills samba (PID 1 of its pid
//! namespace, so its helpers die with it), deletes both namespaces and the directory, even
//! when the test fails.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Address of the DC inside the lab network (a point-to-point link between two
/// namespaces the test creates; nothing else is reachable).
pub const DC_IP: &str = "10.204.0.10";
/// Address of the client namespace.
pub const CLIENT_IP: &str = "10.204.0.20";
/// Administrator password of the lab domain.
pub const ADMIN_PASSWORD: &str = "Passw0rd!TSSR";

const CACHE_DIR: &str = "/var/tmp/constat-tests";
/// A cached DC older than this is rebuilt: the passwords set at the build (Administrator's,
/// which the tests bind with, included) expire with the domain's maximum age (90 days in the
/// lab DC, `--max-pwd-age=90`; Samba's default of about 42 in the exam DC) and Samba's
/// self-signed certificate after 700 days, so an archive built long ago would bind, collect
/// and grade otherwise than a fresh one.
const ARCHIVE_MAX_AGE: Duration = Duration::from_secs(30 * 86_400);
static COUNTER: AtomicU32 = AtomicU32::new(0);

fn run(what: &str, command: &mut Command) -> Result<Output, String> {
    let output = command
        .output()
        .map_err(|e| format!("{what}: cannot run: {e} (is the tool installed?)"))?;
    if !output.status.success() {
        return Err(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output)
}

fn sh(what: &str, script: &str) -> Result<Output, String> {
    run(what, Command::new("sh").arg("-c").arg(script))
}

/// `script` preceded by the definition of `gpo_create NAME [samba-tool options…]`
/// (`tests/scripts/gpo-create.sh`): every GPO a test creates goes through it, so a flaky
/// `samba-tool gpo create` is retried (bounded) with each failed attempt's output shown.
pub fn with_gpo_create(script: &str) -> String {
    format!(". '{}'\n{script}", build_script("gpo-create.sh").display())
}

/// Which DC to restore and how to wire it.
#[derive(Debug, Clone)]
pub struct DcOptions {
    /// Build script under `tests/scripts/` (its hash names the cached archive).
    pub script: &'static str,
    /// Prefix of the cached archive's name (archives of the same prefix and another hash
    /// are stale and removed).
    pub archive_prefix: &'static str,
    /// The DC's address.
    pub dc_ip: String,
    /// Where the DC's link goes.
    pub link: DcLink,
}

/// The other end of the DC's veth.
#[derive(Debug, Clone)]
pub enum DcLink {
    /// A client namespace of its own (created and deleted with the DC) with this address,
    /// point-to-point /24 with the DC.
    OwnClient {
        /// Address of the client namespace.
        client_ip: String,
    },
    /// A bridge in an existing namespace (owned by the caller): the DC's veth peer is
    /// enslaved to it.
    Bridge {
        /// The namespace holding the bridge.
        netns: String,
        /// The bridge's name in that namespace.
        bridge: String,
        /// Prefix length of the DC's address.
        prefix: u8,
    },
}

impl Default for DcOptions {
    /// The populated DC of the AD tests (`samba-dc-build.sh`) at [`DC_IP`] with its own
    /// client namespace at [`CLIENT_IP`].
    fn default() -> DcOptions {
        DcOptions {
            script: "samba-dc-build.sh",
            archive_prefix: "samba-dc-",
            dc_ip: DC_IP.to_owned(),
            link: DcLink::OwnClient {
                client_ip: CLIENT_IP.to_owned(),
            },
        }
    }
}

fn build_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(name)
}

/// The cached archive, built under a lock on first use. Its name carries a hash of the
/// build scripts, so changing them rebuilds it.
fn cached_archive(options: &DcOptions) -> Result<(PathBuf, PathBuf), String> {
    let script_path = build_script(options.script);
    let script =
        std::fs::read(&script_path).map_err(|e| format!("{}: {e}", script_path.display()))?;
    let helper =
        std::fs::read(script_path.with_file_name("make_registry_pol.py")).unwrap_or_default();
    let netns_lib = std::fs::read(script_path.with_file_name("dc-netns.sh")).unwrap_or_default();
    let gpo_lib = std::fs::read(script_path.with_file_name("gpo-create.sh")).unwrap_or_default();
    let hash = script
        .iter()
        .chain(&helper)
        .chain(&netns_lib)
        .chain(&gpo_lib)
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
        });
    let cache = Path::new(CACHE_DIR);
    std::fs::create_dir_all(cache).map_err(|e| format!("{CACHE_DIR}: {e}"))?;
    let prefix = options.archive_prefix;
    let archive = cache.join(format!("{prefix}{hash:016x}.tar.zst"));
    let build_dir = cache.join(format!("build-{hash:016x}")).join("dc");
    let lock = File::create(cache.join("build.lock"))
        .map_err(|e| format!("{CACHE_DIR}/build.lock: {e}"))?;
    lock.lock()
        .map_err(|e| format!("lock {CACHE_DIR}/build.lock: {e}"))?;
    if is_older_than(&archive, ARCHIVE_MAX_AGE) {
        std::fs::remove_file(&archive)
            .map_err(|e| format!("remove the stale {}: {e}", archive.display()))?;
    }
    if !archive.exists() {
        let parent = build_dir.parent().unwrap_or(cache);
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        run(
            options.script,
            crate::daemon::command(&script_path)
                .arg(&build_dir)
                .arg(&archive)
                .arg(format!("cdcb-{}", std::process::id())),
        )?;
        let _ = std::fs::remove_dir_all(parent);
        // Archives of older build scripts are stale: remove them.
        if let Ok(entries) = std::fs::read_dir(cache) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(prefix)
                    && name.ends_with(".tar.zst")
                    && name.len() == prefix.len() + 16 + ".tar.zst".len()
                    && entry.path() != archive
                {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
    Ok((archive, build_dir))
}

/// Whether `path` exists and was last written more than `age` ago.
fn is_older_than(path: &Path, age: Duration) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|written| written.elapsed().ok())
        .is_some_and(|elapsed| elapsed > age)
}

/// A running lab DC and its client namespace.
pub struct SambaDc {
    dir: PathBuf,
    dc_ns: String,
    /// The namespace the DC is reached from (its own client namespace or the caller's).
    client_ns: String,
    /// Whether `client_ns` was created here (and is deleted on drop).
    owns_client: bool,
    dc_ip: String,
    samba: Option<Child>,
}

impl SambaDc {
    /// Restores the cached DC, wires the namespaces and starts samba; waits until LDAPS and
    /// SMB answer from the client namespace.
    pub fn start() -> Result<SambaDc, String> {
        SambaDc::start_with(&DcOptions::default())
    }

    /// Restores the DC that `options` names, wires it as asked and starts samba; waits
    /// until LDAPS and SMB answer from the client side.
    pub fn start_with(options: &DcOptions) -> Result<SambaDc, String> {
        for tool in [
            "samba",
            "smbclient",
            "ip",
            "unshare",
            "zstd",
            "tar",
            "samba-tool",
            "ldapmodify",
        ] {
            if !Command::new("sh")
                .arg("-c")
                .arg(format!("command -v {tool}"))
                .output()
                .is_ok_and(|o| o.status.success())
            {
                return Err(format!(
                    "{tool} is missing: install samba-ad-dc, smbclient, ldap-utils, zstd, iproute2"
                ));
            }
        }
        let (archive, build_dir) = cached_archive(options)?;
        let unique = format!(
            "{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let (client_ns, owns_client) = match &options.link {
            DcLink::OwnClient { .. } => (format!("ccl-{unique}"), true),
            DcLink::Bridge { netns, .. } => (netns.clone(), false),
        };
        let mut dc = SambaDc {
            dir: Path::new(CACHE_DIR).join(format!("run-{unique}")),
            dc_ns: format!("cdc-{unique}"),
            client_ns,
            owns_client,
            dc_ip: options.dc_ip.clone(),
            samba: None,
        };
        std::fs::create_dir_all(&dc.dir).map_err(|e| format!("{}: {e}", dc.dir.display()))?;
        sh(
            "restore DC archive",
            &format!(
                "zstd -dc '{}' | tar --xattrs --xattrs-include='*' --acls -C '{}' -xf -",
                archive.display(),
                dc.dir.display()
            ),
        )?;
        let dc_dir = dc.dir.join("dc");
        let conf = dc_dir.join("etc/smb.conf");
        let text =
            std::fs::read_to_string(&conf).map_err(|e| format!("{}: {e}", conf.display()))?;
        std::fs::write(
            &conf,
            text.replace(
                &build_dir.display().to_string(),
                &dc_dir.display().to_string(),
            ),
        )
        .map_err(|e| format!("{}: {e}", conf.display()))?;
        let (d, c, ip) = (dc.dc_ns.clone(), dc.client_ns.clone(), dc.dc_ip.clone());
        let link = match &options.link {
            DcLink::OwnClient { client_ip } => format!(
                "ip netns add {c} && \
                 ip -n {d} link add vn-dc type veth peer name eth0 netns {c} && \
                 ip -n {d} addr add {ip}/24 dev vn-dc && \
                 ip -n {c} addr add {client_ip}/24 dev eth0 && ip -n {c} link set eth0 up && ip -n {c} link set lo up"
            ),
            DcLink::Bridge { bridge, prefix, .. } => format!(
                "ip -n {d} link add vn-dc type veth peer name vd{unique} netns {c} && \
                 ip -n {d} addr add {ip}/{prefix} dev vn-dc && \
                 ip -n {c} link set vd{unique} master {bridge} up"
            ),
        };
        sh(
            "create namespaces",
            &format!(
                "ip netns add {d} && {link} && \
                 ip -n {d} link set vn-dc up && ip -n {d} link set lo up && \
                 mkdir -p /etc/netns/{d} /run/samba && printf 'nameserver {ip}\\nsearch tssr.lan\\n' > /etc/netns/{d}/resolv.conf"
            ),
        )?;
        // The client namespace must have no default route: nothing can leave the machine.
        let routes = sh(
            "check client routes",
            &format!("ip -n {c} route show default"),
        )?;
        if !routes.stdout.is_empty() {
            return Err(format!(
                "client namespace {c} has a default route: refusing to run"
            ));
        }
        let log =
            File::create(dc_dir.join("log/samba-fg.log")).map_err(|e| format!("samba log: {e}"))?;
        let child = crate::daemon::command("ip")
            .args([
                "netns",
                "exec",
                &d,
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--pid",
                "--fork",
            ])
            .args(["--kill-child=SIGTERM", "--mount-proc", "sh", "-c"])
            .arg(format!(
                "mount -t tmpfs tmpfs /run/samba && exec samba -s {} -F --debug-stdout",
                conf.display()
            ))
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("start samba: {e}"))?;
        dc.samba = Some(child);
        dc.wait_port(636)?;
        dc.wait_port(445)?;
        Ok(dc)
    }

    fn wait_port(&self, port: u16) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let ok = Command::new("ip")
                .args(["netns", "exec", &self.client_ns, "bash", "-c"])
                .arg(format!("exec 3<>/dev/tcp/{}/{port}", self.dc_ip))
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!(
            "the lab DC did not open port {port} within 60 s; see {}/dc/log/samba-fg.log",
            self.dir.display()
        ))
    }

    /// Runs `collector` (the `constat-ldap-collect` binary) in the client namespace with
    /// `settings` on its stdin; its JSON answer (`snapshot` or `error`), or a panic showing
    /// both outputs.
    pub fn collect_json(
        &self,
        collector: &Path,
        settings: &serde_json::Value,
    ) -> serde_json::Value {
        let output = self
            .run_in_client(collector, &[], &settings.to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "collector output is not JSON ({e}):\n{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        })
    }

    /// The snapshot of a collection that must succeed ([`Self::collect_json`] without an
    /// `error`).
    pub fn collect_snapshot(
        &self,
        collector: &Path,
        settings: &serde_json::Value,
    ) -> constat_snapshot::Snapshot {
        let result = self.collect_json(collector, settings);
        assert!(result.get("error").is_none(), "{result}");
        constat_snapshot::Snapshot::from_json(&result["snapshot"].to_string())
            .unwrap_or_else(|e| panic!("the collector's snapshot: {e}"))
    }

    /// The collector settings of an administrator bind over LDAPS to this DC (certificate
    /// not verified); tests add their own keys (`offset_minutes`, `sysvol`).
    pub fn admin_settings(&self) -> serde_json::Value {
        serde_json::json!({
            "url": format!("ldaps://{}", self.dc_ip),
            "bind_dn": "Administrator@tssr.lan",
            "password": ADMIN_PASSWORD,
            "tls": "insecure",
        })
    }

    /// Runs a program inside the client namespace with `stdin` as input.
    pub fn run_in_client(
        &self,
        program: &Path,
        args: &[&str],
        stdin: &str,
    ) -> Result<Output, String> {
        use std::io::Write;
        let mut child = crate::real::without_user_env(&mut Command::new("ip"))
            .args(["netns", "exec", &self.client_ns])
            .arg(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", program.display()))?;
        if let Some(mut input) = child.stdin.take() {
            input
                .write_all(stdin.as_bytes())
                .map_err(|e| format!("stdin: {e}"))?;
        }
        child
            .wait_with_output()
            .map_err(|e| format!("{}: {e}", program.display()))
    }

    /// Runs a shell command inside the DC namespace (samba-tool, ldapmodify against the DC).
    pub fn run_in_dc(&self, script: &str) -> Result<Output, String> {
        run(
            script,
            Command::new("ip").args(["netns", "exec", &self.dc_ns, "sh", "-c", script]),
        )
    }

    /// The DC's working directory (`…/dc`).
    pub fn dir(&self) -> PathBuf {
        self.dir.join("dc")
    }

    /// The DC's address.
    pub fn ip(&self) -> &str {
        &self.dc_ip
    }
}

impl Drop for SambaDc {
    fn drop(&mut self) {
        if let Some(mut child) = self.samba.take() {
            // `ip netns exec` execs unshare, whose child is samba (PID 1 of the pid ns):
            // SIGTERM to it ends every helper of the namespace.
            let pid = child.id();
            let _ = Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "for p in $(ps --ppid {pid} -o pid=); do kill -TERM $p; done"
                ))
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        if self.owns_client {
            let _ = Command::new("ip")
                .args(["netns", "del", &self.client_ns])
                .status();
        }
        // Deleting the DC namespace deletes its veth, and so the peer on the bridge.
        let _ = Command::new("ip")
            .args(["netns", "del", &self.dc_ns])
            .status();
        let _ = std::fs::remove_dir_all(format!("/etc/netns/{}", self.dc_ns));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
