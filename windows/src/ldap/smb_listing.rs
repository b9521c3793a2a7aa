//! What every bounded smbclient exchange shares: the recursive listing parser, the check
//! that a host-supplied name may go on smbclient's command line, its display with control
//! characters made visible, and a run whose output is read up to a limit.

use std::os::unix::process::ExitStatusExt;
use tokio::io::AsyncReadExt;

/// One entry of an smbclient listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    /// Path inside the share (or below the listed folder), `\`-separated, without a
    /// leading `\`.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// A directory.
    pub directory: bool,
}

/// Parses `recurse ON; ls` output: `\dir` headers, then `  name  A  123  Mon Dec  1 …`
/// lines (name padded to 30, attributes, size, a 5-word date). Other lines are ignored.
pub fn parse_listing(text: &str) -> Vec<ListedFile> {
    let mut out = Vec::new();
    let mut dir = String::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix('\\') {
            dir = header.trim_end().to_owned();
            continue;
        }
        let Some(body) = line.strip_prefix("  ") else {
            continue;
        };
        let words: Vec<&str> = body.split_whitespace().collect();
        if words.len() < 8 {
            continue;
        }
        let n = words.len();
        let Ok(size) = words[n - 6].parse::<u64>() else {
            continue;
        };
        let attributes = words[n - 7];
        if !attributes.chars().all(|c| c.is_ascii_uppercase()) {
            continue;
        }
        // The name is what precedes the attributes, as printed (inner spaces kept).
        let Some(end) = find_field(body, n - 7) else {
            continue;
        };
        let name = body[..end].trim_end();
        if name.is_empty() || name == "." || name == ".." {
            continue;
        }
        let path = if dir.is_empty() {
            name.to_owned()
        } else {
            format!("{dir}\\{name}")
        };
        out.push(ListedFile {
            path,
            size,
            directory: attributes.contains('D'),
        });
    }
    out
}

/// Byte offset where whitespace-separated field `index` starts.
fn find_field(text: &str, index: usize) -> Option<usize> {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            if count == index {
                return Some(i);
            }
            count += 1;
            in_word = true;
        }
    }
    None
}

/// Whether a path may be written inside smbclient's `-c "…"` commands.
pub(crate) fn safe_name(path: &str) -> bool {
    !path
        .chars()
        .any(|c| c.is_control() || matches!(c, '"' | ';' | '\u{7f}'))
}

/// Control characters shown as `\xNN` (a listed name is host text).
pub(crate) fn shown(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\x{:02x}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A finished bounded run: stdout (at most the limit plus one byte), stdout and stderr as
/// text, and whether smbclient exited successfully without being cut.
pub(crate) struct BoundedRun {
    pub(crate) stdout: Vec<u8>,
    pub(crate) text: String,
    pub(crate) ok: bool,
    /// The signal that ended smbclient (`SIGXFSZ` when a copy reached the file-size limit).
    pub(crate) signal: Option<i32>,
}

/// Runs smbclient, reading at most `max_stdout` bytes of its output (then it is killed)
/// and 64 KiB of its errors.
pub(crate) async fn run_bounded(
    mut command: tokio::process::Command,
    max_stdout: usize,
) -> Result<BoundedRun, String> {
    command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(
                "smbclient or prlimit is not installed: install the Debian packages smbclient \
                 and util-linux"
                    .to_owned(),
            );
        }
        Err(e) => return Err(format!("cannot run smbclient: {e}")),
    };
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let out_pipe = child.stdout.take();
    let err_pipe = child.stderr.take();
    let limit = u64::try_from(max_stdout).unwrap_or(u64::MAX) + 1;
    let read_out = async {
        if let Some(pipe) = out_pipe {
            let _ = pipe.take(limit).read_to_end(&mut stdout).await;
        }
    };
    let read_err = async {
        if let Some(pipe) = err_pipe {
            let _ = pipe.take(64 * 1024).read_to_end(&mut stderr).await;
        }
    };
    tokio::join!(read_out, read_err);
    let too_large = stdout.len() > max_stdout;
    if too_large {
        let _ = child.start_kill();
    }
    let status = child.wait().await.map_err(|e| format!("smbclient: {e}"))?;
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    Ok(BoundedRun {
        stdout,
        text,
        ok: status.success() && !too_large,
        signal: status.signal(),
    })
}
