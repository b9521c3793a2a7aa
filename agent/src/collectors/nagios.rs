//! The `supervision` section of a host running Nagios (Debian's `nagios4-core`, Nagios 3, or
//! Nagios Core built under /usr/local/nagios): its live `status.dat`, parsed here by the one
//! reader the CLI's `import nagios` uses (`constat_snapshot::nagios_status`).
//!
//! Nothing to configure: the status file is the `status_file=` of the first main
//! configuration found ([`MAIN_CONFIGS`]), or that package's default path when the
//! configuration names none; without any configuration, the packages' default status files
//! ([`DEFAULT_STATUS_FILES`]). No Nagios at all is `not_collected` naming what was looked for.
//!
//! The candidate is root on the host: every file is resolved first (symbolic links followed,
//! an offline root's links kept under the root), refused under /proc, /sys and /dev or when
//! it names a secret file, opened without blocking (a FIFO never hangs the agent), read only
//! if it is a regular file, and bounded ([`MAX_SUPERVISION_BYTES`] for the status file,
//! [`MAX_CONFIG_BYTES`] for the configuration): past that it is an `error` saying so.

use crate::collectors::files::resolve;
use crate::context::{Context, Update};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::nagios_status::{MAX_SUPERVISION_BYTES, parse_nagios_status};
use constat_snapshot::secrets;
use constat_snapshot::supervision::Supervision;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;

/// Main configurations looked for, in order, each with its package's default status file.
pub const MAIN_CONFIGS: [(&str, &str); 4] = [
    ("/etc/nagios4/nagios.cfg", "/var/lib/nagios4/status.dat"),
    ("/etc/nagios3/nagios.cfg", "/var/cache/nagios3/status.dat"),
    (
        "/usr/local/nagios/etc/nagios.cfg",
        "/usr/local/nagios/var/status.dat",
    ),
    ("/etc/nagios/nagios.cfg", "/var/log/nagios/status.dat"),
];

/// Status files looked for when no main configuration exists.
pub const DEFAULT_STATUS_FILES: [&str; 4] = [
    "/var/lib/nagios4/status.dat",
    "/var/cache/nagios3/status.dat",
    "/usr/local/nagios/var/status.dat",
    "/var/log/nagios/status.dat",
];

/// Largest main configuration read.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Pseudo-file systems a status file may not resolve into (/dev/zero, /proc/kcore, …).
const REFUSED_TREES: [&str; 3] = ["/proc", "/sys", "/dev"];

/// Collects the `supervision` section.
pub fn collect(ctx: &Context) -> Update {
    let section = read(&*ctx.host);
    Box::new(move |s| s.supervision = section)
}

/// Finds and reads the status file.
pub fn read(host: &dyn Host) -> Section<Supervision> {
    let (status_file, origin) = match find_status_file(host) {
        Ok(Some(found)) => found,
        Ok(None) => {
            let configs: Vec<&str> = MAIN_CONFIGS.iter().map(|(c, _)| *c).collect();
            return Section::not_collected(format!(
                "no Nagios on this host: no main configuration ({}) and no status file ({})",
                configs.join(", "),
                DEFAULT_STATUS_FILES.join(", ")
            ));
        }
        Err(message) => return Section::error(message),
    };
    let bytes = match read_bounded(host, &status_file, MAX_SUPERVISION_BYTES as u64) {
        Ok(bytes) => bytes,
        Err(why) => {
            let hint = if !host.exists(&status_file) {
                ": is Nagios running? (it removes its status file when it stops)"
            } else {
                ""
            };
            return Section::error(format!(
                "Nagios status file {status_file} ({origin}): {why}{hint}"
            ));
        }
    };
    match parse_nagios_status(&bytes, &status_file) {
        Ok(mut supervision) => {
            supervision.source = Some(format!("{status_file} ({origin})"));
            Section::collected(supervision)
        }
        Err(e) => Section::error(format!("{e} ({origin})")),
    }
}

/// The status file and where its path came from; `None` when no Nagios is found.
fn find_status_file(host: &dyn Host) -> Result<Option<(String, String)>, String> {
    for (config, default) in MAIN_CONFIGS {
        if !host.exists(config) {
            continue;
        }
        let text = read_bounded(host, config, MAX_CONFIG_BYTES)
            .map_err(|why| format!("Nagios main configuration {config}: {why}"))?;
        let text = String::from_utf8_lossy(&text);
        return Ok(Some(match status_file_of(&text) {
            Some(path) if path.starts_with('/') => {
                (path.to_owned(), format!("status_file of {config}"))
            }
            Some(path) => {
                return Err(format!(
                    "Nagios main configuration {config}: status_file={path} is not an absolute path: Nagios would not find it either"
                ));
            }
            None => (
                default.to_owned(),
                format!("default of {config}, which names no status_file"),
            ),
        }));
    }
    Ok(DEFAULT_STATUS_FILES
        .iter()
        .find(|p| host.exists(p))
        .map(|p| {
            (
                (*p).to_owned(),
                "default path, no main configuration".to_owned(),
            )
        }))
}

/// The last `status_file=` of a main configuration (Nagios keeps the last one).
pub fn status_file_of(config: &str) -> Option<&str> {
    config
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with(';'))
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| k.trim() == "status_file")
        .map(|(_, v)| v.trim())
        .rfind(|v| !v.is_empty())
}

/// A regular file's bytes, at most `limit`; why not otherwise.
pub fn read_bounded(host: &dyn Host, path: &str, limit: u64) -> Result<Vec<u8>, String> {
    let resolved = resolve(host, path);
    let via = if resolved == path {
        String::new()
    } else {
        format!(" (resolves to {resolved})")
    };
    if REFUSED_TREES
        .iter()
        .any(|t| resolved == *t || resolved.starts_with(&format!("{t}/")))
    {
        return Err(format!(
            "not a regular file{via}: a status file is never read from /proc, /sys or /dev"
        ));
    }
    if let Some(why) = secrets::secret_path(&resolved) {
        return Err(format!("refused{via}: {why}"));
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        // Opening a FIFO returns at once instead of waiting for a writer.
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(host.path(&resolved))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("does not exist{via}"),
            _ => format!("cannot open{via}: {e}"),
        })?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read its metadata{via}: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "not a regular file{via} (a directory, FIFO, socket or device): pass the status file Nagios writes"
        ));
    }
    if meta.len() > limit {
        return Err(format!(
            "{} bytes{via}, over the {limit}-byte limit: not read",
            meta.len()
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.by_ref()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read{via}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "grew past the {limit}-byte limit while read{via}: not read"
        ));
    }
    if let Some(why) = secrets::secret_content(&bytes) {
        return Err(format!("refused{via}: {why}"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    //! The status file is the real one Debian's Nagios 4.4.6 wrote on this machine
    //! (`testdata/recorded_nagios-4.4__status.dat`, see `testdata/SOURCES.md`).
    use super::*;
    use crate::host::LocalHost;
    use crate::test_root::write;

    fn sample() -> String {
        std::fs::read_to_string(format!(
            "{}/src/collectors/testdata/recorded_nagios-4.4__status.dat",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    fn json(section: &Section<Supervision>) -> serde_json::Value {
        serde_json::to_value(section).unwrap()
    }

    #[test]
    fn status_file_named_by_the_main_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(
            r,
            "/etc/nagios4/nagios.cfg",
            "# status_file=/nowhere\nlog_file=/var/log/nagios4/nagios.log\nstatus_file=/srv/first.dat\nstatus_file = /srv/nagios/status.dat\n",
            0o644,
        );
        write(r, "/srv/nagios/status.dat", &sample(), 0o644);
        let section = read(&LocalHost::offline(r));
        let value = json(&section);
        assert_eq!(value["status"], "collected", "{value:#}");
        assert_eq!(
            value["data"]["source"],
            "/srv/nagios/status.dat (status_file of /etc/nagios4/nagios.cfg)"
        );
        insta::assert_json_snapshot!(value);
    }

    #[test]
    fn package_defaults_and_no_nagios() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        let host = LocalHost::offline(r);
        insta::assert_json_snapshot!("no_nagios", json(&read(&host)));
        write(r, "/usr/local/nagios/var/status.dat", &sample(), 0o644);
        let value = json(&read(&host));
        assert_eq!(
            value["data"]["source"],
            "/usr/local/nagios/var/status.dat (default path, no main configuration)"
        );
        write(r, "/etc/nagios3/nagios.cfg", "log_file=/x\n", 0o644);
        let value = json(&read(&host));
        assert_eq!(
            value["message"],
            "Nagios status file /var/cache/nagios3/status.dat (default of /etc/nagios3/nagios.cfg, which names no status_file): does not exist: is Nagios running? (it removes its status file when it stops)"
        );
    }

    /// What a hostile candidate can put in the way: every case is an `error` that says why,
    /// read bounded, and nothing blocks (the FIFO has no writer).
    #[test]
    fn hostile_status_files_are_bounded_errors() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        let host = LocalHost::offline(r);
        let config = |target: &str| {
            write(
                r,
                "/etc/nagios4/nagios.cfg",
                &format!("status_file={target}\n"),
                0o644,
            );
        };
        let mut seen = Vec::new();
        let mut case = |name: &str| {
            let value = json(&read(&host));
            assert_eq!(value["status"], "error", "{name}: {value:#}");
            seen.push(format!("{name}: {}", value["message"].as_str().unwrap()));
        };
        std::fs::create_dir_all(r.join("srv")).unwrap();
        // Over the limit (sparse: no disk used).
        config("/srv/huge.dat");
        let huge = std::fs::File::create(r.join("srv/huge.dat")).unwrap();
        huge.set_len(MAX_SUPERVISION_BYTES as u64 + 1).unwrap();
        case("huge");
        // Binary garbage.
        config("/srv/garbage.dat");
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        std::fs::write(r.join("srv/garbage.dat"), garbage).unwrap();
        case("garbage");
        // Symbolic links out to pseudo-files: /dev/zero, /proc/kcore (absolute links stay
        // under the offline root; a live host's resolve to the real ones, refused by name).
        config("/srv/zero.dat");
        std::os::unix::fs::symlink("/dev/zero", r.join("srv/zero.dat")).unwrap();
        case("symlink to /dev/zero");
        config("/srv/kcore.dat");
        std::os::unix::fs::symlink("../proc/kcore", r.join("srv/kcore.dat")).unwrap();
        case("symlink to /proc/kcore");
        // A FIFO without a writer.
        config("/srv/fifo.dat");
        let fifo = r.join("srv/fifo.dat");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        case("fifo");
        // A directory, a secret file, a relative path, a configuration over its limit.
        config("/srv");
        case("directory");
        write(r, "/etc/shadow", "root:*:19000::::::\n", 0o640);
        config("/etc/shadow");
        case("secret");
        config("status.dat");
        case("relative");
        let big = std::fs::File::create(r.join("etc/nagios4/nagios.cfg")).unwrap();
        big.set_len(MAX_CONFIG_BYTES + 1).unwrap();
        case("config too big");
        insta::assert_snapshot!(seen.join("\n"));
    }

    /// On the live machine, links to the real /dev/zero and /proc/kcore are refused before any
    /// open, and /dev/zero itself would be refused as not a regular file.
    #[test]
    fn live_pseudo_files_are_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("status.dat");
        std::os::unix::fs::symlink("/proc/kcore", &link).unwrap();
        let host = LocalHost::live();
        let e = read_bounded(&host, link.to_str().unwrap(), 1024).unwrap_err();
        assert!(e.contains("resolves to /proc/kcore"), "{e}");
        let e = read_bounded(&host, "/dev/zero", 1024).unwrap_err();
        assert!(e.starts_with("not a regular file"), "{e}");
    }
}
