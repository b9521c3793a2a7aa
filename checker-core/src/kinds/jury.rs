//! Check kind `jury`: a requirement the machine cannot check, handed to the jury.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::expect::CompiledExpect;
use crate::kinds::kind::Kind;
use crate::kinds::registry::CompiledKind;
use crate::pack::CompiledCheck;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `jury: {look_at: "…"}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JuryExpect {
    /// What the jury looks at or asks for (a printed procedure, an oral justification, a
    /// setting visible only on a client), and what a satisfying answer is.
    pub look_at: Sp<String>,
}

/// Compiled `jury` expectation.
#[derive(Debug, Clone)]
pub struct JuryMatcher {
    look_at: String,
}

/// Whether every expectation of `check` is a `jury` one: such a check is never scored by the
/// machine, only by a jury decision (`session note --decide`).
pub(crate) fn is_jury_check(check: &CompiledCheck) -> bool {
    !check.items.is_empty()
        && check
            .items
            .iter()
            .all(|(_, e)| matches!(e, CompiledExpect::Kind(CompiledKind::Jury(_))))
}

/// Whether the check `id` of `pack` is a `jury` check (for `coverage` and `session note
/// --decide`).
pub fn is_jury(pack: &crate::pack::Pack, id: &str) -> bool {
    pack.compiled_checks()
        .iter()
        .any(|c| c.meta.id == id && is_jury_check(c))
}

impl Kind for JuryExpect {
    const NAME: &'static str = "jury";
    const SECTIONS: Option<&'static [&'static str]> = Some(&[]);
    const DOC: &'static str = r#"# jury

## What it checks
Nothing on the machines: it hands a requirement of the subject to the jury — a printed
procedure, an oral justification, a setting only visible on a client, a document the candidate
hands in. The check keeps its title, critères and points; `look_at` says what to look at and
what a satisfying answer is. The report lists it as « à vérifier par le jury » and it leaves
every score until the jury records a decision in the session:
`constat session note DIR --candidate c01 --author "…" --text "…" --decide CHECK_ID=pass`
(`fail`, or `partial:N` for N of its points). The decision is signed with the manifest and the
check is then scored like any other. `constat coverage` counts it as evidence for the jury.

## Why it matters
Part of every TSSR subject cannot be seen on the VMs (the written procedure of a restore, the
justification of a choice during the entretien technique). Hidden in an `explanation`, it was
forgotten; as a check, it is on the jury's list with its points and critères, and its decision
is recorded with the session's evidence.

## Passing example
```yaml
- id: proc-restauration
  title: La procédure de restauration est rédigée et suivie
  criteres: [tssr-2023/CP4/C3]
  hosts: [linux]
  points: 2
  expect:
    jury: {look_at: "Procédure imprimée : étapes de restauration d'un fichier depuis la sauvegarde, testée devant le jury"}
```
After `--decide proc-restauration=pass` the check is « réussi (décision du jury) », 2/2.

## Failing example
The same check without a decision is « à vérifier par le jury » and scores nothing either way;
after `--decide proc-restauration=fail` it is « échoué (décision du jury) », 0/2.

## Critères
Any critère the requirement evidences, typically class B or C critères of the référentiel
(`tssr-2023/CP4/C3`, `tssr-2023/CP1/C1`), which the machine cannot assess alone.
"#;
    const DOC_FR: &'static str = r#"# jury

## Ce qui est vérifié
Rien sur les machines : elle confie une exigence du sujet au jury — une procédure imprimée,
une justification orale, un réglage visible seulement sur un poste client, un document que
remet le candidat. La vérification garde son titre, ses critères et ses points ; `look_at`
dit quoi regarder et ce qu'est une réponse satisfaisante. Le rapport la liste « à vérifier
par le jury » et elle reste hors de tout score jusqu'à ce que le jury enregistre une décision
dans la session :
`constat session note DIR --candidate c01 --author "…" --text "…" --decide CHECK_ID=pass`
(`fail`, ou `partial:N` pour N de ses points). La décision est signée avec le manifeste et la
vérification est ensuite notée comme les autres. `constat coverage` la compte comme élément
pour le jury.

## Pourquoi c'est important
Une partie de chaque sujet TSSR ne se voit pas sur les VM (la procédure écrite d'une
restauration, la justification d'un choix pendant l'entretien technique). Cachée dans une
`explanation`, elle était oubliée ; en vérification, elle est sur la liste du jury avec ses
points et ses critères, et sa décision est enregistrée avec les preuves de la session.

## Exemple conforme
```yaml
- id: proc-restauration
  title: La procédure de restauration est rédigée et suivie
  criteres: [tssr-2023/CP4/C3]
  hosts: [linux]
  points: 2
  expect:
    jury: {look_at: "Procédure imprimée : étapes de restauration d'un fichier depuis la sauvegarde, testée devant le jury"}
```
Après `--decide proc-restauration=pass`, la vérification est « réussi (décision du jury) », 2/2.

## Exemple non conforme
La même vérification sans décision est « à vérifier par le jury » et ne rapporte rien, ni dans
un sens ni dans l'autre ; après `--decide proc-restauration=fail` elle est « échoué (décision
du jury) », 0/2.

## Critères
Tout critère dont l'exigence est une preuve, en général les critères de classe B ou C du
référentiel (`tssr-2023/CP4/C3`, `tssr-2023/CP1/C1`), que la machine ne peut pas évaluer seule.
"#;
    type Compiled = JuryMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<JuryMatcher> {
        let look_at = cx.text(&self.look_at);
        if look_at.trim().is_empty() {
            cx.error(
                &self.look_at,
                (
                    "`look_at` est vide".to_owned(),
                    "`look_at` is empty".to_owned(),
                ),
                Some((
                    "dites au jury ce qu'il doit regarder ou demander".to_owned(),
                    "tell the jury what to look at or ask".to_owned(),
                )),
            );
            return None;
        }
        Some(JuryMatcher { look_at })
    }

    fn evaluate(m: &JuryMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        out.push(host.evidence(
            "",
            &m.look_at,
            "jury",
            m.look_at.clone(),
            "for the jury to check",
            Status::NotAssessable,
        ));
        Status::NotAssessable
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case};

    #[test]
    fn is_never_scored_by_the_machine() {
        insta::assert_snapshot!(kind_case(
            "jury: {look_at: \"Procédure de restauration imprimée\"}",
            &fixture()
        ));
    }
}
