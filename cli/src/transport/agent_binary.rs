//! Which agent binary to upload: `CONSTAT_AGENT_BIN` when set, else the static musl build of
//! this workspace, else `constat-agent` next to the `constat` executable. The binary's
//! architecture is read from its ELF header and compared with the host's `uname -m`.
//!
//! [`load_agent`] reads the bytes once per process and shares them ([`Arc`]) across every host
//! of a session; the file is read again only when its path, size or mtime changed.

use crate::i18n::tf;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

/// A local agent executable.
#[derive(Debug, Clone)]
pub struct AgentBinary {
    /// Where it is.
    pub path: PathBuf,
    /// `uname -m` name of its architecture (`x86_64`, `aarch64`), when recognised.
    pub arch: Option<String>,
}

/// Finds the agent binary, or says where it looked.
pub fn find_agent_binary() -> Result<AgentBinary, String> {
    let mut tried = Vec::new();
    let mut candidates = Vec::new();
    if let Some(env) = std::env::var_os("CONSTAT_AGENT_BIN") {
        candidates.push(PathBuf::from(env));
    }
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.parent()
    {
        // target/<profile>/constat → target/x86_64-unknown-linux-musl/release-agent/
        if let Some(target) = dir.parent() {
            candidates.push(target.join("x86_64-unknown-linux-musl/release-agent/constat-agent"));
        }
        candidates.push(dir.join("constat-agent"));
    }
    for path in candidates {
        if path.is_file() {
            let arch = elf_arch(&path);
            return Ok(AgentBinary { path, arch });
        }
        tried.push(path.display().to_string());
    }
    Err(tf("agent.not_found", &[("tried", &tried.join(", "))]))
}

/// The agent's bytes, read once and shared by every host of a session.
#[derive(Debug)]
pub struct LoadedAgent {
    /// Where and which architecture.
    pub binary: AgentBinary,
    /// The executable.
    pub bytes: Arc<[u8]>,
    /// Its gzip form, made on first use ([`LoadedAgent::gzipped`]).
    gzip: OnceLock<Arc<[u8]>>,
}

impl LoadedAgent {
    /// The executable as gzip, what an upload sends ([`super::agent_gzip`]): made once per
    /// process (from the examiner's cache when it holds it) and shared by every host.
    pub fn gzipped(&self) -> Arc<[u8]> {
        self.gzip
            .get_or_init(|| super::agent_gzip::gzipped(&self.bytes).into())
            .clone()
    }
}

/// The agent found by [`find_agent_binary`], read once per process (again only when the file
/// changed): 16 hosts share one copy of the bytes instead of reading 16.
pub fn load_agent() -> Result<Arc<LoadedAgent>, String> {
    load_at(find_agent_binary()?)
}

/// Reads `binary` unless the same file (path, size, mtime) was read already.
fn load_at(binary: AgentBinary) -> Result<Arc<LoadedAgent>, String> {
    type Key = (PathBuf, u64, Option<SystemTime>);
    static CACHE: Mutex<Option<(Key, Arc<LoadedAgent>)>> = Mutex::new(None);
    let meta =
        std::fs::metadata(&binary.path).map_err(|e| format!("{}: {e}", binary.path.display()))?;
    let key = (binary.path.clone(), meta.len(), meta.modified().ok());
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((cached, agent)) = cache.as_ref()
        && *cached == key
    {
        return Ok(agent.clone());
    }
    let bytes =
        std::fs::read(&binary.path).map_err(|e| format!("{}: {e}", binary.path.display()))?;
    let agent = Arc::new(LoadedAgent {
        binary,
        bytes: bytes.into(),
        gzip: OnceLock::new(),
    });
    *cache = Some((key, agent.clone()));
    Ok(agent)
}

/// Architecture of an ELF executable, as `uname -m` names it (from its first 20 bytes).
fn elf_arch(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut bytes = [0u8; 20];
    std::fs::File::open(path)
        .ok()?
        .read_exact(&mut bytes)
        .ok()?;
    if bytes.get(..4)? != b"\x7fELF" {
        return None;
    }
    let machine = u16::from_le_bytes([*bytes.get(18)?, *bytes.get(19)?]);
    match machine {
        0x3e => Some("x86_64".to_owned()),
        0xb7 => Some("aarch64".to_owned()),
        0x03 => Some("i686".to_owned()),
        0x28 => Some("armv7l".to_owned()),
        _ => None,
    }
}

impl AgentBinary {
    /// Whether it runs on a host whose `uname -m` is `remote`.
    pub fn matches(&self, remote: &str) -> bool {
        match &self.arch {
            Some(arch) => arch == remote || (arch == "i686" && remote.starts_with("i")),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_executable_is_recognised() {
        let exe = std::env::current_exe().unwrap();
        assert_eq!(elf_arch(&exe).as_deref(), Some(std::env::consts::ARCH));
    }

    #[test]
    fn the_bytes_are_read_once_and_shared() {
        // The test executable stands for the agent.
        let exe = std::env::current_exe().unwrap();
        let binary = AgentBinary {
            arch: elf_arch(&exe),
            path: exe.clone(),
        };
        let a = load_at(binary.clone()).expect("found");
        let b = load_at(binary).expect("found");
        assert!(Arc::ptr_eq(&a.bytes, &b.bytes), "one copy for every host");
        assert_eq!(a.bytes.len() as u64, std::fs::metadata(&exe).unwrap().len());
    }
}
