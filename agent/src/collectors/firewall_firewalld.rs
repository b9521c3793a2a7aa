//! firewalld: `firewall-cmd --list-all-zones` when it runs, else the zone XML files.
//!
//! firewalld programs nftables, so on a live host its rules are normalised from `nft -j`;
//! this backend keeps firewalld's own view (zones, services) as raw text.

use crate::collectors::command_text::run_text;
use crate::host::Host;
use constat_snapshot::firewall::FirewallBackend;

/// The firewalld backend; `None` when firewalld is not installed.
pub fn read(host: &dyn Host) -> Option<FirewallBackend> {
    if !host.has_program("firewall-cmd") && !host.exists("/etc/firewalld") {
        return None;
    }
    let mut backend = FirewallBackend {
        kind: "firewalld".to_owned(),
        active: false,
        enabled_at_boot: crate::collectors::firewall::unit_enabled(host, "firewalld.service"),
        ..FirewallBackend::default()
    };
    if host.is_live() {
        match run_text(host, "firewall-cmd", &["--state"]) {
            Ok(state) if state.trim() == "running" => {
                backend.active = true;
                match run_text(host, "firewall-cmd", &["--list-all-zones"]) {
                    Ok(text) => backend.raw_text = Some(text),
                    Err(e) => backend.error = Some(e.to_string()),
                }
                return Some(backend);
            }
            // Not running (exit status 252): read the configuration files below.
            _ => {}
        }
    }
    let mut raw = String::new();
    for dir in ["/etc/firewalld", "/etc/firewalld/zones"] {
        for name in host.read_dir(dir).unwrap_or_default() {
            if !(name.ends_with(".xml") || name.ends_with(".conf")) {
                continue;
            }
            let path = format!("{dir}/{name}");
            if let Ok(text) = host.read_to_string(&path) {
                raw.push_str(&format!("# {path}\n{text}\n"));
            }
        }
    }
    backend.raw_text = Some(raw).filter(|r| !r.is_empty());
    Some(backend)
}
