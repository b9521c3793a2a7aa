//! WSUS: the client policy from `reg query HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate /s`
//! text, and the server role from `Get-WsusServer`.

use crate::probe::value::{boolean, int, list, strings, text};
use constat_snapshot::windows::{WsusClient, WsusComputer, WsusServer};
use serde_json::Value;

/// Parses `reg query … /s` output (`    Name    REG_TYPE    data`).
pub fn parse_wsus_reg_query(output: &str) -> WsusClient {
    let mut client = WsusClient::default();
    let mut subkey = String::new();
    for line in output.lines() {
        let trimmed = line.trim();
        if trimmed
            .to_ascii_uppercase()
            .starts_with("HKEY_LOCAL_MACHINE\\")
        {
            let upper = trimmed.to_ascii_uppercase();
            if let Some(index) = upper.find("\\WINDOWSUPDATE") {
                client.policy_present = true;
                subkey = trimmed[index + "\\WINDOWSUPDATE".len()..]
                    .trim_start_matches('\\')
                    .to_owned();
            }
            continue;
        }
        if !line.starts_with("    ") {
            continue;
        }
        let mut parts = trimmed.splitn(2, "    REG_");
        let (Some(name), Some(rest)) = (parts.next(), parts.next()) else {
            continue;
        };
        let name = name.trim().to_owned();
        let data = rest
            .split_once("    ")
            .map_or("", |(_, d)| d)
            .trim()
            .to_owned();
        let number = data
            .strip_prefix("0x")
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        let key = if subkey.is_empty() {
            format!("WindowsUpdate\\{name}")
        } else {
            format!("{subkey}\\{name}")
        };
        let in_au = subkey.eq_ignore_ascii_case("AU");
        match (in_au, name.as_str()) {
            (false, "WUServer") => client.wu_server = Some(data.clone()).filter(|d| !d.is_empty()),
            (false, "WUStatusServer") => {
                client.wu_status_server = Some(data.clone()).filter(|d| !d.is_empty())
            }
            (false, "TargetGroup") => {
                client.target_group = Some(data.clone()).filter(|d| !d.is_empty())
            }
            (false, "TargetGroupEnabled") => client.target_group_enabled = number.map(|n| n != 0),
            (true, "UseWUServer") => client.use_wu_server = number.map(|n| n != 0),
            (true, "AUOptions") => client.au_options = number,
            (true, "NoAutoUpdate") => client.no_auto_update = number.map(|n| n != 0),
            (true, "ScheduledInstallDay") => client.scheduled_install_day = number,
            (true, "ScheduledInstallTime") => client.scheduled_install_time = number,
            (true, "DetectionFrequency") => client.detection_frequency_hours = number,
            _ => {}
        }
        client
            .values
            .insert(key, number.map_or(data, |n| n.to_string()));
    }
    client
}

/// The probe's `wsus_client` data: `{reg_query, exit_code}`. `reg query` exits 1 when the
/// key does not exist: the policy is then absent, which is a collected fact.
pub fn normalise_wsus_client(data: &Value) -> Result<WsusClient, String> {
    let output = text(data, "reg_query").unwrap_or_default();
    let client = parse_wsus_reg_query(&output);
    if !client.policy_present && int(data, "exit_code") == Some(0) {
        return Err(format!("unexpected reg query output: {output}"));
    }
    Ok(client)
}

/// The probe's `wsus_server` projection.
pub fn normalise_wsus_server(data: &Value) -> Result<WsusServer, String> {
    Ok(WsusServer {
        name: text(data, "Name"),
        port: crate::probe::value::int(data, "PortNumber").map(|p| p as u16),
        use_ssl: boolean(data, "UseSecureConnection"),
        content_dir: text(data, "ContentDir"),
        targeting_mode: text(data, "TargetingMode"),
        products: strings(data, "Products"),
        classifications: strings(data, "Classifications"),
        languages: strings(data, "Languages"),
        target_groups: strings(data, "TargetGroups"),
        computers: list(data, "Computers")
            .iter()
            .map(|c| WsusComputer {
                name: text(c, "FullDomainName").unwrap_or_default(),
                ip_address: text(c, "IPAddress"),
                groups: strings(c, "Groups"),
                last_reported: text(c, "LastReportedStatusTime"),
            })
            .collect(),
        last_sync: text(data, "LastSyncTime"),
        last_sync_result: text(data, "LastSyncResult"),
        approval_rules: strings(data, "ApprovalRules"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// Recorded real `reg query` outputs (SOURCES.md §3.9): HTTP WSUS with AU options, and
    /// an HTTPS variant. UseWUServer lives under `\AU`.
    #[test]
    fn recorded_reg_query() {
        let text = sample("wsus_client_reg_query__htb_outdated.txt");
        let (first, second) = text.split_once("# Second").unwrap_or((&text, ""));
        insta::assert_yaml_snapshot!((parse_wsus_reg_query(first), parse_wsus_reg_query(second)));
    }

    #[test]
    fn absent_policy_is_collected_as_absent() {
        let absent = serde_json::json!({"reg_query": "ERROR: The system was unable to find the specified registry key or value.\r\n", "exit_code": 1});
        insta::assert_yaml_snapshot!(normalise_wsus_client(&absent));
    }
}
