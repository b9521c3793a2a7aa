//! Listening sockets: the kernel's `sock_diag` netlink, else /proc/net/{tcp,tcp6,udp,udp6};
//! owners found through /proc/<pid>/fd.
//!
//! TCP sockets count when in state `0A` (LISTEN); UDP sockets when in state `07` (unconnected).
//! An IPv6 socket bound to a v4-mapped address (`::ffff:a.b.c.d`) only accepts IPv4, so it is
//! reported as `ipv4` with the dotted address. Each table is asked of netlink first
//! ([`crate::collectors::sock_diag`]: only the listening hash is walked), and read from
//! /proc/net when netlink fails; both give the same sockets.

use crate::collectors::sock_diag;
use crate::context::{Context, Update};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::services::ListeningSocket;
use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The /proc/net tables read, with their protocol and family.
const TABLES: [(&str, &str, &str); 4] = [
    ("/proc/net/tcp", "tcp", "ipv4"),
    ("/proc/net/tcp6", "tcp", "ipv6"),
    ("/proc/net/udp", "udp", "ipv4"),
    ("/proc/net/udp6", "udp", "ipv6"),
];

/// Collects the `listening` section.
pub fn collect(ctx: &Context) -> Update {
    let section = listening(&*ctx.host);
    Box::new(move |s| s.listening = section)
}

fn listening(host: &dyn Host) -> Section<Vec<ListeningSocket>> {
    if !host.is_live() {
        return Section::not_collected(
            "offline root: listening sockets exist only on a running system",
        );
    }
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut read_any = false;
    for (path, protocol, family) in TABLES {
        // Netlink answers for the running system only, never for a test root.
        if host.root() == std::path::Path::new("/")
            && let Ok(sockets) = sock_diag::dump(protocol, family)
        {
            read_any = true;
            found.extend(sockets);
            continue;
        }
        match host.read_to_string(path) {
            Ok(text) => {
                read_any = true;
                found.extend(parse_proc_net(&text, protocol, family));
            }
            // tcp6/udp6 are absent when IPv6 is disabled: nothing listens there.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && family == "ipv6" => {}
            Err(e) => errors.push(format!("{path}: {e}")),
        }
    }
    if !read_any {
        return Section::error(format!(
            "cannot read the socket tables: {}; is /proc mounted?",
            errors.join("; ")
        ));
    }
    let wanted: BTreeSet<u64> = found.iter().map(|r| r.inode).collect();
    let owners = socket_owners(host, &wanted);
    Section::collected(finish(found, &owners))
}

/// One socket line of a /proc/net table, before its owner is known.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSocket {
    /// The socket as reported.
    pub socket: ListeningSocket,
    /// Socket inode, to find the owner.
    pub inode: u64,
}

/// Parses one /proc/net/{tcp,tcp6,udp,udp6} table, keeping listening sockets only.
pub fn parse_proc_net(text: &str, protocol: &str, family: &str) -> Vec<RawSocket> {
    let wanted_state = if protocol == "tcp" { "0A" } else { "07" };
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (local, state, inode) = (fields.get(1)?, fields.get(3)?, fields.get(9)?);
            if *state != wanted_state {
                return None;
            }
            let (addr_hex, port_hex) = local.split_once(':')?;
            let port = u16::from_str_radix(port_hex, 16).ok()?;
            raw_socket(
                &hex_bytes(addr_hex)?,
                port,
                inode.parse().ok()?,
                protocol,
                family,
            )
        })
        .collect()
}

/// A listening socket from its local address (network byte order), port and inode; `None`
/// for an unbound socket (port 0: it receives nothing) or an address of the wrong length.
pub fn raw_socket(
    address: &[u8],
    port: u16,
    inode: u64,
    protocol: &str,
    family: &str,
) -> Option<RawSocket> {
    if port == 0 {
        return None;
    }
    let (family, address) = address_of(address, family)?;
    Some(RawSocket {
        socket: ListeningSocket {
            protocol: protocol.to_owned(),
            family,
            address,
            port,
            pid: None,
            process: None,
        },
        inode,
    })
}

/// A /proc/net address as bytes in network order: it prints 32-bit words in host
/// (little-endian) byte order.
fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    let words: Vec<u32> = (0..hex.len() / 8)
        .map(|i| u32::from_str_radix(hex.get(i * 8..i * 8 + 8)?, 16).ok())
        .collect::<Option<_>>()?;
    Some(words.iter().flat_map(|w| w.to_le_bytes()).collect())
}

/// Decodes a /proc/net address.
#[cfg(test)]
fn decode_address(hex: &str, family: &str) -> Option<(String, String)> {
    address_of(&hex_bytes(hex)?, family)
}

/// The family and text of an address in network byte order (v4-mapped IPv6 is IPv4).
fn address_of(bytes: &[u8], family: &str) -> Option<(String, String)> {
    match (family, bytes.len()) {
        ("ipv4", 4) => Some((
            "ipv4".to_owned(),
            Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        )),
        ("ipv6", 16) => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            let v6 = Ipv6Addr::from(octets);
            match v6.to_ipv4_mapped() {
                Some(v4) => Some(("ipv4".to_owned(), v4.to_string())),
                None => Some(("ipv6".to_owned(), v6.to_string())),
            }
        }
        _ => None,
    }
}

/// Maps the `wanted` socket inodes to (pid, process name), scanning /proc/<pid>/fd in the
/// order of [`Host::read_dir`]: the first process holding a socket is its owner (a socket shared
/// by several processes keeps the first). The scan stops once every wanted inode has its owner:
/// later processes could not change the answer. Processes that vanish or cannot be read (not
/// root) are skipped: their sockets keep no owner.
fn socket_owners(host: &dyn Host, wanted: &BTreeSet<u64>) -> BTreeMap<u64, (u32, String)> {
    let mut owners = BTreeMap::new();
    if wanted.is_empty() {
        return owners;
    }
    let Ok(entries) = host.read_dir("/proc") else {
        return owners;
    };
    for pid in entries.iter().filter_map(|e| e.parse::<u32>().ok()) {
        let Ok(fds) = host.read_dir(&format!("/proc/{pid}/fd")) else {
            continue;
        };
        let mut name: Option<String> = None;
        for fd in fds {
            let Ok(target) = host.read_link(&format!("/proc/{pid}/fd/{fd}")) else {
                continue;
            };
            let Some(inode) = socket_inode(&target.to_string_lossy()) else {
                continue;
            };
            if !wanted.contains(&inode) || owners.contains_key(&inode) {
                continue;
            }
            let name = name
                .get_or_insert_with(|| {
                    host.read_to_string(&format!("/proc/{pid}/comm"))
                        .map(|s| s.trim().to_owned())
                        .unwrap_or_default()
                })
                .clone();
            owners.insert(inode, (pid, name));
        }
        if owners.len() == wanted.len() {
            break;
        }
    }
    owners
}

fn socket_inode(link: &str) -> Option<u64> {
    link.strip_prefix("socket:[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// Attaches owners, sorts and removes duplicates (SO_REUSEPORT groups).
pub fn finish(raw: Vec<RawSocket>, owners: &BTreeMap<u64, (u32, String)>) -> Vec<ListeningSocket> {
    let mut sockets: Vec<ListeningSocket> = raw
        .into_iter()
        .map(|r| {
            let mut s = r.socket;
            if let Some((pid, name)) = owners.get(&r.inode) {
                s.pid = Some(*pid);
                s.process = Some(name.clone()).filter(|n| !n.is_empty());
            }
            s
        })
        .collect();
    sockets.sort_by(|a, b| {
        (&a.protocol, &a.family, a.port, &a.address, a.pid).cmp(&(
            &b.protocol,
            &b.family,
            b.port,
            &b.address,
            b.pid,
        ))
    });
    sockets.dedup();
    sockets
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixture in, snapshot out: the four tables recorded in a namespace (testdata/SOURCES.md).
    fn parse_recorded() -> Vec<ListeningSocket> {
        let mut raw = parse_proc_net(include_str!("testdata/proc-net-tcp"), "tcp", "ipv4");
        raw.extend(parse_proc_net(
            include_str!("testdata/proc-net-tcp6"),
            "tcp",
            "ipv6",
        ));
        raw.extend(parse_proc_net(
            include_str!("testdata/proc-net-udp"),
            "udp",
            "ipv4",
        ));
        raw.extend(parse_proc_net(
            include_str!("testdata/proc-net-udp6"),
            "udp",
            "ipv6",
        ));
        let owners = BTreeMap::from([(14205, (812, "sshd".to_owned()))]);
        finish(raw, &owners)
    }

    #[test]
    fn recorded_tables() {
        insta::assert_json_snapshot!(parse_recorded());
    }

    #[test]
    fn decodes_little_endian_words() {
        assert_eq!(
            decode_address("0100007F", "ipv4"),
            Some(("ipv4".into(), "127.0.0.1".into()))
        );
        assert_eq!(
            decode_address("0000000000000000FFFF000002FACA0A", "ipv6"),
            Some(("ipv4".into(), "10.202.250.2".into()))
        );
        assert_eq!(
            decode_address("00000000000000000000000001000000", "ipv6"),
            Some(("ipv6".into(), "::1".into()))
        );
        assert_eq!(decode_address("zz", "ipv4"), None);
    }

    #[test]
    fn offline_root_is_not_collected() {
        let dir = tempfile::tempdir().unwrap();
        let host = crate::host::LocalHost::offline(dir.path());
        assert_eq!(listening(&host).status(), "not_collected");
    }
}
