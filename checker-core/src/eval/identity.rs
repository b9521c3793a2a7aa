//! Identity is evidence: each host's end snapshot identity (host name, machine-id, domain;
//! for a `dc` read over LDAP the domain, its SID and the answering DC) compared with the start
//! snapshot of the same candidate and role, and with the inventory's expectation.
//!
//! A wrong VM or a swapped snapshot is exactly what an examiner must see: every difference
//! becomes an [`IdentityWarning`] in the report. Pure and deterministic: warnings are sorted by
//! role, property and reference. Values come from a possibly hostile host: they are cut to
//! [`MAX_VALUE_CHARS`] here and escaped by every renderer; a machine-id is shown by its first
//! eight characters only (it is a unique identifier, the jury needs "different", not the value).

use crate::report::{IdentityProperty, IdentityReference, IdentityWarning};
use constat_snapshot::Snapshot;
use constat_snapshot::section::Section;

/// Longest value kept in a warning, in characters.
pub const MAX_VALUE_CHARS: usize = 128;

/// What the inventory says a host must be (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpectedIdentity {
    /// Host name (compared case-insensitively with the short name and the FQDN).
    pub hostname: Option<String>,
    /// machine-id (Linux) or MachineGuid (Windows), compared case-insensitively.
    pub machine_id: Option<String>,
}

impl ExpectedIdentity {
    /// Whether nothing is expected.
    pub fn is_empty(&self) -> bool {
        self.hostname.is_none() && self.machine_id.is_none()
    }
}

fn cut(value: &str) -> String {
    value.chars().take(MAX_VALUE_CHARS).collect()
}

fn shown(property: IdentityProperty, value: Option<&str>) -> Option<String> {
    let value = value?;
    Some(if property == IdentityProperty::MachineId {
        let head: String = value.chars().take(8).collect();
        if head.len() < value.len() {
            format!("{head}…")
        } else {
            head
        }
    } else {
        cut(value)
    })
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (None, None) => true,
        _ => false,
    }
}

/// The identity properties of one snapshot, in a fixed order.
fn properties(s: &Snapshot) -> Vec<(IdentityProperty, Option<&str>)> {
    let host = &s.host;
    let mut out = vec![
        (
            IdentityProperty::Hostname,
            Some(host.hostname.as_str()).filter(|h| !h.is_empty()),
        ),
        (IdentityProperty::MachineId, host.machine_id.as_deref()),
        (IdentityProperty::Domain, host.domain.as_deref()),
    ];
    if let Section::Collected { data } = &s.sections.directory {
        out.push((IdentityProperty::DomainSid, data.domain.sid.as_deref()));
        out.push((
            IdentityProperty::DomainController,
            data.domain.dc_dns_host_name.as_deref(),
        ));
    }
    out
}

/// Compares one role's end snapshot with its start snapshot (when there is one) and with the
/// expectation. A property known on one side only is a difference (a machine-id that
/// vanished is as telling as one that changed); a property unknown on both is not compared.
/// Directory properties are compared only when both snapshots collected the directory.
pub fn compare(
    role: &str,
    start: Option<&Snapshot>,
    end: &Snapshot,
    expected: &ExpectedIdentity,
) -> Vec<IdentityWarning> {
    let mut out = Vec::new();
    let after = properties(end);
    if let Some(start) = start {
        let before = properties(start);
        for (property, was) in &before {
            let Some((_, now)) = after.iter().find(|(p, _)| p == property) else {
                continue;
            };
            if !same(*was, *now) {
                out.push(IdentityWarning {
                    role: role.to_owned(),
                    property: *property,
                    reference: IdentityReference::Start,
                    expected: shown(*property, *was),
                    observed: shown(*property, *now),
                });
            }
        }
    }
    let value = |p: IdentityProperty| after.iter().find(|(q, _)| *q == p).and_then(|(_, v)| *v);
    if let Some(want) = &expected.hostname {
        let short = value(IdentityProperty::Hostname);
        let fqdn = end.host.fqdn.as_deref();
        if !same(Some(want), short) && !same(Some(want), fqdn) {
            out.push(IdentityWarning {
                role: role.to_owned(),
                property: IdentityProperty::Hostname,
                reference: IdentityReference::Expected,
                expected: Some(cut(want)),
                observed: shown(IdentityProperty::Hostname, short),
            });
        }
    }
    if let Some(want) = &expected.machine_id {
        let now = value(IdentityProperty::MachineId);
        if !same(Some(want), now) {
            out.push(IdentityWarning {
                role: role.to_owned(),
                property: IdentityProperty::MachineId,
                reference: IdentityReference::Expected,
                expected: shown(IdentityProperty::MachineId, Some(want)),
                observed: shown(IdentityProperty::MachineId, now),
            });
        }
    }
    out.sort_by_key(|w| (w.property, w.reference));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testing::fixture;

    fn renamed(hostname: &str, machine_id: Option<&str>) -> Snapshot {
        let mut s = fixture();
        s.host.hostname = hostname.to_owned();
        s.host.machine_id = machine_id.map(str::to_owned);
        s
    }

    fn lines(w: &[IdentityWarning]) -> String {
        serde_json::to_string_pretty(w).expect("json")
    }

    #[test]
    fn the_same_identity_gives_no_warning() {
        let s = fixture();
        let expected = ExpectedIdentity {
            hostname: Some(s.host.hostname.to_uppercase()),
            machine_id: s.host.machine_id.clone(),
        };
        assert!(compare("linux", Some(&s), &s.clone(), &expected).is_empty());
    }

    #[test]
    fn a_changed_hostname_is_a_warning() {
        let start = renamed("srv-a", Some("0123456789abcdef0123456789abcdef"));
        let end = renamed("srv-b", Some("0123456789abcdef0123456789abcdef"));
        insta::assert_snapshot!(lines(&compare(
            "linux",
            Some(&start),
            &end,
            &ExpectedIdentity::default()
        )));
    }

    #[test]
    fn a_changed_or_vanished_machine_id_is_a_warning() {
        let start = renamed("srv-a", Some("0123456789abcdef0123456789abcdef"));
        let end = renamed("srv-a", Some("fedcba9876543210fedcba9876543210"));
        let gone = renamed("srv-a", None);
        let none = ExpectedIdentity::default();
        insta::assert_snapshot!(format!(
            "{}\n{}",
            lines(&compare("linux", Some(&start), &end, &none)),
            lines(&compare("linux", Some(&start), &gone, &none))
        ));
    }

    #[test]
    fn an_unmet_expectation_is_a_warning() {
        let end = renamed("srv-b", Some("0123456789abcdef0123456789abcdef"));
        let expected = ExpectedIdentity {
            hostname: Some("srv-a".to_owned()),
            machine_id: Some("fedcba9876543210fedcba9876543210".to_owned()),
        };
        insta::assert_snapshot!(lines(&compare("linux", None, &end, &expected)));
    }

    #[test]
    fn the_fqdn_meets_a_hostname_expectation() {
        let mut end = renamed("srv-a", None);
        end.host.fqdn = Some("srv-a.tssr.lan".to_owned());
        let expected = ExpectedIdentity {
            hostname: Some("SRV-A.tssr.lan".to_owned()),
            machine_id: None,
        };
        assert!(compare("linux", None, &end, &expected).is_empty());
    }

    #[test]
    fn without_a_start_nothing_is_compared_with_it() {
        let end = renamed("srv-b", Some("x"));
        assert!(compare("linux", None, &end, &ExpectedIdentity::default()).is_empty());
    }

    /// Fixture: the real Samba AD DC collection (over LDAP); the end is another domain's DC.
    #[test]
    fn another_domain_controller_is_a_warning() {
        let start = crate::kinds::testing::ad();
        let mut end = start.clone();
        end.host.hostname = "dc2".to_owned();
        end.host.domain = Some("autre.lan".to_owned());
        if let Section::Collected { data } = &mut end.sections.directory {
            data.domain.sid = Some("S-1-5-21-1-2-3".to_owned());
            data.domain.dc_dns_host_name = Some("dc2.autre.lan".to_owned());
        }
        let none = ExpectedIdentity::default();
        assert!(compare("dc", Some(&start), &start, &none).is_empty());
        insta::assert_snapshot!(lines(&compare("dc", Some(&start), &end, &none)));
    }

    #[test]
    fn hostile_values_are_cut() {
        let start = renamed("srv-a", None);
        let end = renamed(&"\u{1b}[31mx".repeat(1000), None);
        let w = compare("linux", Some(&start), &end, &ExpectedIdentity::default());
        let observed = w[0].observed.as_deref().unwrap_or_default();
        assert_eq!(observed.chars().count(), MAX_VALUE_CHARS);
    }
}
