//! The probe's `deployment` section: MDT deployment shares (their control files' text, parsed
//! here by [`crate::deployment`]) and WDS image lists.
//!
//! The probe masks password and product-key values before sending; the `.ini` parser masks
//! them again ([`mdt_ini::is_secret`]), so a modified probe cannot make constat keep one.
//! Texts over [`MAX_CONTROL_TEXT`] are refused (an `errors` entry), as the probe refuses
//! files over 1 MiB.

use crate::deployment::{mdt_ini, mdt_xml};
use crate::probe::value::{boolean, items, list, strings, text};
use constat_snapshot::deployment::{Deployment, IniFile, MdtShare, WdsImage, WdsServer};
use serde_json::Value;

/// Largest control file text accepted from the probe (characters).
pub const MAX_CONTROL_TEXT: usize = 1024 * 1024;
/// Shares and images kept at most.
const MAX_SHARES: usize = 64;
const MAX_IMAGES: usize = 2_000;

/// Normalises the `deployment` section's data.
pub fn normalise_deployment(data: &Value) -> Result<Deployment, String> {
    if !data.is_object() {
        return Err("deployment data is not an object".to_owned());
    }
    let mut mdt_shares: Vec<MdtShare> = list(data, "Shares")
        .iter()
        .take(MAX_SHARES)
        .map(share)
        .collect::<Result<_, _>>()?;
    mdt_shares.sort_by(|a, b| a.path.cmp(&b.path));
    let wds = match data.get("Wds") {
        None | Some(Value::Null) => None,
        Some(w) => Some(wds(w)),
    };
    Ok(Deployment { mdt_shares, wds })
}

fn share(raw: &Value) -> Result<MdtShare, String> {
    let path = text(raw, "Path").ok_or("a deployment share without Path")?;
    let mut share = MdtShare {
        share_name: text(raw, "ShareName"),
        path,
        ..MdtShare::default()
    };
    if let Some(t) = control_text(raw, "Settings.xml", &mut share.errors) {
        match mdt_xml::settings(&t) {
            Ok(settings) => {
                share.unc_path = settings.unc_path;
                share.description = settings.description;
            }
            Err(e) => share.errors.push(format!("Control\\Settings.xml: {e}")),
        }
    }
    share.custom_settings = ini(raw, "CustomSettings.ini", &mut share.errors);
    share.bootstrap = ini(raw, "Bootstrap.ini", &mut share.errors);
    if let Some(t) = control_text(raw, "TaskSequences.xml", &mut share.errors) {
        match mdt_xml::task_sequences(&t) {
            Ok(list) => {
                share.task_sequences = list;
                share.task_sequences_read = true;
            }
            Err(e) => share
                .errors
                .push(format!("Control\\TaskSequences.xml: {e}")),
        }
    } else if raw.get("TaskSequences.xml").is_none_or(Value::is_null) {
        // No file: a share without task sequences (the Workbench writes an empty <tss/>).
        share.task_sequences_read = true;
    }
    if let Some(t) = control_text(raw, "Applications.xml", &mut share.errors) {
        match mdt_xml::applications(&t) {
            Ok(list) => {
                share.applications = list;
                share.applications_read = true;
            }
            Err(e) => share.errors.push(format!("Control\\Applications.xml: {e}")),
        }
    } else if raw.get("Applications.xml").is_none_or(Value::is_null) {
        share.applications_read = true;
    }
    Ok(share)
}

/// The text the probe sent for a control file; `None` when the file is absent (null) or
/// could not be read (the reason goes to `errors`).
fn control_text(raw: &Value, name: &str, errors: &mut Vec<String>) -> Option<String> {
    let entry = raw.get(name).filter(|v| !v.is_null())?;
    if let Some(error) = text(entry, "Error") {
        errors.push(format!("Control\\{name}: {error}"));
        return None;
    }
    let Some(body) = entry.get("Text").and_then(Value::as_str) else {
        errors.push(format!(
            "Control\\{name}: neither Text nor Error in the probe output"
        ));
        return None;
    };
    if body.len() > MAX_CONTROL_TEXT {
        errors.push(format!(
            "Control\\{name}: {} bytes, larger than {MAX_CONTROL_TEXT}: not read",
            body.len()
        ));
        return None;
    }
    Some(body.to_owned())
}

fn ini(raw: &Value, name: &str, errors: &mut Vec<String>) -> Option<IniFile> {
    let body = control_text(raw, name, errors)?;
    let (file, problems) = mdt_ini::parse(&body);
    errors.extend(
        problems
            .into_iter()
            .map(|p| format!("Control\\{name}: {p}")),
    );
    Some(file)
}

fn wds(raw: &Value) -> WdsServer {
    let image = |v: &Value| WdsImage {
        name: text(v, "ImageName")
            .or_else(|| text(v, "Name"))
            .unwrap_or_default(),
        group: text(v, "ImageGroup"),
        architecture: text(v, "Architecture"),
        file_name: text(v, "FileName"),
        enabled: boolean(v, "Enabled"),
    };
    let images = |key: &str| -> Vec<WdsImage> {
        raw.get(key)
            .map(items)
            .unwrap_or_default()
            .iter()
            .take(MAX_IMAGES)
            .map(image)
            .collect()
    };
    let mut boot_images = images("BootImages");
    boot_images.sort_by(|a, b| a.name.cmp(&b.name));
    let mut install_images = images("InstallImages");
    install_images.sort_by(|a, b| (&a.group, &a.name).cmp(&(&b.group, &b.name)));
    WdsServer {
        boot_images,
        install_images,
        errors: strings(raw, "Errors"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;
    use serde_json::json;

    /// The section as the probe would send it for two real deployment shares: the control
    /// files of `technology-toolbox/MDT-Deploy` and of `Folinics/MDT-Windows11-Deployment`
    /// (tests/fixtures/samples/SOURCES.md 3.18, 3.22), one with a password line the probe did not mask
    /// (`ciphernemo/Complete-Win10-Deploy`) and one unreadable file. The WDS image list is
    /// SYNTHETIC: no real `Get-WdsInstallImage` output was found (SOURCES.md 3.22); its
    /// property names are those of Microsoft's documentation.
    pub(crate) fn recorded() -> Value {
        json!({
            "Shares": [
                {
                    "Path": "D:\\MDT-Deploy", "ShareName": "MDT-Deploy$",
                    "CustomSettings.ini": {"Text": sample("technology-toolbox_MDT-Deploy__Control_CustomSettings.ini")},
                    "Bootstrap.ini": {"Text": sample("technology-toolbox_MDT-Deploy__Control_Bootstrap.ini")},
                    "TaskSequences.xml": {"Text": sample("technology-toolbox_MDT-Deploy__Control_TaskSequences.xml")},
                    "Applications.xml": {"Text": sample("technology-toolbox_MDT-Deploy__Control_Applications_excerpt.xml")},
                    "Settings.xml": {"Error": "Access to the path 'D:\\MDT-Deploy\\Control\\Settings.xml' is denied."}
                },
                {
                    "Path": "C:\\MDT-Windows11-Deployment", "ShareName": "Deploy$",
                    "CustomSettings.ini": {"Text": sample("ciphernemo_Complete-Win10-Deploy__Control_CustomSettings.ini")},
                    "Bootstrap.ini": {"Text": sample("Folinics_MDT-Windows11-Deployment__Control_Bootstrap.ini")},
                    "TaskSequences.xml": {"Text": sample("Folinics_MDT-Windows11-Deployment__Control_TaskSequences.xml")},
                    "Applications.xml": null,
                    "Settings.xml": {"Text": sample("Folinics_MDT-Windows11-Deployment__Control_Settings.xml")}
                }
            ],
            "Wds": {
                "BootImages": [{"ImageName": "Lite Touch Windows PE (x64)", "Name": "", "ImageGroup": null, "Architecture": "X64", "FileName": "LiteTouchPE_x64.wim", "Enabled": true}],
                "InstallImages": [
                    {"ImageName": "Windows 11 Pro", "Name": "", "ImageGroup": "Postes", "Architecture": "X64", "FileName": "install.wim", "Enabled": true},
                    {"ImageName": "Windows Server 2022 SERVERSTANDARD", "Name": "", "ImageGroup": "Serveurs", "Architecture": "X64", "FileName": "install-1.wim", "Enabled": false}
                ],
                "Errors": []
            }
        })
    }

    #[test]
    fn shares_from_real_control_files() {
        let deployment = normalise_deployment(&recorded()).unwrap();
        let json = serde_json::to_string(&deployment).unwrap();
        assert!(
            !json.contains("if_you_want_to_expose_this"),
            "a password was kept"
        );
        insta::assert_json_snapshot!(deployment);
    }

    #[test]
    fn malformed_files_are_errors_of_their_share_and_no_shares_is_empty() {
        let raw = json!({"Shares": [{"Path": "C:\\DS", "ShareName": null,
            "CustomSettings.ini": {"Text": "[Default]\nOSInstall=Y\n"},
            "TaskSequences.xml": {"Text": "<tss><ts>"},
            "Applications.xml": {"Text": "<notapps/>"}}], "Wds": null});
        let d = normalise_deployment(&raw).unwrap();
        let share = &d.mdt_shares[0];
        assert!(!share.task_sequences_read && !share.applications_read);
        assert_eq!(share.errors.len(), 2, "{:?}", share.errors);
        assert!(share.errors[0].starts_with("Control\\TaskSequences.xml: 1:"));
        assert!(d.wds.is_none());
        let empty = normalise_deployment(&json!({"Shares": [], "Wds": null})).unwrap();
        assert!(empty.mdt_shares.is_empty());
        assert!(normalise_deployment(&json!([])).is_err());
    }

    /// Writes (with `UPDATE_FIXTURES=1`) or checks the checker's fixture
    /// `checker-core/tests/fixtures/snapshots/deployment-mdt.json`: this normaliser's output
    /// on [`recorded`], in a Windows server snapshot.
    #[test]
    fn the_checker_fixture_is_current() {
        use constat_snapshot::{
            CollectionMeta, HostIdentity, OsFamily, OsInfo, SCHEMA_VERSION, Section, Snapshot,
        };
        let mut snapshot = Snapshot {
            schema_version: SCHEMA_VERSION,
            host: HostIdentity {
                hostname: "SRV-DEPLOY".into(),
                os: OsInfo {
                    family: OsFamily::Windows,
                    id: Some("windows".into()),
                    ..OsInfo::default()
                },
                ..HostIdentity::default()
            },
            collection: CollectionMeta {
                agent: crate::probe::normalise::PROBE_NAME.into(),
                agent_version: "1".into(),
                started_at: "2026-11-23T17:00:00Z".into(),
                finished_at: "2026-11-23T17:00:05Z".into(),
                root: Some("real MDT control files (tests/fixtures/samples/SOURCES.md 3.18, 3.22), synthetic WDS list".into()),
                ..CollectionMeta::default()
            },
            sections: Default::default(),
        };
        snapshot.sections.deployment =
            Section::collected(normalise_deployment(&recorded()).unwrap());
        let fresh = serde_json::to_string_pretty(&snapshot).unwrap() + "\n";
        let path = format!(
            "{}/../checker-core/tests/fixtures/snapshots/deployment-mdt.json",
            env!("CARGO_MANIFEST_DIR")
        );
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{path} is stale: run `UPDATE_FIXTURES=1 cargo test -p constat-windows deployment`"
        );
    }
}
