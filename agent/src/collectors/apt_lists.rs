//! Streaming reader of apt's local lists: `*_Packages` files (plain or LZ4, as Docker-style
//! `Acquire::GzipIndexes` leaves them) paragraph by paragraph, and `*_Release`/`*_InRelease`
//! headers. Files are read in 256 KiB steps into one reused buffer: tens of MB of lists never
//! sit in memory at once, and a paragraph is handed out as a borrowed slice (no per-line or
//! per-paragraph allocation). The LZ4 decoder writes whole blocks in place, copying short
//! literals and matches as fixed 16-byte moves and long overlapping matches by doubling.

use constat_lz4::{WILD, decode_block};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Bytes an LZ4 match may reach back (the format's window).
const LZ4_WINDOW: usize = 64 * 1024;
/// Text decoded or read per step before paragraphs are looked for.
const STEP: usize = 256 * 1024;
/// Longest paragraph read (Debian's longest are tens of KiB): bounds the buffer on hostile
/// lists.
pub const MAX_PARAGRAPH: usize = 4 * 1024 * 1024;

/// Why a list could not be read.
#[derive(Debug)]
pub enum ListError {
    /// The file could not be opened or read.
    Io(io::Error),
    /// The file is compressed with a format the agent does not decode.
    Unsupported(&'static str),
    /// The LZ4 stream is malformed.
    Corrupt(&'static str),
    /// A paragraph is longer than [`MAX_PARAGRAPH`].
    TooLong,
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
            ListError::TooLong => write!(
                f,
                "a paragraph is longer than {} MiB (no blank line): not a Packages list; \
                 remove the file and run `apt update` on the host",
                MAX_PARAGRAPH / (1024 * 1024)
            ),
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

/// Calls `f` on every paragraph (without its blank lines around) of a `Packages` file.
///
/// The text sits in one reused buffer: decoded LZ4 blocks are appended to it, paragraphs are
/// found with a vectorised search for `\n\n` and handed out in place, and the consumed front is
/// moved away only when the buffer is full (keeping the 64 KiB an LZ4 match may reach back).
/// A paragraph longer than [`MAX_PARAGRAPH`] is an error, so a hostile list cannot make the
/// buffer grow without bound.
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
    let window = match source {
        Source::Plain(_) => 0,
        Source::Lz4(_) => LZ4_WINDOW,
    };
    let blank_line = memchr::memmem::Finder::new(b"\n\n");
    let mut buf: Vec<u8> = Vec::new();
    // Bytes of `buf` holding text; the paragraph being read starts at `start`; no blank line
    // starts before `searched` (past `start`).
    let (mut filled, mut start, mut searched) = (0usize, 0, 0);
    loop {
        // The consumed front goes once a good part of the buffer is consumed (amortised).
        let keep_from = start.min(filled.saturating_sub(window));
        if keep_from >= STEP {
            buf.copy_within(keep_from..filled, 0);
            filled -= keep_from;
            start -= keep_from;
            searched -= keep_from;
        }
        if filled - start > MAX_PARAGRAPH {
            return Err(ListError::TooLong);
        }
        let more = source.fill(&mut buf, &mut filled)?;
        let mut pos = searched;
        while let Some(found) = blank_line.find(&buf[pos..filled]) {
            let end = pos + found;
            let paragraph = trim_leading_newlines(&buf[start..end]);
            if !paragraph.is_empty() {
                f(paragraph);
            }
            // Skip the run of newlines.
            pos = end + 2;
            while buf[..filled].get(pos) == Some(&b'\n') {
                pos += 1;
            }
            start = pos;
        }
        // A blank line may straddle the end of what is decoded so far.
        searched = filled.saturating_sub(1).max(start);
        if !more {
            let rest = trim_newlines(trim_leading_newlines(&buf[start..filled]));
            if !rest.is_empty() {
                f(rest);
            }
            return Ok(());
        }
    }
}

fn trim_leading_newlines(mut s: &[u8]) -> &[u8] {
    while let [b'\n', rest @ ..] = s {
        s = rest;
    }
    s
}

fn trim_newlines(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., b'\n' | b'\r'] = s {
        s = rest;
    }
    s
}

/// `text.split("\n\n")` (the paragraphs of a dpkg status), with a vectorised search.
pub fn split_blank_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let mut ends =
        memchr::memmem::find_iter(text.as_bytes(), b"\n\n").chain(std::iter::once(text.len()));
    std::iter::from_fn(move || {
        let end = ends.next()?;
        // Both ends are at ASCII newlines (or the end), so these are char boundaries.
        let piece = text.get(from..end)?;
        from = end + 2;
        Some(piece)
    })
}

/// First index of `needle` (vectorised).
pub fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    memchr::memchr(needle, hay)
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
    /// Appends the next piece of text (about [`STEP`] bytes) to `buf[..*filled]`, growing
    /// `buf` as needed; false at the end.
    fn fill(&mut self, buf: &mut Vec<u8>, filled: &mut usize) -> Result<bool, ListError> {
        match self {
            Source::Plain(file) => {
                if buf.len() < *filled + STEP {
                    buf.resize(*filled + STEP, 0);
                }
                let n = loop {
                    match file.read(&mut buf[*filled..]) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e.into()),
                    }
                };
                *filled += n;
                Ok(n > 0)
            }
            Source::Lz4(lz4) => {
                // Several blocks per call, so paragraphs are searched in large steps.
                let target = *filled + STEP;
                while *filled < target {
                    if !lz4.fill(buf, filled)? {
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
    /// The frame's maximum block size: no block decodes to more.
    block_max: usize,
    block: Vec<u8>,
}

impl<R: Read> Lz4<R> {
    fn new(input: R) -> Self {
        Lz4 {
            input,
            in_frame: false,
            block_checksum: false,
            content_checksum: false,
            block_max: 0,
            block: Vec::new(),
        }
    }

    fn read_u32(&mut self) -> Result<Option<u32>, ListError> {
        let mut b = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            let n = match self.input.read(&mut b[got..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
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

    /// Reads `len` bytes into `self.block[..len]` (the buffer only grows: no zeroing per block).
    fn read_exact(&mut self, len: usize) -> Result<(), ListError> {
        if self.block.len() < len {
            self.block.resize(len, 0);
        }
        self.input
            .read_exact(&mut self.block[..len])
            .map_err(|_| ListError::Corrupt("truncated block"))
    }

    /// Decodes the next block onto `buf[..*filled]`; false at the end of the input.
    fn fill(&mut self, buf: &mut Vec<u8>, filled: &mut usize) -> Result<bool, ListError> {
        loop {
            if !self.in_frame {
                let Some(magic) = self.read_u32()? else {
                    return Ok(false);
                };
                if magic & 0xFFFF_FFF0 == 0x184D_2A50 {
                    // Skippable frame: read in pieces, never allocated at its declared size.
                    let len = self.read_u32()?.ok_or(ListError::Corrupt("truncated"))?;
                    let mut left = u64::from(len);
                    while left > 0 {
                        let piece = left.min(STEP as u64);
                        self.read_exact(piece as usize)?;
                        left -= piece;
                    }
                    continue;
                }
                if magic != 0x184D_2204 {
                    return Err(ListError::Corrupt("bad frame magic"));
                }
                self.read_exact(2)?;
                let (flg, bd) = (self.block[0], self.block[1]);
                if flg >> 6 != 1 {
                    return Err(ListError::Corrupt("unknown frame version"));
                }
                self.block_max = match (bd >> 4) & 7 {
                    4 => 64 * 1024,
                    5 => 256 * 1024,
                    6 => 1024 * 1024,
                    7 => 4 * 1024 * 1024,
                    _ => return Err(ListError::Corrupt("unknown maximum block size")),
                };
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
            if len > self.block_max {
                return Err(ListError::Corrupt("block larger than the frame's maximum"));
            }
            self.read_exact(len)?;
            if buf.len() < *filled + self.block_max + WILD {
                buf.resize(*filled + self.block_max + WILD, 0);
            }
            let block = &self.block[..len];
            if raw {
                buf[*filled..*filled + len].copy_from_slice(block);
                *filled += len;
            } else {
                *filled = decode_block(block, buf, *filled, *filled + self.block_max)
                    .map_err(|e| ListError::Corrupt(e.0))?;
            }
            if self.block_checksum {
                self.read_exact(4)?;
            }
            return Ok(true);
        }
    }
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
    use constat_lz4::encode::encode_block_fast;

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
    fn blank_line_split_is_str_split() {
        for text in [
            "",
            "\n",
            "\n\n",
            "\n\n\n",
            "a\n\nb",
            "a\n\n\nb\n\n",
            "é\n\nü\n",
            "x\n\n\n\ny",
        ] {
            let ours: Vec<&str> = split_blank_lines(text).collect();
            let std: Vec<&str> = text.split("\n\n").collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    /// Whole files: paragraphs across block and buffer boundaries come out the same from a
    /// plain list and its LZ4 frame; a frame declaring a bad block size, a truncated frame and
    /// a paragraph past the cap are errors.
    #[test]
    fn lz4_frames_and_plain_lists_give_the_same_paragraphs() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = Vec::new();
        for k in 0..40_000 {
            text.extend_from_slice(
                format!(
                    "Package: p{k}\nVersion: {}.{}\nDescription: {}\n\n",
                    k % 7,
                    k % 13,
                    "x".repeat(k % 50)
                )
                .as_bytes(),
            );
            if k % 1000 == 0 {
                text.extend_from_slice(b"\n\n\n");
            }
        }
        let plain = dir.path().join("a_Packages");
        std::fs::write(&plain, &text).unwrap();
        let mut frame = vec![0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0xc0];
        for (n, chunk) in text.chunks(64 * 1024).enumerate() {
            if n % 5 == 4 {
                frame.extend_from_slice(&(chunk.len() as u32 | 0x8000_0000).to_le_bytes());
                frame.extend_from_slice(chunk);
            } else {
                // Linked blocks: matches reach into the 64 KiB before the block.
                let start = n * 64 * 1024;
                let block = encode_block_fast(&text[..start + chunk.len()], start);
                frame.extend_from_slice(&(block.len() as u32).to_le_bytes());
                frame.extend_from_slice(&block);
            }
        }
        frame.extend_from_slice(&0u32.to_le_bytes());
        let lz4 = dir.path().join("a_Packages.lz4");
        std::fs::write(&lz4, &frame).unwrap();
        let read = |path: &Path| {
            let mut all = Vec::new();
            for_each_paragraph(path, |p| all.push(p.to_vec())).map(|()| all)
        };
        let from_plain = read(&plain).unwrap();
        assert_eq!(from_plain.len(), 40_000);
        let last = format!(
            "Package: p39999\nVersion: 1.11\nDescription: {}",
            "x".repeat(49)
        );
        assert_eq!(from_plain[39_999], last.as_bytes());
        assert_eq!(read(&lz4).unwrap(), from_plain);
        let mut bad_size = frame.clone();
        bad_size[5] = 0x30;
        assert!(read_err(&bad_size, dir.path()).contains("maximum block size"));
        assert!(read_err(&frame[..frame.len() / 2], dir.path()).contains("truncated"));
        let long = dir.path().join("b_Packages");
        std::fs::write(&long, vec![b'x'; MAX_PARAGRAPH + 2 * STEP]).unwrap();
        let err = read(&long).unwrap_err().to_string();
        assert!(err.contains("longer than 4 MiB"), "{err}");
    }

    fn read_err(frame: &[u8], dir: &Path) -> String {
        let path = dir.join("c_Packages.lz4");
        std::fs::write(&path, frame).unwrap();
        for_each_paragraph(&path, |_| {}).unwrap_err().to_string()
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
