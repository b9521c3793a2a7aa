//! Files on request: kind, mode, owner, POSIX ACL (`getfacl`, live hosts), size, mtime,
//! SHA-256, the head of text files, link targets and directory entries.
//!
//! A secret-bearing file never gives its text nor its hash (`constat_snapshot::secrets`): the
//! decision is made on the *resolved* file (every symlink of the path followed, parents too)
//! and on the opened file's device and inode compared with the host's known secret files, so a
//! bind mount or a hard link of /etc/shadow is withheld like /etc/shadow itself. Other heads
//! are scrubbed of secret-looking values.

use crate::context::{Context, Update};
use crate::host::Host;
use crate::id_names::IdNames;
use constat_snapshot::files::{
    DEFAULT_HEAD_BYTES, FileRequest, HOME_PLACEHOLDER, MAX_HEAD_BYTES, MAX_HOME_ACCOUNTS,
};
use constat_snapshot::secrets::{self, MARKER_OVERLAP};
use constat_snapshot::time::rfc3339_utc;
use constat_snapshot::{FileInfo, FileKind, HeadWithheld, Section};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::time::Duration;

/// Files larger than this are not hashed.
const HASH_MAX_BYTES: u64 = 64 * 1024 * 1024;
const MAX_ENTRIES: usize = 200;
/// Bytes read past the kept head so that a value cut by the head's end is still recognised
/// (and scrubbed) whole.
const SCRUB_CONTEXT: usize = 1024;
/// Symlinks followed when resolving one path (Linux's own limit).
const MAX_LINK_HOPS: usize = 40;

/// Host files whose text is secret wherever they are reached from (hard link, bind mount):
/// their device and inode are compared with every opened file's.
const KNOWN_SECRET_FILES: [&str; 14] = [
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/shadow-",
    "/etc/gshadow-",
    "/etc/security/opasswd",
    "/etc/samba/smbpasswd",
    "/etc/krb5.keytab",
    "/var/lib/samba/private/secrets.tdb",
    "/var/lib/samba/private/passdb.tdb",
    "/var/lib/samba/private/secrets.ldb",
    "/var/lib/samba/private/sam.ldb",
    "/root/.ssh/id_rsa",
    "/root/.ssh/id_ed25519",
    "/root/.ssh/id_ecdsa",
];

/// Device and inode of the host's known secret files (and SSH host keys).
struct SecretIds(HashSet<(u64, u64)>);

impl SecretIds {
    fn load(host: &dyn Host) -> SecretIds {
        let mut paths: Vec<String> = KNOWN_SECRET_FILES.iter().map(|p| (*p).to_owned()).collect();
        for dir in ["/etc/ssh", "/etc/wireguard", "/etc/ssl/private"] {
            if let Ok(names) = host.read_dir(dir) {
                paths.extend(
                    names
                        .into_iter()
                        .map(|n| format!("{dir}/{n}"))
                        .filter(|p| secrets::secret_path(p).is_some()),
                );
            }
        }
        SecretIds(
            paths
                .iter()
                .filter_map(|p| host.metadata(p).ok())
                .filter(|m| m.is_file())
                .map(|m| (m.dev(), m.ino()))
                .collect(),
        )
    }
}

/// Reports on the requested paths, and on the `home_paths` of every account's home.
pub fn collect(ctx: &Context) -> Update {
    let host = &*ctx.host;
    let section = if ctx.request.paths.is_empty() && ctx.request.home_paths.is_empty() {
        Section::not_collected("no file requested")
    } else {
        let head = ctx
            .request
            .head_bytes
            .unwrap_or(DEFAULT_HEAD_BYTES)
            .min(MAX_HEAD_BYTES) as usize;
        let (paths, cut) = requested_paths(host, &ctx.request);
        let mut infos = read_files(host, &paths, head);
        if let Some(note) = cut {
            infos.push(FileInfo {
                path: HOME_PLACEHOLDER.to_owned(),
                error: Some(note),
                ..FileInfo::default()
            });
        }
        Section::collected(infos)
    };
    Box::new(move |s| s.files = section)
}

/// The request's paths, then its `home_paths` for every passwd account with a home (uid 0,
/// or from 1000 on but 65534 `nobody`), each home preceded by the directories above it (so
/// that access through them can be judged); deduplicated, in that order. Past
/// [`MAX_HOME_ACCOUNTS`] homes, the note saying how many were left out.
pub fn requested_paths(host: &dyn Host, request: &FileRequest) -> (Vec<String>, Option<String>) {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    let mut push = |p: String, out: &mut Vec<String>| {
        if seen.insert(p.clone()) {
            out.push(p);
        }
    };
    for p in &request.paths {
        push(p.clone(), &mut out);
    }
    if request.home_paths.is_empty() {
        return (out, None);
    }
    let passwd = host.read_to_string("/etc/passwd").unwrap_or_default();
    let mut homes: Vec<&str> = Vec::new();
    for line in passwd.lines() {
        let fields: Vec<&str> = line.split(':').collect();
        let (Some(uid), Some(home)) = (fields.get(2), fields.get(5)) else {
            continue;
        };
        let Ok(uid) = uid.parse::<u32>() else {
            continue;
        };
        let human = uid == 0 || (uid >= 1000 && uid != 65534);
        if human && home.starts_with('/') && *home != "/" && !homes.contains(home) {
            homes.push(home);
        }
    }
    let cut = (homes.len() > MAX_HOME_ACCOUNTS).then(|| {
        format!(
            "{} home directories: only the first {MAX_HOME_ACCOUNTS} (passwd order) reported",
            homes.len()
        )
    });
    for home in homes.into_iter().take(MAX_HOME_ACCOUNTS) {
        // The home as passwd writes it: the checker substitutes the same text.
        let trimmed = home.trim_end_matches('/');
        push("/".to_owned(), &mut out);
        let mut at = 0;
        while let Some(i) = trimmed[at + 1..].find('/') {
            at += i + 1;
            push(trimmed[..at].to_owned(), &mut out);
        }
        for template in &request.home_paths {
            match template.strip_prefix(HOME_PLACEHOLDER) {
                Some(rest) => push(format!("{home}{rest}"), &mut out),
                // Reported as not absolute: the request is wrong, and says so.
                None => push(template.clone(), &mut out),
            }
        }
    }
    (out, cut)
}

/// Facts about each path, in request order.
pub fn read_files(host: &dyn Host, paths: &[String], head_bytes: usize) -> Vec<FileInfo> {
    let names = IdNames::load(host);
    let secret_ids = SecretIds::load(host);
    let mut infos: Vec<FileInfo> = paths
        .iter()
        .map(|p| file_info(host, &names, &secret_ids, p, head_bytes))
        .collect();
    let existing: Vec<String> = infos
        .iter()
        .filter(|i| i.exists && i.kind != Some(FileKind::Symlink))
        .map(|i| i.path.clone())
        .collect();
    if existing.is_empty() {
        return infos;
    }
    let acls = if host.is_live() {
        read_acls(host, &existing)
    } else {
        Err("acl not read on offline root".to_owned())
    };
    for info in infos.iter_mut().filter(|i| existing.contains(&i.path)) {
        match &acls {
            Ok(map) => info.acl = map.get(&info.path).cloned().unwrap_or_default(),
            Err(note) => add_note(info, note),
        }
    }
    infos
}

fn add_note(info: &mut FileInfo, note: &str) {
    info.error = Some(match info.error.take() {
        Some(e) => format!("{e}; {note}"),
        None => note.to_owned(),
    });
}

fn file_info(
    host: &dyn Host,
    names: &IdNames,
    secret_ids: &SecretIds,
    path: &str,
    head_bytes: usize,
) -> FileInfo {
    let mut info = FileInfo {
        path: path.to_owned(),
        ..FileInfo::default()
    };
    if !path.starts_with('/') {
        info.error = Some("not an absolute path: ask for /etc/… style paths".to_owned());
        return info;
    }
    let meta = match host.symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return info,
        Err(e) => {
            info.error = Some(format!("cannot stat: {e}"));
            return info;
        }
    };
    info.exists = true;
    let file_type = meta.file_type();
    info.kind = Some(if file_type.is_symlink() {
        FileKind::Symlink
    } else if file_type.is_dir() {
        FileKind::Directory
    } else if file_type.is_file() {
        FileKind::File
    } else {
        FileKind::Other
    });
    info.mode = Some(format!("{:04o}", meta.mode() & 0o7777));
    info.owner = Some(names.user(meta.uid()));
    info.group = Some(names.group(meta.gid()));
    info.size = Some(meta.len());
    info.mtime = Some(rfc3339_utc(meta.mtime()));
    if file_type.is_symlink() {
        info.link_target = host
            .read_link(path)
            .ok()
            .map(|t| t.to_string_lossy().into_owned());
    } else if file_type.is_dir() {
        match host.read_dir(path) {
            Ok(mut entries) => {
                if entries.len() > MAX_ENTRIES {
                    add_note(
                        &mut info,
                        &format!(
                            "{} entries, only the first {MAX_ENTRIES} listed",
                            entries.len()
                        ),
                    );
                    entries.truncate(MAX_ENTRIES);
                }
                info.entries = Some(entries);
            }
            Err(e) => add_note(&mut info, &format!("cannot list: {e}")),
        }
    } else if file_type.is_file() {
        read_content(host, secret_ids, path, meta.len(), head_bytes, &mut info);
    }
    info
}

/// The path with every symlink followed (parents included), in the host's namespace (an
/// offline root's absolute links stay under the root). A dangling or looping path resolves
/// as far as it can.
pub fn resolve(host: &dyn Host, path: &str) -> String {
    let mut done: Vec<String> = Vec::new();
    let mut todo: VecDeque<String> = path.split('/').map(str::to_owned).collect();
    let mut hops = 0;
    while let Some(part) = todo.pop_front() {
        match part.as_str() {
            "" | "." => continue,
            ".." => {
                done.pop();
                continue;
            }
            _ => {}
        }
        let candidate = format!("/{}", [done.join("/"), part.clone()].join("/")).replace("//", "/");
        let is_link = host
            .symlink_metadata(&candidate)
            .is_ok_and(|m| m.file_type().is_symlink());
        if is_link
            && hops < MAX_LINK_HOPS
            && let Ok(target) = host.read_link(&candidate)
        {
            hops += 1;
            let target = target.to_string_lossy().into_owned();
            if target.starts_with('/') {
                done.clear();
            }
            let mut next: VecDeque<String> = target.split('/').map(str::to_owned).collect();
            next.extend(todo);
            todo = next;
        } else {
            done.push(part);
        }
    }
    format!("/{}", done.join("/"))
}

/// Marks the content withheld and says why in the file's notes.
fn withhold(info: &mut FileInfo, reason: HeadWithheld, why: &str) {
    info.head_withheld = Some(reason);
    info.sha256 = None;
    info.head = None;
    info.head_truncated = false;
    add_note(info, &format!("content withheld: {why}"));
}

fn read_content(
    host: &dyn Host,
    secret_ids: &SecretIds,
    path: &str,
    size: u64,
    head_bytes: usize,
    info: &mut FileInfo,
) {
    let resolved = resolve(host, path);
    if let Some(why) = secrets::secret_path(&resolved) {
        let why = if resolved == path {
            why.to_owned()
        } else {
            format!("{why} (resolves to {resolved})")
        };
        withhold(info, HeadWithheld::SecretFile, &why);
        return;
    }
    let mut file = match std::fs::File::open(host.path(path)) {
        Ok(f) => f,
        Err(e) => {
            add_note(info, &format!("cannot read content: {e}"));
            return;
        }
    };
    // The opened file itself, whatever path, bind mount or hard link led to it.
    if let Ok(meta) = file.metadata()
        && secret_ids.0.contains(&(meta.dev(), meta.ino()))
    {
        withhold(
            info,
            HeadWithheld::SecretFile,
            "same file (device and inode) as a host secret file",
        );
        return;
    }
    let mut hasher = Sha256::new();
    let keep = head_bytes + SCRUB_CONTEXT;
    let mut head = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                add_note(info, &format!("cannot read content: {e}"));
                return;
            }
        };
        tail.extend_from_slice(&buf[..n]);
        if let Some(why) = secrets::secret_content(&tail) {
            withhold(info, HeadWithheld::SecretContent, why);
            return;
        }
        let cut = tail.len().saturating_sub(MARKER_OVERLAP);
        tail.drain(..cut);
        if head.len() < keep {
            let want = (keep - head.len()).min(n);
            head.extend_from_slice(&buf[..want]);
        }
        if size > HASH_MAX_BYTES {
            if head.len() >= keep {
                break;
            }
            continue;
        }
        hasher.update(&buf[..n]);
    }
    if size <= HASH_MAX_BYTES {
        info.sha256 = Some(format!("{:x}", hasher.finalize()));
    } else {
        add_note(
            info,
            "larger than 64 MiB: not hashed, searched for keys in its first bytes only",
        );
    }
    if head.contains(&0) {
        add_note(info, "binary content: head not kept");
        return;
    }
    // Scrub with context past the head, then keep a prefix of the scrubbed text.
    let truncated = head.len() > head_bytes;
    let (scrubbed, count) = secrets::scrub(&String::from_utf8_lossy(&head));
    info.head_scrubbed = u32::try_from(count).unwrap_or(u32::MAX);
    let mut head = scrubbed.into_bytes();
    let truncated = truncated || head.len() > head_bytes;
    head.truncate(head_bytes);
    if truncated {
        // Do not cut a UTF-8 sequence in half.
        while let Err(e) = std::str::from_utf8(&head) {
            if e.error_len().is_some() || e.valid_up_to() == 0 {
                break;
            }
            head.truncate(e.valid_up_to());
        }
    }
    info.head = Some(String::from_utf8_lossy(&head).into_owned());
    info.head_truncated = truncated;
}

/// One `getfacl -pE` run for every path; entries beyond the three base entries, per path.
fn read_acls(host: &dyn Host, paths: &[String]) -> Result<HashMap<String, Vec<String>>, String> {
    if !host.has_program("getfacl") {
        return Err("acl not read: getfacl not installed (package acl)".to_owned());
    }
    let mut args = vec!["-pE", "--"];
    args.extend(paths.iter().map(String::as_str));
    let out = host
        .run("getfacl", &args, Duration::from_secs(10))
        .map_err(|e| format!("acl not read: {e}"))?;
    Ok(parse_getfacl(&out.stdout))
}

/// Parses `getfacl -pE` output (`# file: path` headers) into extended entries by path, in
/// getfacl's order (the kernel's: named users, groups, mask). `user::` and `other::` are the
/// mode's owner and other bits and are left out; `group::` is kept when the ACL has a
/// `mask::` (the mode's group bits are then the mask, and the owning group's own entry is
/// needed to decide a member's access — `file_access`), left out otherwise (it is the mode's
/// group bits).
pub fn parse_getfacl(text: &str) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(path) = line.strip_prefix("# file: ") {
            let path = unescape_octal(path);
            map.entry(path.clone()).or_default();
            current = Some(path);
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some(path) = &current else {
            continue;
        };
        let entry = line.trim();
        let base = matches!(entry.split(':').nth(1), Some(""))
            && !entry.starts_with("mask")
            && !entry.starts_with("group::")
            && !entry.starts_with("default:");
        if !base {
            map.entry(path.clone()).or_default().push(entry.to_owned());
        }
    }
    for entries in map.values_mut() {
        if !entries.iter().any(|e| e.starts_with("mask::")) {
            entries.retain(|e| !e.starts_with("group::"));
        }
    }
    map
}

/// getfacl escapes spaces and odd bytes as `\040`.
fn unescape_octal(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && let Some(digits) = bytes.get(i + 1..i + 4)
            && let Ok(digits) = std::str::from_utf8(digits)
            && let Ok(v) = u8::from_str_radix(digits, 8)
        {
            out.push(v);
            i += 4;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LocalHost;
    use std::fs;
    use std::os::unix::fs::{PermissionsExt, symlink};
    use std::time::{Duration, SystemTime};

    #[test]
    fn requested_files_offline() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::create_dir_all(r.join("etc/ssh")).unwrap();
        fs::write(r.join("etc/passwd"), "root:x:0:0::/root:/bin/bash\n").unwrap();
        fs::write(r.join("etc/group"), "root:x:0:\n").unwrap();
        fs::write(
            r.join("etc/ssh/sshd_config"),
            "PermitRootLogin no\nPort 22\n",
        )
        .unwrap();
        fs::write(r.join("etc/long"), "é".repeat(10)).unwrap();
        fs::write(r.join("etc/bin"), b"\x7fELF\0\0\x01").unwrap();
        symlink("/etc/ssh/sshd_config", r.join("etc/link")).unwrap();
        fs::create_dir(r.join("etc/private")).unwrap();
        fs::set_permissions(r.join("etc/private"), fs::Permissions::from_mode(0o750)).unwrap();
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for p in ["etc/ssh/sshd_config", "etc/long", "etc/bin"] {
            fs::set_permissions(r.join(p), fs::Permissions::from_mode(0o644)).unwrap();
            fs::File::options()
                .write(true)
                .open(r.join(p))
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
        let host = LocalHost::offline(r);
        let paths: Vec<String> = [
            "/etc/ssh/sshd_config",
            "/etc/long",
            "/etc/bin",
            "/etc/link",
            "/etc/private",
            "/etc/absent",
            "relative/path",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let infos = read_files(&host, &paths, 7);
        insta::assert_yaml_snapshot!(infos, {
            "[].owner" => "[owner]",
            "[].group" => "[group]",
            "[4].mtime" => "[mtime]",
            "[3].mtime" => "[mtime]",
            "[4].size" => "[size]",
        });
    }

    #[test]
    fn secret_files_are_withheld_whatever_leads_to_them() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        for d in [
            "etc/wireguard",
            "srv/backup",
            "root/.ssh",
            "etc/ssl/certs",
            "srv/app",
        ] {
            fs::create_dir_all(r.join(d)).unwrap();
        }
        let shadow = "root:$y$j9T$7Qm1nC3oWjv6V5hTqJ0x./$0cQ2b0g1A8b7e0yKqXwO7iQ4gW9l1kz8mYb5r6tUu1D:19700:0:99999:7:::\n";
        fs::write(r.join("etc/shadow"), shadow).unwrap();
        // A symlinked parent directory: /srv/etclink/shadow is /etc/shadow.
        symlink("/etc", r.join("srv/etclink")).unwrap();
        // A hard link under an innocent name.
        fs::hard_link(r.join("etc/shadow"), r.join("srv/backup/users.txt")).unwrap();
        fs::write(
            r.join("etc/wireguard/wg0.conf"),
            "[Interface]\nAddress = 10.8.0.1/24\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n",
        )
        .unwrap();
        // The same WireGuard text under a name that says nothing: found by its content.
        fs::write(
            r.join("srv/app/vpn.txt"),
            "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n",
        )
        .unwrap();
        fs::write(
            r.join("root/.ssh/deploy"),
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n",
        )
        .unwrap();
        let cert =
            "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n";
        fs::write(r.join("etc/ssl/certs/site.pem"), cert).unwrap();
        let key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
        fs::write(r.join("srv/app/site.pem"), format!("{cert}{key}")).unwrap();
        fs::write(
            r.join("srv/app/.env"),
            "APP_NAME=gestion\nDB_PASSWORD=hunter2\nurl=https://svc:hunter3@db.local/x\n",
        )
        .unwrap();
        let host = LocalHost::offline(r);
        let paths: Vec<String> = [
            "/etc/shadow",
            "/srv/etclink/shadow",
            "/srv/backup/users.txt",
            "/etc/wireguard/wg0.conf",
            "/srv/app/vpn.txt",
            "/root/.ssh/deploy",
            "/etc/ssl/certs/site.pem",
            "/srv/app/site.pem",
            "/srv/app/.env",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let infos = read_files(&host, &paths, 4096);
        let text = serde_json::to_string(&infos).unwrap();
        for secret in [
            "$y$",
            "yAnz5TF",
            "b3BlbnNzaC1",
            "MIGHAgEA",
            "hunter2",
            "hunter3",
        ] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        let rows: Vec<String> = infos
            .iter()
            .map(|i| {
                format!(
                    "{} | withheld={:?} sha256={} scrubbed={} | {} | {}",
                    i.path,
                    i.head_withheld,
                    i.sha256.is_some(),
                    i.head_scrubbed,
                    i.head.as_deref().unwrap_or("-").replace('\n', "⏎"),
                    i.error.as_deref().unwrap_or("-"),
                )
            })
            .collect();
        insta::assert_snapshot!(rows.join("\n"));
    }

    #[test]
    fn resolve_follows_parents_and_stays_in_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::create_dir_all(r.join("etc")).unwrap();
        fs::create_dir_all(r.join("srv/a")).unwrap();
        symlink("/etc", r.join("srv/etclink")).unwrap();
        symlink("../etclink", r.join("srv/a/up")).unwrap();
        symlink("loop", r.join("srv/loop")).unwrap();
        let host = LocalHost::offline(r);
        assert_eq!(resolve(&host, "/srv/etclink/shadow"), "/etc/shadow");
        assert_eq!(resolve(&host, "/srv/a/up/./x/../shadow"), "/etc/shadow");
        assert_eq!(resolve(&host, "/srv/loop"), "/srv/loop");
        assert_eq!(resolve(&host, "/"), "/");
    }

    /// `{home}` templates: every human account's home (and root's), the directories above
    /// each, once each; system accounts and `nobody` are left out.
    #[test]
    fn home_paths_are_expanded_for_each_account() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::create_dir_all(r.join("etc")).unwrap();
        fs::write(
            r.join("etc/passwd"),
            "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n\
             alice:x:1001:1001::/home/alice:/bin/bash\nbob:x:1002:1002::/srv/homes/bob/:/bin/sh\n\
             twin:x:1003:1003::/home/alice:/bin/sh\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n\
             broken:x:notanumber:1::/home/broken:/bin/sh\n",
        )
        .unwrap();
        let host = LocalHost::offline(r);
        let request = FileRequest {
            paths: vec!["/srv".to_owned()],
            home_paths: vec![
                "{home}".to_owned(),
                "{home}/.ssh".to_owned(),
                "rel".to_owned(),
            ],
            ..FileRequest::default()
        };
        let (paths, cut) = requested_paths(&host, &request);
        assert_eq!(cut, None);
        assert_eq!(
            paths,
            [
                "/srv",
                "/",
                "/root",
                "/root/.ssh",
                "rel",
                "/home",
                "/home/alice",
                "/home/alice/.ssh",
                "/srv/homes",
                "/srv/homes/bob/",
                "/srv/homes/bob//.ssh",
            ]
        );
    }

    #[test]
    fn getfacl_output() {
        // Output shape of `getfacl -pE` (acl 2.3.1) for a directory with an ACL, a plain file, and a
        // directory whose owning group entry (group::---) differs from its mask.
        let text = "# file: /srv/partage\\040commun\n# owner: root\n# group: webadmins\n# flags: -s-\nuser::rwx\nuser:alice:rwx\ngroup::r-x\ngroup:webadmins:rwx\nmask::rwx\nother::---\ndefault:user::rwx\ndefault:group:webadmins:rwx\n\n# file: /etc/hosts\n# owner: root\n# group: root\nuser::rw-\ngroup::r--\nother::r--\n\n# file: /srv/compta\n# owner: root\n# group: compta\nuser::rwx\ngroup::---\ngroup:direction:r-x\nmask::r-x\nother::---\n\n";
        let map = parse_getfacl(text);
        let mut keys: Vec<_> = map.into_iter().collect();
        keys.sort();
        insta::assert_yaml_snapshot!(keys);
    }
}
