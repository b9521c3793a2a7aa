//! Running processes from /proc (`stat`, `status`, `cmdline`, `exe`), with command-line
//! arguments that look like secrets replaced by `***`.

use crate::context::{Context, Update};
use crate::host::Host;
use crate::id_names::IdNames;
use constat_snapshot::Section;
use constat_snapshot::services::Process;

/// A process as read from /proc, before names are resolved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProcEntry {
    /// Process id.
    pub pid: u32,
    /// Parent process id.
    pub ppid: Option<u32>,
    /// `comm`.
    pub name: String,
    /// Real uid.
    pub uid: Option<u32>,
    /// Executable path (needs privileges for other users' processes).
    pub exe: Option<String>,
    /// First argument.
    pub argv0: Option<String>,
    /// Arguments, already redacted.
    pub args: Vec<String>,
}

/// Reads processes (live hosts only).
pub fn collect(ctx: &Context) -> Update {
    let host = &*ctx.host;
    let section = if !host.is_live() {
        Section::not_collected("offline root: no running processes to read")
    } else if !host.exists("/proc/self/stat") {
        Section::error("/proc is not mounted: cannot list processes")
    } else {
        let names = IdNames::load(host);
        Section::collected(
            read_proc(host)
                .into_iter()
                // Kernel threads have no command line.
                .filter(|p| !p.args.is_empty())
                .map(|p| Process {
                    pid: p.pid,
                    ppid: p.ppid,
                    name: p.name,
                    user: p.uid.map(|u| names.user(u)),
                    exe: p.exe,
                    cmdline: Some(p.args.join(" ")),
                })
                .collect(),
        )
    };
    Box::new(move |s| s.processes = section)
}

/// Every process of /proc, sorted by pid. Processes that exit while being read are skipped.
pub fn read_proc(host: &dyn Host) -> Vec<ProcEntry> {
    let mut out: Vec<ProcEntry> = host
        .read_dir("/proc")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|name| name.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = host.read_to_string(&format!("/proc/{pid}/stat")).ok()?;
            let (name, ppid) = parse_stat(&stat)?;
            let uid = host
                .read_to_string(&format!("/proc/{pid}/status"))
                .ok()
                .and_then(|s| real_uid(&s));
            let cmdline = host
                .read(&format!("/proc/{pid}/cmdline"))
                .unwrap_or_default();
            let args: Vec<String> = cmdline
                .split(|&b| b == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            let exe = host.read_link(&format!("/proc/{pid}/exe")).ok().map(|p| {
                p.to_string_lossy()
                    .trim_end_matches(" (deleted)")
                    .to_owned()
            });
            Some(ProcEntry {
                pid,
                ppid: Some(ppid),
                name,
                uid,
                exe,
                argv0: args.first().cloned(),
                args: redact_args(&args),
            })
        })
        .collect();
    out.sort_by_key(|p| p.pid);
    out
}

/// `pid (comm) state ppid …` → (comm, ppid). comm may contain spaces and parentheses.
pub fn parse_stat(stat: &str) -> Option<(String, u32)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?.to_owned();
    let mut rest = stat.get(close + 1..)?.split_whitespace();
    let _state = rest.next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some((name, ppid))
}

fn real_uid(status: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api-key",
    "api_key",
    "credential",
    "auth",
];
/// Tools whose `-p` option carries a password glued or separate.
const P_PASSWORD_TOOLS: &[&str] = &[
    "mysql",
    "mysqldump",
    "mysqladmin",
    "mariadb",
    "mariadb-dump",
    "mariadb-admin",
    "sshpass",
    "mysqlimport",
    "mysqlcheck",
];

fn is_secret_key(key: &str) -> bool {
    let key = key.trim_start_matches('-').to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| {
        key == *w
            || key.ends_with(&format!("_{w}"))
            || key.ends_with(&format!("-{w}"))
            || key.starts_with(&format!("{w}_"))
            || key.starts_with(&format!("{w}-"))
    })
}

/// Replaces secret-looking arguments by `***`: `--password x`, `--password=x`, `-pX`/`-p X`
/// for mysql-like tools, `KEY=value` when KEY names a secret, credentials in URLs, and
/// `user%password` for smbclient-style `-U`.
pub fn redact_args(args: &[String]) -> Vec<String> {
    let tool = args
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_owned())
        .unwrap_or_default();
    let p_is_password = P_PASSWORD_TOOLS.contains(&tool.as_str());
    let mut out = Vec::with_capacity(args.len());
    let mut hide_next = false;
    for (i, arg) in args.iter().enumerate() {
        if hide_next {
            out.push("***".to_owned());
            hide_next = false;
            continue;
        }
        if i > 0 && p_is_password && arg.starts_with("-p") && !arg.starts_with("--") {
            if arg == "-p" {
                // sshpass -p X and mysql -p X (mysql would prompt, but hide it anyway).
                hide_next = tool == "sshpass";
                out.push(arg.clone());
            } else {
                out.push("-p***".to_owned());
            }
            continue;
        }
        if let Some((key, _)) = arg.split_once('=')
            && is_secret_key(key)
        {
            out.push(format!("{key}=***"));
            continue;
        }
        if arg.starts_with('-') && is_secret_key(arg) {
            out.push(arg.clone());
            hide_next = true;
            continue;
        }
        if i > 0 && args[i - 1] == "-U" && arg.contains('%') {
            let user = arg.split('%').next().unwrap_or_default();
            out.push(format!("{user}%***"));
            continue;
        }
        out.push(redact_url(arg));
    }
    out
}

/// `scheme://user:password@host` → `scheme://user:***@host`.
fn redact_url(arg: &str) -> String {
    let Some(scheme_end) = arg.find("://") else {
        return arg.to_owned();
    };
    let rest = &arg[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &arg[..scheme_end + 3],
            &authority[..colon],
            &rest[at..]
        ),
        _ => arg.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(line: &str) -> String {
        let args: Vec<String> = line.split(' ').map(str::to_owned).collect();
        redact_args(&args).join(" ")
    }

    #[test]
    fn secrets_are_redacted() {
        let cases = [
            "mysql -u root -pS3cret! wordpress",
            "/usr/bin/mysqldump --user=root --password=S3cret! --all-databases",
            "sshpass -p S3cret! ssh backup@10.0.0.5",
            "app --password S3cret! --verbose",
            "app --db-password=S3cret! --token abcdef",
            "env PASS=S3cret! DB_PASSWORD=S3cret! PATH=/usr/bin run",
            "curl https://admin:S3cret!@intranet.horizon.lan/api",
            "smbclient //srv/partage -U alice%S3cret!",
            "borg create --api_key=S3cret! /repo::x /home",
            "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;",
            "ps -p 1",
        ];
        let out: Vec<String> = cases.iter().map(|c| redact(c)).collect();
        for line in &out {
            assert!(!line.contains("S3cret!"), "secret survived in {line}");
        }
        insta::assert_yaml_snapshot!(out);
    }

    #[test]
    fn stat_with_odd_names() {
        assert_eq!(
            parse_stat("1234 (tmux: server (x)) S 1 1234 1234 0 -1"),
            Some(("tmux: server (x)".to_owned(), 1))
        );
        assert_eq!(parse_stat("garbage"), None);
    }
}
