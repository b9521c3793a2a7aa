//! Reading a local input file (pack, inventory, CSV, snapshot) with a bounded size: only a
//! regular file is read (a FIFO would block, `/dev/zero` would grow without end), at most a
//! cap per kind, and every refusal names the file, the limit and what to do.
//!
//! The file is opened with `O_NONBLOCK` (opening a FIFO never waits for a writer), then its
//! type is checked on the open descriptor (`fstat`), so a path swapped between a check and the
//! open cannot slip a device in. Symlinks are followed: a pack or inventory kept elsewhere and
//! linked is ordinary; what is read is still a regular file.

use crate::errors::CliError;
use crate::i18n::{t, tf};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// `O_NONBLOCK` on Linux (every architecture constat ships for).
const O_NONBLOCK: i32 = 0o4000;

/// What is read, and its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A rule pack (YAML).
    Pack,
    /// A session inventory (YAML).
    Inventory,
    /// A candidates CSV.
    Csv,
    /// A file `validate` has not classified yet (pack or inventory).
    PackOrInventory,
    /// A snapshot (JSON), given with `--snapshot` or stored in a session.
    Snapshot,
    /// A file a system exported (`constat import`: a firewall's config.xml, Nagios status.dat).
    Export,
}

impl InputKind {
    /// Size limit in bytes.
    pub fn limit(self) -> u64 {
        match self {
            InputKind::Pack | InputKind::PackOrInventory => {
                constat_checker_core::pack::limits::MAX_PACK_BYTES as u64
            }
            InputKind::Inventory | InputKind::Csv => 4 << 20,
            InputKind::Snapshot => 64 << 20,
            InputKind::Export => 32 << 20,
        }
    }

    fn label(self) -> &'static str {
        match self {
            InputKind::Pack => t("input.kind_pack"),
            InputKind::Inventory => t("input.kind_inventory"),
            InputKind::Csv => t("input.kind_csv"),
            InputKind::PackOrInventory => t("input.kind_pack_or_inventory"),
            InputKind::Snapshot => t("input.kind_snapshot"),
            InputKind::Export => t("input.kind_export"),
        }
    }
}

fn refuse(message: String, hint: String) -> anyhow::Error {
    CliError::input(message, hint).into()
}

/// An I/O error (exit code 3) with the kind and path, the OS cause and a hint.
fn unreadable(e: std::io::Error, kind: InputKind, shown: &str) -> anyhow::Error {
    anyhow::Error::new(e).context(CliError {
        status: crate::exit_status::ExitStatus::IoError,
        message: tf(
            "input.unreadable",
            &[("what", &kind.label()), ("file", &shown)],
        ),
        hint: Some(t("input.unreadable_hint").to_owned()),
    })
}

/// Reads `path` as UTF-8 text if it is a regular file of at most `kind.limit()` bytes.
pub fn read_local(path: &Path, kind: InputKind) -> anyhow::Result<String> {
    let shown = path.display().to_string();
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
        .map_err(|e| unreadable(e, kind, &shown))?;
    let meta = file.metadata().map_err(|e| unreadable(e, kind, &shown))?;
    if !meta.file_type().is_file() {
        let ty = meta.file_type();
        use std::os::unix::fs::FileTypeExt;
        let nature = if ty.is_dir() {
            t("input.nature_dir")
        } else if ty.is_fifo() {
            t("input.nature_fifo")
        } else if ty.is_char_device() || ty.is_block_device() {
            t("input.nature_device")
        } else {
            t("input.nature_other")
        };
        return Err(refuse(
            tf(
                "input.not_regular",
                &[
                    ("what", &kind.label()),
                    ("file", &shown),
                    ("nature", &nature),
                ],
            ),
            t("input.not_regular_hint").to_owned(),
        ));
    }
    let limit = kind.limit();
    let too_large = |size: u64| {
        refuse(
            tf(
                "input.too_large",
                &[
                    ("what", &kind.label()),
                    ("file", &shown),
                    ("size", &size),
                    ("limit", &limit),
                ],
            ),
            t("input.too_large_hint").to_owned(),
        )
    };
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    // The file may still grow while it is read: never read more than the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(e, kind, &shown))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        refuse(
            tf(
                "input.not_utf8",
                &[
                    ("what", &kind.label()),
                    ("file", &shown),
                    ("offset", &e.utf8_error().valid_up_to()),
                ],
            ),
            t("input.not_utf8_hint").to_owned(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(path: &Path, kind: InputKind) -> String {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let e = read_local(path, kind).unwrap_err();
        let hint = e
            .chain()
            .find_map(|c| c.downcast_ref::<CliError>())
            .and_then(|c| c.hint.clone())
            .unwrap_or_default();
        format!("{e:#}\nque faire : {hint}")
    }

    #[test]
    fn devices_directories_and_big_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.yaml");
        std::fs::write(&big, vec![b'#'; (InputKind::Pack.limit() + 1) as usize]).unwrap();
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, b"id,name\nc01,\xff\n").unwrap();
        let out = [
            error(Path::new("/dev/zero"), InputKind::Snapshot),
            error(dir.path(), InputKind::Inventory),
            error(&big, InputKind::Pack),
            error(&bad, InputKind::Csv),
            error(&dir.path().join("absent.json"), InputKind::Snapshot),
        ]
        .join("\n")
        .replace(&dir.path().display().to_string(), "[DIR]");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn a_regular_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("p.yaml");
        std::fs::write(&f, "pack: {}\n").unwrap();
        assert_eq!(read_local(&f, InputKind::Pack).unwrap(), "pack: {}\n");
    }
}
