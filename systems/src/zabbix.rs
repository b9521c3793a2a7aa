//! Zabbix JSON-RPC answers → [`Supervision`]: `host.get` (hosts and the availability of their
//! interfaces), `item.get` (items with their last values), `trigger.get` (one check per
//! trigger, with its host and item keys) and `problem.get` (problems open or recently
//! resolved). Pure functions of the answers' bytes, bounded in size. Every value in a Zabbix
//! answer is a string; a field of the wrong type is a located error, never a default.
//!
//! The requests the live transport sends (and that the recorded answers in `testdata/` come
//! from) are [`HOST_GET`], [`ITEM_GET`], [`TRIGGER_GET`] and [`PROBLEM_GET`]: all read-only.

use crate::supervision::{MAX_SUPERVISION_BYTES, SupervisionError};
use constat_snapshot::supervision::{
    MonitoredHost, MonitoredItem, MonitoredService, MonitoringProblem, Supervision,
};
use constat_snapshot::time::rfc3339_utc;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Largest number of objects asked for in one call (`limit`); an answer that reaches it is
/// refused rather than read partially.
pub const MAX_OBJECTS: u64 = 20_000;

/// Characters of a last value kept (a text item may hold a whole log line).
const MAX_VALUE_CHARS: usize = 1024;

/// `host.get` parameters: hosts (not templates), their status and interfaces.
pub fn host_get() -> Value {
    json!({
        "output": ["hostid", "host", "name", "status", "maintenance_status"],
        "selectInterfaces": ["type", "ip", "dns", "useip", "port", "available", "error"],
        "sortfield": "hostid",
        "limit": MAX_OBJECTS,
    })
}

/// `item.get` parameters: items of hosts (not of templates) with their last values.
pub fn item_get() -> Value {
    json!({
        "output": ["itemid", "hostid", "key_", "name", "status", "state", "error", "lastclock", "lastvalue"],
        "templated": false,
        "sortfield": "itemid",
        "limit": MAX_OBJECTS,
    })
}

/// `trigger.get` parameters: triggers of hosts, descriptions with macros expanded, their host
/// and item keys.
pub fn trigger_get() -> Value {
    json!({
        "output": ["triggerid", "description", "priority", "value", "state", "status", "error"],
        "expandDescription": true,
        "templated": false,
        "selectHosts": ["host"],
        "selectItems": ["itemid", "key_"],
        "sortfield": "triggerid",
        "limit": MAX_OBJECTS,
    })
}

/// `problem.get` parameters: problems open, and those resolved recently (Zabbix keeps a
/// resolved problem in this list for the frontend's « display OK triggers » time, 5 min by
/// default).
pub fn problem_get() -> Value {
    json!({
        "output": ["eventid", "objectid", "clock", "r_eventid", "r_clock", "name", "acknowledged", "severity", "suppressed"],
        "recent": true,
        "sortfield": ["eventid"],
        "sortorder": "DESC",
        "limit": MAX_OBJECTS,
    })
}

/// The method names and parameters the live transport sends, in order (documented as the
/// read-only set).
pub fn read_requests() -> [(&'static str, Value); 4] {
    [
        ("host.get", host_get()),
        ("item.get", item_get()),
        ("trigger.get", trigger_get()),
        ("problem.get", problem_get()),
    ]
}

/// The four answers of one reading, as the server sent them (whole JSON-RPC responses).
#[derive(Debug, Clone, Copy)]
pub struct ZabbixAnswers<'a> {
    /// `host.get`.
    pub hosts: &'a [u8],
    /// `item.get`.
    pub items: &'a [u8],
    /// `trigger.get`.
    pub triggers: &'a [u8],
    /// `problem.get`.
    pub problems: &'a [u8],
}

/// One answer's `result` array; a JSON-RPC `error` is reported with its code and data.
fn results(bytes: &[u8], source: &str) -> Result<Vec<Value>, SupervisionError> {
    if bytes.len() > MAX_SUPERVISION_BYTES {
        return Err(SupervisionError::TooLarge {
            source_name: source.to_owned(),
            size: bytes.len(),
            limit: MAX_SUPERVISION_BYTES,
        });
    }
    let malformed = |line: usize, col: usize, what: String| SupervisionError::Malformed {
        source_name: source.to_owned(),
        line,
        col,
        what,
    };
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        malformed(
            e.line().max(1),
            e.column().max(1),
            format!("not a Zabbix API answer ({e})"),
        )
    })?;
    if let Some(error) = value.get("error") {
        let text = |k: &str| match error.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        return Err(malformed(
            1,
            1,
            format!(
                "the server answered error {}: {} {}",
                text("code"),
                text("message"),
                text("data")
            ),
        ));
    }
    let Some(list) = value.get("result").and_then(Value::as_array) else {
        return Err(malformed(
            1,
            1,
            "no « result » array: pass the whole JSON-RPC answer of the method".to_owned(),
        ));
    };
    if list.len() as u64 >= MAX_OBJECTS {
        return Err(malformed(
            1,
            1,
            format!(
                "{} objects, the most one reading asks for: the answer may be cut, read a smaller server",
                list.len()
            ),
        ));
    }
    Ok(list.clone())
}

/// A field that Zabbix writes as a string; absent is `None`, another type an error.
fn text<'v>(
    object: &'v Value,
    key: &str,
    source: &str,
    index: usize,
) -> Result<Option<&'v str>, SupervisionError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(SupervisionError::Malformed {
            source_name: source.to_owned(),
            line: 1,
            col: 1,
            what: format!(
                "object {index}: « {key} » is {other}, not a string as Zabbix writes it: pass the server's answer unchanged"
            ),
        }),
    }
}

/// A numeric field written as a string (`"1796199119"`); absent or empty is 0.
fn number(object: &Value, key: &str, source: &str, index: usize) -> Result<i64, SupervisionError> {
    match text(object, key, source, index)? {
        None | Some("") => Ok(0),
        Some(s) => s.parse().map_err(|_| SupervisionError::Malformed {
            source_name: source.to_owned(),
            line: 1,
            col: 1,
            what: format!("object {index}: « {key} » is « {s} », not a number"),
        }),
    }
}

fn severity(priority: i64) -> &'static str {
    match priority {
        1 => "information",
        2 => "warning",
        3 => "average",
        4 => "high",
        5 => "disaster",
        _ => "not_classified",
    }
}

fn cut(value: &str) -> String {
    match value.char_indices().nth(MAX_VALUE_CHARS) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_owned(),
    }
}

/// Reads one Zabbix reading. Hosts: `up` when an interface is available, `down` when one is
/// unavailable and none available, `pending` when availability is unknown (no passive check
/// yet), `disabled` when not monitored. Checks (`services`): one per trigger, named by its
/// expanded description, `check_command` = its first item key, state `ok` (value OK),
/// `warning` (problem of severity information/warning/not classified), `critical` (average
/// and above), `unknown` (the trigger cannot be evaluated), `pending` (none of its items has
/// received a value yet).
pub fn parse_zabbix(
    answers: ZabbixAnswers<'_>,
    source_name: &str,
) -> Result<Supervision, SupervisionError> {
    let src = |m: &str| format!("{source_name} ({m})");
    let (hs, is, ts, ps) = (
        src("host.get"),
        src("item.get"),
        src("trigger.get"),
        src("problem.get"),
    );
    let mut out = Supervision {
        product: "zabbix".to_owned(),
        problems_read: true,
        ..Supervision::default()
    };
    let mut host_names: BTreeMap<String, String> = BTreeMap::new();
    for (i, h) in results(answers.hosts, &hs)?.iter().enumerate() {
        let id = text(h, "hostid", &hs, i)?.unwrap_or_default().to_owned();
        let name = text(h, "host", &hs, i)?.unwrap_or_default().to_owned();
        let mut available = Vec::new();
        let mut address = None;
        let mut output = None;
        for (j, iface) in h
            .get("interfaces")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            available.push(number(iface, "available", &hs, i)?);
            let ip = text(iface, "ip", &hs, i)?.unwrap_or_default();
            let dns = text(iface, "dns", &hs, i)?.unwrap_or_default();
            let use_ip = text(iface, "useip", &hs, i)? != Some("0");
            if j == 0 || address.is_none() {
                let a = if use_ip { ip } else { dns };
                address = Some(a.to_owned()).filter(|a| !a.is_empty());
            }
            if let Some(e) = text(iface, "error", &hs, i)?.filter(|e| !e.is_empty()) {
                output.get_or_insert_with(|| e.to_owned());
            }
        }
        let state = if number(h, "status", &hs, i)? == 1 {
            "disabled"
        } else if available.contains(&1) {
            "up"
        } else if available.contains(&2) {
            "down"
        } else {
            "pending"
        };
        host_names.insert(id, name.clone());
        out.hosts.push(MonitoredHost {
            name,
            address,
            state: state.to_owned(),
            output,
            in_downtime: number(h, "maintenance_status", &hs, i)? == 1,
        });
    }
    // itemid → whether it has received a value.
    let mut item_seen: BTreeMap<String, bool> = BTreeMap::new();
    for (i, it) in results(answers.items, &is)?.iter().enumerate() {
        let id = text(it, "itemid", &is, i)?.unwrap_or_default().to_owned();
        let host_id = text(it, "hostid", &is, i)?.unwrap_or_default();
        let last_clock = number(it, "lastclock", &is, i)?;
        item_seen.insert(id, last_clock > 0);
        let state = if number(it, "status", &is, i)? == 1 {
            "disabled"
        } else if number(it, "state", &is, i)? == 1 {
            "not_supported"
        } else {
            "supported"
        };
        out.items.push(MonitoredItem {
            host: host_names.get(host_id).cloned().unwrap_or_default(),
            key: text(it, "key_", &is, i)?.unwrap_or_default().to_owned(),
            name: text(it, "name", &is, i)?.unwrap_or_default().to_owned(),
            state: state.to_owned(),
            last_value: (last_clock > 0)
                .then(|| text(it, "lastvalue", &is, i))
                .transpose()?
                .flatten()
                .map(cut),
            last_at: (last_clock > 0).then(|| rfc3339_utc(last_clock)),
            error: text(it, "error", &is, i)?
                .filter(|e| !e.is_empty())
                .map(str::to_owned),
        });
    }
    // triggerid → (host, check name).
    let mut trigger_names: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (i, t) in results(answers.triggers, &ts)?.iter().enumerate() {
        let id = text(t, "triggerid", &ts, i)?.unwrap_or_default().to_owned();
        let name = text(t, "description", &ts, i)?
            .unwrap_or_default()
            .to_owned();
        let host = t
            .pointer("/hosts/0/host")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let items: Vec<&Value> = t
            .get("items")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let mut keys = Vec::new();
        let mut any_value = items.is_empty();
        for item in &items {
            keys.push(text(item, "key_", &ts, i)?.unwrap_or_default().to_owned());
            let item_id = text(item, "itemid", &ts, i)?.unwrap_or_default();
            any_value |= item_seen.get(item_id).copied().unwrap_or(true);
        }
        let state = if number(t, "status", &ts, i)? == 1 {
            "disabled"
        } else if number(t, "state", &ts, i)? == 1 {
            "unknown"
        } else if number(t, "value", &ts, i)? == 1 {
            match number(t, "priority", &ts, i)? {
                3.. => "critical",
                _ => "warning",
            }
        } else if !any_value {
            "pending"
        } else {
            "ok"
        };
        let output = text(t, "error", &ts, i)?
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .or_else(|| {
                (number(t, "value", &ts, i).ok() == Some(1)).then(|| {
                    format!(
                        "PROBLEM ({})",
                        severity(number(t, "priority", &ts, i).unwrap_or(0))
                    )
                })
            });
        trigger_names.insert(id, (host.clone(), name.clone()));
        out.services.push(MonitoredService {
            host,
            name,
            state: state.to_owned(),
            check_command: keys.into_iter().next().filter(|k| !k.is_empty()),
            output,
            acknowledged: false,
            in_downtime: false,
            ..MonitoredService::default()
        });
    }
    for (i, p) in results(answers.problems, &ps)?.iter().enumerate() {
        let trigger = text(p, "objectid", &ps, i)?.unwrap_or_default();
        let (host, service) = trigger_names.get(trigger).cloned().unwrap_or_default();
        let r_clock = number(p, "r_clock", &ps, i)?;
        let resolved = number(p, "r_eventid", &ps, i)? != 0;
        let problem = MonitoringProblem {
            host,
            name: text(p, "name", &ps, i)?.unwrap_or_default().to_owned(),
            service,
            severity: severity(number(p, "severity", &ps, i)?).to_owned(),
            started_at: rfc3339_utc(number(p, "clock", &ps, i)?),
            resolved_at: resolved.then(|| rfc3339_utc(r_clock)),
            acknowledged: number(p, "acknowledged", &ps, i)? == 1,
            suppressed: number(p, "suppressed", &ps, i)? == 1,
        };
        // An open problem marks its check acknowledged / in maintenance.
        if !resolved
            && let Some(check) = out
                .services
                .iter_mut()
                .find(|s| s.host == problem.host && s.name == problem.service)
        {
            check.acknowledged |= problem.acknowledged;
            check.in_downtime |= problem.suppressed;
        }
        out.problems.push(problem);
    }
    out.hosts.sort_by(|a, b| a.name.cmp(&b.name));
    out.services
        .sort_by(|a, b| (&a.host, &a.name).cmp(&(&b.host, &b.name)));
    out.items
        .sort_by(|a, b| (&a.host, &a.key).cmp(&(&b.host, &b.key)));
    out.problems
        .sort_by(|a, b| (&a.started_at, &a.host, &a.name).cmp(&(&b.started_at, &b.host, &b.name)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! Real answers of Zabbix 6.0.14 from the Debian packages, recorded on this machine with
    //! the API on loopback (`testdata/SOURCES.md`): `…__live_*` from the exact requests of
    //! [`read_requests`] (a trapper item fed 0 then 1 then 0: one resolved and one open
    //! problem), and the earlier recordings (`vfs.file.exists` flag file, template triggers).
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn live_requests_answers() {
        let [h, i, t, p] = ["host", "item", "trigger", "problem"]
            .map(|m| sample(&format!("recorded_zabbix-6.0__live_{m}.get.json")));
        insta::assert_json_snapshot!(
            parse_zabbix(
                ZabbixAnswers {
                    hosts: &h,
                    items: &i,
                    triggers: &t,
                    problems: &p
                },
                "http://127.0.0.1/api_jsonrpc.php"
            )
            .unwrap()
        );
    }

    #[test]
    fn earlier_recordings() {
        let [h, i, t, p] = ["host", "item", "trigger", "problem"]
            .map(|m| sample(&format!("recorded_zabbix-6.0__{m}.get.json")));
        insta::assert_json_snapshot!(
            parse_zabbix(
                ZabbixAnswers {
                    hosts: &h,
                    items: &i,
                    triggers: &t,
                    problems: &p
                },
                "zabbix"
            )
            .unwrap()
        );
    }

    #[test]
    fn bad_answers_are_errors_naming_their_source() {
        let ok = br#"{"jsonrpc":"2.0","result":[],"id":1}"#;
        let cases: [&[u8]; 5] = [
            br#"{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params.","data":"Session terminated, re-login, please."},"id":1}"#,
            br#"{"jsonrpc":"2.0","result":[{"hostid":10,"host":"a"}],"id":1}"#,
            br#"{"jsonrpc":"2.0","result":[{"hostid":"10","host":"a","status":"zero"}],"id":1}"#,
            b"{\"jsonrpc\":\"2.0\",\n\"result\":[",
            br#"{"jsonrpc":"2.0","id":1}"#,
        ];
        let errors: Vec<String> = cases
            .iter()
            .map(|bad| {
                parse_zabbix(
                    ZabbixAnswers {
                        hosts: bad,
                        items: ok,
                        triggers: ok,
                        problems: ok,
                    },
                    "zbx",
                )
                .unwrap_err()
                .to_string()
            })
            .collect();
        insta::assert_snapshot!(errors.join("\n"));
    }

    #[test]
    fn long_values_are_cut() {
        assert_eq!(cut(&"é".repeat(2000)).chars().count(), MAX_VALUE_CHARS + 1);
        assert_eq!(cut("1"), "1");
    }
}
