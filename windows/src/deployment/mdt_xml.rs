//! MDT deployment share XML control files, as the Deployment Workbench writes them:
//! `TaskSequences.xml` (`<tss><ts guid hide enable>`), `Applications.xml`
//! (`<applications><application guid hide enable>`) and `Settings.xml` (the share's own
//! properties: `UNCPath`, `Description`…). A DTD is refused (no entity expansion); every
//! error says which file and where.

use crate::gpo::text::strip_xml_declaration;
use constat_snapshot::deployment::{MdtApplication, TaskSequence};
use roxmltree::{Document, Node};

/// Elements read at most per file (a share has tens).
pub const MAX_ENTRIES: usize = 5_000;

/// The share's properties read from `Settings.xml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareSettings {
    /// `<UNCPath>`.
    pub unc_path: Option<String>,
    /// `<Description>`.
    pub description: Option<String>,
}

/// Parses `TaskSequences.xml`.
pub fn task_sequences(text: &str) -> Result<Vec<TaskSequence>, String> {
    let doc = parse(text)?;
    let root = doc.root_element();
    expect_root(root, "tss")?;
    Ok(root
        .children()
        .filter(|n| n.has_tag_name("ts"))
        .take(MAX_ENTRIES)
        .map(|ts| TaskSequence {
            id: child_text(ts, "ID").unwrap_or_default(),
            name: child_text(ts, "Name").unwrap_or_default(),
            template: child_text(ts, "TaskSequenceTemplate"),
            version: child_text(ts, "Version"),
            enabled: !attribute_false(ts, "enable"),
            hidden: attribute_true(ts, "hide"),
        })
        .collect())
}

/// Parses `Applications.xml`.
pub fn applications(text: &str) -> Result<Vec<MdtApplication>, String> {
    let doc = parse(text)?;
    let root = doc.root_element();
    expect_root(root, "applications")?;
    Ok(root
        .children()
        .filter(|n| n.has_tag_name("application"))
        .take(MAX_ENTRIES)
        .map(|app| MdtApplication {
            name: child_text(app, "Name").unwrap_or_default(),
            short_name: child_text(app, "ShortName"),
            version: child_text(app, "Version"),
            command_line: child_text(app, "CommandLine"),
            enabled: !attribute_false(app, "enable"),
            hidden: attribute_true(app, "hide"),
            dependencies: u32::try_from(
                app.children()
                    .filter(|n| n.has_tag_name("Dependency"))
                    .count(),
            )
            .unwrap_or(u32::MAX),
        })
        .collect())
}

/// Parses `Settings.xml`.
pub fn settings(text: &str) -> Result<ShareSettings, String> {
    let doc = parse(text)?;
    let root = doc.root_element();
    expect_root(root, "Settings")?;
    Ok(ShareSettings {
        unc_path: child_text(root, "UNCPath"),
        description: child_text(root, "Description"),
    })
}

fn parse(text: &str) -> Result<Document<'_>, String> {
    Document::parse(strip_xml_declaration(text)).map_err(|e| {
        let pos = e.pos();
        format!("{}:{}: {e}", pos.row, pos.col)
    })
}

fn expect_root(root: Node<'_, '_>, name: &str) -> Result<(), String> {
    if root.has_tag_name(name) {
        Ok(())
    } else {
        Err(format!(
            "root element <{}>, expected <{name}>",
            root.tag_name().name()
        ))
    }
}

/// A child element's text, trimmed; `None` when absent or blank.
fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    node.children()
        .find(|n| n.has_tag_name(name))
        .and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

fn attribute_true(node: Node<'_, '_>, name: &str) -> bool {
    node.attribute(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

fn attribute_false(node: Node<'_, '_>, name: &str) -> bool {
    node.attribute(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("false"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// Real `TaskSequences.xml` files: `technology-toolbox/MDT-Deploy` (indented, CRLF) and
    /// `Folinics/MDT-Windows11-Deployment` (one line); tests/fixtures/samples/SOURCES.md 3.18 and 3.22.
    #[test]
    fn real_task_sequences() {
        let all = task_sequences(&sample(
            "technology-toolbox_MDT-Deploy__Control_TaskSequences.xml",
        ))
        .unwrap();
        insta::assert_debug_snapshot!(all);
        let one = task_sequences(&sample(
            "Folinics_MDT-Windows11-Deployment__Control_TaskSequences.xml",
        ))
        .unwrap();
        assert_eq!(
            one,
            [TaskSequence {
                id: "W11-22H2-MUI".into(),
                name: "Windows 11 (22H2) - MUI".into(),
                template: Some("Client.xml".into()),
                version: Some("1.0".into()),
                enabled: true,
                hidden: false,
            }]
        );
    }

    /// Real `Applications.xml` (cut to 8 of 26 entries, with bundles and hidden entries).
    #[test]
    fn real_applications() {
        let apps = applications(&sample(
            "technology-toolbox_MDT-Deploy__Control_Applications_excerpt.xml",
        ))
        .unwrap();
        insta::assert_debug_snapshot!(apps);
    }

    /// Real `Settings.xml` (`Folinics/MDT-Windows11-Deployment`).
    #[test]
    fn real_settings() {
        assert_eq!(
            settings(&sample(
                "Folinics_MDT-Windows11-Deployment__Control_Settings.xml"
            )),
            Ok(ShareSettings {
                unc_path: Some(r"\\WDS002-BUENO\Deploy$".into()),
                description: Some("BuenoNet Windows 11 Deployment".into()),
            })
        );
    }

    #[test]
    fn malformed_xml_a_dtd_or_another_root_is_an_error() {
        let cut = task_sequences("<tss><ts><ID>X</ID>").unwrap_err();
        assert!(cut.starts_with("1:"), "{cut}");
        let dtd = applications("<!DOCTYPE a [<!ENTITY x \"y\">]><applications>&x;</applications>")
            .unwrap_err();
        assert!(dtd.contains("DTD"), "{dtd}");
        assert_eq!(
            task_sequences("<applications/>").unwrap_err(),
            "root element <applications>, expected <tss>"
        );
    }
}
