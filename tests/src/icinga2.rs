//! A real Icinga2 2.13 for the real tier, in a network namespace of its own with only
//! loopback: the REST API on 127.0.0.1:5665 with a certificate for `localhost` signed by a CA
//! made here (openssl, in the run directory), an `ApiUser` allowed only to query hosts,
//! services and downtimes ([`READER_USER`]), an `ApiUser` `examiner` that may schedule
//! downtimes ([`Icinga2Lab::schedule_downtime`]), the host `srv-debian-01` (dummy check, UP) and its service
//! `backup-flag`, a plugin script in the run directory that the test rewrites
//! ([`Icinga2Lab::set_flag_check`]: CRITICAL at start, then OK once the candidate « restores
//! the flag »), checked every second. Started with its stdio closed (`--close-stdio -d`:
//! otherwise it holds the caller's output open); stopped and removed on drop.

use crate::shell::sh;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const RUN_ROOT: &str = "/var/tmp/constat-tests";
/// The API user.
pub const READER_USER: &str = "constat";
/// Its password.
pub const READER_PASSWORD: &str = "Lecture-seule-2026";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A running Icinga2.
pub struct Icinga2Lab {
    dir: PathBuf,
    ns: String,
}

const CONFIG: &str = r#"include <itl>
const NodeName = "localhost"
const ZoneName = "localhost"
object Endpoint NodeName {}
object Zone ZoneName { endpoints = [ NodeName ] }
object ApiListener "api" { bind_host = "127.0.0.1"; bind_port = 5665; accept_config = false; accept_commands = false }
object CheckerComponent "checker" {}
object ApiUser "constat" { password = "Lecture-seule-2026"; permissions = [ "objects/query/Host", "objects/query/Service", "objects/query/Downtime" ] }
object ApiUser "examiner" { password = "Maintenance-2026"; permissions = [ "actions/schedule-downtime" ] }
object Host "srv-debian-01" { address = "127.0.0.1"; check_command = "dummy"; vars.dummy_state = 0; vars.dummy_text = "UP"; check_interval = 1s; retry_interval = 1s }
object CheckCommand "check_flag" { command = [ "@DIR@/check_backup.sh" ] }
object Service "backup-flag" { host_name = "srv-debian-01"; check_command = "check_flag"; check_interval = 1s; retry_interval = 1s; max_check_attempts = 1 }
"#;

/// The output of `backup-flag` while the flag is missing (exit 2, CRITICAL).
pub const FLAG_CRITICAL: &str = "CRITICAL: backup flag missing";

impl Icinga2Lab {
    /// Makes the CA and certificate, writes the configuration, starts Icinga2 in a new
    /// network namespace and waits until the host and the service have been checked.
    pub fn start() -> Result<Icinga2Lab, String> {
        crate::real::require_programs(&["icinga2", "openssl", "curl", "ip"]);
        let unique = format!(
            "{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let lab = Icinga2Lab {
            dir: Path::new(RUN_ROOT).join(format!("icinga2-run-{unique}")),
            ns: format!("cicg-{unique}"),
        };
        let d = lab.dir.display().to_string();
        std::fs::create_dir_all(lab.dir.join("conf")).map_err(|e| format!("{d}: {e}"))?;
        std::fs::write(
            lab.dir.join("conf/icinga2.conf"),
            CONFIG.replace("@DIR@", &d),
        )
        .map_err(|e| e.to_string())?;
        lab.set_flag_check(2, FLAG_CRITICAL)?;
        sh(
            "make the CA, the certificate and the namespace",
            &format!(
                "set -e; cd '{d}'; mkdir -p data/certs log cache spool run
                 openssl req -x509 -newkey rsa:2048 -nodes -keyout data/certs/ca.key -out data/certs/ca.crt -days 2 -subj '/CN=constat test CA' 2>/dev/null
                 openssl req -newkey rsa:2048 -nodes -keyout data/certs/localhost.key -out localhost.csr -subj '/CN=localhost' 2>/dev/null
                 printf 'subjectAltName=DNS:localhost\\n' > san.cnf
                 openssl x509 -req -in localhost.csr -CA data/certs/ca.crt -CAkey data/certs/ca.key -CAcreateserial -out data/certs/localhost.crt -days 2 -extfile san.cnf 2>/dev/null
                 ip netns add {ns}; ip -n {ns} link set lo up",
                ns = lab.ns
            ),
        )?;
        sh(
            "start icinga2",
            &format!(
                "cd '{d}' && ip netns exec {ns} icinga2 daemon -c conf/icinga2.conf -DDataDir='{d}/data' -DLogDir='{d}/log' -DCacheDir='{d}/cache' -DSpoolDir='{d}/spool' -DInitRunDir='{d}/run' -DRunAsUser=root -DRunAsGroup=root --close-stdio -e '{d}/log/error.log' -d </dev/null >/dev/null 2>&1",
                ns = lab.ns
            ),
        )?;
        // Both the service and its host must have been checked once: a host still
        // "pending" would make the collected view depend on how fast this machine is.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let mut texts = Vec::new();
            for objects in ["services", "hosts"] {
                let out = lab
                    .in_ns(&[
                        "curl",
                        "-sS",
                        "-m",
                        "10",
                        "--cacert",
                        &format!("{d}/data/certs/ca.crt"),
                        "-u",
                        &format!("{READER_USER}:{READER_PASSWORD}"),
                        &format!("https://localhost:5665/v1/objects/{objects}?attrs=last_check"),
                    ])
                    .map_err(|e| e.to_string())?;
                texts.push(String::from_utf8_lossy(&out.stdout).into_owned());
            }
            if texts.iter().all(|t| t.contains("\"last_check\":1")) {
                return Ok(lab);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Icinga2 never checked the host and the service in 60 s: {} {}",
                    texts.join(" "),
                    std::fs::read_to_string(lab.dir.join("log/error.log")).unwrap_or_default()
                ));
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Rewrites the plugin of `backup-flag`: prints `output`, exits `exit` (0 OK, 2
    /// CRITICAL). Renamed into place: Icinga2 never runs a half-written script.
    pub fn set_flag_check(&self, exit: u8, output: &str) -> Result<(), String> {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.join("check_backup.sh");
        let tmp = self.dir.join("check_backup.sh.new");
        let write = || -> std::io::Result<()> {
            std::fs::write(&tmp, format!("#!/bin/sh\necho '{output}'\nexit {exit}\n"))?;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))?;
            std::fs::rename(&tmp, &path)
        };
        write().map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Waits (60 s at most) until the API shows `backup-flag` in the state `code` (0 OK,
    /// 2 CRITICAL) from a check run after this call.
    pub fn wait_for_flag_state(&self, code: u8) -> Result<(), String> {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs_f64();
        let d = self.dir.display().to_string();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let out = self
                .in_ns(&[
                    "curl",
                    "-sS",
                    "-m",
                    "10",
                    "--cacert",
                    &format!("{d}/data/certs/ca.crt"),
                    "-u",
                    &format!("{READER_USER}:{READER_PASSWORD}"),
                    "https://localhost:5665/v1/objects/services?attrs=state&attrs=last_check",
                ])
                .map_err(|e| e.to_string())?;
            let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
            let attrs = &answer["results"][0]["attrs"];
            let state = attrs["state"].as_f64().unwrap_or(-1.0);
            let checked = attrs["last_check"].as_f64().unwrap_or(0.0);
            if state == f64::from(code) && checked > since {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Icinga2 did not show backup-flag in state {code} within 60 s: {answer}"
                ));
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// The CA file that verifies the API's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("data/certs/ca.crt")
    }

    /// Schedules a fixed one-hour downtime of the service `backup-flag` through the API
    /// (`POST /v1/actions/schedule-downtime` as `examiner`), as an operator would before a
    /// maintenance.
    pub fn schedule_downtime(&self) -> Result<(), String> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        let body = format!(
            r#"{{"type":"Service","filter":"service.name==\"backup-flag\"","start_time":{now},"end_time":{end},"author":"examiner","comment":"maintenance de la sauvegarde","fixed":true}}"#,
            end = now + 3600
        );
        let d = self.dir.display().to_string();
        let out = self
            .in_ns(&[
                "curl",
                "-sS",
                "-m",
                "10",
                "--cacert",
                &format!("{d}/data/certs/ca.crt"),
                "-u",
                "examiner:Maintenance-2026",
                "-H",
                "Accept: application/json",
                "-X",
                "POST",
                "-d",
                &body,
                "https://localhost:5665/v1/actions/schedule-downtime",
            ])
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&out.stdout);
        if text.contains("\"code\":200") {
            Ok(())
        } else {
            Err(format!(
                "schedule-downtime: {text} {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Runs `argv` in the lab's namespace.
    pub fn in_ns(&self, argv: &[&str]) -> std::io::Result<std::process::Output> {
        crate::real::without_user_env(&mut Command::new("ip"))
            .args(["netns", "exec", &self.ns])
            .args(argv)
            .stdin(Stdio::null())
            .output()
    }
}

impl Drop for Icinga2Lab {
    fn drop(&mut self) {
        let main = std::fs::read_to_string(self.dir.join("run/icinga2.pid"))
            .ok()
            .and_then(|t| t.trim().parse::<i32>().ok());
        if let Some(main) = main {
            let mut pids = crate::zabbix::with_descendants(main);
            let _ = Command::new("kill").arg(main.to_string()).status();
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                pids.retain(|p| crate::zabbix::alive(*p));
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
        }
        let _ = Command::new("ip").args(["netns", "del", &self.ns]).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
