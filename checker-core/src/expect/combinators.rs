//! Evaluation of an expectation tree: kinds, facts, and the combinators `all`, `any`,
//! `none`, `at_least`, `on`, with three-valued logic (an unknown never becomes a failure).

use crate::eval::evidence::{Evidence, EvidenceContext, Status};
use crate::eval::host::{HostState, HostView, Hosts};
use crate::expect::compiled::CompiledExpect;
use crate::expect::fact::evaluate_fact;
use crate::kinds::registry::evaluate_kind;

/// Status and fraction that holds (for partial credit) of an expectation on a host.
pub(crate) fn evaluate(
    expect: &CompiledExpect,
    host: &HostView<'_>,
    hosts: &Hosts<'_>,
    out: &mut Vec<Evidence>,
) -> (Status, f64) {
    let whole = |s: Status| (s, if s == Status::Pass { 1.0 } else { 0.0 });
    match expect {
        CompiledExpect::Kind(k) => whole(evaluate_kind(k, host, out)),
        CompiledExpect::Fact(f) => whole(evaluate_fact(f, host, out)),
        CompiledExpect::All(members) => {
            let mut status = Status::Pass;
            let mut sum = 0.0;
            for m in members {
                let (s, f) = evaluate(m, host, hosts, out);
                status = status.and(s);
                sum += f;
            }
            (status, sum / members.len().max(1) as f64)
        }
        CompiledExpect::Any(members) => {
            let (mut pass, mut unknown, mut best) = (false, false, 0.0_f64);
            let mut unused = Vec::new();
            for m in members {
                let first = out.len();
                let (s, f) = evaluate(m, host, hosts, out);
                pass |= s == Status::Pass;
                unknown |= s == Status::NotAssessable;
                best = best.max(f);
                if s != Status::Pass {
                    unused.push(first..out.len());
                }
            }
            if pass {
                // The alternatives that did not hold were not needed: say so rather than
                // « non conforme » under a passed check.
                for line in unused.into_iter().flatten() {
                    if let Some(e) = out.get_mut(line) {
                        e.context.get_or_insert(EvidenceContext::UnusedAlternative);
                    }
                }
            }
            let status = if pass {
                Status::Pass
            } else if unknown {
                Status::NotAssessable
            } else {
                Status::Fail
            };
            (status, best)
        }
        CompiledExpect::None(members) => {
            let (mut pass, mut unknown) = (false, false);
            let first = out.len();
            for m in members {
                let (s, _) = evaluate(m, host, hosts, out);
                pass |= s == Status::Pass;
                unknown |= s == Status::NotAssessable;
            }
            // Members are what must not hold: their `fail` is what the pack wants.
            for e in out.iter_mut().skip(first) {
                e.context.get_or_insert(EvidenceContext::MustNotHold);
            }
            let status = if pass {
                Status::Fail
            } else if unknown {
                Status::NotAssessable
            } else {
                Status::Pass
            };
            out.push(host.evidence(
                "",
                "none",
                "none must hold",
                "none",
                if pass {
                    "at least one holds"
                } else if unknown {
                    "unknown (a member is not assessable)"
                } else {
                    "none"
                },
                status,
            ));
            whole(status)
        }
        CompiledExpect::AtLeast(n, members) => {
            let (mut passes, mut unknown) = (0_u32, 0_u32);
            for m in members {
                match evaluate(m, host, hosts, out).0 {
                    Status::Pass => passes += 1,
                    Status::NotAssessable => unknown += 1,
                    Status::Fail => {}
                }
            }
            let status = if passes >= *n {
                Status::Pass
            } else if passes + unknown >= *n {
                Status::NotAssessable
            } else {
                Status::Fail
            };
            out.push(host.evidence(
                "",
                "at_least",
                "alternatives that hold",
                format!("≥ {n}"),
                passes.to_string(),
                status,
            ));
            (status, (f64::from(passes) / f64::from(*n)).min(1.0))
        }
        CompiledExpect::Select(s) => crate::selection::evaluate_select(s, host, hosts, out),
        CompiledExpect::On(role, inner) => match hosts.by_role.get(role.as_str()) {
            Some(HostState::Observed(view)) => evaluate(inner, view, hosts, out),
            Some(HostState::Unreachable { expected, actual }) => {
                out.push(host.evidence(
                    "",
                    role,
                    "host",
                    *expected,
                    actual.clone(),
                    Status::NotAssessable,
                ));
                whole(Status::NotAssessable)
            }
            Some(HostState::Missing) | None => {
                out.push(host.evidence(
                    "",
                    role,
                    "host",
                    "observed",
                    "no snapshot given for this role",
                    Status::NotAssessable,
                ));
                whole(Status::NotAssessable)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case, lab, without};

    #[test]
    fn at_least_scores_the_fraction() {
        let a = kind_case(
            "at_least: {n: 2, of: [{user: {name: alice}}, {user: {name: carol}}, {user: {name: bob}}]}",
            &lab(),
        );
        let b = kind_case(
            "at_least: {n: 3, of: [{user: {name: alice}}, {user: {name: carol}}, {user: {name: dave}}]}",
            &lab(),
        );
        insta::assert_snapshot!(format!("{a}{b}"));
    }

    #[test]
    fn unknowns_never_become_failures() {
        let lab = without(lab(), "services");
        let a = kind_case(
            "any: [{service: {name: apache2, running: true}}, {user: {name: carol}}]",
            &lab,
        );
        let b = kind_case(
            "any: [{service: {name: apache2, running: true}}, {user: {name: alice}}]",
            &lab,
        );
        let c = kind_case(
            "all: [{service: {name: apache2, running: true}}, {user: {name: carol}}]",
            &lab,
        );
        let d = kind_case("none: [{service: {name: telnet, running: true}}]", &lab);
        insta::assert_snapshot!(format!("{a}{b}{c}{d}"));
    }

    #[test]
    fn on_reads_another_role() {
        let a = kind_case("on: {host: dc, expect: {user: {name: alice}}}", &lab());
        let b = kind_case("on: {host: client, expect: {user: {name: alice}}}", &lab());
        insta::assert_snapshot!(format!("{a}{b}"));
    }
}
