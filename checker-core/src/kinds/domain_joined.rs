//! Check kind `domain_joined`: a Windows host is joined to the expected domain.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{bool_property, same};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `domain_joined: {domain: tssr.lan, secure_channel: true}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainJoinedExpect {
    /// Domain DNS name (`tssr.lan`) or NetBIOS name (`TSSR`), case-insensitive.
    pub domain: Sp<String>,
    /// The secure channel with the domain must be valid (`Test-ComputerSecureChannel`).
    #[serde(default)]
    pub secure_channel: Option<bool>,
}

/// Compiled `domain_joined` expectation.
#[derive(Debug, Clone)]
pub struct DomainJoinedMatcher {
    domain: String,
    secure_channel: Option<bool>,
}

/// The domain names the host answers to: its DNS name and the first label (NetBIOS name
/// as the lab creates it).
fn names_domain(actual: &str, expected: &str) -> bool {
    same(actual, expected)
        || actual
            .split('.')
            .next()
            .is_some_and(|label| same(label, expected))
}

impl Kind for DomainJoinedExpect {
    const NAME: &'static str = "domain_joined";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["domain_membership"]);
    const DOC: &'static str = r#"# domain_joined

## What it checks
The Windows host is joined to the expected domain (`Win32_ComputerSystem.PartOfDomain` and
`Domain`), compared case-insensitively with the DNS name (`tssr.lan`) or the NetBIOS name
(`TSSR`, taken as the first label of the DNS name). With `secure_channel: true`, the secure
channel with a domain controller must also be valid (`Test-ComputerSecureChannel`); when the
probe could not test it, that property is not assessable.

## Why it matters
« Intégrer un poste client au domaine » is a CP2 savoir-faire (REAC 2023): a client left in a
workgroup receives no GPO, no domain account can log on, and the whole AD part of the lab cannot
be shown.

## Passing example
```yaml
expect:
  domain_joined: {domain: tssr.lan}
```

## Failing example
The same on a client still in `WORKGROUP`: `joined` fails (expected true, actual false).

## Critères
`tssr-2023/CP2/C1` (intégrer un poste client au domaine), `tssr-2023/CP9/C1`.
"#;
    const DOC_FR: &'static str = r#"# domain_joined

## Ce qui est vérifié
La machine Windows est jointe au domaine attendu (`Win32_ComputerSystem.PartOfDomain` et
`Domain`), comparé sans tenir compte de la casse au nom DNS (`tssr.lan`) ou au nom NetBIOS
(`TSSR`, pris comme premier label du nom DNS). Avec `secure_channel: true`, le canal sécurisé
avec un contrôleur de domaine doit aussi être valide (`Test-ComputerSecureChannel`) ; quand la
sonde n'a pas pu le tester, cette propriété est non évaluable.

## Pourquoi c'est important
« Intégrer un poste client au domaine » est un savoir-faire de la CP2 (REAC 2023) : un poste
resté en groupe de travail ne reçoit aucune GPO, aucun compte du domaine ne peut s'y connecter,
et toute la partie AD du lab ne peut pas être montrée.

## Exemple conforme
```yaml
expect:
  domain_joined: {domain: tssr.lan}
```

## Exemple non conforme
La même attente sur un poste encore dans `WORKGROUP` : `joined` échoue (attendu true, observé
false).

## Critères
`tssr-2023/CP2/C1` (intégrer un poste client au domaine), `tssr-2023/CP9/C1`.
"#;
    type Compiled = DomainJoinedMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<DomainJoinedMatcher> {
        Some(DomainJoinedMatcher {
            domain: cx.text(&self.domain),
            secure_channel: self.secure_channel,
        })
    }

    fn evaluate(m: &DomainJoinedMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "domain_membership";
        let Some(d) = host.section(S, &m.domain, &host.snapshot.sections.domain_membership, out)
        else {
            return Status::NotAssessable;
        };
        let at = (S, m.domain.as_str());
        let joined = bool_property(host, out, at, "joined", Some(true), Some(d.joined));
        let holds = d.joined
            && d.domain
                .as_deref()
                .is_some_and(|a| names_domain(a, &m.domain));
        let domain = Status::from_bool(holds);
        out.push(host.evidence(
            S,
            &m.domain,
            "domain",
            m.domain.clone(),
            match (&d.domain, &d.workgroup) {
                (Some(dom), _) if d.joined => dom.clone(),
                (_, Some(wg)) => format!("workgroup {wg}"),
                _ => "(none)".to_owned(),
            },
            domain,
        ));
        let channel = match (m.secure_channel, d.secure_channel) {
            (Some(expected), None) => {
                out.push(host.evidence(
                    S,
                    &m.domain,
                    "secure_channel",
                    expected.to_string(),
                    "not tested by the probe",
                    Status::NotAssessable,
                ));
                Status::NotAssessable
            }
            (expected, actual) => bool_property(host, out, at, "secure_channel", expected, actual),
        };
        joined.and(domain).and(channel)
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case_as, windows_probe};

    #[test]
    fn passes_on_the_probe_membership() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{domain_joined: {domain: tssr.lan}}, {domain_joined: {domain: TSSR}}]",
            &windows_probe()
        ));
    }

    #[test]
    fn fails_on_another_domain_and_untested_channel_is_not_assessable() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{domain_joined: {domain: corp.local}}, {domain_joined: {domain: tssr.lan, secure_channel: true}}]",
            &windows_probe()
        ));
    }

    #[test]
    fn is_not_assessable_on_a_linux_host() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "domain_joined: {domain: tssr.lan}",
            &fixture()
        ));
    }
}
