//! Indicative scores per critère, competence and CCP, with coverage. Never a decision:
//! C critères and uncovered ones are listed for the jury, out-of-profile ones for the
//! entretien technique.
//!
//! Rules: a check earns `points` when it passes, `points × fraction` when partial, and
//! loses `penalty` when it fails. `not_assessable` checks leave the denominator; skipped
//! checks (a prerequisite failed) stay in it with nothing earned, without their penalty.
//! A check the jury neutralised (`CheckResult::counts` is false) leaves the numerator and
//! the denominator, like a not-assessable one.

use crate::referentiel::{Competence, Profile, Referentiel, Verifiability};
use crate::report::{CcpScore, CheckResult, CompetenceScore, CritereScore, CritereStatus, Score};

pub(crate) struct Scores {
    pub(crate) criteres: Vec<CritereScore>,
    pub(crate) competences: Vec<CompetenceScore>,
    pub(crate) ccps: Vec<CcpScore>,
    pub(crate) total: Score,
}

fn sum<'a>(checks: impl Iterator<Item = &'a CheckResult>) -> Score {
    let (mut earned, mut max, mut any) = (0.0, 0.0, false);
    for c in checks {
        if c.counts() {
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

/// Scores the checks; `check_competences[i]` are the competences of `checks[i]` (resolved
/// from its critères when the pack was loaded).
pub(crate) fn score(
    r: &Referentiel,
    profile: Option<&Profile>,
    checks: &[CheckResult],
    check_competences: &[&[&Competence]],
) -> Scores {
    let in_profile = |cp: &Competence| profile.is_some_and(|p| p.scores(cp));
    // (critère, check) pairs sorted once: the checks citing a critère are one range, found
    // by binary search, in check order (a report has tens to hundreds of checks and the
    // référentiel ~50 critères: scanning both for each pair dominated grading).
    let mut by_critere: Vec<(&str, usize)> = checks
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.criteres.iter().map(move |k| (&**k, i)))
        .collect();
    by_critere.sort_unstable();
    let citing_of = |id: &str| -> &[(&str, usize)] {
        let start = by_critere.partition_point(|(k, _)| *k < id);
        let end = by_critere.partition_point(|(k, _)| *k <= id);
        by_critere.get(start..end).unwrap_or_default()
    };
    // Sized once: growing these (a few KiB) made glibc consolidate its free lists each time.
    let mut criteres = Vec::with_capacity(r.competences.iter().map(|cp| cp.criteres.len()).sum());
    let mut competences = Vec::with_capacity(r.competences.len());
    // Which checks cite a critère of the current competence; reused between competences.
    let mut in_cp = vec![false; checks.len()];
    for cp in &r.competences {
        let cp_in_profile = in_profile(cp);
        in_cp.iter_mut().for_each(|m| *m = false);
        let mut covered = 0;
        for k in &cp.criteres {
            let citing = citing_of(&k.id);
            for &(_, i) in citing {
                if let Some(m) = in_cp.get_mut(i) {
                    *m = true;
                }
            }
            let assessable = citing.iter().filter(|&&(_, i)| checks[i].counts()).count();
            if assessable > 0 {
                covered += 1;
            }
            let status = if !cp_in_profile {
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
                checks: citing.iter().map(|&(_, i)| checks[i].id.clone()).collect(),
                assessable,
                score: sum(citing.iter().map(|&(_, i)| &checks[i])),
            });
        }
        competences.push(CompetenceScore {
            id: cp.id.to_string(),
            title: cp.title.trim_end_matches('.').to_owned(),
            kind: cp.kind,
            in_profile: cp_in_profile,
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
            // The scored CPs of this CCP (in the CCP and scored by the profile), by position in
            // the référentiel: decided once per CCP, then checks are matched by address
            // instead of comparing id strings per check and competence.
            let scored: Vec<bool> = r
                .competences
                .iter()
                .map(|cp| ccp.cps.iter().any(|id| **id == *cp.id) && in_profile(cp))
                .collect();
            let is_scored = |cp: &Competence| {
                r.competences
                    .iter()
                    .zip(&scored)
                    .any(|(c, &s)| s && std::ptr::eq(c, cp))
            };
            let in_ccp = checks
                .iter()
                .zip(check_competences)
                .filter(|(_, cps)| cps.iter().any(|cp| is_scored(cp)))
                .map(|(c, _)| c);
            CcpScore {
                id: ccp.id.clone(),
                title: ccp.title.clone(),
                in_profile: ccp
                    .cps
                    .iter()
                    .any(|id| r.competence(id).is_some_and(in_profile)),
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
