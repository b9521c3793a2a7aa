//! DHCP and DNS server roles, from the probe's projections of the DhcpServer and DnsServer
//! modules.

use crate::probe::value::{boolean, int, list, strings, text};
use constat_snapshot::ad::{DnsRecord, DnsZone};
use constat_snapshot::windows::{
    DhcpDnsSettings, DhcpLease, DhcpOption, DhcpReservation, DhcpScope, DhcpServer, DnsServer,
};
use serde_json::Value;

fn options(value: &Value, key: &str) -> Vec<DhcpOption> {
    list(value, key)
        .iter()
        .map(|o| DhcpOption {
            option_id: int(o, "OptionId").unwrap_or(0) as u32,
            name: text(o, "Name"),
            values: strings(o, "Value"),
        })
        .collect()
}

/// `Get-DhcpServerv4DnsSetting` as the probe projects it; `None` when not read (an older
/// probe, or the cmdlet failed).
fn dns_settings(value: &Value, key: &str) -> Option<DhcpDnsSettings> {
    let s = value.get(key).filter(|v| v.is_object())?;
    Some(DhcpDnsSettings {
        dynamic_updates: text(s, "DynamicUpdates"),
        delete_on_lease_expiry: boolean(s, "DeleteDnsRROnLeaseExpiry"),
        update_older_clients: boolean(s, "UpdateDnsRRForOlderClients"),
        disable_ptr_update: boolean(s, "DisableDnsPtrRRUpdate"),
        name_protection: boolean(s, "NameProtection"),
    })
}

/// DHCP server.
pub fn normalise_dhcp(data: &Value) -> Result<DhcpServer, String> {
    let scopes = list(data, "Scopes")
        .iter()
        .map(|s| {
            Ok(DhcpScope {
                scope_id: text(s, "ScopeId").ok_or("a DHCP scope has no ScopeId")?,
                name: text(s, "Name"),
                subnet_mask: text(s, "SubnetMask").unwrap_or_default(),
                start: text(s, "StartRange").unwrap_or_default(),
                end: text(s, "EndRange").unwrap_or_default(),
                state: text(s, "State").unwrap_or_default(),
                lease_duration: text(s, "LeaseDuration"),
                exclusions: strings(s, "Exclusions"),
                options: options(s, "Options"),
                reservations: list(s, "Reservations")
                    .iter()
                    .map(|r| DhcpReservation {
                        ip_address: text(r, "IPAddress").unwrap_or_default(),
                        client_id: text(r, "ClientId").unwrap_or_default(),
                        name: text(r, "Name"),
                    })
                    .collect(),
                leases: list(s, "Leases")
                    .iter()
                    .map(|l| DhcpLease {
                        ip_address: text(l, "IPAddress").unwrap_or_default(),
                        client_id: text(l, "ClientId").unwrap_or_default(),
                        host_name: text(l, "HostName"),
                        state: text(l, "AddressState"),
                        expires: text(l, "LeaseExpiryTime"),
                    })
                    .collect(),
                dns_settings: dns_settings(s, "DnsSettings"),
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(DhcpServer {
        authorized: boolean(data, "Authorized"),
        server_options: options(data, "ServerOptions"),
        scopes,
        failover: Vec::new(),
        dns_settings: dns_settings(data, "DnsSettings"),
    })
}

/// DNS server.
pub fn normalise_dns(data: &Value) -> Result<DnsServer, String> {
    let zones = list(data, "Zones")
        .iter()
        .map(|z| {
            let mut records: Vec<DnsRecord> = list(z, "Records")
                .iter()
                .map(|r| DnsRecord {
                    name: text(r, "HostName").unwrap_or_else(|| "@".to_owned()),
                    record_type: text(r, "RecordType").unwrap_or_default(),
                    ttl: int(r, "TimeToLive").map(|t| t as u32),
                    data: text(r, "Data").unwrap_or_default(),
                })
                .collect();
            records.sort_by(|a, b| {
                (a.name.to_ascii_lowercase(), &a.record_type)
                    .cmp(&(b.name.to_ascii_lowercase(), &b.record_type))
            });
            Ok(DnsZone {
                name: text(z, "ZoneName").ok_or("a DNS zone has no ZoneName")?,
                storage: if boolean(z, "IsDsIntegrated") == Some(true) {
                    "ad".to_owned()
                } else {
                    "file".to_owned()
                },
                reverse: boolean(z, "IsReverseLookupZone").unwrap_or(false),
                zone_type: text(z, "ZoneType"),
                dynamic_update: text(z, "DynamicUpdate"),
                errors: Vec::new(),
                records,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(DnsServer {
        forwarders: strings(data, "Forwarders"),
        zones,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// No recorded `Get-DhcpServerv4DnsSetting` output exists (SOURCES.md 3.21): the shape is
    /// the probe's projection of the properties Microsoft documents, with a PS 5.1 `1`/`2`
    /// boolean; an older probe without `DnsSettings` reads as "not read", never as false.
    #[test]
    fn dns_settings_of_server_and_scope() {
        let data = json!({
            "Authorized": true,
            "DnsSettings": {"DynamicUpdates": "OnClientRequest", "DeleteDnsRROnLeaseExpiry": true,
                            "UpdateDnsRRForOlderClients": false, "DisableDnsPtrRRUpdate": false,
                            "NameProtection": 2},
            "Scopes": [
                {"ScopeId": "192.168.10.0", "SubnetMask": "255.255.255.0", "State": "Active",
                 "LeaseDuration": "8.00:00:00",
                 "DnsSettings": {"DynamicUpdates": "Always", "DeleteDnsRROnLeaseExpiry": "True"}},
                {"ScopeId": "192.168.20.0", "SubnetMask": "255.255.255.0", "State": "Active"}
            ]
        });
        let dhcp = normalise_dhcp(&data).expect("normalises");
        let server = dhcp.dns_settings.expect("server settings");
        assert_eq!(server.dynamic_updates.as_deref(), Some("OnClientRequest"));
        assert_eq!(server.name_protection, Some(false));
        let scope = dhcp.scopes[0]
            .dns_settings
            .as_ref()
            .expect("scope settings");
        assert_eq!(scope.dynamic_updates.as_deref(), Some("Always"));
        assert_eq!(scope.delete_on_lease_expiry, Some(true));
        assert_eq!(scope.update_older_clients, None);
        assert_eq!(dhcp.scopes[1].dns_settings, None);
    }
}
