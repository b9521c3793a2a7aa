//! `constat-agent`: prints one JSON snapshot of this host.
//!
//! ```text
//! constat-agent collect [--root DIR] [--request FILE|-] [--out FILE] [--pretty] [--only NAME,...]
//! ```
//!
//! Exit codes: 0 snapshot written (sections that could not be collected are recorded inside
//! it); 2 usage error; 3 the request could not be read or the output could not be written.

use constat_agent::{CollectOptions, LocalHost, collect};
use constat_snapshot::FileRequest;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const USAGE: &str = "usage: constat-agent collect [--root DIR] [--request FILE|-] [--out FILE] [--pretty] [--only NAME,...]
       constat-agent --version

Collects a read-only snapshot of this host (or of an offline root with --root) and prints it
as JSON. --request names a JSON file {\"paths\": [...], \"sections\": [...]} (- for stdin): files
to report on and, optionally, the only sections to collect (the others are recorded as
not_collected, \"not requested\"; absent = every section) and, in \"without\", parts not to
compute (\"packages.updates\": pending updates, then recorded as not_collected).
Exit codes: 0 written, 2 usage error, 3 request unreadable or output not writable.";

struct Args {
    root: Option<PathBuf>,
    request: Option<String>,
    out: Option<PathBuf>,
    pretty: bool,
    only: Vec<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    match args.next().as_deref() {
        Some("collect") => {}
        Some("--version") | Some("-V") => return Ok(None),
        Some("--help") | Some("-h") | None => return Err(String::new()),
        Some(other) => return Err(format!("unknown command '{other}'")),
    }
    let mut parsed = Args {
        root: None,
        request: None,
        out: None,
        pretty: false,
        only: Vec::new(),
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--root" => parsed.root = Some(PathBuf::from(value("--root")?)),
            "--request" => parsed.request = Some(value("--request")?),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--only" => parsed.only = value("--only")?.split(',').map(str::to_owned).collect(),
            "--pretty" => parsed.pretty = true,
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    Ok(Some(parsed))
}

fn read_request(source: &str) -> Result<FileRequest, String> {
    let text = if source == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read the request from stdin: {e}"))?;
        s
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| format!("cannot read the request file {source}: {e}"))?
    };
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{source}:{}:{}: invalid request: {e}; expected {{\"paths\": [\"/etc/ssh/sshd_config\", ...]}}",
            e.line(),
            e.column()
        )
    })
}

/// Writes next to the destination, then renames: a reader never sees half a snapshot.
fn write_atomically(path: &PathBuf, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("json.partial");
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("constat-agent {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("constat-agent: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let request = match args.request.as_deref().map(read_request).transpose() {
        Ok(r) => r.unwrap_or_default(),
        Err(msg) => {
            eprintln!("constat-agent: {msg}");
            return ExitCode::from(3);
        }
    };
    let host: Arc<dyn constat_agent::Host> = match &args.root {
        Some(root) if !root.is_dir() => {
            eprintln!("constat-agent: --root {}: not a directory", root.display());
            return ExitCode::from(2);
        }
        Some(root) => Arc::new(LocalHost::offline(root)),
        None => Arc::new(LocalHost::live()),
    };
    let snapshot = collect(
        host,
        &CollectOptions {
            request,
            only: args.only,
            // The agent alone on the host: every collector at once.
            workers: 0,
        },
    );
    let mut json = if args.pretty {
        serde_json::to_vec_pretty(&snapshot)
    } else {
        serde_json::to_vec(&snapshot)
    }
    .unwrap_or_default();
    json.push(b'\n');
    let written = match &args.out {
        Some(path) => write_atomically(path, &json)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => std::io::stdout()
            .write_all(&json)
            .map_err(|e| format!("cannot write to stdout: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("constat-agent: {msg}");
            ExitCode::from(3)
        }
    }
}
