//! Check kind `sshd`: OpenSSH server settings have the expected values.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `sshd: {settings: {PermitRootLogin: "no", Port: "2222"}}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SshdExpect {
    /// Keyword → expected value (keywords and values compared case-insensitively; for a
    /// multi-valued keyword, one of its values must match).
    pub settings: BTreeMap<String, Sp<String>>,
}

/// Compiled `sshd` expectation.
#[derive(Debug, Clone)]
pub struct SshdMatcher {
    settings: Vec<(String, String)>,
}

/// OpenSSH defaults for the keywords subjects ask about, used when only files were read.
const DEFAULTS: &[(&str, &str)] = &[
    ("port", "22"),
    ("permitrootlogin", "prohibit-password"),
    ("passwordauthentication", "yes"),
    ("pubkeyauthentication", "yes"),
    ("permitemptypasswords", "no"),
    ("x11forwarding", "no"),
    ("maxauthtries", "6"),
];

impl Kind for SshdExpect {
    const NAME: &'static str = "sshd";
    const DOC: &'static str = r#"# sshd

## What it checks
Effective OpenSSH server settings (`sshd -T`), or the configuration files when sshd could
not print them (then OpenSSH's documented defaults stand in for absent keywords such as
`PermitRootLogin prohibit-password`, and the evidence says so).

## Why it matters
Hardening SSH (no root login, keys only, a non-default port) is a frequent subject request
and an ANSSI recommendation.

## Passing example
```yaml
expect:
  sshd: {settings: {PermitRootLogin: "no"}}
```

## Failing example
The same when `permitrootlogin yes` is effective.

## Critères
`tssr-2023/CP3/C1`, `tssr-2023/CP5/C4`.
"#;
    type Compiled = SshdMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<SshdMatcher> {
        Some(SshdMatcher {
            settings: self
                .settings
                .iter()
                .map(|(k, v)| (k.to_lowercase(), cx.text(v)))
                .collect(),
        })
    }

    fn evaluate(m: &SshdMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "sshd";
        let Some(sshd) = host.section(S, "sshd_config", &host.snapshot.sections.sshd, out) else {
            return Status::NotAssessable;
        };
        let mut status = Status::Pass;
        for (key, want) in &m.settings {
            let (values, origin): (Vec<&str>, &str) = match sshd.settings.get(key) {
                Some(v) => (v.iter().map(String::as_str).collect(), ""),
                None if sshd.source != "sshd -T" => match DEFAULTS.iter().find(|(k, _)| k == key) {
                    Some((_, d)) => (vec![*d], " (défaut OpenSSH, absent des fichiers)"),
                    None => (Vec::new(), ""),
                },
                None => (Vec::new(), ""),
            };
            let s = if values.is_empty() && sshd.source != "sshd -T" {
                Status::NotAssessable
            } else {
                Status::from_bool(values.iter().any(|v| v.eq_ignore_ascii_case(want)))
            };
            let actual = if values.is_empty() {
                "absent".to_owned()
            } else {
                format!("{}{origin}", values.join(", "))
            };
            out.push(host.evidence(S, "sshd_config", key.clone(), want.clone(), actual, s));
            status = status.and(s);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};

    #[test]
    fn passes_when_root_login_is_off() {
        insta::assert_snapshot!(kind_case(
            r#"sshd: {settings: {PermitRootLogin: "no", UsePAM: "yes"}}"#,
            &lab()
        ));
    }

    #[test]
    fn fails_on_the_recorded_defaults() {
        insta::assert_snapshot!(kind_case(
            r#"sshd: {settings: {PermitRootLogin: "no", X11Forwarding: "no"}}"#,
            &fixture()
        ));
    }

    #[test]
    fn is_not_assessable_when_sshd_t_failed() {
        insta::assert_snapshot!(kind_case(
            r#"sshd: {settings: {PermitRootLogin: "no"}}"#,
            &without(lab(), "sshd")
        ));
    }
}
