//! Credit for a look-alike (issue 15): a check that fails while its kind found the wrong
//! mechanism doing the expected thing (a drive mapped by a logon script instead of a Group
//! Policy Preferences drive map) may earn the points its `near_miss` grants. The verdict
//! stays the kind's; only the score changes, and only when the pack asks for it.

use crate::eval::evidence::{Evidence, Status};
use crate::pack::raw::RawNearMiss;
use crate::report::Outcome;

/// The look-alike mechanisms kinds report (`Evidence::look_alike`).
pub const LOOK_ALIKE_MECHANISMS: &[&str] = &["logon_script", "home_folder"];

/// A check's compiled `near_miss`.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    /// Points earned for a look-alike (at most the check's points).
    pub points: f64,
    /// Mechanisms that earn them; empty = every look-alike.
    pub mechanisms: Vec<String>,
}

impl NearMiss {
    pub(crate) fn of(raw: &RawNearMiss) -> NearMiss {
        NearMiss {
            points: raw.points,
            mechanisms: raw.mechanisms.iter().map(|m| m.value.clone()).collect(),
        }
    }

    /// The look-alike of a failed line this credit accepts, if any.
    fn found<'e>(&self, evidence: &'e [Evidence]) -> Option<&'e str> {
        evidence
            .iter()
            .filter(|e| e.status == Status::Fail)
            .filter_map(|e| e.look_alike.as_deref())
            .find(|m| self.mechanisms.is_empty() || self.mechanisms.iter().any(|x| x == m))
    }

    /// A failed (or less than partially credited) outcome with an accepted look-alike
    /// becomes partial at `points / check points`; any other outcome is kept.
    pub(crate) fn apply(&self, outcome: Outcome, evidence: &[Evidence], points: f64) -> Outcome {
        if points <= 0.0 || self.found(evidence).is_none() {
            return outcome;
        }
        let credit = (self.points / points).clamp(0.0, 1.0);
        match outcome {
            Outcome::Fail if credit > 0.0 => Outcome::Partial { fraction: credit },
            Outcome::Partial { fraction } => Outcome::Partial {
                fraction: fraction.max(credit),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::input::{CandidateInput, HostObservation, Observed};
    use crate::kinds::testing::{ad, with_netlogon_script};
    use std::collections::BTreeMap;

    const PACK: &str = r#"
pack: {id: near, title: "mécanisme voisin", referentiel: tssr-2023, profile: ccp1}
hosts:
  dc: {os: windows}
checks:
  - id: drive-by-gpo
    title: "GPO_Compta_Securite connecte S:"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    points: 2
    near_miss: {points: 0.5, mechanisms: [logon_script]}
    expect: {gpo: {name: GPO_Compta_Securite, drives: [{letter: S}]}}
  - id: drive-by-gpo-no-credit
    title: "même attente, sans crédit"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    points: 2
    expect: {gpo: {name: GPO_Compta_Securite, drives: [{letter: S}]}}
  - id: home-folder-only
    title: "crédit pour le seul dossier de base"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    near_miss: {points: 1, mechanisms: [home_folder]}
    expect: {gpo: {name: GPO_Compta_Securite, drives: [{letter: S}]}}
"#;

    fn grade(snapshot: constat_snapshot::Snapshot) -> String {
        let pack = crate::pack::load("near.yaml", PACK).expect("valid");
        let input = CandidateInput {
            id: "1".to_owned(),
            name: None,
            variables: BTreeMap::new(),
            expected_identity: Default::default(),
            hosts: BTreeMap::from([(
                "dc".to_owned(),
                HostObservation {
                    end: Observed::Snapshot(Box::new(snapshot)),
                    start: None,
                },
            )]),
        };
        let r = crate::grade(&pack, &input, &crate::test_support::options());
        r.checks
            .iter()
            .map(|c| format!("{} {:?} earned {}\n", c.id, c.outcome, c.earned))
            .collect()
    }

    /// The look-alike earns the pack's `near_miss` points (the verdict line stays failed);
    /// without the script, or for a mechanism the pack did not name, the check fails.
    #[test]
    fn a_look_alike_earns_the_near_miss_points_only() {
        insta::assert_snapshot!(format!(
            "with the script:\n{}without:\n{}",
            grade(with_netlogon_script(ad())),
            grade(ad())
        ));
    }

    #[test]
    fn near_miss_points_are_bounded_and_mechanisms_known() {
        let bad = PACK.replace(
            "points: 0.5, mechanisms: [logon_script]",
            "points: 3, mechanisms: [registre]",
        );
        let err = crate::pack::load("near.yaml", &bad)
            .err()
            .map(|d| crate::pack::render_diagnostics(&d));
        insta::assert_snapshot!(err.unwrap_or_default());
    }
}
