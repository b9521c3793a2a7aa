//! Check kind `sudo`: a user or group may (or may not) run a command through sudo.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `sudo: {principal: alice, command: "/usr/bin/systemctl restart apache2"}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SudoExpect {
    /// A user name or `%group`. A user also gets the rules of the groups they belong to.
    pub principal: Sp<String>,
    /// The command that must be allowed (`ALL` rules allow every command); default `ALL`.
    #[serde(default)]
    pub command: Option<Sp<String>>,
    /// Whether it must be allowed (default) or must not (least privilege).
    #[serde(default = "yes")]
    pub allowed: bool,
    /// Whether the rule must (true) or must not (false) skip the password.
    #[serde(default)]
    pub nopasswd: Option<bool>,
}

fn yes() -> bool {
    true
}

/// Compiled `sudo` expectation.
#[derive(Debug, Clone)]
pub struct SudoMatcher {
    principal: String,
    command: String,
    allowed: bool,
    nopasswd: Option<bool>,
}

impl Kind for SudoExpect {
    const NAME: &'static str = "sudo";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["sudo", "users"]);
    const DOC: &'static str = r#"# sudo

## What it checks
Whether a user (directly or through one of their groups) or a `%group` has a sudoers rule
allowing a command (`ALL` rules allow everything), optionally with or without NOPASSWD.
With `allowed: false`, that no such rule exists (least privilege).

## Why it matters
Delegating exactly one administrative command, and nothing more, is the usual subject
request; `ALL` given instead is a security fault the jury wants to see.

## Passing example
```yaml
expect:
  sudo: {principal: alice, command: /usr/bin/systemctl restart apache2}
```

## Failing example
`sudo: {principal: bob, command: /usr/bin/systemctl restart apache2}` when no rule names bob
or one of his groups.

## Critères
`tssr-2023/CP3/C1`, `tssr-2023/CP5/C4` (security rules respected).
"#;
    const DOC_FR: &'static str = r#"# sudo

## Ce qui est vérifié
Si un compte (directement ou par l'un de ses groupes) ou un `%groupe` a une règle sudoers
qui l'autorise à lancer une commande (une règle `ALL` autorise tout), éventuellement avec ou
sans NOPASSWD. Avec `allowed: false`, qu'aucune règle de ce genre n'existe (moindre privilège).

## Pourquoi c'est important
Déléguer exactement une commande d'administration, et rien de plus, est la demande habituelle
des sujets ; donner `ALL` à la place est une faute de sécurité que le jury veut voir.

## Exemple conforme
```yaml
expect:
  sudo: {principal: alice, command: /usr/bin/systemctl restart apache2}
```

## Exemple non conforme
`sudo: {principal: bob, command: /usr/bin/systemctl restart apache2}` quand aucune règle ne
nomme bob ni l'un de ses groupes.

## Critères
`tssr-2023/CP3/C1`, `tssr-2023/CP5/C4` (règles de sécurité respectées).
"#;
    type Compiled = SudoMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<SudoMatcher> {
        Some(SudoMatcher {
            principal: cx.text(&self.principal),
            command: cx
                .opt_text(&self.command)
                .unwrap_or_else(|| "ALL".to_owned()),
            allowed: self.allowed,
            nopasswd: self.nopasswd,
        })
    }

    fn evaluate(m: &SudoMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "sudo";
        let Some(sudo) = host.section(S, &m.principal, &host.snapshot.sections.sudo, out) else {
            return Status::NotAssessable;
        };
        let mut names = vec![m.principal.clone()];
        if !m.principal.starts_with('%')
            && let Some(user) = host.user(&m.principal)
        {
            names.extend(user.groups.iter().map(|g| format!("%{g}")));
        }
        let matching = sudo.rules.iter().find(|r| {
            r.principals.iter().any(|p| p == "ALL" || names.contains(p))
                && r.commands.iter().any(|c| c == "ALL" || *c == m.command)
                && m.nopasswd.is_none_or(|n| n == r.nopasswd)
        });
        let status = Status::from_bool(matching.is_some() == m.allowed);
        out.push(host.evidence(
            S,
            &m.principal,
            "command",
            format!(
                "{} {}",
                if m.allowed { "allowed:" } else { "forbidden:" },
                m.command
            ),
            matching.map_or_else(
                || "no rule".to_owned(),
                |r| format!("{} ({})", r.commands.join(", "), r.source),
            ),
            status,
        ));
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case, lab, without};

    #[test]
    fn passes_for_the_delegated_command() {
        insta::assert_snapshot!(kind_case(
            "sudo: {principal: alice, command: /usr/bin/systemctl restart apache2}",
            &lab()
        ));
    }

    #[test]
    fn fails_for_bob_and_for_alice_without_password() {
        insta::assert_snapshot!(kind_case(
            "any: [{sudo: {principal: bob, command: /usr/bin/systemctl restart apache2}}, {sudo: {principal: alice, nopasswd: true, command: /usr/bin/systemctl restart apache2}}]",
            &lab()
        ));
    }

    #[test]
    fn is_not_assessable_when_sudoers_was_unreadable() {
        insta::assert_snapshot!(kind_case(
            "sudo: {principal: alice}",
            &without(lab(), "sudo")
        ));
    }
}
