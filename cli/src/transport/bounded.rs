//! Bounded reading of what a host sends: stdout kept up to a cap (the snapshot size limit),
//! stderr kept as a bounded tail; past either cap the host fails with `output_too_large`.
//!
//! Stdout is kept as the chunks the transport received, joined once at the end: a host that
//! floods up to the cap costs the cap, not the cap plus a doubling buffer's copy (a growing
//! `Vec` briefly holds its old and new allocations: 32 + 64 MiB at a 64 MiB cap).

use super::host_error::{HostError, HostErrorKind};
use crate::i18n::tf;
use std::collections::VecDeque;

/// Bytes of stderr kept (the last ones: where a failing program says why).
pub(crate) const STDERR_TAIL: usize = 16 * 1024;

/// Cap on what a short helper command (`uname -m`, a clean-up) may print.
pub(crate) const SMALL_OUTPUT: u64 = 64 * 1024;

/// Characters of stderr quoted in an error message (the last ones).
const EXCERPT_CHARS: usize = 300;

/// Which stream ran over its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    /// Standard output (the snapshot).
    Stdout,
    /// Standard error (counted in full, only its tail kept).
    Stderr,
}

/// What one command sent, with its memory bounded by `limit` + [`STDERR_TAIL`].
#[derive(Debug)]
pub(crate) struct BoundedOutput {
    limit: u64,
    stdout: Vec<Vec<u8>>,
    stdout_len: u64,
    stderr: VecDeque<u8>,
    stderr_total: u64,
}

impl BoundedOutput {
    /// Empty output accepting up to `limit` bytes on each stream.
    pub(crate) fn new(limit: u64) -> BoundedOutput {
        BoundedOutput {
            limit,
            stdout: Vec::new(),
            stdout_len: 0,
            stderr: VecDeque::new(),
            stderr_total: 0,
        }
    }

    /// Appends to stdout; `Err` (nothing kept) once the total would pass the limit.
    pub(crate) fn push_stdout(&mut self, data: &[u8]) -> Result<(), Stream> {
        if self.stdout_len + data.len() as u64 > self.limit {
            return Err(Stream::Stdout);
        }
        if !data.is_empty() {
            self.stdout_len += data.len() as u64;
            self.stdout.push(data.to_vec());
        }
        Ok(())
    }

    /// Appends to stderr, keeping only the last [`STDERR_TAIL`] bytes; `Err` once the
    /// total sent passes the limit (a host flooding stderr is stopped too).
    pub(crate) fn push_stderr(&mut self, data: &[u8]) -> Result<(), Stream> {
        self.stderr_total += data.len() as u64;
        let keep = &data[data.len().saturating_sub(STDERR_TAIL)..];
        let overflow = (self.stderr.len() + keep.len()).saturating_sub(STDERR_TAIL);
        self.stderr.drain(..overflow.min(self.stderr.len()));
        self.stderr.extend(keep);
        if self.stderr_total > self.limit {
            return Err(Stream::Stderr);
        }
        Ok(())
    }

    /// Everything kept on stdout, joined.
    pub(crate) fn into_stdout(self) -> Vec<u8> {
        match <[Vec<u8>; 1]>::try_from(self.stdout) {
            Ok([only]) => only,
            Err(chunks) => chunks.concat(),
        }
    }

    /// The end of stderr, trimmed, as text for an error message (lossy UTF-8).
    pub(crate) fn stderr_excerpt(&self) -> String {
        let (a, b) = self.stderr.as_slices();
        let bytes = [a, b].concat();
        excerpt(&bytes, self.stderr_total > bytes.len() as u64)
    }
}

fn excerpt(bytes: &[u8], cut_before: bool) -> String {
    let text = String::from_utf8_lossy(bytes);
    // Control characters made visible (`\x1b`): a host cannot drive the examiner's terminal.
    let visible: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() => format!("\\x{:02x}", u32::from(c)),
            c => c.to_string(),
        })
        .collect();
    let trimmed = visible.as_str();
    let count = trimmed.chars().count();
    let tail: String = trimmed
        .chars()
        .skip(count.saturating_sub(EXCERPT_CHARS))
        .collect();
    if cut_before || count > EXCERPT_CHARS {
        format!("…{tail}")
    } else {
        tail
    }
}

/// The `output_too_large` error: what ran over, the limit, and how to raise it.
pub(crate) fn too_large(stream: Stream, limit: u64, what: &str) -> HostError {
    let key = match stream {
        Stream::Stdout => "transport.output_too_large",
        Stream::Stderr => "transport.stderr_too_large",
    };
    HostError::new(
        HostErrorKind::OutputTooLarge,
        tf(key, &[("what", &what), ("limit", &format_limit(limit))]),
    )
}

fn format_limit(limit: u64) -> String {
    if limit >= 1 << 20 && limit.is_multiple_of(1 << 20) {
        format!("{} MiB", limit >> 20)
    } else {
        format!("{} KiB", limit.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdout_stops_at_the_limit_and_keeps_nothing_past_it() {
        let mut out = BoundedOutput::new(10);
        assert_eq!(out.push_stdout(b"01234"), Ok(()));
        assert_eq!(out.push_stdout(b""), Ok(()));
        assert_eq!(out.push_stdout(b"56789"), Ok(()));
        assert_eq!(out.push_stdout(b"x"), Err(Stream::Stdout));
        assert_eq!(out.into_stdout(), b"0123456789");
    }

    #[test]
    fn stderr_keeps_a_bounded_tail_and_counts_everything() {
        let mut out = BoundedOutput::new(u64::MAX);
        for _ in 0..100 {
            out.push_stderr(&[b'a'; 1000]).unwrap();
        }
        out.push_stderr(b"the real cause").unwrap();
        assert_eq!(out.stderr.len(), STDERR_TAIL);
        let excerpt = out.stderr_excerpt();
        assert!(excerpt.starts_with('…') && excerpt.ends_with("the real cause"));
        assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1);
        let mut small = BoundedOutput::new(5);
        assert_eq!(small.push_stderr(b"123456"), Err(Stream::Stderr));
    }

    #[test]
    fn a_short_stderr_is_quoted_whole() {
        let mut out = BoundedOutput::new(100);
        out.push_stderr(b"  sudo: 1 incorrect password attempt\n")
            .unwrap();
        assert_eq!(out.stderr_excerpt(), "sudo: 1 incorrect password attempt");
    }

    #[test]
    fn control_characters_are_made_visible() {
        let mut out = BoundedOutput::new(100);
        out.push_stderr(b"\x1b]52;c;aGk=\x07\x1b[2Jdone\r").unwrap();
        assert_eq!(out.stderr_excerpt(), "\\x1b]52;c;aGk=\\x07\\x1b[2Jdone");
    }

    #[test]
    fn limits_are_named_in_mib_or_kib() {
        assert_eq!(format_limit(64 << 20), "64 MiB");
        assert_eq!(format_limit(SMALL_OUTPUT), "64 KiB");
    }
}
