//! Registry.pol (PReg, [MS-GPREG] 2.2): the registry-based policies of a GPO half.
//!
//! Layout: `PReg` + version 1 (u32 LE), then records `[key;value;type;size;data]` where the
//! brackets and semicolons are UTF-16LE characters, key and value are NUL-terminated UTF-16LE,
//! type and size are u32 LE and data is `size` raw bytes. The walk is driven by `size`, never
//! by searching for `]`, because string data may contain `]` or `;`.

use crate::error::ParseError;
use constat_snapshot::gpo::{PolicyScope, RegistryAction, RegistrySetting};
use serde_json::Value;

const OPEN: u16 = b'[' as u16;
const SEMI: u16 = b';' as u16;
const CLOSE: u16 = b']' as u16;

/// Parses a Registry.pol file. `file` names it in errors (`Machine/Registry.pol`).
pub fn parse_registry_pol(
    bytes: &[u8],
    scope: PolicyScope,
    file: &str,
) -> Result<Vec<RegistrySetting>, ParseError> {
    let mut reader = Reader {
        bytes,
        pos: 0,
        file,
    };
    let signature = reader.take(4)?;
    if signature != b"PReg" {
        return Err(reader.error(
            0,
            "not a Registry.pol file: the header must start with \"PReg\"",
        ));
    }
    let version = reader.u32()?;
    if version != 1 {
        return Err(reader.error(
            4,
            &format!("unsupported PReg version {version} (expected 1)"),
        ));
    }
    let mut settings = Vec::new();
    while reader.pos < bytes.len() {
        settings.push(reader.record(scope)?);
    }
    Ok(settings)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    file: &'a str,
}

impl Reader<'_> {
    fn error(&self, offset: usize, message: &str) -> ParseError {
        ParseError::Binary {
            file: self.file.to_owned(),
            offset,
            message: message.to_owned(),
        }
    }

    fn take(&mut self, n: usize) -> Result<&[u8], ParseError> {
        let start = self.pos;
        let end = start
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| {
                self.error(
                    start,
                    &format!(
                        "truncated file: {n} bytes needed, {} left",
                        self.bytes.len() - start
                    ),
                )
            })?;
        self.pos = end;
        Ok(&self.bytes[start..end])
    }

    fn u16(&mut self) -> Result<u16, ParseError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, ParseError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn expect(&mut self, want: u16) -> Result<(), ParseError> {
        let at = self.pos;
        let got = self.u16()?;
        if got != want {
            return Err(self.error(
                at,
                &format!(
                    "expected '{}' (record delimiter), found 0x{got:04x}",
                    char::from_u32(u32::from(want)).unwrap_or('?')
                ),
            ));
        }
        Ok(())
    }

    /// A NUL-terminated UTF-16LE string.
    fn string(&mut self) -> Result<String, ParseError> {
        let mut units = Vec::new();
        loop {
            let unit = self.u16()?;
            if unit == 0 {
                break;
            }
            units.push(unit);
        }
        Ok(String::from_utf16_lossy(&units))
    }

    fn record(&mut self, scope: PolicyScope) -> Result<RegistrySetting, ParseError> {
        self.expect(OPEN)?;
        let key = self.string()?;
        self.expect(SEMI)?;
        let raw_value = self.string()?;
        self.expect(SEMI)?;
        let kind = self.u32()?;
        self.expect(SEMI)?;
        let size = self.u32()?;
        self.expect(SEMI)?;
        let data_at = self.pos;
        let size = usize::try_from(size).map_err(|_| self.error(data_at, "data size overflows"))?;
        let data = self.take(size)?.to_vec();
        self.expect(CLOSE)?;
        let (action, value_name) = action_of(&raw_value);
        Ok(RegistrySetting {
            scope,
            key,
            value_name,
            action,
            value_type: type_name(kind),
            data: decode_data(kind, &data),
        })
    }
}

/// Splits the `**` directive off a value name.
fn action_of(raw: &str) -> (RegistryAction, String) {
    let lower = raw.to_ascii_lowercase();
    let strip = |prefix: &str| raw[prefix.len()..].to_owned();
    if raw.is_empty() {
        (RegistryAction::CreateKey, String::new())
    } else if lower.starts_with("**delvals.") {
        (RegistryAction::DeleteAllValues, String::new())
    } else if lower.starts_with("**del.") {
        (RegistryAction::DeleteValue, strip("**del."))
    } else if lower.starts_with("**soft.") {
        (RegistryAction::SoftSet, strip("**soft."))
    } else if lower == "**deletevalues" {
        (RegistryAction::DeleteValues, String::new())
    } else if lower == "**deletekeys" {
        (RegistryAction::DeleteKeys, String::new())
    } else if lower == "**securekey" {
        (RegistryAction::SecureKey, String::new())
    } else {
        (RegistryAction::Set, raw.to_owned())
    }
}

/// Registry type names ([MS-RRP] 3.1.1.5).
pub fn type_name(kind: u32) -> String {
    match kind {
        0 => "REG_NONE".to_owned(),
        1 => "REG_SZ".to_owned(),
        2 => "REG_EXPAND_SZ".to_owned(),
        3 => "REG_BINARY".to_owned(),
        4 => "REG_DWORD".to_owned(),
        5 => "REG_DWORD_BIG_ENDIAN".to_owned(),
        6 => "REG_LINK".to_owned(),
        7 => "REG_MULTI_SZ".to_owned(),
        11 => "REG_QWORD".to_owned(),
        other => format!("REG_TYPE_{other}"),
    }
}

fn utf16_units(data: &[u8]) -> Vec<u16> {
    data.chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect()
}

fn decode_data(kind: u32, data: &[u8]) -> Value {
    match (kind, data.len()) {
        (1 | 2, _) => {
            let units = utf16_units(data);
            let end = units.iter().position(|&u| u == 0).unwrap_or(units.len());
            Value::String(String::from_utf16_lossy(&units[..end]))
        }
        (7, _) => {
            let units = utf16_units(data);
            let strings: Vec<Value> = units
                .split(|&u| u == 0)
                .filter(|part| !part.is_empty())
                .map(|part| Value::String(String::from_utf16_lossy(part)))
                .collect();
            Value::Array(strings)
        }
        (4, 4) => Value::from(u32::from_le_bytes([data[0], data[1], data[2], data[3]])),
        (5, 4) => Value::from(u32::from_be_bytes([data[0], data[1], data[2], data[3]])),
        (11, 8) => {
            let mut b = [0u8; 8];
            b.copy_from_slice(data);
            Value::from(u64::from_le_bytes(b))
        }
        _ => Value::String(data.iter().map(|b| format!("{b:02x}")).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        crate::gpo::test_fixture::fixture(&format!("sysvol/{name}"))
    }

    /// Fixtures built by Samba's own NDR code (`samba.dcerpc.preg` + `ndr_pack`) with
    /// `/usr/bin/python3 lab-recipes/make_registry_pol.py` (commands in
    /// `tests/fixtures/sysvol/README.md`): real PReg files, not hand-written bytes.
    #[test]
    fn machine_registry_pol_from_samba_ndr() {
        let parsed = parse_registry_pol(
            &fixture("machine_Registry.pol"),
            PolicyScope::Machine,
            "Machine/Registry.pol",
        );
        insta::assert_yaml_snapshot!(parsed.map_err(|e| e.to_string()));
    }

    #[test]
    fn user_registry_pol_keeps_delete_markers_and_brackets_in_data() {
        let parsed = parse_registry_pol(
            &fixture("user_Registry.pol"),
            PolicyScope::User,
            "User/Registry.pol",
        );
        insta::assert_yaml_snapshot!(parsed.map_err(|e| e.to_string()));
    }

    #[test]
    fn errors_say_where() {
        let bytes = fixture("machine_Registry.pol");
        let errors: Vec<String> = [
            &b"XReg\x01\0\0\0"[..],
            &b"PReg\x02\0\0\0"[..],
            &bytes[..bytes.len() - 3],
        ]
        .iter()
        .map(
            |b| match parse_registry_pol(b, PolicyScope::Machine, "Registry.pol") {
                Ok(_) => "parsed".to_owned(),
                Err(e) => e.to_string(),
            },
        )
        .collect();
        insta::assert_yaml_snapshot!(errors);
    }
}
