//! Backup jobs recognised among the scheduled jobs (rsync, tar, borg, restic, rsnapshot,
//! duplicity, rclone, dump), directly or through a script read one level deep, with the
//! state of their local destinations (exists, file count, newest file, total size).

use crate::collectors::scheduled_jobs;
use crate::context::{Context, Update};
use crate::host::Host;
use crate::shell_words::simple_commands;
use constat_snapshot::Section;
use constat_snapshot::jobs::{BackupDestination, BackupJob, Backups, ScheduledJob};
use constat_snapshot::time::rfc3339_utc;
use std::collections::HashMap;
use std::time::UNIX_EPOCH;

const TOOLS: &[&str] = &[
    "rsync",
    "tar",
    "borg",
    "restic",
    "rsnapshot",
    "duplicity",
    "rclone",
    "dump",
];
/// Words that run the next word as the command.
const WRAPPERS: &[&str] = &[
    "sudo", "nice", "ionice", "env", "nohup", "timeout", "flock", "exec",
];
const SCRIPT_MAX_BYTES: u64 = 256 * 1024;

/// Recognises backup jobs, reusing the scheduled jobs parse.
pub fn collect(ctx: &Context) -> Update {
    let host = &*ctx.host;
    let section = match scheduled_jobs::read_jobs(host) {
        Section::Collected { data } => Section::collected(Backups {
            jobs: data.iter().flat_map(|j| backup_jobs(host, j)).collect(),
        }),
        Section::NotCollected { reason } => Section::not_collected(reason),
        Section::Error { message } => Section::error(format!("scheduled jobs: {message}")),
    };
    Box::new(move |s| s.backups = section)
}

/// The backup invocations a scheduled job makes.
pub fn backup_jobs(host: &dyn Host, job: &ScheduledJob) -> Vec<BackupJob> {
    let mut found = Vec::new();
    let vars = HashMap::new();
    for words in simple_commands(&job.command) {
        let words = strip_wrappers(&words);
        let Some(first) = words.first() else {
            continue;
        };
        if let Some(tool) = tool_of(first) {
            found.push(make_job(host, job, tool, words, None, &vars));
            continue;
        }
        // `sh script`, `bash -e script` or the script itself.
        let script = if matches!(base_name(first), "sh" | "bash" | "dash") {
            words.iter().skip(1).find(|w| !w.starts_with('-'))
        } else {
            Some(first)
        };
        if let Some(script) = script.filter(|s| s.starts_with('/')) {
            found.extend(script_jobs(host, job, script));
        }
    }
    found
}

fn script_jobs(host: &dyn Host, job: &ScheduledJob, script: &str) -> Vec<BackupJob> {
    let Ok(meta) = host.metadata(script) else {
        return Vec::new();
    };
    if !meta.is_file() || meta.len() > SCRIPT_MAX_BYTES {
        return Vec::new();
    }
    let Ok(bytes) = host.read(script) else {
        return Vec::new();
    };
    if bytes.contains(&0) {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&bytes);
    let mut vars: HashMap<String, String> = HashMap::new();
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        for words in simple_commands(line) {
            if let [single] = words.as_slice()
                && let Some((name, value)) = assignment(single)
            {
                let value = substitute(value, &vars);
                vars.insert(name.to_owned(), value);
                continue;
            }
            let words = strip_wrappers(&words);
            if let Some(first) = words.first()
                && let Some(tool) = tool_of(first)
            {
                found.push(make_job(host, job, tool, words, Some(script), &vars));
            }
        }
    }
    found
}

fn assignment(word: &str) -> Option<(&str, &str)> {
    let (name, value) = word.split_once('=')?;
    let ok = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    ok.then_some((name, value))
}

/// Replaces `$NAME` and `${NAME}` by values assigned earlier in the script; unknown
/// variables and `$(…)` stay as written.
fn substitute(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, consumed) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match vars.get(name) {
            Some(value) if !name.is_empty() => {
                out.push_str(value);
                rest = &after[consumed..];
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn strip_wrappers(words: &[String]) -> &[String] {
    let mut i = 0;
    while i < words.len() {
        let w = base_name(&words[i]);
        let wrapper_argument =
            i > 0 && (words[i].starts_with('-') || words[i].chars().all(|c| c.is_ascii_digit()));
        if WRAPPERS.contains(&w) || wrapper_argument || assignment(&words[i]).is_some() {
            i += 1;
            // `timeout 1h`, `flock /lock`, `ionice -c3`: skip their argument.
            if matches!(w, "timeout" | "flock") && i < words.len() {
                i += 1;
            }
        } else {
            break;
        }
    }
    &words[i..]
}

fn base_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn tool_of(word: &str) -> Option<&'static str> {
    let name = base_name(word);
    TOOLS.iter().copied().find(|t| *t == name)
}

fn make_job(
    host: &dyn Host,
    job: &ScheduledJob,
    tool: &str,
    words: &[String],
    script: Option<&str>,
    vars: &HashMap<String, String>,
) -> BackupJob {
    let words: Vec<String> = words.iter().map(|w| substitute(w, vars)).collect();
    let (sources, targets) = match tool {
        "tar" => tar_paths(&words),
        "rsync" => rsync_paths(&words),
        "borg" => borg_paths(&words, vars),
        "restic" => restic_paths(&words, vars),
        "rsnapshot" => (Vec::new(), rsnapshot_root(host, &words)),
        "dump" => dump_paths(&words),
        _ => last_arg_paths(&words),
    };
    BackupJob {
        tool: tool.to_owned(),
        job_source: job.source.clone(),
        schedule: job.schedule.clone(),
        cron: job.cron.clone(),
        user: job.user.clone(),
        command: words.join(" "),
        script: script.map(str::to_owned),
        sources,
        destinations: targets
            .into_iter()
            .map(|t| destination(host, tool, &t))
            .collect(),
    }
}

/// Positional (non-option) arguments, skipping the values of options listed in `valued`.
fn positional(words: &[String], valued: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 1;
    while i < words.len() {
        let w = &words[i];
        if w == "--" {
            out.extend(words[i + 1..].iter().cloned());
            break;
        }
        if w.starts_with('-') && w.len() > 1 {
            if valued.contains(&w.as_str()) {
                i += 1;
            }
        } else {
            out.push(w.clone());
        }
        i += 1;
    }
    out
}

fn tar_paths(words: &[String]) -> (Vec<String>, Vec<String>) {
    let mut target = None;
    let mut sources = Vec::new();
    let mut i = 1;
    while i < words.len() {
        let w = &words[i];
        if let Some(v) = w.strip_prefix("--file=") {
            target = Some(v.to_owned());
        } else if w == "--file" || w == "-C" || w == "--directory" || w == "--exclude" || w == "-X"
        {
            if w == "--file" {
                target = words.get(i + 1).cloned();
            }
            i += 1;
        } else if w.starts_with("--") {
        } else if (w.starts_with('-') || i == 1)
            && w.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        {
            // Bundled short options (`-czf`, or old style `czf` as first word): `f` takes the
            // next word.
            if w.contains('f') {
                target = words.get(i + 1).cloned();
                i += 1;
            }
        } else {
            sources.push(w.clone());
        }
        i += 1;
    }
    (sources, target.into_iter().collect())
}

fn rsync_paths(words: &[String]) -> (Vec<String>, Vec<String>) {
    let mut args = positional(
        words,
        &[
            "-e",
            "--rsh",
            "--exclude",
            "--include",
            "--exclude-from",
            "--include-from",
            "--files-from",
            "--filter",
            "-f",
            "--log-file",
            "--backup-dir",
            "--link-dest",
            "--compare-dest",
            "--password-file",
            "--chmod",
            "--timeout",
        ],
    );
    match args.pop() {
        Some(dest) if !args.is_empty() => (args, vec![dest]),
        _ => (Vec::new(), Vec::new()),
    }
}

fn borg_paths(words: &[String], vars: &HashMap<String, String>) -> (Vec<String>, Vec<String>) {
    let args = positional(
        words,
        &["--exclude", "-e", "--compression", "-C", "--exclude-from"],
    );
    if args.first().map(String::as_str) != Some("create") {
        return (Vec::new(), Vec::new());
    }
    let Some(archive) = args.get(1) else {
        return (Vec::new(), Vec::new());
    };
    let repo = match archive.split_once("::") {
        Some(("", _)) => vars.get("BORG_REPO").cloned().unwrap_or_default(),
        Some((repo, _)) => repo.to_owned(),
        None => archive.clone(),
    };
    (
        args[2..].to_vec(),
        vec![repo].into_iter().filter(|r| !r.is_empty()).collect(),
    )
}

fn restic_paths(words: &[String], vars: &HashMap<String, String>) -> (Vec<String>, Vec<String>) {
    let mut repo = vars.get("RESTIC_REPOSITORY").cloned();
    for (i, w) in words.iter().enumerate() {
        if w == "-r" || w == "--repo" {
            repo = words.get(i + 1).cloned();
        } else if let Some(v) = w.strip_prefix("--repo=") {
            repo = Some(v.to_owned());
        }
    }
    let args = positional(
        words,
        &[
            "-r",
            "--repo",
            "--exclude",
            "--password-file",
            "--tag",
            "--host",
        ],
    );
    let sources = if args.first().map(String::as_str) == Some("backup") {
        args[1..].to_vec()
    } else {
        Vec::new()
    };
    (sources, repo.into_iter().collect())
}

fn rsnapshot_root(host: &dyn Host, words: &[String]) -> Vec<String> {
    let config = words
        .iter()
        .position(|w| w == "-c")
        .and_then(|i| words.get(i + 1))
        .map(String::as_str)
        .unwrap_or("/etc/rsnapshot.conf");
    host.read_to_string(config)
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("snapshot_root").map(|v| v.trim().to_owned()))
        })
        .into_iter()
        .collect()
}

fn dump_paths(words: &[String]) -> (Vec<String>, Vec<String>) {
    let target = words
        .iter()
        .position(|w| w == "-f")
        .and_then(|i| words.get(i + 1))
        .cloned();
    let sources = words.last().filter(|_| words.len() > 2).cloned();
    (sources.into_iter().collect(), target.into_iter().collect())
}

fn last_arg_paths(words: &[String]) -> (Vec<String>, Vec<String>) {
    let mut args = positional(words, &["--exclude", "--include", "--config", "--log-file"]);
    // `duplicity full src dst`, `rclone sync src dst`: drop the sub-command.
    if args.len() > 2 {
        args.remove(0);
    }
    match args.pop() {
        Some(dest) if !args.is_empty() => (args, vec![dest]),
        _ => (Vec::new(), Vec::new()),
    }
}

/// Whether a destination names a place on this host.
fn local_path(target: &str) -> Option<String> {
    if let Some(path) = target.strip_prefix("file://") {
        return Some(path.to_owned());
    }
    if !target.starts_with('/') {
        return None;
    }
    Some(target.to_owned())
}

/// Whether a word contains shell patterns that are only known at run time.
fn has_pattern(part: &str) -> bool {
    part.contains(['$', '`', '*', '?', '[', '{', '%'])
}

fn destination(host: &dyn Host, tool: &str, target: &str) -> BackupDestination {
    let Some(path) = local_path(target) else {
        let remote =
            target.contains("://") || target.split('/').next().is_some_and(|p| p.contains(':'));
        // A relative path is on this host, but its directory depends on the job's working
        // directory: it is not inspected.
        return BackupDestination {
            target: target.to_owned(),
            local: !remote,
            ..BackupDestination::default()
        };
    };
    // Keep the leading components without run-time patterns; a tar/dump target is a file,
    // so its directory is inspected.
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let fixed: Vec<&str> = parts
        .iter()
        .take_while(|p| !has_pattern(p))
        .copied()
        .collect();
    let mut dir = format!("/{}", fixed.join("/"));
    let target_is_file = matches!(tool, "tar" | "dump") && fixed.len() == parts.len();
    if target_is_file
        || (fixed.len() == parts.len() && host.metadata(&dir).is_ok_and(|m| m.is_file()))
    {
        dir = match dir.rsplit_once('/') {
            Some(("", _)) | None => "/".to_owned(),
            Some((parent, _)) => parent.to_owned(),
        };
    }
    let mut out = BackupDestination {
        target: target.to_owned(),
        directory: Some(dir.clone()),
        local: true,
        exists: Some(false),
        ..BackupDestination::default()
    };
    if !host.metadata(&dir).is_ok_and(|m| m.is_dir()) {
        return out;
    }
    out.exists = Some(true);
    let mut stats = DirStats::default();
    stats.walk(host, &dir, "", 0);
    out.files = Some(stats.files);
    out.total_bytes = Some(stats.bytes);
    if let Some((mtime, name)) = stats.newest {
        out.newest_mtime = Some(rfc3339_utc(mtime));
        out.newest_file = Some(name);
    }
    out
}

#[derive(Default)]
struct DirStats {
    files: u64,
    bytes: u64,
    newest: Option<(i64, String)>,
}

impl DirStats {
    /// Counts regular files up to two levels below `dir`.
    fn walk(&mut self, host: &dyn Host, dir: &str, prefix: &str, depth: usize) {
        for name in host.read_dir(dir).unwrap_or_default() {
            let path = format!("{}/{name}", dir.trim_end_matches('/'));
            let Ok(meta) = host.symlink_metadata(&path) else {
                continue;
            };
            let shown = format!("{prefix}{name}");
            if meta.is_dir() && depth < 2 {
                self.walk(host, &path, &format!("{shown}/"), depth + 1);
            } else if meta.is_file() {
                self.files += 1;
                self.bytes += meta.len();
                let mtime = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0);
                if self
                    .newest
                    .as_ref()
                    .is_none_or(|(t, n)| (mtime, &shown) > (*t, n))
                {
                    self.newest = Some((mtime, shown));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LocalHost;
    use crate::test_root::write;
    use constat_snapshot::jobs::JobKind;
    use std::fs;
    use std::time::{Duration, SystemTime};

    fn job(command: &str) -> ScheduledJob {
        ScheduledJob {
            kind: JobKind::UserCron,
            source: "/var/spool/cron/crontabs/alice:2".to_owned(),
            name: "/var/spool/cron/crontabs/alice:2".to_owned(),
            user: Some("alice".to_owned()),
            schedule: "30 23 * * *".to_owned(),
            cron: Some("30 23 * * *".to_owned()),
            command: command.to_owned(),
            enabled: true,
            ..ScheduledJob::default()
        }
    }

    #[test]
    fn recognises_tools_scripts_and_destinations() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(
            r,
            "/usr/local/bin/backup.sh",
            "#!/bin/bash\n# nightly\nDEST=/srv/backup\nSTAMP=$(date +%F)\nset -e\n\
             tar -czf \"$DEST/data_$STAMP.tar.gz\" /srv/data 2>>/var/log/backup.err\n\
             rsync -a --delete -e ssh /srv/data/ backup@10.0.0.5:/backups/srv/\n\
             echo ok\n",
            0o755,
        );
        write(r, "/srv/backup/data_2026-11-20.tar.gz", "old", 0o644);
        write(
            r,
            "/srv/backup/weekly/data_2026-11-16.tar.gz",
            "older!",
            0o644,
        );
        let newest = r.join("srv/backup/data_2026-11-20.tar.gz");
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        fs::File::options()
            .write(true)
            .open(&newest)
            .unwrap()
            .set_modified(when)
            .unwrap();
        fs::File::options()
            .write(true)
            .open(r.join("srv/backup/weekly/data_2026-11-16.tar.gz"))
            .unwrap()
            .set_modified(when - Duration::from_secs(86_400))
            .unwrap();
        let host = LocalHost::offline(r);
        let mut jobs = Vec::new();
        for command in [
            "/usr/local/bin/backup.sh >/dev/null 2>&1",
            "nice -n 10 borg create --stats /mnt/borg::home-{now} /home",
            "restic -r sftp:user@host:/repo backup /etc",
            "tar czf /var/backups/etc.tar /etc",
            "rclone sync /srv/data remote:bucket/data",
            "duplicity full /home file:///mnt/dup",
            "tar -cf alternatives.tar -C /var/lib/dpkg alternatives",
            "/usr/bin/true",
            "/usr/local/bin/missing.sh",
        ] {
            jobs.extend(backup_jobs(&host, &job(command)));
        }
        insta::assert_yaml_snapshot!(jobs);
    }

    #[test]
    fn substitution_of_script_variables() {
        let vars: HashMap<String, String> = [("DEST".to_owned(), "/srv/b".to_owned())]
            .into_iter()
            .collect();
        assert_eq!(
            substitute("${DEST}/x_$DEST.$(date)", &vars),
            "/srv/b/x_/srv/b.$(date)"
        );
        assert_eq!(substitute("$UNKNOWN/a", &vars), "$UNKNOWN/a");
    }
}
