//! Check kind `wsus_client`: the Windows Update policy points the host at a WSUS server.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{bool_property, text_property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `wsus_client: {server: 'http://srv-ad:8530', target_group: Postes, use_wu_server: true}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WsusClientExpect {
    /// `WUServer` URL (case-insensitive, a trailing `/` ignored).
    pub server: Sp<String>,
    /// `TargetGroup` (client-side targeting).
    #[serde(default)]
    pub target_group: Option<Sp<String>>,
    /// `AU\UseWUServer` (default true: the policy must actually use the server).
    #[serde(default = "yes")]
    pub use_wu_server: bool,
}

fn yes() -> bool {
    true
}

/// Compiled `wsus_client` expectation.
#[derive(Debug, Clone)]
pub struct WsusClientMatcher {
    server: String,
    target_group: Option<String>,
    use_wu_server: bool,
}

impl Kind for WsusClientExpect {
    const NAME: &'static str = "wsus_client";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["wsus_client"]);
    const DOC: &'static str = r#"# wsus_client

## What it checks
The Windows Update policy (`HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate`, set by
a GPO or by hand) names the expected WSUS server in `WUServer` (case-insensitive, trailing `/`
ignored), optionally the client-side targeting group `TargetGroup`, and has
`AU\UseWUServer = 1` (`use_wu_server: true`, the default; a policy without it is ignored by
Windows Update).

## Why it matters
« Le déploiement des mises à jour a lieu sur tous les équipements » (CP9, with the
savoir-faire « suivi du déploiement des mises à jour logicielles (de type WSUS…) »): a client that
does not report to the WSUS server never receives the approved updates.

## Passing example
```yaml
expect:
  wsus_client: {server: 'http://srv-ad01.tssr.lan:8530', target_group: Postes}
```

## Failing example
The same on a client with no Windows Update policy: `policy` fails (expected present, actual
absent).

## Critères
`tssr-2023/CP9/C2`.
"#;
    const DOC_FR: &'static str = r#"# wsus_client

## Ce qui est vérifié
La stratégie Windows Update (`HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate`, posée
par une GPO ou à la main) désigne le serveur WSUS attendu dans `WUServer` (sans tenir compte
de la casse, `/` final ignoré), éventuellement le groupe de ciblage côté client `TargetGroup`,
et a `AU\UseWUServer = 1` (`use_wu_server: true`, par défaut ; une stratégie sans cette valeur
est ignorée par Windows Update).

## Pourquoi c'est important
« Le déploiement des mises à jour a lieu sur tous les équipements » (CP9, avec le
savoir-faire « suivi du déploiement des mises à jour logicielles (de type WSUS…) ») : un poste
qui ne se rapporte pas au serveur WSUS ne reçoit jamais les mises à jour approuvées.

## Exemple conforme
```yaml
expect:
  wsus_client: {server: 'http://srv-ad01.tssr.lan:8530', target_group: Postes}
```

## Exemple non conforme
La même attente sur un poste sans stratégie Windows Update : `policy` échoue (attendu présente,
observé absente).

## Critères
`tssr-2023/CP9/C2`.
"#;
    type Compiled = WsusClientMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<WsusClientMatcher> {
        Some(WsusClientMatcher {
            server: cx.text(&self.server),
            target_group: cx.opt_text(&self.target_group),
            use_wu_server: self.use_wu_server,
        })
    }

    fn evaluate(m: &WsusClientMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "wsus_client";
        let path = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate";
        let Some(w) = host.section(S, path, &host.snapshot.sections.wsus_client, out) else {
            return Status::NotAssessable;
        };
        let policy = Status::from_bool(w.policy_present);
        out.push(host.evidence(
            S,
            path,
            "policy",
            "present",
            if w.policy_present {
                "present"
            } else {
                "absent"
            },
            policy,
        ));
        let at = (S, path);
        let trim = |s: &str| s.trim_end_matches('/').to_owned();
        let server = trim(&m.server);
        let actual = w.wu_server.as_deref().map(trim);
        policy
            .and(text_property(
                host,
                out,
                at,
                "WUServer",
                Some(&server),
                actual.as_deref(),
            ))
            .and(text_property(
                host,
                out,
                at,
                "TargetGroup",
                m.target_group.as_deref(),
                w.target_group.as_deref(),
            ))
            .and(bool_property(
                host,
                out,
                at,
                "AU\\UseWUServer",
                Some(m.use_wu_server),
                Some(w.use_wu_server.unwrap_or(false)),
            ))
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, windows_lab, windows_probe, without};

    #[test]
    fn passes_on_the_recorded_policy() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "wsus_client: {server: 'HTTP://wsus.outdated.htb:8530/'}",
            &windows_probe()
        ));
    }

    #[test]
    fn fails_on_another_server_or_group() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "wsus_client: {server: 'http://srv-ad01:8530', target_group: Serveurs}",
            &windows_lab()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_policy_section() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "wsus_client: {server: 'http://srv-ad01:8530'}",
            &without(windows_probe(), "wsus_client")
        ));
    }
}
