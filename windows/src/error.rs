//! Errors of the Windows / AD collection library.

/// Why a GPO file could not be parsed. `file` is the path relative to the GPO folder (or a
/// label for in-memory input) and `offset` a byte offset or line number, as said.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// A binary file is malformed at a byte offset.
    #[error("{file}: byte {offset}: {message}")]
    Binary {
        /// File concerned.
        file: String,
        /// Byte offset of the problem.
        offset: usize,
        /// What is wrong and, when possible, how to fix it.
        message: String,
    },
    /// A text file is malformed at a line.
    #[error("{file}:{line}: {message}")]
    Text {
        /// File concerned.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// An XML document could not be parsed.
    #[error("{file}: invalid XML: {message}")]
    Xml {
        /// File concerned.
        file: String,
        /// Parser message (with line:column).
        message: String,
    },
}
