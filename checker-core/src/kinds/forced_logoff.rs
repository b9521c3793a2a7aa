//! Check kind `forced_logoff`: users are logged off when their logon hours expire, by the
//! one mechanism that does it, with the look-alikes named when it is missing.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::policy_sources::{
    gpo_label, policy_gpos, registry_values, system_access, unread_files,
};
use crate::pack::compile::Compile;
use schemars::JsonSchema;
use serde::Deserialize;

/// `forced_logoff: {}` (enabled) or `forced_logoff: {enabled: false}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForcedLogoffExpect {
    /// Forced logoff must be enabled (default) or must not.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// Compiled `forced_logoff` expectation.
#[derive(Debug, Clone)]
pub struct ForcedLogoffMatcher {
    enabled: bool,
}

/// The security setting « Sécurité réseau : forcer la fermeture de session quand les
/// horaires de connexion expirent », as GptTmpl.inf writes it.
const SETTING: &str = "ForceLogoffWhenHourExpire";

impl Kind for ForcedLogoffExpect {
    const NAME: &'static str = "forced_logoff";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory", "gpos"]);
    const DOC: &'static str = r#"# forced_logoff

## What it checks
Users are logged off when their logon hours expire: the security setting « Sécurité réseau :
forcer la fermeture de session quand les horaires de connexion expirent » (GptTmpl.inf
`[System Access] ForceLogoffWhenHourExpire = 1`) is enabled in a GPO linked, link
enabled, to the **domain root**. It is an account policy: Windows reads account policies
for domain accounts only from GPOs linked to the domain (the Default Domain Policy, or
another GPO linked there); among several, the lowest link order wins. The evidence names
the GPO found.

When the setting is missing, the kind looks for the look-alikes a candidate writes
instead and names each one with the GPO that holds it, without changing the verdict (a
pack that wants partial credit for a look-alike says so, for instance with `any` and
`partial`):
* the same setting in a GPO linked to an OU, or not linked: « sans effet : une stratégie
  de compte ne s'applique que depuis une GPO liée au domaine »;
* a registry value whose name speaks of forced logoff (`ForceLogoffWhenLogonHoursExpire`
  under `LanmanWorkstation`, …) set by Registry.pol, a Registry preference or a security
  option: « mécanisme sans effet »;
* `LanManServer\Parameters EnableForcedLogOff` (« Serveur réseau Microsoft : déconnecter
  les clients à l'expiration des horaires de connexion »): a real setting, but it cuts the
  SMB sessions to the server, not the user's session.

## Why it matters
Logon hours without forced logoff only stop *new* logons: a user logged on at 17:55 stays
on all night. Subjects that ask for logon hours per group usually ask for this too, and a
registry value typed by hand looks right in the editor while doing nothing.

## Passing example
```yaml
expect:
  forced_logoff: {}
```
The Default Domain Policy (linked to `DC=tssr,DC=lan`) has `ForceLogoffWhenHourExpire = 1`:
observed « activée : GPO « Default Domain Policy » (liée au domaine), paramètre de
sécurité ForceLogoffWhenHourExpire = 1 ».

## Failing example
The candidate wrote a registry value instead, in a GPO linked to the users' OU: observed
« paramètre absent ; trouvé à la place : valeur de registre HKLM\System\CurrentControlSet\
Services\LanmanWorkstation\Parameters ForceLogoffWhenLogonHoursExpire = 1 dans GPO
« GPO_Horaires » (liée à OU=Commercial,DC=tssr,DC=lan), stratégie de registre
(Registry.pol) (mécanisme sans effet) ».

## Critères
`tssr-2023/CP2/C2` (mettre en place les stratégies de groupe), `tssr-2023/CP2/C1`
(horaires de connexion des comptes).
"#;
    const DOC_FR: &'static str = r#"# forced_logoff

## Ce qui est vérifié
Les utilisateurs sont déconnectés quand leurs horaires de connexion expirent : le paramètre de
sécurité « Sécurité réseau : forcer la fermeture de session quand les horaires de connexion
expirent » (GptTmpl.inf `[System Access] ForceLogoffWhenHourExpire = 1`) est activé dans une
GPO liée, avec un lien activé, à la **racine du domaine**. C'est une stratégie de compte :
Windows ne lit les stratégies de compte des comptes du domaine que dans les GPO liées au
domaine (la Default Domain Policy, ou une autre GPO liée à cet endroit) ; s'il y en a
plusieurs, celle dont l'ordre de lien est le plus faible l'emporte. La preuve cite la GPO
trouvée.

Quand le paramètre est absent, le contrôle cherche les paramètres ressemblants qu'un candidat
écrit à la place et cite chacun avec la GPO qui le contient, sans changer le verdict (un pack
qui veut accorder une partie des points pour un paramètre ressemblant le dit, par exemple avec
`any` et `partial`) :
* le même paramètre dans une GPO liée à une UO, ou non liée : « sans effet : une stratégie
  de compte ne s'applique que depuis une GPO liée au domaine » ;
* une valeur de registre dont le nom évoque la fermeture forcée de session
  (`ForceLogoffWhenLogonHoursExpire` sous `LanmanWorkstation`, …) posée par Registry.pol, une
  préférence de registre ou une option de sécurité : « mécanisme sans effet » ;
* `LanManServer\Parameters EnableForcedLogOff` (« Serveur réseau Microsoft : déconnecter
  les clients à l'expiration des horaires de connexion ») : un vrai paramètre, mais il coupe
  les sessions SMB vers le serveur, pas la session de l'utilisateur.

## Pourquoi c'est important
Des horaires de connexion sans fermeture forcée de session n'empêchent que les *nouvelles*
ouvertures de session : un utilisateur connecté à 17 h 55 le reste toute la nuit. Les sujets
qui demandent des horaires de connexion par groupe demandent en général aussi ce paramètre, et
une valeur de registre saisie à la main a l'air juste dans l'éditeur sans rien faire.

## Exemple conforme
```yaml
expect:
  forced_logoff: {}
```
La Default Domain Policy (liée à `DC=tssr,DC=lan`) a `ForceLogoffWhenHourExpire = 1` :
observé « activée : GPO « Default Domain Policy » (liée au domaine), paramètre de
sécurité ForceLogoffWhenHourExpire = 1 ».

## Exemple non conforme
Le candidat a écrit une valeur de registre à la place, dans une GPO liée à l'UO des
utilisateurs : observé « paramètre absent ; trouvé à la place : valeur de registre
HKLM\System\CurrentControlSet\Services\LanmanWorkstation\Parameters
ForceLogoffWhenLogonHoursExpire = 1 dans GPO « GPO_Horaires » (liée à
OU=Commercial,DC=tssr,DC=lan), stratégie de registre (Registry.pol) (mécanisme sans effet) ».

## Critères
`tssr-2023/CP2/C2` (mettre en place les stratégies de groupe), `tssr-2023/CP2/C1`
(horaires de connexion des comptes).
"#;
    type Compiled = ForcedLogoffMatcher;

    fn compile(&self, _cx: &mut Compile<'_>) -> Option<ForcedLogoffMatcher> {
        Some(ForcedLogoffMatcher {
            enabled: self.enabled,
        })
    }

    fn evaluate(m: &ForcedLogoffMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        let Some(dir) = host.section("directory", SETTING, &host.snapshot.sections.directory, out)
        else {
            return Status::NotAssessable;
        };
        let Some(gpos) = host.section("gpos", SETTING, &host.snapshot.sections.gpos, out) else {
            return Status::NotAssessable;
        };
        let all = policy_gpos(dir, gpos);
        let expected = if m.enabled {
            "enabled (security setting ForceLogoffWhenHourExpire = 1, GPO linked to the domain)"
        } else {
            "disabled"
        };
        // Domain-linked GPOs come first, by link order: the first that sets it wins.
        let effective = all
            .iter()
            .filter(|g| g.domain_link.is_some())
            .find_map(|g| system_access(g, SETTING).map(|v| (g, v)));
        let mut lookalikes = Vec::new();
        for gpo in all.iter().filter(|g| g.domain_link.is_none()) {
            if let Some(value) = system_access(gpo, SETTING) {
                lookalikes.push(format!(
                    "security setting {SETTING} = {value} in {} (no effect: an account \
                     policy applies only from a GPO linked to the domain)",
                    gpo_label(gpo)
                ));
            }
        }
        for gpo in &all {
            for found in registry_values(gpo, |name| {
                let name = name.to_ascii_lowercase();
                name.contains("forcelogoff") || name.contains("forcedlogoff")
            }) {
                let effect = if found.value_name.eq_ignore_ascii_case("EnableForcedLogOff")
                    && found.key.to_ascii_lowercase().contains("lanmanserver")
                {
                    "cuts the SMB sessions to the server, not the open session"
                } else {
                    "a mechanism without effect"
                };
                lookalikes.push(format!(
                    "registry value {} in {} through {}: {effect}",
                    found.shown,
                    gpo_label(gpo),
                    found.mechanism
                ));
            }
        }
        // A domain-linked GPO whose files were not all read may hold the setting.
        let unread: Vec<String> = all
            .iter()
            .filter(|g| g.domain_link.is_some())
            .filter_map(|g| {
                let files = unread_files(g.settings?)?;
                Some(format!("GPO \"{}\": {files}", g.container.display_name))
            })
            .collect();
        if effective.is_none() && !unread.is_empty() {
            out.push(host.evidence(
                "gpos",
                SETTING,
                "forced_logoff",
                expected,
                format!("not read: {}", unread.join("; ")),
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        }
        let (actual, status) = match effective {
            Some((gpo, value)) => {
                let on = value == "1";
                let mut actual = format!(
                    "{}: {}, security setting {SETTING} = {value}",
                    if on { "enabled" } else { "disabled" },
                    gpo_label(gpo)
                );
                if on != m.enabled && !lookalikes.is_empty() {
                    actual.push_str("; also found: ");
                    actual.push_str(&lookalikes.join("; "));
                }
                (actual, Status::from_bool(on == m.enabled))
            }
            None if lookalikes.is_empty() => (
                "setting absent (no GPO linked to the domain sets it)".to_owned(),
                Status::from_bool(!m.enabled),
            ),
            None => (
                format!("setting absent; found instead: {}", lookalikes.join("; ")),
                Status::from_bool(!m.enabled),
            ),
        };
        out.push(host.evidence("gpos", SETTING, "forced_logoff", expected, actual, status));
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{ad, kind_case_as, without};
    use constat_snapshot::Snapshot;
    use constat_snapshot::gpo::{GpoSettings, PolicyScope, RegistryAction, RegistrySetting};
    use constat_snapshot::section::Section;

    fn gpo_mut<'s>(snapshot: &'s mut Snapshot, name: &str) -> &'s mut GpoSettings {
        let Section::Collected { data } = &mut snapshot.sections.gpos else {
            panic!("the fixture has gpos");
        };
        data.iter_mut()
            .find(|g| g.display_name.as_deref() == Some(name))
            .expect("GPO in the fixture")
    }

    fn with_setting(snapshot: &mut Snapshot, gpo: &str, value: &str) {
        gpo_mut(snapshot, gpo)
            .security
            .get_or_insert_with(Default::default)
            .system_access
            .insert("ForceLogoffWhenHourExpire".to_owned(), value.to_owned());
    }

    // Fixture: the real Samba AD DC collection (tests/fixtures/snapshots/ad-samba.json),
    // with the GPO files edited as each test says (the Samba tier has no Windows editor;
    // the values are those GPMC writes, [MS-GPSB] 2.2.5 and 2.2.6).

    /// The setting in the Default Domain Policy (linked to the domain root) passes and is
    /// named; `enabled: false` then fails.
    #[test]
    fn passes_when_a_domain_linked_gpo_sets_it() {
        let mut snapshot = ad();
        with_setting(&mut snapshot, "Default Domain Policy", "1");
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{forced_logoff: {}}, {forced_logoff: {enabled: false}}]",
            &snapshot
        ));
    }

    /// The issue's case: a look-alike registry value under LanmanWorkstation (Registry.pol,
    /// machine part), the real setting in an OU-linked GPO, and EnableForcedLogOff as a
    /// security option: each named, the verdict stays fail.
    #[test]
    fn names_each_look_alike_when_the_setting_is_missing() {
        let mut snapshot = ad();
        gpo_mut(&mut snapshot, "GPO_Lecteurs")
            .registry
            .push(RegistrySetting {
                scope: PolicyScope::Machine,
                key: r"System\CurrentControlSet\Services\LanmanWorkstation\Parameters".to_owned(),
                value_name: "ForceLogoffWhenLogonHoursExpire".to_owned(),
                action: RegistryAction::Set,
                value_type: "REG_DWORD".to_owned(),
                data: serde_json::json!(1),
            });
        with_setting(&mut snapshot, "GPO_Compta_Securite", "1");
        gpo_mut(&mut snapshot, "GPO_Informatique_Restrictions")
            .security
            .get_or_insert_with(Default::default)
            .registry_values
            .insert(
                r"MACHINE\System\CurrentControlSet\Services\LanManServer\Parameters\EnableForcedLogOff"
                    .to_owned(),
                "4,1".to_owned(),
            );
        insta::assert_snapshot!(kind_case_as("dc", "forced_logoff: {}", &snapshot));
    }

    #[test]
    fn fails_plainly_when_nothing_is_there_and_is_not_assessable_without_sysvol() {
        insta::assert_snapshot!(format!(
            "{}\n{}",
            kind_case_as("dc", "forced_logoff: {}", &ad()),
            kind_case_as("dc", "forced_logoff: {}", &without(ad(), "gpos"))
        ));
    }
}
