//! nftables rules in nft's own words, from `nft -j` JSON: `tcp dport 9101-9103 ip saddr
//! 192.168.1.0/24 accept`, for evidence a jury reads instead of raw JSON.
//!
//! Counters print without their numbers (they change on every packet, and the text is
//! compared between the live ruleset and /etc/nftables.conf). An expression this module does
//! not know prints as its JSON key in angle brackets (`<xt>`), never dropped silently.

use serde_json::Value;

/// The rule's statements joined by spaces, then its comment.
pub fn rule_text(rule: &Value) -> String {
    let mut words: Vec<String> = rule
        .get("expr")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(statement)
        .collect();
    if let Some(comment) = rule.get("comment").and_then(Value::as_str) {
        words.push(format!("comment {}", quoted(comment)));
    }
    words.join(" ")
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn statement(expr: &Value) -> String {
    let Some((key, body)) = expr.as_object().and_then(|o| o.iter().next()) else {
        return format!("<{expr}>");
    };
    match key.as_str() {
        "match" => {
            let left = body.get("left").map(expression).unwrap_or_default();
            let right = body.get("right").map(expression).unwrap_or_default();
            match body.get("op").and_then(Value::as_str).unwrap_or("==") {
                // nft omits the implicit operators.
                "==" | "in" => format!("{left} {right}"),
                op => format!("{left} {op} {right}"),
            }
        }
        "accept" | "drop" | "return" | "continue" | "masquerade" | "notrack" => key.clone(),
        "reject" => match body.get("type").and_then(Value::as_str) {
            Some(t) => format!("reject with {t}"),
            None => "reject".to_owned(),
        },
        "jump" | "goto" => format!(
            "{key} {}",
            body.get("target").and_then(Value::as_str).unwrap_or("?")
        ),
        "counter" => "counter".to_owned(),
        "log" => match body.get("prefix").and_then(Value::as_str) {
            Some(p) => format!("log prefix {}", quoted(p)),
            None => "log".to_owned(),
        },
        "limit" => {
            let rate = body.get("rate").map(Value::to_string).unwrap_or_default();
            let per = body.get("per").and_then(Value::as_str).unwrap_or("second");
            format!("limit rate {rate}/{per}")
        }
        "snat" | "dnat" | "redirect" => match body.get("addr").or_else(|| body.get("port")) {
            Some(to) => format!("{key} to {}", expression(to)),
            None => key.clone(),
        },
        "queue" => "queue".to_owned(),
        other => format!("<{other}>"),
    }
}

/// One value (set element, address, port, range, prefix) in nft's words.
pub fn value_text(v: &Value) -> String {
    expression(v)
}

fn expression(v: &Value) -> String {
    match v {
        Value::String(s) => {
            if s.starts_with('@')
                || s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.:/".contains(c))
            {
                s.clone()
            } else {
                quoted(s)
            }
        }
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(expression).collect::<Vec<_>>().join(","),
        Value::Object(o) => {
            if let Some(p) = o.get("payload") {
                let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("?");
                let field = p.get("field").and_then(Value::as_str).unwrap_or("?");
                format!("{proto} {field}")
            } else if let Some(m) = o.get("meta") {
                let key = m.get("key").and_then(Value::as_str).unwrap_or("?");
                // nft prints the common keys without `meta`.
                match key {
                    "iif" | "oif" | "iifname" | "oifname" | "mark" | "skuid" | "skgid" => {
                        key.to_owned()
                    }
                    _ => format!("meta {key}"),
                }
            } else if let Some(ct) = o.get("ct") {
                format!(
                    "ct {}",
                    ct.get("key").and_then(Value::as_str).unwrap_or("?")
                )
            } else if let Some(set) = o.get("set") {
                let items: Vec<String> = match set {
                    Value::Array(items) => items.iter().map(expression).collect(),
                    one => vec![expression(one)],
                };
                format!("{{ {} }}", items.join(", "))
            } else if let Some(range) = o.get("range").and_then(Value::as_array) {
                let parts: Vec<String> = range.iter().map(expression).collect();
                parts.join("-")
            } else if let Some(prefix) = o.get("prefix") {
                let addr = prefix.get("addr").map(expression).unwrap_or_default();
                let len = prefix.get("len").map(Value::to_string).unwrap_or_default();
                format!("{addr}/{len}")
            } else if let Some(elem) = o.get("elem") {
                elem.get("val").map(expression).unwrap_or_default()
            } else {
                match o.iter().next() {
                    Some((k, _)) => format!("<{k}>"),
                    None => "<>".to_owned(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixture in, text out: every rule of the recorded rulesets (testdata/SOURCES.md).
    fn texts(json: &str) -> Vec<String> {
        let ruleset: Value = serde_json::from_str(json).unwrap();
        ruleset["nftables"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o.get("rule"))
            .map(|r| {
                format!(
                    "{} {}: {}",
                    r["table"].as_str().unwrap_or("?"),
                    r["chain"].as_str().unwrap_or("?"),
                    rule_text(r)
                )
            })
            .collect()
    }

    #[test]
    fn recorded_native_ruleset_reads_like_nft() {
        insta::assert_json_snapshot!(texts(include_str!("testdata/nft-native.json")));
    }

    #[test]
    fn recorded_iptables_nft_ruleset_names_what_it_does_not_know() {
        insta::assert_json_snapshot!(texts(include_str!("testdata/nft-mixed.json")));
    }

    #[test]
    fn comments_and_names_are_quoted() {
        let rule = serde_json::json!({
            "expr": [
                {"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "eth 0\""}},
                {"accept": null}
            ],
            "comment": "lan \"only\""
        });
        assert_eq!(
            rule_text(&rule),
            r#"iifname "eth 0\"" accept comment "lan \"only\"""#
        );
    }
}
