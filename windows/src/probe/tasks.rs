//! Scheduled tasks: the probe's projection, `Get-ScheduledTask | ConvertTo-Json` at depth 2
//! (actions and triggers collapsed to class names, `State` as an integer) or a projected
//! object; a single task may come as a bare object.

use crate::probe::value::{enum_name, int, items, list, text};
use constat_snapshot::jobs::{JobKind, ScheduledJob};
use serde_json::Value;

const STATE: &[(i64, &str)] = &[
    (0, "Unknown"),
    (1, "Disabled"),
    (2, "Queued"),
    (3, "Ready"),
    (4, "Running"),
];

fn trigger_text(trigger: &Value) -> String {
    match trigger {
        // Depth-2 JSON keeps only the CIM class name.
        Value::String(class) => class
            .trim_start_matches("MSFT_Task")
            .trim_end_matches("Trigger")
            .to_ascii_lowercase(),
        object => {
            let kind = text(object, "Type").unwrap_or_default();
            let kind = kind
                .trim_start_matches("MSFT_Task")
                .trim_end_matches("Trigger")
                .to_ascii_lowercase();
            let start = text(object, "StartBoundary")
                .map(|s| format!(" {s}"))
                .unwrap_or_default();
            let days = int(object, "DaysOfWeek")
                .map(|d| format!(" days-of-week-mask={d}"))
                .unwrap_or_default();
            format!("{kind}{start}{days}")
        }
    }
}

/// Tasks sorted by path.
pub fn normalise_tasks(data: &Value) -> Result<Vec<ScheduledJob>, String> {
    let mut jobs: Vec<ScheduledJob> = items(data)
        .iter()
        .map(|t| {
            let name = text(t, "TaskName")
                .or_else(|| text(t, "Name"))
                .ok_or("a task has no TaskName")?;
            let path = text(t, "TaskPath")
                .or_else(|| text(t, "Path"))
                .unwrap_or_else(|| "\\".to_owned());
            let state = enum_name(t, "State", STATE).unwrap_or_else(|| "Unknown".to_owned());
            let user =
                text(t, "UserId").or_else(|| t.get("Principal").and_then(|p| text(p, "UserId")));
            let actions: Vec<String> = list(t, "Actions")
                .iter()
                .map(|a| match a {
                    Value::String(class) => format!("[{class}]"),
                    object => [text(object, "Execute"), text(object, "Arguments")]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                })
                .collect();
            let triggers: Vec<String> = list(t, "Triggers").iter().map(trigger_text).collect();
            Ok(ScheduledJob {
                kind: JobKind::WindowsTask,
                source: format!(
                    "{}{name}",
                    if path.ends_with('\\') {
                        path.clone()
                    } else {
                        format!("{path}\\")
                    }
                ),
                name,
                user,
                schedule: triggers.join("; "),
                cron: None,
                command: actions.join(" && "),
                unit: None,
                enabled: state != "Disabled",
                last_run: text(t, "LastRunTime"),
                next_run: text(t, "NextRunTime"),
                last_result: text(t, "LastTaskResult"),
            })
        })
        .collect::<Result<_, String>>()?;
    jobs.sort_by_key(|j| j.source.to_ascii_lowercase());
    Ok(jobs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// Recorded real outputs (SOURCES.md §3.7): raw PS 5.1 `Get-ScheduledTask | ConvertTo-Json`
    /// at depth 2 (Azure docs) and a projected single task emitted as a bare object
    /// (mondoohq/cnquery testdata).
    #[test]
    fn recorded_tasks() {
        let parse =
            |name: &str| -> Value { serde_json::from_str(&sample(name)).unwrap_or_default() };
        insta::assert_yaml_snapshot!((
            normalise_tasks(&parse(
                "Azure_Service-Fabric-Troubleshooting-Guides__Get-ScheduledTask_ConvertTo-Json_ps51_depth2.json"
            )),
            normalise_tasks(&parse(
                "mondoohq_cnquery__windows_testdata__scheduled-task-single.PROJECTED.json"
            )),
        ));
    }
}
