//! Logon hours in the exam's time zone: the snapshot's UTC grid shifted by the zone's offset
//! at collection time, and the allowed ranges written for a reader, a range across midnight
//! as one (`Mon 22:00–Tue 01:00`), identical days grouped (`Mon–Fri 08:00–18:00`). The
//! model holds the English day names; [`ranges_display_fr`] shows them in French
//! (« lun–ven 08:00–18:00 »).

use constat_snapshot::ad::LogonHours;

/// One week of hours, Sunday first (the order of the snapshot grids and of AD's bits).
pub(crate) type Week = [[bool; 24]; 7];

/// Snapshot day names, Sunday first.
pub(crate) const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Day abbreviations of the ranges, Monday first (how the ranges are read).
const WEEK_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Their French display, in the same order.
const JOURS: [&str; 7] = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"];

/// What the attribute says, before any time zone.
pub(crate) enum UtcHours {
    /// Absent, or every hour allowed.
    Always,
    /// Not 21 bytes: its length.
    Malformed(u64),
    /// The UTC grid.
    Grid(Week),
    /// The snapshot's grid is not seven days of 24 hours (edited by hand).
    Unreadable,
}

/// Reads the UTC grid of a snapshot (legacy `local` fields are ignored).
pub(crate) fn utc_hours(hours: &LogonHours) -> UtcHours {
    if let Some(bad) = &hours.malformed {
        return UtcHours::Malformed(bad.length);
    }
    if hours.always_allowed {
        return UtcHours::Always;
    }
    let mut week = [[false; 24]; 7];
    if hours.utc.len() != 7 {
        return UtcHours::Unreadable;
    }
    for day in &hours.utc {
        let Some(index) = DAYS.iter().position(|d| *d == day.day) else {
            return UtcHours::Unreadable;
        };
        if day.hours.len() != 24 {
            return UtcHours::Unreadable;
        }
        for (h, c) in day.hours.chars().enumerate() {
            week[index][h] = c == '1';
        }
    }
    UtcHours::Grid(week)
}

/// The UTC grid as local time `offset_minutes` east of UTC. The attribute has one-hour
/// resolution: an offset that is not whole hours (India, +05:30) is rounded down, as the
/// Windows editor does.
pub(crate) fn to_local(utc: &Week, offset_minutes: i32) -> Week {
    let shift = i64::from(offset_minutes).div_euclid(60);
    let mut local = [[false; 24]; 7];
    for (index, slot) in local.iter_mut().flatten().enumerate() {
        let source = (index as i64 - shift).rem_euclid(168) as usize;
        *slot = utc[source / 24][source % 24];
    }
    local
}

/// Allowed ranges of a local week, Monday first, language-neutral: `Mon–Fri 08:00–18:00`,
/// `Mon 22:00–Tue 01:00`, `never allowed`, `always allowed` (words of `eval/words.rs`).
pub(crate) fn ranges(week: &Week) -> String {
    // Hours of the week, Monday 00:00 first.
    let hours: Vec<bool> = (0..168)
        .map(|i| {
            let (day, hour) = (i / 24, i % 24);
            week[(day + 1) % 7][hour]
        })
        .collect();
    if hours.iter().all(|h| !h) {
        return "never allowed".to_owned();
    }
    if hours.iter().all(|h| *h) {
        return "always allowed".to_owned();
    }
    // Runs of allowed hours on the cyclic week, each as (start, length): a run that goes
    // past Sunday 24:00 goes on into Monday.
    let mut runs = Vec::new();
    for start in 0..168 {
        if hours[start] && !hours[(start + 167) % 168] {
            let mut len = 0;
            while len < 168 && hours[(start + len) % 168] {
                len += 1;
            }
            runs.push((start, len));
        }
    }
    // Runs inside one day (ending at 24:00 at the latest) are grouped by identical days.
    let mut same_day: [Vec<(usize, usize)>; 7] = Default::default();
    let mut across = Vec::new();
    for (start, len) in runs {
        let (day, hour) = (start / 24, start % 24);
        if hour + len <= 24 {
            same_day[day].push((hour, hour + len));
        } else {
            across.push((start, len));
        }
    }
    let mut parts: Vec<(usize, String)> = Vec::new();
    let mut day = 0;
    while day < 7 {
        if same_day[day].is_empty() {
            day += 1;
            continue;
        }
        let mut last = day;
        while last + 1 < 7 && same_day[last + 1] == same_day[day] {
            last += 1;
        }
        let days = if last == day {
            WEEK_DAYS[day].to_owned()
        } else {
            format!("{}–{}", WEEK_DAYS[day], WEEK_DAYS[last])
        };
        let times: Vec<String> = same_day[day]
            .iter()
            .map(|(from, to)| format!("{from:02}:00–{to:02}:00"))
            .collect();
        parts.push((day * 24, format!("{days} {}", times.join(", "))));
        day = last + 1;
    }
    for (start, len) in across {
        let end = start + len;
        let (end_day, end_hour) = if end % 24 == 0 {
            ((end / 24 + 6) % 7, 24)
        } else {
            ((end / 24) % 7, end % 24)
        };
        parts.push((
            start,
            format!(
                "{} {:02}:00–{} {end_hour:02}:00",
                WEEK_DAYS[start / 24],
                start % 24,
                WEEK_DAYS[end_day]
            ),
        ));
    }
    parts.sort_by_key(|(start, _)| *start);
    parts
        .into_iter()
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Ranges written by [`ranges`] in French (« lun–ven 08:00–18:00 ; sam 09:00–12:00 »);
/// `None` for any other text (only that exact grammar is read, so a host's text never is).
pub(crate) fn ranges_display_fr(text: &str) -> Option<String> {
    let day = |d: &str| WEEK_DAYS.iter().position(|w| *w == d).map(|i| JOURS[i]);
    let time =
        |t: &str| t.len() == 5 && t.ends_with(":00") && t[..2].chars().all(|c| c.is_ascii_digit());
    let mut parts = Vec::new();
    for part in text.split("; ") {
        let (days, rest) = part.split_once(' ')?;
        let shown = if let Some((from, to)) = days.split_once('–') {
            format!("{}–{}", day(from)?, day(to)?)
        } else {
            day(days)?.to_owned()
        };
        // `08:00–18:00, 20:00–22:00` or `22:00–Tue 01:00`.
        let mut times = Vec::new();
        for range in rest.split(", ") {
            let (a, b) = range.split_once('–')?;
            if !time(a) {
                return None;
            }
            match b.split_once(' ') {
                Some((end_day, end)) if time(end) => {
                    times.push(format!("{a}–{} {end}", day(end_day)?));
                }
                None if time(b) => times.push(format!("{a}–{b}")),
                _ => return None,
            }
        }
        parts.push(format!("{shown} {}", times.join(", ")));
    }
    Some(parts.join(" ; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday-first hours `from..to` (may cross midnight or Sunday) set in a Sunday-first week.
    fn week(ranges: &[(usize, usize)]) -> Week {
        let mut w = [[false; 24]; 7];
        for &(from, to) in ranges {
            for i in from..to {
                let i = i % 168;
                w[(i / 24 + 1) % 7][i % 24] = true;
            }
        }
        w
    }

    #[test]
    fn ranges_are_joined_across_midnight_and_grouped_by_day() {
        let office: Vec<(usize, usize)> = (0..5).map(|d| (d * 24 + 8, d * 24 + 18)).collect();
        let split: Vec<(usize, usize)> = (0..5)
            .flat_map(|d| [(d * 24 + 8, d * 24 + 12), (d * 24 + 14, d * 24 + 18)])
            .collect();
        let shown = [
            ranges(&week(&office)),
            ranges(&week(&split)),
            ranges(&week(&[(22, 25)])),
            ranges(&week(&[(20, 24)])),
            ranges(&week(&[(6 * 24 + 22, 7 * 24 + 2)])),
            ranges(&week(&[(5 * 24, 7 * 24)])),
            ranges(&week(&[(8, 18), (22, 25), (24 + 8, 24 + 18)])),
            ranges(&week(&[])),
            ranges(&week(&[(0, 168)])),
        ];
        insta::assert_snapshot!(shown.join("\n"));
    }

    /// Paris in summer is UTC+2: UTC 06:00-16:00 is 08:00-18:00 local; Kolkata (+05:30)
    /// rounds down to +5.
    #[test]
    fn the_utc_grid_is_shifted_by_the_offset() {
        let utc = week(&[(6, 16), (24 * 6 + 23, 24 * 7)]);
        assert_eq!(ranges(&to_local(&utc, 120)), "Mon 01:00–02:00, 08:00–18:00");
        assert_eq!(ranges(&to_local(&utc, 330)), "Mon 04:00–05:00, 11:00–21:00");
        assert_eq!(
            ranges(&to_local(&utc, -180)),
            "Mon 03:00–13:00; Sun 20:00–21:00"
        );
    }

    /// The French display of every shape, and nothing else read as ranges.
    #[test]
    fn ranges_are_shown_in_french_and_other_text_is_not() {
        let cases = [
            ("Mon–Fri 08:00–18:00", Some("lun–ven 08:00–18:00")),
            (
                "Mon 01:00–02:00, 08:00–18:00; Sun 22:00–Mon 01:00",
                Some("lun 01:00–02:00, 08:00–18:00 ; dim 22:00–lun 01:00"),
            ),
            ("Mon to Fri", None),
            ("Mon 08:00–18:00 on eth0", None),
            ("never allowed", None),
        ];
        for (text, french) in cases {
            assert_eq!(ranges_display_fr(text).as_deref(), french, "{text}");
        }
    }
}
