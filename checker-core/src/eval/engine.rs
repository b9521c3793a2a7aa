//! The engine: evaluates every check of a pack for one candidate, in prerequisite order.

use crate::eval::diff::diff;
use crate::eval::evidence::{Evidence, Status};
use crate::eval::exam_zone::{ExamZone, HostOffset};
use crate::eval::host::{HostState, HostView, Hosts};
use crate::eval::identity::{ExpectedIdentity, compare as compare_identity};
use crate::eval::input::{CandidateInput, GradeOptions, Observed};
use crate::expect::evaluate;
use crate::pack::{CompiledCheck, Diagnostics, Pack};
use crate::report::{
    CandidateInfo, CheckResult, HostChanges, HostInfo, HostStatus, IdentityReference, Outcome,
    PackInfo, REPORT_SCHEMA_VERSION, Report,
};
use crate::score::score;
use constat_snapshot::time::parse_rfc3339;
use std::borrow::Cow;
use std::collections::BTreeMap;

fn hosts_of<'a>(
    pack: &'a Pack,
    input: &'a CandidateInput,
    now: Option<i64>,
    zone: &'a ExamZone,
    start: bool,
) -> Hosts<'a> {
    let mut by_role = BTreeMap::new();
    for role in pack.hosts.keys() {
        let observed = input.hosts.get(role).and_then(|h| {
            if start {
                h.start.as_ref()
            } else {
                Some(&h.end)
            }
        });
        // The exam started when this host's start-phase collection did.
        let exam_start = match input.hosts.get(role).and_then(|h| h.start.as_ref()) {
            Some(Observed::Snapshot(s)) if !start => parse_rfc3339(&s.collection.started_at),
            _ => None,
        };
        let state = match observed {
            Some(Observed::Snapshot(s)) => HostState::Observed(Box::new(
                HostView::new(role, s, now, zone).with_exam_start(exam_start),
            )),
            Some(Observed::Unreachable { cause }) => HostState::Unreachable {
                expected: "reachable",
                actual: format!("unreachable: {cause}"),
            },
            Some(Observed::Failed { failure, cause }) => HostState::Unreachable {
                expected: "collected",
                actual: format!("{}: {cause}", failure.label()),
            },
            None => HostState::Missing,
        };
        by_role.insert(role.as_str(), state);
    }
    Hosts { by_role }
}

fn not_assessable_reason(evidence: &[Evidence]) -> String {
    evidence
        .iter()
        .find(|e| e.status == Status::NotAssessable)
        .map_or_else(
            || "not assessable".to_owned(),
            |e| {
                let what: &str = if e.section.is_empty() {
                    &e.path
                } else {
                    &e.section
                };
                format!("{} ({what}): {}", e.host, e.actual)
            },
        )
}

/// Evaluates one (host, item) pair, applying the `changed` rule against the start state.
fn evaluate_pair(
    check: &CompiledCheck,
    expect: &crate::expect::CompiledExpect,
    role: &str,
    end: &Hosts<'_>,
    start: &Hosts<'_>,
    evidence: &mut Vec<Evidence>,
) -> (Status, f64) {
    let view = match end.by_role.get(role) {
        Some(HostState::Observed(v)) => v,
        Some(HostState::Unreachable { expected, actual }) => {
            evidence.push(Evidence {
                host: role.into(),
                section: Cow::Borrowed(""),
                path: role.to_owned(),
                property: Cow::Borrowed("host"),
                expected: Cow::Borrowed(expected),
                actual: actual.clone().into(),
                status: Status::NotAssessable,
                item: None,
                context: None,
                display: None,
                look_alike: None,
            });
            return (Status::NotAssessable, 0.0);
        }
        _ => {
            evidence.push(Evidence {
                host: role.into(),
                section: Cow::Borrowed(""),
                path: role.to_owned(),
                property: Cow::Borrowed("host"),
                expected: Cow::Borrowed("observed"),
                actual: Cow::Borrowed("no snapshot given for this role"),
                status: Status::NotAssessable,
                item: None,
                context: None,
                display: None,
                look_alike: None,
            });
            return (Status::NotAssessable, 0.0);
        }
    };
    let (status, fraction) = evaluate(expect, view, end, evidence);
    if !check.meta.changed || status != Status::Pass {
        return (status, fraction);
    }
    let Some(HostState::Observed(before)) = start.by_role.get(role) else {
        evidence.push(Evidence {
            host: role.into(),
            section: Cow::Borrowed(""),
            path: role.to_owned(),
            property: Cow::Borrowed("changed"),
            expected: Cow::Borrowed("absent at the start"),
            actual: Cow::Borrowed("no start state to compare with"),
            status: Status::NotAssessable,
            item: None,
            context: None,
            display: None,
            look_alike: None,
        });
        return (Status::NotAssessable, 0.0);
    };
    let mut ignored = Vec::new();
    let (was, _) = evaluate(expect, before, start, &mut ignored);
    let (s, actual) = match was {
        Status::Pass => (Status::Fail, "already present at the start of the exam"),
        Status::Fail => (Status::Pass, "absent at the start, present at the end"),
        Status::NotAssessable => (Status::NotAssessable, "start state not assessable"),
    };
    evidence.push(Evidence {
        host: role.into(),
        section: Cow::Borrowed(""),
        path: role.to_owned(),
        property: Cow::Borrowed("changed"),
        expected: Cow::Borrowed("absent at the start"),
        actual: Cow::Borrowed(actual),
        status: s,
        item: None,
        context: None,
        display: None,
        look_alike: None,
    });
    (s, if s == Status::Pass { 1.0 } else { 0.0 })
}

fn snapshot(o: Option<&Observed>) -> Option<&constat_snapshot::Snapshot> {
    match o {
        Some(Observed::Snapshot(s)) => Some(s.as_ref()),
        _ => None,
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Grades one candidate. Pure: the same inputs give the same report, byte for byte.
pub fn grade(pack: &Pack, input: &CandidateInput, options: &GradeOptions) -> Report {
    grade_with_jury(pack, input, options, &[])
}

/// Grades one candidate and applies the jury's notes about them (`session note`): waived
/// checks leave every score, decided `jury` checks are scored from the decision. The notes
/// are copied into the report.
pub fn grade_with_jury(
    pack: &Pack,
    input: &CandidateInput,
    options: &GradeOptions,
    notes: &[crate::report::JuryNote],
) -> Report {
    let mut warnings = Vec::new();
    let now = parse_rfc3339(&options.graded_at);
    if now.is_none() {
        // Warnings are language-neutral (French at display, eval/words.rs).
        warnings.push(format!(
            "grading time \"{}\" unreadable (RFC 3339 expected): ages are not assessed",
            options.graded_at
        ));
    }
    let defaults = pack.variable_defaults();
    let mut overrides = input.variables.clone();
    overrides.retain(|name, _| {
        let known = defaults.contains_key(name);
        if !known {
            warnings.push(format!(
                "override of an unknown variable \"{name}\": ignored"
            ));
        }
        known
    });
    // Warnings the catalogue cannot show in French carry it (`Report::warnings_fr`).
    let mut warnings_fr = BTreeMap::new();
    let vars = match crate::pack::variables_resolve(&defaults, &overrides) {
        Ok(v) => v,
        Err(errors) => {
            for (_, (fr, en)) in errors {
                warnings_fr.insert(en.clone(), fr);
                warnings.push(en);
            }
            crate::pack::variables_resolve(&defaults, &BTreeMap::new()).unwrap_or(defaults)
        }
    };
    // Recompile only when the candidate's variables change something.
    let mut broken: BTreeMap<usize, String> = BTreeMap::new();
    let checks: Cow<'_, [CompiledCheck]> = if overrides.is_empty() {
        Cow::Borrowed(&pack.checks)
    } else {
        let mut diags = Diagnostics::new(&pack.file);
        let compiled = crate::pack::recompile(pack, &vars, &mut diags);
        for d in diags.finish() {
            // English in the model, the French beside it: a pack diagnostic is written in
            // both languages, and no catalogue phrase could hold every one.
            let en = d.render(crate::i18n::Lang::En);
            warnings_fr.insert(en.clone(), d.render(crate::i18n::Lang::Fr));
            warnings.push(en);
        }
        Cow::Owned(
            compiled
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    c.unwrap_or_else(|| {
                        broken.insert(
                            i,
                            "the check does not compile with the candidate's variables".to_owned(),
                        );
                        pack.checks[i].clone()
                    })
                })
                .collect(),
        )
    };
    let profile_id = options
        .profile
        .clone()
        .unwrap_or_else(|| pack.profile.clone());
    let referentiel = pack.referentiel;
    let profile = referentiel.profile(&profile_id).or_else(|| {
        warnings.push(format!(
            "unknown profile \"{profile_id}\": the pack's profile \"{}\" is used",
            pack.profile
        ));
        referentiel.profile(&pack.profile)
    });
    // The profile's position in the référentiel: each check knows, from load, whether each
    // profile scores it.
    let profile_index =
        profile.and_then(|p| referentiel.profiles.iter().position(|q| std::ptr::eq(q, p)));
    // The inventory's zone (where the exam takes place) wins over the pack's.
    let zone = match options.timezone.as_deref().map(ExamZone::named) {
        Some(Ok(zone)) => zone,
        Some(Err(_)) => {
            warnings.push(format!(
                "unknown time zone \"{}\" (inventory): the pack's zone \"{}\" is used",
                options.timezone.as_deref().unwrap_or_default(),
                pack.timezone.name()
            ));
            pack.timezone.clone()
        }
        None => pack.timezone.clone(),
    };
    let end = hosts_of(pack, input, now, &zone, false);
    let start = hosts_of(pack, input, now, &zone, true);

    let mut results: Vec<Option<CheckResult>> = vec![None; checks.len()];
    for &i in &pack.order {
        let check = &checks[i];
        let meta = &check.meta;
        let blocking: Vec<String> = check
            .requires
            .iter()
            .filter(|&&j| {
                matches!(
                    results[j].as_ref().map(|r| &r.outcome),
                    Some(Outcome::Fail | Outcome::Skipped { .. })
                )
            })
            .map(|&j| checks[j].meta.id.clone())
            .collect();
        let mut evidence = Vec::new();
        let outcome = if let Some(reason) = broken.get(&i) {
            Outcome::NotAssessable {
                reason: reason.clone(),
            }
        } else if !blocking.is_empty() {
            Outcome::Skipped { requires: blocking }
        } else {
            let mut status = Status::Pass;
            let (mut sum, mut n) = (0.0, 0usize);
            for role in &meta.hosts {
                for (label, expect) in &check.items {
                    let before = evidence.len();
                    let (s, f) = evaluate_pair(check, expect, role, &end, &start, &mut evidence);
                    // The item is said beside an object that is not the item (a file read
                    // for the item `dlambert`, the Default Domain Policy read for the item
                    // `GPO-ADM-Poste`), never glued to the object's name.
                    if let Some(label) = label {
                        for e in evidence[before..]
                            .iter_mut()
                            .filter(|e| !e.path.contains(label.as_str()))
                        {
                            e.item = Some(label.clone());
                        }
                    }
                    status = status.and(s);
                    sum += f;
                    n += 1;
                }
            }
            let fraction = if n == 0 { 0.0 } else { sum / n as f64 };
            match status {
                Status::Pass => Outcome::Pass,
                Status::Fail if meta.partial && fraction > 0.0 => Outcome::Partial { fraction },
                Status::Fail => Outcome::Fail,
                Status::NotAssessable => Outcome::NotAssessable {
                    reason: not_assessable_reason(&evidence),
                },
            }
        };
        let outcome = match &meta.near_miss {
            Some(near) => near.apply(outcome, &evidence, meta.points),
            None => outcome,
        };
        let earned = match &outcome {
            Outcome::Pass => meta.points,
            Outcome::Partial { fraction } => round(meta.points * fraction),
            Outcome::Fail if meta.penalty > 0.0 => -meta.penalty,
            Outcome::Fail => 0.0,
            Outcome::Skipped { .. } | Outcome::NotAssessable { .. } => 0.0,
        };
        let outcome = match outcome {
            Outcome::Partial { fraction } => Outcome::Partial {
                fraction: round(fraction),
            },
            other => other,
        };
        let scored = profile_index
            .and_then(|j| check.scored_in.get(j).copied())
            .unwrap_or(false);
        let shared = &check.shared;
        results[i] = Some(CheckResult {
            id: shared.id.clone(),
            title: shared.title.clone(),
            title_en: shared.title_en.clone(),
            criteres: shared.criteres.clone(),
            hosts: shared.hosts.clone(),
            points: meta.points,
            penalty: meta.penalty,
            outcome,
            earned,
            scored,
            evidence,
            hint: shared.hint.clone(),
            hint_en: shared.hint_en.clone(),
            explanation: shared.explanation.clone(),
            explanation_en: shared.explanation_en.clone(),
            active: meta.active,
            jury: None,
        });
    }
    let mut check_competences: Vec<&[&crate::referentiel::Competence]> =
        Vec::with_capacity(results.len());
    let mut is_jury: Vec<bool> = Vec::with_capacity(results.len());
    let mut checks: Vec<CheckResult> = results
        .into_iter()
        .zip(checks.iter())
        .filter_map(|(r, c)| {
            let r = r?;
            check_competences.push(&c.competences);
            is_jury.push(crate::kinds::is_jury_check(c));
            Some(r)
        })
        .collect();
    super::jury::apply(&mut checks, &is_jury, notes);
    let interview = checks
        .iter()
        .filter(|c| !c.scored)
        .map(|c| c.id.to_string())
        .collect();
    let scores = score(referentiel, profile, &checks, &check_competences);

    let mut hosts = Vec::new();
    let mut changes = Vec::new();
    let mut identity_warnings = Vec::new();
    let no_expectation = ExpectedIdentity::default();
    for role in pack.hosts.keys() {
        let obs = input.hosts.get(role);
        let end_snap = snapshot(obs.map(|o| &o.end));
        let start_snap = snapshot(obs.and_then(|o| o.start.as_ref()));
        let (status, cause) = match obs.map(|o| &o.end) {
            Some(Observed::Snapshot(_)) => (HostStatus::Observed, None),
            Some(Observed::Unreachable { cause }) => (HostStatus::Unreachable, Some(cause.clone())),
            Some(Observed::Failed { failure, cause }) => (failure.status(), Some(cause.clone())),
            None => (
                HostStatus::Missing,
                Some("no snapshot given for this role".to_owned()),
            ),
        };
        let expected = input.expected_identity.get(role).unwrap_or(&no_expectation);
        let mut identity_compared = Vec::new();
        if let Some(after) = end_snap {
            identity_warnings.extend(compare_identity(role, start_snap, after, expected));
            if start_snap.is_some() {
                identity_compared.push(IdentityReference::Start);
            }
            if !expected.is_empty() {
                identity_compared.push(IdentityReference::Expected);
            }
        }
        hosts.push(HostInfo {
            role: role.clone(),
            status,
            cause,
            hostname: end_snap.map(|s| s.host.hostname.clone()),
            os: end_snap.and_then(|s| s.host.os.name.clone()),
            observed_at: end_snap.map(|s| s.collection.finished_at.clone()),
            start_observed_at: start_snap.map(|s| s.collection.finished_at.clone()),
            identity_compared,
        });
        if let (Some(before), Some(after)) = (start_snap, end_snap) {
            changes.push(HostChanges {
                role: role.clone(),
                changes: diff(
                    before,
                    after,
                    HostOffset::of_snapshot(&zone, after, now).minutes,
                ),
            });
        }
    }

    Report {
        schema_version: REPORT_SCHEMA_VERSION,
        tool: format!("constat-checker-core {}", env!("CARGO_PKG_VERSION")),
        graded_at: options.graded_at.clone(),
        candidate: CandidateInfo {
            id: input.id.clone(),
            name: input.name.clone(),
        },
        session: None,
        pack: PackInfo {
            id: pack.id.clone(),
            title: pack.title.clone(),
            title_en: pack.title_en.clone(),
            version: pack.version.clone(),
            referentiel: referentiel.id.clone(),
            referentiel_label: referentiel.label.clone(),
            profile: profile.map_or(profile_id, |p| p.id.clone()),
            profile_label: profile.map(|p| p.label.clone()).unwrap_or_default(),
        },
        variables: vars,
        hosts,
        checks,
        criteres: scores.criteres,
        competences: scores.competences,
        ccps: scores.ccps,
        total: scores.total,
        interview,
        changes,
        warnings,
        warnings_fr,
        identity_warnings,
        jury_notes: notes.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::input::HostObservation;
    use crate::test_support::{candidate, json, lab_pack, options, report};

    #[test]
    fn grades_the_lab_candidate() {
        insta::assert_snapshot!(json(&report()));
    }

    #[test]
    fn grading_is_deterministic() {
        assert_eq!(json(&report()), json(&report()));
    }

    #[test]
    fn grades_the_real_recording_as_an_untouched_host() {
        let mut input = candidate();
        if let Some(h) = input.hosts.get_mut("linux") {
            h.end = Observed::Snapshot(Box::new(crate::kinds::testing::fixture()));
            h.start = None;
        }
        let r = grade(&lab_pack(), &input, &options());
        let lines: Vec<String> = r
            .checks
            .iter()
            .map(|c| format!("{} {:?} {}", c.id, c.outcome, c.earned))
            .collect();
        insta::assert_snapshot!(format!("{}\ntotal {:?}", lines.join("\n"), r.total));
    }

    #[test]
    fn unreachable_hosts_are_not_assessable_not_failed() {
        let mut input = candidate();
        input.hosts.insert(
            "linux".to_owned(),
            HostObservation {
                end: Observed::Unreachable {
                    cause: "ssh: connection refused".to_owned(),
                },
                start: None,
            },
        );
        let r = grade(&lab_pack(), &input, &options());
        assert!(
            r.checks
                .iter()
                .all(|c| matches!(c.outcome, Outcome::NotAssessable { .. })),
            "{:?}",
            r.checks
        );
        assert_eq!(r.total.percent, None);
        assert_eq!(r.total.max, 0.0);
    }

    #[test]
    fn a_refused_sudo_is_not_called_unreachable() {
        let mut input = candidate();
        input.hosts.insert(
            "linux".to_owned(),
            HostObservation {
                end: Observed::Failed {
                    failure: crate::eval::input::HostFailure::SudoRefused,
                    cause: "jury is not in the sudoers file".to_owned(),
                },
                start: None,
            },
        );
        let r = grade(&lab_pack(), &input, &options());
        let host = r.hosts.iter().find(|h| h.role == "linux").expect("linux");
        assert_eq!(host.status, HostStatus::SudoRefused);
        let evidence = &r.checks[0].evidence[0];
        assert_eq!(evidence.expected, "collected");
        assert_eq!(
            evidence.actual,
            "sudo refused: jury is not in the sudoers file"
        );
        assert!(matches!(r.checks[0].outcome, Outcome::NotAssessable { .. }));
        let text = crate::render::terminal(&r, &Default::default());
        assert!(text.contains("linux (sudo refusé : jury"), "{text}");
    }

    /// A check that no longer compiles with the candidate's variables: its diagnostic is
    /// in English in the model, and the French report shows the French one (issue 14).
    #[test]
    fn a_recompile_warning_is_shown_in_the_reports_language() {
        let mut input = candidate();
        input
            .variables
            .insert("backup_dest".to_owned(), "^(".to_owned());
        let r = grade(&lab_pack(), &input, &options());
        let warning = r
            .warnings
            .iter()
            .find(|w| w.starts_with("lab-linux.yaml:"))
            .expect("a recompile warning");
        assert!(warning.contains(": error: "), "{warning}");
        // The crate's message is quoted after a French sentence, with the column.
        assert!(
            warning.contains(", column 2; the regex crate says: \"unclosed group\""),
            "{warning}"
        );
        let fr = r.warnings_fr.get(warning).expect("its French");
        assert!(fr.contains(": erreur : "), "{fr}");
        assert!(
            fr.contains(", colonne 2 ; message du crate regex : « unclosed group »"),
            "{fr}"
        );
        let shown = |lang| {
            let options = crate::render::RenderOptions {
                lang,
                ..Default::default()
            };
            [
                crate::render::terminal(&r, &options),
                crate::render::markdown(&r, &options),
                crate::render::html(&r, &options),
            ]
        };
        // The regex crate's own message (`error: unclosed group`) is quoted in both.
        let at = warning.split(": error: ").next().expect("a position");
        for text in shown(crate::i18n::Lang::Fr) {
            assert!(text.contains(&format!("{at}: erreur : ")), "{text}");
            assert!(!text.contains(&format!("{at}: error: ")), "{text}");
            assert!(!text.contains("invalid regular expression"), "{text}");
        }
        for text in shown(crate::i18n::Lang::En) {
            assert!(text.contains(&format!("{at}: error: ")), "{text}");
            assert!(!text.contains(": erreur : "), "{text}");
            assert!(!text.contains("expression régulière"), "{text}");
        }
        insta::assert_snapshot!(format!("{warning}\n---\n{fr}"));
    }

    #[test]
    fn candidate_variables_change_the_expectation() {
        let mut input = candidate();
        input
            .variables
            .insert("gateway".to_owned(), "192.168.12.254".to_owned());
        input
            .variables
            .insert("inconnue".to_owned(), "1".to_owned());
        let r = grade(&lab_pack(), &input, &options());
        let network = r
            .checks
            .iter()
            .find(|c| &*c.id == "lnx-network")
            .expect("check");
        assert_eq!(network.outcome, Outcome::Fail);
        insta::assert_debug_snapshot!((r.variables, r.warnings, &network.evidence));
    }
}

#[cfg(test)]
mod cross_host_tests {
    use super::*;
    use crate::eval::input::HostObservation;
    use crate::kinds::testing::{fixture, lab};

    const PACK: &str = r#"
pack: {id: cross, title: "deux hôtes", referentiel: tssr-2023, profile: ccp1}
hosts:
  srv: {os: linux}
  cli: {os: linux}
  dc: {os: windows}
checks:
  - id: cli-uses-srv
    title: "le client résout par le DNS et le serveur a le compte alice"
    criteres: [tssr-2023/CP4/C3]
    hosts: [cli]
    points: 2
    expect:
      all:
        - network: {nameservers: [10.255.255.53]}
        - on: {host: srv, expect: {user: {name: alice}}}
  - id: dc-has-alice
    title: "le DC connaît alice"
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    expect: {fact: {path: "ad.users[name=alice]", exists: true}}
  - id: both-have-alice
    title: "les deux serveurs Linux ont alice"
    criteres: [tssr-2023/CP3/C1]
    hosts: [srv, cli]
    partial: true
    expect: {user: {name: alice}}
"#;

    #[test]
    fn checks_read_several_hosts_of_one_candidate() {
        let pack = crate::pack::load("cross.yaml", PACK).expect("valid");
        let input = CandidateInput {
            id: "3".to_owned(),
            name: None,
            variables: BTreeMap::new(),
            expected_identity: Default::default(),
            hosts: BTreeMap::from([
                (
                    "srv".to_owned(),
                    HostObservation {
                        end: Observed::Snapshot(Box::new(lab())),
                        start: None,
                    },
                ),
                (
                    "cli".to_owned(),
                    HostObservation {
                        end: Observed::Snapshot(Box::new(fixture())),
                        start: None,
                    },
                ),
                (
                    "dc".to_owned(),
                    HostObservation {
                        end: Observed::Unreachable {
                            cause: "WinRM: 401 unauthorized".to_owned(),
                        },
                        start: None,
                    },
                ),
            ]),
        };
        let r = grade(&pack, &input, &crate::test_support::options());
        let lines: Vec<String> = r
            .checks
            .iter()
            .map(|c| format!("{} {:?} earned {}", c.id, c.outcome, c.earned))
            .collect();
        insta::assert_snapshot!(format!(
            "{}\n{:?}\n{:?}",
            lines.join("\n"),
            r.total,
            r.hosts
        ));
    }
}
