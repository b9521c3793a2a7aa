//! Times for the jury: an RFC 3339 UTC time shown as local time in Europe/Paris with UTC
//! beside it (`23/11/2026 18:35 (heure de Paris) · 17:35 UTC`).
//!
//! No time-zone database: France's rule (CET/CEST, EU summer time since 1996: last Sunday
//! of March 01:00 UTC → last Sunday of October 01:00 UTC) is computed, so the output is the
//! same on any machine, with or without tzdata. The report carries no zone today; when the
//! inventory gains one, this is where other zones would go (through `jiff`, see stack.md).

use crate::i18n::Lang;
use constat_snapshot::time::{civil_from_days, days_from_civil};

/// Unix seconds of the last Sunday of a month (31-day months only: March, October) at 01:00 UTC.
fn last_sunday_0100(y: i64, m: i64) -> i64 {
    let last = days_from_civil(y, m, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Sunday.
    let weekday = (last + 4).rem_euclid(7);
    (last - weekday) * 86_400 + 3_600
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` into Unix seconds.
fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits = |t: &str| -> Option<i64> {
                t.bytes()
                    .all(|c| c.is_ascii_digit())
                    .then(|| t.parse().ok())?
            };
            if rest.as_bytes()[3] != b':' {
                return None;
            }
            let (oh, om) = (digits(rest.get(1..3)?)?, digits(rest.get(4..6)?)?);
            sign * (oh * 3_600 + om * 60)
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3_600 + mi * 60 + se - offset)
}

/// Offset of Europe/Paris at a UTC instant, in hours.
fn paris_offset_hours(t: i64) -> i64 {
    let (y, _, _) = civil_from_days(t.div_euclid(86_400));
    if (last_sunday_0100(y, 3)..last_sunday_0100(y, 10)).contains(&t) {
        2
    } else {
        1
    }
}

fn hm(t: i64) -> (i64, i64, i64, i64, i64) {
    let (y, m, d) = civil_from_days(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400);
    (y, m, d, secs / 3_600, secs % 3_600 / 60)
}

/// `2026-11-23T17:35:00Z` → `23/11/2026 18:35 (heure de Paris) · 17:35 UTC`
/// (`2026-11-23 18:35 (Paris time) · 17:35 UTC` in English); anything else is returned as is.
pub(crate) fn local_and_utc(lang: Lang, rfc3339: &str) -> String {
    let Some(t) = parse_rfc3339(rfc3339) else {
        return rfc3339.to_owned();
    };
    let (y, m, d, h, mi) = hm(t + paris_offset_hours(t) * 3_600);
    let (_, _, _, uh, umi) = hm(t);
    match lang {
        Lang::Fr => {
            format!("{d:02}/{m:02}/{y} {h:02}:{mi:02} (heure de Paris) · {uh:02}:{umi:02} UTC")
        }
        Lang::En => format!("{y}-{m:02}-{d:02} {h:02}:{mi:02} (Paris time) · {uh:02}:{umi:02} UTC"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_time_follows_the_summer_time_rule() {
        let cases = [
            "2026-11-23T17:35:00Z",
            "2026-03-29T00:59:59Z",
            "2026-03-29T01:00:00Z",
            "2026-10-25T00:59:59Z",
            "2026-10-25T01:00:00Z",
            "2026-06-30T22:30:00Z",
            "2026-12-31T23:30:00.123Z",
            "2026-07-01T10:00:00+02:00",
            "2026-07-01T10:00:00-05:30",
            "not a time",
            "2026-13-01T00:00:00Z",
        ];
        let shown: Vec<String> = cases
            .iter()
            .map(|c| {
                format!(
                    "{c} → {} | {}",
                    local_and_utc(Lang::Fr, c),
                    local_and_utc(Lang::En, c)
                )
            })
            .collect();
        insta::assert_snapshot!(shown.join("\n"));
    }

    #[test]
    fn day_counts_round_trip() {
        for z in [-1, 0, 1, 19_000, 20_415, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }
}
