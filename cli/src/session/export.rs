//! `session export`: a copy of the session directory (snapshots, manifest, signature,
//! inventory, known_hosts), checked against the manifest after copying.

use super::layout::SessionDir;
use super::signature::verify_session;
use crate::errors::CliError;
use crate::i18n::{t, tf};
use std::path::Path;

/// Copies the session in `dir` to `out` (which must not exist) and verifies the copy.
pub fn export_session(dir: &SessionDir, out: &Path) -> anyhow::Result<usize> {
    if out.exists() {
        return Err(CliError::input(
            tf("export.exists", &[("dir", &out.display())]),
            t("export.exists_hint"),
        )
        .into());
    }
    if !dir.manifest().exists() {
        return Err(CliError::input(
            tf("export.no_manifest", &[("dir", &dir.root().display())]),
            t("export.no_manifest_hint"),
        )
        .into());
    }
    let copied = copy_tree(dir.root(), out)?;
    let report = verify_session(&SessionDir::new(out), None)?;
    if !report.problems.is_empty() {
        return Err(anyhow::anyhow!(report.problems.join("; ")).context(t("export.verify_failed")));
    }
    Ok(copied)
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<usize> {
    crate::private_fs::create_private_dir_all(to)
        .map_err(|e| crate::errors::cannot_use_dir(to, e))?;
    let mut count = 0;
    for entry in std::fs::read_dir(from).map_err(|e| crate::errors::cannot_use_dir(from, e))? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".tmp") {
            continue;
        }
        let source = entry.path();
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            count += copy_tree(&source, &target)?;
        } else {
            crate::private_fs::copy_private(&source, &target)?;
            count += 1;
        }
    }
    Ok(count)
}
