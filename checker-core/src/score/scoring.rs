//! Indicative scores per critère, competence and CCP, with coverage. Never a decision:
//! C critères and uncovered ones are listed for the jury, out-of-profile ones for the
//! entretien technique.
//!
//! Rules: a check earns `points` when it passes, `points × fraction` when partial, and
//! loses `penalty` when it fails. `not_assessable` checks leave the denominator; skipped
//! checks (a prerequisite failed) stay in it with nothing earned, without their penalty.

use crate::referentiel::{Profile, Referentiel, Verifiability};
use crate::report::{CcpScore, CheckResult, CompetenceScore, CritereScore, CritereStatus, Score};
use std::collections::BTreeMap;

pub(crate) struct Scores {
    pub(crate) criteres: Vec<CritereScore>,
    pub(crate) competences: Vec<CompetenceScore>,
    pub(crate) ccps: Vec<CcpScore>,
    pub(crate) total: Score,
}

fn sum<'a>(checks: impl Iterator<Item = &'a CheckResult>) -> Score {
    let (mut earned, mut max, mut any) = (0.0, 0.0, false);
    for c in checks {
        if c.outcome.is_assessable() {
            earned += c.earned;
            max += c.points;
            any = true;
        }
    }
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    Score {
        earned: round(earned),
        max: round(max),
        percent: (any && max > 0.0).then(|| round((earned / max).clamp(0.0, 1.0))),
    }
}

pub(crate) fn score(r: &Referentiel, profile: Option<&Profile>, checks: &[CheckResult]) -> Scores {
    let in_profile = |cp: &crate::referentiel::Competence| profile.is_some_and(|p| p.scores(cp));
    // Index the checks by critère and by competence once (a report has tens to hundreds of
    // checks and the référentiel ~50 critères: scanning both for each pair dominated grading).
    let mut by_critere: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in checks.iter().enumerate() {
        for k in &c.criteres {
            by_critere.entry(k.as_str()).or_default().push(i);
        }
    }
    let competence_of: BTreeMap<&str, &str> = r
        .competences
        .iter()
        .flat_map(|cp| {
            cp.criteres
                .iter()
                .map(move |k| (k.id.as_str(), cp.id.as_str()))
        })
        .collect();
    // Competences of each check, resolved once (the CCP totals below read them per CCP).
    let check_competences: Vec<Vec<&str>> = checks
        .iter()
        .map(|c| {
            c.criteres
                .iter()
                .filter_map(|k| competence_of.get(k.as_str()).copied())
                .collect()
        })
        .collect();
    let mut criteres = Vec::new();
    let mut competences = Vec::new();
    // Which checks cite a critère of the current competence; reused between competences.
    let mut in_cp = vec![false; checks.len()];
    for cp in &r.competences {
        in_cp.iter_mut().for_each(|m| *m = false);
        let mut covered = 0;
        for k in &cp.criteres {
            let citing: &[usize] = by_critere.get(k.id.as_str()).map_or(&[], Vec::as_slice);
            for &i in citing {
                if let Some(m) = in_cp.get_mut(i) {
                    *m = true;
                }
            }
            let assessable = citing
                .iter()
                .filter(|&&i| checks[i].outcome.is_assessable())
                .count();
            if assessable > 0 {
                covered += 1;
            }
            let status = if !in_profile(cp) {
                CritereStatus::Interview
            } else if k.class == Verifiability::C || assessable == 0 {
                CritereStatus::Jury
            } else if k.class == Verifiability::A {
                CritereStatus::Indicative
            } else {
                CritereStatus::ToConfirm
            };
            criteres.push(CritereScore {
                id: k.id.clone(),
                text: k.text.clone(),
                class: k.class,
                competence: cp.id.clone(),
                status,
                checks: citing.iter().map(|&i| checks[i].id.clone()).collect(),
                assessable,
                score: sum(citing.iter().map(|&i| &checks[i])),
            });
        }
        competences.push(CompetenceScore {
            id: cp.id.clone(),
            title: cp.title.trim_end_matches('.').to_owned(),
            kind: cp.kind,
            in_profile: in_profile(cp),
            criteres_covered: covered,
            criteres_total: cp.criteres.len(),
            score: sum(checks
                .iter()
                .zip(&in_cp)
                .filter(|(_, m)| **m)
                .map(|(c, _)| c)),
        });
    }
    let ccps = r
        .ccps
        .iter()
        .map(|ccp| {
            let scored_cps: Vec<&str> = ccp
                .cps
                .iter()
                .filter(|id| r.competence(id).is_some_and(in_profile))
                .map(String::as_str)
                .collect();
            let in_ccp = checks
                .iter()
                .zip(&check_competences)
                .filter(|(_, cps)| cps.iter().any(|cp| scored_cps.contains(cp)))
                .map(|(c, _)| c);
            CcpScore {
                id: ccp.id.clone(),
                title: ccp.title.clone(),
                in_profile: !scored_cps.is_empty(),
                score: sum(in_ccp),
            }
        })
        .collect();
    let total = sum(checks.iter().filter(|c| c.scored));
    Scores {
        criteres,
        competences,
        ccps,
        total,
    }
}
