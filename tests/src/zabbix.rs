//! A real Zabbix 6.0 server for the real tier, in a network namespace of its own with only
//! loopback: PostgreSQL 15 (a cluster restored from a cached archive with Zabbix's schema
//! loaded, `scripts/zabbix-db-build.sh`), `zabbix_server`, `zabbix_agentd` and the frontend's
//! API under `php -S 127.0.0.1:8080` (with `/etc/zabbix` bind-mounted from the run directory
//! in the php process's own mount namespace: nothing is written under /etc). Everything is
//! stopped and removed on drop.
//!
//! [`ZabbixLab::start`] also configures it through the API: a read-only user group and user
//! ([`READER_USER`], [`READER_PASSWORD`]) with an API token, the host `srv-debian-01`
//! monitored by the agent, a trapper item `backup.flag` and the trigger « Backup missing on
//! srv-debian-01 » (`last(…)=0`, high).

use crate::shell::sh;
use serde_json::{Value, json};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const CACHE_DIR: &str = "/var/tmp/constat-tests";
const PGB: &str = "/usr/lib/postgresql/15/bin";
/// The API's address inside the namespace.
pub const API_PORT: u16 = 8080;
/// The read-only account the collector uses.
pub const READER_USER: &str = "constat";
/// Its password (not Zabbix's default `zabbix`, which the scrubber would mask everywhere).
pub const READER_PASSWORD: &str = "Lecture-seule-2026";
/// The supervised host.
pub const HOST: &str = "srv-debian-01";
/// The trapper item the test feeds.
pub const FLAG_KEY: &str = "backup.flag";
/// The trigger on it.
pub const TRIGGER: &str = "Backup missing on srv-debian-01";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A running Zabbix.
pub struct ZabbixLab {
    dir: PathBuf,
    ns: String,
    php: Option<Child>,
    admin_token: String,
    /// API token of [`READER_USER`].
    pub reader_token: String,
}

fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The cached cluster archive, built under the cache lock on first use; its name hashes the
/// build script and the installed schema, so either changing rebuilds it.
fn cached_db() -> Result<PathBuf, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/zabbix-db-build.sh");
    let text = std::fs::read(&script).map_err(|e| format!("{}: {e}", script.display()))?;
    let schema = "/usr/share/zabbix-server-pgsql/schema.sql.gz";
    let schema_bytes = std::fs::read(schema).map_err(|e| {
        format!("{schema}: {e} (install zabbix-server-pgsql, see the package list in .ci/run)")
    })?;
    let hash = fnv(text.into_iter().chain(schema_bytes));
    let cache = Path::new(CACHE_DIR);
    std::fs::create_dir_all(cache).map_err(|e| format!("{CACHE_DIR}: {e}"))?;
    let archive = cache.join(format!("zabbix-db-{hash:016x}.tar.zst"));
    let lock = File::create(cache.join("build.lock"))
        .map_err(|e| format!("{CACHE_DIR}/build.lock: {e}"))?;
    lock.lock()
        .map_err(|e| format!("lock {CACHE_DIR}/build.lock: {e}"))?;
    if !archive.exists() {
        let build = cache.join(format!("zabbix-build-{hash:016x}"));
        sh(
            "zabbix-db-build.sh",
            &format!(
                "'{}' '{}' '{}'",
                script.display(),
                build.display(),
                archive.display()
            ),
        )?;
        if let Ok(entries) = std::fs::read_dir(cache) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with("zabbix-db-") && entry.path() != archive {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }
    Ok(archive)
}

impl ZabbixLab {
    /// Restores the database, starts PostgreSQL, the server, the agent and the API in a new
    /// network namespace, waits for the API and configures the lab objects.
    pub fn start() -> Result<ZabbixLab, String> {
        crate::real::require_programs(&[
            "zabbix_server",
            "zabbix_agentd",
            "zabbix_sender",
            "php",
            "curl",
            "zstd",
            "ip",
        ]);
        let archive = cached_db()?;
        let unique = format!(
            "{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut lab = ZabbixLab {
            dir: Path::new(CACHE_DIR).join(format!("zabbix-run-{unique}")),
            ns: format!("czbx-{unique}"),
            php: None,
            admin_token: String::new(),
            reader_token: String::new(),
        };
        let d = lab.dir.display().to_string();
        let ns = lab.ns.clone();
        sh(
            "prepare the run directory",
            &format!(
                "set -e; mkdir -p '{d}/run' '{d}/etc'; chmod 0755 '{d}'; chown postgres '{d}'; chown zabbix '{d}/run'
                 zstd -dc '{archive}' | tar -C '{d}' -xf -
                 ip netns add {ns}; ip -n {ns} link set lo up",
                archive = archive.display()
            ),
        )?;
        sh(
            "start PostgreSQL",
            &format!(
                "ip netns exec {ns} su postgres -s /bin/sh -c \"{PGB}/pg_ctl -D '{d}/pg' -o \\\"-p 5432 -k '{d}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off\\\" -l '{d}/pg.log' -w start\""
            ),
        )?;
        // `Timeout=30` (the most Zabbix 6.0 allows; 3 s by default): on a loaded machine a
        // slow answer of the agent is waited for instead of making the host unreachable, then
        // unavailable after `UnreachablePeriod`, which the snapshots would show as `down`.
        std::fs::write(
            lab.dir.join("server.conf"),
            format!(
                "LogFile={d}/run/server.log\nPidFile={d}/run/server.pid\nSocketDir={d}/run\n\
                 DBHost=127.0.0.1\nDBPort=5432\nDBName=zabbix\nDBUser=zabbix\nDBPassword=zbx\n\
                 ListenIP=127.0.0.1\nStartPollers=1\nStartPreprocessors=1\nStartTrappers=1\n\
                 StartPingers=0\nStartDiscoverers=0\nStartHTTPPollers=0\nStartAlerters=1\n\
                 StartEscalators=1\nStartTimers=1\nUnreachablePeriod=5\nUnavailableDelay=5\n\
                 Timeout=30\n"
            ),
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(
            lab.dir.join("agent.conf"),
            format!(
                "LogFile={d}/run/agent.log\nPidFile={d}/run/agent.pid\nServer=127.0.0.1\n\
                 ListenIP=127.0.0.1\nHostname={HOST}\nStartAgents=1\nTimeout=30\n"
            ),
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(
            lab.dir.join("etc/zabbix.conf.php"),
            "<?php\n$DB['TYPE']='POSTGRESQL'; $DB['SERVER']='127.0.0.1'; $DB['PORT']='5432'; \
             $DB['DATABASE']='zabbix'; $DB['USER']='zabbix'; $DB['PASSWORD']='zbx'; $DB['SCHEMA']='';\n\
             $DB['ENCRYPTION']=false; $DB['KEY_FILE']=''; $DB['CERT_FILE']=''; $DB['CA_FILE']=''; \
             $DB['VERIFY_HOST']=false; $DB['CIPHER_LIST']='';\n$DB['VAULT_URL']=''; \
             $DB['VAULT_DB_PATH']=''; $DB['VAULT_TOKEN']=''; $DB['DOUBLE_IEEE754']=true;\n\
             $ZBX_SERVER='127.0.0.1'; $ZBX_SERVER_PORT='10051'; $ZBX_SERVER_NAME='constat'; \
             $IMAGE_FORMAT_DEFAULT=IMAGE_FORMAT_PNG;\n",
        )
        .map_err(|e| e.to_string())?;
        sh(
            "start zabbix_server and zabbix_agentd",
            &format!(
                "ip netns exec {ns} /usr/sbin/zabbix_server -c '{d}/server.conf' && \
                 ip netns exec {ns} /usr/sbin/zabbix_agentd -c '{d}/agent.conf'"
            ),
        )?;
        let log = File::create(lab.dir.join("php.log")).map_err(|e| e.to_string())?;
        let log2 = log.try_clone().map_err(|e| e.to_string())?;
        // `ip netns exec` gives the command a mount namespace of its own: the bind mount
        // over /etc/zabbix is seen by php only.
        lab.php = Some(
            crate::daemon::command("ip")
                .args(["netns", "exec", &ns, "sh", "-c"])
                .arg(format!(
                    "mount --bind '{d}/etc' /etc/zabbix && exec php -S 127.0.0.1:{API_PORT} -t /usr/share/zabbix"
                ))
                // The session collects its three candidates at once: one worker would answer
                // them in turn, each within the host limit only on an idle machine.
                .env("PHP_CLI_SERVER_WORKERS", "4")
                .stdin(Stdio::null())
                .stdout(log)
                .stderr(log2)
                .spawn()
                .map_err(|e| format!("start php: {e}"))?,
        );
        lab.wait_for_api()?;
        lab.configure()?;
        Ok(lab)
    }

    /// Runs `argv` in the lab's namespace.
    pub fn in_ns(&self, argv: &[&str]) -> std::io::Result<std::process::Output> {
        crate::real::without_user_env(&mut Command::new("ip"))
            .args(["netns", "exec", &self.ns])
            .args(argv)
            .stdin(Stdio::null())
            .output()
    }

    /// Calls the API (as the administrator once logged in).
    pub fn api(&self, method: &str, params: Value) -> Result<Value, String> {
        let mut body = json!({"jsonrpc": "2.0", "method": method, "params": params, "id": 1});
        if !self.admin_token.is_empty() && method != "user.login" {
            body["auth"] = Value::String(self.admin_token.clone());
        }
        let out = self
            .in_ns(&[
                "curl",
                "-sS",
                "-m",
                "60",
                "-H",
                "Content-Type: application/json-rpc",
                "-d",
                &body.to_string(),
                &format!("http://127.0.0.1:{API_PORT}/api_jsonrpc.php"),
            ])
            .map_err(|e| format!("curl: {e}"))?;
        let answer: Value = serde_json::from_slice(&out.stdout).map_err(|e| {
            format!(
                "{method}: {e}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
        match answer.get("result") {
            Some(result) => Ok(result.clone()),
            None => Err(format!("{method}: {answer}")),
        }
    }

    fn wait_for_api(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            match self.api("apiinfo.version", json!({})) {
                Ok(_) => return Ok(()),
                Err(e) if Instant::now() > deadline => {
                    return Err(format!(
                        "the Zabbix API did not answer in 180 s: {e}; php.log: {}",
                        std::fs::read_to_string(self.dir.join("php.log")).unwrap_or_default()
                    ));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(300)),
            }
        }
    }

    fn id(value: &Value, pointer: &str) -> Result<String, String> {
        value
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("no {pointer} in {value}"))
    }

    fn configure(&mut self) -> Result<(), String> {
        let token = self.api(
            "user.login",
            json!({"username": "Admin", "password": "zabbix"}),
        )?;
        self.admin_token = token.as_str().unwrap_or_default().to_owned();
        // Read-only on "Linux servers" (group 2).
        let group = self.api(
            "usergroup.create",
            json!({"name": "constat readers", "rights": [{"permission": 2, "id": "2"}]}),
        )?;
        let user = self.api(
            "user.create",
            json!({"username": READER_USER, "passwd": READER_PASSWORD, "roleid": "1",
                   "usrgrps": [{"usrgrpid": Self::id(&group, "/usrgrpids/0")?}]}),
        )?;
        let token = self.api(
            "token.create",
            json!({"name": "constat", "userid": Self::id(&user, "/userids/0")?}),
        )?;
        let generated = self.api("token.generate", json!([Self::id(&token, "/tokenids/0")?]))?;
        self.reader_token = Self::id(&generated, "/0/token")?;
        let host = self.api(
            "host.create",
            json!({"host": HOST, "groups": [{"groupid": "2"}],
                   "interfaces": [{"type": 1, "main": 1, "useip": 1, "ip": "127.0.0.1", "dns": "", "port": "10050"}]}),
        )?;
        let host_id = Self::id(&host, "/hostids/0")?;
        let iface = self.api("hostinterface.get", json!({"hostids": host_id}))?;
        self.api(
            "item.create",
            json!({"hostid": host_id, "name": "Agent ping", "key_": "agent.ping", "type": 0,
                   "value_type": 3, "interfaceid": Self::id(&iface, "/0/interfaceid")?, "delay": "5s"}),
        )?;
        self.api(
            "item.create",
            json!({"hostid": host_id, "name": "Backup flag", "key_": FLAG_KEY, "type": 2, "value_type": 3}),
        )?;
        self.api(
            "trigger.create",
            json!({"description": "Backup missing on {HOST.NAME}",
                   "expression": format!("last(/{HOST}/{FLAG_KEY})=0"), "priority": 4}),
        )?;
        sh(
            "reload the server's configuration cache",
            &format!(
                "/usr/sbin/zabbix_server -c '{}/server.conf' -R config_cache_reload",
                self.dir.display()
            ),
        )?;
        Ok(())
    }

    /// Sends `value` to the trapper item (retried until the server's cache knows it).
    pub fn send_flag(&self, value: u8) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let out = self
                .in_ns(&[
                    "zabbix_sender",
                    "-z",
                    "127.0.0.1",
                    "-s",
                    HOST,
                    "-k",
                    FLAG_KEY,
                    "-o",
                    &value.to_string(),
                ])
                .map_err(|e| format!("zabbix_sender: {e}"))?;
            let text = String::from_utf8_lossy(&out.stdout);
            if text.contains("processed: 1") {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("zabbix_sender never accepted: {text}"));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// Waits until the trigger's value is `value` (1 = problem) and the agent has answered.
    pub fn wait_trigger(&self, value: &str) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let triggers = self.api(
                "trigger.get",
                json!({"output": ["value"], "filter": {"description": "Backup missing on {HOST.NAME}"}}),
            )?;
            let hosts = self.api(
                "host.get",
                json!({"output": ["host"], "filter": {"host": HOST}, "selectInterfaces": ["available"]}),
            )?;
            let trigger_ok = triggers.pointer("/0/value").and_then(Value::as_str) == Some(value);
            let agent_up = hosts
                .pointer("/0/interfaces/0/available")
                .and_then(Value::as_str)
                == Some("1");
            if trigger_ok && agent_up {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "trigger value {value} not reached: {triggers} {hosts}"
                ));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    fn pid(&self, name: &str) -> Option<i32> {
        std::fs::read_to_string(self.dir.join("run").join(name))
            .ok()
            .and_then(|t| t.trim().parse().ok())
    }
}

/// `pid` and its descendants (the daemons' children rename themselves, so they are found by
/// parent id, never by name).
pub(crate) fn with_descendants(pid: i32) -> Vec<i32> {
    let mut parents: Vec<(i32, i32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(child) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // `pid (comm) state ppid …`: comm may hold spaces, so split after the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<i32>().ok());
        if let Some(ppid) = ppid {
            parents.push((child, ppid));
        }
    }
    let mut family = vec![pid];
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        family.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    family
}

pub(crate) fn alive(pid: i32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

impl Drop for ZabbixLab {
    fn drop(&mut self) {
        let d = self.dir.display().to_string();
        if let Some(mut php) = self.php.take() {
            // The master and its workers (PHP_CLI_SERVER_WORKERS): killed alone, the master
            // would leave its workers listening.
            let master = i32::try_from(php.id()).unwrap_or(0);
            let workers: Vec<i32> = with_descendants(master)
                .into_iter()
                .filter(|p| *p != master)
                .collect();
            let _ = php.kill();
            let _ = php.wait();
            for pid in workers.into_iter().filter(|p| alive(*p)) {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
        }
        // Server and agent first (the server's HA manager spins when the database goes).
        let mains: Vec<i32> = [self.pid("server.pid"), self.pid("agent.pid")]
            .into_iter()
            .flatten()
            .collect();
        let mut pids: Vec<i32> = mains.iter().copied().flat_map(with_descendants).collect();
        for pid in &mains {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            pids.retain(|p| alive(*p));
            if pids.is_empty() || Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        for pid in pids {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        let _ = sh(
            "stop PostgreSQL",
            &format!("su postgres -s /bin/sh -c \"{PGB}/pg_ctl -D '{d}/pg' -m fast -w stop\""),
        );
        let _ = Command::new("ip").args(["netns", "del", &self.ns]).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
