//! The loopback server of the replay tests (`glpi_replay.rs`, `proxmox_replay.rs`): it reads
//! each request (request line, headers, body), lets the test record it and answer with a
//! recorded body, one connection at a time (`Connection: close`).

use std::collections::BTreeMap;
use std::io::BufRead;
use std::net::{TcpListener, TcpStream};

/// A recorded answer of `systems/testdata/` (its source in `SOURCES.md` there).
pub(crate) fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../systems/testdata")
            .join(name),
    )
    .unwrap()
}

/// One request as received.
pub(crate) struct Request {
    /// `GET`, `POST`…
    pub(crate) method: String,
    /// The path with its query, as sent.
    pub(crate) target: String,
    /// The headers, names in lower case.
    pub(crate) headers: BTreeMap<String, String>,
}

impl Request {
    /// The value of the header `name` (lower case).
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).cloned()
    }
}

/// Reads one request from `reader`, its body (`Content-Length` bytes) read and dropped;
/// `None` when the peer closed before sending a request line.
pub(crate) fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    Some(Request {
        method,
        target,
        headers,
    })
}

/// A response head: `status`, `content_type`, `Connection: close`, the `Content-Length` when
/// given and the `extra` header line (without its CRLF).
pub(crate) fn head(
    status: u16,
    content_type: &str,
    length: Option<u64>,
    extra: Option<&str>,
) -> String {
    let mut head =
        format!("HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nConnection: close\r\n");
    if let Some(length) = length {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    if let Some(extra) = extra {
        head.push_str(extra);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    head
}

/// Accepts connections on a free loopback port until the test ends, each given to `serve`
/// (on a thread of its own when `threaded`, so that a silent answer holds only its own
/// connection); the port.
pub(crate) fn listen(threaded: bool, serve: impl Fn(TcpStream) + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let serve = std::sync::Arc::new(serve);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            if threaded {
                let serve = std::sync::Arc::clone(&serve);
                std::thread::spawn(move || serve(stream));
            } else {
                serve(stream);
            }
        }
    });
    port
}
