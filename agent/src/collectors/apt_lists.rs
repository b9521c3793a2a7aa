//! Streaming reader of apt's local lists: `*_Packages` files (plain or LZ4, as Docker-style
//! `Acquire::GzipIndexes` leaves them) paragraph by paragraph, and `*_Release`/`*_InRelease`
//! headers. Files are read in 256 KiB steps: tens of MB of lists never sit in memory at once,
//! and a paragraph is handed out as a borrowed slice (no per-line allocation).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Bytes an LZ4 match may reach back (the format's window).
const LZ4_WINDOW: usize = 64 * 1024;
const STEP: usize = 256 * 1024;

/// Why a list could not be read.
#[derive(Debug)]
pub enum ListError {
    /// The file could not be opened or read.
    Io(io::Error),
    /// The file is compressed with a format the agent does not decode.
    Unsupported(&'static str),
    /// The LZ4 stream is malformed.
    Corrupt(&'static str),
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListError::Io(e) => write!(f, "{e}"),
            ListError::Unsupported(ext) => write!(
                f,
                "{ext}-compressed lists are not decoded by the agent (only plain and .lz4); \
                 set Acquire::GzipIndexes \"false\" and run `apt update` on the host"
            ),
            ListError::Corrupt(what) => write!(f, "corrupt LZ4 data: {what}"),
        }
    }
}

impl From<io::Error> for ListError {
    fn from(e: io::Error) -> Self {
        ListError::Io(e)
    }
}

/// Whether a list file name is a binary `Packages` index (any compression).
pub fn is_packages_list(name: &str) -> bool {
    let base = strip_compression(name).0;
    base.ends_with("_Packages")
}

/// `(name without compression suffix, compression)`.
pub fn strip_compression(name: &str) -> (&str, Option<&'static str>) {
    for ext in ["lz4", "gz", "xz", "zst", "bz2", "lzma"] {
        if let Some(base) = name.strip_suffix(ext).and_then(|b| b.strip_suffix('.')) {
            let ext: &'static str = match ext {
                "lz4" => "lz4",
                "gz" => "gz",
                "xz" => "xz",
                "zst" => "zst",
                "bz2" => "bz2",
                _ => "lzma",
            };
            return (base, Some(ext));
        }
    }
    (name, None)
}

/// Calls `f` on every paragraph (without its trailing blank line) of a `Packages` file.
pub fn for_each_paragraph(path: &Path, mut f: impl FnMut(&[u8])) -> Result<(), ListError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut source = match strip_compression(&name).1 {
        None => Source::Plain(File::open(path)?),
        Some("lz4") => Source::Lz4(Lz4::new(io::BufReader::with_capacity(
            STEP,
            File::open(path)?,
        ))),
        Some(other) => return Err(ListError::Unsupported(other)),
    };
    let mut buf: Vec<u8> = Vec::with_capacity(STEP + LZ4_WINDOW);
    let mut start = 0;
    loop {
        let more = source.fill(&mut buf)?;
        let mut pos = start;
        while let Some(end) = find_blank_line(&buf, pos) {
            if end > start {
                f(&buf[start..end]);
            }
            // Skip the run of newlines.
            pos = end;
            while buf.get(pos) == Some(&b'\n') {
                pos += 1;
            }
            start = pos;
        }
        if !more {
            let rest = trim_newlines(&buf[start..]);
            if !rest.is_empty() {
                f(rest);
            }
            return Ok(());
        }
        let keep_from = match source {
            Source::Plain(_) => start,
            Source::Lz4(_) => start.min(buf.len().saturating_sub(LZ4_WINDOW)),
        };
        // Compact only once a good part of the buffer is consumed (amortised copies).
        if keep_from >= STEP {
            buf.drain(..keep_from);
            start -= keep_from;
        }
    }
}

fn trim_newlines(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., b'\n' | b'\r'] = s {
        s = rest;
    }
    s
}

/// Index of the first `\n` of a `\n\n` at or after `from`.
fn find_blank_line(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let nl = i + find_byte(&buf[i..], b'\n')?;
        if buf.get(nl + 1) == Some(&b'\n') {
            return Some(nl);
        }
        if nl + 1 >= buf.len() {
            return None;
        }
        i = nl + 1;
    }
}

/// First index of `needle`, eight bytes at a time.
pub fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO.wrapping_mul(u64::from(needle));
    let mut chunks = hay.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ pattern;
        let found = x.wrapping_sub(LO) & !x & HI;
        if found != 0 {
            return Some(offset + (found.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == needle)
        .map(|p| offset + p)
}

/// The value of a single-line field of a paragraph (`Name: value`), trimmed.
pub fn field<'a>(paragraph: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut rest = paragraph;
    loop {
        let end = find_byte(rest, b'\n').unwrap_or(rest.len());
        let line = &rest[..end];
        if line.len() > name.len()
            && line[name.len()] == b':'
            && line[..name.len()].eq_ignore_ascii_case(name)
        {
            return Some(trim(&line[name.len() + 1..]));
        }
        if end >= rest.len() {
            return None;
        }
        rest = &rest[end + 1..];
    }
}

/// The first line's field, when it is `name` (`Package:` opens every paragraph of a list).
pub fn first_field<'a>(paragraph: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let end = find_byte(paragraph, b'\n').unwrap_or(paragraph.len());
    let line = &paragraph[..end];
    (line.len() > name.len() && line[name.len()] == b':' && line.starts_with(name))
        .then(|| trim(&line[name.len() + 1..]))
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\r', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r'] = s {
        s = rest;
    }
    s
}

enum Source {
    Plain(File),
    Lz4(Lz4<io::BufReader<File>>),
}

impl Source {
    /// Appends the next piece of decoded text; false at the end.
    fn fill(&mut self, buf: &mut Vec<u8>) -> Result<bool, ListError> {
        match self {
            Source::Plain(file) => {
                let len = buf.len();
                buf.resize(len + STEP, 0);
                let n = loop {
                    match file.read(&mut buf[len..]) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            buf.truncate(len);
                            return Err(e.into());
                        }
                    }
                };
                buf.truncate(len + n);
                Ok(n > 0)
            }
            Source::Lz4(lz4) => {
                // Several blocks per call, so paragraphs are searched in large steps.
                let target = buf.len() + STEP;
                while buf.len() < target {
                    if !lz4.fill(buf)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
        }
    }
}

/// An LZ4 frame decoder (the format `lz4` writes), one block per call.
struct Lz4<R> {
    input: R,
    in_frame: bool,
    block_checksum: bool,
    content_checksum: bool,
    block: Vec<u8>,
}

impl<R: Read> Lz4<R> {
    fn new(input: R) -> Self {
        Lz4 {
            input,
            in_frame: false,
            block_checksum: false,
            content_checksum: false,
            block: Vec::new(),
        }
    }

    fn read_u32(&mut self) -> Result<Option<u32>, ListError> {
        let mut b = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            let n = self.input.read(&mut b[got..])?;
            if n == 0 {
                return if got == 0 {
                    Ok(None)
                } else {
                    Err(ListError::Corrupt("truncated"))
                };
            }
            got += n;
        }
        Ok(Some(u32::from_le_bytes(b)))
    }

    fn read_exact(&mut self, len: usize) -> Result<(), ListError> {
        self.block.resize(len, 0);
        self.input
            .read_exact(&mut self.block)
            .map_err(|_| ListError::Corrupt("truncated block"))
    }

    fn fill(&mut self, out: &mut Vec<u8>) -> Result<bool, ListError> {
        loop {
            if !self.in_frame {
                let Some(magic) = self.read_u32()? else {
                    return Ok(false);
                };
                if magic & 0xFFFF_FFF0 == 0x184D_2A50 {
                    // Skippable frame.
                    let len = self.read_u32()?.ok_or(ListError::Corrupt("truncated"))?;
                    self.read_exact(len as usize)?;
                    continue;
                }
                if magic != 0x184D_2204 {
                    return Err(ListError::Corrupt("bad frame magic"));
                }
                self.read_exact(2)?;
                let (flg, _bd) = (self.block[0], self.block[1]);
                if flg >> 6 != 1 {
                    return Err(ListError::Corrupt("unknown frame version"));
                }
                self.block_checksum = flg & 0x10 != 0;
                self.content_checksum = flg & 0x04 != 0;
                let extra =
                    if flg & 0x08 != 0 { 8 } else { 0 } + if flg & 0x01 != 0 { 4 } else { 0 };
                self.read_exact(extra + 1)?; // content size, dictionary id, header checksum
                self.in_frame = true;
            }
            let size = self.read_u32()?.ok_or(ListError::Corrupt("truncated"))?;
            if size == 0 {
                if self.content_checksum {
                    self.read_exact(4)?;
                }
                self.in_frame = false;
                continue;
            }
            let raw = size & 0x8000_0000 != 0;
            let len = (size & 0x7FFF_FFFF) as usize;
            if len > 4 * 1024 * 1024 {
                return Err(ListError::Corrupt("block larger than 4 MiB"));
            }
            self.read_exact(len)?;
            if raw {
                out.extend_from_slice(&self.block);
            } else {
                decode_block(&self.block, out)?;
            }
            if self.block_checksum {
                self.read_exact(4)?;
            }
            return Ok(true);
        }
    }
}

/// Decodes one LZ4 block, appending to `out` (whose tail is the match window).
fn decode_block(src: &[u8], out: &mut Vec<u8>) -> Result<(), ListError> {
    let corrupt = ListError::Corrupt;
    let mut i = 0;
    let byte = |i: &mut usize| -> Result<u8, ListError> {
        let b = *src.get(*i).ok_or(corrupt("truncated sequence"))?;
        *i += 1;
        Ok(b)
    };
    let length = |i: &mut usize, mut n: usize| -> Result<usize, ListError> {
        if n == 15 {
            loop {
                let b = *src.get(*i).ok_or(corrupt("truncated length"))?;
                *i += 1;
                n += usize::from(b);
                if b != 255 {
                    break;
                }
            }
        }
        Ok(n)
    };
    while i < src.len() {
        let token = byte(&mut i)?;
        let lit = length(&mut i, usize::from(token >> 4))?;
        let lits = src
            .get(i..i + lit)
            .ok_or(corrupt("literals past the block"))?;
        out.extend_from_slice(lits);
        i += lit;
        if i == src.len() {
            break;
        }
        let offset = usize::from(byte(&mut i)?) | usize::from(byte(&mut i)?) << 8;
        let len = length(&mut i, usize::from(token & 15))? + 4;
        if offset == 0 || offset > out.len() {
            return Err(corrupt("match offset out of range"));
        }
        let from = out.len() - offset;
        if offset >= len {
            out.extend_from_within(from..from + len);
        } else {
            for k in 0..len {
                let b = out[from + k];
                out.push(b);
            }
        }
    }
    Ok(())
}

/// What a `Release`/`InRelease` file says about its archive.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleaseInfo {
    /// `Origin:`.
    pub origin: String,
    /// `Label:`.
    pub label: String,
    /// `Suite:` (apt's "archive", `a=`).
    pub suite: String,
    /// `Codename:` (`n=`).
    pub codename: String,
    /// `Version:` (`v=`).
    pub version: String,
    /// `NotAutomatic: yes`.
    pub not_automatic: bool,
    /// `ButAutomaticUpgrades: yes` (only meaningful with `NotAutomatic`).
    pub but_automatic_upgrades: bool,
}

/// Parses the header of a `Release` or clear-signed `InRelease` file.
pub fn parse_release(text: &str) -> ReleaseInfo {
    let mut info = ReleaseInfo::default();
    for line in text.lines() {
        if line.starts_with("-----BEGIN PGP SIGNATURE") {
            break;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if key.starts_with(' ') {
            continue;
        }
        let value = value.trim().to_owned();
        match key {
            "Origin" => info.origin = value,
            "Label" => info.label = value,
            "Suite" => info.suite = value,
            "Codename" => info.codename = value,
            "Version" => info.version = value,
            "NotAutomatic" => info.not_automatic = value.eq_ignore_ascii_case("yes"),
            "ButAutomaticUpgrades" => {
                info.but_automatic_upgrades = value.eq_ignore_ascii_case("yes")
            }
            _ => {}
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_fields_and_lz4() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Package: a\nVersion: 1\nDescription: x\n more\n\n\nPackage: b\nVersion: 2\n";
        let plain = dir.path().join("x_main_binary-amd64_Packages");
        std::fs::write(&plain, text).unwrap();
        let mut seen = Vec::new();
        for_each_paragraph(&plain, |p| {
            seen.push((
                String::from_utf8_lossy(first_field(p, b"Package").unwrap()).into_owned(),
                String::from_utf8_lossy(field(p, b"Version").unwrap()).into_owned(),
            ))
        })
        .unwrap();
        assert_eq!(seen, [("a".into(), "1".into()), ("b".into(), "2".into())]);
        // An LZ4 frame written by hand: one compressed block with a literal run and an
        // overlapping match (12 bytes from 3 back), then an uncompressed block.
        let mut frame = vec![0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0xc0];
        let block = [
            0x38, b'P', b'a', b'c', 0x03, 0x00, 0x50, b'\n', b'\n', b'z', b'z', b'\n',
        ];
        frame.extend_from_slice(&(block.len() as u32).to_le_bytes());
        frame.extend_from_slice(&block);
        frame.extend_from_slice(&(0x8000_0002u32).to_le_bytes());
        frame.extend_from_slice(b"y\n");
        frame.extend_from_slice(&0u32.to_le_bytes());
        let lz4 = dir.path().join("x_main_binary-amd64_Packages.lz4");
        std::fs::write(&lz4, &frame).unwrap();
        let mut paragraphs = Vec::new();
        for_each_paragraph(&lz4, |p| {
            paragraphs.push(String::from_utf8_lossy(p).into_owned())
        })
        .unwrap();
        assert_eq!(paragraphs, ["PacPacPacPacPac", "zz\ny"]);
        let gz = dir.path().join("x_Packages.gz");
        std::fs::write(&gz, b"").unwrap();
        let err = for_each_paragraph(&gz, |_| {}).unwrap_err().to_string();
        assert!(err.contains("gz-compressed lists"), "{err}");
        std::fs::write(&lz4, &frame[..frame.len() - 9]).unwrap();
        let err = for_each_paragraph(&lz4, |_| {}).unwrap_err().to_string();
        assert!(err.contains("corrupt LZ4"), "{err}");
    }

    #[test]
    fn release_header() {
        let text = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Debian Backports\nLabel: Debian Backports\nSuite: bookworm-backports\nVersion: 12.0\nCodename: bookworm-backports\nNotAutomatic: yes\nButAutomaticUpgrades: yes\nSHA256:\n 0123 45 main/binary-amd64/Packages\n-----BEGIN PGP SIGNATURE-----\nOrigin: forged\n";
        let info = parse_release(text);
        assert_eq!(info.origin, "Debian Backports");
        assert_eq!(info.suite, "bookworm-backports");
        assert!(info.not_automatic && info.but_automatic_upgrades);
    }
}
