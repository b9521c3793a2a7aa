//! Group Policy Preferences XML files (`Machine|User/Preferences/<Family>/<Family>.xml`):
//! Drives, Groups, ScheduledTasks, Files, Printers, Shortcuts and the other families, read
//! generically (every item with a `<Properties>` child) plus family-specific fields.

use crate::error::ParseError;
use crate::gpo::gplink::KNOWN_CSES;
use crate::gpo::text::{decode, strip_xml_declaration};
use constat_snapshot::gpo::{PolicyScope, Preference};
use roxmltree::{Document, Node};

/// Root element → (kind, CSE name in [`KNOWN_CSES`]).
const FAMILIES: &[(&str, &str, &str)] = &[
    ("Drives", "drives", "Drive Maps"),
    ("Groups", "groups", "Local Users and Groups"),
    ("ScheduledTasks", "scheduled_tasks", "Scheduled Tasks"),
    ("Files", "files", "Files"),
    ("Folders", "folders", "Folders"),
    ("Printers", "printers", "Printers"),
    ("Shortcuts", "shortcuts", "Shortcuts"),
    ("RegistrySettings", "registry", "Registry (Preferences)"),
    ("NetworkShareSettings", "shares", "Network Shares"),
    (
        "EnvironmentVariables",
        "environment",
        "Environment Variables",
    ),
    ("IniFiles", "ini_files", "Ini Files"),
    ("NTServices", "services", "Services"),
    ("DataSources", "data_sources", "Data Sources"),
    ("Devices", "devices", "Devices"),
    ("PowerOptions", "power_options", "Power Options"),
    ("Regional", "regional_options", "Regional Options"),
    ("StartMenuTaskbar", "start_menu", "Start Menu"),
    ("FolderOptions", "folder_options", "Folder Options"),
    ("NetworkOptions", "network_options", "Network Options"),
    ("InternetSettings", "internet_settings", "Internet Settings"),
];

/// The CSE GUID that makes clients apply a preference family (`drives` → Drive Maps).
pub fn family_cse(kind: &str) -> Option<&'static str> {
    let (_, _, cse_name) = FAMILIES.iter().find(|(_, k, _)| *k == kind)?;
    KNOWN_CSES
        .iter()
        .find(|(_, name)| name == cse_name)
        .map(|(guid, _)| *guid)
}

/// Parses one preferences XML file. `file` names it in errors. `effective` is left unset:
/// the caller knows the GPO container.
pub fn parse_gpp(
    bytes: &[u8],
    scope: PolicyScope,
    file: &str,
) -> Result<Vec<Preference>, ParseError> {
    let (text, _) = decode(bytes);
    let doc = Document::parse(strip_xml_declaration(&text)).map_err(|e| ParseError::Xml {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let root = doc.root_element();
    let root_name = root.tag_name().name();
    let kind = FAMILIES
        .iter()
        .find(|(element, _, _)| *element == root_name)
        .map_or_else(
            || root_name.to_ascii_lowercase(),
            |(_, kind, _)| (*kind).to_owned(),
        );
    let cse = family_cse(&kind).map(str::to_owned);
    let mut items = Vec::new();
    collect_items(root, scope, &kind, cse.as_deref(), &mut items);
    Ok(items)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

pub(crate) fn collect_items(
    node: Node<'_, '_>,
    scope: PolicyScope,
    kind: &str,
    cse: Option<&str>,
    out: &mut Vec<Preference>,
) {
    for item in node.children().filter(Node::is_element) {
        match child(item, "Properties") {
            Some(props) => out.push(item_of(item, props, scope, kind, cse)),
            // `<Collection>` folders group items.
            None => collect_items(item, scope, kind, cse, out),
        }
    }
}

fn attr(node: Node<'_, '_>, name: &str) -> Option<String> {
    node.attribute(name)
        .map(str::to_owned)
        .filter(|v| !v.is_empty())
}

fn item_of(
    item: Node<'_, '_>,
    props: Node<'_, '_>,
    scope: PolicyScope,
    kind: &str,
    cse: Option<&str>,
) -> Preference {
    let mut pref = Preference {
        kind: kind.to_owned(),
        scope,
        element: item.tag_name().name().to_owned(),
        name: item.attribute("name").unwrap_or_default().to_owned(),
        action: props.attribute("action").map(|a| {
            match a {
                "C" => "create",
                "R" => "replace",
                "U" => "update",
                "D" => "delete",
                other => other,
            }
            .to_owned()
        }),
        disabled: item.attribute("disabled") == Some("1"),
        effective: None,
        cse_guid: cse.map(str::to_owned),
        has_cpassword: props.attribute("cpassword").is_some_and(|p| !p.is_empty()),
        filtered: child(item, "Filters").is_some_and(|f| f.children().any(|c| c.is_element())),
        properties: props
            .attributes()
            .filter(|a| a.name() != "cpassword")
            .map(|a| (a.name().to_owned(), a.value().to_owned()))
            .collect(),
        ..Preference::default()
    };
    match kind {
        "drives" => {
            pref.letter = attr(props, "letter");
            pref.path = attr(props, "path");
            pref.label = attr(props, "label");
        }
        "groups" => {
            if let Some(members) = child(props, "Members") {
                pref.members = members
                    .children()
                    .filter(|m| m.is_element())
                    .map(|m| {
                        let who = m
                            .attribute("name")
                            .filter(|n| !n.is_empty())
                            .or(m.attribute("sid"))
                            .unwrap_or_default();
                        format!("{}:{who}", m.attribute("action").unwrap_or("ADD"))
                    })
                    .collect();
            }
            pref.path = attr(props, "groupName").or_else(|| attr(props, "userName"));
        }
        "scheduled_tasks" => scheduled_task(props, &mut pref),
        "files" => pref.path = attr(props, "targetPath"),
        "printers" => pref.path = attr(props, "path").or_else(|| attr(props, "localName")),
        "shortcuts" => {
            pref.path = attr(props, "shortcutPath");
            pref.command = attr(props, "targetPath");
            pref.arguments = attr(props, "arguments");
        }
        _ => pref.path = attr(props, "path"),
    }
    pref
}

fn scheduled_task(props: Node<'_, '_>, pref: &mut Preference) {
    pref.run_as = attr(props, "runAs");
    // Old-style `<Task>`: attributes on Properties and `<Triggers><Trigger type=…>`.
    pref.command = attr(props, "appName");
    pref.arguments = attr(props, "args");
    if let Some(triggers) = child(props, "Triggers") {
        for trigger in triggers.children().filter(Node::is_element) {
            let kind = trigger
                .attribute("type")
                .unwrap_or("?")
                .to_ascii_lowercase();
            let time = match (
                trigger.attribute("startHour"),
                trigger.attribute("startMinutes"),
            ) {
                (Some(h), Some(m)) => format!(" {:0>2}:{:0>2}", h, m),
                _ => String::new(),
            };
            pref.triggers.push(format!("{kind}{time}"));
        }
    }
    // TaskV2 / ImmediateTaskV2: a Task Scheduler 2.0 definition under Properties/Task.
    if let Some(task) = child(props, "Task") {
        if let Some(principal) = child(task, "Principals").and_then(|p| child(p, "Principal"))
            && let Some(user) = child(principal, "UserId").and_then(|u| u.text())
        {
            pref.run_as.get_or_insert_with(|| user.to_owned());
        }
        if let Some(exec) = child(task, "Actions").and_then(|a| child(a, "Exec")) {
            pref.command = child(exec, "Command")
                .and_then(|c| c.text())
                .map(str::to_owned);
            pref.arguments = child(exec, "Arguments")
                .and_then(|c| c.text())
                .map(str::to_owned);
        }
        if let Some(triggers) = child(task, "Triggers") {
            for trigger in triggers.children().filter(Node::is_element) {
                let name = trigger
                    .tag_name()
                    .name()
                    .trim_end_matches("Trigger")
                    .to_ascii_lowercase();
                let start = child(trigger, "StartBoundary")
                    .and_then(|s| s.text())
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default();
                pref.triggers.push(format!("{name}{start}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recorded real SYSVOL files: samples/rapid7_metasploit__gpp_sysvol_Drives_and_ScheduledTasks.xml.txt
    /// (SOURCES.md §3.10; two documents in one file, split at the second declaration).
    #[test]
    fn recorded_drives_and_scheduled_tasks() {
        let text = include_str!(
            "../../tests/fixtures/samples/rapid7_metasploit__gpp_sysvol_Drives_and_ScheduledTasks.xml.txt"
        );
        let mut docs = text.split("<?xml").skip(1).map(|d| {
            let d = format!("<?xml{d}");
            // Drop the trailing comment of the sample file.
            let end = d.rfind('>').map_or(d.len(), |i| i + 1);
            let end = d[..end].rfind("<!--").filter(|&i| i > 40).unwrap_or(end);
            d[..end].to_owned()
        });
        let drives = docs.next().unwrap_or_default();
        let tasks = docs.next().unwrap_or_default();
        insta::assert_yaml_snapshot!((
            parse_gpp(
                drives.as_bytes(),
                PolicyScope::User,
                "User/Preferences/Drives/Drives.xml"
            )
            .map_err(|e| e.to_string()),
            parse_gpp(
                tasks.as_bytes(),
                PolicyScope::Machine,
                "Machine/Preferences/ScheduledTasks/ScheduledTasks.xml"
            )
            .map_err(|e| e.to_string()),
        ));
    }

    #[test]
    fn groups_task_v2_and_bad_xml() {
        // Shapes from the GPP schema (Groups.xml with members, ScheduledTasks TaskV2).
        let groups = r#"<?xml version="1.0" encoding="utf-8"?>
<Groups clsid="{3125E937-EB16-4b4c-9934-544FC6D24D26}"><Group clsid="{6D4A79E4-529C-4481-ABD0-F5BD7EA93BA7}" name="Administrateurs (intégré)" image="2" uid="{1}"><Properties action="U" newName="" description="" deleteAllUsers="0" deleteAllGroups="0" removeAccounts="0" groupSid="S-1-5-32-544" groupName="Administrateurs (intégré)"><Members><Member name="TSSR\GG_Support" action="ADD" sid="S-1-5-21-1-2-3-1105"/></Members></Properties><Filters><FilterGroup bool="AND" not="0" name="TSSR\GG_Postes" sid="S-1-5-21-1-2-3-1106" userContext="0" primaryGroup="0" localGroup="0"/></Filters></Group></Groups>"#;
        let tasks = r#"<ScheduledTasks clsid="{CC63F200-7309-4ba0-B154-A71CD118DBCC}"><TaskV2 clsid="{D8896631-B747-47a7-84A6-C155337F3BC8}" name="Sauvegarde" image="2" uid="{2}"><Properties action="U" name="Sauvegarde" runAs="NT AUTHORITY\System" logonType="S4U"><Task version="1.2"><Triggers><CalendarTrigger><StartBoundary>2024-01-01T02:00:00</StartBoundary><Enabled>true</Enabled><ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger></Triggers><Actions Context="Author"><Exec><Command>wbadmin.exe</Command><Arguments>start backup -quiet</Arguments></Exec></Actions></Task></Properties></TaskV2></ScheduledTasks>"#;
        insta::assert_yaml_snapshot!((
            parse_gpp(groups.as_bytes(), PolicyScope::Machine, "Groups.xml")
                .map_err(|e| e.to_string()),
            parse_gpp(tasks.as_bytes(), PolicyScope::Machine, "ScheduledTasks.xml")
                .map_err(|e| e.to_string()),
            parse_gpp(
                b"<Drives><Drive>",
                PolicyScope::User,
                "User/Preferences/Drives/Drives.xml"
            )
            .map_err(|e| e.to_string()),
        ));
    }
}
