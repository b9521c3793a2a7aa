//! Self-relative security descriptors ([MS-DTYP] 2.4.6), as `nTSecurityDescriptor` returns
//! them: owner, group and the DACL with its plain and object ACEs. Every offset and length is
//! checked against the buffer; a descriptor that does not hold together is an error, never a
//! partial result.

use crate::ldap::decode::{guid_to_string, sid_to_string};
use thiserror::Error;

/// A descriptor that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("malformed security descriptor ({len} bytes): {what}")]
pub struct SdError {
    /// Size of the value.
    pub len: usize,
    /// What did not hold.
    pub what: String,
}

/// A decoded security descriptor (the SACL is not kept: readers rarely get it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityDescriptor {
    /// Owner SID.
    pub owner: Option<String>,
    /// Primary group SID.
    pub group: Option<String>,
    /// The DACL, `None` when absent (everyone has full access) or not returned.
    pub dacl: Option<Vec<Ace>>,
}

/// One ACE of a DACL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ace {
    /// ACE type ([MS-DTYP] 2.4.4.1): 0 allowed, 1 denied, 5 allowed object, 6 denied object…
    pub ace_type: u8,
    /// ACE flags (`0x02` container inherit, `0x08` inherit only, `0x10` inherited…).
    pub flags: u8,
    /// Access mask.
    pub mask: u32,
    /// Object type GUID of an object ACE, `{…}` upper case.
    pub object_type: Option<String>,
    /// Inherited object type GUID of an object ACE.
    pub inherited_object_type: Option<String>,
    /// Trustee SID (`S-1-5-11`); `None` for an ACE type this parser does not know.
    pub sid: Option<String>,
}

/// `INHERIT_ONLY_ACE`: the ACE only passes to children, it does not apply to the object.
pub const INHERIT_ONLY: u8 = 0x08;
/// `INHERITED_ACE`.
pub const INHERITED: u8 = 0x10;

impl Ace {
    /// An allow ACE (plain or object).
    pub fn is_allow(&self) -> bool {
        matches!(self.ace_type, 0x00 | 0x05)
    }

    /// A deny ACE (plain or object).
    pub fn is_deny(&self) -> bool {
        matches!(self.ace_type, 0x01 | 0x06)
    }

    /// Whether the ACE applies to the object itself (not inherit-only).
    pub fn applies_to_object(&self) -> bool {
        self.flags & INHERIT_ONLY == 0
    }
}

const SE_DACL_PRESENT: u16 = 0x0004;
const SE_SELF_RELATIVE: u16 = 0x8000;

/// Decodes a self-relative security descriptor.
pub fn parse(bytes: &[u8]) -> Result<SecurityDescriptor, SdError> {
    let err = |what: String| SdError {
        len: bytes.len(),
        what,
    };
    if bytes.len() < 20 {
        return Err(err("shorter than the 20-byte header".to_owned()));
    }
    if bytes[0] != 1 {
        return Err(err(format!("revision {} (expected 1)", bytes[0])));
    }
    let control = u16::from_le_bytes([bytes[2], bytes[3]]);
    if control & SE_SELF_RELATIVE == 0 {
        return Err(err("not self-relative".to_owned()));
    }
    let offset = |at: usize| {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
    };
    let sid_at = |what: &str, off: usize| -> Result<Option<String>, SdError> {
        if off == 0 {
            return Ok(None);
        }
        let sid = bytes
            .get(off..)
            .and_then(|b| sid_len(b).and_then(|n| b.get(..n)))
            .and_then(sid_to_string)
            .ok_or_else(|| err(format!("{what} SID at offset {off} out of bounds")))?;
        Ok(Some(sid))
    };
    let owner = sid_at("owner", offset(4))?;
    let group = sid_at("group", offset(8))?;
    let dacl_offset = offset(16);
    let dacl = if control & SE_DACL_PRESENT != 0 && dacl_offset != 0 {
        Some(parse_acl(bytes, dacl_offset).map_err(err)?)
    } else {
        None
    };
    Ok(SecurityDescriptor { owner, group, dacl })
}

/// Length of the SID at the start of `b`, if its header is there.
fn sid_len(b: &[u8]) -> Option<usize> {
    let count = usize::from(*b.get(1)?);
    if count > 15 {
        return None;
    }
    Some(8 + 4 * count)
}

fn parse_acl(bytes: &[u8], at: usize) -> Result<Vec<Ace>, String> {
    let header = bytes
        .get(at..at + 8)
        .ok_or_else(|| format!("DACL at offset {at} out of bounds"))?;
    let size = usize::from(u16::from_le_bytes([header[2], header[3]]));
    let count = usize::from(u16::from_le_bytes([header[4], header[5]]));
    let acl = bytes
        .get(at..at + size)
        .ok_or_else(|| format!("DACL of {size} bytes at offset {at} out of bounds"))?;
    let mut aces = Vec::with_capacity(count.min(acl.len() / 8));
    let mut pos = 8;
    for index in 0..count {
        let head = acl
            .get(pos..pos + 4)
            .ok_or_else(|| format!("ACE {index} of {count} past the end of the DACL"))?;
        let ace_size = usize::from(u16::from_le_bytes([head[2], head[3]]));
        if ace_size < 8 {
            return Err(format!("ACE {index} declares {ace_size} bytes"));
        }
        let body = acl
            .get(pos..pos + ace_size)
            .ok_or_else(|| format!("ACE {index} of {ace_size} bytes past the end of the DACL"))?;
        aces.push(parse_ace(body).map_err(|e| format!("ACE {index}: {e}"))?);
        pos += ace_size;
    }
    Ok(aces)
}

fn parse_ace(ace: &[u8]) -> Result<Ace, String> {
    let mut out = Ace {
        ace_type: ace[0],
        flags: ace[1],
        mask: u32::from_le_bytes([ace[4], ace[5], ace[6], ace[7]]),
        ..Ace::default()
    };
    let sid_from = |b: &[u8]| -> Result<String, String> {
        sid_len(b)
            .and_then(|n| b.get(..n))
            .and_then(sid_to_string)
            .ok_or_else(|| "trustee SID past the end of the ACE".to_owned())
    };
    match out.ace_type {
        // ACCESS_ALLOWED, ACCESS_DENIED, SYSTEM_AUDIT
        0x00..=0x02 => out.sid = Some(sid_from(&ace[8..])?),
        // ACCESS_ALLOWED_OBJECT, ACCESS_DENIED_OBJECT, SYSTEM_AUDIT_OBJECT
        0x05..=0x07 => {
            let flags = ace
                .get(8..12)
                .map(|f| u32::from_le_bytes([f[0], f[1], f[2], f[3]]))
                .ok_or("object ACE without its flags")?;
            let mut pos = 12;
            let mut guid = |present: bool| -> Result<Option<String>, String> {
                if !present {
                    return Ok(None);
                }
                let g = ace
                    .get(pos..pos + 16)
                    .and_then(guid_to_string)
                    .ok_or("object type GUID past the end of the ACE")?;
                pos += 16;
                Ok(Some(g))
            };
            out.object_type = guid(flags & 1 != 0)?;
            out.inherited_object_type = guid(flags & 2 != 0)?;
            out.sid = Some(sid_from(&ace[pos..])?);
        }
        // Callback and other ACE types: kept without a trustee; never grant anything here.
        _ => {}
    }
    Ok(out)
}

/// SDDL abbreviations of the access mask bits of directory objects, in bit order.
pub const RIGHTS: &[(u32, &str)] = &[
    (0x0000_0001, "CC"),
    (0x0000_0002, "DC"),
    (0x0000_0004, "LC"),
    (0x0000_0008, "SW"),
    (0x0000_0010, "RP"),
    (0x0000_0020, "WP"),
    (0x0000_0040, "DT"),
    (0x0000_0080, "LO"),
    (0x0000_0100, "CR"),
    (0x0001_0000, "SD"),
    (0x0002_0000, "RC"),
    (0x0004_0000, "WD"),
    (0x0008_0000, "WO"),
    (0x1000_0000, "GA"),
    (0x2000_0000, "GX"),
    (0x4000_0000, "GW"),
    (0x8000_0000, "GR"),
];

/// `0x20094` → `["LC", "RP", "LO", "RC"]`; bits without an abbreviation as `0x…`.
pub fn rights(mask: u32) -> Vec<String> {
    let mut left = mask;
    let mut out = Vec::new();
    for (bit, name) in RIGHTS {
        if mask & bit != 0 {
            out.push((*name).to_owned());
            left &= !bit;
        }
    }
    if left != 0 {
        out.push(format!("0x{left:X}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{parse, rights};
    use base64::Engine;

    fn fixture(name: &str) -> Vec<u8> {
        let text = match name {
            "default" => include_str!("testdata/gpo-sd-default.b64"),
            _ => include_str!("testdata/gpo-sd-filtered.b64"),
        };
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .unwrap()
    }

    fn sddl_like(bytes: &[u8]) -> String {
        let sd = parse(bytes).unwrap();
        let mut out = format!("O:{:?} G:{:?}\n", sd.owner, sd.group);
        for ace in sd.dacl.unwrap() {
            out.push_str(&format!(
                "type {} flags 0x{:02X} {} {:?} {}\n",
                ace.ace_type,
                ace.flags,
                rights(ace.mask).join(","),
                ace.object_type,
                ace.sid.unwrap_or_default()
            ));
        }
        out
    }

    /// Real descriptor: `nTSecurityDescriptor` of GPO_Lecteurs as the Samba DC of the test
    /// tier stored it when `samba-tool gpo create` made the GPO (testdata/SOURCES.md).
    #[test]
    fn decodes_the_descriptor_samba_writes_for_a_new_gpo() {
        insta::assert_snapshot!(sddl_like(&fixture("default")));
    }

    /// Real encoding: Samba's NDR of the default descriptor with security filtering edited as
    /// GPMC does (Authenticated Users keeps Read only, GG_Compta gets Read + Apply, PC-COMPTA01
    /// is denied Apply), testdata/SOURCES.md.
    #[test]
    fn decodes_object_aces_of_security_filtering() {
        insta::assert_snapshot!(sddl_like(&fixture("filtered")));
    }

    #[test]
    fn refuses_truncated_or_inconsistent_descriptors() {
        let bytes = fixture("filtered");
        let mut errors: Vec<String> = Vec::new();
        for cut in [0, 19, 40, 100, bytes.len() - 1] {
            errors.push(format!("{cut}: {}", parse(&bytes[..cut]).unwrap_err()));
        }
        let mut bad_count = bytes.clone();
        let dacl = u32::from_le_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]) as usize;
        bad_count[dacl + 4] = 0xFF;
        errors.push(format!("count: {}", parse(&bad_count).unwrap_err()));
        let mut zero_ace = bytes.clone();
        zero_ace[dacl + 8 + 2] = 0;
        zero_ace[dacl + 8 + 3] = 0;
        errors.push(format!("ace size: {}", parse(&zero_ace).unwrap_err()));
        let mut absolute = bytes;
        absolute[3] &= 0x7F;
        errors.push(format!("absolute: {}", parse(&absolute).unwrap_err()));
        insta::assert_snapshot!(errors.join("\n"));
    }

    #[test]
    fn names_rights_and_keeps_unknown_bits() {
        assert_eq!(rights(0x20094), ["LC", "RP", "LO", "RC"]);
        assert_eq!(rights(0x0000_0200), ["0x200"]);
    }
}
