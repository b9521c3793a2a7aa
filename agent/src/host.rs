//! The host abstraction every collector reads through: a root directory plus a command runner.
//!
//! [`LocalHost::live`] reads the running system (`/`) and may run read-only commands;
//! [`LocalHost::offline`] reads a mounted disk (`--root DIR`) and never runs a program from it.

use crate::command::{CommandError, CommandOutput, run_command};
use std::fs::{self, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// First read of a file whose size is given as 0 (/proc, /sys: generated on read).
const GENERATED_READ: usize = 4096;

/// [`fs::read`], except for files that report a size of 0: `fs::read` then probes with 32
/// bytes and doubles (seven `read` calls for a 2 KiB /proc/net/tcp, each walking the kernel's
/// socket hash again); here the first read asks for a page. The same bytes either way.
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = fs::File::open(path)?;
    let size = file.metadata().map_or(0, |m| m.len());
    let mut buf = Vec::new();
    match usize::try_from(size) {
        Ok(0) => buf.reserve(GENERATED_READ),
        Ok(n) => buf
            .try_reserve_exact(n)
            .map_err(|e| io::Error::new(io::ErrorKind::OutOfMemory, e))?,
        Err(_) => {}
    }
    file.read_to_end(&mut buf)?;
    Ok(buf)
}

/// Read-only access to one host.
pub trait Host: Send + Sync {
    /// Whether this is the running system (commands and /proc are meaningful).
    fn is_live(&self) -> bool;
    /// The root directory on this machine (`/` for a live host).
    fn root(&self) -> &Path;
    /// Maps a host path (`/etc/passwd`) to a local path under the root.
    fn path(&self, host_path: &str) -> PathBuf {
        let relative = host_path.trim_start_matches('/');
        self.root().join(relative)
    }
    /// Reads a whole file as bytes.
    fn read(&self, host_path: &str) -> io::Result<Vec<u8>> {
        read_file(&self.path(host_path))
    }
    /// Reads a whole file as text (invalid UTF-8 replaced).
    fn read_to_string(&self, host_path: &str) -> io::Result<String> {
        self.read(host_path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }
    /// Lists a directory's entry names, sorted.
    fn read_dir(&self, host_path: &str) -> io::Result<Vec<String>> {
        let mut names: Vec<String> = fs::read_dir(self.path(host_path))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }
    /// Metadata without following a final symbolic link.
    fn symlink_metadata(&self, host_path: &str) -> io::Result<Metadata> {
        fs::symlink_metadata(self.path(host_path))
    }
    /// Metadata following symbolic links.
    fn metadata(&self, host_path: &str) -> io::Result<Metadata> {
        fs::metadata(self.path(host_path))
    }
    /// Target of a symbolic link, as stored.
    fn read_link(&self, host_path: &str) -> io::Result<PathBuf> {
        fs::read_link(self.path(host_path))
    }
    /// Whether a path exists (without following a final link).
    fn exists(&self, host_path: &str) -> bool {
        self.symlink_metadata(host_path).is_ok()
    }
    /// Runs a read-only program of the live host. An offline host refuses.
    fn run(
        &self,
        program: &str,
        args: &[&str],
        timeout: Duration,
    ) -> Result<CommandOutput, CommandError>;
    /// Whether a program is on the host's PATH (`/usr/sbin`, `/usr/bin`, `/sbin`, `/bin`).
    fn has_program(&self, program: &str) -> bool {
        crate::command::ADMIN_DIRS.iter().any(|dir| {
            self.metadata(&format!("{dir}/{program}"))
                .is_ok_and(|m| m.is_file())
        })
    }
}

/// A host read from this machine's file system.
#[derive(Debug, Clone)]
pub struct LocalHost {
    root: PathBuf,
    live: bool,
}

impl LocalHost {
    /// The running system.
    pub fn live() -> LocalHost {
        LocalHost {
            root: PathBuf::from("/"),
            live: true,
        }
    }

    /// A root directory (a VM disk mounted read-only). No command is ever run.
    pub fn offline(root: impl Into<PathBuf>) -> LocalHost {
        LocalHost {
            root: root.into(),
            live: false,
        }
    }
}

impl Host for LocalHost {
    fn is_live(&self) -> bool {
        self.live
    }

    fn root(&self) -> &Path {
        &self.root
    }

    fn run(
        &self,
        program: &str,
        args: &[&str],
        timeout: Duration,
    ) -> Result<CommandOutput, CommandError> {
        if !self.live {
            return Err(CommandError::Offline {
                program: program.to_owned(),
            });
        }
        run_command(program, args, timeout)
    }
}
