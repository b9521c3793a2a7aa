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

What the running daemon offers: collected over SSH, the snapshot records the authentication
methods the server advertised to the examiner's own connection (`collection.ssh_server`,
after a `none` attempt). `PasswordAuthentication no` (likewise `KbdInteractiveAuthentication`,
`PubkeyAuthentication`) fails when the daemon still offers that method (« le démon en service
propose encore password »), and `AuthenticationMethods` fails when it offers a method no list
starts with — whatever the files say, and even with `accept_unapplied`.

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
    const DOC_FR: &'static str = r#"# sshd

## Ce qui est vérifié
Les réglages effectifs du serveur OpenSSH (`sshd -T`), ou les fichiers de configuration quand
sshd n'a pas pu les afficher (les valeurs par défaut documentées d'OpenSSH remplacent alors
les mots-clés absents, comme `PermitRootLogin prohibit-password`, et la preuve le dit).

## Pourquoi c'est important
Durcir SSH (pas de connexion root, clés seulement, un port non standard) est une demande
fréquente des sujets et une recommandation de l'ANSSI.

`exactly` compare une liste entière (`AllowUsers` exactement le compte personnel : un compte
de plus échoue). La preuve nomme le fichier et la ligne qui ont fixé chaque valeur (un
fichier d'appoint comme `sshd_config.d/50-cloud-init.conf` l'emporte sur `sshd_config` quand
il est lu en premier).

Appliqué ou seulement écrit : `sshd -T` lit les fichiers, pas le démon en service. Quand la
section `services` montre un fichier de configuration de `ssh`/`sshd` modifié après le
démarrage du processus principal du démon, la vérification ne réussit pas : « fichier modifié
après le démarrage du service : modification probablement non appliquée » (redémarrer ou
recharger sshd). `accept_unapplied: true` l'accepte (la ligne de preuve reste).

Ce que propose le démon en service : collecté par SSH, le relevé enregistre les méthodes
d'authentification que le serveur a annoncées à la connexion de l'examinateur
(`collection.ssh_server`, après une tentative `none`). `PasswordAuthentication no` (de même
`KbdInteractiveAuthentication`, `PubkeyAuthentication`) échoue quand le démon propose encore
cette méthode (« le démon en service propose encore password »), et `AuthenticationMethods`
échoue quand il propose une méthode par laquelle aucune liste ne commence — quoi que disent
les fichiers, et même avec `accept_unapplied`.

## Exemple conforme
```yaml
expect:
  sshd: {settings: {PermitRootLogin: "no"}, exactly: {AllowUsers: "alice"}}
```

## Exemple non conforme
La même attente quand `permitrootlogin yes` est effectif, quand `AllowUsers alice bob`, ou
quand `sshd_config` a été modifié après le démarrage de sshd sans que sshd soit redémarré.

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
                    Some((_, d)) => (vec![*d], " (OpenSSH default, absent from the files)"),
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
            let expected = format!("exactly: {}", want.join(" "));
            out.push(host.evidence(S, "sshd_config", key.clone(), expected, actual, s));
            status = status.and(s);
        }
        if let Some(s) = unapplied(m, host, out) {
            status = status.and(s);
        }
        status.and(running_offer(m, host, out))
    }
}

/// The keywords that switch one authentication method off, and that method.
const METHOD_KEYWORDS: &[(&str, &str)] = &[
    ("passwordauthentication", "password"),
    ("kbdinteractiveauthentication", "keyboard-interactive"),
    ("challengeresponseauthentication", "keyboard-interactive"),
    ("pubkeyauthentication", "publickey"),
];

/// What the running daemon offered the examiner's connection, against the settings the pack
/// expects: a method the files switch off but the daemon still offers is a failure (the file
/// was edited, the daemon not restarted). No offer recorded (local collection): nothing.
fn running_offer(m: &SshdMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
    const S: &str = "sshd";
    let Some(offer) = &host.snapshot.collection.ssh_server else {
        return Status::Pass;
    };
    let offered = |method: &str| offer.auth_methods.iter().any(|a| a == method);
    let shown = format!(
        "{} (offered to {} by the running daemon)",
        if offer.auth_methods.is_empty() {
            "no method".to_owned()
        } else {
            offer.auth_methods.join(",")
        },
        offer.user
    );
    let mut status = Status::Pass;
    for (key, method) in METHOD_KEYWORDS {
        if m.settings
            .iter()
            .any(|(k, v)| k == key && v.eq_ignore_ascii_case("no"))
        {
            let s = Status::from_bool(!offered(method));
            let actual = if offered(method) {
                format!("the running daemon still offers {method}: {shown}")
            } else {
                shown.clone()
            };
            out.push(host.evidence(
                S,
                "running",
                "advertised",
                format!("{method} not offered"),
                actual,
                s,
            ));
            status = status.and(s);
        }
    }
    // AuthenticationMethods: what can start is the first method of each list.
    let lists = m
        .settings
        .iter()
        .find(|(k, _)| k == "authenticationmethods")
        .map(|(_, v)| v.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .or_else(|| {
            m.exactly
                .iter()
                .find(|(k, _)| k == "authenticationmethods")
                .map(|(_, v)| v.clone())
        });
    if let Some(lists) = lists.filter(|l| !l.iter().any(|x| x.eq_ignore_ascii_case("any"))) {
        let first: Vec<String> = lists
            .iter()
            .filter_map(|l| l.split(',').next())
            .map(|f| f.split(':').next().unwrap_or(f).to_ascii_lowercase())
            .collect();
        let extra: Vec<&String> = offer
            .auth_methods
            .iter()
            .filter(|a| !first.contains(a))
            .collect();
        let s = Status::from_bool(extra.is_empty());
        let actual = match extra.first() {
            Some(e) => format!("the running daemon still offers {e}: {shown}"),
            None => shown.clone(),
        };
        out.push(host.evidence(
            S,
            "running",
            "advertised",
            format!("only {}", first.join(",")),
            actual,
            s,
        ));
        status = status.and(s);
    }
    status
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
                    "file older than the start or reload of {} ({started_text})",
                    service.name
                ),
                format!(
                    "modified at {}: file modified after the service started: change \
                     probably not applied (restart or reload sshd)",
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
mod offer_tests {
    use crate::kinds::testing::{kind_case, lab};
    use constat_snapshot::collection::SshServerOffer;

    /// Derived: the lab snapshot with what a daemon that was never restarted offers
    /// (`publickey,password`), as `transport/ssh_offer.rs` records it.
    #[test]
    fn a_daemon_still_offering_password_fails() {
        let mut snap = lab();
        // The candidate's files are right (`sshd -T` reads them)...
        if let constat_snapshot::Section::Collected { data } = &mut snap.sections.sshd {
            data.settings
                .insert("passwordauthentication".into(), vec!["no".into()]);
            data.settings
                .insert("authenticationmethods".into(), vec!["publickey".into()]);
        }
        // ...but the daemon was never restarted.
        snap.collection.ssh_server = Some(SshServerOffer {
            user: "jury".into(),
            auth_methods: vec!["publickey".into(), "password".into()],
            host_key_algorithm: Some("ssh-ed25519".into()),
        });
        let fail = kind_case(
            r#"sshd: {settings: {PasswordAuthentication: "no"}, accept_unapplied: true}"#,
            &snap,
        );
        snap.collection.ssh_server.as_mut().unwrap().auth_methods = vec!["publickey".into()];
        let pass = kind_case(
            r#"sshd: {settings: {PasswordAuthentication: "no", AuthenticationMethods: publickey}, accept_unapplied: true}"#,
            &snap,
        );
        insta::assert_snapshot!(format!("{fail}{pass}"));
    }
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
