//! Decoding of AD attribute encodings: SIDs, GUIDs, FILETIME and generalized time, negative
//! 100-ns durations, `userAccountControl` / `pwdProperties` / `groupType` bits, functional
//! levels and `logonHours`.

use constat_snapshot::ad::{DayHours, LogonHours, MalformedValue};

/// Binary SID ([MS-DTYP] 2.4.2.2) → `S-1-5-21-…`. `None` when malformed.
pub fn sid_to_string(bytes: &[u8]) -> Option<String> {
    let revision = *bytes.first()?;
    let count = usize::from(*bytes.get(1)?);
    let authority = bytes
        .get(2..8)?
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let mut text = format!("S-{revision}-{authority}");
    for index in 0..count {
        let sub = bytes.get(8 + index * 4..12 + index * 4)?;
        text.push_str(&format!(
            "-{}",
            u32::from_le_bytes([sub[0], sub[1], sub[2], sub[3]])
        ));
    }
    Some(text)
}

/// Binary GUID (mixed endian) → `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` upper case.
pub fn guid_to_string(bytes: &[u8]) -> Option<String> {
    let b: &[u8; 16] = bytes.try_into().ok()?;
    Some(format!(
        "{{{:08X}-{:04X}-{:04X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}}}",
        u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        u16::from_le_bytes([b[4], b[5]]),
        u16::from_le_bytes([b[6], b[7]]),
        b[8],
        b[9],
        b[10],
        b[11],
        b[12],
        b[13],
        b[14],
        b[15]
    ))
}

/// Unix seconds → RFC 3339 UTC (`2026-11-23T10:00:00Z`).
pub fn unix_to_rfc3339(secs: i64) -> String {
    constat_snapshot::time::rfc3339_utc(secs)
}

/// FILETIME (100-ns since 1601, as AD stores `pwdLastSet`, `accountExpires`,
/// `lastLogonTimestamp`) → RFC 3339. `None` for 0 and 2^63-1 ("never").
pub fn filetime_to_rfc3339(value: i64) -> Option<String> {
    if value <= 0 || value == i64::MAX {
        return None;
    }
    Some(unix_to_rfc3339(value / 10_000_000 - 11_644_473_600))
}

/// Generalized time (`20261123101500.0Z`) → RFC 3339.
pub fn generalized_to_rfc3339(value: &str) -> Option<String> {
    let digits = value.get(..14)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &digits[..4],
        &digits[4..6],
        &digits[6..8],
        &digits[8..10],
        &digits[10..12],
        &digits[12..14]
    ))
}

/// Negative 100-ns interval (`maxPwdAge`, `lockoutDuration`) → whole units of `unit_100ns`.
/// `None` for 0 and the minimum value, which AD uses for "never" / "forever".
pub fn interval(value: i64, unit_100ns: i64) -> Option<u64> {
    if value == 0 || value == i64::MIN {
        return None;
    }
    Some(value.unsigned_abs() / unit_100ns.unsigned_abs())
}

/// 100-ns units per day.
pub const DAY: i64 = 864_000_000_000;
/// 100-ns units per minute.
pub const MINUTE: i64 = 600_000_000;

const UAC_FLAGS: &[(u32, &str)] = &[
    (0x1, "SCRIPT"),
    (0x2, "ACCOUNTDISABLE"),
    (0x8, "HOMEDIR_REQUIRED"),
    (0x10, "LOCKOUT"),
    (0x20, "PASSWD_NOTREQD"),
    (0x40, "PASSWD_CANT_CHANGE"),
    (0x80, "ENCRYPTED_TEXT_PWD_ALLOWED"),
    (0x100, "TEMP_DUPLICATE_ACCOUNT"),
    (0x200, "NORMAL_ACCOUNT"),
    (0x800, "INTERDOMAIN_TRUST_ACCOUNT"),
    (0x1000, "WORKSTATION_TRUST_ACCOUNT"),
    (0x2000, "SERVER_TRUST_ACCOUNT"),
    (0x10000, "DONT_EXPIRE_PASSWORD"),
    (0x20000, "MNS_LOGON_ACCOUNT"),
    (0x40000, "SMARTCARD_REQUIRED"),
    (0x80000, "TRUSTED_FOR_DELEGATION"),
    (0x100000, "NOT_DELEGATED"),
    (0x200000, "USE_DES_KEY_ONLY"),
    (0x400000, "DONT_REQ_PREAUTH"),
    (0x800000, "PASSWORD_EXPIRED"),
    (0x1000000, "TRUSTED_TO_AUTH_FOR_DELEGATION"),
    (0x4000000, "PARTIAL_SECRETS_ACCOUNT"),
];

const PWD_PROPERTIES: &[(u32, &str)] = &[
    (0x1, "DOMAIN_PASSWORD_COMPLEX"),
    (0x2, "DOMAIN_PASSWORD_NO_ANON_CHANGE"),
    (0x4, "DOMAIN_PASSWORD_NO_CLEAR_CHANGE"),
    (0x8, "DOMAIN_LOCKOUT_ADMINS"),
    (0x10, "DOMAIN_PASSWORD_STORE_CLEARTEXT"),
    (0x20, "DOMAIN_REFUSE_PASSWORD_CHANGE"),
];

fn flag_names(value: u32, table: &[(u32, &str)]) -> Vec<String> {
    let mut names: Vec<String> = table
        .iter()
        .filter(|(bit, _)| value & bit != 0)
        .map(|(_, name)| (*name).to_owned())
        .collect();
    let known = table.iter().fold(0, |acc, (bit, _)| acc | bit);
    if value & !known != 0 {
        names.push(format!("0x{:x}", value & !known));
    }
    names
}

/// Names of the `userAccountControl` bits set.
pub fn uac_flags(value: u32) -> Vec<String> {
    flag_names(value, UAC_FLAGS)
}

/// Names of the `pwdProperties` bits set.
pub fn pwd_properties(value: u32) -> Vec<String> {
    flag_names(value, PWD_PROPERTIES)
}

/// `msDS-Behavior-Version` / `domainFunctionality` → level name.
pub fn functional_level(value: i64) -> String {
    match value {
        0 => "2000".to_owned(),
        1 => "2003_interim".to_owned(),
        2 => "2003".to_owned(),
        3 => "2008".to_owned(),
        4 => "2008_R2".to_owned(),
        5 => "2012".to_owned(),
        6 => "2012_R2".to_owned(),
        7 => "2016".to_owned(),
        10 => "2025".to_owned(),
        other => format!("level_{other}"),
    }
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Decodes `logonHours` (21 bytes, bit `day*24+hour` with Sunday 00:00 UTC as bit 0, least
/// significant bit first) into its UTC grid. `None` (attribute absent) means always allowed;
/// a value of another length is malformed (kept, never read as "always allowed"). The grid
/// stays in UTC: the checker shows it in the exam's time zone.
pub fn logon_hours(bytes: Option<&[u8]>) -> LogonHours {
    let Some(bytes) = bytes else {
        return LogonHours {
            always_allowed: true,
            ..LogonHours::default()
        };
    };
    if bytes.len() != 21 {
        return LogonHours {
            malformed: Some(MalformedValue::of(bytes)),
            ..LogonHours::default()
        };
    }
    let utc_bit = |index: usize| bytes[index / 8] & (1 << (index % 8)) != 0;
    let utc = (0..7)
        .map(|day| DayHours {
            day: DAYS[day].to_owned(),
            hours: (0..24)
                .map(|h| if utc_bit(day * 24 + h) { '1' } else { '0' })
                .collect(),
        })
        .collect();
    LogonHours {
        always_allowed: bytes.iter().all(|b| *b == 0xFF),
        never_allowed: bytes.iter().all(|b| *b == 0),
        utc,
        ..LogonHours::default()
    }
}

/// Parent of a DN, honouring `\,` escapes (`CN=Dupont\, Jean,OU=X,DC=a` → `OU=X,DC=a`).
pub fn parent_dn(dn: &str) -> String {
    let mut escaped = false;
    for (index, ch) in dn.char_indices() {
        match ch {
            '\\' if !escaped => escaped = true,
            ',' if !escaped => return dn[index + 1..].to_owned(),
            _ => escaped = false,
        }
    }
    String::new()
}

/// Value of the first RDN, unescaped (`CN=Dupont\, Jean,OU=X` → `Dupont, Jean`).
pub fn rdn_value(dn: &str) -> String {
    let first_len = dn.len() - parent_dn(dn).len();
    let first = dn[..first_len].trim_end_matches(',');
    let value = first.split_once('=').map_or(first, |(_, v)| v);
    let mut out = String::new();
    let mut escaped = false;
    for ch in value.chars() {
        if ch == '\\' && !escaped {
            escaped = true;
        } else {
            out.push(ch);
            escaped = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_guids_times() {
        // objectSid of a domain user and objectGUID as their bytes are on the wire.
        let sid = [
            1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0x51, 4, 0, 0,
        ];
        let guid = [
            0x42, 0x2F, 0xB4, 0x73, 0xAC, 0x2F, 0x8B, 0x43, 0xAD, 0xC5, 0xE5, 0xA8, 0x0F, 0x2B,
            0x29, 0xA1,
        ];
        insta::assert_yaml_snapshot!((
            sid_to_string(&sid),
            sid_to_string(&sid[..10]),
            guid_to_string(&guid),
            filetime_to_rfc3339(133_801_632_000_000_000),
            filetime_to_rfc3339(0),
            filetime_to_rfc3339(i64::MAX),
            generalized_to_rfc3339("20261123101500.0Z"),
            interval(-36_288_000_000_000, DAY),
            interval(i64::MIN, DAY),
            interval(-18_000_000_000, MINUTE),
            uac_flags(66048),
            uac_flags(4098 | 0x8000_0000),
            pwd_properties(1),
            functional_level(4),
            parent_dn("CN=Schuermans\\, Natascha,OU=Users,DC=tssr,DC=lan"),
            rdn_value("CN=Schuermans\\, Natascha,OU=Users,DC=tssr,DC=lan"),
        ));
    }

    /// The raw UTC grid: a student's "Mon-Fri 08-18" array `0,255,192` per day (the trap of
    /// SOURCES.md §3.12) is LSB-first UTC 08:00-16:00 and 22:00-24:00, which the checker
    /// then shows in the exam's zone; 168 bytes (one per hour) is malformed, never "always
    /// allowed".
    #[test]
    fn logon_hours_grids() {
        let mut student = [0u8; 21];
        for day in 1..=5 {
            student[day * 3..day * 3 + 3].copy_from_slice(&[0, 255, 192]);
        }
        let mut office = [0u8; 21];
        for day in 1..=5 {
            for hour in 7..17 {
                let i = day * 24 + hour;
                office[i / 8] |= 1 << (i % 8);
            }
        }
        insta::assert_yaml_snapshot!((
            logon_hours(Some(&student)).utc[1].hours.clone(),
            logon_hours(Some(&office)),
            logon_hours(None),
            logon_hours(Some(&[0u8; 21])).never_allowed,
            logon_hours(Some(&[1u8; 168]))
                .malformed
                .map(|m| (m.length, m.truncated, m.hex.len())),
            logon_hours(Some(&[0xFFu8; 300])).malformed.map(|m| (
                m.length,
                m.truncated,
                m.hex.len()
            )),
            logon_hours(Some(&[])).malformed.map(|m| m.length),
        ));
    }
}
