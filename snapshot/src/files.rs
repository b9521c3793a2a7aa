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
    /// Paths under each account's home directory, written `{home}` or `{home}/…`
    /// (`{home}/.ssh/authorized_keys`): the collector reports them for every account it
    /// knows (the Linux agent: passwd accounts with uid 0 or from 1000 on, at most
    /// [`MAX_HOME_ACCOUNTS`]), plus the directories above each home. A pack whose checks
    /// read `${member.home}` in a `select` asks for them: the members are known only at
    /// grading.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub home_paths: Vec<String>,
    /// Parts of requested sections the checker does not read, written `section.part`
    /// (`OPTIONAL_PARTS`): the collector does not compute them and marks them not
    /// collected (`packages.updates` gets `status: not_collected`). A part it does not know
    /// is collected as usual (leaving one out only ever saves work). Absent = every part
    /// (older requests, `constat collect`, a session's start phase). Added in schema
    /// version 1 as an optional field: requests without it mean what they meant before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub without: Vec<String>,
}

/// Parts of a section that cost a collector much more than the rest of it, which a request
/// may leave out (`FileRequest::without`): `packages.updates` (pending updates, computed
/// from every apt list on the host).
pub const OPTIONAL_PARTS: &[&str] = &["packages.updates"];

/// The placeholder that [`FileRequest::home_paths`] entries start with.
pub const HOME_PLACEHOLDER: &str = "{home}";
/// Accounts whose home paths one request expands at most.
pub const MAX_HOME_ACCOUNTS: usize = 1000;

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
    /// POSIX ACL entries beyond the mode, in getfacl's order (`user:alice:rwx`, `group::r-x`,
    /// `group:web:rwx`, `mask::rwx`, `default:group:web:r-x`; `group::` — the owning group's
    /// own entry — only beside a `mask::`, since the mode's group bits are then the mask), or
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
    /// SHA-256 of a regular file's content, lower-case hex. Absent when the content is
    /// withheld (`head_withheld`): a hash of a low-entropy secret can be brute-forced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Start of a regular file's content when it is text (UTF-8, invalid bytes replaced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// How the head was decoded when the collector had to choose (Windows probe: `utf-8`,
    /// `utf-8-bom`, `utf-16le`, `utf-16be`, `windows-1252`); absent on Linux (UTF-8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_encoding: Option<String>,
    /// Why the head (and the SHA-256) of a regular file was not kept although it could be
    /// read: the resolved file holds secrets (`crate::secrets`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_withheld: Option<HeadWithheld>,
    /// How many secret-looking values (password hashes, `password=` values, keys) the
    /// collector replaced by `***` in `head`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub head_scrubbed: u32,
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

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Why a file's content was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeadWithheld {
    /// The resolved file is a known secret-bearing file (shadow, gshadow, a private key, a
    /// WireGuard configuration, a Samba or Kerberos credential store…), recognised by its
    /// resolved path or (Linux) by its device and inode.
    SecretFile,
    /// The content holds a private key (`-----BEGIN … PRIVATE KEY-----`, an OpenVPN static
    /// key, a WireGuard `PrivateKey =` line), whatever the file's name.
    SecretContent,
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
