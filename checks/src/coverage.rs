//! Coverage of a référentiel by packs: which critères machine checks cover, which are left
//! to the jury, and a text table in French or English.

use crate::docs::class;
use constat_checker_core::i18n::Lang;
use constat_checker_core::pack::Pack;
use constat_checker_core::referentiel::{Referentiel, Verifiability};
use std::fmt::Write;

/// How a critère is assessed given the packs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assessment {
    /// Class A critère with at least one check: the machine gives the evidence and a score.
    Machine,
    /// Class A+B or B with checks: machine evidence the jury completes.
    MachineAndJury,
    /// Class C: only the jury can assess it.
    Jury,
    /// Class A, A+B or B without any check: left to the jury although a check could help.
    Uncovered,
}

/// One critère's line.
#[derive(Debug, Clone, PartialEq)]
pub struct CritereCoverage {
    /// Critère id (`tssr-2023/CP3/C1`).
    pub critere: String,
    /// Verifiability class from the référentiel.
    pub class: Verifiability,
    /// Whether one of the packs' profiles scores its competence (otherwise: interview material).
    pub scored: bool,
    /// Covering checks as `pack/check`.
    pub checks: Vec<String>,
    /// The resulting assessment.
    pub assessment: Assessment,
}

/// Coverage of one référentiel by a set of packs.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Référentiel id.
    pub referentiel: String,
    /// Pack ids.
    pub packs: Vec<String>,
    /// Profile ids of the packs (deduplicated, in pack order).
    pub profiles: Vec<String>,
    /// Every critère of the référentiel, in official order.
    pub criteres: Vec<CritereCoverage>,
}

/// Computes the coverage of the first pack's référentiel by every pack citing it (packs on
/// another référentiel are ignored). `None` when `packs` is empty.
pub fn coverage(packs: &[&Pack]) -> Option<Coverage> {
    let r: &Referentiel = packs.first()?.referentiel;
    let packs: Vec<&&Pack> = packs.iter().filter(|p| p.referentiel.id == r.id).collect();
    let mut profiles: Vec<String> = Vec::new();
    for p in &packs {
        if !profiles.contains(&p.profile) {
            profiles.push(p.profile.clone());
        }
    }
    let mut criteres = Vec::new();
    for competence in &r.competences {
        let scored = profiles
            .iter()
            .filter_map(|id| r.profile(id))
            .any(|p| p.scores(competence));
        for k in &competence.criteres {
            // A `jury` check is evidence for the jury, listed with a `(jury)` marker: a
            // critère only such checks cite is the jury's, not the machine's.
            let mut machine = false;
            let checks: Vec<String> = packs
                .iter()
                .flat_map(|p| {
                    p.checks()
                        .filter(|c| c.criteres.iter().any(|id| **id == *k.id))
                        .map(|c| {
                            if constat_checker_core::kinds::jury::is_jury(p, &c.id) {
                                format!("{}/{} (jury)", p.id, c.id)
                            } else {
                                machine = true;
                                format!("{}/{}", p.id, c.id)
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            let assessment = match (k.class, checks.is_empty()) {
                (Verifiability::C, _) => Assessment::Jury,
                (_, false) if !machine => Assessment::Jury,
                (_, true) => Assessment::Uncovered,
                (Verifiability::A, false) => Assessment::Machine,
                (_, false) => Assessment::MachineAndJury,
            };
            criteres.push(CritereCoverage {
                critere: k.id.to_string(),
                class: k.class,
                scored,
                checks,
                assessment,
            });
        }
    }
    Some(Coverage {
        referentiel: r.id.clone(),
        packs: packs.iter().map(|p| p.id.clone()).collect(),
        profiles,
        criteres,
    })
}

fn label(a: Assessment, lang: Lang) -> &'static str {
    match (a, lang) {
        (Assessment::Machine, Lang::Fr) => "vérifié",
        (Assessment::Machine, Lang::En) => "checked",
        (Assessment::MachineAndJury, Lang::Fr) => "preuves + jury",
        (Assessment::MachineAndJury, Lang::En) => "evidence + jury",
        (Assessment::Jury, _) => "jury",
        (Assessment::Uncovered, Lang::Fr) => "non couvert",
        (Assessment::Uncovered, Lang::En) => "not covered",
    }
}

/// The coverage as a French text table, followed by totals.
pub fn render_coverage(c: &Coverage) -> String {
    render_coverage_in(c, Lang::Fr)
}

/// The coverage as a text table in `lang`, followed by totals.
pub fn render_coverage_in(c: &Coverage, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let plural = if c.profiles.len() > 1 { "s" } else { "" };
    let mut s = if fr {
        format!(
            "Couverture du référentiel {} par {} (profil{plural} {})\n\n",
            c.referentiel,
            c.packs.join(", "),
            c.profiles.join(", ")
        )
    } else {
        format!(
            "Coverage of the référentiel {} by {} (profile{plural} {})\n\n",
            c.referentiel,
            c.packs.join(", "),
            c.profiles.join(", ")
        )
    };
    let width = c
        .criteres
        .iter()
        .map(|k| k.critere.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let heads = if fr {
        ["Critère", "Classe", "Noté", "Évaluation", "Vérifications"]
    } else {
        ["Critère", "Class", "Scored", "Assessment", "Checks"]
    };
    let _ = writeln!(
        s,
        "{:<width$}  {:<6}  {:<8}  {:<15}  {}",
        heads[0], heads[1], heads[2], heads[3], heads[4]
    );
    for k in &c.criteres {
        let checks = if k.checks.is_empty() {
            "—".to_owned()
        } else {
            k.checks.join(", ")
        };
        let scored = match (k.scored, fr) {
            (true, true) => "oui",
            (true, false) => "yes",
            (false, true) => "entretien",
            (false, false) => "interview",
        };
        let _ = writeln!(
            s,
            "{:<width$}  {:<6}  {:<8}  {:<15}  {checks}",
            k.critere,
            class(k.class),
            scored,
            label(k.assessment, lang),
        );
    }
    let count = |a: Assessment| c.criteres.iter().filter(|k| k.assessment == a).count();
    let (total, machine, both, jury, none) = (
        c.criteres.len(),
        count(Assessment::Machine),
        count(Assessment::MachineAndJury),
        count(Assessment::Jury),
        count(Assessment::Uncovered),
    );
    let _ = if fr {
        write!(
            s,
            "\n{total} critères : {machine} vérifiés, {both} avec preuves à compléter par le jury, {jury} réservés au jury (classe C, ou contrôle `jury`), {none} non couverts.\n",
        )
    } else {
        write!(
            s,
            "\n{total} critères: {machine} checked, {both} with evidence for the jury to complete, {jury} left to the jury (class C, or a `jury` check), {none} not covered.\n",
        )
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embedded::packs;
    use crate::pack_tests::pack;

    /// A critère cited only by a `jury` check is the jury's (the check listed with a
    /// `(jury)` marker), never the machine's.
    #[test]
    fn a_jury_check_is_evidence_for_the_jury() {
        let text = format!(
            "{}\n  - id: demo-proc\n    title: Procédure rédigée\n    criteres: [tssr-2023/CP2/C2]\n    hosts: [linux]\n    points: 1\n    expect:\n      jury: {{look_at: \"Procédure imprimée\"}}\n",
            crate::find("demo").unwrap().text.trim_end()
        );
        let p = constat_checker_core::pack::load("demo.yaml", &text).unwrap();
        let c = coverage(&[&p]).unwrap();
        let line = c
            .criteres
            .iter()
            .find(|k| k.critere == "tssr-2023/CP2/C2")
            .unwrap();
        assert_eq!(line.checks, vec!["demo/demo-proc (jury)".to_owned()]);
        assert_eq!(line.assessment, Assessment::Jury);
    }

    #[test]
    fn demo_pack() {
        let demo = pack("demo");
        let c = coverage(&[&demo]).unwrap_or_else(|| panic!("no coverage"));
        insta::assert_snapshot!(render_coverage(&c));
    }

    #[test]
    fn all_lab_packs_together() {
        let labs: Vec<Pack> = packs()
            .iter()
            .filter(|p| p.id.starts_with("lab-"))
            .map(|p| pack(p.id))
            .collect();
        let refs: Vec<&Pack> = labs.iter().collect();
        let c = coverage(&refs).unwrap_or_else(|| panic!("no coverage"));
        insta::assert_snapshot!(render_coverage(&c));
    }

    #[test]
    fn exam_packs() {
        for id in [
            "tssr-2023-msp-titre",
            "tssr-2023-msp-ccp1",
            "tssr-2023-msp-ccp2",
        ] {
            let p = pack(id);
            let c = coverage(&[&p]).unwrap_or_else(|| panic!("no coverage"));
            insta::assert_snapshot!(id, render_coverage(&c));
        }
    }

    #[test]
    fn no_pack_no_coverage() {
        assert!(coverage(&[]).is_none());
    }
}
