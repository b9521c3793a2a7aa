//! Firewall: every backend found (iptables, ip6tables, nftables, ufw, firewalld), raw output
//! kept, rules normalised into one list of chains.
//!
//! A backend that fails (permission, broken output) carries its own `error` and the others are
//! still reported; the section is `error` only when no backend could be read at all, and
//! `not_collected` when no firewall tool is installed.

use crate::collectors::command_text::{CommandFailure, run_text};
use crate::collectors::firewall_iptables::{SaveFile, parse_save};
use crate::collectors::{firewall_firewalld, firewall_nft, firewall_nft_file, firewall_ufw};
use crate::context::{Context, Update};
use crate::host::Host;
use constat_snapshot::Section;
use constat_snapshot::firewall::{Firewall, FirewallBackend};

/// Collects the `firewall` section.
pub fn collect(ctx: &Context) -> Update {
    let section = firewall(&*ctx.host);
    Box::new(move |s| s.firewall = section)
}

fn firewall(host: &dyn Host) -> Section<Firewall> {
    let mut fw = Firewall::default();
    // Tables iptables-nft manages: they appear both in `iptables-save` and in `nft -j` (with
    // opaque `xt` matches there). They are normalised once, from iptables-save, which shows
    // every match; nft's copy stays in its raw JSON.
    let mut managed_by_iptables_nft: Vec<(String, String)> = Vec::new();
    for (tool, backend, family, offline_file) in [
        ("iptables-save", "iptables", "ip", "/etc/iptables/rules.v4"),
        (
            "ip6tables-save",
            "ip6tables",
            "ip6",
            "/etc/iptables/rules.v6",
        ),
    ] {
        let Some((mut b, file)) = iptables(host, tool, backend, family, offline_file) else {
            continue;
        };
        if let Some(file) = file {
            if file.nf_tables {
                managed_by_iptables_nft
                    .extend(file.tables.iter().map(|t| (family.to_owned(), t.clone())));
            }
            b.active = b.active && file.active();
            if host.is_live() || b.active {
                fw.chains.extend(file.chains);
            } else {
                fw.not_collected.insert(
                    backend.to_owned(),
                    format!(
                        "offline root: {offline_file} is kept raw in the backend; \
                         netfilter-persistent is not enabled, so these rules are not loaded \
                         at boot and are left out of chains"
                    ),
                );
            }
        }
        fw.backends.push(b);
    }
    if let Some(b) = nftables(host, &managed_by_iptables_nft, &mut fw) {
        fw.backends.push(b);
    }
    if let Some((b, chains)) = firewall_ufw::read(host, &fw.chains) {
        // Offline, ufw's files count only when ufw is enabled (ENABLED=yes).
        if b.active {
            fw.chains.extend(chains);
        } else if !chains.is_empty() {
            fw.not_collected.insert(
                "ufw".to_owned(),
                "offline root: ufw is not enabled (ENABLED=no in /etc/ufw/ufw.conf): its rules \
                 files are not loaded at boot and are left out of chains"
                    .to_owned(),
            );
        }
        fw.backends.push(b);
    }
    if let Some(b) = firewall_firewalld::read(host) {
        fw.backends.push(b);
    }
    if fw.backends.is_empty() {
        return Section::not_collected(
            "no firewall tool found (nft, iptables, ufw, firewalld not installed)",
        );
    }
    if fw.backends.iter().all(|b| b.error.is_some()) {
        let errors: Vec<String> = fw
            .backends
            .iter()
            .filter_map(|b| b.error.as_ref().map(|e| format!("{}: {e}", b.kind)))
            .collect();
        return Section::error(format!(
            "no firewall backend could be read: {}; run the agent as root",
            errors.join("; ")
        ));
    }
    Section::collected(fw)
}

/// Reads one iptables family: `*-save` when live, the iptables-persistent file offline.
fn iptables(
    host: &dyn Host,
    tool: &str,
    kind: &str,
    family: &str,
    offline_file: &str,
) -> Option<(FirewallBackend, Option<SaveFile>)> {
    let mut backend = FirewallBackend {
        kind: kind.to_owned(),
        active: true,
        enabled_at_boot: unit_enabled(host, "netfilter-persistent.service"),
        ..FirewallBackend::default()
    };
    let text = if host.is_live() {
        match run_text(host, tool, &[]) {
            Ok(text) => text,
            Err(CommandFailure::Unavailable(_)) => return None,
            Err(e) => {
                backend.active = false;
                backend.error = Some(e.to_string());
                return Some((backend, None));
            }
        }
    } else {
        let text = host.read_to_string(offline_file).ok()?;
        // Offline nothing is loaded: the file is what netfilter-persistent would load.
        backend.active = backend.enabled_at_boot == Some(true);
        text
    };
    let file = parse_save(&text, kind, family);
    backend.raw_text = Some(text);
    Some((backend, Some(file)))
}

/// Reads nftables: `nft -j list ruleset` when live, /etc/nftables.conf (raw) offline.
fn nftables(
    host: &dyn Host,
    skip: &[(String, String)],
    fw: &mut Firewall,
) -> Option<FirewallBackend> {
    let mut backend = FirewallBackend {
        kind: "nftables".to_owned(),
        active: false,
        enabled_at_boot: unit_enabled(host, "nftables.service"),
        ..FirewallBackend::default()
    };
    if !host.is_live() {
        let text = host.read_to_string("/etc/nftables.conf").ok()?;
        // The nft text language is not normalised: only live rulesets are (as JSON).
        backend.raw_text = Some(text);
        fw.not_collected.insert(
            "nftables".to_owned(),
            "offline root: /etc/nftables.conf is kept raw in the backend, its rules are not \
             normalised into chains (collect on the running system for that)"
                .to_owned(),
        );
        return Some(backend);
    }
    match run_text(host, "nft", &["-j", "list", "ruleset"]) {
        Ok(text) => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(json) => {
                // Active when it holds chains of its own, besides iptables-nft's.
                let chains = firewall_nft::normalise(&json, skip);
                backend.active = !chains.is_empty();
                fw.chains.extend(chains);
                fw.nftables_file = Some(firewall_nft_file::compare(host, &json));
                backend.raw_json = Some(json);
            }
            Err(e) => {
                backend.error = Some(format!("nft -j list ruleset: invalid JSON: {e}"));
                backend.raw_text = Some(text);
            }
        },
        Err(CommandFailure::Unavailable(_)) => return None,
        Err(e) => backend.error = Some(e.to_string()),
    }
    Some(backend)
}

/// Whether a systemd unit is enabled, from the `.wants` symbolic links; `None` when the unit
/// is not installed.
pub fn unit_enabled(host: &dyn Host, unit: &str) -> Option<bool> {
    let installed = [
        "/lib/systemd/system",
        "/usr/lib/systemd/system",
        "/etc/systemd/system",
    ]
    .iter()
    .any(|d| host.exists(&format!("{d}/{unit}")));
    if !installed {
        return None;
    }
    let wanted = host
        .read_dir("/etc/systemd/system")
        .unwrap_or_default()
        .iter()
        .filter(|d| d.ends_with(".wants"))
        .any(|d| host.exists(&format!("/etc/systemd/system/{d}/{unit}")));
    Some(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn offline_ufw_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("etc/ufw")).unwrap();
        fs::create_dir_all(root.join("etc/default")).unwrap();
        fs::write(
            root.join("etc/ufw/ufw.conf"),
            include_str!("testdata/ufw.conf"),
        )
        .unwrap();
        fs::write(
            root.join("etc/ufw/user.rules"),
            include_str!("testdata/ufw-user.rules"),
        )
        .unwrap();
        fs::write(
            root.join("etc/default/ufw"),
            "IPV6=yes\nDEFAULT_INPUT_POLICY=\"DROP\"\n",
        )
        .unwrap();
        let host = crate::host::LocalHost::offline(root);
        let Section::Collected { data } = firewall(&host) else {
            panic!("not collected");
        };
        let input: Vec<_> = data
            .chains
            .iter()
            .filter(|c| c.name == "ufw-user-input")
            .collect();
        insta::assert_json_snapshot!((&data.backends[0].kind, data.backends[0].active, input));
    }

    #[test]
    fn nothing_installed_is_not_collected() {
        let dir = tempfile::tempdir().unwrap();
        let host = crate::host::LocalHost::offline(dir.path());
        assert_eq!(firewall(&host).status(), "not_collected");
    }
}
