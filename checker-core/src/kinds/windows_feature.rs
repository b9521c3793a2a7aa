//! Check kind `windows_feature`: a Windows role or feature is installed (or not).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::same;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `windows_feature: {name: AD-Domain-Services, installed: true}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowsFeatureExpect {
    /// Feature name as `Get-WindowsFeature` prints it (`AD-Domain-Services`, `DHCP`).
    pub name: Sp<String>,
    /// Whether it must be installed (default) or must not.
    #[serde(default = "yes")]
    pub installed: bool,
}

fn yes() -> bool {
    true
}

/// Compiled `windows_feature` expectation.
#[derive(Debug, Clone)]
pub struct WindowsFeatureMatcher {
    name: String,
    installed: bool,
}

impl Kind for WindowsFeatureExpect {
    const NAME: &'static str = "windows_feature";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["windows_features"]);
    const DOC: &'static str = r#"# windows_feature

## What it checks
A Windows Server role, role service or feature (`Get-WindowsFeature`, name compared
case-insensitively) is installed, or with `installed: false` is not. A feature the host does
not list at all counts as not installed.

## Why it matters
« Le serveur et les services sont opérationnels » (CP2): a role (AD DS, DNS, DHCP, WSUS...)
must be installed before anything else can be configured, and a useless role widens the attack
surface.

## Passing example
```yaml
expect:
  windows_feature: {name: AD-Domain-Services}
```

## Failing example
The same on a member server where AD DS is only `Available`: `installed` fails (expected
true, actual false (Available)).

## Critères
`tssr-2023/CP2/C2`.
"#;
    const DOC_FR: &'static str = r#"# windows_feature

## Ce qui est vérifié
Un rôle, service de rôle ou fonctionnalité de Windows Server (`Get-WindowsFeature`, nom
comparé sans tenir compte de la casse) est installé, ou, avec `installed: false`, ne l'est
pas. Une fonctionnalité que la machine ne liste pas du tout compte comme non installée.

## Pourquoi c'est important
« Le serveur et les services sont opérationnels » (CP2) : un rôle (AD DS, DNS, DHCP, WSUS…)
doit être installé avant de pouvoir configurer quoi que ce soit, et un rôle inutile élargit la
surface d'attaque.

## Exemple conforme
```yaml
expect:
  windows_feature: {name: AD-Domain-Services}
```

## Exemple non conforme
La même attente sur un serveur membre où AD DS est seulement `Available` : `installed` échoue
(attendu true, observé false (Available)).

## Critères
`tssr-2023/CP2/C2`.
"#;
    type Compiled = WindowsFeatureMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<WindowsFeatureMatcher> {
        Some(WindowsFeatureMatcher {
            name: cx.text(&self.name),
            installed: self.installed,
        })
    }

    fn evaluate(m: &WindowsFeatureMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "windows_features";
        let Some(features) =
            host.section(S, &m.name, &host.snapshot.sections.windows_features, out)
        else {
            return Status::NotAssessable;
        };
        let feature = features.iter().find(|f| same(&f.name, &m.name));
        let installed = feature.is_some_and(|f| f.installed);
        let status = Status::from_bool(installed == m.installed);
        out.push(host.evidence(
            S,
            &m.name,
            "installed",
            m.installed.to_string(),
            match feature {
                None => "false (absent from the list)".to_owned(),
                Some(f) => match &f.install_state {
                    Some(state) => format!("{} ({state})", f.installed),
                    None => f.installed.to_string(),
                },
            },
            status,
        ));
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, windows_lab, windows_probe, without};

    #[test]
    fn passes_on_recorded_features() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{windows_feature: {name: powershell}}, {windows_feature: {name: PowerShell-V2, installed: false}}]",
            &windows_probe()
        ));
    }

    #[test]
    fn fails_when_available_or_absent() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{windows_feature: {name: DSC-Service}}, {windows_feature: {name: AD-Domain-Services}}, {windows_feature: {name: AD-Domain-Services, installed: false}}]",
            &windows_lab()
        ));
    }

    #[test]
    fn is_not_assessable_without_features() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "windows_feature: {name: DHCP}",
            &without(windows_lab(), "windows_features")
        ));
    }
}
