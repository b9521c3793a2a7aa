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
    #[serde(default)]
    pub settings: BTreeMap<String, Sp<String>>,
    /// Keyword → the exact list of values, space-separated (`AllowUsers: "alice"`): every
    /// value present, none other, order ignored, case-insensitive.
    #[serde(default)]
    pub exactly: BTreeMap<String, Sp<String>>,
    /// Accept settings read from a file modified after sshd started (default `false`: such a
    /// change is probably not applied, and the check does not pass).
    #[serde(default)]
    pub accept_unapplied: bool,
}

/// Compiled `sshd` expectation.
#[derive(Debug, Clone)]
pub struct SshdMatcher {
    settings: Vec<(String, String)>,
    exactly: Vec<(String, Vec<String>)>,
    accept_unapplied: bool,
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
    const SECTIONS: Option<&'static [&'static str]> = Some(&["services", "sshd"]);
    const DOC: &'static str = r#"# sshd

## What it checks
Effective OpenSSH server settings (`sshd -T`), or the configuration files when sshd could
not print them (then OpenSSH's documented defaults stand in for absent keywords such as
`PermitRootLogin prohibit-password`, and the evidence says so).

## Why it matters
Hardening SSH (no root login, keys only, a non-default port) is a frequent subject request
and an ANSSI recommendation.

`exactly` compares a whole list (`AllowUsers` exactly the personal account: one more user
fails). The evidence names the file and line that set each value (a drop-in such as
`sshd_config.d/50-cloud-init.conf` wins over `sshd_config` when read first).

Applied vs written: `sshd -T` reads the files, not the running daemon. When the `services`
section shows a configuration file of `ssh`/`sshd` modified after the daemon's main process
started, the check does not pass: « fichier modifié après le démarrage du service :
modification probablement non appliquée » (restart or reload sshd). `accept_unapplied: true`
accepts it (the evidence line stays).

## Passing example
```yaml
expect:
  sshd: {settings: {PermitRootLogin: "no"}, exactly: {AllowUsers: "alice"}}
```

## Failing example
The same when `permitrootlogin yes` is effective, when `AllowUsers alice bob`, or when
`sshd_config` was edited after sshd started and sshd was never restarted.

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
            exactly: self
                .exactly
                .iter()
                .map(|(k, v)| {
                    let mut words: Vec<String> = cx
                        .text(v)
                        .split_whitespace()
                        .map(str::to_lowercase)
                        .collect();
                    words.sort();
                    words.dedup();
                    (k.to_lowercase(), words)
                })
                .collect(),
            accept_unapplied: self.accept_unapplied,
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
                format!("{}{origin}{}", values.join(", "), set_at(sshd, key))
            };
            out.push(host.evidence(S, "sshd_config", key.clone(), want.clone(), actual, s));
            status = status.and(s);
        }
        for (key, want) in &m.exactly {
            let mut have: Vec<String> = sshd
                .settings
                .get(key)
                .into_iter()
                .flatten()
                .flat_map(|v| v.split_whitespace())
                .map(str::to_lowercase)
                .collect();
            have.sort();
            have.dedup();
            let s = Status::from_bool(&have == want);
            let actual = if have.is_empty() {
                "absent".to_owned()
            } else {
                format!("{}{}", have.join(" "), set_at(sshd, key))
            };
            let expected = format!("exactement : {}", want.join(" "));
            out.push(host.evidence(S, "sshd_config", key.clone(), expected, actual, s));
            status = status.and(s);
        }
        if let Some(s) = unapplied(m, host, out) {
            status = status.and(s);
        }
        status
    }
}

/// ` (fichier:ligne)` where the files set a keyword, empty when unknown.
fn set_at(sshd: &constat_snapshot::sshd::Sshd, key: &str) -> String {
    match sshd.origins.get(key) {
        Some(origins) if !origins.is_empty() => format!(" ({})", origins.join(", ")),
        _ => String::new(),
    }
}

/// Applied vs written: one evidence line per sshd configuration file modified after the
/// running daemon started. `None` when nothing says so (no services section, no start time).
fn unapplied(m: &SshdMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Option<Status> {
    use constat_snapshot::time::parse_rfc3339;
    let services = host.snapshot.sections.services.data()?;
    let service = services.iter().find(|s| {
        s.running
            && matches!(
                s.name.as_str(),
                "ssh.service" | "sshd.service" | "ssh" | "sshd"
            )
    })?;
    // Applied when the main process started or systemd last reloaded it, whichever is later.
    let (started, started_text) = [&service.started_at, &service.reloaded_at]
        .into_iter()
        .filter_map(|t| t.as_deref())
        .filter_map(|t| parse_rfc3339(t).map(|s| (s, t)))
        .max()?;
    let mut status = None;
    for file in &service.config_files {
        if parse_rfc3339(&file.modified_at).is_some_and(|t| t > started) {
            let s = if m.accept_unapplied {
                Status::Pass
            } else {
                Status::Fail
            };
            out.push(host.evidence(
                "services",
                &file.path,
                "application",
                format!(
                    "fichier antérieur au démarrage ou rechargement de {} ({started_text})",
                    service.name
                ),
                format!(
                    "modifié le {} : fichier modifié après le démarrage du service : \
                     modification probablement non appliquée (redémarrer ou recharger sshd)",
                    file.modified_at
                ),
                s,
            ));
            status = Some(status.map_or(s, |p: Status| p.and(s)));
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};
    use constat_snapshot::services::ConfigFile;
    use constat_snapshot::{Section, Snapshot};

    /// The lab fixture with `AllowUsers alice bob` set by a drop-in, and ssh.service started
    /// at 10:00 while `sshd_config` was modified at `modified` (derived in the test).
    fn applied_lab(modified: &str) -> Snapshot {
        let mut s = lab();
        if let Section::Collected { data: sshd } = &mut s.sections.sshd {
            sshd.settings
                .insert("allowusers".into(), vec!["alice".into(), "bob".into()]);
            sshd.origins.insert(
                "allowusers".into(),
                vec!["/etc/ssh/sshd_config.d/50-cloud-init.conf:2".into()],
            );
            sshd.origins.insert(
                "permitrootlogin".into(),
                vec!["/etc/ssh/sshd_config:33".into()],
            );
        }
        if let Section::Collected { data: services } = &mut s.sections.services
            && let Some(ssh) = services.iter_mut().find(|x| x.name == "ssh.service")
        {
            ssh.started_at = Some("2026-11-23T10:00:00Z".into());
            ssh.config_files = vec![
                ConfigFile {
                    path: "/etc/ssh/sshd_config".into(),
                    modified_at: modified.into(),
                },
                ConfigFile {
                    path: "/etc/ssh/sshd_config.d/50-cloud-init.conf".into(),
                    modified_at: "2026-11-01T08:00:00Z".into(),
                },
            ];
        }
        s
    }

    #[test]
    fn names_the_file_and_line_and_compares_exact_lists() {
        insta::assert_snapshot!(kind_case(
            r#"sshd: {settings: {PermitRootLogin: "no"}, exactly: {AllowUsers: "alice"}}"#,
            &applied_lab("2026-11-23T09:00:00Z")
        ));
    }

    #[test]
    fn exact_list_passes_in_any_order() {
        insta::assert_snapshot!(kind_case(
            r#"sshd: {exactly: {AllowUsers: "Bob alice"}}"#,
            &applied_lab("2026-11-23T09:00:00Z")
        ));
    }

    #[test]
    fn a_file_edited_after_sshd_started_does_not_pass() {
        insta::assert_snapshot!(kind_case(
            r#"sshd: {settings: {PermitRootLogin: "no"}}"#,
            &applied_lab("2026-11-23T10:30:00Z")
        ));
    }

    #[test]
    fn the_pack_may_accept_an_unapplied_change() {
        insta::assert_snapshot!(kind_case(
            r#"sshd: {settings: {PermitRootLogin: "no"}, accept_unapplied: true}"#,
            &applied_lab("2026-11-23T10:30:00Z")
        ));
    }

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
