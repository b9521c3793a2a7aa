//! Listening sockets from the kernel's `sock_diag` netlink (`inet_diag`), without /proc/net.
//!
//! Reading /proc/net/tcp walks the kernel's whole established-socket hash (milliseconds on a
//! machine sized for many connections); an `inet_diag` dump with a LISTEN-only state filter
//! walks only the listening hash. One dump per table of [`crate::collectors::listening`]:
//! TCP in state LISTEN, UDP in state CLOSE (unconnected), each for IPv4 and IPv6. The answer
//! carries the same fields as the /proc/net line (local address, port, inode), decoded the same
//! way. Any failure (an old kernel without `inet_diag`, a seccomp filter, a missing module) is
//! an error and the caller reads the /proc/net table instead.
//!
//! Bounded: every `recv` waits at most [`RECV_TIMEOUT`], a dump stops with an error past
//! [`MAX_DUMP_BYTES`], and each message is checked against the bytes received.

use crate::collectors::listening::{RawSocket, raw_socket};
use rustix::net::netlink::{SOCK_DIAG, SocketAddrNetlink};
use rustix::net::sockopt::{Timeout, set_socket_timeout};
use rustix::net::{AddressFamily, RecvFlags, SendFlags, SocketFlags, SocketType};
use std::time::Duration;

/// Longest wait for one netlink answer (the kernel answers at once; this bounds a stuck one).
pub const RECV_TIMEOUT: Duration = Duration::from_secs(2);
/// Most bytes read from one dump (≈ 200,000 sockets of 80 bytes): past it, an error.
pub const MAX_DUMP_BYTES: usize = 16 << 20;

/// `SOCK_DIAG_BY_FAMILY`.
const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// `NLM_F_REQUEST | NLM_F_DUMP` (`NLM_F_ROOT | NLM_F_MATCH`).
const DUMP_FLAGS: u16 = 0x1 | 0x300;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
/// `struct nlmsghdr`.
const HEADER_LEN: usize = 16;
/// `struct inet_diag_msg` up to and including `idiag_inode`.
const MSG_LEN: usize = 72;
/// `TCP_LISTEN`, `TCP_CLOSE` (an unconnected UDP socket), as state-mask bits.
const TCP_LISTEN: u32 = 10;
const TCP_CLOSE: u32 = 7;
/// Sequence number of our requests (one socket per dump, so any constant does).
const SEQ: u32 = 0x636f_6e73;

/// Why a dump could not be read (the caller falls back to /proc/net).
#[derive(Debug, thiserror::Error)]
pub enum SockDiagError {
    /// A system call failed (no netlink, no `inet_diag`, seccomp, timeout).
    #[error("sock_diag netlink: {0}")]
    Io(#[from] std::io::Error),
    /// The kernel answered with an error code.
    #[error("sock_diag netlink: the kernel answered error {0}")]
    Kernel(i32),
    /// An answer that does not parse (cut short, wrong sequence, too large).
    #[error("sock_diag netlink: {0}")]
    Malformed(&'static str),
}

/// The listening sockets of one table (`protocol` `tcp`/`udp`, `family` `ipv4`/`ipv6`), as
/// [`crate::collectors::listening::parse_proc_net`] would read them from /proc/net.
pub fn dump(protocol: &str, family: &str) -> Result<Vec<RawSocket>, SockDiagError> {
    let (ip_proto, state) = match protocol {
        "tcp" => (6u8, TCP_LISTEN),
        "udp" => (17u8, TCP_CLOSE),
        _ => return Err(SockDiagError::Malformed("unknown protocol")),
    };
    let af: u8 = match family {
        "ipv4" => 2,
        "ipv6" => 10,
        _ => return Err(SockDiagError::Malformed("unknown family")),
    };
    let fd = rustix::net::socket_with(
        AddressFamily::NETLINK,
        SocketType::DGRAM,
        SocketFlags::CLOEXEC,
        Some(SOCK_DIAG),
    )
    .map_err(std::io::Error::from)?;
    set_socket_timeout(&fd, Timeout::Recv, Some(RECV_TIMEOUT)).map_err(std::io::Error::from)?;
    rustix::net::sendto(
        &fd,
        &request(af, ip_proto, 1 << state),
        SendFlags::empty(),
        &SocketAddrNetlink::new(0, 0),
    )
    .map_err(std::io::Error::from)?;
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0usize;
    loop {
        let (len, full) = rustix::net::recv(&fd, &mut buf[..], RecvFlags::empty())
            .map_err(std::io::Error::from)?;
        if full > len {
            return Err(SockDiagError::Malformed("an answer larger than the buffer"));
        }
        total += len;
        if total > MAX_DUMP_BYTES {
            return Err(SockDiagError::Malformed(
                "more sockets than the agent reads",
            ));
        }
        if len == 0 {
            return Err(SockDiagError::Malformed(
                "the dump ended without NLMSG_DONE",
            ));
        }
        if parse_answer(&buf[..len], protocol, family, &mut out)? {
            return Ok(out);
        }
    }
}

/// `nlmsghdr` + `inet_diag_req_v2` asking for every socket of a family and protocol in the
/// states of `states` (a bit mask of TCP states).
fn request(af: u8, ip_proto: u8, states: u32) -> Vec<u8> {
    let len = HEADER_LEN + 8 + 48;
    let mut req = Vec::with_capacity(len);
    req.extend_from_slice(&(len as u32).to_ne_bytes());
    req.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    req.extend_from_slice(&DUMP_FLAGS.to_ne_bytes());
    req.extend_from_slice(&SEQ.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(&[af, ip_proto, 0, 0]);
    req.extend_from_slice(&states.to_ne_bytes());
    // `inet_diag_sockid`: all zero (no filter on addresses, ports, interface or cookie).
    req.resize(len, 0);
    req
}

/// Parses one datagram of the dump into `out`; `Ok(true)` at the end of the dump.
fn parse_answer(
    mut data: &[u8],
    protocol: &str,
    family: &str,
    out: &mut Vec<RawSocket>,
) -> Result<bool, SockDiagError> {
    while data.len() >= HEADER_LEN {
        let len = u32::from_ne_bytes(data[0..4].try_into().unwrap_or_default()) as usize;
        let kind = u16::from_ne_bytes(data[4..6].try_into().unwrap_or_default());
        let seq = u32::from_ne_bytes(data[8..12].try_into().unwrap_or_default());
        if len < HEADER_LEN || len > data.len() {
            return Err(SockDiagError::Malformed("a message cut short"));
        }
        if seq != SEQ {
            return Err(SockDiagError::Malformed("an answer to another request"));
        }
        let body = &data[HEADER_LEN..len];
        match kind {
            NLMSG_DONE => return Ok(true),
            NLMSG_ERROR => {
                let code = body
                    .get(0..4)
                    .map_or(0, |b| i32::from_ne_bytes(b.try_into().unwrap_or_default()));
                return Err(SockDiagError::Kernel(code));
            }
            SOCK_DIAG_BY_FAMILY => {
                let msg = body
                    .get(..MSG_LEN)
                    .ok_or(SockDiagError::Malformed("a socket message cut short"))?;
                if let Some(raw) = socket_of(msg, protocol, family) {
                    out.push(raw);
                }
            }
            _ => {}
        }
        // Messages are aligned on 4 bytes.
        let next = (len + 3) & !3;
        data = data.get(next..).unwrap_or_default();
    }
    Ok(false)
}

/// One `inet_diag_msg`: local address and port from `id`, and the inode.
fn socket_of(msg: &[u8], protocol: &str, family: &str) -> Option<RawSocket> {
    // idiag_family, state, timer, retrans; then inet_diag_sockid: sport (big-endian), dport,
    // src[16], dst[16], if, cookie[2]; then expires, rqueue, wqueue, uid, inode.
    let port = u16::from_be_bytes(msg.get(4..6)?.try_into().ok()?);
    let address = match family {
        "ipv4" => msg.get(8..12)?,
        _ => msg.get(8..24)?,
    };
    let inode = u32::from_ne_bytes(msg.get(68..72)?.try_into().ok()?);
    raw_socket(address, port, u64::from(inode), protocol, family)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One `inet_diag_msg` answer as the kernel lays it out.
    fn message(af: u8, addr: &[u8], port: u16, inode: u32) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&((HEADER_LEN + MSG_LEN) as u32).to_ne_bytes());
        m.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
        m.extend_from_slice(&2u16.to_ne_bytes());
        m.extend_from_slice(&SEQ.to_ne_bytes());
        m.extend_from_slice(&0u32.to_ne_bytes());
        m.extend_from_slice(&[af, 10, 0, 0]);
        m.extend_from_slice(&port.to_be_bytes());
        m.extend_from_slice(&[0, 0]);
        let mut src = [0u8; 16];
        src[..addr.len()].copy_from_slice(addr);
        m.extend_from_slice(&src);
        m.extend_from_slice(&[0u8; 16 + 4 + 8 + 16]);
        m.extend_from_slice(&inode.to_ne_bytes());
        m
    }

    fn done() -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&20u32.to_ne_bytes());
        m.extend_from_slice(&NLMSG_DONE.to_ne_bytes());
        m.extend_from_slice(&2u16.to_ne_bytes());
        m.extend_from_slice(&SEQ.to_ne_bytes());
        m.extend_from_slice(&[0u8; 8]);
        m
    }

    #[test]
    fn decodes_like_proc_net() {
        let mut data = message(2, &[127, 0, 0, 1], 22, 14205);
        data.extend(message(10, &[0; 16], 80, 7));
        data.extend(done());
        let mut out = Vec::new();
        assert!(parse_answer(&data, "tcp", "ipv4", &mut out).unwrap());
        assert_eq!(out[0].socket.address, "127.0.0.1");
        assert_eq!(out[0].socket.port, 22);
        assert_eq!(out[0].inode, 14205);
    }

    #[test]
    fn v4_mapped_is_ipv4() {
        let mut mapped = [0u8; 16];
        mapped[10] = 0xff;
        mapped[11] = 0xff;
        mapped[12..].copy_from_slice(&[10, 202, 250, 2]);
        let data = message(10, &mapped, 53, 9);
        let mut out = Vec::new();
        assert!(!parse_answer(&data, "udp", "ipv6", &mut out).unwrap());
        assert_eq!(
            (
                out[0].socket.family.as_str(),
                out[0].socket.address.as_str()
            ),
            ("ipv4", "10.202.250.2")
        );
    }

    #[test]
    fn hostile_answers_are_errors_never_panics() {
        let whole = message(2, &[127, 0, 0, 1], 22, 1);
        for cut in 0..whole.len() {
            let mut out = Vec::new();
            let _ = parse_answer(&whole[..cut], "tcp", "ipv4", &mut out);
        }
        let mut long = whole.clone();
        long[0..4].copy_from_slice(&1000u32.to_ne_bytes());
        assert!(parse_answer(&long, "tcp", "ipv4", &mut Vec::new()).is_err());
        let mut other = whole.clone();
        other[8..12].copy_from_slice(&1u32.to_ne_bytes());
        assert!(parse_answer(&other, "tcp", "ipv4", &mut Vec::new()).is_err());
        let mut error = done();
        error[4..6].copy_from_slice(&NLMSG_ERROR.to_ne_bytes());
        error[16..20].copy_from_slice(&(-2i32).to_ne_bytes());
        assert!(matches!(
            parse_answer(&error, "tcp", "ipv4", &mut Vec::new()),
            Err(SockDiagError::Kernel(-2))
        ));
        // A zero port (an unbound UDP socket) is skipped, as in /proc/net.
        let mut out = Vec::new();
        parse_answer(&message(2, &[0; 4], 0, 1), "udp", "ipv4", &mut out).unwrap();
        assert!(out.is_empty());
    }
}
