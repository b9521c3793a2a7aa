//! Test encoders (not compressors for real use): valid LZ4 blocks of every shape the decoder
//! meets, to check it against the text they came from. Built for tests only (the
//! `test-encoder` feature for other crates' tests).

/// A deterministic generator (xorshift), so the property tests are the same everywhere.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A naive LZ4 block encoder (longest match, searched byte by byte): valid blocks with
/// every shape the decoder meets (long literal runs, 255-byte length runs, overlapping
/// matches), to check the decoder against the text it came from.
pub fn encode_block(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut anchor, mut p) = (0, 0);
    while p + 12 <= text.len() {
        let (mut best, mut best_offset) = (0, 0);
        for from in p.saturating_sub(65_535)..p {
            let n = (0..text.len() - 5 - p)
                .take_while(|&k| text[from + k] == text[p + k])
                .count();
            if n > best {
                (best, best_offset) = (n, p - from);
            }
        }
        if best < 4 {
            p += 1;
            continue;
        }
        sequence(&mut out, &text[anchor..p], Some((best_offset, best)));
        p += best;
        anchor = p;
    }
    sequence(&mut out, &text[anchor..], None);
    out
}

/// One LZ4 sequence: its literals, then the match `(offset, length)`, or none for the
/// block's last literals.
pub fn sequence(out: &mut Vec<u8>, literals: &[u8], matched: Option<(usize, usize)>) {
    fn length(out: &mut Vec<u8>, mut n: usize) {
        while n >= 255 {
            out.push(255);
            n -= 255;
        }
        out.push(n as u8);
    }
    let lit = literals.len();
    let m = matched.map_or(0, |(_, len)| len - 4);
    out.push(((lit.min(15) as u8) << 4) | m.min(15) as u8);
    if lit >= 15 {
        length(out, lit - 15);
    }
    out.extend_from_slice(literals);
    if let Some((offset, _)) = matched {
        out.extend_from_slice(&(offset as u16).to_le_bytes());
        if m >= 15 {
            length(out, m - 15);
        }
    }
}

/// Text with the repetitions of a Packages list: words from a small vocabulary, runs of
/// one byte and of short patterns.
pub fn sample_text(rng: &mut Rng, len: usize) -> Vec<u8> {
    let words: [&[u8]; 6] = [
        b"Package: ",
        b"libc6",
        b"\nVersion: 2.36-9",
        b" ",
        b"\n\n",
        b"amd64",
    ];
    let mut text = Vec::new();
    while text.len() < len {
        match rng.below(4) {
            0 => text.extend(std::iter::repeat_n(b'-', rng.below(300))),
            1 => {
                let pattern: Vec<u8> = (0..1 + rng.below(7))
                    .map(|_| rng.next_u64() as u8)
                    .collect();
                for _ in 0..rng.below(40) {
                    text.extend_from_slice(&pattern);
                }
            }
            2 => text.push(rng.next_u64() as u8),
            _ => text.extend_from_slice(words[rng.below(words.len())]),
        }
    }
    text.truncate(len);
    text
}

/// A quicker encoder for large inputs: matches only at the previous occurrence of the
/// same 4 bytes (a hash table, as real LZ4 does). Encodes `text[start..]`, with matches
/// reaching back into the 64 KiB before `start` (a linked block).
pub fn encode_block_fast(text: &[u8], start: usize) -> Vec<u8> {
    let mut table: std::collections::HashMap<&[u8], usize> = Default::default();
    for p in start.saturating_sub(65_535)..start {
        table.insert(&text[p..p + 4], p);
    }
    let mut out = Vec::new();
    let (mut anchor, mut p) = (start, start);
    while p + 12 <= text.len() {
        let key = &text[p..p + 4];
        let previous = table.insert(key, p);
        let Some(from) = previous.filter(|&f| p - f <= 65_535) else {
            p += 1;
            continue;
        };
        let best = (0..text.len() - 5 - p)
            .take_while(|&k| text[from + k] == text[p + k])
            .count();
        if best < 4 {
            p += 1;
            continue;
        }
        sequence(&mut out, &text[anchor..p], Some((p - from, best)));
        p += best;
        anchor = p;
    }
    sequence(&mut out, &text[anchor..], None);
    out
}
