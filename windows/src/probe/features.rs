//! Roles and features (`Get-WindowsFeature`, PS 5.1 `InstallState` 1 = Installed) and
//! hotfixes (`Get-HotFix`).

use crate::probe::value::{boolean, enum_name, items, text};
use constat_snapshot::windows::{Hotfix, WindowsFeature};
use serde_json::Value;

const INSTALL_STATE: &[(i64, &str)] = &[
    (0, "Available"),
    (1, "Installed"),
    (2, "InstallPending"),
    (3, "UninstallPending"),
    (4, "Removed"),
];

/// Features sorted by name.
pub fn normalise_features(data: &Value) -> Result<Vec<WindowsFeature>, String> {
    let mut features: Vec<WindowsFeature> = items(data)
        .iter()
        .map(|f| {
            let state = enum_name(f, "InstallState", INSTALL_STATE);
            Ok(WindowsFeature {
                name: text(f, "Name").ok_or("a feature has no Name")?,
                display_name: text(f, "DisplayName"),
                installed: boolean(f, "Installed").unwrap_or(state.as_deref() == Some("Installed")),
                feature_type: text(f, "FeatureType"),
                install_state: state,
            })
        })
        .collect::<Result<_, String>>()?;
    features.sort_by_key(|f| f.name.to_ascii_lowercase());
    Ok(features)
}

/// Hotfixes sorted by id.
pub fn normalise_hotfixes(data: &Value) -> Result<Vec<Hotfix>, String> {
    let mut fixes: Vec<Hotfix> = items(data)
        .iter()
        .map(|h| {
            Ok(Hotfix {
                id: text(h, "HotFixID").ok_or("a hotfix has no HotFixID")?,
                description: text(h, "Description"),
                installed_on: text(h, "InstalledOn").map(|d| d.chars().take(10).collect()),
                installed_by: text(h, "InstalledBy"),
            })
        })
        .collect::<Result<_, String>>()?;
    fixes.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(fixes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// Recorded real `Get-WindowsFeature | ConvertTo-Json` (SOURCES.md §3.5, mondoohq/cnquery
    /// testdata): `InstallState` as an integer.
    #[test]
    fn recorded_features() {
        let data: Value =
            serde_json::from_str(&sample("mondoohq_cnquery__windows_testdata__features.json"))
                .unwrap_or_default();
        insta::assert_yaml_snapshot!(normalise_features(&data));
    }
}
