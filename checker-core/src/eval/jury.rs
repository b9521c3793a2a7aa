//! The jury's notes applied to one candidate's check results (pure; the CLI reads the notes
//! from the session): a waiver marks the checks it names — by check id, or by a critère they
//! cite — as neutralised; a decision scores a `jury` check.

use crate::report::{CheckResult, JuryMark, JuryNote, JuryVerdict, Outcome};

/// Applies `notes` in order (a later note about the same check wins). `is_jury[i]` says
/// whether `checks[i]` is a `jury` check: only those take decisions. A neutralised check keeps
/// its machine verdict; a decided one gets the jury's verdict and points.
pub(crate) fn apply(checks: &mut [CheckResult], is_jury: &[bool], notes: &[JuryNote]) {
    for (check, _) in checks.iter_mut().zip(is_jury).filter(|(_, j)| **j) {
        check.jury = Some(JuryMark::Pending);
    }
    for (n, note) in notes.iter().enumerate() {
        for (i, check) in checks.iter_mut().enumerate() {
            let waived = note
                .waive
                .iter()
                .any(|w| *w == *check.id || check.criteres.iter().any(|k| **k == **w));
            if waived {
                check.jury = Some(JuryMark::Waived { note: n });
            }
            if !is_jury.get(i).copied().unwrap_or(false) {
                continue;
            }
            for decision in note.decide.iter().filter(|d| d.check == *check.id) {
                let (outcome, earned) = match decision.verdict {
                    JuryVerdict::Pass => (Outcome::Pass, check.points),
                    JuryVerdict::Fail => (Outcome::Fail, 0.0),
                    JuryVerdict::Partial { points } => {
                        let earned = points.clamp(0.0, check.points);
                        let fraction = if check.points > 0.0 {
                            earned / check.points
                        } else {
                            0.0
                        };
                        (Outcome::Partial { fraction }, earned)
                    }
                };
                check.outcome = outcome;
                check.earned = earned;
                check.jury = Some(JuryMark::Decided { note: n });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::report::{JuryDecision, JuryNote, JuryVerdict, Outcome, Report};
    use crate::test_support::{LAB_PACK, candidate, options};

    /// The lab pack with a `jury` check appended.
    fn pack() -> crate::pack::Pack {
        let text = format!(
            "{LAB_PACK}\n  - id: lnx-proc-restore\n    title: \"La procédure de restauration est rédigée\"\n    criteres: [tssr-2023/CP4/C3]\n    hosts: [linux]\n    points: 2\n    expect:\n      jury: {{look_at: \"Procédure imprimée de restauration\"}}\n"
        );
        crate::pack::load("lab-linux.yaml", &text).expect("pack with a jury check")
    }

    fn note(waive: &[&str], decide: &[(&str, JuryVerdict)]) -> JuryNote {
        JuryNote {
            author: "Mme Jury".to_owned(),
            at: "2026-11-23T10:40:00Z".to_owned(),
            text: "Disque du DC en panne à 10h40".to_owned(),
            waive: waive.iter().map(|w| (*w).to_owned()).collect(),
            decide: decide
                .iter()
                .map(|(c, v)| JuryDecision {
                    check: (*c).to_owned(),
                    verdict: *v,
                })
                .collect(),
        }
    }

    fn graded(notes: &[JuryNote]) -> Report {
        crate::grade_with_jury(&pack(), &candidate(), &options(), notes)
    }

    fn summary(r: &Report) -> String {
        let mut out = format!(
            "total {} / {} ({:?})\n",
            r.total.earned, r.total.max, r.total.percent
        );
        for c in &r.checks {
            out.push_str(&format!(
                "{}: {} {} / {} {:?}\n",
                c.id,
                c.outcome.keyword(),
                c.earned,
                c.points,
                c.jury
            ));
        }
        out
    }

    /// Without a decision the `jury` check is pending and out of every score; a failing
    /// check waived by id, and the checks of a waived critère, leave the numerator and the
    /// denominator; a decision scores the `jury` check (partial points capped).
    #[test]
    fn waivers_and_decisions_change_the_scores_as_documented() {
        let plain = graded(&[]);
        let jury = plain
            .checks
            .iter()
            .find(|c| &*c.id == "lnx-proc-restore")
            .unwrap();
        assert!(matches!(jury.outcome, Outcome::NotAssessable { .. }));
        assert_eq!(
            plain.total,
            crate::grade(&pack(), &candidate(), &options()).total
        );
        let failing = plain
            .checks
            .iter()
            .find(|c| c.outcome == Outcome::Fail)
            .map(|c| c.id.to_string())
            .unwrap();
        let waived = graded(&[note(&[&failing], &[])]);
        let failed = plain.checks.iter().find(|c| *c.id == *failing).unwrap();
        assert_eq!(waived.total.max, plain.total.max - failed.points);
        assert_eq!(waived.total.earned, plain.total.earned - failed.earned);
        let decided = graded(&[
            note(&[], &[("lnx-proc-restore", JuryVerdict::Pass)]),
            note(
                &["tssr-2023/CP4/C2"],
                &[("lnx-proc-restore", JuryVerdict::Partial { points: 5.0 })],
            ),
        ]);
        insta::assert_snapshot!(format!(
            "== no note\n{}== waiver of {failing}\n{}== decisions (the later wins) and a critère waived\n{}",
            summary(&plain),
            summary(&waived),
            summary(&decided)
        ));
    }

    #[test]
    fn verdicts_parse() {
        assert_eq!(JuryVerdict::parse("pass"), Some(JuryVerdict::Pass));
        assert_eq!(JuryVerdict::parse("fail"), Some(JuryVerdict::Fail));
        assert_eq!(
            JuryVerdict::parse("partial:1,5"),
            Some(JuryVerdict::Partial { points: 1.5 })
        );
        for bad in ["partial:", "partial:-1", "partial:NaN", "ok", "partial:inf"] {
            assert_eq!(JuryVerdict::parse(bad), None, "{bad}");
        }
    }
}
