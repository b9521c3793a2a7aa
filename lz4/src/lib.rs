//! LZ4 block decoding for the agent's apt lists, in its own crate so that the `release-agent`
//! profile can build it at `opt-level = 3` while the rest of the agent is built for size
//! (`opt-level = "z"`): the decoder is the hottest loop of a collection (the pending updates
//! decode tens of MB of lists). Hostile input gives an error, never a panic nor a write out of
//! bounds. Frames (headers, checksums, block sizes) are read by the agent's `apt_lists`.

#[cfg(any(test, feature = "test-encoder"))]
pub mod encode;

/// A malformed block: what was wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("corrupt LZ4 data: {0}")]
pub struct Corrupt(pub &'static str);

/// Bytes a copy may write past its end: short literals and matches are copied in whole
/// 16-byte pieces rather than exactly.
pub const WILD: usize = 16;

/// Decodes one LZ4 block into `out[at..]` (`out[..at]` is the match window), writing no
/// decoded byte past `limit` (and scratch bytes at most [`WILD`] past it; `out` must be
/// that long). Returns the end of the decoded text. Hostile input gives an error, never a
/// panic nor a write out of bounds.
///
/// Copies are fixed-size array moves (one 16-byte load and store each), not `memcpy` calls:
/// the agent is built for size, where a call per sequence (musl's `rep movsq`) cost half of
/// the decoding time.
pub fn decode_block(src: &[u8], out: &mut [u8], at: usize, limit: usize) -> Result<usize, Corrupt> {
    debug_assert!(out.len() >= limit + WILD);
    let mut i = 0;
    let mut pos = at;
    loop {
        let Some(&token) = src.get(i) else {
            return Err(corrupt("truncated sequence"));
        };
        i += 1;
        // Literals.
        let mut lit = usize::from(token >> 4);
        if lit == 15 {
            lit += extra_length(src, &mut i)?;
        }
        let Some(lit_end) = pos.checked_add(lit).filter(|&e| e <= limit) else {
            return Err(corrupt("block decodes past its maximum size"));
        };
        let Some(src_end) = i.checked_add(lit).filter(|&e| e <= src.len()) else {
            return Err(corrupt("literals past the block"));
        };
        if src_end + WILD <= src.len() {
            // Whole pieces: the input has room to read past the literals, the output to
            // write past them (`lit_end <= limit`).
            let (mut from, mut to) = (i, pos);
            while to < lit_end {
                copy16(src, from, out, to);
                from += WILD;
                to += WILD;
            }
        } else {
            out[pos..lit_end].copy_from_slice(&src[i..src_end]);
        }
        pos = lit_end;
        i = src_end;
        if i == src.len() {
            return Ok(pos);
        }
        // Match.
        let offset = match src.get(i..i + 2) {
            Some(&[lo, hi]) => usize::from(lo) | usize::from(hi) << 8,
            _ => return Err(corrupt("truncated sequence")),
        };
        i += 2;
        let mut len = usize::from(token & 15) + 4;
        if len == 19 {
            len += extra_length(src, &mut i)?;
        }
        if offset == 0 || offset > pos {
            return Err(corrupt("match offset out of range"));
        }
        let Some(end) = pos.checked_add(len).filter(|&e| e <= limit) else {
            return Err(corrupt("block decodes past its maximum size"));
        };
        let from = pos - offset;
        if offset >= WILD {
            // Each piece reads only bytes written before it (they are `offset` back).
            let (mut from, mut to) = (from, pos);
            while to < end {
                copy16_within(out, from, to);
                from += WILD;
                to += WILD;
            }
        } else if offset == 1 {
            let byte = out[from];
            out[pos..end].fill(byte);
        } else {
            // Overlapping: the text repeats with period `offset`, so each copy can take
            // everything from `from` on, doubling what is there.
            let mut done = pos;
            while done < end {
                let n = (done - from).min(end - done);
                out.copy_within(from..from + n, done);
                done += n;
            }
        }
        pos = end;
    }
}

/// `out[to..to + 16] = src[from..from + 16]`, as one array move.
#[inline(always)]
fn copy16(src: &[u8], from: usize, out: &mut [u8], to: usize) {
    let (Some(piece), Some(dst)) = (
        src.get(from..).and_then(<[u8]>::first_chunk::<WILD>),
        out.get_mut(to..).and_then(<[u8]>::first_chunk_mut::<WILD>),
    ) else {
        unreachable!("16-byte copy out of bounds (the callers check them)");
    };
    *dst = *piece;
}

/// `out[to..to + 16] = out[from..from + 16]`, as one array move.
#[inline(always)]
fn copy16_within(out: &mut [u8], from: usize, to: usize) {
    let Some(&piece) = out.get(from..).and_then(<[u8]>::first_chunk::<WILD>) else {
        unreachable!("16-byte copy out of bounds (the callers check them)");
    };
    let Some(dst) = out.get_mut(to..).and_then(<[u8]>::first_chunk_mut::<WILD>) else {
        unreachable!("16-byte copy out of bounds (the callers check them)");
    };
    *dst = piece;
}

#[cold]
fn corrupt(what: &'static str) -> Corrupt {
    Corrupt(what)
}

/// The bytes of a length past 15 (a run of 255s ended by a smaller byte).
fn extra_length(src: &[u8], i: &mut usize) -> Result<usize, Corrupt> {
    let mut n = 0usize;
    loop {
        let Some(&b) = src.get(*i) else {
            return Err(corrupt("truncated length"));
        };
        *i += 1;
        n += usize::from(b);
        if b != 255 {
            return Ok(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{Rng, encode_block, sample_text};

    #[test]
    fn lz4_blocks_decode_to_their_text() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..200 {
            let len = rng.below(3000);
            let text = sample_text(&mut rng, len);
            let block = encode_block(&text);
            // A window before the block, as when blocks are linked.
            let window: Vec<u8> = (0..round % 40).map(|k| k as u8).collect();
            let limit = window.len() + text.len();
            let mut out = window.clone();
            out.resize(limit + WILD, 0);
            let end = decode_block(&block, &mut out, window.len(), limit).unwrap();
            assert_eq!(&out[window.len()..end], &text[..], "round {round}");
        }
    }

    #[test]
    fn hostile_lz4_blocks_are_errors_not_panics() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let text = sample_text(&mut rng, 4000);
        let good = encode_block(&text);
        let limit = 4096;
        let mut out = vec![0u8; limit + WILD];
        // Truncated anywhere.
        for cut in 0..good.len() {
            let _ = decode_block(&good[..cut], &mut out, 0, limit);
        }
        // Flipped bytes (bad offsets, lengths, tokens) and random garbage.
        for _ in 0..3000 {
            let mut bad = good.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bad.len());
                bad[at] = rng.next_u64() as u8;
            }
            if let Ok(end) = decode_block(&bad, &mut out, 0, limit) {
                assert!(end <= limit);
            }
            let garbage: Vec<u8> = (0..rng.below(200)).map(|_| rng.next_u64() as u8).collect();
            if let Ok(end) = decode_block(&garbage, &mut out, 0, limit) {
                assert!(end <= limit);
            }
        }
        // A block claiming more than its frame's maximum: a 1 GiB match from 4 MiB of input.
        let mut bomb = vec![0x1f, b'a', 1, 0];
        bomb.extend(std::iter::repeat_n(255u8, 4 * 1024 * 1024));
        bomb.push(0);
        let err = decode_block(&bomb, &mut out, 0, limit).unwrap_err();
        assert!(err.to_string().contains("past its maximum size"), "{err}");
        let err = decode_block(&[0x00, 0x05, 0x00], &mut out, 2, limit).unwrap_err();
        assert!(err.to_string().contains("offset out of range"), "{err}");
    }
}
