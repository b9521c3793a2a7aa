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
//! `~/.cache/constat/`), written atomically and privately. A cached file is used only if its
//! gzip trailer names the agent's CRC-32 and size, else it is made again; the host's `gzip -dc`
//! checks the content against that trailer, so a damaged file fails the upload (named) and
//! never runs. Checking the trailer instead of inflating the file keeps the client's cost
//! under a millisecond. Nothing of this touches a host: only the grader's own cache.

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The gzip stream of `agent`: from the cache when it holds exactly these bytes, else
/// compressed now (and kept for the next run when the cache directory is writable).
pub(super) fn gzipped(agent: &[u8]) -> Vec<u8> {
    let dir = cache_dir();
    let crc = crc32(agent);
    let name = format!("agent-{}-{crc:08x}.gz", agent.len());
    if let Some(dir) = &dir
        && let Ok(cached) = std::fs::read(dir.join(&name))
        && trailer_names(&cached, crc, agent.len())
    {
        return cached;
    }
    let packed = compress(agent);
    if let Some(dir) = &dir {
        // A cache that cannot be written only costs the compression again next time.
        if store(dir, &name, &packed).is_ok() {
            prune(dir, KEPT);
        }
    }
    packed
}

/// How many agents' gzip forms the cache keeps (the newest): a few builds or architectures.
const KEPT: usize = 4;

/// Removes all but the `kept` newest `agent-*.gz` of `dir`: each rebuild of the agent adds
/// one, and a developer's cache must not grow without end.
fn prune(dir: &Path, kept: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut agents: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("agent-") && name.ends_with(".gz")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    agents.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (_, path) in agents.into_iter().skip(kept) {
        let _ = std::fs::remove_file(path);
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

/// Whether `packed` starts like gzip and ends with the trailer of a content of this CRC-32
/// and size (RFC 1952: CRC-32 then the size modulo 2^32, little-endian).
fn trailer_names(packed: &[u8], crc: u32, size: usize) -> bool {
    let Some(trailer) = packed.len().checked_sub(8).and_then(|at| packed.get(at..)) else {
        return false;
    };
    packed.len() >= 18
        && packed.starts_with(b"\x1f\x8b\x08")
        && trailer[..4] == crc.to_le_bytes()
        && trailer[4..] == (size as u32).to_le_bytes()
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

/// Level 6 for a release agent (3.2 MB → 1.4 MB in ~0.2 s, once per build: the most room under
/// the window), level 1 above 8 MiB (a 28 MB debug agent in about a second instead of four).
fn compress(agent: &[u8]) -> Vec<u8> {
    let level = if agent.len() <= 8 << 20 {
        Compression::default()
    } else {
        Compression::fast()
    };
    let mut encoder = GzEncoder::new(Vec::with_capacity(agent.len() / 2), level);
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(agent);
    encoder.finish().unwrap_or_default()
}

/// Writes `dir/name` atomically and privately (the session's own writer).
fn store(dir: &Path, name: &str, packed: &[u8]) -> std::io::Result<()> {
    crate::session::write_atomically(&dir.join(name), packed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

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
        let mut content = Vec::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut content)
            .unwrap();
        assert_eq!(content, agent);
        assert!(trailer_names(&packed, crc32(&agent), agent.len()));
    }

    #[test]
    fn a_cached_file_is_used_only_when_its_trailer_names_the_agent() {
        let agent = sample();
        let packed = compress(&agent);
        let (crc, size) = (crc32(&agent), agent.len());
        assert!(trailer_names(&packed, crc, size));
        // Another agent (one bit changed), another size, a truncated file, garbage: no.
        let mut other = agent.clone();
        other[7] ^= 1;
        assert!(!trailer_names(&packed, crc32(&other), size));
        assert!(!trailer_names(&packed, crc, size + 1));
        assert!(!trailer_names(&packed[..packed.len() - 1], crc, size));
        assert!(!trailer_names(
            b"not gzip at all, but long enough",
            crc,
            size
        ));
        assert!(!trailer_names(b"", crc, size));
        // Kept atomically where the next run finds it.
        let dir = tempfile::tempdir().unwrap();
        store(dir.path(), "agent.gz", &packed).unwrap();
        assert_eq!(std::fs::read(dir.path().join("agent.gz")).unwrap(), packed);
    }

    #[test]
    fn the_cache_keeps_the_newest_agents_only() {
        let dir = tempfile::tempdir().unwrap();
        let now = std::time::SystemTime::now();
        for i in 0..6u64 {
            let path = dir.path().join(format!("agent-{i}-0.gz"));
            std::fs::write(&path, b"x").unwrap();
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(now - std::time::Duration::from_secs(100 - i))
                .unwrap();
        }
        std::fs::write(dir.path().join("other.txt"), b"kept").unwrap();
        prune(dir.path(), 4);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "agent-2-0.gz",
                "agent-3-0.gz",
                "agent-4-0.gz",
                "agent-5-0.gz",
                "other.txt"
            ]
        );
    }
}
