//! Supervision servers → [`Supervision`]: Nagios `status.dat` (an exported copy; the agent
//! reads it over SSH with the same reader, `constat_snapshot::nagios_status`) and Icinga2 REST
//! API answers (`/v1/objects/hosts`,
//! `/v1/objects/services`, `/v1/objects/downtimes`). Pure functions of bytes, bounded in size; states are normalised
//! to words (`up`/`down`, `ok`/`warning`/`critical`/`unknown`, `pending` when never checked).

use constat_snapshot::supervision::{Downtime, MonitoredHost, MonitoredService, Supervision};
use constat_snapshot::time::rfc3339_utc;
use constat_snapshot::{HostIdentity, OsInfo, SCHEMA_VERSION, Section, Sections, Snapshot};
use serde_json::Value;

pub use constat_snapshot::nagios_status::MAX_SUPERVISION_BYTES;
use constat_snapshot::nagios_status::{NagiosStatusError, host_state, service_state, sorted};

/// Why a supervision answer could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SupervisionError {
    /// Bigger than [`MAX_SUPERVISION_BYTES`].
    #[error(
        "{source_name}: {size} bytes, over the {limit}-byte limit of a supervision answer: pass the status file or API answer itself"
    )]
    TooLarge {
        /// File or URL.
        source_name: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Malformed input, located.
    #[error("{source_name}:{line}:{col}: {what}")]
    Malformed {
        /// File or URL.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong and how to fix it.
        what: String,
    },
}

impl From<NagiosStatusError> for SupervisionError {
    fn from(e: NagiosStatusError) -> SupervisionError {
        match e {
            NagiosStatusError::TooLarge {
                source_name,
                size,
                limit,
            } => SupervisionError::TooLarge {
                source_name,
                size,
                limit,
            },
            NagiosStatusError::Malformed {
                source_name,
                line,
                col,
                what,
            } => SupervisionError::Malformed {
                source_name,
                line,
                col,
                what,
            },
        }
    }
}

fn bounded<'a>(bytes: &'a [u8], source_name: &str) -> Result<&'a [u8], SupervisionError> {
    if bytes.len() > MAX_SUPERVISION_BYTES {
        return Err(SupervisionError::TooLarge {
            source_name: source_name.to_owned(),
            size: bytes.len(),
            limit: MAX_SUPERVISION_BYTES,
        });
    }
    Ok(bytes)
}

/// Parses a Nagios (3/4) `status.dat` with the one reader the agent shares
/// ([`constat_snapshot::nagios_status::parse_nagios_status`]).
pub fn parse_nagios_status(
    bytes: &[u8],
    source_name: &str,
) -> Result<Supervision, SupervisionError> {
    Ok(constat_snapshot::nagios_status::parse_nagios_status(
        bytes,
        source_name,
    )?)
}

fn json(bytes: &[u8], source_name: &str) -> Result<Vec<Value>, SupervisionError> {
    let value: Value = serde_json::from_slice(bounded(bytes, source_name)?).map_err(|e| {
        SupervisionError::Malformed {
            source_name: source_name.to_owned(),
            line: e.line().max(1),
            col: e.column().max(1),
            what: format!("not an Icinga2 API answer ({e})"),
        }
    })?;
    match value.get("results").and_then(Value::as_array) {
        Some(r) => Ok(r.clone()),
        None => Err(SupervisionError::Malformed {
            source_name: source_name.to_owned(),
            line: 1,
            col: 1,
            what:
                "no « results » array: pass the answer of /v1/objects/hosts or /v1/objects/services"
                    .to_owned(),
        }),
    }
}

fn attr_str(attrs: &Value, k: &str) -> Option<String> {
    attrs
        .get(k)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The service attributes that tell an alert raised then resolved (Icinga2's `Service`
/// runtime state: when the check was last in each problem state, 0 for never, and since when
/// it is in its current state).
pub const ICINGA2_LAST_PROBLEM_ATTRS: [&str; 4] = [
    "last_state_warning",
    "last_state_critical",
    "last_state_unknown",
    "last_state_change",
];

/// Parses Icinga2 `/v1/objects/hosts` and `/v1/objects/services` answers (either may be
/// empty bytes when not fetched). A host or service without `last_check` (or with
/// `last_check` ≤ 0) is `pending`. Each service keeps the last time it was in a problem state
/// (the latest of `last_state_warning`, `last_state_critical`, `last_state_unknown`) and
/// since when it is in its current state (`last_state_change`, once checked);
/// `last_problems_read` is set only when every service carries the four attributes
/// ([`ICINGA2_LAST_PROBLEM_ATTRS`]) as numbers: an answer without them (asked with another
/// `attrs` filter, or from an Icinga2 that lacks them) leaves `resolved` not assessable,
/// never failed.
pub fn parse_icinga2(
    hosts: &[u8],
    services: &[u8],
    source_name: &str,
) -> Result<Supervision, SupervisionError> {
    let mut out = Supervision {
        product: "icinga2".to_owned(),
        ..Supervision::default()
    };
    let checked = |a: &Value| {
        a.get("last_check")
            .and_then(Value::as_f64)
            .is_some_and(|t| t > 0.0)
    };
    let code = |a: &Value| {
        a.get("state")
            .and_then(Value::as_f64)
            .map_or(-1, |s| s as i64)
    };
    let downtime = |a: &Value| {
        a.get("downtime_depth")
            .and_then(Value::as_f64)
            .is_some_and(|d| d > 0.0)
    };
    if !hosts.is_empty() {
        for r in json(hosts, &format!("{source_name} (hosts)"))? {
            let a = &r["attrs"];
            out.hosts.push(MonitoredHost {
                name: attr_str(a, "name")
                    .or_else(|| r.get("name").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or_default(),
                address: attr_str(a, "address"),
                state: host_state(code(a), checked(a)).to_owned(),
                output: a
                    .pointer("/last_check_result/output")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                in_downtime: downtime(a),
            });
        }
    }
    if !services.is_empty() {
        let results = json(services, &format!("{source_name} (services)"))?;
        out.last_problems_read = results.iter().all(|r| {
            ICINGA2_LAST_PROBLEM_ATTRS
                .iter()
                .all(|k| r["attrs"].get(k).is_some_and(Value::is_number))
        });
        for r in results {
            let a = &r["attrs"];
            let time = |k: &str| {
                a.get(k)
                    .and_then(Value::as_f64)
                    .filter(|t| t.is_finite() && *t > 0.0)
                    .map(|t| t.floor() as i64)
            };
            let last_problem = [
                ("warning", "last_state_warning"),
                ("critical", "last_state_critical"),
                ("unknown", "last_state_unknown"),
            ]
            .into_iter()
            .filter_map(|(word, key)| Some((time(key)?, word)))
            .max();
            let was_checked =
                checked(a) || a.get("last_check_result").is_some_and(Value::is_object);
            // Full object names are `host!service`.
            let full = r.get("name").and_then(Value::as_str).unwrap_or_default();
            let (host, name) = full.split_once('!').unwrap_or(("", full));
            out.services.push(MonitoredService {
                host: attr_str(a, "host_name").unwrap_or_else(|| host.to_owned()),
                name: attr_str(a, "name").unwrap_or_else(|| name.to_owned()),
                state: service_state(code(a), was_checked).to_owned(),
                check_command: attr_str(a, "check_command"),
                output: a
                    .pointer("/last_check_result/output")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                acknowledged: a
                    .get("acknowledgement")
                    .and_then(Value::as_f64)
                    .is_some_and(|v| v > 0.0),
                in_downtime: downtime(a),
                last_problem_state: last_problem.map(|(_, word)| word.to_owned()),
                last_problem_at: last_problem.map(|(t, _)| rfc3339_utc(t)),
                state_since: time("last_state_change")
                    .filter(|_| was_checked)
                    .map(rfc3339_utc),
            });
        }
    }
    Ok(sorted(out))
}

/// Reads Icinga2 `/v1/objects/downtimes` into `out.downtimes` (and sets `downtimes_read`).
pub fn parse_icinga2_downtimes(
    out: &mut Supervision,
    downtimes: &[u8],
    source_name: &str,
) -> Result<(), SupervisionError> {
    let time = |a: &Value, k: &str| {
        a.get(k)
            .and_then(Value::as_f64)
            .filter(|t| t.is_finite() && *t >= 0.0)
            .map_or_else(String::new, |t| rfc3339_utc(t as i64))
    };
    let cut = |s: String| -> String {
        if s.chars().count() > 200 {
            s.chars().take(200).chain(std::iter::once('…')).collect()
        } else {
            s
        }
    };
    let mut list = Vec::new();
    for r in json(downtimes, &format!("{source_name} (downtimes)"))? {
        let a = &r["attrs"];
        list.push(Downtime {
            host: attr_str(a, "host_name").unwrap_or_default(),
            service: attr_str(a, "service_name").filter(|s| !s.is_empty()),
            author: cut(attr_str(a, "author").unwrap_or_default()),
            comment: cut(attr_str(a, "comment").unwrap_or_default()),
            start: time(a, "start_time"),
            end: time(a, "end_time"),
            fixed: a.get("fixed").and_then(Value::as_bool).unwrap_or(false),
        });
    }
    list.sort_by(|x, y| (&x.host, &x.service, &x.start).cmp(&(&y.host, &y.service, &y.start)));
    out.downtimes = list;
    out.downtimes_read = true;
    Ok(())
}

/// A snapshot of the supervision server `hostname`, read from `source_name` at `started_at`
/// (RFC 3339, the caller's clock).
pub fn supervision_snapshot(
    supervision: Supervision,
    hostname: &str,
    source_name: &str,
    started_at: &str,
) -> Snapshot {
    Snapshot {
        schema_version: SCHEMA_VERSION,
        host: HostIdentity {
            hostname: hostname.to_owned(),
            os: OsInfo::default(),
            ..HostIdentity::default()
        },
        collection: crate::collection::read_at(started_at, Some(source_name)),
        sections: Sections {
            supervision: Section::collected(supervision),
            ..Sections::default()
        },
    }
}

#[cfg(test)]
mod tests {
    //! Real outputs recorded on this machine from the Debian packages (Nagios 4.4.6, Icinga2
    //! 2.13.6, API on loopback), copied in `testdata/` (see `testdata/SOURCES.md`).
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn nagios_status_dat() {
        insta::assert_json_snapshot!(
            parse_nagios_status(&sample("recorded_nagios-4.4__status.dat"), "status.dat").unwrap()
        );
    }

    #[test]
    fn icinga2_hosts_and_service_problems() {
        insta::assert_json_snapshot!(
            parse_icinga2(
                &sample("recorded_icinga2-2.13__objects_hosts.json"),
                &sample("recorded_icinga2-2.13__objects_services_problems.json"),
                "https://127.0.0.1:5665"
            )
            .unwrap()
        );
    }

    /// The documented shape of `/v1/objects/downtimes` (Icinga2 2.13 docs); the real answer
    /// is read in `tests/tests/supervision_icinga2.rs`.
    #[test]
    fn icinga2_downtimes_sorted_with_their_times() {
        let mut s = Supervision::default();
        let answer = br#"{"results":[
          {"attrs":{"host_name":"srv-debian-01","service_name":"backup-flag","author":"examiner","comment":"maintenance","start_time":1795455000.5,"end_time":1795458600.0,"fixed":true},"name":"srv-debian-01!backup-flag!1","type":"Downtime"},
          {"attrs":{"host_name":"srv-debian-01","service_name":"","author":"admin","comment":"","start_time":1795450000,"end_time":1795453600,"fixed":false},"name":"srv-debian-01!2","type":"Downtime"}]}"#;
        parse_icinga2_downtimes(&mut s, answer, "icinga").unwrap();
        insta::assert_json_snapshot!(s);
        assert!(parse_icinga2_downtimes(&mut s, b"{}", "icinga").is_err());
    }

    /// The shape of `/v1/objects/services` with the `last_state_*` attributes as the transport
    /// asks them (Icinga2 2.13 writes never as `0`; the live answer is read in
    /// `tests/tests/supervision_icinga2.rs`): the latest problem time and `state_since` kept;
    /// one service without them, and `last_problems_read` is false (`resolved` then not
    /// assessable, never failed).
    #[test]
    fn icinga2_last_problem_and_state_since() {
        let answer = br#"{"results":[
          {"attrs":{"host_name":"srv-debian-01","name":"backup-flag","state":0,"last_check":1796290262.5,"check_command":"check_flag","last_check_result":{"output":"OK: backup flag present"},"last_state_warning":1796290100.0,"last_state_critical":1796290261.7,"last_state_unknown":0,"last_state_change":1796290262.5},"name":"srv-debian-01!backup-flag","type":"Service"},
          {"attrs":{"host_name":"srv-debian-01","name":"ssh","state":0,"last_check":1796290262.0,"check_command":"ssh","last_check_result":{"output":"SSH OK"},"last_state_warning":0,"last_state_critical":0,"last_state_unknown":0,"last_state_change":1796290200.0},"name":"srv-debian-01!ssh","type":"Service"}]}"#;
        let s = parse_icinga2(b"", answer, "icinga").unwrap();
        assert!(s.last_problems_read);
        let seen: Vec<_> = s
            .services
            .iter()
            .map(|x| {
                (
                    x.name.as_str(),
                    x.last_problem_state.as_deref(),
                    x.last_problem_at.as_deref(),
                    x.state_since.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "backup-flag",
                    Some("critical"),
                    Some("2026-12-03T09:31:01Z"),
                    Some("2026-12-03T09:31:02Z")
                ),
                ("ssh", None, None, Some("2026-12-03T09:30:00Z")),
            ]
        );
        let older = String::from_utf8_lossy(answer).replace(
            r#","last_state_unknown":0,"last_state_change":1796290200.0"#,
            "",
        );
        let s = parse_icinga2(b"", older.as_bytes(), "icinga").unwrap();
        assert!(!s.last_problems_read);
    }

    #[test]
    fn bad_inputs_are_located_errors() {
        let errors = [
            parse_nagios_status(b"hoststatus {\n\thost_name=a\n", "s.dat"),
            parse_nagios_status(b"hoststatus {\n\tjunk\n}\n", "s.dat"),
            parse_nagios_status(b"}\n", "s.dat"),
            parse_icinga2(b"{\"results\": [", b"", "icinga"),
            parse_icinga2(b"", b"{\"error\": 401}", "icinga"),
        ]
        .into_iter()
        .map(|r| r.unwrap_err().to_string())
        .collect::<Vec<_>>();
        insta::assert_snapshot!(errors.join("\n"));
    }
}
