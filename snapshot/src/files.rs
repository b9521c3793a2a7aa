//! Files on request: the checker asks for paths, the collector reports facts about them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The list of paths a pack needs, sent to the collector (`constat-agent --request`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileRequest {
    /// Absolute paths to report on.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Bytes of text kept from the start of each regular file (default 4096, at most 65536).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_bytes: Option<u32>,
    /// Snapshot sections the checker reads (JSON keys of the snapshot's `sections`); the
    /// collector skips the others and records them `not_collected` ("not requested").
    /// Absent = every section (older requests, `constat collect`, a session's start phase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<String>>,
}

/// Default number of bytes of text kept from a requested file.
pub const DEFAULT_HEAD_BYTES: u32 = 4096;
/// Upper bound of `head_bytes`.
pub const MAX_HEAD_BYTES: u32 = 65_536;

/// Facts about one requested path. Symbolic links are reported, not followed, except for
/// `target_kind`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileInfo {
    /// The path as requested.
    pub path: String,
    /// Whether something exists at the path.
    pub exists: bool,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<FileKind>,
    /// Permission bits in octal (`0750`, `4755`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Owner name (or uid when unresolvable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Group name (or gid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// POSIX ACL entries beyond the mode (`user:alice:rwx`, `default:group:web:r-x`), or
    /// NTFS entries `identity:allow|deny:Right,Right[:inherited]`
    /// (`TSSR\GG_Compta:allow:Modify,Synchronize`, `BUILTIN\Administrateurs:allow:FullControl:inherited`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acl: Vec<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Modification time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtime: Option<String>,
    /// SHA-256 of a regular file's content, lower-case hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Start of a regular file's content when it is text (UTF-8, invalid bytes replaced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// How the head was decoded when the collector had to choose (Windows probe: `utf-8`,
    /// `utf-8-bom`, `utf-16le`, `utf-16be`, `windows-1252`); absent on Linux (UTF-8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_encoding: Option<String>,
    /// The head stops before the end of the file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub head_truncated: bool,
    /// Target of a symbolic link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_target: Option<String>,
    /// Entries of a directory (names only, sorted, at most 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<Vec<String>>,
    /// Windows file attributes (`ReadOnly`, `Hidden`, `Archive`...); empty on Linux.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    /// Why some facts are missing (e.g. permission denied reading the content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// File types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Regular file.
    File,
    /// Directory.
    Directory,
    /// Symbolic link.
    Symlink,
    /// Anything else (socket, device, fifo).
    Other,
}
