//! Check kind `package`: a package is installed (or not), optionally in a version.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// `package: {name: apache2}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageExpect {
    /// Package name (dpkg / rpm name, Windows feature or program).
    pub name: Sp<String>,
    /// Whether it must be installed (default) or must not.
    #[serde(default = "yes")]
    pub installed: bool,
    /// Regex on the installed version.
    #[serde(default)]
    pub version: Option<Sp<String>>,
}

fn yes() -> bool {
    true
}

/// Compiled `package` expectation.
#[derive(Debug, Clone)]
pub struct PackageMatcher {
    name: String,
    installed: bool,
    version: Option<Regex>,
}

impl Kind for PackageExpect {
    const NAME: &'static str = "package";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["packages"]);
    const DOC: &'static str = r#"# package

## What it checks
A package is installed, or is not, optionally with a version matching a regex.

## Why it matters
Installing the right service (and removing what the subject forbids, like telnetd) is the
first step of most Linux tasks.

## Passing example
```yaml
expect:
  package: {name: apache2}
```

## Failing example
`package: {name: telnetd, installed: false}` when telnetd is installed.

## Critères
`tssr-2023/CP3/C1`, `tssr-2023/CP5/C2`.
"#;
    const DOC_FR: &'static str = r#"# package

## Ce qui est vérifié
Un paquet est installé, ou ne l'est pas, éventuellement dans une version qui correspond à une
expression régulière.

## Pourquoi c'est important
Installer le bon service (et retirer ce que le sujet interdit, comme telnetd) est la première
étape de la plupart des tâches Linux.

## Exemple conforme
```yaml
expect:
  package: {name: apache2}
```

## Exemple non conforme
`package: {name: telnetd, installed: false}` quand telnetd est installé.

## Critères
`tssr-2023/CP3/C1`, `tssr-2023/CP5/C2`.
"#;
    type Compiled = PackageMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<PackageMatcher> {
        Some(PackageMatcher {
            name: cx.text(&self.name),
            installed: self.installed,
            version: cx.opt_regex(&self.version)?,
        })
    }

    fn evaluate(m: &PackageMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "packages";
        if host
            .section(S, &m.name, &host.snapshot.sections.packages, out)
            .is_none()
        {
            return Status::NotAssessable;
        }
        let package = host.package(&m.name);
        let status = Status::from_bool(package.is_some() == m.installed);
        out.push(host.evidence(
            S,
            &m.name,
            "installed",
            if m.installed { "installed" } else { "absent" },
            package.map_or_else(
                || "absent".to_owned(),
                |p| format!("installed ({})", p.version),
            ),
            status,
        ));
        match (package, &m.version) {
            (Some(p), Some(re)) if m.installed => {
                let s = Status::from_bool(re.is_match(&p.version));
                out.push(host.evidence(
                    S,
                    &m.name,
                    "version",
                    format!("/{}/", re.as_str()),
                    p.version.clone(),
                    s,
                ));
                status.and(s)
            }
            _ => status,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};

    #[test]
    fn passes_for_recorded_packages() {
        insta::assert_snapshot!(kind_case(
            r#"all: [{package: {name: openssh-server, version: "^1:9"}}, {package: {name: telnetd, installed: false}}]"#,
            &fixture()
        ));
    }

    #[test]
    fn fails_when_apache_is_missing_on_the_real_host() {
        insta::assert_snapshot!(kind_case("package: {name: apache2}", &fixture()));
    }

    #[test]
    fn is_not_assessable_when_dpkg_failed() {
        insta::assert_snapshot!(kind_case(
            "package: {name: apache2}",
            &without(lab(), "packages")
        ));
    }
}
