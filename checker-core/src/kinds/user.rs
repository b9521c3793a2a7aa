//! Check kind `user`: a local account exists (or not) with the expected properties.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::{Kind, includes, property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::users::PasswordStatus;
use schemars::JsonSchema;
use serde::Deserialize;

/// `user: {name: alice, groups: [compta], shell: /bin/bash}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserExpect {
    /// Login name.
    pub name: Sp<String>,
    /// Whether the account must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// Numeric user id.
    #[serde(default)]
    pub uid: Option<u32>,
    /// Groups the user must belong to (others allowed).
    #[serde(default)]
    pub groups: Vec<Sp<String>>,
    /// Primary group, by name (`GG_Commercial`) or gid (`1003`).
    #[serde(default)]
    pub primary_group: Option<Sp<String>>,
    /// Login shell.
    #[serde(default)]
    pub shell: Option<Sp<String>>,
    /// Home directory.
    #[serde(default)]
    pub home: Option<Sp<String>>,
    /// Full name (GECOS / FullName).
    #[serde(default)]
    pub full_name: Option<Sp<String>>,
    /// Whether the account can log in.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Password state.
    #[serde(default)]
    pub password: Option<PasswordStatus>,
    /// Must change the password at next login.
    #[serde(default)]
    pub must_change_password: Option<bool>,
}

fn yes() -> bool {
    true
}

/// Compiled `user` expectation.
#[derive(Debug, Clone)]
pub struct UserMatcher {
    name: String,
    exists: bool,
    uid: Option<u32>,
    groups: Vec<String>,
    primary_group: Option<String>,
    shell: Option<String>,
    home: Option<String>,
    full_name: Option<String>,
    enabled: Option<bool>,
    password: Option<PasswordStatus>,
    must_change: Option<bool>,
}

impl Kind for UserExpect {
    const NAME: &'static str = "user";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["users"]);
    const DOC: &'static str = r#"# user

## What it checks
A local account (Linux passwd entry or Windows local user) exists, or does not, with the
expected uid, groups (must include), primary group (name or gid), shell, home, full name, enabled state and password state.

## Why it matters
Creating accounts exactly as the subject asks (names, groups, shell) is the most common
modification requested on a server, and a forgotten or misspelt account blocks the users.

## Passing example
```yaml
expect:
  user: {name: alice, groups: [compta], shell: /bin/bash}
```
The snapshot lists `alice` with `groups: [alice, compta]` and `shell: /bin/bash`.

## Failing example
The same expectation when `alice` has `shell: /bin/sh`: the `shell` property fails with
expected `/bin/bash`, actual `/bin/sh`.

## Critères
`tssr-2023/CP3/C1` (Linux), `tssr-2023/CP2/C1` for Windows local accounts.

## Selecting accounts by relation
`select` with `user:` chooses local accounts by group (`member_of`: listed in the group,
or whose primary gid it is; through groups listed as members, on Windows, unless
`nested: false`), `name` regex, `enabled` and `system` (`false`: human accounts), every
criterion combined; then `count: {min, max}`, `all: {...}` or `at_least: {n, expect:
{...}}` with `${member}` and `${member.home}` bound to each account:
```yaml
expect:
  select:
    user: {member_of: compta, system: false}
    all: {user: {name: "${member}", shell: /bin/bash}}
```
Each member gets its own verdict in the evidence; an empty selection fails `all` unless
`allow_empty: true`; `users` (and `groups` with `member_of`) not collected make the check
not assessable. An account whose state `enabled` asks about is unknown makes the selection
not assessable. See `ad_user` for the full description.

Paths under `${member.home}` reach the agent as `{home}` templates: it reports them for
every account with uid 0 or from 1000 on (not `nobody`), with the directories above each
home, so each member's home can be judged — exists, owner, mode, and who else can enter it
(`file_access`, whose documentation has the subject-style example):
```yaml
expect:
  select:
    user: {member_of: compta, system: false}
    all:
      all:
        - file: {path: "${member.home}", kind: directory, owner: "${member}", mode: "0700"}
        - file_access: {path: "${member.home}", other_than: ["${member}"], cannot: rwx}
```
"#;
    const DOC_FR: &'static str = r#"# user

## Ce qui est vérifié
Un compte local (entrée de passwd sous Linux ou utilisateur local Windows) existe, ou
n'existe pas, avec l'uid, les groupes (doivent être inclus), le groupe principal (nom ou gid),
le shell, le répertoire personnel, le nom complet, l'état activé et l'état du mot de passe attendus.

## Pourquoi c'est important
Créer les comptes exactement comme le sujet le demande (noms, groupes, shell) est la
modification la plus courante demandée sur un serveur ; un compte oublié ou mal orthographié
bloque les utilisateurs.

## Exemple conforme
```yaml
expect:
  user: {name: alice, groups: [compta], shell: /bin/bash}
```
Le relevé liste `alice` avec `groups: [alice, compta]` et `shell: /bin/bash`.

## Exemple non conforme
La même attente quand `alice` a `shell: /bin/sh` : la propriété `shell` échoue avec
attendu `/bin/bash`, observé `/bin/sh`.

## Critères
`tssr-2023/CP3/C1` (Linux), `tssr-2023/CP2/C1` pour les comptes locaux Windows.

## Sélection des comptes par relation
`select` avec `user:` choisit les comptes locaux par groupe (`member_of` : listés dans le
groupe, ou dont c'est le gid principal ; sous Windows, en passant par les groupes listés comme
membres, sauf avec `nested: false`), par expression régulière sur `name`, par `enabled` et par
`system` (`false` : comptes de personnes), tous les critères combinés ; puis `count: {min,
max}`, `all: {...}` ou `at_least: {n, expect: {...}}`, avec `${member}` et `${member.home}`
liés à chaque compte :
```yaml
expect:
  select:
    user: {member_of: compta, system: false}
    all: {user: {name: "${member}", shell: /bin/bash}}
```
Chaque membre reçoit son propre verdict dans la preuve ; une sélection vide fait échouer `all`
sauf avec `allow_empty: true` ; des `users` (et des `groups` avec `member_of`) non collectés
rendent le contrôle non évaluable. Un compte dont l'état `enabled` demandé est inconnu rend la
sélection non évaluable. Voir `ad_user` pour la description complète.

Les chemins sous `${member.home}` parviennent à l'agent comme modèles `{home}` : il les
rapporte pour chaque compte d'uid 0 ou à partir de 1000 (sauf `nobody`), avec les dossiers
au-dessus de chaque dossier personnel, pour que le dossier de chaque membre soit jugé —
existence, propriétaire, mode, et qui d'autre peut y entrer (`file_access`, dont la
documentation donne l'exemple de sujet) :
```yaml
expect:
  select:
    user: {member_of: compta, system: false}
    all:
      all:
        - file: {path: "${member.home}", kind: directory, owner: "${member}", mode: "0700"}
        - file_access: {path: "${member.home}", other_than: ["${member}"], cannot: rwx}
```
"#;
    type Compiled = UserMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<UserMatcher> {
        Some(UserMatcher {
            name: cx.text(&self.name),
            exists: self.exists,
            uid: self.uid,
            groups: cx.texts(&self.groups),
            primary_group: cx.opt_text(&self.primary_group),
            shell: cx.opt_text(&self.shell),
            home: cx.opt_text(&self.home),
            full_name: cx.opt_text(&self.full_name),
            enabled: self.enabled,
            password: self.password,
            must_change: self.must_change_password,
        })
    }

    fn evaluate(m: &UserMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "users";
        if host
            .section(S, &m.name, &host.snapshot.sections.users, out)
            .is_none()
        {
            return Status::NotAssessable;
        }
        let user = host.user(&m.name);
        let exists = Status::from_bool(user.is_some() == m.exists);
        out.push(host.evidence(
            S,
            &m.name,
            "exists",
            if m.exists { "present" } else { "absent" },
            if user.is_some() { "present" } else { "absent" },
            exists,
        ));
        let Some(user) = user.filter(|_| m.exists) else {
            return exists;
        };
        let text = |s: &String| s.clone();
        let mut status = Status::Pass;
        status = status.and(property(
            host,
            out,
            S,
            &m.name,
            "uid",
            m.uid.as_ref(),
            user.uid.as_ref(),
            u32::to_string,
        ));
        let groups: Vec<&str> = user.groups.iter().map(String::as_str).collect();
        status = status.and(includes(
            host, out, S, &m.name, "groups", &m.groups, &groups,
        ));
        if let Some(expected) = &m.primary_group {
            status = status.and(primary_group(host, out, &m.name, expected, user));
        }
        status = status.and(property(
            host,
            out,
            S,
            &m.name,
            "shell",
            m.shell.as_ref(),
            user.shell.as_ref(),
            text,
        ));
        status = status.and(property(
            host,
            out,
            S,
            &m.name,
            "home",
            m.home.as_ref(),
            user.home.as_ref(),
            text,
        ));
        status = status.and(property(
            host,
            out,
            S,
            &m.name,
            "full_name",
            m.full_name.as_ref(),
            user.full_name.as_ref(),
            text,
        ));
        status = status.and(property(
            host,
            out,
            S,
            &m.name,
            "enabled",
            m.enabled.as_ref(),
            user.enabled.as_ref(),
            bool::to_string,
        ));
        if let Some(expected) = m.password {
            if user.password.status == PasswordStatus::Unknown {
                out.push(host.evidence(
                    S,
                    &m.name,
                    "password",
                    format!("{expected:?}"),
                    "unknown (shadow unreadable)",
                    Status::NotAssessable,
                ));
                status = status.and(Status::NotAssessable);
            } else {
                status = status.and(property(
                    host,
                    out,
                    S,
                    &m.name,
                    "password",
                    Some(&expected),
                    Some(&user.password.status),
                    |p| format!("{p:?}"),
                ));
            }
        }
        status.and(property(
            host,
            out,
            S,
            &m.name,
            "must_change_password",
            m.must_change.as_ref(),
            Some(&user.password.must_change),
            bool::to_string,
        ))
    }
}

/// The primary group by name, or by gid when the expectation is a number.
fn primary_group(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    name: &str,
    expected: &str,
    user: &constat_snapshot::users::User,
) -> Status {
    let actual = match (&user.primary_group, user.gid) {
        (Some(g), Some(gid)) => format!("{g} (gid {gid})"),
        (Some(g), None) => g.clone(),
        (None, Some(gid)) => format!("gid {gid}"),
        (None, None) => "(unknown)".to_owned(),
    };
    let status = match expected.trim().parse::<u32>() {
        Ok(gid) => match user.gid {
            Some(actual) => Status::from_bool(actual == gid),
            None => Status::NotAssessable,
        },
        Err(_) => match &user.primary_group {
            Some(g) => Status::from_bool(g == expected),
            None => Status::NotAssessable,
        },
    };
    out.push(host.evidence(
        "users",
        name,
        "primary_group",
        expected.to_owned(),
        actual,
        status,
    ));
    status
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, without};

    #[test]
    fn passes_on_the_recorded_root_account() {
        insta::assert_snapshot!(kind_case(
            "user: {name: root, uid: 0, groups: [root], home: /root}",
            &fixture()
        ));
    }

    #[test]
    fn fails_on_a_missing_account_and_a_wrong_shell() {
        insta::assert_snapshot!(kind_case(
            "all: [{user: {name: alice-absente}}, {user: {name: root, shell: /bin/zsh}}]",
            &fixture()
        ));
    }

    #[test]
    fn primary_group_by_name_and_by_gid() {
        insta::assert_snapshot!(kind_case(
            "all: [{user: {name: root, primary_group: root}}, {user: {name: root, primary_group: \"0\"}}, {user: {name: root, primary_group: adm}}]",
            &fixture()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_users_section() {
        insta::assert_snapshot!(kind_case(
            "user: {name: root}",
            &without(fixture(), "users")
        ));
    }
}
