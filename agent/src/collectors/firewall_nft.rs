//! nftables: `nft -j list ruleset`, kept raw and normalised into chains and rules.
//!
//! The JSON is read as `serde_json::Value` (not a typed model, which fails on constructs it
//! does not know, see stack.md §5). A match the normaliser does not understand, such as an
//! opaque `xt` match left by iptables-nft, marks the rule `complete: false`.

use crate::collectors::firewall_nft_text::rule_text;
use constat_snapshot::firewall::{FirewallChain, FirewallRule};
use serde_json::Value;
use std::collections::BTreeMap;

/// Named sets of a ruleset by `(family, table, name)`: their elements, so that a rule's
/// `ip saddr @lan` is judged on the set's networks.
pub type Sets<'a> = BTreeMap<(String, String, String), &'a Value>;

/// The named sets of a ruleset (`{"set": {..., "elem": [...]}}`); a set without elements
/// maps to an empty list.
pub fn sets(ruleset: &Value) -> Sets<'_> {
    static EMPTY: Value = Value::Array(Vec::new());
    ruleset
        .get("nftables")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|o| o.get("set"))
        .map(|set| {
            (
                (text(set, "family"), text(set, "table"), text(set, "name")),
                set.get("elem").unwrap_or(&EMPTY),
            )
        })
        .collect()
}

/// Normalises a ruleset, leaving out the tables listed in `skip` as `(family, table)`
/// (tables that iptables-nft manages and `iptables-save` already reports).
pub fn normalise(ruleset: &Value, skip: &[(String, String)]) -> Vec<FirewallChain> {
    let objects = ruleset
        .get("nftables")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let skipped = |family: &str, table: &str| {
        skip.iter()
            .any(|(f, t)| f.as_str() == family && t.as_str() == table)
    };
    let sets = sets(ruleset);
    let mut chains: Vec<FirewallChain> = Vec::new();
    for object in objects {
        if let Some(chain) = object.get("chain") {
            let (family, table, name) = (
                text(chain, "family"),
                text(chain, "table"),
                text(chain, "name"),
            );
            if skipped(&family, &table) {
                continue;
            }
            chains.push(FirewallChain {
                backend: "nftables".to_owned(),
                family,
                table,
                name,
                hook: chain.get("hook").and_then(Value::as_str).map(str::to_owned),
                policy: chain
                    .get("policy")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                rules: Vec::new(),
            });
        } else if let Some(rule) = object.get("rule") {
            let (family, table, chain) = (
                text(rule, "family"),
                text(rule, "table"),
                text(rule, "chain"),
            );
            if skipped(&family, &table) {
                continue;
            }
            let normalised = normalise_rule(rule, &sets);
            match chains
                .iter_mut()
                .find(|c| c.family == family && c.table == table && c.name == chain)
            {
                Some(c) => c.rules.push(normalised),
                // `nft -j` lists a chain before its rules; keep a rule even if it does not.
                None => chains.push(FirewallChain {
                    backend: "nftables".to_owned(),
                    family,
                    table,
                    name: chain,
                    hook: None,
                    policy: None,
                    rules: vec![normalised],
                }),
            }
        }
    }
    chains
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// Normalises one rule object; `@name` references are looked up in `sets` (the rule's own
/// family and table).
pub fn normalise_rule(rule: &Value, sets: &Sets<'_>) -> FirewallRule {
    let scope = (text(rule, "family"), text(rule, "table"));
    let mut out = FirewallRule {
        action: String::new(),
        complete: true,
        comment: rule
            .get("comment")
            .and_then(Value::as_str)
            .map(str::to_owned),
        raw: rule.to_string(),
        handle: rule.get("handle").and_then(Value::as_u64),
        text: Some(rule_text(rule)),
        ..FirewallRule::default()
    };
    let mut logs = false;
    for expr in rule
        .get("expr")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some((key, body)) = expr.as_object().and_then(|o| o.iter().next()) else {
            out.complete = false;
            continue;
        };
        match key.as_str() {
            "match" => apply_match(body, &scope, sets, &mut out),
            "accept" | "drop" | "reject" | "return" | "masquerade" | "snat" | "dnat"
            | "redirect" => out.action = key.clone(),
            "jump" | "goto" => {
                let target = body.get("target").and_then(Value::as_str).unwrap_or("?");
                out.action = format!("{key}:{target}");
            }
            "log" => logs = true,
            // Counters do not change what the rule matches.
            "counter" => {}
            // The packet goes to a user-space program that decides: nothing to conclude.
            "queue" => {
                out.action = "other".to_owned();
                out.complete = false;
            }
            // `xt` (an iptables match nft cannot show), `limit`, `meter`, sets being updated...
            _ => out.complete = false,
        }
    }
    if out.action.is_empty() {
        out.action = if logs { "log" } else { "other" }.to_owned();
    }
    out
}

fn apply_match(body: &Value, scope: &(String, String), sets: &Sets<'_>, out: &mut FirewallRule) {
    let op = body.get("op").and_then(Value::as_str).unwrap_or("==");
    let (Some(left), Some(right)) = (body.get("left"), body.get("right")) else {
        out.complete = false;
        return;
    };
    let negated = op == "!=";
    if !matches!(op, "==" | "in" | "!=") {
        out.complete = false;
        return;
    }
    let values = match right.as_str().and_then(|r| r.strip_prefix('@')) {
        Some(name) => match sets.get(&(scope.0.clone(), scope.1.clone(), name.to_owned())) {
            Some(elements) => values(elements),
            // Unknown set: kept as `@name`, which no check can read as an address or port.
            None => vec![format!("@{name}")],
        },
        None => values(right),
    };
    if let Some(payload) = left.get("payload") {
        let protocol = payload
            .get("protocol")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let field = payload
            .get("field")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match (protocol, field) {
            ("tcp" | "udp" | "sctp" | "dccp" | "th", "dport") if !negated => {
                if protocol != "th" {
                    out.protocol = Some(protocol.to_owned());
                }
                out.dports.extend(values);
            }
            ("ip" | "ip6", "saddr") => out.sources.extend(not(values, negated)),
            ("ip" | "ip6", "daddr") => out.destinations.extend(not(values, negated)),
            ("icmp" | "icmpv6", _) => {
                out.protocol = Some(protocol.to_owned());
                // The ICMP type is a narrower match than "any ICMP".
                out.complete = false;
            }
            _ => out.complete = false,
        }
    } else if let Some(meta) = left.get("meta") {
        match meta.get("key").and_then(Value::as_str) {
            Some("iif" | "iifname") if !negated && values.len() == 1 => {
                out.in_interface = values.into_iter().next();
            }
            Some("l4proto" | "protocol") if !negated && values.len() == 1 => {
                out.protocol = values.into_iter().next().map(|p| match p.as_str() {
                    "ipv6-icmp" => "icmpv6".to_owned(),
                    _ => p,
                });
            }
            _ => out.complete = false,
        }
    } else if left
        .get("ct")
        .and_then(|c| c.get("key"))
        .and_then(Value::as_str)
        == Some("state")
        && !negated
    {
        out.ct_states.extend(values);
    } else {
        out.complete = false;
    }
}

fn not(values: Vec<String>, negated: bool) -> Vec<String> {
    if negated {
        values.into_iter().map(|v| format!("!{v}")).collect()
    } else {
        values
    }
}

/// Flattens a right-hand side: a value, a `{"set": [...]}`, a `{"range": [a, b]}`, a
/// `{"prefix": {"addr", "len"}}` or a list.
fn values(right: &Value) -> Vec<String> {
    match right {
        Value::Array(items) => items.iter().flat_map(values).collect(),
        Value::Object(o) => {
            if let Some(set) = o.get("set") {
                values(set)
            } else if let Some(range) = o.get("range").and_then(Value::as_array) {
                let parts: Vec<String> = range.iter().flat_map(values).collect();
                vec![parts.join("-")]
            } else if let Some(elem) = o.get("elem") {
                // A set element with options (`timeout`, `comment`): its value.
                elem.get("val").map(values).unwrap_or_default()
            } else if let Some(prefix) = o.get("prefix") {
                let addr = prefix.get("addr").and_then(Value::as_str).unwrap_or("?");
                let len = prefix.get("len").and_then(Value::as_u64).unwrap_or(0);
                vec![format!("{addr}/{len}")]
            } else {
                vec![right.to_string()]
            }
        }
        Value::String(s) => vec![s.clone()],
        other => vec![other.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixture in, snapshot out (testdata/SOURCES.md), without the raw rule text.
    fn chains_of(json: &str, skip: &[(String, String)]) -> Vec<FirewallChain> {
        let ruleset: Value = serde_json::from_str(json).unwrap();
        let mut chains = normalise(&ruleset, skip);
        for rule in chains.iter_mut().flat_map(|c| c.rules.iter_mut()) {
            rule.raw = format!("{} bytes", rule.raw.len());
        }
        chains
    }

    #[test]
    fn recorded_native_ruleset() {
        insta::assert_json_snapshot!(chains_of(include_str!("testdata/nft-native.json"), &[]));
    }

    /// Named sets are resolved to their elements, handles and nft-like text are kept.
    #[test]
    fn recorded_sets_jumps_and_gotos() {
        let ruleset: Value = serde_json::from_str(include_str!("testdata/nft-sets.json")).unwrap();
        let mut chains = normalise(&ruleset, &[]);
        for rule in chains.iter_mut().flat_map(|c| c.rules.iter_mut()) {
            rule.raw = format!("{} bytes", rule.raw.len());
        }
        insta::assert_json_snapshot!(chains);
    }

    #[test]
    fn recorded_iptables_nft_tables_are_incomplete_or_skipped() {
        let all = chains_of(include_str!("testdata/nft-mixed.json"), &[]);
        insta::assert_json_snapshot!(all);
        let skip = [
            ("ip".to_owned(), "filter".to_owned()),
            ("ip".to_owned(), "nat".to_owned()),
            ("ip6".to_owned(), "filter".to_owned()),
        ];
        let native = chains_of(include_str!("testdata/nft-mixed.json"), &skip);
        assert!(native.iter().all(|c| c.family == "inet"), "{native:?}");
    }
}
