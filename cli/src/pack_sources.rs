//! How the CLI finds a pack's `include`/`extends`: a shipped pack's id, or a path relative
//! to the including file — among the shipped files when the including pack is shipped, on
//! disk (bounded, regular files only, as every local input) otherwise.

use crate::local_input::{InputKind, read_local};
use constat_checker_core::pack::sources::{is_path, relative_to};
use constat_checker_core::pack::{PackSources, SourceError, SourceText};
use constat_checks::EmbeddedSources;
use std::path::Path;

/// Shipped packs, then files next to the including file.
#[derive(Debug, Clone, Copy, Default)]
pub struct CliSources;

impl PackSources for CliSources {
    fn find(&self, from: &str, spec: &str) -> Result<SourceText, SourceError> {
        let shipped_from = constat_checks::packs().iter().any(|p| p.file_name == from);
        if !is_path(spec) || shipped_from {
            return EmbeddedSources.find(from, spec);
        }
        if Path::new(spec).is_absolute() {
            return Err(SourceError::Unreadable(
                crate::i18n::t("pack.include_absolute").to_owned(),
            ));
        }
        // Resolved as text first (`a/./b/../c.yaml` → `a/c.yaml`), so one file always has
        // one name and cycles are found at once; symlinks are bounded by the include depth.
        let path = match relative_to(from, spec) {
            Some(name) => std::path::PathBuf::from(name),
            None => Path::new(from)
                .parent()
                .unwrap_or_else(|| Path::new("."))
                .join(spec),
        };
        if !path.exists() {
            return Err(SourceError::NotFound {
                spec: spec.to_owned(),
                known: Vec::new(),
            });
        }
        let text = read_local(&path, InputKind::Pack)
            .map_err(|e| SourceError::Unreadable(format!("{e:#}")))?;
        Ok(SourceText {
            name: path.display().to_string(),
            text,
        })
    }
}
