//! Check kind `group`: a local group exists (or not) with the expected members.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::{Kind, includes, property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `group: {name: compta, members: [alice, bob]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupExpect {
    /// Group name.
    pub name: Sp<String>,
    /// Whether the group must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// Numeric group id.
    #[serde(default)]
    pub gid: Option<u32>,
    /// Members it must include (explicit members and users whose primary group it is).
    #[serde(default)]
    pub members: Vec<Sp<String>>,
}

fn yes() -> bool {
    true
}

/// Compiled `group` expectation.
#[derive(Debug, Clone)]
pub struct GroupMatcher {
    name: String,
    exists: bool,
    gid: Option<u32>,
    members: Vec<String>,
}

impl Kind for GroupExpect {
    const NAME: &'static str = "group";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["groups"]);
    const DOC: &'static str = r#"# group

## What it checks
A local group exists, or does not, with the expected gid and members (explicit members plus
users whose primary group it is; Windows local groups list `DOMAIN\name`).

## Why it matters
Rights are given to groups, not to people: a missing member means a user without access.

## Passing example
```yaml
expect:
  group: {name: compta, members: [alice, bob]}
```

## Failing example
`group: {name: compta, members: [carol]}` when carol is not a member: `members` fails with
the list observed and `manque carol`.

## Critères
`tssr-2023/CP3/C1`, `tssr-2023/CP2/C1` for Windows local groups.
"#;
    const DOC_FR: &'static str = r#"# group

## Ce qui est vérifié
Un groupe local existe, ou n'existe pas, avec le gid et les membres attendus (membres
explicites plus les comptes dont c'est le groupe principal ; les groupes locaux Windows
listent `DOMAINE\nom`).

## Pourquoi c'est important
Les droits se donnent à des groupes, pas à des personnes : un membre manquant, c'est un
utilisateur sans accès.

## Exemple conforme
```yaml
expect:
  group: {name: compta, members: [alice, bob]}
```

## Exemple non conforme
`group: {name: compta, members: [carol]}` quand carol n'est pas membre : `members` échoue avec
la liste observée et `manque carol`.

## Critères
`tssr-2023/CP3/C1`, `tssr-2023/CP2/C1` pour les groupes locaux Windows.
"#;
    type Compiled = GroupMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<GroupMatcher> {
        Some(GroupMatcher {
            name: cx.text(&self.name),
            exists: self.exists,
            gid: self.gid,
            members: cx.texts(&self.members),
        })
    }

    fn evaluate(m: &GroupMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "groups";
        if host
            .section(S, &m.name, &host.snapshot.sections.groups, out)
            .is_none()
        {
            return Status::NotAssessable;
        }
        let group = host.group(&m.name);
        let exists = Status::from_bool(group.is_some() == m.exists);
        out.push(host.evidence(
            S,
            &m.name,
            "exists",
            if m.exists { "present" } else { "absent" },
            if group.is_some() { "present" } else { "absent" },
            exists,
        ));
        let Some(group) = group.filter(|_| m.exists) else {
            return exists;
        };
        let members: Vec<&str> = group
            .members
            .iter()
            .chain(&group.primary_members)
            .map(|s| s.rsplit('\\').next().unwrap_or(s))
            .collect();
        property(
            host,
            out,
            S,
            &m.name,
            "gid",
            m.gid.as_ref(),
            group.gid.as_ref(),
            u32::to_string,
        )
        .and(includes(
            host, out, S, &m.name, "members", &m.members, &members,
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};

    #[test]
    fn passes_when_members_are_there() {
        insta::assert_snapshot!(kind_case(
            "group: {name: compta, members: [alice, bob]}",
            &lab()
        ));
    }

    #[test]
    fn fails_when_the_group_is_missing_on_the_real_host() {
        insta::assert_snapshot!(kind_case(
            "group: {name: compta, members: [alice]}",
            &fixture()
        ));
    }

    #[test]
    fn is_not_assessable_without_groups() {
        insta::assert_snapshot!(kind_case(
            "group: {name: compta}",
            &without(lab(), "groups")
        ));
    }
}
