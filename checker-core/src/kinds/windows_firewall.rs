//! Check kind `windows_firewall`: a Windows firewall profile is on with the expected defaults.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{bool_property, listed, same};
use crate::pack::compile::Compile;
use schemars::JsonSchema;
use serde::Deserialize;

/// `windows_firewall: {profile: domain, enabled: true, default_inbound: block}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowsFirewallExpect {
    /// Profile.
    pub profile: Profile,
    /// Whether the profile must be on (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Default action for inbound traffic.
    #[serde(default)]
    pub default_inbound: Option<DefaultAction>,
    /// Default action for outbound traffic.
    #[serde(default)]
    pub default_outbound: Option<DefaultAction>,
}

fn yes() -> bool {
    true
}

/// Windows firewall profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Domain network.
    Domain,
    /// Private network.
    Private,
    /// Public network.
    Public,
}

/// Default action of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DefaultAction {
    /// Traffic not matched by a rule is blocked.
    Block,
    /// Traffic not matched by a rule is allowed.
    Allow,
}

/// Compiled `windows_firewall` expectation.
#[derive(Debug, Clone)]
pub struct WindowsFirewallMatcher {
    profile: Profile,
    enabled: bool,
    default_inbound: Option<DefaultAction>,
    default_outbound: Option<DefaultAction>,
}

/// Compares a default action; `NotConfigured` is Windows' built-in default (`fallback`).
fn action_property(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    name: &'static str,
    expected: Option<DefaultAction>,
    actual: Option<&str>,
    fallback: DefaultAction,
) -> Status {
    let Some(expected) = expected else {
        return Status::Pass;
    };
    let word = |a: DefaultAction| format!("{a:?}").to_lowercase();
    let (effective, shown) = match actual {
        None => (None, "(absent)".to_owned()),
        Some(a) if same(a, "NotConfigured") => (
            Some(fallback),
            format!("NotConfigured (= {} by default)", word(fallback)),
        ),
        Some(a) if same(a, "Block") => (Some(DefaultAction::Block), a.to_owned()),
        Some(a) if same(a, "Allow") => (Some(DefaultAction::Allow), a.to_owned()),
        Some(a) => (None, a.to_owned()),
    };
    let status = Status::from_bool(effective == Some(expected));
    out.push(host.evidence("firewall", path, name, word(expected), shown, status));
    status
}

impl Kind for WindowsFirewallExpect {
    const NAME: &'static str = "windows_firewall";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["firewall"]);
    const DOC: &'static str = r#"# windows_firewall

## What it checks
The Windows firewall profile `profile` (`domain`, `private`, `public`;
`Get-NetFirewallProfile`) is on (or off with `enabled: false`) and its default inbound /
outbound actions are the expected ones. `NotConfigured` counts as Windows' built-in default
(inbound block, outbound allow) and the evidence says so. A profile the probe did not report
is not assessable.

## Why it matters
« Configurer, tester et dépanner un service de filtrage IP (pare-feu) » (CP7): turning the
firewall off to "make it work" is the classic fault; the jury expects it on, with explicit rules
for the services offered.

## Passing example
```yaml
expect:
  windows_firewall: {profile: domain, enabled: true, default_inbound: block}
```

## Failing example
The same when the domain profile was switched off: `enabled` fails (expected true, actual
false).

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP7/C2`, `tssr-2023/CP2/C2`.
"#;
    const DOC_FR: &'static str = r#"# windows_firewall

## Ce qui est vérifié
Le profil `profile` du pare-feu Windows (`domain`, `private`, `public` ;
`Get-NetFirewallProfile`) est activé (ou désactivé avec `enabled: false`) et ses actions par
défaut en entrée / en sortie sont celles attendues. `NotConfigured` vaut la valeur par défaut
intégrée de Windows (entrée bloquée, sortie autorisée) et la preuve le dit. Un profil que la
sonde n'a pas rapporté est non évaluable.

## Pourquoi c'est important
« Configurer, tester et dépanner un service de filtrage IP (pare-feu) » (CP7) : désactiver le
pare-feu « pour que ça marche » est la faute classique ; le jury l'attend activé, avec des
règles explicites pour les services proposés.

## Exemple conforme
```yaml
expect:
  windows_firewall: {profile: domain, enabled: true, default_inbound: block}
```

## Exemple non conforme
La même attente quand le profil domaine a été désactivé : `enabled` échoue (attendu true,
observé false).

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP7/C2`, `tssr-2023/CP2/C2`.
"#;
    type Compiled = WindowsFirewallMatcher;

    fn compile(&self, _cx: &mut Compile<'_>) -> Option<WindowsFirewallMatcher> {
        Some(WindowsFirewallMatcher {
            profile: self.profile,
            enabled: self.enabled,
            default_inbound: self.default_inbound,
            default_outbound: self.default_outbound,
        })
    }

    fn evaluate(
        m: &WindowsFirewallMatcher,
        host: &HostView<'_>,
        out: &mut Vec<Evidence>,
    ) -> Status {
        const S: &str = "firewall";
        let name = format!("{:?}", m.profile);
        let path = format!("profiles/{name}");
        let Some(fw) = host.section(S, &path, &host.snapshot.sections.firewall, out) else {
            return Status::NotAssessable;
        };
        let Some(profile) = fw.profiles.iter().find(|p| same(&p.name, &name)) else {
            let names: Vec<&str> = fw.profiles.iter().map(|p| p.name.as_str()).collect();
            out.push(host.evidence(
                S,
                &path,
                "profile",
                name.clone(),
                format!("not reported (profiles: {})", listed(&names)),
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        };
        bool_property(
            host,
            out,
            (S, &path),
            "enabled",
            Some(m.enabled),
            Some(profile.enabled),
        )
        .and(action_property(
            host,
            out,
            &path,
            "default_inbound",
            m.default_inbound,
            profile.default_inbound.as_deref(),
            DefaultAction::Block,
        ))
        .and(action_property(
            host,
            out,
            &path,
            "default_outbound",
            m.default_outbound,
            profile.default_outbound.as_deref(),
            DefaultAction::Allow,
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, lab, windows_lab, windows_probe};

    /// Private and Public come from a recorded Get-NetFirewallProfile.
    #[test]
    fn passes_on_recorded_profiles() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{windows_firewall: {profile: private, default_inbound: block}}, {windows_firewall: {profile: public, default_outbound: allow}}]",
            &windows_probe()
        ));
    }

    #[test]
    fn fails_on_defaults() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{windows_firewall: {profile: domain, default_inbound: allow}}, {windows_firewall: {profile: public, enabled: false}}]",
            &windows_lab()
        ));
    }

    #[test]
    fn is_not_assessable_for_an_unreported_profile_or_on_linux() {
        insta::assert_snapshot!(format!(
            "{}\n{}",
            kind_case_as(
                "dc",
                "windows_firewall: {profile: domain}",
                &windows_probe()
            ),
            kind_case_as("dc", "windows_firewall: {profile: domain}", &lab())
        ));
    }
}
