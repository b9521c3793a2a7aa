//! Where included packs come from: the core does no IO, so the caller says how an
//! `include`/`extends` name (a shipped pack's id or a relative path) becomes text.

/// A pack text found for an `include` or `extends`.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Its file name in messages (`checks/packs/tssr-2023-msp-ccp1.yaml`); also what cycles
    /// are detected on, so the same file must always get the same name.
    pub name: String,
    /// The YAML text.
    pub text: String,
}

/// Why an `include` or `extends` name found no text.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SourceError {
    /// No shipped pack has this id and no file has this path.
    #[error("no shipped pack or file named {spec}")]
    NotFound {
        /// The name as written.
        spec: String,
        /// The shipped pack ids (for "did you mean").
        known: Vec<String>,
    },
    /// A file exists but cannot be read (too big, not a regular file, not UTF-8…).
    #[error("{0}")]
    Unreadable(String),
}

/// How the loader finds included packs.
pub trait PackSources {
    /// The text named `spec` (a shipped pack id, or a path relative to the file `from`).
    fn find(&self, from: &str, spec: &str) -> Result<SourceText, SourceError>;
}

/// No include can be resolved: for a lone pack text (tests, `propose` drafts).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSources;

impl PackSources for NoSources {
    fn find(&self, _from: &str, spec: &str) -> Result<SourceText, SourceError> {
        Err(SourceError::NotFound {
            spec: spec.to_owned(),
            known: Vec::new(),
        })
    }
}

/// Whether an `include` name is a path (relative to the including file) rather than a
/// shipped pack's id: it has a `/` or ends in `.yaml`/`.yml`.
pub fn is_path(spec: &str) -> bool {
    spec.contains('/') || spec.ends_with(".yaml") || spec.ends_with(".yml")
}

/// `spec` relative to the directory of `from`, with `.` and `..` resolved textually
/// (`checks/packs/a.yaml` + `../x/b.yaml` → `checks/x/b.yaml`); `None` when it climbs
/// above the root of `from`'s path or `spec` is absolute.
pub fn relative_to(from: &str, spec: &str) -> Option<String> {
    if spec.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in spec.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_including_file() {
        assert_eq!(
            relative_to("checks/packs/a.yaml", "b.yaml").as_deref(),
            Some("checks/packs/b.yaml")
        );
        assert_eq!(
            relative_to("checks/packs/a.yaml", "./groupes/../c.yaml").as_deref(),
            Some("checks/packs/c.yaml")
        );
        assert_eq!(relative_to("a.yaml", "../b.yaml"), None);
        assert_eq!(relative_to("a.yaml", "/etc/passwd"), None);
        assert!(is_path("./x.yaml") && is_path("x.yml") && !is_path("tssr-2023-msp-ccp1"));
    }
}
