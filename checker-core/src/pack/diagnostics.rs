//! Diagnostics: every problem found in a pack, with file, line, column and a fix.

use serde::Serialize;
use std::fmt;

/// One problem in a pack file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// File name as given to [`crate::pack::load`].
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub col: u32,
    /// What is wrong (French, for trainers).
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: erreur : {}",
            self.file, self.line, self.col, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  aide : {help}")?;
        }
        Ok(())
    }
}

/// Collects diagnostics for one file.
#[derive(Debug)]
pub(crate) struct Diagnostics {
    file: String,
    pub(crate) list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn new(file: &str) -> Self {
        Diagnostics {
            file: file.to_owned(),
            list: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, line: u32, col: u32, message: String, help: Option<String>) {
        self.list.push(Diagnostic {
            file: self.file.clone(),
            line,
            col,
            message,
            help,
        });
    }

    /// Sorted by position, duplicates removed.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        self.list.sort();
        self.list.dedup();
        self.list
    }
}

/// Renders every diagnostic, one block each.
pub fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out.push_str(&format!("{} erreur(s)\n", diagnostics.len()));
    out
}
