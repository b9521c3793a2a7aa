//! Check kind `screensaver`: sessions lock after N minutes of inactivity, by any mechanism
//! Windows applies from a linked GPO, naming the one found and the look-alikes.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::policy_sources::{
    PolicyGpo, RegistryFound, RegistrySource, policy_gpos, registry_values, unread_files,
};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::ad::Directory;
use schemars::JsonSchema;
use serde::Deserialize;

/// `screensaver: {minutes: 10}` (locked after at most 10 minutes) or
/// `screensaver: {minutes: 10, exactly: true}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreensaverExpect {
    /// Minutes of inactivity after which the session must be locked (1 to 9999).
    pub minutes: Sp<u32>,
    /// The delay must be exactly `minutes` (default: at most).
    #[serde(default)]
    pub exactly: bool,
}

/// Compiled `screensaver` expectation.
#[derive(Debug, Clone)]
pub struct ScreensaverMatcher {
    seconds: u64,
    exactly: bool,
}

/// The Administrative Templates key (user configuration, Control Panel > Personalization).
const POLICY_KEY: &str = r"Software\Policies\Microsoft\Windows\Control Panel\Desktop";
/// The user's own settings: what the Personalization panel writes, not a policy.
const USER_KEY: &str = r"Control Panel\Desktop";
/// The security option « Ouverture de session interactive : limite d'inactivité de
/// l'ordinateur » (computer configuration).
const INACTIVITY_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Policies\System";
const ACTIVE: &str = "ScreenSaveActive";
const SECURE: &str = "ScreenSaverIsSecure";
const TIMEOUT: &str = "ScreenSaveTimeOut";
const INACTIVITY: &str = "InactivityTimeoutSecs";
const PATH: &str = "screensaver";

impl Kind for ScreensaverExpect {
    const NAME: &'static str = "screensaver";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory", "gpos"]);
    const DOC: &'static str = r#"# screensaver

## What it checks
Sessions lock after at most `minutes` of inactivity (exactly, with `exactly: true`), set by a
GPO that has an enabled link and the part concerned enabled. Each mechanism Windows really
applies is accepted, and the evidence names the one found with its GPO:
* the Administrative Templates (User Configuration > Control Panel > Personalization) in
  `Registry.pol`, key `HKCU\Software\Policies\Microsoft\Windows\Control Panel\Desktop`:
  `ScreenSaveActive = 1`, `ScreenSaverIsSecure = 1` and `ScreenSaveTimeOut` in seconds;
* the same three values written under that key by Group Policy Preferences Registry
  items (enabled, their extension registered);
* the security option « Interactive logon: machine inactivity limit »
  (`InactivityTimeoutSecs` under `HKLM\Software\Microsoft\Windows\CurrentVersion\Policies\
  System`, in GptTmpl.inf `[Registry Values]`, Registry.pol or a preference), which locks
  the session by itself.

When none holds, the look-alikes found are named, without changing the verdict (a pack that
wants partial credit for one says so with `any` and `partial`): the user's own values under
`HKCU\Control Panel\Desktop` (a preference the user can change, not a policy), a delay
without the lock (`ScreenSaverIsSecure` missing or 0), a screen saver not enabled, a delay
longer than asked, an inactivity limit of 0 (disabled), a preference item disabled or not
effective, and any of these in a GPO with no enabled link or whose part is disabled.
A GPO whose settings files were not all read (a SYSVOL limit) makes a missing setting not
assessable.

## Why it matters
Subjects ask for « écran de veille protégé par mot de passe après 10 minutes ». A timeout
without `ScreenSaverIsSecure` starts a screen saver that anyone can dismiss; values typed in
the user's `Control Panel\Desktop` look right in the registry editor and are undone by the
user in two clicks.

## Passing example
```yaml
expect:
  screensaver: {minutes: 10}
```
GPO_Ecran, linked to `OU=Commercial,DC=tssr,DC=lan`, sets the three Administrative Templates
values: observed « locked after 10 min: GPO "GPO_Ecran" (linked: OU=Commercial,DC=tssr,DC=lan),
Administrative Templates (Registry.pol): ScreenSaveActive = 1, ScreenSaverIsSecure = 1,
ScreenSaveTimeOut = 600 ».

## Failing example
GPO_Lecteurs writes only `ScreenSaveTimeOut = 600` as a Registry preference: observed « not set;
found instead: GPO "GPO_Lecteurs" (linked: OU=Comptabilite,DC=tssr,DC=lan), Registry
preference: ScreenSaveTimeOut = 600 (a delay without the lock: ScreenSaverIsSecure is not 1) ».

## Critères
`tssr-2023/CP2/C1` (the GPOs written in the directory match the request),
`tssr-2023/CP2/C2` (group policies operational).
"#;
    const DOC_FR: &'static str = r#"# screensaver

## Ce qui est vérifié
Les sessions se verrouillent après au plus `minutes` d'inactivité (exactement, avec
`exactly: true`), par une GPO qui a un lien activé et la partie concernée activée. Chaque
mécanisme que Windows applique vraiment est accepté, et la preuve nomme celui qui a été trouvé
avec sa GPO :
* les modèles d'administration (Configuration utilisateur > Panneau de configuration >
  Personnalisation) dans `Registry.pol`, clé
  `HKCU\Software\Policies\Microsoft\Windows\Control Panel\Desktop` : `ScreenSaveActive = 1`,
  `ScreenSaverIsSecure = 1` et `ScreenSaveTimeOut` en secondes ;
* les trois mêmes valeurs écrites sous cette clé par des éléments Registre des préférences
  de stratégie de groupe (activés, leur extension enregistrée) ;
* l'option de sécurité « Ouverture de session interactive : limite d'inactivité de
  l'ordinateur » (`InactivityTimeoutSecs` sous `HKLM\Software\Microsoft\Windows\
  CurrentVersion\Policies\System`, dans GptTmpl.inf `[Registry Values]`, Registry.pol ou une
  préférence), qui verrouille la session à elle seule.

Quand aucun ne tient, les paramètres ressemblants trouvés sont nommés, sans changer le verdict
(un pack qui veut accorder une partie des points le dit avec `any` et `partial`) : les valeurs
propres de l'utilisateur sous `HKCU\Control Panel\Desktop` (une préférence que l'utilisateur
peut changer, pas une stratégie), un délai sans verrouillage (`ScreenSaverIsSecure` absent ou
0), un écran de veille non activé, un délai plus long que demandé, une limite d'inactivité à 0
(désactivée), un élément de préférence désactivé ou sans effet, et chacun de ceux-ci dans une
GPO sans lien activé ou dont la partie est désactivée.
Une GPO dont les fichiers de paramètres n'ont pas tous été lus (une limite de SYSVOL) rend un
paramètre manquant non évaluable.

## Pourquoi c'est important
Les sujets demandent « écran de veille protégé par mot de passe après 10 minutes ». Un délai
sans `ScreenSaverIsSecure` lance un écran de veille que n'importe qui peut fermer ; des valeurs
saisies dans le `Control Panel\Desktop` de l'utilisateur ont l'air justes dans l'éditeur du
registre et l'utilisateur les défait en deux clics.

## Exemple conforme
```yaml
expect:
  screensaver: {minutes: 10}
```
GPO_Ecran, liée à `OU=Commercial,DC=tssr,DC=lan`, pose les trois valeurs des modèles
d'administration : observé « verrouillé après 10 min : GPO "GPO_Ecran" (liée à :
OU=Commercial,DC=tssr,DC=lan), modèles d'administration (Registry.pol) : ScreenSaveActive = 1,
ScreenSaverIsSecure = 1, ScreenSaveTimeOut = 600 ».

## Exemple non conforme
GPO_Lecteurs n'écrit que `ScreenSaveTimeOut = 600` par une préférence Registre : observé « non
défini ; trouvé à la place : GPO "GPO_Lecteurs" (liée à : OU=Comptabilite,DC=tssr,DC=lan),
préférence Registre : ScreenSaveTimeOut = 600 (un délai sans verrouillage :
ScreenSaverIsSecure ne vaut pas 1) ».

## Critères
`tssr-2023/CP2/C1` (les GPO écrites dans l'annuaire correspondent à la demande),
`tssr-2023/CP2/C2` (stratégies de groupe opérationnelles).
"#;
    type Compiled = ScreensaverMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<ScreensaverMatcher> {
        if !(1..=9999).contains(&self.minutes.value) {
            cx.error(
                &self.minutes,
                (
                    format!(
                        "délai d'écran de veille invalide : {} minutes",
                        self.minutes.value
                    ),
                    format!("invalid screen saver delay: {} minutes", self.minutes.value),
                ),
                Some((
                    "de 1 à 9999 minutes (Windows accepte au plus 599940 secondes)".to_owned(),
                    "from 1 to 9999 minutes (Windows accepts at most 599940 seconds)".to_owned(),
                )),
            );
            return None;
        }
        Some(ScreensaverMatcher {
            seconds: u64::from(self.minutes.value) * 60,
            exactly: self.exactly,
        })
    }

    fn evaluate(m: &ScreensaverMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        let Some(dir) = host.section("directory", PATH, &host.snapshot.sections.directory, out)
        else {
            return Status::NotAssessable;
        };
        let Some(gpos) = host.section("gpos", PATH, &host.snapshot.sections.gpos, out) else {
            return Status::NotAssessable;
        };
        let minutes = m.seconds / 60;
        let expected = if m.exactly {
            format!("locked after exactly {minutes} min")
        } else {
            format!("locked after at most {minutes} min")
        };
        let mut found = None;
        let mut near = Vec::new();
        for gpo in policy_gpos(dir, gpos) {
            for finding in findings(m, dir, &gpo) {
                match finding {
                    Finding::Holds(text) if found.is_none() => found = Some(text),
                    Finding::Holds(_) => {}
                    Finding::Near(text) => near.push(text),
                }
            }
        }
        let unread: Vec<String> = policy_gpos(dir, gpos)
            .iter()
            .filter_map(|g| {
                let files = unread_files(g.settings?)?;
                Some(format!("GPO \"{}\": {files}", g.container.display_name))
            })
            .collect();
        let (actual, status) = match found {
            Some(text) => (text, Status::Pass),
            None if !unread.is_empty() => (
                format!("not read: {}", unread.join(" | ")),
                Status::NotAssessable,
            ),
            None if near.is_empty() => ("not set".to_owned(), Status::Fail),
            None => (
                format!("not set; found instead: {}", near.join("; ")),
                Status::Fail,
            ),
        };
        out.push(host.evidence("gpos", PATH, "locked_after", expected, actual, status));
        status
    }
}

/// What one GPO holds: a mechanism that meets the expectation, or a look-alike.
enum Finding {
    Holds(String),
    Near(String),
}

/// Whether the GPO has an enabled link, at the domain root or on an OU.
fn enabled_link(dir: &Directory, guid: &str) -> bool {
    std::iter::once(&dir.domain.gp_links)
        .chain(dir.ous.iter().map(|ou| &ou.gp_links))
        .flatten()
        .any(|l| l.enabled && l.gpo_guid.eq_ignore_ascii_case(guid))
}

/// `GPO "X" (linked at the domain root)`, `GPO "X" (linked: OU=…)`, `GPO "X" (no enabled link)`.
fn label(dir: &Directory, gpo: &PolicyGpo<'_>) -> String {
    let name = &gpo.container.display_name;
    if gpo.domain_link.is_some() {
        format!("GPO \"{name}\" (linked at the domain root)")
    } else if enabled_link(dir, &gpo.container.guid) {
        format!(
            "GPO \"{name}\" (linked: {})",
            gpo.container.linked_to.join(", ")
        )
    } else {
        format!("GPO \"{name}\" (no enabled link)")
    }
}

fn mechanism(found: &RegistryFound) -> &'static str {
    match found.source {
        RegistrySource::RegistryPol => "Administrative Templates (Registry.pol)",
        RegistrySource::Preference => "Registry preference",
        RegistrySource::SecurityTemplate => "security option (GptTmpl.inf)",
    }
}

/// A key as written, without `HKLM\`/`HKCU\` and surrounding `\`.
fn bare_key(key: &str) -> &str {
    let key = key.trim_matches('\\');
    [
        "HKLM\\",
        "HKCU\\",
        "HKEY_LOCAL_MACHINE\\",
        "HKEY_CURRENT_USER\\",
    ]
    .iter()
    .find_map(|hive| {
        key.get(..hive.len())
            .filter(|head| head.eq_ignore_ascii_case(hive))
            .map(|_| &key[hive.len()..])
    })
    .unwrap_or(key)
}

fn number(data: &str) -> Option<u64> {
    data.trim().trim_matches('"').parse().ok()
}

/// The mechanisms and look-alikes of one GPO.
fn findings(m: &ScreensaverMatcher, dir: &Directory, gpo: &PolicyGpo<'_>) -> Vec<Finding> {
    let values = registry_values(gpo, |name| {
        [ACTIVE, SECURE, TIMEOUT, INACTIVITY]
            .iter()
            .any(|v| v.eq_ignore_ascii_case(name))
    });
    let linked = enabled_link(dir, &gpo.container.guid);
    let gpo_label = label(dir, gpo);
    let mut out = Vec::new();
    // Why the GPO does not apply this part, if it does not.
    let inert_gpo = |hive: &str| -> Option<&'static str> {
        if !linked {
            Some("the GPO has no enabled link")
        } else if hive == "HKCU" && gpo.container.user_disabled {
            Some("the GPO's user part is disabled")
        } else if hive == "HKLM" && gpo.container.computer_disabled {
            Some("the GPO's computer part is disabled")
        } else {
            None
        }
    };
    // The three desktop values per (mechanism, key kind).
    for (key, policy) in [(POLICY_KEY, true), (USER_KEY, false)] {
        for source in [RegistrySource::RegistryPol, RegistrySource::Preference] {
            let set: Vec<&RegistryFound> = values
                .iter()
                .filter(|f| {
                    f.source == source
                        && f.hive == "HKCU"
                        && bare_key(&f.key).eq_ignore_ascii_case(key)
                })
                .collect();
            if set.is_empty() {
                continue;
            }
            let value = |name: &str| {
                set.iter()
                    .rev()
                    .find(|f| f.value_name.eq_ignore_ascii_case(name))
            };
            let shown: Vec<String> = [ACTIVE, SECURE, TIMEOUT]
                .iter()
                .filter_map(|n| value(n).map(|f| format!("{n} = {}", f.data)))
                .collect();
            let head = format!(
                "{gpo_label}, {}{}: {}",
                mechanism(set[0]),
                if policy {
                    ""
                } else {
                    " under HKCU\\Control Panel\\Desktop"
                },
                shown.join(", ")
            );
            let timeout = value(TIMEOUT).and_then(|f| number(&f.data));
            let why = if let Some(item) = set.iter().find_map(|f| f.inert) {
                Some(item.to_owned())
            } else if let Some(why) = inert_gpo("HKCU") {
                Some(why.to_owned())
            } else if !policy {
                Some("a user preference, not a policy: the user can change it".to_owned())
            } else if value(SECURE).is_none_or(|f| number(&f.data) != Some(1)) {
                Some("a delay without the lock: ScreenSaverIsSecure is not 1".to_owned())
            } else if value(ACTIVE).is_none_or(|f| number(&f.data) != Some(1)) {
                Some("the screen saver is not enabled: ScreenSaveActive is not 1".to_owned())
            } else {
                delay_problem(m, timeout)
            };
            out.push(match why {
                None => Finding::Holds(format!(
                    "locked after {} min: {head}",
                    timeout.unwrap_or_default() / 60
                )),
                Some(why) => Finding::Near(format!("{head} ({why})")),
            });
        }
    }
    for found in values.iter().filter(|f| {
        f.value_name.eq_ignore_ascii_case(INACTIVITY)
            && bare_key(&f.key).eq_ignore_ascii_case(INACTIVITY_KEY)
    }) {
        let seconds = number(&found.data);
        let head = format!(
            "{gpo_label}, {}: {INACTIVITY} = {}",
            mechanism(found),
            found.data
        );
        let why = if let Some(item) = found.inert {
            Some(item.to_owned())
        } else if let Some(why) = inert_gpo("HKLM").filter(|_| found.hive == "HKLM") {
            Some(why.to_owned())
        } else if found.hive != "HKLM" {
            Some("written under HKCU: Windows reads it under HKLM".to_owned())
        } else if seconds == Some(0) {
            Some("0 disables the inactivity limit".to_owned())
        } else {
            delay_problem(m, seconds)
        };
        out.push(match why {
            None => Finding::Holds(format!(
                "locked after {} min: {head} (the machine inactivity limit)",
                seconds.unwrap_or_default() / 60
            )),
            Some(why) => Finding::Near(format!("{head} ({why})")),
        });
    }
    out
}

/// Why a delay in seconds does not meet the expectation, if it does not.
fn delay_problem(m: &ScreensaverMatcher, seconds: Option<u64>) -> Option<String> {
    match seconds {
        None => Some("no delay in seconds".to_owned()),
        Some(0) => Some("a delay of 0".to_owned()),
        Some(s) if m.exactly && s != m.seconds => Some(format!("{s} s instead of {} s", m.seconds)),
        Some(s) if s > m.seconds => Some(format!("{s} s, longer than {} s", m.seconds)),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{ad, kind_case_as, without};
    use constat_snapshot::Snapshot;
    use constat_snapshot::gpo::{
        GpoSettings, PolicyScope, RegistryAction, RegistrySetting, SkippedGpoFile,
    };
    use constat_snapshot::section::Section;

    // Fixture: the real Samba AD DC collection (tests/fixtures/snapshots/ad-samba.json),
    // whose GPO_Lecteurs (linked to OU=Comptabilite) really holds a GPMC-format Registry
    // preference ScreenSaveTimeOut = "600" and nothing else; the edits below add the
    // Registry.pol records GPMC writes for « Activer l'écran de veille », « Protéger
    // l'écran de veille par mot de passe » and « Délai d'expiration de l'écran de veille »
    // ([MS-GPREG] 2.2, REG_SZ data), and the security option of GptTmpl.inf ([MS-GPSB]
    // 2.2.6). The same GPOs are written for real on the Samba DC in
    // tests/tests/ad_policy_intents.rs.

    fn gpo_mut<'s>(snapshot: &'s mut Snapshot, name: &str) -> &'s mut GpoSettings {
        let Section::Collected { data } = &mut snapshot.sections.gpos else {
            panic!("the fixture has gpos");
        };
        data.iter_mut()
            .find(|g| g.display_name.as_deref() == Some(name))
            .expect("GPO in the fixture")
    }

    fn policy(gpo: &mut GpoSettings, key: &str, name: &str, data: &str) {
        gpo.registry.push(RegistrySetting {
            scope: PolicyScope::User,
            key: key.to_owned(),
            value_name: name.to_owned(),
            action: RegistryAction::Set,
            value_type: "REG_SZ".to_owned(),
            data: serde_json::json!(data),
        });
    }

    const DESKTOP: &str = r"Software\Policies\Microsoft\Windows\Control Panel\Desktop";

    fn templates(snapshot: &mut Snapshot, gpo: &str, timeout: &str) {
        let gpo = gpo_mut(snapshot, gpo);
        policy(gpo, DESKTOP, "ScreenSaveActive", "1");
        policy(gpo, DESKTOP, "ScreenSaverIsSecure", "1");
        policy(gpo, DESKTOP, "ScreenSaveTimeOut", timeout);
    }

    /// The real collection: GPO_Lecteurs's preference sets a delay without the lock.
    #[test]
    fn a_delay_without_the_lock_is_a_named_near_miss() {
        insta::assert_snapshot!(kind_case_as("dc", "screensaver: {minutes: 10}", &ad()));
    }

    /// The Administrative Templates in a linked GPO pass and are named; a longer delay
    /// and `exactly` fail with the delay shown.
    #[test]
    fn administrative_templates_pass_and_longer_delays_fail() {
        let mut snapshot = ad();
        templates(&mut snapshot, "GPO_Compta_Securite", "600");
        let mut longer = ad();
        templates(&mut longer, "GPO_Compta_Securite", "1800");
        insta::assert_snapshot!(format!(
            "{}\n{}\n{}",
            kind_case_as("dc", "screensaver: {minutes: 10}", &snapshot),
            kind_case_as("dc", "screensaver: {minutes: 15, exactly: true}", &snapshot),
            kind_case_as("dc", "screensaver: {minutes: 10}", &longer),
        ));
    }

    /// The machine inactivity limit in the security template passes; the user's own
    /// Control Panel values and a GPO whose only link is disabled are look-alikes.
    #[test]
    fn the_inactivity_limit_passes_and_user_values_are_look_alikes() {
        let mut snapshot = ad();
        gpo_mut(&mut snapshot, "GPO_Informatique_Restrictions")
            .security
            .get_or_insert_with(Default::default)
            .registry_values
            .insert(
                r"MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\InactivityTimeoutSecs"
                    .to_owned(),
                "4,300".to_owned(),
            );
        let mut look_alikes = ad();
        {
            let gpo = gpo_mut(&mut look_alikes, "GPO_Compta_Securite");
            policy(gpo, r"Control Panel\Desktop", "ScreenSaveActive", "1");
            policy(gpo, r"Control Panel\Desktop", "ScreenSaverIsSecure", "1");
            policy(gpo, r"Control Panel\Desktop", "ScreenSaveTimeOut", "600");
        }
        templates(&mut look_alikes, "GPO_Lecteurs_NonApplique", "600");
        // GPO_Lecteurs_NonApplique's one link (OU=Informatique) disabled.
        let Section::Collected { data: dir } = &mut look_alikes.sections.directory else {
            panic!("the fixture has a directory");
        };
        let guid = dir
            .gpos
            .iter()
            .find(|g| g.display_name == "GPO_Lecteurs_NonApplique")
            .map(|g| g.guid.clone())
            .expect("GPO in the fixture");
        for link in dir.ous.iter_mut().flat_map(|ou| ou.gp_links.iter_mut()) {
            if link.gpo_guid.eq_ignore_ascii_case(&guid) {
                link.enabled = false;
            }
        }
        insta::assert_snapshot!(format!(
            "{}\n{}",
            kind_case_as("dc", "screensaver: {minutes: 10}", &snapshot),
            kind_case_as("dc", "screensaver: {minutes: 10}", &look_alikes),
        ));
    }

    /// A GPO whose Registry.pol was over SYSVOL's limit: unknown, not absent; without
    /// SYSVOL, not assessable; an invalid delay is a pack error.
    #[test]
    fn unread_files_and_missing_sections_are_not_assessable() {
        let mut unread = ad();
        gpo_mut(&mut unread, "GPO_Compta_Securite")
            .skipped
            .push(SkippedGpoFile {
                path: "User/Registry.pol".to_owned(),
                size: Some(5_242_880),
                reason: "larger than 4194304 bytes (the per-file limit): not read".to_owned(),
            });
        insta::assert_snapshot!(format!(
            "{}\n{}\n{}",
            kind_case_as("dc", "screensaver: {minutes: 10}", &unread),
            kind_case_as("dc", "screensaver: {minutes: 10}", &without(ad(), "gpos")),
            kind_case_as("dc", "screensaver: {minutes: 0}", &ad()),
        ));
    }
}
