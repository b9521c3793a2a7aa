//! `backup_job`'s evidence beyond the job itself (CP8/C2, CP8/C3): the free space of the
//! file system under a local destination against the pack's threshold, and a restore
//! proven by a log whose latest date follows the destination's newest archive (the
//! alternative to comparing a restored file by hash with `file: {same_as}`).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::file::requested_file;
use constat_snapshot::jobs::BackupJob;
use constat_snapshot::storage::Mount;
use constat_snapshot::time::{days_from_civil, parse_rfc3339, rfc3339_utc};
use regex::Regex;
use std::sync::OnceLock;

const S: &str = "backups";

/// `2147483648` → `2 GiB`, one decimal when not round (English units: the model's words).
fn show_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 4] = [
        ("TiB", 1 << 40),
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
    ];
    for (name, factor) in UNITS {
        if bytes >= factor {
            return if bytes.is_multiple_of(factor) {
                format!("{} {name}", bytes / factor)
            } else {
                format!("{:.1} {name}", bytes as f64 / factor as f64)
            };
        }
    }
    format!("{bytes} B")
}

/// The mount holding `dir`: the longest mount point that is `dir` or one of its parents.
fn mount_of<'m>(mounts: &'m [Mount], dir: &str) -> Option<&'m Mount> {
    mounts
        .iter()
        .filter(|m| {
            let target = m.target.trim_end_matches('/');
            dir == m.target
                || target.is_empty()
                || dir
                    .strip_prefix(target)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|m| m.target.len())
}

/// `min_free` bytes and `min_free_percent` on the file system of each local destination
/// of `job` (the `storage` section's mounts, `df`'s available bytes).
pub(crate) fn check_free_space(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    id: &str,
    job: &BackupJob,
    min_bytes: Option<u64>,
    min_percent: Option<u8>,
) -> Status {
    let mut expected = Vec::new();
    if let Some(bytes) = min_bytes {
        expected.push(format!("at least {} free", show_size(bytes)));
    }
    if let Some(percent) = min_percent {
        expected.push(format!("at least {percent}% free"));
    }
    let expected = expected.join(", ");
    let Some(storage) = host.section("storage", id, &host.snapshot.sections.storage, out) else {
        return Status::NotAssessable;
    };
    if let Some(why) = storage.not_collected.get("mounts") {
        out.push(host.evidence(
            "storage",
            id,
            "free_space",
            expected,
            format!("not collected: {why}"),
            Status::NotAssessable,
        ));
        return Status::NotAssessable;
    }
    let dirs: Vec<&str> = job
        .destinations
        .iter()
        .filter(|d| d.local)
        .filter_map(|d| d.directory.as_deref())
        .collect();
    if dirs.is_empty() {
        out.push(host.evidence(
            "storage",
            id,
            "free_space",
            expected,
            "no local destination (remote or not inspected)",
            Status::NotAssessable,
        ));
        return Status::NotAssessable;
    }
    let mut status = Status::Pass;
    for dir in dirs {
        let mount = mount_of(&storage.mounts, dir);
        let (actual, holds) = match mount.and_then(|m| Some((m, m.available_bytes?))) {
            None => (
                format!("{dir}: free space unknown (no df figure for its file system)"),
                Status::NotAssessable,
            ),
            Some((mount, free)) => {
                let percent = mount
                    .size_bytes
                    .filter(|size| *size > 0)
                    .map(|size| free.saturating_mul(100) / size);
                let bytes_ok = min_bytes.is_none_or(|min| free >= min);
                let percent_ok = match (min_percent, percent) {
                    (None, _) => Status::Pass,
                    (Some(_), None) => Status::NotAssessable,
                    (Some(min), Some(p)) => Status::from_bool(p >= u64::from(min)),
                };
                (
                    format!(
                        "{dir} on {}: {} free{}",
                        mount.target,
                        show_size(free),
                        percent.map_or_else(String::new, |p| format!(" ({p}%)"))
                    ),
                    Status::from_bool(bytes_ok).and(percent_ok),
                )
            }
        };
        out.push(host.evidence("storage", id, "free_space", expected.clone(), actual, holds));
        status = status.and(holds);
    }
    status
}

/// Dates a log writes, as Unix seconds: ISO 8601 (`2026-12-02 15:34:45`, with or without
/// `T`, seconds, a zone), French `02/12/2026 15:34`, and `date`'s C-locale output
/// (`Wed Dec  2 15:34:45 UTC 2026`). Local times are in `offset_minutes` east of UTC.
pub(crate) fn log_dates(text: &str, offset_minutes: i32) -> Vec<i64> {
    static PATTERNS: OnceLock<[Regex; 3]> = OnceLock::new();
    let [iso, french, c_locale] = PATTERNS.get_or_init(|| {
        [
            Regex::new(
                r"\b(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?",
            ),
            Regex::new(r"\b(\d{2})/(\d{2})/(\d{4})[ ,-]+(\d{2}):(\d{2})(?::(\d{2}))?"),
            Regex::new(
                r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (?:([A-Z]{2,5}) )?(\d{4})",
            ),
        ]
        .map(|r| r.expect("the log date patterns are valid"))
    });
    let local = i64::from(offset_minutes) * 60;
    let num = |c: &regex::Captures<'_>, i: usize| -> i64 {
        c.get(i)
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or_default()
    };
    let at = |y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64| -> Option<i64> {
        ((1..=12).contains(&mo) && (1..=31).contains(&d) && h < 24 && mi < 60 && s <= 60)
            .then(|| days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
    };
    let mut dates = Vec::new();
    for c in iso.captures_iter(text) {
        let zone = c.get(7).map_or(local, |z| zone_seconds(z.as_str()));
        if let Some(t) = at(
            num(&c, 1),
            num(&c, 2),
            num(&c, 3),
            num(&c, 4),
            num(&c, 5),
            num(&c, 6),
        ) {
            dates.push(t - zone);
        }
    }
    for c in french.captures_iter(text) {
        if let Some(t) = at(
            num(&c, 3),
            num(&c, 2),
            num(&c, 1),
            num(&c, 4),
            num(&c, 5),
            num(&c, 6),
        ) {
            dates.push(t - local);
        }
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    for c in c_locale.captures_iter(text) {
        let month = MONTHS
            .iter()
            .position(|m| *m == &c[1])
            .map_or(0, |i| i as i64 + 1);
        let zone = match c.get(6).map(|z| z.as_str()) {
            Some("UTC" | "GMT" | "Z") => 0,
            Some("CET") => 3600,
            Some("CEST") => 7200,
            _ => local,
        };
        if let Some(t) = at(
            num(&c, 7),
            month,
            num(&c, 2),
            num(&c, 3),
            num(&c, 4),
            num(&c, 5),
        ) {
            dates.push(t - zone);
        }
    }
    dates
}

/// `Z`, `+01:00`, `+0100` as seconds east of UTC.
fn zone_seconds(zone: &str) -> i64 {
    let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') else {
        return 0;
    };
    let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
    let hours: i64 = digits
        .get(..2)
        .and_then(|h| h.parse().ok())
        .unwrap_or_default();
    let minutes: i64 = digits
        .get(2..4)
        .and_then(|m| m.parse().ok())
        .unwrap_or_default();
    let seconds = hours * 3600 + minutes * 60;
    if sign == '-' { -seconds } else { seconds }
}

/// `restore_log`: the log (requested from the collector) holds a date after the newest
/// archive of the job's local destinations.
pub(crate) fn check_restore_log(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    id: &str,
    job: &BackupJob,
    log: &str,
) -> Status {
    let expected = format!("{log}: a restore dated after the newest archive");
    let newest = job
        .destinations
        .iter()
        .filter(|d| d.local)
        .filter_map(|d| {
            let at = parse_rfc3339(d.newest_mtime.as_deref()?)?;
            Some((at, d.newest_file.as_deref().unwrap_or("?")))
        })
        .max_by_key(|(at, _)| *at);
    let Some((archive_at, archive)) = newest else {
        out.push(host.evidence(
            S,
            id,
            "restore_log",
            expected,
            "no archive in a local destination to compare with",
            Status::NotAssessable,
        ));
        return Status::NotAssessable;
    };
    let Some(file) = requested_file(host, log, out) else {
        return Status::NotAssessable;
    };
    let (actual, status) = if !file.exists {
        ("(absent)".to_owned(), Status::Fail)
    } else if let Some(head) = file.head.as_deref() {
        let latest = log_dates(head, host.offset().minutes).into_iter().max();
        match latest {
            Some(t) if t > archive_at => (
                format!(
                    "restore logged at {} after {archive} ({})",
                    rfc3339_utc(t),
                    rfc3339_utc(archive_at)
                ),
                Status::Pass,
            ),
            Some(t) => (
                format!(
                    "latest date in the log {} is not after {archive} ({})",
                    rfc3339_utc(t),
                    rfc3339_utc(archive_at)
                ),
                Status::Fail,
            ),
            // Dates further down a long log were not read: unknown, not absent.
            None if file.head_truncated => (
                "no date in the start of the log that was read".to_owned(),
                Status::NotAssessable,
            ),
            None => ("no date in the log".to_owned(), Status::Fail),
        }
    } else {
        ("content not reported".to_owned(), Status::NotAssessable)
    };
    out.push(host.evidence(S, id, "restore_log", expected, actual, status));
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three forms, read in Paris winter time (+60) where they carry no zone.
    #[test]
    fn log_dates_in_the_forms_tools_write() {
        let log = "2026-12-02 15:34:45 restauration de www_2026-12-02.tar.gz\n\
                   02/12/2026 16:05 tar xzf ok\n\
                   Wed Dec  2 17:00:00 UTC 2026 fin\n\
                   2026-12-02T18:00:00+02:00 verif\n\
                   2026-13-40 99:99 not a date\n";
        let shown: Vec<String> = log_dates(log, 60).into_iter().map(rfc3339_utc).collect();
        assert_eq!(
            shown,
            [
                "2026-12-02T14:34:45Z",
                "2026-12-02T16:00:00Z",
                "2026-12-02T15:05:00Z",
                "2026-12-02T17:00:00Z",
            ]
        );
    }
}
