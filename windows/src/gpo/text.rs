//! Text decoding of GPO files: UTF-16LE with BOM (Windows), UTF-8 with or without BOM
//! (samba-tool), and BOM-less UTF-16LE (some tools).

/// Encoding detected by [`decode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-16 little endian (with or without BOM).
    Utf16Le,
    /// UTF-16 big endian (with BOM).
    Utf16Be,
    /// UTF-8 (or ASCII), with or without BOM.
    Utf8,
    /// Not valid UTF-8: read as Windows-1252 / Latin-1 (ANSI code page files).
    Latin1,
}

impl TextEncoding {
    /// Name as written in snapshots.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Latin1 => "latin-1",
        }
    }
}

/// Decodes a text file, BOM removed. Never fails: invalid UTF-16 units become U+FFFD and
/// invalid UTF-8 is read as Latin-1, which keeps every byte visible.
pub fn decode(bytes: &[u8]) -> (String, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, u16::from_le_bytes), TextEncoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, u16::from_be_bytes), TextEncoding::Utf16Be);
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    // BOM-less UTF-16LE: ASCII text has a zero every second byte.
    if body.len() >= 4 && body[1] == 0 && body[3] == 0 && body[0] != 0 {
        return (utf16(body, u16::from_le_bytes), TextEncoding::Utf16Le);
    }
    match std::str::from_utf8(body) {
        Ok(text) => (text.to_owned(), TextEncoding::Utf8),
        Err(_) => (
            body.iter().map(|&b| char::from(b)).collect(),
            TextEncoding::Latin1,
        ),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| unit([pair[0], pair[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// Removes a leading `<?xml …?>` declaration: GPO reports declare `encoding="utf-16"` even
/// when stored (or already decoded) as UTF-8, which strict parsers refuse.
pub fn strip_xml_declaration(text: &str) -> &str {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("<?xml")
        && let Some(end) = trimmed.find("?>")
    {
        return &trimmed[end + 2..];
    }
    trimmed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_encoding() {
        let utf16_bom: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("[Unicode]\r\né".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decode(&utf16_bom),
            ("[Unicode]\r\né".to_owned(), TextEncoding::Utf16Le)
        );
        let no_bom: Vec<u8> = "[General]"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&no_bom).1, TextEncoding::Utf16Le);
        assert_eq!(
            decode(b"\xEF\xBB\xBF[System Access]\n"),
            ("[System Access]\n".to_owned(), TextEncoding::Utf8)
        );
        assert_eq!(
            decode(b"caf\xE9"),
            ("café".to_owned(), TextEncoding::Latin1)
        );
        assert_eq!(
            strip_xml_declaration("<?xml version=\"1.0\" encoding=\"utf-16\"?>\n<GPO/>"),
            "\n<GPO/>"
        );
    }
}
