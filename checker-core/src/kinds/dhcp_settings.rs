//! The `dhcp_scope` kind's newer properties: lease duration, options by code, authorisation
//! in Active Directory and DNS dynamic-update settings.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::windows::{listed, same};
use constat_snapshot::windows::{DhcpDnsSettings, DhcpOption, DhcpScope, DhcpServer};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A duration in seconds from `8d`, `12h`, `1d12h`, `30m`, `3600s`, `3600`, or Windows'
/// `TimeSpan` text `8.00:00:00` / `01:30:00`.
pub(crate) fn duration_seconds(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.contains(':') {
        let (days, clock) = match t.split_once('.') {
            Some((d, rest)) if rest.contains(':') => (d.parse::<u64>().ok()?, rest),
            _ => (0, t),
        };
        let clock = clock.split('.').next()?;
        let parts: Vec<u64> = clock
            .split(':')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [h, m, s] = parts[..] else { return None };
        return Some(days * 86_400 + h * 3600 + m * 60 + s);
    }
    if let Ok(n) = t.parse::<u64>() {
        return Some(n);
    }
    let mut total = 0u64;
    let mut number = String::new();
    for c in t.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            'd' | 'j' => 86_400,
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(number.parse::<u64>().ok()?.checked_mul(unit)?)?;
        number.clear();
    }
    number.is_empty().then_some(total)
}

/// `691200` → `8 j`, `5400` → `1 h 30 min`.
pub(crate) fn show_duration(seconds: u64) -> String {
    let (d, h, m, s) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
        seconds % 60,
    );
    let parts: Vec<String> = [(d, "j"), (h, "h"), (m, "min"), (s, "s")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}"))
        .collect();
    if parts.is_empty() {
        "0 s".to_owned()
    } else {
        parts.join(" ")
    }
}

/// Values of an option: the scope's own, else the server-level one (Windows inheritance).
pub(crate) fn option<'a>(
    scope: &'a DhcpScope,
    server: &'a [DhcpOption],
    id: u32,
) -> Option<&'a DhcpOption> {
    scope
        .options
        .iter()
        .chain(server)
        .find(|o| o.option_id == id)
}

fn bare(v: &str) -> &str {
    v.trim().trim_end_matches('.')
}

/// `options: {3: [..], 6: [..]}`: every expected value is among the option's values
/// (scope's, else server's), case and a final `.` ignored.
pub(crate) fn check_options(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    at: (&'static str, &str),
    dhcp: &DhcpServer,
    scope: &DhcpScope,
    expected: &BTreeMap<u32, Vec<String>>,
) -> Status {
    let mut status = Status::Pass;
    for (code, values) in expected {
        let found = option(scope, &dhcp.server_options, *code);
        let name = match found.and_then(|o| o.name.as_deref()) {
            Some(n) => format!("option {code} ({n})"),
            None => format!("option {code}"),
        };
        let actual = found.map(|o| o.values.as_slice());
        status = status.and(check_values(host, out, at, name, values, actual));
    }
    status
}

/// One evidence line for an option's values: every expected value is among them (addresses
/// and names compared as `same(bare(..))`), the missing ones named; `None` = not set.
pub(crate) fn check_values(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    at: (&'static str, &str),
    name: String,
    expected: &[String],
    actual: Option<&[String]>,
) -> Status {
    let values = actual.unwrap_or_default();
    let missing: Vec<&str> = expected
        .iter()
        .filter(|v| !values.iter().any(|a| same(bare(a), bare(v))))
        .map(String::as_str)
        .collect();
    let status = Status::from_bool(actual.is_some() && missing.is_empty());
    let shown = match actual {
        None => "(absent)".to_owned(),
        Some(_) if missing.is_empty() => listed(values),
        Some(_) => format!("[{}]; missing {}", listed(values), missing.join(", ")),
    };
    out.push(host.evidence(
        at.0,
        at.1,
        name,
        format!("includes {}", expected.join(", ")),
        shown,
        status,
    ));
    status
}

/// How clients are registered in DNS (`Set-DhcpServerv4DnsSetting -DynamicUpdates`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DynamicUpdates {
    /// Always update A and PTR records.
    Always,
    /// Only when the client asks (Windows' default).
    OnClientRequest,
    /// Never.
    Never,
}

impl DynamicUpdates {
    fn windows_name(self) -> &'static str {
        match self {
            DynamicUpdates::Always => "Always",
            DynamicUpdates::OnClientRequest => "OnClientRequest",
            DynamicUpdates::Never => "Never",
        }
    }
}

/// `dns_updates:` of a `dhcp_scope`: each setting given must hold.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsUpdatesExpect {
    /// `always`, `on_client_request` or `never`.
    #[serde(default)]
    pub dynamic_updates: Option<DynamicUpdates>,
    /// Records deleted when the lease expires.
    #[serde(default)]
    pub delete_on_lease_expiry: Option<bool>,
    /// Records also registered for clients that do not ask.
    #[serde(default)]
    pub update_older_clients: Option<bool>,
    /// PTR records not registered.
    #[serde(default)]
    pub disable_ptr_update: Option<bool>,
    /// Name protection (DHCID records).
    #[serde(default)]
    pub name_protection: Option<bool>,
}

impl DnsUpdatesExpect {
    fn is_empty(&self) -> bool {
        self.dynamic_updates.is_none()
            && self.delete_on_lease_expiry.is_none()
            && self.update_older_clients.is_none()
            && self.disable_ptr_update.is_none()
            && self.name_protection.is_none()
    }
}

/// A boolean DNS setting: evidence name, expected value, how to read it.
type Flag = (
    &'static str,
    Option<bool>,
    fn(&DhcpDnsSettings) -> Option<bool>,
);

/// The scope's effective DNS settings (the probe reads them per scope), else the server's.
pub(crate) fn check_dns_updates(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    at: (&'static str, &str),
    dhcp: &DhcpServer,
    scope: &DhcpScope,
    expected: &DnsUpdatesExpect,
) -> Status {
    if expected.is_empty() {
        return Status::Pass;
    }
    let Some(settings) = scope.dns_settings.as_ref().or(dhcp.dns_settings.as_ref()) else {
        out.push(host.evidence(
            at.0,
            at.1,
            "dns_updates",
            "DNS update settings",
            "not observed (Get-DhcpServerv4DnsSetting not read by this probe)",
            Status::NotAssessable,
        ));
        return Status::NotAssessable;
    };
    let mut status = Status::Pass;
    if let Some(want) = expected.dynamic_updates {
        let actual = settings.dynamic_updates.as_deref();
        let st = match actual {
            Some(a) => Status::from_bool(same(a, want.windows_name())),
            None => Status::NotAssessable,
        };
        out.push(host.evidence(
            at.0,
            at.1,
            "dns_updates.dynamic_updates",
            want.windows_name(),
            actual.unwrap_or("(not observed)").to_owned(),
            st,
        ));
        status = status.and(st);
    }
    let flags: [Flag; 4] = [
        (
            "dns_updates.delete_on_lease_expiry",
            expected.delete_on_lease_expiry,
            |s| s.delete_on_lease_expiry,
        ),
        (
            "dns_updates.update_older_clients",
            expected.update_older_clients,
            |s| s.update_older_clients,
        ),
        (
            "dns_updates.disable_ptr_update",
            expected.disable_ptr_update,
            |s| s.disable_ptr_update,
        ),
        (
            "dns_updates.name_protection",
            expected.name_protection,
            |s| s.name_protection,
        ),
    ];
    for (name, want, read) in flags {
        let Some(want) = want else { continue };
        let actual = read(settings);
        let st = actual.map_or(Status::NotAssessable, |a| Status::from_bool(a == want));
        out.push(host.evidence(
            at.0,
            at.1,
            name,
            want.to_string(),
            actual.map_or_else(|| "(not observed)".to_owned(), |a| a.to_string()),
            st,
        ));
        status = status.and(st);
    }
    status
}

/// Whether the DHCP server of this host is authorised in AD: the directory's `DhcpRoot`
/// list when this snapshot has it (read over LDAP), else the probe's `Get-DhcpServerInDC`.
pub(crate) fn check_authorized(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    want: bool,
) -> Status {
    let sections = &host.snapshot.sections;
    let identity = &host.snapshot.host;
    let is_me = |name: &str| {
        let name = name.trim().trim_end_matches('.');
        same(name, &identity.hostname)
            || identity.fqdn.as_deref().is_some_and(|f| same(name, f))
            || name
                .split('.')
                .next()
                .is_some_and(|short| same(short, &identity.hostname))
    };
    if let Some(auth) = sections
        .directory
        .data()
        .and_then(|d| d.dhcp_authorizations.as_ref())
    {
        let listed_names: Vec<String> = auth
            .servers
            .iter()
            .map(|s| format!("{} ({})", s.name, s.address))
            .collect();
        let authorized = auth.servers.iter().any(|s| is_me(&s.name));
        let mut actual = if authorized {
            format!("authorized (DhcpRoot: {})", listed(&listed_names))
        } else {
            format!("not authorized (DhcpRoot: {})", listed(&listed_names))
        };
        if let Some(stale) = auth.unlisted.iter().find(|s| is_me(&s.name)) {
            actual.push_str(&format!(
                "; found instead: object CN={} under CN=NetServices, absent from DhcpRoot (no effect)",
                stale.name
            ));
        }
        if !auth.malformed.is_empty() {
            actual.push_str(&format!(
                "; unreadable values: {}",
                auth.malformed.join(" | ")
            ));
        }
        let st = Status::from_bool(authorized == want);
        out.push(host.evidence(
            "directory",
            path,
            "authorized (AD)",
            if want { "authorized" } else { "not authorized" },
            actual,
            st,
        ));
        return st;
    }
    let Some(dhcp) = sections.dhcp_server.data() else {
        out.push(host.evidence(
            "dhcp_server",
            path,
            "authorized (AD)",
            if want { "authorized" } else { "not authorized" },
            "not observed (neither the directory through LDAP nor the probe)",
            Status::NotAssessable,
        ));
        return Status::NotAssessable;
    };
    let (st, actual) = match dhcp.authorized {
        Some(a) => (
            Status::from_bool(a == want),
            if a {
                "authorized (Get-DhcpServerInDC)"
            } else {
                "not authorized (Get-DhcpServerInDC)"
            },
        ),
        None => (
            Status::NotAssessable,
            "unknown (Get-DhcpServerInDC did not answer)",
        ),
    };
    out.push(host.evidence(
        "dhcp_server",
        path,
        "authorized (AD)",
        if want { "authorized" } else { "not authorized" },
        actual,
        st,
    ));
    st
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_written_form() {
        for (text, secs) in [
            ("8.00:00:00", Some(691_200)),
            ("01:30:00", Some(5400)),
            ("1.12:00:00", Some(129_600)),
            ("8d", Some(691_200)),
            ("8 j", Some(691_200)),
            ("1d12h", Some(129_600)),
            ("90m", Some(5400)),
            ("3600", Some(3600)),
            ("3600s", Some(3600)),
            ("8 jours", None),
            ("", None),
            ("1:2", None),
        ] {
            assert_eq!(duration_seconds(text), secs, "{text}");
        }
        assert_eq!(show_duration(691_200), "8 j");
        assert_eq!(show_duration(5400), "1 h 30 min");
    }
}
