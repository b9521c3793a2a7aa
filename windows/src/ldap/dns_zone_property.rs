//! The `dnsProperty` attribute of AD-integrated DNS zones ([MS-DNSP] 2.3.2.1): a 20-byte
//! header (data length, name length, flag, version, property id, all little-endian DWORDs)
//! then the data. Only the dynamic-update setting (`DSPROPERTY_ZONE_ALLOW_UPDATE`, id 2:
//! 0 none, 1 nonsecure and secure, 2 secure only) is read; every offset is checked.

/// `DSPROPERTY_ZONE_ALLOW_UPDATE`.
const ALLOW_UPDATE: u32 = 0x02;
const HEADER: usize = 20;

fn dword(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// What the zone's properties say: the dynamic-update setting (named as the DNS role's
/// `Get-DnsServerZone` names it) and what could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneProperties {
    /// `None`, `NonsecureAndSecure` or `Secure`.
    pub dynamic_update: Option<String>,
    /// Values that could not be read, with the reason.
    pub errors: Vec<String>,
}

fn hex(bytes: &[u8]) -> String {
    let shown: String = bytes.iter().take(32).map(|b| format!("{b:02x}")).collect();
    if bytes.len() > 32 {
        format!("{shown}… ({} bytes)", bytes.len())
    } else {
        shown
    }
}

/// Decodes every `dnsProperty` value of one zone; other property ids are skipped.
pub fn zone_properties(values: &[Vec<u8>]) -> ZoneProperties {
    let mut out = ZoneProperties::default();
    for value in values {
        let (Some(length), Some(id)) = (dword(value, 0), dword(value, 16)) else {
            out.errors.push(format!(
                "dnsProperty: {} bytes, shorter than its 20-byte header: {}",
                value.len(),
                hex(value)
            ));
            continue;
        };
        if id != ALLOW_UPDATE {
            continue;
        }
        let data = usize::try_from(length)
            .ok()
            .and_then(|n| value.get(HEADER..HEADER.checked_add(n)?));
        let flag = match data {
            // The flag is one byte (Samba) or a DWORD (Windows); both little-endian.
            Some(d) if !d.is_empty() && d.len() <= 4 => {
                d.iter().rev().fold(0u32, |n, b| (n << 8) | u32::from(*b))
            }
            _ => {
                out.errors.push(format!(
                    "dnsProperty ALLOW_UPDATE: data length {length} does not fit {} bytes: {}",
                    value.len(),
                    hex(value)
                ));
                continue;
            }
        };
        match flag {
            0 => out.dynamic_update = Some("None".to_owned()),
            1 => out.dynamic_update = Some("NonsecureAndSecure".to_owned()),
            2 => out.dynamic_update = Some("Secure".to_owned()),
            other => out.errors.push(format!(
                "dnsProperty ALLOW_UPDATE: unknown value {other} (0 none, 1 nonsecure and secure, 2 secure)"
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn property(id: u32, data: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        for n in [data.len() as u32, 1, 0, 1, id] {
            v.extend_from_slice(&n.to_le_bytes());
        }
        v.extend_from_slice(data);
        v.push(0);
        v
    }

    #[test]
    fn reads_the_update_flag_of_one_byte_or_a_dword() {
        let zone_type = property(1, &[1, 0, 0, 0]);
        for (data, want) in [
            (vec![2u8], "Secure"),
            (vec![1, 0, 0, 0], "NonsecureAndSecure"),
            (vec![0], "None"),
        ] {
            let read = zone_properties(&[zone_type.clone(), property(ALLOW_UPDATE, &data)]);
            assert_eq!(read.dynamic_update.as_deref(), Some(want));
            assert!(read.errors.is_empty());
        }
    }

    #[test]
    fn malformed_values_are_errors_not_absent() {
        let read = zone_properties(&[vec![1, 2, 3], property(ALLOW_UPDATE, &[7]), {
            let mut v = property(ALLOW_UPDATE, &[2]);
            v[0] = 200;
            v
        }]);
        assert_eq!(read.dynamic_update, None);
        assert_eq!(read.errors.len(), 3, "{:?}", read.errors);
        assert!(read.errors[0].contains("shorter than its 20-byte header"));
        assert!(read.errors[1].contains("unknown value 7"));
        assert!(read.errors[2].contains("data length 200"));
    }

    /// A candidate is root on the DC and may write any bytes: every cut and every byte
    /// changed of real-shaped values gives a value or an error, never a panic.
    #[test]
    fn any_bytes_are_read_or_refused() {
        let good = [property(1, &[1, 0, 0, 0]), property(ALLOW_UPDATE, &[2])];
        for value in &good {
            for cut in 0..=value.len() {
                let _ = zone_properties(&[value[..cut].to_vec()]);
            }
            for at in 0..value.len() {
                for byte in [0u8, 1, 3, 0x7f, 0x80, 0xff] {
                    let mut v = value.clone();
                    v[at] = byte;
                    let _ = zone_properties(&[v]);
                }
            }
        }
        let unknown = zone_properties(&[property(ALLOW_UPDATE, &[3])]);
        assert!(unknown.dynamic_update.is_none() && unknown.errors.len() == 1);
    }
}
