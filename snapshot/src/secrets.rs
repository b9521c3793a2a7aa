//! What constat never keeps: recognises secret-bearing files (by path and by content) and
//! scrubs secret-looking values out of host text before it is stored.
//!
//! Shared by every collector that keeps host text (the Linux agent, the Windows probe's
//! normalisers). Pure functions of their input, `std` only, so the agent stays small.
//!
//! Two tools, used in this order:
//! * [`secret_path`] and [`secret_content`] say a file's text must never be kept: its head is
//!   withheld ([`crate::files::HeadWithheld`]) and its SHA-256 too (a hash of a low-entropy
//!   secret such as a one-line password file can be brute-forced offline); its metadata is kept.
//!   Collectors decide on the *resolved* file: the path after every symlink, and the Linux
//!   agent also compares the device and inode with the host's known secret files, so a bind
//!   mount or a hard link is recognised too.
//! * [`scrub`] replaces secret-looking values in any other text with [`MASK`] and counts them:
//!   crypt hashes, `key = value` assignments whose key names a secret (`password`, `PrivateKey`,
//!   `token`, `psk`…), `--password X` style options, `mysqldump -pX`, `-u user:pass`,
//!   `user:pass@` in URLs and `.netrc` passwords.

/// What replaces a scrubbed value.
pub const MASK: &str = "***";

/// Why a path names a secret-bearing file, or `None`. `path` is the resolved path (after
/// every symlink); `/` or `\` separated, matched case-insensitively on its last components.
pub fn secret_path(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase().replace('\\', "/");
    let mut parts = lower.rsplit('/');
    let name = parts.next().unwrap_or("");
    let parent = parts.next().unwrap_or("");
    let grandparent = parts.next().unwrap_or("");
    let stem_is = |stems: &[&str]| {
        stems.iter().any(|s| {
            name == *s
                || name
                    .strip_prefix(s)
                    .is_some_and(|rest| rest.starts_with(['-', '~', '.', '+']) || rest == "-")
        })
    };
    if stem_is(&["shadow", "gshadow", "nshadow", "opasswd"]) {
        return Some("password hashes (shadow)");
    }
    if name == ".htpasswd" || name.ends_with(".htpasswd") || name == "smbpasswd" {
        return Some("password hashes");
    }
    if name.ends_with(".pub") {
        return None;
    }
    if name.starts_with("ssh_host_") && name.ends_with("_key") {
        return Some("SSH host private key");
    }
    if [
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        "id_ecdsa_sk",
        "id_ed25519_sk",
        "identity",
    ]
    .contains(&name)
    {
        return Some("SSH private key");
    }
    const KEY_EXTENSIONS: [&str; 9] = [
        ".key",
        ".ppk",
        ".p12",
        ".pfx",
        ".jks",
        ".keystore",
        ".kdbx",
        ".keytab",
        ".privkey",
    ];
    if KEY_EXTENSIONS.iter().any(|e| name.ends_with(e)) {
        return Some("private key or key store");
    }
    if name == "privatekey" || name == "private.key" || name.starts_with("privkey") {
        return Some("private key");
    }
    if parent == "wireguard" {
        return Some("WireGuard configuration or key");
    }
    if parent == "private" && (grandparent == "ssl" || grandparent == "tls" || grandparent == "pki")
    {
        return Some("TLS private key directory");
    }
    if [
        "secrets.tdb",
        "passdb.tdb",
        "secrets.ldb",
        "secrets.keytab",
        "sam.ldb",
        "krb5.keytab",
        "chap-secrets",
        "pap-secrets",
        "ipsec.secrets",
        "stash",
        "ntds.dit",
    ]
    .contains(&name)
    {
        return Some("credential store");
    }
    if parent == "sam.ldb.d" || (parent == "private" && grandparent == "samba") {
        return Some("Samba private directory");
    }
    if parent == "config" && ["sam", "security", "system"].contains(&name) {
        return Some("Windows registry hive with password hashes");
    }
    if name == "environ" && grandparent == "proc" {
        return Some("process environment");
    }
    None
}

/// Why this text (any part of a file, bytes as read) holds a secret key, or `None`: PEM/OpenSSH
/// private keys, PGP private key blocks, OpenVPN static keys, PuTTY keys, WireGuard
/// `PrivateKey =` / `PresharedKey =` lines. Callers scanning a file in chunks overlap them by
/// [`MARKER_OVERLAP`] bytes.
pub fn secret_content(bytes: &[u8]) -> Option<&'static str> {
    for line in bytes.split(|b| *b == b'\n') {
        if let Some(at) = find(line, b"-----BEGIN ") {
            let rest = &line[at..];
            if find(rest, b"PRIVATE KEY").is_some() {
                return Some("private key block");
            }
            if find(rest, b"OpenVPN Static key").is_some() {
                return Some("OpenVPN static key");
            }
        }
        if line.starts_with(b"PuTTY-User-Key-File-") {
            return Some("PuTTY private key");
        }
        let trimmed = trim_start(line);
        for key in [&b"privatekey"[..], b"presharedkey"] {
            if trimmed.len() > key.len() && trimmed[..key.len()].eq_ignore_ascii_case(key) {
                let after = trim_start(&trimmed[key.len()..]);
                if after.first() == Some(&b'=') {
                    return Some("WireGuard key");
                }
            }
        }
    }
    None
}

/// Bytes by which chunks given to [`secret_content`] must overlap so that no marker is split.
pub const MARKER_OVERLAP: usize = 256;

/// Text with its secret-looking values replaced by [`MASK`], and how many were replaced.
/// Idempotent: scrubbing scrubbed text changes nothing and counts zero.
pub fn scrub(text: &str) -> (String, usize) {
    scrub_changed(text).unwrap_or_else(|| (text.to_owned(), 0))
}

/// [`scrub`] in place; returns the count.
pub fn scrub_in_place(text: &mut String) -> usize {
    match scrub_changed(text) {
        Some((scrubbed, n)) => {
            *text = scrubbed;
            n
        }
        None => 0,
    }
}

/// The scrubbed text and its count when something was replaced; `None` when nothing was,
/// without allocating (most values of a snapshot hold no secret: they are not copied).
fn scrub_changed(text: &str) -> Option<(String, usize)> {
    let mut out: Option<String> = None;
    let mut count = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        match scrub_line(line) {
            Some((scrubbed, n)) => {
                out.get_or_insert_with(|| {
                    let mut o = String::with_capacity(text.len());
                    o.push_str(&text[..offset]);
                    o
                })
                .push_str(&scrubbed);
                count += n;
            }
            None => {
                if let Some(o) = &mut out {
                    o.push_str(line);
                }
            }
        }
        offset += line.len();
    }
    out.map(|o| (o, count))
}

/// Scrubs every string value (not map keys) of a JSON tree in place; returns the count.
pub fn scrub_json(value: &mut serde_json::Value) -> usize {
    use serde_json::Value;
    match value {
        Value::String(text) => scrub_in_place(text),
        Value::Array(items) => items.iter_mut().map(scrub_json).sum(),
        Value::Object(map) => map.values_mut().map(scrub_json).sum(),
        Value::Null | Value::Bool(_) | Value::Number(_) => 0,
    }
}

/// Scrubs every string a collector kept from the host (cron lines, backup scripts, sudo
/// rules, share options, network files, unit command lines, file heads…) in one pass over
/// the sections, so no collector can forget to. Returns how many values were replaced.
///
/// # Errors
/// The scrubbed sections no longer fit their types (a bug: every masked value is a string
/// that stays a string); the caller then must not keep the unscrubbed sections.
pub fn scrub_sections(sections: &mut crate::Sections) -> Result<usize, String> {
    let mut value = serde_json::to_value(&*sections).map_err(|e| e.to_string())?;
    let count = scrub_json(&mut value);
    if count > 0 {
        *sections = serde_json::from_value(value).map_err(|e| e.to_string())?;
    }
    Ok(count)
}

/// Key names (lower case) whose value is a secret, matched as the end of a key
/// (`DB_PASSWORD`, `smtp_pass`, `PrivateKey`, `api-token`).
const SECRET_KEY_SUFFIXES: [&str; 15] = [
    "password",
    "passwd",
    "pass",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "psk",
    "privatekey",
    "private_key",
    "presharedkey",
    "apikey",
    "api_key",
    "api-key",
    "credentials",
];

/// The line with its secrets masked and their count, or `None` when it holds none. Each pass
/// returns a meaningful text only when its count is above zero.
fn scrub_line(line: &str) -> Option<(String, usize)> {
    let mut count = 0;
    let mut s: Option<String> = None;
    for pass in [crypt_hashes, url_userinfo, assignments, options, netrc] {
        let (next, n) = pass(s.as_deref().unwrap_or(line));
        if n > 0 {
            s = Some(next);
            count += n;
        }
    }
    s.map(|s| (s, count))
}

/// Replaces `[start, end)` ranges (sorted, disjoint, on ASCII boundaries) with the mask.
/// With no range, the text is left empty (count 0: callers ignore it), nothing is allocated.
fn mask_ranges(s: &str, ranges: &[(usize, usize)]) -> (String, usize) {
    if ranges.is_empty() {
        return (String::new(), 0);
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut n = 0;
    for &(a, b) in ranges {
        if a < last || b <= a || &s[a..b] == MASK {
            continue;
        }
        out.push_str(&s[last..a]);
        out.push_str(MASK);
        last = b;
        n += 1;
    }
    out.push_str(&s[last..]);
    (out, n)
}

fn is_hash_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'$' | b'=' | b',' | b'+' | b'-')
}

/// `$1$`, `$2b$`, `$5$`, `$6$`, `$y$`, `$gy$`, `$7$`, `$argon2id$`…: a `$id$` token with at least
/// three `$` whose last segment is 16+ hash characters (so `$1$HOME` in a script is kept).
fn crypt_hashes(s: &str) -> (String, usize) {
    let b = s.as_bytes();
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' || (i > 0 && is_hash_char(b[i - 1]) && b[i - 1] != b'$') {
            i += 1;
            continue;
        }
        let id_end = b[i + 1..]
            .iter()
            .position(|c| *c == b'$')
            .map(|p| i + 1 + p);
        let Some(id_end) = id_end else { break };
        let id = &s[i + 1..id_end];
        let known = matches!(
            id,
            "1" | "2a" | "2b" | "2x" | "2y" | "5" | "6" | "7" | "y" | "gy" | "md5" | "sha1"
        ) || id.starts_with("argon2")
            || id.starts_with("pbkdf2")
            || id.starts_with("scrypt");
        if !known {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < b.len() && is_hash_char(b[end]) {
            end += 1;
        }
        let token = &s[i..end];
        let dollars = token.matches('$').count();
        let last = token.rsplit('$').next().unwrap_or("");
        if dollars >= 3 && last.len() >= 16 {
            ranges.push((i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    mask_ranges(s, &ranges)
}

/// `scheme://user:password@host` → `scheme://user:***@host`.
fn url_userinfo(s: &str) -> (String, usize) {
    let b = s.as_bytes();
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(p) = s[from..].find("://") {
        let start = from + p + 3;
        let end = b[start..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'"' | b'\'' | b'>'))
            .map_or(b.len(), |q| start + q);
        let authority = &s[start..end];
        if let Some(at) = authority.rfind('@')
            && let Some(colon) = authority[..at].find(':')
        {
            ranges.push((start + colon + 1, start + at));
        }
        from = end.max(start);
    }
    mask_ranges(s, &ranges)
}

fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

fn secret_key(key: &str) -> bool {
    let key = key.trim_start_matches('-').to_ascii_lowercase();
    SECRET_KEY_SUFFIXES.iter().any(|s| key.ends_with(s))
}

/// End of a value starting at `start`: a quoted string, or up to whitespace, `;` or `,`.
fn value_end(b: &[u8], start: usize) -> (usize, usize) {
    match b.get(start) {
        Some(q @ (b'"' | b'\'')) => {
            let close = b[start + 1..]
                .iter()
                .position(|c| c == q)
                .map_or(b.len(), |p| start + 1 + p);
            (start + 1, close)
        }
        _ => {
            let end = b[start..]
                .iter()
                .position(|c| c.is_ascii_whitespace() || matches!(c, b';' | b','))
                .map_or(b.len(), |p| start + p);
            (start, end)
        }
    }
}

/// `KEY = value`, `KEY=value`, `KEY: value`, `"key": "value"`, `--password=value` where KEY
/// names a secret. nsswitch's `passwd:` and `shadow:` lines are not assignments of secrets.
fn assignments(s: &str) -> (String, usize) {
    let b = s.as_bytes();
    let mut ranges = Vec::new();
    for (i, c) in b.iter().enumerate() {
        if *c != b'=' && *c != b':' {
            continue;
        }
        // The key just before the separator (optional spaces and closing quote).
        let mut k_end = i;
        while k_end > 0 && b[k_end - 1] == b' ' {
            k_end -= 1;
        }
        if k_end > 0 && matches!(b[k_end - 1], b'"' | b'\'') {
            k_end -= 1;
        }
        let mut k_start = k_end;
        while k_start > 0 && is_key_char(b[k_start - 1]) {
            k_start -= 1;
        }
        let key = &s[k_start..k_end];
        if key.is_empty() || !secret_key(key) {
            continue;
        }
        if *c == b':'
            && (key.eq_ignore_ascii_case("passwd")
                || key.eq_ignore_ascii_case("pass")
                || key.eq_ignore_ascii_case("nopasswd"))
        {
            // `passwd: files systemd` (nsswitch.conf), `pass:[…]` markup, and sudoers'
            // `NOPASSWD:` / `PASSWD:` tags (`%web ALL=(root) NOPASSWD: WEB`).
            continue;
        }
        if *c == b':' && b.get(i + 1) == Some(&b':') {
            continue;
        }
        let mut v = i + 1;
        while v < b.len() && b[v] == b' ' {
            v += 1;
        }
        let (start, end) = value_end(b, v);
        if end > start && !s[start..end].starts_with('$') {
            ranges.push((start, end));
        }
    }
    mask_ranges(s, &ranges)
}

/// The byte ranges of the whitespace-separated words of `b`.
fn word_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i > start {
            spans.push((start, i));
        }
    }
    spans
}

/// Command-line options: `--password X`, `-Password X`, `--token X`, `sshpass -p X`,
/// `mysqldump -pX`, `-u user:pass`, `-U user%pass`, `--user user:pass`,
/// `net use … /user:svc X`, `ConvertTo-SecureString 'X' -AsPlainText`.
fn options(s: &str) -> (String, usize) {
    let b = s.as_bytes();
    // Every option below starts with `-` or `/`: a line with neither has none.
    if !b.iter().any(|c| matches!(c, b'-' | b'/')) {
        return (String::new(), 0);
    }
    let tokens = word_spans(b);
    let word = |t: (usize, usize)| &s[t.0..t.1];
    let mysql = tokens.iter().any(|t| {
        let w = word(*t).rsplit('/').next().unwrap_or("");
        matches!(
            w,
            "mysql" | "mysqldump" | "mysqladmin" | "mariadb" | "mariadb-dump" | "mariadb-admin"
        )
    });
    let sshpass = tokens.iter().any(|t| word(*t).ends_with("sshpass"));
    let mut ranges = Vec::new();
    for (n, t) in tokens.iter().enumerate() {
        let w = word(*t);
        let next = tokens.get(n + 1).copied();
        let mysql_password = mysql && w.len() > 2 && w.starts_with("-p") && !w.starts_with("-p=");
        let long_option =
            !mysql_password && (w.starts_with("--") || (w.starts_with('-') && w.len() > 3));
        let secure_string = w
            .trim_start_matches('(')
            .eq_ignore_ascii_case("convertto-securestring");
        if (long_option && !w.contains('=') && secret_key(w)) || secure_string {
            let mut nx = next;
            if secure_string && nx.is_some_and(|t| word(t).eq_ignore_ascii_case("-string")) {
                nx = tokens.get(n + 2).copied();
            }
            if let Some(nx) = nx
                && !word(nx).starts_with(['-', '$', '('])
            {
                ranges.push(value_end(b, nx.0));
            }
        } else if w.len() > 6
            && w.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("/user:"))
            && let Some(nx) = next
            && !word(nx).starts_with('/')
        {
            // `net use Z: \\nas\share /user:DOMAIN\svc PASSWORD`
            ranges.push(value_end(b, nx.0));
        } else if mysql_password {
            ranges.push((t.0 + 2, t.1));
        } else if sshpass && w == "-p" {
            if let Some(nx) = next {
                ranges.push(nx);
            }
        } else if matches!(w, "-u" | "-U" | "--user")
            && let Some(nx) = next
        {
            let v = word(nx);
            if let Some(p) = v.find([':', '%'])
                && p + 1 < v.len()
            {
                ranges.push((nx.0 + p + 1, nx.1));
            }
        }
    }
    ranges.sort();
    mask_ranges(s, &ranges)
}

/// `.netrc`: `machine h login u password p` (also `passwd`, `pass`).
fn netrc(s: &str) -> (String, usize) {
    let b = s.as_bytes();
    let words = word_spans(b);
    let w = |t: (usize, usize)| &s[t.0..t.1];
    let is_netrc = words
        .iter()
        .any(|t| matches!(w(*t), "machine" | "default" | "login"));
    if !is_netrc {
        return (String::new(), 0);
    }
    let mut ranges = Vec::new();
    for pair in words.windows(2) {
        if matches!(w(pair[0]), "password" | "passwd" | "pass") {
            ranges.push(pair[1]);
        }
    }
    mask_ranges(s, &ranges)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_paths() {
        let cases = [
            ("/etc/shadow", true),
            ("/etc/gshadow", true),
            ("/etc/shadow-", true),
            ("/etc/gshadow-", true),
            ("/etc/shadow.bak", true),
            ("/etc/security/opasswd", true),
            ("/etc/passwd", false),
            ("/etc/shadowsocks.json", false),
            ("/etc/ssh/ssh_host_ed25519_key", true),
            ("/etc/ssh/ssh_host_ed25519_key.pub", false),
            ("/root/.ssh/id_rsa", true),
            ("/root/.ssh/id_rsa.pub", false),
            ("/root/.ssh/authorized_keys", false),
            ("/etc/ssl/private/site.key", true),
            ("/etc/ssl/private/anything", true),
            ("/etc/ssl/certs/site.pem", false),
            ("/etc/wireguard/wg0.conf", true),
            ("/etc/openvpn/server/ta.key", true),
            ("/etc/openvpn/server.conf", false),
            ("/var/lib/samba/private/secrets.tdb", true),
            ("/var/lib/samba/private/sam.ldb.d/DC=X.ldb", true),
            ("/etc/krb5.keytab", true),
            ("/etc/ppp/chap-secrets", true),
            ("/proc/1/environ", true),
            ("C:\\Windows\\System32\\config\\SAM", true),
            ("C:\\Windows\\NTDS\\ntds.dit", true),
            ("C:\\inetpub\\wwwroot\\web.config", false),
            ("/etc/apache2/.htpasswd", true),
        ];
        let wrong: Vec<_> = cases
            .iter()
            .filter(|(p, want)| secret_path(p).is_some() != *want)
            .collect();
        assert!(wrong.is_empty(), "misclassified: {wrong:?}");
    }

    #[test]
    fn secret_contents() {
        let cases: [(&str, bool); 9] = [
            ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n", true),
            ("-----BEGIN RSA PRIVATE KEY-----\n", true),
            ("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", true),
            ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n", true),
            (
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                false,
            ),
            ("#\n-----BEGIN OpenVPN Static key V1-----\n", true),
            (
                "[Interface]\nAddress = 10.8.0.1/24\n  privatekey= QUFB\n",
                true,
            ),
            ("[Peer]\nPresharedKey = QUFB\n", true),
            (
                "[Interface]\nAddress = 10.8.0.1/24\n# PrivateKey is in a file\n",
                false,
            ),
        ];
        let wrong: Vec<_> = cases
            .iter()
            .filter(|(t, want)| secret_content(t.as_bytes()).is_some() != *want)
            .collect();
        assert!(wrong.is_empty(), "misclassified: {wrong:?}");
    }

    #[test]
    fn hostile_text_never_panics() {
        // Multi-byte characters next to every marker the scrubber slices around.
        let pieces = [
            "é",
            "😀",
            "$",
            "$6$",
            "$y$j9T$",
            "=",
            ":",
            "://",
            "@",
            "\"",
            "'",
            " ",
            "\n",
            "-p",
            "--password",
            "/user:",
            "/usé:",
            "-U",
            "%",
            "machine",
            "password",
            "PrivateKey",
            "ConvertTo-SecureString",
            "-String",
            "mysqldump",
            "sshpass",
            "\u{0}",
            "\u{1b}[2J",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c} {b}{a}é{c}{c}");
                    let (out, _) = scrub(&text);
                    assert_eq!(scrub(&out).1, 0, "not idempotent: {text:?} -> {out:?}");
                    secret_content(text.as_bytes());
                    secret_path(&text);
                }
            }
        }
    }

    #[test]
    fn scrubbed_values() {
        let cases = [
            "root:$y$j9T$7Qm1nC3oWjv6V5hTqJ0x./$0cQ2b0g1A8b7e0yKqXwO7iQ4gW9l1kz8mYb5r6tUu1D:19700:0:99999:7:::",
            "alice:$6$rounds=5000$saltsalt$Jt1Wl5b7eYQk0kX1bq1S9cF8e7jv6Gm7o0V4lP9z.Q2rY3sT4uV5wX6yZ7aB8cD9eF0gH1iJ2kL3mN4oP5qR6:19000::::::",
            "hash $2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW end",
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$8FtL7b0q9XyJr0VRq1kX0H5bF7dJ8P6m",
            "cp $1$SUFFIX /backup  # a script, not a hash",
            "PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
            "DB_PASSWORD=hunter2",
            "export PGPASSWORD='s3cr3t pass'",
            "\"api_key\": \"abc123\",",
            "password: \"{{ vault_pw }}\"",
            "psk=\"wifi secret\"",
            "passwd:         files systemd",
            "PasswordAuthentication no",
            "password requisite pam_pwquality.so retry=3",
            "0 2 * * * root mysqldump -uroot -pSECRET --all-databases > /srv/db.sql",
            "mysqldump --password=SECRET db",
            "mysqldump --password SECRET db",
            "mysql --password \"two words\" db",
            "New-ADUser -Name x -AccountPassword (ConvertTo-SecureString \"P@ssw0rd\" -AsPlainText -Force)",
            "$pw = ConvertTo-SecureString -String 'P@ssw0rd' -AsPlainText -Force",
            "net use Z: \\\\nas\\save /user:TSSR\\svc P@ssw0rd /persistent:no",
            "Set-LocalUser -Name admin -Password $secure",
            "sshpass -p SECRET rsync -a /srv backup@nas:/srv",
            "smbclient //nas/backup -U svc%SECRET -c 'put x'",
            "curl -u admin:SECRET https://nas/api",
            "rsync -a /srv rsync://backup:SECRET@nas/module",
            "https://nas.example/share without credentials",
            "machine nas login backup password SECRET",
            "token=$TOKEN",
            "already masked: password=***",
            "smb passwd file = /etc/samba/smbpasswd",
            "encrypt passwords = yes",
            "%webadmins ALL=(root) NOPASSWD: WEB",
            "alice ALL=(ALL) PASSWD: /usr/bin/apt, NOPASSWD:SETENV: /usr/bin/make",
        ];
        let rows: Vec<String> = cases
            .iter()
            .map(|c| {
                let (out, n) = scrub(c);
                assert_eq!(scrub(&out).1, 0, "not idempotent: {out}");
                format!("{n} | {out}")
            })
            .collect();
        insta::assert_snapshot!(rows.join("\n"));
    }

    /// Lines before and after a secret are kept byte for byte; text without a secret comes
    /// back unchanged with a count of zero, in place too.
    #[test]
    fn only_secret_lines_change() {
        let text = "a = 1\nb - c / d\r\nDB_PASSWORD=hunter2\nmachine nas login u\ntail";
        assert_eq!(
            scrub(text),
            (
                "a = 1\nb - c / d\r\nDB_PASSWORD=***\nmachine nas login u\ntail".to_owned(),
                1
            )
        );
        let plain = "no secret here\n--verbose /tmp\n";
        assert_eq!(scrub(plain), (plain.to_owned(), 0));
        let mut in_place = plain.to_owned();
        assert_eq!(scrub_in_place(&mut in_place), 0);
        assert_eq!(in_place, plain);
        let mut two = "x\npassword=a\ny\ntoken=b".to_owned();
        assert_eq!(scrub_in_place(&mut two), 2);
        assert_eq!(two, "x\npassword=***\ny\ntoken=***");
    }
}
