//! DHCP and DNS server roles, from the probe's projections of the DhcpServer and DnsServer
//! modules.

use crate::probe::value::{boolean, int, list, strings, text};
use constat_snapshot::ad::{DnsRecord, DnsZone};
use constat_snapshot::windows::{
    DhcpLease, DhcpOption, DhcpReservation, DhcpScope, DhcpServer, DnsServer,
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
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(DhcpServer {
        authorized: boolean(data, "Authorized"),
        server_options: options(data, "ServerOptions"),
        scopes,
        failover: Vec::new(),
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
                records,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(DnsServer {
        forwarders: strings(data, "Forwarders"),
        zones,
    })
}
