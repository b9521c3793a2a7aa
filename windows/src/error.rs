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

/// Why a bind failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BindFailure {
    /// Result 49 `invalidCredentials`: wrong account or password, or the account is disabled
    /// or locked.
    InvalidCredentials,
    /// Result 8 `strongerAuthRequired`: the server wants TLS for simple binds.
    TlsRequired,
    /// Another LDAP result code.
    Result(u32),
    /// No LDAP answer at all: the link failed (a server that is not LDAP closes it).
    Link(crate::link::LinkFailure),
}

/// Why a directory collection failed as a whole (connection, TLS, bind). Failures of one
/// part (SYSVOL, DNS zones) are recorded in the snapshot instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CollectError {
    /// The target is inconsistent (URL scheme vs TLS policy, bad CA file).
    #[error("invalid LDAP target {url}: {message}")]
    Target {
        /// URL given.
        url: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// TCP/TLS connection failed.
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// URL given.
        url: String,
        /// Cause, with a hint.
        message: String,
        /// The cause, typed (for the caller's own wording).
        failure: crate::link::LinkFailure,
    },
    /// The bind was refused.
    #[error("LDAP bind as {bind_dn} on {url} refused: {message}")]
    Bind {
        /// URL given.
        url: String,
        /// Account used.
        bind_dn: String,
        /// Server diagnostic and a hint.
        message: String,
        /// Why, typed (for the caller's own wording).
        failure: BindFailure,
    },
    /// A search failed.
    #[error("LDAP search {what} (base {base}) failed: {message}")]
    Search {
        /// Which part of the directory.
        what: String,
        /// Search base.
        base: String,
        /// Server diagnostic.
        message: String,
    },
    /// The directory sent more than constat accepts (entries, value size, total bytes).
    #[error(
        "LDAP search {what} (base {base}): the directory sent {message}; collection abandoned (a lab directory is far smaller: check the base DN)"
    )]
    TooLarge {
        /// Which part of the directory.
        what: String,
        /// Search base.
        base: String,
        /// Which limit, with its value.
        message: String,
    },
    /// The whole collection exceeded its time limit.
    #[error("LDAP collection from {url} timed out after {seconds} s")]
    Timeout {
        /// URL given.
        url: String,
        /// Limit.
        seconds: u64,
    },
}
