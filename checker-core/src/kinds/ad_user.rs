//! Check kind `ad_user`: a domain user account exists with the expected OU, state and attributes.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::ad_user_paths::{PATH_KEYS, check_paths};
use crate::kinds::directory::{in_ou, rdn_value, same_account};
use crate::kinds::existence::existence;
use crate::kinds::kind::{Kind, includes_by, property};
use crate::kinds::logon_week::{DAYS, UtcHours, Week, ranges, to_local, utc_hours};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::ad::{DirectoryUser, LogonHours};
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// `ad_user: {name: jdupont, ou: "OU=Comptabilite,DC=tssr,DC=lan", member_of: [GG_Compta]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdUserExpect {
    /// `sAMAccountName` (case-insensitive; `TSSR\jdupont` and `jdupont@tssr.lan` name the same).
    pub name: Sp<String>,
    /// Whether the account must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// DN of the OU the account must be in (directly or below it), case-insensitive.
    #[serde(default)]
    pub ou: Option<Sp<String>>,
    /// Account enabled.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// "User must change password at next logon".
    #[serde(default)]
    pub must_change_password: Option<bool>,
    /// "Password never expires".
    #[serde(default)]
    pub password_never_expires: Option<bool>,
    /// `givenName` (exact, case-insensitive).
    #[serde(default)]
    pub given_name: Option<Sp<String>>,
    /// `sn` (exact, case-insensitive).
    #[serde(default)]
    pub surname: Option<Sp<String>>,
    /// `userPrincipalName` (exact, case-insensitive).
    #[serde(default)]
    pub upn: Option<Sp<String>>,
    /// `title` (exact, case-insensitive).
    #[serde(default)]
    pub title: Option<Sp<String>>,
    /// `department` (exact, case-insensitive).
    #[serde(default)]
    pub department: Option<Sp<String>>,
    /// Regex the `description` must match.
    #[serde(default)]
    pub description: Option<Sp<String>>,
    /// Groups the user must belong to (others allowed): direct membership plus the primary
    /// group, or any membership through nesting with `nested: true`.
    #[serde(default)]
    pub member_of: Vec<Sp<String>>,
    /// Count memberships reached through nested groups.
    #[serde(default)]
    pub nested: bool,
    /// Allowed logon hours in the exam's time zone (pack or inventory `timezone`, Europe/Paris
    /// by default), exactly: `["Mon-Fri 08:00-18:00"]`; whole hours; `[]` means never allowed.
    #[serde(default)]
    pub logon_hours: Option<Vec<Sp<String>>>,
    /// `homeDirectory` (`\\srv-fic\perso$\%USERNAME%`): environment variables filled in
    /// for this account, server by any of its names, case ignored.
    #[serde(default)]
    pub home_directory: Option<Sp<String>>,
    /// `homeDrive` (`H:`).
    #[serde(default)]
    pub home_drive: Option<Sp<String>>,
    /// `profilePath` (roaming profile), compared as `home_directory`.
    #[serde(default)]
    pub profile_path: Option<Sp<String>>,
}

fn yes() -> bool {
    true
}

/// Compiled `ad_user` expectation.
#[derive(Debug, Clone)]
pub struct AdUserMatcher {
    name: String,
    exists: bool,
    ou: Option<String>,
    enabled: Option<bool>,
    must_change: Option<bool>,
    never_expires: Option<bool>,
    attributes: Vec<(&'static str, String)>,
    description: Option<Regex>,
    member_of: Vec<String>,
    nested: bool,
    logon_hours: Option<(String, Week)>,
    paths: Vec<(&'static str, String)>,
}

// YAML examples written once for DOC and DOC_FR (the registry test requires them identical).
macro_rules! ad_user_example_1 {
    () => {
        r##"```yaml
expect:
  ad_user:
    name: mmartin
    ou: "OU=Comptabilite,DC=tssr,DC=lan"
    must_change_password: true
    member_of: [GG_Compta]
    logon_hours: ["Mon-Fri 08:00-18:00"]
```"##
    };
}

macro_rules! ad_user_example_2 {
    () => {
        r##"```yaml
- id: ad-horaires-compta
  title: Les membres de GG_Compta peuvent se connecter du lundi au vendredi de 8 h à 18 h
  partial: true            # credit per member
  expect:
    select:
      ad_user: {member_of: GG_Compta}
      all: {ad_user: {name: "${member}", logon_hours: ["Mon-Fri 08:00-18:00"]}}
- id: ad-deux-par-groupe
  title: Au moins deux utilisateurs activés par groupe
  for_each: [GG_Compta, GG_Direction, GG_Informatique]
  expect:
    select:
      ad_user: {member_of: "${item}", ou: "OU=Siege", enabled: true}
      count: {min: 2}
```"##
    };
}

impl Kind for AdUserExpect {
    const NAME: &'static str = "ad_user";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory"]);
    const DOC: &'static str = concat!(
        r#"# ad_user

## What it checks
A domain user account (by `sAMAccountName`) exists, or does not, in the expected OU (the
OU itself or one below it), enabled or disabled, with "must change password at next logon"
and "password never expires" as asked, the expected attributes (given name, surname, UPN,
title, department; description as a regex), group memberships (direct, or through nested
groups with `nested: true`) and logon hours, given as allowed ranges in local time and
compared hour by hour with the `logonHours` grid. Folder paths (`home_directory`,
`home_drive`, `profile_path`) are compared with the account's environment variables filled
in: `\\srv-file01\perso$\%USERNAME%` (or `%LogonUser%`) matches the
`\\srv-file01\perso$\jdupont` Active Directory Users and Computers writes for `jdupont`, the
server by its short name or FQDN, case ignored; the evidence shows both forms.

AD stores logon hours in UTC. They are read in the exam's time zone — the pack's
`timezone` (under `pack:`), or the inventory's `session.timezone`, Europe/Paris when
neither says — with the offset in force when the directory was collected, so a June exam in
Paris reads them at UTC+2 and a January one at UTC+1 with no option to set. The evidence
names the zone and offset (“local time Europe/Paris, UTC+02:00 on 2026-06-15”) and shows the
allowed ranges Monday first, a range across midnight as one (“Mon 22:00–Tue 01:00”),
identical days grouped (“Mon–Fri 08:00–18:00”). A value that is not the 21 bytes AD
defines (a script that wrote one byte per hour writes 168) fails as “malformed value
(168 bytes; 21 expected)”, never as “always allowed”.

## Why it matters
Creating the users of a department in the right OU, in the right groups, with a first-logon
password change and the working hours the subject asks is the core of the AD part of the
exam: the OU decides which GPOs apply, the groups decide which shares open.

## Passing example
"#,
        ad_user_example_1!(),
        r#"
The directory lists `mmartin` under `OU=Comptabilite`, `pwdLastSet` = 0, a direct member of
`GG_Compta`, with logon allowed Monday to Friday from 08:00 to 18:00 local time.

## Failing example
The same expectation for `jdupont`, who must not change his password and may log on at any
time: `must_change_password` and `logon_hours` fail (observed “always allowed”).
A `logonHours` of 168 bytes fails with observed “malformed value (168 bytes; 21
expected)”.

## Critères
`tssr-2023/CP2/C1` (gérer les comptes et groupes de l'annuaire).

## Selecting accounts by relation
When the subject leaves the names free (« au moins deux utilisateurs par groupe ») or gives a
rule per group (« les membres de GG_Compta peuvent se connecter du lundi au vendredi de 8 h
à 18 h »), `select` chooses the accounts by group (through nested groups and the primary
group unless `nested: false`), by OU (`ou:` as a DN, a DN without its `DC=` part read from
the domain root, or a name path `Siege/Compta`; sub-OUs included unless `recursive: false`)
and by attributes (`enabled`, `name` regex, `department`, `title`), every criterion combined
(AND). Then `count: {min, max}` bounds how many there are, and `all: {...}` (every one) or
`at_least: {n, expect: {...}}` says what each must satisfy, with `${member}` (the
`sAMAccountName`), `${member.home}` and `${member.dn}` bound to the account:
"#,
        ad_user_example_2!(),
        r#"
The evidence lists the accounts selected, then each member with its own verdict and the
properties that decided it (« jdupont — non conforme : logon_hours »), then how many hold.
An empty selection fails `all` (nobody was found to judge: a group misnamed or left
empty), unless the pack writes `allow_empty: true`; the evidence says when the group or
OU does not exist. A `directory` section that was not collected makes the whole check not
assessable, never failed. More than 500 accounts selected make `all`/`at_least` not
assessable (narrow the selection). A per-member `file` check needs the path collected:
members are known only at grading, so a path under `${member.home}` is requested as a
`{home}` template that the Linux agent expands for every account of its host (see
`file_access` for a subject-style example on Linux homes); the LDAP collector reads no files,
so a directory account's home (a UNC path) reads “path not requested from the collector”.
"#
    );
    const DOC_FR: &'static str = concat!(
        r#"# ad_user

## Ce qui est vérifié
Un compte d'utilisateur du domaine (par son `sAMAccountName`) existe, ou n'existe pas, dans
l'UO attendue (l'UO elle-même ou une UO en dessous), activé ou désactivé, avec « l'utilisateur
doit changer le mot de passe à la prochaine ouverture de session » et « le mot de passe
n'expire jamais » comme demandé, les attributs attendus (prénom, nom, UPN, fonction, service ;
description en expression régulière), les appartenances aux groupes (directes, ou par des
groupes imbriqués avec `nested: true`) et les horaires d'ouverture de session, donnés en plages
autorisées en heure locale et comparés heure par heure à la grille `logonHours` décodée.

## Pourquoi c'est important
Créer les comptes d'un service dans la bonne UO, dans les bons groupes, avec changement du mot
de passe à la première ouverture de session et les horaires que demande le sujet est le cœur
de la partie AD de l'épreuve : l'UO décide des GPO qui s'appliquent, les groupes décident des
partages qui s'ouvrent.

## Exemple conforme
"#,
        ad_user_example_1!(),
        r#"
L'annuaire liste `mmartin` sous `OU=Comptabilite`, `pwdLastSet` = 0, membre direct de
`GG_Compta`, avec ouverture de session autorisée du lundi au vendredi de 08:00 à 18:00 en
heure locale.

## Exemple non conforme
La même attente pour `jdupont`, qui n'a pas à changer son mot de passe et peut ouvrir une
session à toute heure : `must_change_password` et `logon_hours` échouent (observé « toujours
autorisé »).
Un `logonHours` de 168 octets échoue avec l'observé « valeur mal formée (168 octets ; 21
attendus) ».

## Critères
`tssr-2023/CP2/C1` (gérer les comptes et groupes de l'annuaire).

## Sélection des comptes par relation
Quand le sujet laisse les noms libres (« au moins deux utilisateurs par groupe ») ou donne une
règle par groupe (« les membres de GG_Compta peuvent se connecter du lundi au vendredi de 8 h
à 18 h »), `select` choisit les comptes par groupe (en passant par les groupes imbriqués et le
groupe principal, sauf avec `nested: false`), par UO (`ou:` sous forme de DN, de DN sans sa
partie `DC=` lu depuis la racine du domaine, ou de chemin de noms `Siege/Compta` ; sous-UO
comprises sauf avec `recursive: false`) et par attributs (`enabled`, expression régulière sur
`name`, `department`, `title`), tous les critères combinés (ET). Ensuite `count: {min, max}`
borne leur nombre, et `all: {...}` (tous) ou `at_least: {n, expect: {...}}` dit ce que chacun
doit satisfaire, avec `${member}` (le `sAMAccountName`), `${member.home}` et `${member.dn}`
liés au compte :
"#,
        ad_user_example_2!(),
        r#"
La preuve liste les comptes sélectionnés, puis chaque membre avec son propre verdict et les
propriétés qui l'ont décidé (« jdupont — non conforme : logon_hours »), puis combien sont
conformes. Une sélection vide fait échouer `all` (personne n'a été trouvé à juger : un groupe
mal nommé ou laissé vide), sauf si le pack écrit `allow_empty: true` ; la preuve signale quand
le groupe ou l'UO n'existe pas. Une section `directory` non collectée rend tout le contrôle non
évaluable, jamais en échec. Plus de 500 comptes sélectionnés rendent `all`/`at_least` non
évaluables (restreignez la sélection). Un contrôle `file` par membre a besoin que le chemin
soit collecté : les membres ne sont connus qu'à la notation, donc un chemin sous
`${member.home}` est demandé comme modèle `{home}` que l'agent Linux développe pour chaque
compte de son hôte (voir `file_access` pour un exemple de sujet sur les dossiers personnels
Linux) ; le collecteur LDAP ne lit pas de fichiers, donc le dossier personnel d'un compte de
l'annuaire (un chemin UNC) donne « chemin non demandé au collecteur ».
"#
    );
    type Compiled = AdUserMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<AdUserMatcher> {
        let mut attributes = Vec::new();
        for (key, value) in [
            ("given_name", &self.given_name),
            ("surname", &self.surname),
            ("upn", &self.upn),
            ("title", &self.title),
            ("department", &self.department),
        ] {
            if let Some(value) = cx.opt_text(value) {
                attributes.push((key, value));
            }
        }
        let mut paths = Vec::new();
        for (key, value) in
            PATH_KEYS
                .into_iter()
                .zip([&self.home_directory, &self.home_drive, &self.profile_path])
        {
            if let Some(value) = cx.opt_text(value) {
                paths.push((key, value));
            }
        }
        let description = cx.opt_regex(&self.description);
        let logon_hours = match &self.logon_hours {
            None => Some(None),
            Some(ranges) => parse_week(ranges, cx).map(Some),
        };
        Some(AdUserMatcher {
            name: cx.text(&self.name),
            exists: self.exists,
            ou: cx.opt_text(&self.ou),
            enabled: self.enabled,
            must_change: self.must_change_password,
            never_expires: self.password_never_expires,
            attributes,
            description: description?,
            member_of: cx.texts(&self.member_of),
            nested: self.nested,
            logon_hours: logon_hours?,
            paths,
        })
    }

    fn evaluate(m: &AdUserMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "directory";
        let Some(dir) = host.section(S, &m.name, &host.snapshot.sections.directory, out) else {
            return Status::NotAssessable;
        };
        let user = dir
            .users
            .iter()
            .find(|u| same_account(&u.sam_account_name, &m.name));
        let exists = existence(host, out, "directory", &m.name, m.exists, user.is_some());
        let Some(user) = user.filter(|_| m.exists) else {
            return exists;
        };
        let flag =
            |out: &mut Vec<Evidence>, name: &'static str, expected: Option<bool>, actual: bool| {
                property(
                    host,
                    out,
                    S,
                    &m.name,
                    name,
                    expected.as_ref(),
                    Some(&actual),
                    bool::to_string,
                )
            };
        let mut status = in_ou(host, out, &m.name, m.ou.as_ref(), &user.ou_dn);
        status = status.and(flag(out, "enabled", m.enabled, user.enabled));
        status = status.and(flag(
            out,
            "must_change_password",
            m.must_change,
            user.must_change_password,
        ));
        status = status.and(flag(
            out,
            "password_never_expires",
            m.never_expires,
            user.password_never_expires,
        ));
        for (key, expected) in &m.attributes {
            let actual = attribute(user, key);
            let holds = actual.is_some_and(|a| a.eq_ignore_ascii_case(expected));
            let st = Status::from_bool(holds);
            out.push(host.evidence(
                S,
                &m.name,
                (*key).to_owned(),
                expected.clone(),
                actual.unwrap_or("(absent)").to_owned(),
                st,
            ));
            status = status.and(st);
        }
        if let Some(re) = &m.description {
            let actual = user.description.as_deref();
            let st = Status::from_bool(actual.is_some_and(|d| re.is_match(d)));
            out.push(host.evidence(
                S,
                &m.name,
                "description",
                format!("~ {}", re.as_str()),
                actual.unwrap_or("(absent)").to_owned(),
                st,
            ));
            status = status.and(st);
        }
        status = status.and(check_paths(
            host,
            out,
            &m.name,
            user,
            dir.domain.netbios_name.as_deref(),
            &m.paths,
        ));
        let groups: Vec<&str> = if m.nested {
            user.member_of_transitive
                .iter()
                .map(String::as_str)
                .collect()
        } else {
            user.member_of
                .iter()
                .map(|dn| rdn_value(dn))
                .chain(user.primary_group.as_deref())
                .collect()
        };
        let name = if m.nested {
            "member_of (nested)"
        } else {
            "member_of"
        };
        status = status.and(includes_by(
            host,
            out,
            S,
            &m.name,
            name,
            &m.member_of,
            &groups,
            same_account,
        ));
        if let Some((shown, expected)) = &m.logon_hours {
            status = status.and(logon_hours(
                host,
                out,
                &m.name,
                shown,
                expected,
                &user.logon_hours,
            ));
        }
        status
    }
}

fn attribute<'u>(user: &'u DirectoryUser, key: &str) -> Option<&'u str> {
    match key {
        "given_name" => user.given_name.as_deref(),
        "surname" => user.surname.as_deref(),
        "upn" => user.upn.as_deref(),
        "title" => user.title.as_deref(),
        _ => user.department.as_deref(),
    }
}

fn logon_hours(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    shown: &str,
    expected: &Week,
    actual: &LogonHours,
) -> Status {
    let offset = host.offset();
    let expected_text = format!("{shown} (local time {})", offset.describe());
    let (grid, text) = match utc_hours(actual) {
        UtcHours::Always => ([[true; 24]; 7], "always allowed".to_owned()),
        UtcHours::Malformed(length) => {
            out.push(host.evidence(
                "directory",
                path,
                "logon_hours",
                expected_text,
                format!("malformed value ({length} bytes; 21 expected)"),
                Status::Fail,
            ));
            return Status::Fail;
        }
        UtcHours::Unreadable => {
            out.push(host.evidence(
                "directory",
                path,
                "logon_hours",
                expected_text,
                "UTC grid unreadable in the snapshot",
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        }
        UtcHours::Grid(utc) => {
            let local = to_local(&utc, offset.minutes);
            let text = ranges(&local);
            (local, text)
        }
    };
    let status = Status::from_bool(&grid == expected);
    out.push(host.evidence(
        "directory",
        path,
        "logon_hours",
        expected_text,
        text,
        status,
    ));
    status
}

/// Parses `["Mon-Fri 08:00-18:00", "Sat 09:00-12:00"]` into a grid; errors go to `cx`.
fn parse_week(ranges: &[Sp<String>], cx: &mut Compile<'_>) -> Option<(String, Week)> {
    let mut week = [[false; 24]; 7];
    let mut ok = true;
    let mut shown = Vec::new();
    let mut across_midnight = false;
    for range in ranges {
        let text = cx.text(range);
        match parse_range(&text) {
            Ok((days, from, to)) => {
                for day in days {
                    if from < to {
                        for hour in week[day].iter_mut().take(to).skip(from) {
                            *hour = true;
                        }
                    } else {
                        // `22:00-06:00`: the evening of each day and the next morning (the
                        // week is cyclic: Sunday night runs into Monday).
                        across_midnight = true;
                        for hour in week[day].iter_mut().skip(from) {
                            *hour = true;
                        }
                        for hour in week[(day + 1) % 7].iter_mut().take(to) {
                            *hour = true;
                        }
                    }
                }
                shown.push(text);
            }
            Err(message) => {
                cx.error(
                    range,
                    (
                        format!("plage horaire invalide « {text} » : {}", message.0),
                        format!("invalid time range \"{text}\": {}", message.1),
                    ),
                    Some((
                        "forme attendue « Mon-Fri 08:00-18:00 » ou « Mon,Wed 08:00-12:00 », \
                         jours Mon Tue Wed Thu Fri Sat Sun, heures entières"
                            .to_owned(),
                        "expected form \"Mon-Fri 08:00-18:00\" or \"Mon,Wed 08:00-12:00\", \
                         days Mon Tue Wed Thu Fri Sat Sun, whole hours"
                            .to_owned(),
                    )),
                );
                ok = false;
            }
        }
    }
    let shown = if shown.is_empty() {
        "never allowed".to_owned()
    } else if across_midnight {
        // Shown as the observed side is: each night as one range.
        crate::kinds::logon_week::ranges(&week)
    } else {
        shown.join(", ")
    };
    ok.then_some((shown, week))
}

/// `Mon-Fri 08:00-18:00` → (Sunday-first day indexes, first hour, end hour exclusive).
/// Errors are `(français, English)`.
fn parse_range(text: &str) -> Result<(Vec<usize>, usize, usize), (String, String)> {
    let (days, hours) = text.trim().split_once(' ').ok_or_else(|| {
        (
            "il manque l'espace entre les jours et les heures".to_owned(),
            "the space between the days and the hours is missing".to_owned(),
        )
    })?;
    // Monday-first order, as an administrator writes "Mon-Sun".
    const ORDER: [usize; 7] = [1, 2, 3, 4, 5, 6, 0];
    let position = |name: &str| {
        DAYS.iter()
            .position(|d| d.eq_ignore_ascii_case(name.trim()))
            .and_then(|i| ORDER.iter().position(|o| *o == i))
            .ok_or_else(|| {
                (
                    format!("jour inconnu « {} »", name.trim()),
                    format!("unknown day \"{}\"", name.trim()),
                )
            })
    };
    let mut indexes = Vec::new();
    for part in days.split(',') {
        match part.split_once(['-', '–']) {
            Some((a, b)) => {
                let (a, b) = (position(a)?, position(b)?);
                if a > b {
                    return Err((
                        format!("« {part} » va à rebours (la semaine commence lundi)"),
                        format!("\"{part}\" runs backwards (the week starts on Monday)"),
                    ));
                }
                indexes.extend(ORDER[a..=b].iter().copied());
            }
            None => indexes.push(ORDER[position(part)?]),
        }
    }
    let (from, to) = hours.trim().split_once(['-', '–']).ok_or_else(|| {
        (
            "les heures s'écrivent « 08:00-18:00 »".to_owned(),
            "hours are written \"08:00-18:00\"".to_owned(),
        )
    })?;
    let hour = |t: &str| -> Result<usize, (String, String)> {
        let (h, min) = t.trim().split_once(':').unwrap_or((t.trim(), "00"));
        let h: usize = h.parse().map_err(|_| {
            (
                format!("heure illisible « {t} »"),
                format!("unreadable hour \"{t}\""),
            )
        })?;
        if min != "00" || h > 24 {
            return Err((
                format!("« {t} » n'est pas une heure entière (la grille AD est horaire)"),
                format!("\"{t}\" is not a whole hour (the AD grid is hourly)"),
            ));
        }
        Ok(h)
    };
    let (from, to) = (hour(from)?, hour(to)?);
    // `22:00-06:00` crosses midnight (`to` < `from`); `22:00-00:00` ends at midnight.
    let to = if to == 0 { 24 } else { to };
    if from == to || from == 24 {
        return Err((
            format!("la plage {from:02}:00-{to:02}:00 est vide (une nuit s'écrit « 22:00-06:00 »)"),
            format!(
                "the range {from:02}:00-{to:02}:00 is empty (a night is written \"22:00-06:00\")"
            ),
        ));
    }
    Ok((indexes, from, to))
}

#[cfg(test)]
mod tests {
    use crate::eval::{CandidateInput, GradeOptions, HostObservation, Observed};
    use crate::kinds::testing::{ad, kind_case_as, without};
    use constat_snapshot::Snapshot;
    use constat_snapshot::ad::{DayHours, DirectoryUser, LogonHours, MalformedValue};
    use constat_snapshot::section::Section;
    use std::collections::BTreeMap;

    // Fixture: the real Samba AD DC collection (tests/fixtures/snapshots/ad-samba.json).

    #[test]
    fn passes_on_the_recorded_accounting_user() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"ad_user:
  name: MMARTIN
  ou: "ou=comptabilite,dc=tssr,dc=lan"
  enabled: true
  must_change_password: true
  password_never_expires: false
  given_name: Marie
  surname: Martin
  upn: mmartin@tssr.lan
  member_of: [GG_Compta, Domain Users]
  logon_hours: ["Mon-Fri 08:00-18:00"]"#,
            &ad()
        ));
    }

    #[test]
    fn passes_on_nested_membership_and_attributes() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"ad_user: {name: jdupont, title: Comptable, department: Comptabilite, password_never_expires: true, member_of: [DL_Partage_Compta_RW, U_Tous], nested: true}"#,
            &ad()
        ));
    }

    #[test]
    fn fails_on_wrong_state_hours_and_direct_membership() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - ad_user: {name: jdupont, must_change_password: true, logon_hours: ["Mon-Fri 08:00-18:00"], member_of: [DL_Partage_Compta_RW]}
  - ad_user: {name: pdurand, ou: "OU=Informatique,DC=tssr,DC=lan", enabled: true, description: "^Compta"}
  - ad_user: {name: absent.user}"#,
            &ad()
        ));
    }

    /// `ad-samba.json` with `name`'s UTC grid set to Monday-Friday `from..to` UTC and the
    /// collection made at `collected_at`.
    fn with_utc_hours(name: &str, from: usize, to: usize, collected_at: &str) -> Snapshot {
        let mut snapshot = ad();
        snapshot.collection.started_at = collected_at.to_owned();
        let day = |d: &str, on: bool| DayHours {
            day: d.to_owned(),
            hours: (0..24)
                .map(|h| {
                    if on && (from..to).contains(&h) {
                        '1'
                    } else {
                        '0'
                    }
                })
                .collect(),
        };
        user_mut(&mut snapshot, name).logon_hours = LogonHours {
            utc: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
                .iter()
                .map(|d| day(d, *d != "Sun" && *d != "Sat"))
                .collect(),
            ..LogonHours::default()
        };
        snapshot
    }

    fn user_mut<'s>(snapshot: &'s mut Snapshot, name: &str) -> &'s mut DirectoryUser {
        let Section::Collected { data } = &mut snapshot.sections.directory else {
            panic!("the fixture has a directory");
        };
        data.users
            .iter_mut()
            .find(|u| u.sam_account_name == name)
            .expect("user in the fixture")
    }

    /// A June exam in Paris (UTC+2): the administrator set 08:00-18:00 in ADUC, which AD
    /// stores as 06:00-16:00 UTC. With no option anywhere it decodes to 08:00-18:00; the same
    /// grid read in January (UTC+1) is 07:00-17:00, as Windows would enforce it then.
    #[test]
    fn a_june_exam_decodes_logon_hours_in_summer_time_with_no_option() {
        let expect = r#"ad_user: {name: mmartin, logon_hours: ["Mon-Fri 08:00-18:00"]}"#;
        insta::assert_snapshot!(format!(
            "{}\n{}",
            kind_case_as(
                "dc",
                expect,
                &with_utc_hours("mmartin", 6, 16, "2026-06-15T07:30:00Z")
            ),
            kind_case_as(
                "dc",
                expect,
                &with_utc_hours("mmartin", 6, 16, "2027-01-11T07:30:00Z")
            )
        ));
    }

    /// `name`'s UTC grid set to the nights `from..24` of Monday-Friday and `0..to` of the
    /// next mornings (Tuesday-Saturday), collected at `collected_at`.
    fn with_utc_nights(name: &str, from: usize, to: usize, collected_at: &str) -> Snapshot {
        let mut snapshot = ad();
        snapshot.collection.started_at = collected_at.to_owned();
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        user_mut(&mut snapshot, name).logon_hours = LogonHours {
            utc: days
                .iter()
                .enumerate()
                .map(|(i, d)| DayHours {
                    day: (*d).to_owned(),
                    hours: (0..24)
                        .map(|h| {
                            let evening = (1..=5).contains(&i) && h >= from;
                            let morning = (2..=6).contains(&i) && h < to;
                            if evening || morning { '1' } else { '0' }
                        })
                        .collect(),
                })
                .collect(),
            ..LogonHours::default()
        };
        snapshot
    }

    /// A night shift « Mon-Fri 22:00-06:00 » (also written with an en dash) is the evening of
    /// each day and the next morning, shown joined on both sides. Paris changes its offset
    /// at 01:00 UTC on the last Sundays of March and October: the same grid (21:00-05:00
    /// UTC, set in winter) passes when collected just before the March switch and fails one
    /// hour after it (summer time reads it 23:00-07:00), and the October switch does the
    /// reverse for a grid set in summer (20:00-04:00 UTC).
    #[test]
    fn night_ranges_cross_midnight_and_follow_the_daylight_saving_switches() {
        let expect = r#"ad_user: {name: mmartin, logon_hours: ["Mon-Fri 22:00–06:00"]}"#;
        let cases = [
            with_utc_nights("mmartin", 21, 5, "2026-03-29T00:30:00Z"),
            with_utc_nights("mmartin", 21, 5, "2026-03-29T01:30:00Z"),
            with_utc_nights("mmartin", 20, 4, "2026-10-25T00:30:00Z"),
            with_utc_nights("mmartin", 20, 4, "2026-10-25T01:30:00Z"),
        ];
        let shown: Vec<String> = cases
            .iter()
            .map(|snapshot| kind_case_as("dc", expect, snapshot))
            .collect();
        insta::assert_snapshot!(shown.join("\n"));
    }

    /// Sunday night runs into Monday morning (the week is cyclic); an empty range is an
    /// error naming how a night is written.
    #[test]
    fn sunday_night_wraps_and_an_empty_range_is_rejected() {
        let mut snapshot = ad();
        snapshot.collection.started_at = "2027-01-11T07:30:00Z".to_owned();
        // Sunday 22:00 to Monday 06:00 in Paris winter time = Sunday 21:00-Monday 05:00 UTC.
        user_mut(&mut snapshot, "mmartin").logon_hours = LogonHours {
            utc: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
                .iter()
                .map(|d| DayHours {
                    day: (*d).to_owned(),
                    hours: (0..24)
                        .map(|h| match *d {
                            "Sun" if h >= 21 => '1',
                            "Mon" if h < 5 => '1',
                            _ => '0',
                        })
                        .collect(),
                })
                .collect(),
            ..LogonHours::default()
        };
        insta::assert_snapshot!(format!(
            "{}\n{}",
            kind_case_as(
                "dc",
                r#"ad_user: {name: mmartin, logon_hours: ["Sun 22:00-06:00"]}"#,
                &snapshot
            ),
            kind_case_as(
                "dc",
                r#"ad_user: {name: mmartin, logon_hours: ["Mon 08:00-08:00"]}"#,
                &snapshot
            )
        ));
    }

    /// A value that is not 21 bytes (a script wrote one byte per hour) is malformed with its
    /// length, never “always allowed”.
    #[test]
    fn a_malformed_logon_hours_value_fails_with_its_length() {
        let mut snapshot = ad();
        user_mut(&mut snapshot, "mmartin").logon_hours = LogonHours {
            malformed: Some(MalformedValue::of(&[1u8; 168])),
            ..LogonHours::default()
        };
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"ad_user: {name: mmartin, logon_hours: ["Mon-Fri 08:00-18:00"]}"#,
            &snapshot
        ));
    }

    /// The zone comes from the pack (`timezone: Indian/Reunion`, UTC+4: 07-17 UTC is 11-21)
    /// unless the inventory names one (Paris: 08-18); an unknown inventory zone is a
    /// warning and the pack's is used; an unknown pack zone is a load error at its line.
    #[test]
    fn the_zone_comes_from_the_pack_or_the_inventory() {
        let pack = |zone: &str| {
            format!(
                "pack: {{id: t, title: T, referentiel: tssr-2023, profile: lab, timezone: {zone}}}\n\
                 hosts: {{dc: {{os: windows}}}}\n\
                 checks:\n  - id: h\n    title: H\n    criteres: [tssr-2023/CP2/C1]\n    hosts: [dc]\n    points: 1\n    expect:\n      ad_user: {{name: mmartin, logon_hours: [\"Mon-Fri 11:00-21:00\"]}}\n"
            )
        };
        let reunion = crate::pack::load("t.yaml", &pack("Indian/Reunion")).expect("valid pack");
        let input = CandidateInput {
            id: "c".to_owned(),
            hosts: BTreeMap::from([(
                "dc".to_owned(),
                HostObservation {
                    end: Observed::Snapshot(Box::new(with_utc_hours(
                        "mmartin",
                        7,
                        17,
                        "2026-06-15T07:30:00Z",
                    ))),
                    start: None,
                },
            )]),
            ..CandidateInput::default()
        };
        let graded = |timezone: Option<&str>| {
            let report = crate::grade(
                &reunion,
                &input,
                &GradeOptions {
                    graded_at: "2026-06-15T12:00:00Z".to_owned(),
                    profile: None,
                    timezone: timezone.map(str::to_owned),
                },
            );
            let check = &report.checks[0];
            format!(
                "{:?} {} / {} {:?}",
                check.outcome,
                check.evidence[1].expected,
                check.evidence[1].actual,
                report.warnings
            )
        };
        let errors = crate::pack::load("t.yaml", &pack("Europe/Pariss"))
            .err()
            .map(|d| {
                d.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        insta::assert_snapshot!(
            [
                graded(None),
                graded(Some("Europe/Paris")),
                graded(Some("Mars/Olympus")),
                errors
            ]
            .join("\n")
        );
    }

    #[test]
    fn rejects_a_bad_logon_range() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"ad_user: {name: mmartin, logon_hours: ["Lun-Ven 08:00-18:30"]}"#,
            &ad()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_directory() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "ad_user: {name: mmartin}",
            &without(ad(), "directory")
        ));
    }

    /// The real recording's jdupont has `\\srv-file01\perso$\jdupont` (what ADUC writes for
    /// `%username%`): the pack may write the variable, in its GPP or environment spelling.
    #[test]
    fn folder_paths_fill_in_the_account_variables() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r"all: [{ad_user: {name: jdupont, home_directory: '\\SRV-FILE01.tssr.lan\Perso$\%USERNAME%', home_drive: h, profile_path: '\\srv-file01\profils$\%LogonUser%'}}, {ad_user: {name: jdupont, home_directory: '\\srv-file01\perso$\%USERDOMAIN%'}}]",
            &ad()
        ));
    }
}
