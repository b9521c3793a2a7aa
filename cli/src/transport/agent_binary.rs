//! Which agent binary to upload: `CONSTAT_AGENT_BIN` when set, else the static musl build of
//! this workspace, else `constat-agent` next to the `constat` executable. The binary's
//! architecture is read from its ELF header and compared with the host's `uname -m`.

use crate::i18n::tf;
use std::path::{Path, PathBuf};

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

/// Architecture of an ELF executable, as `uname -m` names it.
fn elf_arch(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
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
}
