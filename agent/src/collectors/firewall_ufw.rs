//! ufw: `ufw status verbose` when live; /etc/ufw/ufw.conf (`ENABLED=yes`) and the rules files
//! /etc/ufw/user.rules, user6.rules (iptables-save format) on an offline root.
//!
//! On a live host ufw's rules are loaded into iptables, so `iptables-save` already reports them
//! in `chains`; only an offline root gets chains from the ufw files (backend `ufw`).

use crate::collectors::command_text::run_text;
use crate::collectors::firewall_iptables::parse_save;
use crate::host::Host;
use constat_snapshot::firewall::{FirewallBackend, FirewallChain};

/// The ufw backend and, offline, its chains; `None` when ufw is not installed.
pub fn read(host: &dyn Host) -> Option<(FirewallBackend, Vec<FirewallChain>)> {
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
    if host.is_live() {
        match run_text(host, "ufw", &["status", "verbose"]) {
            Ok(text) => {
                backend.active = status_active(&text);
                backend.raw_text = Some(text);
            }
            Err(e) => backend.error = Some(e.to_string()),
        }
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
    let defaults = host.read_to_string("/etc/default/ufw").unwrap_or_default();
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

/// `Status: active` in `ufw status` output.
pub fn status_active(text: &str) -> bool {
    text.lines().any(|l| l.trim() == "Status: active")
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
    fn recorded_status_and_conf() {
        assert!(status_active(include_str!(
            "testdata/ufw-status-verbose.txt"
        )));
        assert!(conf_enabled(include_str!("testdata/ufw.conf")));
        assert!(!conf_enabled("ENABLED=no\n"));
        assert_eq!(
            default_input_policy("DEFAULT_INPUT_POLICY=\"DROP\"\n").as_deref(),
            Some("drop")
        );
    }
}
