//! Scheduled jobs: system and user crontabs, /etc/cron.d, anacron, the periodic
//! /etc/cron.* directories, and systemd timers (with run times when systemd is live).

use crate::context::{Context, Update};
use crate::host::Host;
use crate::systemd::{self, UnitFile};
use constat_snapshot::Section;
use constat_snapshot::jobs::{JobKind, ScheduledJob};
use std::os::unix::fs::PermissionsExt;

/// Reads every scheduled job.
pub fn collect(ctx: &Context) -> Update {
    let jobs = read_jobs(&*ctx.host);
    Box::new(move |s| s.scheduled_jobs = jobs)
}

/// Every scheduled job of the host; used by the scheduled jobs and the backups collectors.
pub fn read_jobs(host: &dyn Host) -> Section<Vec<ScheduledJob>> {
    let mut jobs = Vec::new();
    if let Ok(text) = host.read_to_string("/etc/crontab") {
        jobs.extend(parse_crontab(&text, "/etc/crontab", JobKind::Cron, None));
    }
    for name in host.read_dir("/etc/cron.d").unwrap_or_default() {
        if !is_run_parts_name(&name) {
            continue;
        }
        let path = format!("/etc/cron.d/{name}");
        if let Ok(text) = host.read_to_string(&path) {
            jobs.extend(parse_crontab(&text, &path, JobKind::Cron, None));
        }
    }
    let mut unreadable = Vec::new();
    for dir in ["/var/spool/cron/crontabs", "/var/spool/cron"] {
        let names = match host.read_dir(dir) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                unreadable.push(format!("{dir}: {e}"));
                continue;
            }
            Err(_) => continue,
        };
        for user in names {
            let path = format!("{dir}/{user}");
            if !host.metadata(&path).is_ok_and(|m| m.is_file()) || user.starts_with('.') {
                continue;
            }
            match host.read_to_string(&path) {
                Ok(text) => {
                    jobs.extend(parse_crontab(&text, &path, JobKind::UserCron, Some(&user)));
                }
                Err(e) => unreadable.push(format!("{path}: {e}")),
            }
        }
    }
    if let Ok(text) = host.read_to_string("/etc/anacrontab") {
        jobs.extend(parse_anacrontab(&text, "/etc/anacrontab"));
    }
    for period in ["hourly", "daily", "weekly", "monthly"] {
        let dir = format!("/etc/cron.{period}");
        for name in host.read_dir(&dir).unwrap_or_default() {
            let path = format!("{dir}/{name}");
            let Ok(meta) = host.metadata(&path) else {
                continue;
            };
            if !meta.is_file() || !is_run_parts_name(&name) {
                continue;
            }
            jobs.push(ScheduledJob {
                kind: JobKind::CronPeriodic,
                source: path.clone(),
                name: path.clone(),
                user: Some("root".to_owned()),
                schedule: format!("@{period}"),
                cron: None,
                command: path,
                // run-parts only runs executable files.
                enabled: meta.permissions().mode() & 0o111 != 0,
                ..ScheduledJob::default()
            });
        }
    }
    jobs.extend(read_timers(host));
    if !unreadable.is_empty() && !jobs.iter().any(|j| j.kind == JobKind::UserCron) {
        return Section::error(format!(
            "user crontabs unreadable ({}); run the agent as root",
            unreadable.join("; ")
        ));
    }
    Section::collected(jobs)
}

/// run-parts and Debian cron accept only `[A-Za-z0-9_-]` names (no `.dpkg-old`, no `~`).
fn is_run_parts_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Parses a crontab. System crontabs (`user` None) have a user field after the schedule.
pub fn parse_crontab(
    text: &str,
    path: &str,
    kind: JobKind,
    user: Option<&str>,
) -> Vec<ScheduledJob> {
    let mut jobs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || is_env_line(line) {
            continue;
        }
        let (schedule, rest) = if line.starts_with('@') {
            match line.split_once(char::is_whitespace) {
                Some((s, r)) => (s.to_owned(), r.trim_start()),
                None => continue,
            }
        } else {
            let mut rest = line;
            let mut fields = Vec::new();
            for _ in 0..5 {
                let Some((f, r)) = rest.split_once(char::is_whitespace) else {
                    break;
                };
                fields.push(f);
                rest = r.trim_start();
            }
            if fields.len() < 5 {
                continue;
            }
            (fields.join(" "), rest)
        };
        let (job_user, command) = match user {
            Some(u) => (u.to_owned(), rest),
            None => match rest.split_once(char::is_whitespace) {
                Some((u, c)) => (u.to_owned(), c.trim_start()),
                None => continue,
            },
        };
        let source = format!("{path}:{}", i + 1);
        jobs.push(ScheduledJob {
            kind,
            name: source.clone(),
            source,
            user: Some(job_user),
            cron: cron_from_schedule(&schedule),
            schedule,
            command: command.to_owned(),
            enabled: true,
            ..ScheduledJob::default()
        });
    }
    jobs
}

/// `NAME=value` lines set the environment of the following jobs.
fn is_env_line(line: &str) -> bool {
    let Some((name, _)) = line.split_once('=') else {
        return false;
    };
    let name = name.trim_end();
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// Five cron fields, with `@daily`-style shortcuts expanded; None for `@reboot`.
pub fn cron_from_schedule(schedule: &str) -> Option<String> {
    let fixed = match schedule {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        s if s.starts_with('@') => return None,
        s => return Some(s.split_whitespace().collect::<Vec<_>>().join(" ")),
    };
    Some(fixed.to_owned())
}

/// Parses /etc/anacrontab (`period delay job-id command`).
pub fn parse_anacrontab(text: &str, path: &str) -> Vec<ScheduledJob> {
    text.lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || is_env_line(line) {
                return None;
            }
            let mut words = line.split_whitespace();
            let period = words.next()?;
            let delay = words.next()?;
            let id = words.next()?;
            let command = words.collect::<Vec<_>>().join(" ");
            if command.is_empty() {
                return None;
            }
            let schedule = match period {
                "1" => "@daily".to_owned(),
                "7" => "@weekly".to_owned(),
                p if p.starts_with('@') => p.to_owned(),
                p => format!("every {p} days"),
            };
            Some(ScheduledJob {
                kind: JobKind::Anacron,
                source: format!("{path}:{}", i + 1),
                name: id.to_owned(),
                user: Some("root".to_owned()),
                schedule: format!("{schedule} (delay {delay} min)"),
                cron: None,
                command,
                enabled: true,
                ..ScheduledJob::default()
            })
        })
        .collect()
}

/// systemd timers from unit files, enriched by `systemctl show` when systemd is live.
fn read_timers(host: &dyn Host) -> Vec<ScheduledJob> {
    let timers = systemd::unit_files(host, ".timer");
    let enablement = systemd::Enablement::load(host);
    let mut jobs: Vec<ScheduledJob> = timers
        .iter()
        .map(|t| timer_job(host, &enablement, t))
        .collect();
    if systemd::systemd_is_live(host) {
        let names: Vec<String> = jobs.iter().map(|j| j.name.clone()).collect();
        if let Ok(blocks) = systemd::systemctl_show(
            host,
            "Id,LastTriggerUSec,NextElapseUSecRealtime,Result,UnitFileState",
            &names,
        ) {
            for block in blocks {
                let Some(job) = jobs
                    .iter_mut()
                    .find(|j| block.get("Id").is_some_and(|id| *id == j.name))
                else {
                    continue;
                };
                job.last_run = block
                    .get("LastTriggerUSec")
                    .and_then(|v| systemd::unix_timestamp(v));
                job.next_run = block
                    .get("NextElapseUSecRealtime")
                    .and_then(|v| systemd::unix_timestamp(v));
                job.last_result = block.get("Result").filter(|r| !r.is_empty()).cloned();
                if let Some(state) = block.get("UnitFileState") {
                    job.enabled = matches!(state.as_str(), "enabled" | "enabled-runtime");
                }
            }
        }
    }
    jobs
}

fn timer_job(host: &dyn Host, enablement: &systemd::Enablement, timer: &UnitFile) -> ScheduledJob {
    let mut triggers = Vec::new();
    for key in [
        "OnCalendar",
        "OnBootSec",
        "OnStartupSec",
        "OnActiveSec",
        "OnUnitActiveSec",
        "OnUnitInactiveSec",
    ] {
        for value in timer.values("Timer", key) {
            triggers.push(format!("{key}={value}"));
        }
    }
    let calendars = timer.values("Timer", "OnCalendar");
    let cron = match calendars.as_slice() {
        [only] if triggers.len() == 1 => cron_from_calendar(only),
        _ => None,
    };
    let unit = timer
        .value("Timer", "Unit")
        .map(str::to_owned)
        .unwrap_or_else(|| timer.name.replace(".timer", ".service"));
    let service = systemd::find_unit(host, &unit);
    let command = service
        .as_ref()
        .map(|s| s.values("Service", "ExecStart").join(" ; "))
        .unwrap_or_default();
    let user = service
        .as_ref()
        .and_then(|s| s.value("Service", "User"))
        .unwrap_or("root")
        .to_owned();
    ScheduledJob {
        kind: JobKind::SystemdTimer,
        source: timer.path.clone(),
        name: timer.name.clone(),
        user: Some(user),
        schedule: triggers.join(" "),
        cron,
        command: command
            .trim_start_matches(['-', '@', '+', '!', ':'])
            .to_owned(),
        unit: Some(unit),
        enabled: enablement.state(timer) == "enabled",
        ..ScheduledJob::default()
    }
}

/// Simple `OnCalendar=` expressions as five cron fields: shortcuts (`daily`), and
/// `[Weekdays] *-*-DD|* HH:MM[:00]`. None when the expression has no cron equivalent.
pub fn cron_from_calendar(expr: &str) -> Option<String> {
    let shortcut = match expr.trim() {
        "minutely" => Some("* * * * *"),
        "hourly" => Some("0 * * * *"),
        "daily" => Some("0 0 * * *"),
        "weekly" => Some("0 0 * * 1"),
        "monthly" => Some("0 0 1 * *"),
        "yearly" | "annually" => Some("0 0 1 1 *"),
        _ => None,
    };
    if let Some(s) = shortcut {
        return Some(s.to_owned());
    }
    let mut words: Vec<&str> = expr.split_whitespace().collect();
    let weekdays = match words.first() {
        Some(w) if w.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            let w = cron_weekdays(w)?;
            words.remove(0);
            w
        }
        _ => "*".to_owned(),
    };
    let (date, time) = match words.as_slice() {
        [time] => ("*-*-*", *time),
        [date, time] => (*date, *time),
        _ => return None,
    };
    let date_parts: Vec<&str> = date.split('-').collect();
    let [year, month, day] = date_parts.as_slice() else {
        return None;
    };
    if *year != "*" {
        return None;
    }
    let time_parts: Vec<&str> = time.split(':').collect();
    let (hour, minute) = match time_parts.as_slice() {
        [h, m] => (*h, *m),
        [h, m, s] if s.parse::<u32>().is_ok_and(|s| s == 0) => (*h, *m),
        _ => return None,
    };
    let field = |v: &str| -> Option<String> {
        if v == "*" {
            return Some("*".to_owned());
        }
        let parts: Option<Vec<String>> = v
            .split(',')
            .map(|p| p.parse::<u32>().ok().map(|n| n.to_string()))
            .collect();
        parts.map(|p| p.join(","))
    };
    Some(format!(
        "{} {} {} {} {weekdays}",
        field(minute)?,
        field(hour)?,
        field(day)?,
        field(month)?
    ))
}

fn cron_weekdays(spec: &str) -> Option<String> {
    let day = |name: &str| -> Option<u32> {
        let n = name.get(..3)?.to_ascii_lowercase();
        ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
            .iter()
            .position(|d| *d == n)
            .map(|p| p as u32)
    };
    let parts: Option<Vec<String>> = spec
        .split(',')
        .map(|part| match part.split_once("..") {
            Some((a, b)) => Some(format!("{}-{}", day(a)?, day(b)?)),
            None => day(part).map(|d| d.to_string()),
        })
        .collect();
    parts.map(|p| p.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LocalHost;
    use crate::test_root::write;
    use std::fs;
    use std::os::unix::fs::symlink;

    #[test]
    fn calendar_to_cron() {
        let cases = [
            ("*-*-* 23:30:00", Some("30 23 * * *")),
            ("*-*-* 02:00", Some("0 2 * * *")),
            ("daily", Some("0 0 * * *")),
            ("weekly", Some("0 0 * * 1")),
            ("Mon..Fri *-*-* 08:15:00", Some("15 8 * * 1-5")),
            ("Sat,Sun 03:00", Some("0 3 * * 6,0")),
            ("*-*-01 04:00:00", Some("0 4 1 * *")),
            ("*-*-* 00/2:00", None),
            ("2026-01-01 00:00:00", None),
            ("*-*-* 23:30:15", None),
        ];
        for (expr, want) in cases {
            assert_eq!(cron_from_calendar(expr).as_deref(), want, "{expr}");
        }
    }

    #[test]
    fn every_scheduler_of_an_offline_root() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(
            r,
            "/etc/crontab",
            "SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin\n# m h dom mon dow user\tcommand\n\
             17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\n",
            0o644,
        );
        write(
            r,
            "/etc/cron.d/backup",
            "MAILTO=admin@horizon.lan\n30 23 * * 1-5 root /usr/local/bin/backup.sh >/var/log/backup.log 2>&1\n@reboot root /usr/local/bin/warmup\n",
            0o644,
        );
        write(
            r,
            "/etc/cron.d/backup.dpkg-old",
            "* * * * * root /bin/false\n",
            0o644,
        );
        write(
            r,
            "/var/spool/cron/crontabs/alice",
            "# DO NOT EDIT THIS FILE\n@daily tar czf /srv/backup/home_$(date +\\%F).tar.gz /home/alice\n*/15 * * * * /usr/bin/true\n",
            0o600,
        );
        write(
            r,
            "/etc/anacrontab",
            "SHELL=/bin/sh\n1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n@monthly 15 cron.monthly run-parts /etc/cron.monthly\n",
            0o644,
        );
        write(
            r,
            "/etc/cron.daily/logrotate",
            "#!/bin/sh\nlogrotate /etc/logrotate.conf\n",
            0o755,
        );
        write(r, "/etc/cron.daily/disabled", "#!/bin/sh\n", 0o644);
        write(r, "/etc/cron.daily/.placeholder", "", 0o644);
        write(
            r,
            "/etc/systemd/system/backup-home.timer",
            "[Unit]\nDescription=nightly\n[Timer]\nOnCalendar=*-*-* 02:00:00\nPersistent=true\n[Install]\nWantedBy=timers.target\n",
            0o644,
        );
        write(
            r,
            "/etc/systemd/system/backup-home.service",
            "[Service]\nType=oneshot\nUser=backup\nExecStart=/usr/bin/rsync -a /home/ /srv/backup/home/\n",
            0o644,
        );
        fs::create_dir_all(r.join("etc/systemd/system/timers.target.wants")).unwrap();
        symlink(
            "/etc/systemd/system/backup-home.timer",
            r.join("etc/systemd/system/timers.target.wants/backup-home.timer"),
        )
        .unwrap();
        write(
            r,
            "/lib/systemd/system/fstrim.timer",
            "[Timer]\nOnCalendar=weekly\nAccuracySec=1h\n[Install]\nWantedBy=timers.target\n",
            0o644,
        );
        write(
            r,
            "/lib/systemd/system/fstrim.service",
            "[Service]\nExecStart=/sbin/fstrim --listed-in /etc/fstab --verbose\n",
            0o644,
        );
        write(
            r,
            "/lib/systemd/system/boot.timer",
            "[Timer]\nOnBootSec=15min\nOnUnitActiveSec=1d\nUnit=other.service\n",
            0o644,
        );
        let host = LocalHost::offline(r);
        insta::assert_yaml_snapshot!(read_jobs(&host));
    }
}
