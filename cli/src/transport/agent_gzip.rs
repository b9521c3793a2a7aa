//! The agent as it travels: gzip, made once per agent build and kept in the examiner's cache.
//!
//! Why: OpenSSH's `sshd` opens a session channel with a 2 MiB window. The static agent is
//! ~3.2 MB, so the last third of a raw upload waits for window adjustments, which the host
//! sends only as its shell drains the bytes into the file: a dozen rounds, each paced by the
//! host's scheduling (BENCHMARKS.md, round 7 of issue 13: one host's `check --host` was
//! bimodal, 0.36–0.64 s). Gzip brings the agent to ~1.4 MB, under the window: the whole upload
//! leaves in one burst, and on a real network it costs one round trip instead of a dozen.
//! `gzip` is on every Linux the référentiel's VMs run (Debian's `Essential: yes`, RHEL's
//! core, busybox); a host without it is told apart by the command and sent the raw bytes.
//!
//! The compressed form is kept as `$XDG_CACHE_HOME/constat/agent-<size>-<crc32>.gz` (else
//! `~/.cache/constat/`), written atomically; a cached file is used only if it inflates to
//! exactly the agent's bytes (a few milliseconds), else it is made again. Nothing of this
//! touches a host: only the grader's own cache.

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The gzip stream of `agent`: from the cache when it holds exactly these bytes, else
/// compressed now (and kept for the next run when the cache directory is writable).
pub(super) fn gzipped(agent: &[u8]) -> Vec<u8> {
    let dir = cache_dir();
    let name = cache_name(agent);
    if let Some(dir) = &dir
        && let Ok(cached) = std::fs::read(dir.join(&name))
        && inflates_to(&cached, agent)
    {
        return cached;
    }
    let packed = compress(agent);
    if let Some(dir) = &dir {
        // A cache that cannot be written only costs the compression again next time.
        let _ = store(dir, &name, &packed);
    }
    packed
}

/// `agent-<size>-<crc32>.gz`: a rebuilt agent gets another name, an old one stays valid.
fn cache_name(agent: &[u8]) -> String {
    let mut crc = flate2::Crc::new();
    crc.update(agent);
    format!("agent-{}-{:08x}.gz", agent.len(), crc.sum())
}

/// `$XDG_CACHE_HOME/constat`, else `~/.cache/constat`; none without either variable.
fn cache_dir() -> Option<PathBuf> {
    if let Some(base) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(base).join("constat"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|home| PathBuf::from(home).join(".cache/constat"))
}

fn compress(agent: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(agent.len() / 2), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(agent);
    encoder.finish().unwrap_or_default()
}

/// Whether `packed` is one gzip stream whose content is exactly `agent`.
fn inflates_to(packed: &[u8], agent: &[u8]) -> bool {
    let mut decoder = GzDecoder::new(packed);
    let mut content = Vec::with_capacity(agent.len());
    // One byte more than the agent: a longer content is not a match.
    let limit = agent.len() as u64 + 1;
    decoder
        .by_ref()
        .take(limit)
        .read_to_end(&mut content)
        .is_ok()
        && content == agent
}

/// Writes `dir/name` atomically and privately (the session's own writer).
fn store(dir: &Path, name: &str, packed: &[u8]) -> std::io::Result<()> {
    crate::session::write_atomically(&dir.join(name), packed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        // Compressible like a binary: repeated structure with variation.
        (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect()
    }

    #[test]
    fn the_stream_is_gzip_and_inflates_to_the_agent() {
        let agent = sample();
        let packed = compress(&agent);
        assert_eq!(
            &packed[..2],
            b"\x1f\x8b",
            "gzip magic: what `gzip -dc` reads"
        );
        assert!(packed.len() < agent.len() / 4);
        assert!(inflates_to(&packed, &agent));
    }

    #[test]
    fn a_cached_file_is_used_only_when_it_is_exactly_the_agent() {
        let dir = tempfile::tempdir().unwrap();
        let agent = sample();
        let name = cache_name(&agent);
        // Made and kept.
        store(dir.path(), &name, &compress(&agent)).unwrap();
        let cached = std::fs::read(dir.path().join(&name)).unwrap();
        assert!(inflates_to(&cached, &agent));
        // Another agent of the same size, a truncated file, garbage, a longer content: no.
        let mut other = agent.clone();
        other[7] ^= 1;
        assert!(!inflates_to(&cached, &other));
        assert!(!inflates_to(&cached[..cached.len() - 9], &agent));
        assert!(!inflates_to(b"not gzip at all", &agent));
        let mut longer = agent.clone();
        longer.push(0);
        assert!(!inflates_to(&compress(&longer), &agent));
        // A rebuilt agent has another name.
        assert_ne!(cache_name(&other), name);
    }
}
