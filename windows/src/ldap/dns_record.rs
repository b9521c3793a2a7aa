//! The `dnsRecord` attribute of AD-integrated DNS nodes ([MS-DNSP] 2.3.2.2): a 24-byte
//! header (little endian, except the TTL which is big endian) then the record data in
//! network byte order. Names are `DNS_COUNT_NAME` ([MS-DNSP] 2.2.2.2.2).

/// One decoded record: (type name, TTL seconds, presentation data). `None` for tombstones
/// (type 0) and for blobs too short to hold the header.
pub fn decode_dns_record(blob: &[u8]) -> Option<(String, u32, String)> {
    let header = blob.get(..24)?;
    let data_len = usize::from(u16::from_le_bytes([header[0], header[1]]));
    let kind = u16::from_le_bytes([header[2], header[3]]);
    let ttl = u32::from_be_bytes([header[12], header[13], header[14], header[15]]);
    if kind == 0 {
        return None;
    }
    let data = blob.get(24..24 + data_len).unwrap_or(&blob[24..]);
    let be16 = |at: usize| {
        data.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let be32 = |at: usize| {
        data.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let hex = || data.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let (name, text) = match kind {
        1 => (
            "A",
            data.get(..4)
                .map(|b| format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])),
        ),
        28 => (
            "AAAA",
            data.get(..16)
                .and_then(|b| <[u8; 16]>::try_from(b).ok())
                .map(|b| std::net::Ipv6Addr::from(b).to_string()),
        ),
        2 => ("NS", count_name(data).map(|(n, _)| n)),
        5 => ("CNAME", count_name(data).map(|(n, _)| n)),
        12 => ("PTR", count_name(data).map(|(n, _)| n)),
        15 => (
            "MX",
            be16(0).and_then(|pref| count_name(data.get(2..)?).map(|(n, _)| format!("{pref} {n}"))),
        ),
        33 => (
            "SRV",
            (|| {
                let (priority, weight, port) = (be16(0)?, be16(2)?, be16(4)?);
                let (target, _) = count_name(data.get(6..)?)?;
                Some(format!("{priority} {weight} {port} {target}"))
            })(),
        ),
        6 => (
            "SOA",
            (|| {
                let (serial, refresh, retry, expire, minimum) =
                    (be32(0)?, be32(4)?, be32(8)?, be32(12)?, be32(16)?);
                let (primary, used) = count_name(data.get(20..)?)?;
                let (admin, _) = count_name(data.get(20 + used..)?)?;
                Some(format!(
                    "{primary} {admin} {serial} {refresh} {retry} {expire} {minimum}"
                ))
            })(),
        ),
        16 => ("TXT", {
            let mut parts = Vec::new();
            let mut at = 0;
            while let Some(&len) = data.get(at) {
                let Some(bytes) = data.get(at + 1..at + 1 + usize::from(len)) else {
                    break;
                };
                parts.push(format!(
                    "\"{}\"",
                    String::from_utf8_lossy(bytes).replace('"', "\\\"")
                ));
                at += 1 + usize::from(len);
            }
            Some(parts.join(" "))
        }),
        _ => ("", None),
    };
    let type_name = if name.is_empty() {
        format!("TYPE{kind}")
    } else {
        name.to_owned()
    };
    Some((
        type_name,
        ttl,
        text.unwrap_or_else(|| format!("\\# {} {}", data.len(), hex())),
    ))
}

/// DNS_COUNT_NAME: total length (u8), label count (u8), then length-prefixed labels and a
/// final zero. Returns the FQDN with a trailing dot and the bytes consumed.
fn count_name(data: &[u8]) -> Option<(String, usize)> {
    let total = usize::from(*data.first()?);
    let labels = usize::from(*data.get(1)?);
    let mut at = 2;
    let mut parts = Vec::with_capacity(labels);
    for _ in 0..labels {
        let len = usize::from(*data.get(at)?);
        parts.push(String::from_utf8_lossy(data.get(at + 1..at + 1 + len)?).into_owned());
        at += 1 + len;
    }
    Some((format!("{}.", parts.join(".")), 2 + total.max(at - 2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, ttl: u32, data: &[u8]) -> Vec<u8> {
        let mut blob = Vec::new();
        blob.extend_from_slice(&(data.len() as u16).to_le_bytes());
        blob.extend_from_slice(&kind.to_le_bytes());
        blob.extend_from_slice(&[5, 240, 0, 0]);
        blob.extend_from_slice(&1u32.to_le_bytes());
        blob.extend_from_slice(&ttl.to_be_bytes());
        blob.extend_from_slice(&[0; 8]);
        blob.extend_from_slice(data);
        blob
    }

    fn name(fqdn: &str) -> Vec<u8> {
        let labels: Vec<&str> = fqdn.trim_end_matches('.').split('.').collect();
        let mut out = vec![0, labels.len() as u8];
        for label in &labels {
            out.push(label.len() as u8);
            out.extend_from_slice(label.as_bytes());
        }
        out.push(0);
        out[0] = (out.len() - 2) as u8;
        out
    }

    /// Layout from [MS-DNSP] 2.3.2.2; the real Samba blobs are exercised by the
    /// `ad_samba` real test, which compares them with `samba-tool dns add` inputs.
    #[test]
    fn each_type() {
        let mut mx = vec![0, 10];
        mx.extend(name("mail.tssr.lan"));
        let mut srv = vec![0, 0, 0, 100, 0x01, 0x85];
        srv.extend(name("dc01.tssr.lan"));
        let mut soa = Vec::new();
        for v in [7u32, 900, 600, 86400, 3600] {
            soa.extend_from_slice(&v.to_be_bytes());
        }
        soa.extend(name("dc01.tssr.lan"));
        soa.extend(name("hostmaster.tssr.lan"));
        let blobs = [
            record(1, 900, &[10, 204, 0, 20]),
            record(
                28,
                900,
                &[0xfd, 0, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20],
            ),
            record(5, 3600, &name("srv-wsus.tssr.lan")),
            record(2, 3600, &name("dc01.tssr.lan")),
            record(12, 3600, &name("srv-wsus.tssr.lan")),
            record(15, 900, &mx),
            record(33, 900, &srv),
            record(6, 3600, &soa),
            record(16, 900, b"\x0ev=spf1 mx -all"),
            record(99, 900, &[1, 2]),
            record(0, 0, &[0; 8]),
            vec![1, 2, 3],
        ];
        let decoded: Vec<_> = blobs.iter().map(|b| decode_dns_record(b)).collect();
        insta::assert_yaml_snapshot!(decoded);
    }
}
