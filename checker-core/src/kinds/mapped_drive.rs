//! Check kind `mapped_drive`: in a user's profile on a Windows host, a network drive letter
//! is mapped to the expected share (and printer connections exist), as the probe reads it
//! from the user's registry hive (`profile_mappings`).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::directory::same_account;
use crate::kinds::kind::Kind;
use crate::kinds::registry_data::{HostNames, same_path};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::profile_mappings::ProfileMappings;
use schemars::JsonSchema;
use serde::Deserialize;

/// `mapped_drive: {user: alefevre, letter: "S:", path: '\\SRV-AD\Commercial'}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MappedDriveExpect {
    /// The account whose profile is read: `alefevre`, `TSSR\alefevre`,
    /// `alefevre@tssr.lan` (one account) or the profile's SID.
    pub user: Sp<String>,
    /// Drive letter (`S` or `S:`).
    #[serde(default)]
    pub letter: Option<Sp<String>>,
    /// UNC path the letter must point to; the server may be written by its short name or
    /// its FQDN, case ignored.
    #[serde(default)]
    pub path: Option<Sp<String>>,
    /// Printer connections the profile must have (`\\SRV-AD\Imprimante-RDC`).
    #[serde(default)]
    pub printers: Vec<Sp<String>>,
}

/// Compiled `mapped_drive` expectation.
#[derive(Debug, Clone)]
pub struct MappedDriveMatcher {
    user: String,
    letter: Option<String>,
    path: Option<String>,
    printers: Vec<String>,
}

/// At most this many profile names are listed when the user has none.
const PROFILES_SHOWN: usize = 5;

fn profile_name(p: &ProfileMappings) -> &str {
    p.account.as_deref().unwrap_or(&p.sid)
}

impl Kind for MappedDriveExpect {
    const NAME: &'static str = "mapped_drive";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["profile_mappings"]);
    const DOC: &'static str = r#"# mapped_drive

## What it checks
On a Windows host (a client, with the PowerShell probe), the profile of a user has a
network drive letter mapped to the expected share, and optionally printer connections. The
probe reads every *loaded* user hive: `HKU\<sid>\Network\<letter>` (`RemotePath`), the
`Printers\Connections` keys and the shares listed in Explorer's `MountPoints2`. The user is
matched by account name (`alefevre`, `TSSR\alefevre`, `alefevre@tssr.lan`) or SID; the
share's server by its short name or FQDN.

A profile whose hive is not loaded (the user has no session open when the probe runs) is
not assessable: loading a hive would change the host. A letter that is not among the
persistent mappings while the share appears in `MountPoints2` is not assessable either (a
Group Policy Preferences drive map without "Reconnect" leaves no `Network` key; browsing to
the share leaves the same trace): the report says so for the jury to look.

Cross-VM: combine it with a directory expectation through `on:` to check that an account
created on the DC gets its drive on the client (see the passing example).

## Why it matters
A drive map configured on the DC (GPO, logon script) proves nothing until a user logs on
to a client and gets the drive: this is the end-to-end evidence the jury asks for.

## Passing example
```yaml
hosts: [client]
expect:
  all:
    - on: {host: dc, expect: {ad_user: {name: alefevre, enabled: true}}}
    - mapped_drive: {user: alefevre, letter: "S:", path: '\\SRV-AD\Commercial'}
```

## Failing example
When the GPO is not linked, alefevre's profile has no S: key: `drive S:` fails with observed
« (absent) ; lecteurs : H: → \\SRV-AD\Perso$\alefevre ».
A user who never logged on to the client has no profile: `profile` fails with observed
« aucun profil (jamais connecté sur ce poste) ; profils : TSSR\bmoreau ».

## Critères
`tssr-2023/CP5/C2` (stratégies de groupe appliquées aux utilisateurs), `tssr-2023/CP2/C1`.
"#;
    const DOC_FR: &'static str = r#"# mapped_drive

## Ce qui est vérifié
Sur une machine Windows (un poste client, avec la sonde PowerShell), le profil d'un
utilisateur a une lettre de lecteur réseau connectée au partage attendu, et éventuellement des
connexions d'imprimantes. La sonde lit chaque ruche utilisateur *chargée* :
`HKU\<sid>\Network\<lettre>` (`RemotePath`), les clés `Printers\Connections` et les partages
listés dans `MountPoints2` de l'Explorateur. L'utilisateur est reconnu par son nom de compte
(`alefevre`, `TSSR\alefevre`, `alefevre@tssr.lan`) ou son SID ; le serveur du partage par son
nom court ou son FQDN.

Un profil dont la ruche n'est pas chargée (l'utilisateur n'a pas de session ouverte quand la
sonde passe) est non évaluable : charger une ruche modifierait la machine. Une lettre absente
des connexions persistantes alors que le partage figure dans `MountPoints2` est non évaluable
elle aussi (un mappage de lecteur par les préférences de stratégie de groupe sans
« Reconnecter » ne laisse pas de clé `Network` ; parcourir le partage laisse la même trace) :
le rapport le signale pour que le jury regarde.

Entre machines : combinez-le avec une attente sur l'annuaire via `on:` pour vérifier qu'un
compte créé sur le DC obtient son lecteur sur le poste client (voir l'exemple conforme).

## Pourquoi c'est important
Un mappage de lecteur configuré sur le DC (GPO, script d'ouverture de session) ne prouve rien
tant qu'un utilisateur ne s'est pas connecté sur un poste client et n'a pas obtenu le lecteur :
c'est la preuve de bout en bout que demande le jury.

## Exemple conforme
```yaml
hosts: [client]
expect:
  all:
    - on: {host: dc, expect: {ad_user: {name: alefevre, enabled: true}}}
    - mapped_drive: {user: alefevre, letter: "S:", path: '\\SRV-AD\Commercial'}
```

## Exemple non conforme
Quand la GPO n'est pas liée, le profil d'alefevre n'a pas de clé S: : `drive S:` échoue avec
l'observé « (absent) ; lecteurs : H: → \\SRV-AD\Perso$\alefevre ».
Un utilisateur qui ne s'est jamais connecté sur le poste n'a pas de profil : `profile` échoue
avec l'observé « aucun profil (jamais connecté sur ce poste) ; profils : TSSR\bmoreau ».

## Critères
`tssr-2023/CP5/C2` (stratégies de groupe appliquées aux utilisateurs), `tssr-2023/CP2/C1`.
"#;
    type Compiled = MappedDriveMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<MappedDriveMatcher> {
        Some(MappedDriveMatcher {
            user: cx.text(&self.user),
            letter: cx
                .opt_text(&self.letter)
                .map(|l| l.trim().trim_end_matches(':').to_uppercase()),
            path: cx.opt_text(&self.path),
            printers: cx.texts(&self.printers),
        })
    }

    fn evaluate(m: &MappedDriveMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "profile_mappings";
        let p = m.user.as_str();
        let Some(profiles) = host.section(S, p, &host.snapshot.sections.profile_mappings, out)
        else {
            return Status::NotAssessable;
        };
        let found = profiles.iter().find(|x| {
            x.sid.eq_ignore_ascii_case(p)
                || x.account.as_deref().is_some_and(|a| same_account(a, p))
        });
        let Some(profile) = found else {
            let others: Vec<&str> = profiles
                .iter()
                .map(profile_name)
                .take(PROFILES_SHOWN)
                .collect();
            let mut actual = "no profile (never logged on to this computer)".to_owned();
            if !others.is_empty() {
                actual.push_str(&format!("; profiles: {}", others.join(", ")));
            }
            out.push(host.evidence(S, p, "profile", "present", actual, Status::Fail));
            return Status::Fail;
        };
        if !profile.loaded {
            out.push(host.evidence(
                S,
                p,
                "profile",
                "loaded",
                format!(
                    "profile {} not loaded: no open session, its drives cannot be read without changing the computer",
                    profile_name(profile)
                ),
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        }
        let names = HostNames::of(host);
        let mut status = Status::Pass;
        if let Some(letter) = &m.letter {
            status = status.and(check_letter(
                host,
                out,
                p,
                profile,
                &names,
                letter,
                m.path.as_deref(),
            ));
        }
        for printer in &m.printers {
            let holds = profile
                .printers
                .iter()
                .any(|x| same_path(&names, x, printer));
            let actual = if holds {
                printer.clone()
            } else if profile.printers.is_empty() {
                "(no printer connection)".to_owned()
            } else {
                profile.printers.join(", ")
            };
            let s = Status::from_bool(holds);
            out.push(host.evidence(
                S,
                p,
                format!("printer {printer}"),
                printer.clone(),
                actual,
                s,
            ));
            status = status.and(s);
        }
        status
    }
}

fn check_letter(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    user: &str,
    profile: &ProfileMappings,
    names: &HostNames,
    letter: &str,
    path: Option<&str>,
) -> Status {
    const S: &str = "profile_mappings";
    let expected = match path {
        Some(path) => format!("{letter}: → {path}"),
        None => format!("{letter}:"),
    };
    let property = format!("drive {letter}");
    if let Some(drive) = profile
        .drives
        .iter()
        .find(|d| d.letter.eq_ignore_ascii_case(letter))
    {
        let holds = path.is_none_or(|x| same_path(names, &drive.remote_path, x));
        let mut actual = format!("{letter}: → {}", drive.remote_path);
        if let Some(account) = &drive.user_name {
            actual.push_str(&format!(" (account {account})"));
        }
        let status = Status::from_bool(holds);
        out.push(host.evidence(S, user, property, expected, actual, status));
        return status;
    }
    let mounted = path.and_then(|x| {
        profile
            .mounted_shares
            .iter()
            .find(|m| same_path(names, m, x))
    });
    let network_unread = profile.errors.iter().any(|e| e.starts_with("Network"));
    let listed = if profile.drives.is_empty() {
        "no persistent drive".to_owned()
    } else {
        let letters: Vec<String> = profile
            .drives
            .iter()
            .map(|d| format!("{}: → {}", d.letter, d.remote_path))
            .collect();
        format!("drives: {}", letters.join(", "))
    };
    let (actual, status) = if network_unread {
        (
            format!("drives not read: {}", profile.errors.join("; ")),
            Status::NotAssessable,
        )
    } else if let Some(share) = mounted {
        (
            format!(
                "{letter}: absent from the persistent drives ({listed}); share {share} mounted by this profile (MountPoints2): maybe a drive that does not persist, to check in the session"
            ),
            Status::NotAssessable,
        )
    } else {
        (format!("(absent); {listed}"), Status::Fail)
    };
    out.push(host.evidence(S, user, property, expected, actual, status));
    status
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case_as, windows_client_profiles};

    /// Profiles in the probe's shape (`windows/src/probe/profiles.rs`, written in the
    /// probe's output format: no Windows host runs here).
    #[test]
    fn passes_on_the_profile_of_the_user() {
        insta::assert_snapshot!(kind_case_as(
            "client",
            r#"all:
  - mapped_drive: {user: alefevre, letter: "S:", path: '\\srv-ad.tssr.lan\commercial', printers: ['\\SRV-AD\Imprimante-RDC']}
  - mapped_drive: {user: 'TSSR\alefevre', letter: h}"#,
            &windows_client_profiles()
        ));
    }

    #[test]
    fn fails_or_is_not_assessable_with_the_reason() {
        insta::assert_snapshot!(kind_case_as(
            "client",
            r#"all:
  - mapped_drive: {user: alefevre, letter: "S:", path: '\\SRV-AD\Ventes'}
  - mapped_drive: {user: alefevre, letter: T, path: '\\SRV-AD\Transfert'}
  - mapped_drive: {user: alefevre, letter: P, path: '\\SRV-AD\Perso$'}
  - mapped_drive: {user: alefevre, printers: ['\\SRV-AD\Couleur']}
  - mapped_drive: {user: bmoreau, letter: S}
  - mapped_drive: {user: cgarcia, letter: S}"#,
            &windows_client_profiles()
        ));
        insta::assert_snapshot!(
            "linux",
            kind_case_as(
                "client",
                "mapped_drive: {user: alefevre, letter: S}",
                &fixture()
            )
        );
    }
}
