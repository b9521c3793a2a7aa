//! ufw from its files, without running the `ufw` program (a Python interpreter, ~14 MiB and
//! ~100 ms per collection): /etc/ufw/ufw.conf (`ENABLED=yes`, `LOGLEVEL`), /etc/default/ufw
//! (default policies) and the rules files /etc/ufw/user.rules, user6.rules (iptables-save
//! format with ufw's own `### tuple ###` record of each rule).
//!
//! Live, ufw is `active` as `ufw status` decides it: enabled in ufw.conf *and* its chains
//! loaded in the kernel (`ufw status` lists `ufw-user-input` with iptables; here the chains
//! `iptables-save` already reported are passed in). ufw's rules are then in `chains` from
//! iptables; only an offline root gets chains from the ufw files (backend `ufw`).
//! What differs from `ufw status verbose`: `raw_text` is a summary (status, logging, default
//! policies) followed by ufw's rule tuples as written in the rules files, not ufw's
//! formatted table (application profiles are not expanded; comments stay hex-encoded).

use crate::collectors::firewall_iptables::parse_save;
use crate::host::Host;
use constat_snapshot::firewall::{FirewallBackend, FirewallChain};

/// The ufw backend and, offline, its chains; `None` when ufw is not installed. `loaded`:
/// the chains already read from the kernel (live), where ufw's own chains show it runs.
pub fn read(
    host: &dyn Host,
    loaded: &[FirewallChain],
) -> Option<(FirewallBackend, Vec<FirewallChain>)> {
    let conf = host.read_to_string("/etc/ufw/ufw.conf").ok();
    if conf.is_none() && !host.has_program("ufw") {
        return None;
    }
    let enabled = conf.as_deref().map(conf_enabled);
    let mut backend = FirewallBackend {
        kind: "ufw".to_owned(),
        active: false,
        enabled_at_boot: enabled,
        ..FirewallBackend::default()
    };
    let defaults = host.read_to_string("/etc/default/ufw").unwrap_or_default();
    if host.is_live() {
        let Some(conf) = conf.as_deref() else {
            backend.error = Some("/etc/ufw/ufw.conf: unreadable or missing".to_owned());
            return Some((backend, Vec::new()));
        };
        let running = loaded.iter().any(|c| c.name == "ufw-user-input");
        backend.active = conf_enabled(conf) && running;
        let forwarding = |path: &str| {
            host.read_to_string(path)
                .is_ok_and(|v| v.trim() != "0" && !v.trim().is_empty())
        };
        let routing = forwarding("/proc/sys/net/ipv4/ip_forward")
            || forwarding("/proc/sys/net/ipv6/conf/default/forwarding");
        let mut text = summary(backend.active, routing, conf, &defaults);
        let mut errors = Vec::new();
        for path in ["/etc/ufw/user.rules", "/etc/ufw/user6.rules"] {
            match host.read_to_string(path) {
                Ok(rules) => text.push_str(&tuples(path, &rules)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => errors.push(format!("{path}: {e}")),
            }
        }
        if !errors.is_empty() {
            backend.error = Some(errors.join("; "));
        }
        backend.raw_text = Some(text);
        return Some((backend, Vec::new()));
    }
    let mut chains = Vec::new();
    let mut raw = String::new();
    for (path, family) in [
        ("/etc/ufw/user.rules", "ip"),
        ("/etc/ufw/user6.rules", "ip6"),
    ] {
        if let Ok(text) = host.read_to_string(path) {
            chains.extend(parse_save(&text, "ufw", family).chains);
            raw.push_str(&format!("# {path}\n{text}\n"));
        }
    }
    // ufw-user-input is called from INPUT; offline the INPUT policy comes from
    // /etc/default/ufw, so it is written on that chain.
    if let Some(policy) = default_input_policy(&defaults) {
        for chain in chains.iter_mut().filter(|c| c.name == "ufw-user-input") {
            chain.hook = Some("input".to_owned());
            chain.policy = Some(policy.clone());
        }
    }
    backend.active = enabled.unwrap_or(false);
    backend.raw_text = Some(raw).filter(|r| !r.is_empty());
    if backend.raw_text.is_none() {
        backend.error = Some("/etc/ufw/user.rules: not found".to_owned());
    }
    Some((backend, chains))
}

/// `ENABLED=yes` in ufw.conf.
pub fn conf_enabled(text: &str) -> bool {
    text.lines().any(|l| {
        l.trim()
            .strip_prefix("ENABLED=")
            .is_some_and(|v| v.trim_matches(['"', '\'']).eq_ignore_ascii_case("yes"))
    })
}

/// `ufw status verbose`'s head from the files: status, logging, default policies (routed is
/// `disabled` while the kernel forwards nothing, as ufw shows it).
fn summary(active: bool, routing: bool, conf: &str, defaults: &str) -> String {
    let value = |text: &str, key: &str| {
        text.lines().find_map(|l| {
            l.trim()
                .strip_prefix(key)
                .and_then(|v| v.strip_prefix('='))
                .map(|v| v.trim().trim_matches(['"', '\'']).to_lowercase())
        })
    };
    let policy = |key: &str| match value(defaults, key).as_deref() {
        Some("drop") => "deny".to_owned(),
        Some("accept") => "allow".to_owned(),
        Some(other) => other.to_owned(),
        None => "?".to_owned(),
    };
    let logging = match value(conf, "LOGLEVEL").as_deref() {
        None | Some("off") => "off".to_owned(),
        Some(level) => format!("on ({level})"),
    };
    format!(
        "Status: {}\nLogging: {logging}\nDefault: {} (incoming), {} (outgoing), {} (routed)\n",
        if active { "active" } else { "inactive" },
        policy("DEFAULT_INPUT_POLICY"),
        policy("DEFAULT_OUTPUT_POLICY"),
        if routing {
            policy("DEFAULT_FORWARD_POLICY")
        } else {
            "disabled".to_owned()
        },
    )
}

/// ufw's record of each rule (`### tuple ### allow tcp 22 0.0.0.0/0 any 10.0.0.0/24 in`),
/// under the file's name.
fn tuples(path: &str, rules: &str) -> String {
    let mut out = format!("\n# {path}\n");
    for tuple in rules
        .lines()
        .filter_map(|l| l.strip_prefix("### tuple ### "))
    {
        out.push_str(tuple.trim());
        out.push('\n');
    }
    out
}

/// `DEFAULT_INPUT_POLICY="DROP"` in /etc/default/ufw, lower-cased (`drop`, `reject`, `accept`).
fn default_input_policy(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("DEFAULT_INPUT_POLICY="))
        .map(|v| v.trim_matches(['"', '\'']).to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_summary_and_tuples_from_the_recorded_files() {
        let text = summary(
            true,
            false,
            include_str!("testdata/ufw.conf"),
            "DEFAULT_INPUT_POLICY=\"DROP\"\nDEFAULT_OUTPUT_POLICY=\"ACCEPT\"\nDEFAULT_FORWARD_POLICY=\"DROP\"\n",
        ) + &tuples(
            "/etc/ufw/user.rules",
            include_str!("testdata/ufw-user.rules"),
        );
        insta::assert_snapshot!(text);
        // The head says what `ufw status verbose` said on the same host (recorded).
        let recorded = include_str!("testdata/ufw-status-verbose.txt");
        for line in text.lines().take(3) {
            assert!(
                recorded.contains(line),
                "{line:?} not in the recorded status"
            );
        }
    }

    #[test]
    fn recorded_status_and_conf() {
        assert!(conf_enabled(include_str!("testdata/ufw.conf")));
        assert!(!conf_enabled("ENABLED=no\n"));
        assert_eq!(
            default_input_policy("DEFAULT_INPUT_POLICY=\"DROP\"\n").as_deref(),
            Some("drop")
        );
    }
}
