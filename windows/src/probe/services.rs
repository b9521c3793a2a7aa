//! Services: `Win32_Service` as the probe writes it, or `Get-Service | ConvertTo-Json`
//! (PS 5.1 integers: Status 1 Stopped … 4 Running, StartType 2 Automatic, 3 Manual, 4 Disabled).

use crate::probe::value::{enum_name, int, items, text};
use constat_snapshot::services::{Service, ServiceManager};
use serde_json::Value;

const STATUS: &[(i64, &str)] = &[
    (1, "Stopped"),
    (2, "StartPending"),
    (3, "StopPending"),
    (4, "Running"),
    (5, "ContinuePending"),
    (6, "PausePending"),
    (7, "Paused"),
];
const START: &[(i64, &str)] = &[
    (0, "Boot"),
    (1, "System"),
    (2, "Automatic"),
    (3, "Manual"),
    (4, "Disabled"),
];

/// Services sorted by name.
pub fn normalise_services(data: &Value) -> Result<Vec<Service>, String> {
    let mut services: Vec<Service> = items(data)
        .iter()
        .map(|s| {
            let state = enum_name(s, "State", STATUS).or_else(|| enum_name(s, "Status", STATUS));
            let start =
                enum_name(s, "StartMode", START).or_else(|| enum_name(s, "StartType", START));
            Ok(Service {
                name: text(s, "Name").ok_or("a service has no Name")?,
                description: text(s, "DisplayName"),
                manager: ServiceManager::Windows,
                running: state.as_deref() == Some("Running"),
                enabled: start
                    .as_deref()
                    .map(|m| m == "Auto" || m == "Automatic" || m == "Boot" || m == "System"),
                state,
                sub_state: None,
                start_mode: start,
                main_pid: int(s, "ProcessId").filter(|p| *p > 0).map(|p| p as u32),
                path: None,
                exec: text(s, "PathName"),
                user: text(s, "StartName"),
                ..Service::default()
            })
        })
        .collect::<Result<_, String>>()?;
    services.sort_by_key(|s| s.name.to_ascii_lowercase());
    Ok(services)
}
