//! Live vs file: what `/etc/nftables.conf` would load, compared with the live ruleset.
//!
//! The file is loaded by the real `nft -f` (includes, variables, `flush ruleset` and all) in a
//! throw-away network namespace: `unshare --net -- sh -c 'nft -f FILE && nft -j list ruleset'`.
//! Netfilter state belongs to a network namespace; the new one starts empty, has no
//! interface but its own loopback, and disappears when `sh` exits, so the `flush ruleset` and
//! the tables the file creates never reach the host's ruleset, its interfaces or its
//! connections. Nothing is written to disk; the mount namespace is the host's, so includes
//! resolve as nftables.service would resolve them. Limits: it needs root (`CAP_SYS_ADMIN`),
//! and a file naming an interface with `iif`/`oif` (resolved at load time, unlike `iifname`)
//! fails to load there: both are reported as the comparison's `error`, never as a difference.
//!
//! Both rulesets are compared semantically, after nft itself normalised them: one line per
//! base chain (hook, priority, policy), per rule (its nft text without counters or handle) and
//! per named set (its sorted elements); lines present on one side only are listed, and chains
//! with the same rules in another order are named.

use crate::collectors::command_text::{CommandFailure, run_text};
use crate::collectors::firewall_nft_text::{rule_text, value_text};
use crate::host::Host;
use constat_snapshot::firewall::NftablesFile;
use constat_snapshot::time::rfc3339_utc;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::UNIX_EPOCH;

/// The file nftables.service loads on Debian.
pub const NFTABLES_CONF: &str = "/etc/nftables.conf";

/// Compares `live` (`nft -j list ruleset`) with what the file would load.
pub fn compare(host: &dyn Host, live: &Value) -> NftablesFile {
    let path = NFTABLES_CONF;
    let mut file = NftablesFile {
        path: path.to_owned(),
        present: host.metadata(path).is_ok_and(|m| m.is_file()),
        modified_at: host
            .metadata(path)
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| rfc3339_utc(d.as_secs() as i64)),
        ..NftablesFile::default()
    };
    if !file.present {
        return file;
    }
    let loaded = run_text(
        host,
        "unshare",
        &[
            "--net",
            "--",
            "sh",
            "-c",
            "nft -f \"$1\" && nft -j list ruleset",
            "sh",
            path,
        ],
    );
    let text = match loaded {
        Ok(text) => text,
        Err(CommandFailure::Unavailable(e)) => {
            file.error = Some(format!(
                "{e}: unshare (util-linux) is needed to load {path} without touching the host"
            ));
            return file;
        }
        Err(CommandFailure::Failed(m)) => {
            file.error = Some(format!(
                "{path} could not be loaded in a throw-away network namespace: {m}"
            ));
            return file;
        }
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(from_file) => diff(&lines(live), &lines(&from_file), &mut file),
        Err(e) => file.error = Some(format!("nft -j list ruleset of {path}: invalid JSON: {e}")),
    }
    file
}

/// The comparable lines of a ruleset, grouped by chain (`family table chain`) in order.
fn lines(ruleset: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("?").to_owned();
    for object in ruleset
        .get("nftables")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(c) = object.get("chain") {
            let at = format!(
                "{} {} {}",
                text(c, "family"),
                text(c, "table"),
                text(c, "name")
            );
            let entry = out.entry(at.clone()).or_default();
            if let Some(hook) = c.get("hook").and_then(Value::as_str) {
                entry.push(format!(
                    "{at}: type {} hook {hook} priority {} policy {}",
                    text(c, "type"),
                    c.get("prio").map(Value::to_string).unwrap_or_default(),
                    c.get("policy").and_then(Value::as_str).unwrap_or("accept")
                ));
            }
        } else if let Some(r) = object.get("rule") {
            let at = format!(
                "{} {} {}",
                text(r, "family"),
                text(r, "table"),
                text(r, "chain")
            );
            let line = format!("{at}: {}", rule_text(r));
            out.entry(at).or_default().push(line);
        } else if let Some(s) = object.get("set") {
            let at = format!(
                "{} {} set {}",
                text(s, "family"),
                text(s, "table"),
                text(s, "name")
            );
            let mut elements: Vec<String> = match s.get("elem") {
                Some(Value::Array(items)) => items.iter().map(value_text).collect(),
                Some(one) => vec![value_text(one)],
                None => Vec::new(),
            };
            elements.sort();
            out.entry(at.clone())
                .or_default()
                .push(format!("{at}: {{ {} }}", elements.join(", ")));
        }
    }
    out
}

/// How many times each line occurs.
fn count(side: &BTreeMap<String, Vec<String>>) -> BTreeMap<&str, usize> {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for line in side.values().flatten() {
        *n.entry(line.as_str()).or_default() += 1;
    }
    n
}

fn diff(
    live: &BTreeMap<String, Vec<String>>,
    file: &BTreeMap<String, Vec<String>>,
    out: &mut NftablesFile,
) {
    let (l, f) = (count(live), count(file));
    for (line, &n) in &l {
        let m = f.get(line).copied().unwrap_or(0);
        out.live_only
            .extend(std::iter::repeat_n((*line).to_owned(), n.saturating_sub(m)));
    }
    for (line, &m) in &f {
        let n = l.get(line).copied().unwrap_or(0);
        out.file_only
            .extend(std::iter::repeat_n((*line).to_owned(), m.saturating_sub(n)));
    }
    for (chain, rules) in live {
        if let Some(other) = file.get(chain)
            && other != rules
        {
            let (mut a, mut b) = (rules.clone(), other.clone());
            a.sort();
            b.sort();
            if a == b {
                out.reordered.push(chain.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recorded rulesets (testdata/SOURCES.md): the native one as "live", the sets one as
    /// "file", then each against itself.
    #[test]
    fn recorded_rulesets_differ_line_by_line() {
        let live: Value = serde_json::from_str(include_str!("testdata/nft-native.json")).unwrap();
        let file: Value = serde_json::from_str(include_str!("testdata/nft-sets.json")).unwrap();
        let mut out = NftablesFile::default();
        diff(&lines(&live), &lines(&file), &mut out);
        insta::assert_json_snapshot!(out);
        let mut same = NftablesFile::default();
        diff(&lines(&file), &lines(&file), &mut same);
        assert_eq!(same, NftablesFile::default());
    }

    #[test]
    fn same_rules_in_another_order_are_named() {
        let rule = |port: u16, verdict: &str| {
            serde_json::json!({"rule": {"family": "inet", "table": "filter", "chain": "input",
                "expr": [{"match": {"op": "==",
                    "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": port}},
                    {verdict: null}]}})
        };
        let chain = serde_json::json!({"chain": {"family": "inet", "table": "filter",
            "name": "input", "hook": "input", "type": "filter", "prio": 0, "policy": "drop"}});
        let live = serde_json::json!({"nftables": [chain, rule(22, "accept"), rule(22, "drop")]});
        let file = serde_json::json!({"nftables": [chain, rule(22, "drop"), rule(22, "accept")]});
        let mut out = NftablesFile::default();
        diff(&lines(&live), &lines(&file), &mut out);
        assert_eq!(out.reordered, ["inet filter input"]);
        assert!(
            out.live_only.is_empty() && out.file_only.is_empty(),
            "{out:?}"
        );
    }
}
