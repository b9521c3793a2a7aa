//! The exam's time zone: a named IANA zone (`Europe/Paris` unless the pack or the inventory
//! says otherwise) whose offset, daylight saving included, is taken at the instant each host
//! was collected.
//!
//! The zone database is jiff's bundled copy of the IANA tzdb (feature `tzdb-bundle-always`),
//! never the machine's `/usr/share/zoneinfo`: the core does no I/O, and the same snapshots
//! must grade the same on every machine, whatever tzdata it has (or lacks).

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The zone used when neither the pack nor the inventory names one.
pub const DEFAULT_TIMEZONE: &str = "Europe/Paris";

/// A validated IANA time zone.
#[derive(Debug, Clone)]
pub struct ExamZone {
    name: String,
    zone: TimeZone,
}

impl PartialEq for ExamZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl ExamZone {
    /// The zone named `name` (`Europe/Paris`, `America/Cayenne`, `Indian/Reunion`,
    /// case-insensitive); the error is a French sentence for the diagnostics.
    pub fn named(name: &str) -> Result<ExamZone, String> {
        let name = name.trim();
        match TimeZone::get(name) {
            Ok(zone) => Ok(ExamZone {
                name: zone.iana_name().unwrap_or(name).to_owned(),
                zone,
            }),
            Err(_) => Err(format!("fuseau horaire inconnu « {name} »")),
        }
    }

    /// Europe/Paris.
    pub fn paris() -> ExamZone {
        // The bundled database always has it; UTC is only a guard that never runs.
        ExamZone::named(DEFAULT_TIMEZONE).unwrap_or_else(|_| ExamZone {
            name: "UTC".to_owned(),
            zone: TimeZone::UTC,
        })
    }

    /// The zone's IANA name, as the database spells it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Offset from UTC in minutes (east positive) in force at `unix` seconds.
    pub(crate) fn offset_minutes_at(&self, unix: i64) -> i32 {
        let at = Timestamp::from_second(unix).unwrap_or(Timestamp::UNIX_EPOCH);
        self.zone.to_offset(at).seconds() / 60
    }
}

impl Default for ExamZone {
    fn default() -> Self {
        ExamZone::paris()
    }
}

/// The offset that applies to one host: the zone's at the host's collection time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HostOffset {
    /// Zone name.
    pub(crate) zone: String,
    /// Minutes east of UTC.
    pub(crate) minutes: i32,
    /// The day the offset was taken for (`2026-06-15`), in the zone.
    pub(crate) date: String,
}

impl HostOffset {
    /// The offset for a snapshot: at its `collection.started_at`, else at `now` (the grading
    /// time), else at the Unix epoch.
    pub(crate) fn of_snapshot(
        zone: &ExamZone,
        snapshot: &constat_snapshot::Snapshot,
        now: Option<i64>,
    ) -> HostOffset {
        let at = constat_snapshot::time::parse_rfc3339(&snapshot.collection.started_at)
            .or(now)
            .unwrap_or_default();
        HostOffset::at(zone, at)
    }

    pub(crate) fn at(zone: &ExamZone, unix: i64) -> HostOffset {
        let minutes = zone.offset_minutes_at(unix);
        let local = unix + i64::from(minutes) * 60;
        HostOffset {
            zone: zone.name().to_owned(),
            minutes,
            date: constat_snapshot::time::date_from_days(local.div_euclid(86_400)),
        }
    }

    /// `Europe/Paris, UTC+02:00 on 2026-06-15` (language-neutral: `eval/words.rs` shows
    /// « Europe/Paris, UTC+02:00 le 2026-06-15 »).
    pub(crate) fn describe(&self) -> String {
        let sign = if self.minutes < 0 { '-' } else { '+' };
        let abs = self.minutes.unsigned_abs();
        format!(
            "{}, UTC{sign}{:02}:{:02} on {}",
            self.zone,
            abs / 60,
            abs % 60,
            self.date
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use constat_snapshot::time::parse_rfc3339;

    fn at(zone: &str, when: &str) -> String {
        let zone = ExamZone::named(zone).expect("known zone");
        HostOffset::at(&zone, parse_rfc3339(when).expect("rfc 3339")).describe()
    }

    /// Daylight saving follows the calendar (EU rule: last Sunday of March and of October
    /// at 01:00 UTC), other zones their own, from the bundled database.
    #[test]
    fn offsets_follow_the_calendar() {
        insta::assert_snapshot!(
            [
                at("Europe/Paris", "2026-01-15T10:00:00Z"),
                at("europe/paris", "2026-06-15T10:00:00Z"),
                at("Europe/Paris", "2026-03-29T00:59:59Z"),
                at("Europe/Paris", "2026-03-29T01:00:00Z"),
                at("Europe/Paris", "2026-10-25T00:59:59Z"),
                at("Europe/Paris", "2026-10-25T01:00:00Z"),
                at("Indian/Reunion", "2026-06-15T10:00:00Z"),
                at("America/Cayenne", "2026-06-15T02:00:00Z"),
                at("Asia/Kolkata", "2026-06-15T10:00:00Z"),
            ]
            .join("\n")
        );
        assert!(ExamZone::named("Europe/Pariss").is_err());
        assert_eq!(ExamZone::default().name(), "Europe/Paris");
    }
}
