//! Check kind `deployment_share`: an MDT deployment share with its rules, task sequences and
//! applications, and the images of a WDS server.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::deployment::{Deployment, IniFile, IniSetting, MdtShare};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `deployment_share: {share: DeploymentShare$, settings: {JoinDomain: tssr.lan},
/// task_sequence: WIN11, wds_images: [Windows 11 Pro]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeploymentShareExpect {
    /// The deployment share: its SMB share name, folder or UNC path (case-insensitive); any
    /// share when left out.
    #[serde(default)]
    pub share: Option<Sp<String>>,
    /// Rules of `Control\CustomSettings.ini`: key → value MDT applies (keys and values
    /// case-insensitive; `"*"` = set, whatever the value, the only way to ask for a password).
    #[serde(default)]
    pub settings: BTreeMap<String, Sp<String>>,
    /// Rules of `Control\Bootstrap.ini`, the same way.
    #[serde(default)]
    pub bootstrap: BTreeMap<String, Sp<String>>,
    /// An enabled task sequence, by ID or name (case-insensitive).
    #[serde(default)]
    pub task_sequence: Option<Sp<String>>,
    /// An enabled application, by name or short name (case-insensitive).
    #[serde(default)]
    pub application: Option<Sp<String>>,
    /// WDS install images that must exist and be enabled, by name (case-insensitive).
    #[serde(default)]
    pub wds_images: Vec<Sp<String>>,
    /// WDS has at least one boot image.
    #[serde(default)]
    pub wds_boot_image: bool,
}

/// Compiled `deployment_share` expectation.
#[derive(Debug, Clone)]
pub struct DeploymentShareMatcher {
    share: Option<String>,
    settings: Vec<(String, String)>,
    bootstrap: Vec<(String, String)>,
    task_sequence: Option<String>,
    application: Option<String>,
    wds_images: Vec<String>,
    wds_boot_image: bool,
}

impl DeploymentShareMatcher {
    fn asks_mdt(&self) -> bool {
        self.share.is_some()
            || !self.settings.is_empty()
            || !self.bootstrap.is_empty()
            || self.task_sequence.is_some()
            || self.application.is_some()
    }
}

impl Kind for DeploymentShareExpect {
    const NAME: &'static str = "deployment_share";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["deployment"]);
    const DOC: &'static str = r#"# deployment_share

## What it checks
The Windows deployment services of a server (section `deployment`, read by the probe).
MDT: a deployment share (a folder holding `Control\CustomSettings.ini`) named `share` (its
SMB share name, folder or UNC path), whose rules apply `settings` (`CustomSettings.ini`:
the value of the first `Priority` section setting the key, `[Default]` usually) and
`bootstrap` (`Bootstrap.ini`), with an enabled `task_sequence` (ID or name) and an enabled
`application`. Password values are never read: `"*"` asks for a key to be set. WDS: the
install images `wds_images` exist and are enabled, and `wds_boot_image: true` asks for a
boot image. A control file the probe could not read makes what it holds not assessable.

## Why it matters
« Administration et exploitation d'un serveur de déploiement (création et mises à jour des
images, définition des clients, planification) » (CP9): the clients the candidate deploys
join the right domain, get the right applications, from images the server really offers.

## Passing example
```yaml
expect:
  deployment_share: {share: MDT-Deploy$, settings: {JoinDomain: corp.technologytoolbox.com}, bootstrap: {SkipBDDWelcome: "YES"}, task_sequence: W10ENT-X64}
```

## Failing example
`deployment_share: {settings: {JoinDomain: tssr.lan}}` when the rules say
`JoinDomain=corp.technologytoolbox.com`: `settings.JoinDomain` fails, naming the file and
line.

## Critères
`tssr-2023/CP9/C1`.
"#;
    const DOC_FR: &'static str = r#"# deployment_share

## Ce qui est vérifié
Les services de déploiement Windows d'un serveur (section `deployment`, relevée par la
sonde). MDT : un partage de déploiement (un dossier contenant
`Control\CustomSettings.ini`) nommé `share` (son nom de partage SMB, son dossier ou son
chemin UNC), dont les règles appliquent `settings` (`CustomSettings.ini` : la valeur de la
première section de `Priority` qui définit la clé, `[Default]` en général) et `bootstrap`
(`Bootstrap.ini`), avec une séquence de tâches `task_sequence` active (identifiant ou nom)
et une application `application` active. Les mots de passe ne sont jamais lus : `"*"`
demande seulement que la clé soit définie. WDS : les images d'installation `wds_images`
existent et sont activées, et `wds_boot_image: true` demande une image de démarrage. Un
fichier de contrôle que la sonde n'a pas pu lire rend non évaluable ce qu'il contient.

## Pourquoi c'est important
« Administration et exploitation d'un serveur de déploiement (création et mises à jour des
images, définition des clients, planification) » (CP9) : les postes déployés par le
candidat rejoignent le bon domaine, reçoivent les bonnes applications, à partir d'images
que le serveur propose vraiment.

## Exemple conforme
```yaml
expect:
  deployment_share: {share: MDT-Deploy$, settings: {JoinDomain: corp.technologytoolbox.com}, bootstrap: {SkipBDDWelcome: "YES"}, task_sequence: W10ENT-X64}
```

## Exemple non conforme
`deployment_share: {settings: {JoinDomain: tssr.lan}}` quand les règles disent
`JoinDomain=corp.technologytoolbox.com` : `settings.JoinDomain` échoue en citant le fichier
et la ligne.

## Critères
`tssr-2023/CP9/C1`.
"#;
    type Compiled = DeploymentShareMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<DeploymentShareMatcher> {
        let mut pairs = |map: &BTreeMap<String, Sp<String>>| -> Vec<(String, String)> {
            map.iter().map(|(k, v)| (k.clone(), cx.text(v))).collect()
        };
        let settings = pairs(&self.settings);
        let bootstrap = pairs(&self.bootstrap);
        Some(DeploymentShareMatcher {
            share: cx.opt_text(&self.share),
            settings,
            bootstrap,
            task_sequence: cx.opt_text(&self.task_sequence),
            application: cx.opt_text(&self.application),
            wds_images: cx.texts(&self.wds_images),
            wds_boot_image: self.wds_boot_image,
        })
    }

    fn evaluate(
        m: &DeploymentShareMatcher,
        host: &HostView<'_>,
        out: &mut Vec<Evidence>,
    ) -> Status {
        let label = m.share.clone().unwrap_or_else(|| "*".to_owned());
        let Some(data) = host.section(S, &label, &host.snapshot.sections.deployment, out) else {
            return Status::NotAssessable;
        };
        let mut status = Status::Pass;
        if m.asks_mdt() {
            status = status.and(mdt(m, data, host, &label, out));
        }
        if !m.wds_images.is_empty() || m.wds_boot_image {
            status = status.and(wds(m, data, host, out));
        }
        status
    }
}

const S: &str = "deployment";

/// One property judged on a share: `(property, expected, actual, status)`.
type Line = (String, String, String, Status);

fn mdt(
    m: &DeploymentShareMatcher,
    data: &Deployment,
    host: &HostView<'_>,
    label: &str,
    out: &mut Vec<Evidence>,
) -> Status {
    let candidates: Vec<&MdtShare> = data
        .mdt_shares
        .iter()
        .filter(|s| m.share.as_ref().is_none_or(|name| names(s, name)))
        .collect();
    let mut best: Option<(&MdtShare, usize)> = None;
    for share in &candidates {
        let passes = judge(m, share)
            .iter()
            .filter(|l| l.3 == Status::Pass)
            .count();
        if best.is_none_or(|(_, most)| passes > most) {
            best = Some((share, passes));
        }
    }
    let Some((share, _)) = best else {
        let found: Vec<String> = data.mdt_shares.iter().map(describe).collect();
        out.push(host.evidence(
            S,
            label,
            "exists",
            "present",
            format!("absent (deployment shares: {})", list(&found)),
            Status::Fail,
        ));
        return Status::Fail;
    };
    out.push(host.evidence(S, label, "exists", "present", describe(share), Status::Pass));
    let mut status = Status::Pass;
    for (property, expected, actual, s) in judge(m, share) {
        out.push(host.evidence(S, label, property, expected, actual, s));
        status = status.and(s);
    }
    status
}

/// Whether `name` names the share: its SMB name, folder or UNC path (or that path's last
/// component), case-insensitive.
fn names(share: &MdtShare, name: &str) -> bool {
    let name = name.trim_end_matches('\\');
    let last = |p: &str| {
        p.trim_end_matches('\\')
            .rsplit('\\')
            .next()
            .map(str::to_owned)
    };
    [
        share.share_name.clone(),
        Some(share.path.clone()),
        share.unc_path.clone(),
        share.unc_path.as_deref().and_then(last),
    ]
    .iter()
    .flatten()
    .any(|n| n.trim_end_matches('\\').eq_ignore_ascii_case(name))
}

fn describe(share: &MdtShare) -> String {
    match (&share.share_name, &share.unc_path) {
        (_, Some(unc)) => format!("{} ({unc})", share.path),
        (Some(name), None) => format!("{} ({name})", share.path),
        (None, None) => share.path.clone(),
    }
}

fn judge(m: &DeploymentShareMatcher, share: &MdtShare) -> Vec<Line> {
    let mut lines = Vec::new();
    for (file, rules, wanted) in [
        ("CustomSettings.ini", &share.custom_settings, &m.settings),
        ("Bootstrap.ini", &share.bootstrap, &m.bootstrap),
    ] {
        let prefix = if file == "Bootstrap.ini" {
            "bootstrap"
        } else {
            "settings"
        };
        for (key, expected) in wanted {
            let property = format!("{prefix}.{key}");
            let line = match rules {
                None => {
                    let unread = share.errors.iter().any(|e| e.contains(file));
                    (
                        property,
                        expected.clone(),
                        if unread {
                            format!("not read: {file}")
                        } else {
                            format!("file absent: {file}")
                        },
                        if unread {
                            Status::NotAssessable
                        } else {
                            Status::Fail
                        },
                    )
                }
                Some(ini) => match effective(ini, key) {
                    None => (
                        property,
                        expected.clone(),
                        format!("not set in {file}"),
                        Status::Fail,
                    ),
                    Some(set) => {
                        let holds = expected == "*" || set.value.eq_ignore_ascii_case(expected);
                        let status = if !holds && set.value == "***" {
                            Status::NotAssessable
                        } else {
                            Status::from_bool(holds)
                        };
                        (
                            property,
                            expected.clone(),
                            format!("{}={} ({file}:{})", set.key, set.value, set.line),
                            status,
                        )
                    }
                },
            };
            lines.push(line);
        }
    }
    if let Some(wanted) = &m.task_sequence {
        let found = share
            .task_sequences
            .iter()
            .find(|t| t.id.eq_ignore_ascii_case(wanted) || t.name.eq_ignore_ascii_case(wanted));
        let all: Vec<String> = share
            .task_sequences
            .iter()
            .map(|t| format!("{} ({})", t.id, t.name))
            .collect();
        lines.push(match found {
            _ if !share.task_sequences_read => (
                "task_sequence".to_owned(),
                wanted.clone(),
                "not read: TaskSequences.xml".to_owned(),
                Status::NotAssessable,
            ),
            Some(t) if t.enabled => (
                "task_sequence".to_owned(),
                wanted.clone(),
                format!("{} ({})", t.id, t.name),
                Status::Pass,
            ),
            Some(t) => (
                "task_sequence".to_owned(),
                wanted.clone(),
                format!("disabled: {} ({})", t.id, t.name),
                Status::Fail,
            ),
            None => (
                "task_sequence".to_owned(),
                wanted.clone(),
                format!("absent (task sequences: {})", list(&all)),
                Status::Fail,
            ),
        });
    }
    if let Some(wanted) = &m.application {
        let found = share.applications.iter().find(|a| {
            a.name.eq_ignore_ascii_case(wanted)
                || a.short_name
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(wanted))
        });
        let all: Vec<&str> = share.applications.iter().map(|a| a.name.as_str()).collect();
        lines.push(match found {
            _ if !share.applications_read => (
                "application".to_owned(),
                wanted.clone(),
                "not read: Applications.xml".to_owned(),
                Status::NotAssessable,
            ),
            Some(a) if a.enabled => (
                "application".to_owned(),
                wanted.clone(),
                a.name.clone(),
                Status::Pass,
            ),
            Some(a) => (
                "application".to_owned(),
                wanted.clone(),
                format!("disabled: {}", a.name),
                Status::Fail,
            ),
            None => (
                "application".to_owned(),
                wanted.clone(),
                format!("absent (applications: {})", list(&all)),
                Status::Fail,
            ),
        });
    }
    lines
}

/// The setting MDT applies: the first section of `[Settings] Priority` (`Default` without
/// one) that exists under that name and sets the key (keys case-insensitive).
fn effective<'a>(file: &'a IniFile, key: &str) -> Option<&'a IniSetting> {
    let get = |section: &str, key: &str| {
        file.sections
            .iter()
            .filter(|s| s.name.eq_ignore_ascii_case(section))
            .flat_map(|s| &s.settings)
            .find(|s| s.key.eq_ignore_ascii_case(key))
    };
    let priority: Vec<String> = get("Settings", "Priority")
        .map(|p| p.value.split(',').map(|s| s.trim().to_owned()).collect())
        .unwrap_or_else(|| vec!["Default".to_owned()]);
    priority.iter().find_map(|section| get(section, key))
}

fn wds(
    m: &DeploymentShareMatcher,
    data: &Deployment,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Status {
    let Some(wds) = &data.wds else {
        out.push(host.evidence(
            S,
            "WDS",
            "role",
            "installed",
            "WDS role not installed",
            Status::Fail,
        ));
        return Status::Fail;
    };
    let mut status = Status::Pass;
    let incomplete = !wds.errors.is_empty();
    if m.wds_boot_image {
        let names: Vec<&str> = wds.boot_images.iter().map(|i| i.name.as_str()).collect();
        let s = match (names.is_empty(), incomplete) {
            (false, _) => Status::Pass,
            (true, true) => Status::NotAssessable,
            (true, false) => Status::Fail,
        };
        out.push(host.evidence(
            S,
            "WDS",
            "boot_image",
            "present",
            if incomplete && names.is_empty() {
                format!("not read: {}", wds.errors.join("; "))
            } else {
                list(&names)
            },
            s,
        ));
        status = status.and(s);
    }
    for wanted in &m.wds_images {
        let image = wds
            .install_images
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(wanted));
        let all: Vec<String> = wds
            .install_images
            .iter()
            .map(|i| match &i.group {
                Some(g) => format!("{g}/{}", i.name),
                None => i.name.clone(),
            })
            .collect();
        let (actual, s) = match image {
            Some(i) if i.enabled == Some(false) => (format!("disabled: {}", i.name), Status::Fail),
            Some(i) => (
                match &i.group {
                    Some(g) => format!("{g}/{}", i.name),
                    None => i.name.clone(),
                },
                Status::Pass,
            ),
            None if incomplete => (
                format!("not read: {}", wds.errors.join("; ")),
                Status::NotAssessable,
            ),
            None => (
                format!("absent (install images: {})", list(&all)),
                Status::Fail,
            ),
        };
        out.push(host.evidence(S, wanted, "install_image", "present", actual, s));
        status = status.and(s);
    }
    status
}

/// Items joined by `, `, `(none)` when empty.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{deployment_mdt, kind_case_as, without};

    /// `deployment-mdt.json`: the probe normaliser's output on the control files of two
    /// real public deployment shares, and a SYNTHETIC WDS image list (no real
    /// `Get-WdsInstallImage` output found; see `windows/tests/fixtures/samples/SOURCES.md`
    /// 3.22).
    #[test]
    fn passes_on_real_rules_task_sequences_and_applications() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{deployment_share: {share: MDT-Deploy$, settings: {JoinDomain: corp.technologytoolbox.com, SkipCapture: '*'}, bootstrap: {DeployRoot: '\\\\TT-FS01\\MDT-Deploy$', SkipBDDWelcome: 'yes'}, task_sequence: W10ENT-X64, application: 'Firefox (32-bit)'}}, {deployment_share: {share: Deploy$, settings: {AdminPassword: '*'}, wds_images: [Windows 11 Pro], wds_boot_image: true}}]",
            &deployment_mdt()
        ));
    }

    #[test]
    fn fails_on_wrong_rules_missing_task_sequences_and_disabled_images() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{deployment_share: {settings: {JoinDomain: tssr.lan, SkipBDDWelcome: 'YES'}, task_sequence: WIN11-TSSR}}, {deployment_share: {share: Deploy$, settings: {AdminPassword: 'Pa$$w0rd'}, application: 7-Zip, wds_images: ['Windows Server 2022 SERVERSTANDARD', 'Windows 10 Pro']}}, {deployment_share: {share: DeploymentShare$}}]",
            &deployment_mdt()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_section() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "deployment_share: {task_sequence: W10ENT-X64}",
            &without(deployment_mdt(), "deployment")
        ));
    }
}
