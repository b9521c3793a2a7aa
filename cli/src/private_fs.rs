//! Files and directories only their owner can read: everything constat writes (session
//! snapshots, manifest, reports, exports, known_hosts, signatures, `demo`/`check`/`grade`/
//! `collect --out` outputs) is created 0600 in directories created 0700, whatever the umask.
//!
//! Snapshots and reports are personal data about a candidate (RGPD) and may quote host text:
//! other accounts of the examiner's machine have no business reading them. Directories that
//! already exist (the examiner's `--out .`, `/tmp`) keep their mode: only those constat
//! creates are made private.

use std::fs::{DirBuilder, File, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Mode of every file constat writes.
pub const PRIVATE_FILE_MODE: u32 = 0o600;
/// Mode of every directory constat creates.
pub const PRIVATE_DIR_MODE: u32 = 0o700;

/// Creates `path` and its missing parents, each new one 0700 (the umask cannot widen it).
pub fn create_private_dir_all(path: &Path) -> io::Result<()> {
    if path.as_os_str().is_empty() || path.is_dir() {
        return Ok(());
    }
    DirBuilder::new()
        .recursive(true)
        .mode(PRIVATE_DIR_MODE)
        .create(path)
}

/// Opens `path` for writing, created 0600 or truncated; an existing file is narrowed to 0600
/// too (a file left 0644 by an older constat).
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(PRIVATE_FILE_MODE)
        .open(path)?;
    file.set_permissions(Permissions::from_mode(PRIVATE_FILE_MODE))?;
    Ok(file)
}

/// Opens `path` for appending, created 0600; an existing file is narrowed to 0600.
pub fn append_private_file(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(PRIVATE_FILE_MODE)
        .open(path)?;
    file.set_permissions(Permissions::from_mode(PRIVATE_FILE_MODE))?;
    Ok(file)
}

/// Copies a file's bytes into a private file (permissions are not copied).
pub fn copy_private(from: &Path, to: &Path) -> io::Result<u64> {
    let mut source = File::open(from)?;
    let mut target = create_private_file(to)?;
    io::copy(&mut source, &mut target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Modes hold under the most permissive umask. The umask is process-wide, so this test
    /// only checks the bits the helpers set explicitly, which no umask can widen.
    #[test]
    fn private_files_and_directories_whatever_existed() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b/c");
        create_private_dir_all(&nested).unwrap();
        for d in ["a", "a/b", "a/b/c"] {
            let mode = std::fs::metadata(dir.path().join(d))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700, "{d}");
        }
        let old = dir.path().join("old.json");
        std::fs::write(&old, "x").unwrap();
        std::fs::set_permissions(&old, Permissions::from_mode(0o644)).unwrap();
        create_private_file(&old).unwrap().write_all(b"y").unwrap();
        let copy = nested.join("copy.json");
        copy_private(&old, &copy).unwrap();
        append_private_file(&nested.join("known_hosts")).unwrap();
        for f in [&old, &copy, &nested.join("known_hosts")] {
            let mode = std::fs::metadata(f).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", f.display());
        }
        assert_eq!(std::fs::read(&copy).unwrap(), b"y");
    }
}
