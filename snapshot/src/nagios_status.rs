//! The one reader of a Nagios (3/4) `status.dat` → [`Supervision`], `std` only: the agent
//! (collector `nagios`, over SSH) and the CLI (`constat import nagios`, through
//! `constat_systems::supervision`) share it. A pure function of bytes, bounded in size;
//! states are normalised to words (`up`/`down`, `ok`/`warning`/`critical`/`unknown`,
//! `pending` when never checked); plugin output is scrubbed of secret-looking values and cut.

use crate::secrets;
use crate::supervision::{MonitoredHost, MonitoredService, Supervision};
use crate::time::rfc3339_utc;
use std::fmt;

/// Largest supervision input accepted (a `status.dat` of a few hundred hosts is well under
/// this).
pub const MAX_SUPERVISION_BYTES: usize = 32 * 1024 * 1024;

/// Characters of a plugin output kept (the rest is replaced by `…`).
pub const MAX_OUTPUT_CHARS: usize = 1024;

/// Why a `status.dat` could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NagiosStatusError {
    /// Bigger than [`MAX_SUPERVISION_BYTES`].
    TooLarge {
        /// File.
        source_name: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Malformed input, located.
    Malformed {
        /// File.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong and how to fix it.
        what: String,
    },
}

impl fmt::Display for NagiosStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NagiosStatusError::TooLarge {
                source_name,
                size,
                limit,
            } => write!(
                f,
                "{source_name}: {size} bytes, over the {limit}-byte limit of a supervision answer: pass the status file or API answer itself"
            ),
            NagiosStatusError::Malformed {
                source_name,
                line,
                col,
                what,
            } => write!(f, "{source_name}:{line}:{col}: {what}"),
        }
    }
}

impl std::error::Error for NagiosStatusError {}

/// Host state word of a Nagios/Icinga2 state code.
pub fn host_state(code: i64, checked: bool) -> &'static str {
    match (checked, code) {
        (false, _) => "pending",
        (true, 0) => "up",
        (true, 1) => "down",
        (true, 2) => "unreachable",
        _ => "unknown",
    }
}

/// Service state word of a Nagios/Icinga2 state code.
pub fn service_state(code: i64, checked: bool) -> &'static str {
    match (checked, code) {
        (false, _) => "pending",
        (true, 0) => "ok",
        (true, 1) => "warning",
        (true, 2) => "critical",
        _ => "unknown",
    }
}

/// Hosts by name, services by host then name.
pub fn sorted(mut s: Supervision) -> Supervision {
    s.hosts.sort_by(|a, b| a.name.cmp(&b.name));
    s.services
        .sort_by(|a, b| (&a.host, &a.name).cmp(&(&b.host, &b.name)));
    s
}

/// A plugin output as kept: scrubbed, cut to [`MAX_OUTPUT_CHARS`].
pub fn kept_output(text: &str) -> String {
    let (scrubbed, _) = secrets::scrub(text);
    if scrubbed.chars().count() > MAX_OUTPUT_CHARS {
        scrubbed
            .chars()
            .take(MAX_OUTPUT_CHARS)
            .chain(std::iter::once('…'))
            .collect()
    } else {
        scrubbed
    }
}

type OpenBlock = (String, usize, Vec<(String, String)>);

/// Parses a Nagios (3/4) `status.dat`: `hoststatus` and `servicestatus` blocks of
/// `key=value` lines. Lossy UTF-8 (plugin output may be in any encoding). Each service keeps
/// the last time it was seen in a problem state (`last_time_warning`, `last_time_critical`,
/// `last_time_unknown`, or its last check when in a problem now: the latest) and since when it is in its current state
/// (`last_state_change`), so that an alert raised then resolved can be told
/// (`last_problems_read`).
///
/// # Errors
/// Larger than [`MAX_SUPERVISION_BYTES`], or not a status file (located: line and column).
pub fn parse_nagios_status(
    bytes: &[u8],
    source_name: &str,
) -> Result<Supervision, NagiosStatusError> {
    if bytes.len() > MAX_SUPERVISION_BYTES {
        return Err(NagiosStatusError::TooLarge {
            source_name: source_name.to_owned(),
            size: bytes.len(),
            limit: MAX_SUPERVISION_BYTES,
        });
    }
    let text = String::from_utf8_lossy(bytes);
    let mut out = Supervision {
        product: "nagios".to_owned(),
        last_problems_read: true,
        ..Supervision::default()
    };
    // The open block: its name, its line, its `key=value` pairs.
    let mut block: Option<OpenBlock> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let malformed = |what: String| NagiosStatusError::Malformed {
            source_name: source_name.to_owned(),
            line: i + 1,
            col: raw.len() - raw.trim_start().len() + 1,
            what,
        };
        if let Some(at) = raw.find(|c: char| c.is_control() && c != '\t') {
            return Err(NagiosStatusError::Malformed {
                source_name: source_name.to_owned(),
                line: i + 1,
                col: raw[..at].chars().count() + 1,
                what: "binary content (a control character): this is not a status.dat, pass the file Nagios writes".to_owned(),
            });
        }
        if let Some(name) = line.strip_suffix('{') {
            if let Some((open, at, _)) = &block {
                return Err(malformed(format!(
                    "block « {} » opens inside « {} » (line {at}) that was never closed: pass the whole status.dat",
                    cut(name.trim()),
                    cut(open)
                )));
            }
            block = Some((name.trim().to_owned(), i + 1, Vec::new()));
        } else if line == "}" {
            let Some((name, _, fields)) = block.take() else {
                return Err(malformed(
                    "« } » closes no block: pass the whole status.dat".to_owned(),
                ));
            };
            push_block(&mut out, &name, &fields);
        } else if let Some((_, _, fields)) = &mut block {
            let Some((k, v)) = line.split_once('=') else {
                return Err(malformed(format!(
                    "« {} » is not a key=value line: pass the status.dat as Nagios wrote it",
                    cut(line)
                )));
            };
            fields.push((k.to_owned(), v.to_owned()));
        } else {
            return Err(malformed(format!(
                "« {} » outside any block: pass the status.dat as Nagios wrote it",
                cut(line)
            )));
        }
    }
    if let Some((name, at, _)) = block {
        return Err(NagiosStatusError::Malformed {
            source_name: source_name.to_owned(),
            line: at,
            col: 1,
            what: format!(
                "block « {} » is never closed (file cut?): pass the whole status.dat",
                cut(&name)
            ),
        });
    }
    Ok(sorted(out))
}

/// A line quoted in an error: at most 80 characters.
fn cut(line: &str) -> String {
    if line.chars().count() > 80 {
        line.chars().take(80).chain(std::iter::once('…')).collect()
    } else {
        line.to_owned()
    }
}

/// Adds one closed block (`hoststatus` or `servicestatus`; others are ignored).
fn push_block(out: &mut Supervision, name: &str, fields: &[(String, String)]) {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let num = |k: &str| get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(-1);
    let text = |k: &str| get(k).filter(|v| !v.is_empty()).map(str::to_owned);
    // A time field: Unix seconds, 0 (or absent) when never.
    let time = |k: &str| Some(num(k)).filter(|t| *t > 0);
    let checked = num("has_been_checked") == 1;
    match name {
        "hoststatus" => out.hosts.push(MonitoredHost {
            name: text("host_name").unwrap_or_default(),
            address: None,
            state: host_state(num("current_state"), checked).to_owned(),
            output: text("plugin_output")
                .filter(|_| checked)
                .map(|o| kept_output(&o)),
            in_downtime: num("scheduled_downtime_depth") > 0,
        }),
        "servicestatus" => {
            let last_problem = [
                ("warning", "last_time_warning"),
                ("critical", "last_time_critical"),
                ("unknown", "last_time_unknown"),
            ]
            .into_iter()
            .filter_map(|(word, key)| Some((time(key)?, word)))
            // In a problem now: Nagios updates `last_time_<state>` only from the next check.
            .chain(
                Some(service_state(num("current_state"), checked))
                    .filter(|s| matches!(*s, "warning" | "critical" | "unknown"))
                    .and_then(|s| Some((time("last_check")?, s))),
            )
            .max();
            out.services.push(MonitoredService {
                host: text("host_name").unwrap_or_default(),
                name: text("service_description").unwrap_or_default(),
                state: service_state(num("current_state"), checked).to_owned(),
                check_command: text("check_command")
                    .map(|c| c.split('!').next().unwrap_or_default().to_owned()),
                output: text("plugin_output")
                    .filter(|_| checked)
                    .map(|o| kept_output(&o)),
                acknowledged: num("problem_has_been_acknowledged") == 1,
                in_downtime: num("scheduled_downtime_depth") > 0,
                last_problem_state: last_problem.map(|(_, word)| word.to_owned()),
                last_problem_at: last_problem.map(|(t, _)| rfc3339_utc(t)),
                state_since: time("last_state_change")
                    .filter(|_| checked)
                    .map(rfc3339_utc),
            });
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str = "servicestatus {\n\thost_name=srv\n\tservice_description=backup\n\tcheck_command=check_flag!/srv/flag\n\thas_been_checked=1\n\tcurrent_state=0\n\tlast_state_change=1796185400\n\tlast_time_ok=1796185460\n\tlast_time_warning=0\n\tlast_time_critical=1796185390\n\tlast_time_unknown=0\n\tplugin_output=OK password=hunter2\n\t}\n";

    /// A service back to OK keeps its last problem and since when it is OK; its output is
    /// scrubbed.
    #[test]
    fn last_problem_and_state_since() {
        let s = parse_nagios_status(SERVICE.as_bytes(), "status.dat").unwrap();
        let service = &s.services[0];
        assert_eq!(service.state, "ok");
        assert_eq!(service.check_command.as_deref(), Some("check_flag"));
        assert_eq!(service.last_problem_state.as_deref(), Some("critical"));
        assert_eq!(
            service.last_problem_at.as_deref(),
            Some("2026-12-02T04:23:10Z")
        );
        assert_eq!(service.state_since.as_deref(), Some("2026-12-02T04:23:20Z"));
        assert_eq!(service.output.as_deref(), Some("OK password=***"));
        assert!(s.last_problems_read);
    }

    #[test]
    fn too_large_and_long_outputs_are_bounded() {
        let big = vec![b' '; MAX_SUPERVISION_BYTES + 1];
        let e = parse_nagios_status(&big, "status.dat").unwrap_err();
        assert!(
            e.to_string().contains("over the 33554432-byte limit"),
            "{e}"
        );
        let long = SERVICE.replace("OK password=hunter2", &"x".repeat(5000));
        let s = parse_nagios_status(long.as_bytes(), "status.dat").unwrap();
        let output = s.services[0].output.as_deref().unwrap();
        assert_eq!(output.chars().count(), MAX_OUTPUT_CHARS + 1);
        let e = parse_nagios_status(&[b'x'; 4000], "status.dat").unwrap_err();
        assert!(e.to_string().len() < 300, "{e}");
    }
}
