//! Check kind `share`: an SMB or NFS share with the expected path and access.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::existence::existence;
use crate::kinds::kind::{Kind, includes, property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `share: {name: compta, path: /srv/compta, valid_users: ["@compta"], read_only: false}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareExpect {
    /// Share name (SMB) or export path (NFS).
    pub name: Sp<String>,
    /// Whether it must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// `smb` or `nfs`.
    #[serde(default)]
    pub protocol: Option<Sp<String>>,
    /// Local path shared.
    #[serde(default)]
    pub path: Option<Sp<String>>,
    /// Read-only for everyone.
    #[serde(default)]
    pub read_only: Option<bool>,
    /// Guests allowed.
    #[serde(default)]
    pub guest_ok: Option<bool>,
    /// Principals that must be allowed (`@compta`, `alice`).
    #[serde(default)]
    pub valid_users: Vec<Sp<String>>,
    /// Principals that must have write access.
    #[serde(default)]
    pub write_list: Vec<Sp<String>>,
    /// Principals that must appear in the share ACL (Windows: `TSSR\GG_Compta`).
    #[serde(default)]
    pub access: Vec<Sp<String>>,
}

fn yes() -> bool {
    true
}

/// Compiled `share` expectation.
#[derive(Debug, Clone)]
pub struct ShareMatcher {
    name: String,
    exists: bool,
    protocol: Option<String>,
    path: Option<String>,
    read_only: Option<bool>,
    guest_ok: Option<bool>,
    valid_users: Vec<String>,
    write_list: Vec<String>,
    access: Vec<String>,
}

impl Kind for ShareExpect {
    const NAME: &'static str = "share";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["shares"]);
    const DOC: &'static str = r#"# share

## What it checks
A Samba/NFS share (Linux) or SMB share (Windows) exists with the expected protocol, path,
read-only and guest settings, allowed users, write list and share ACL principals.

## Why it matters
"Configurer les partages, les droits d'accès et les permissions conformément aux demandes"
is a CP2 and CP3 savoir-faire; a share open to guests is a security fault.

## Passing example
```yaml
expect:
  share: {name: compta, path: /srv/compta, valid_users: ["@compta"], guest_ok: false}
```

## Failing example
The same when the share has `guest ok = yes`.

## Critères
`tssr-2023/CP3/C1`, `tssr-2023/CP2/C1`, `tssr-2023/CP2/C2`.
"#;
    const DOC_FR: &'static str = r#"# share

## Ce qui est vérifié
Un partage Samba/NFS (Linux) ou SMB (Windows) existe avec le protocole, le chemin, les
réglages lecture seule et invité, les comptes autorisés, la liste d'écriture et les principaux
de l'ACL de partage attendus.

## Pourquoi c'est important
« Configurer les partages, les droits d'accès et les permissions conformément aux demandes »
est un savoir-faire des CP2 et CP3 ; un partage ouvert aux invités est une faute de sécurité.

## Exemple conforme
```yaml
expect:
  share: {name: compta, path: /srv/compta, valid_users: ["@compta"], guest_ok: false}
```

## Exemple non conforme
La même attente quand le partage a `guest ok = yes`.

## Critères
`tssr-2023/CP3/C1`, `tssr-2023/CP2/C1`, `tssr-2023/CP2/C2`.
"#;
    type Compiled = ShareMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<ShareMatcher> {
        Some(ShareMatcher {
            name: cx.text(&self.name),
            exists: self.exists,
            protocol: cx.opt_text(&self.protocol),
            path: cx.opt_text(&self.path),
            read_only: self.read_only,
            guest_ok: self.guest_ok,
            valid_users: cx.texts(&self.valid_users),
            write_list: cx.texts(&self.write_list),
            access: cx.texts(&self.access),
        })
    }

    fn evaluate(m: &ShareMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "shares";
        let Some(shares) = host.section(S, &m.name, &host.snapshot.sections.shares, out) else {
            return Status::NotAssessable;
        };
        let share = shares.iter().find(|s| s.name.eq_ignore_ascii_case(&m.name));
        let exists = existence(host, out, S, &m.name, m.exists, share.is_some());
        let Some(share) = share.filter(|_| m.exists) else {
            return exists;
        };
        let text = |s: &String| s.clone();
        let valid: Vec<&str> = share.valid_users.iter().map(String::as_str).collect();
        let write: Vec<&str> = share.write_list.iter().map(String::as_str).collect();
        let access: Vec<&str> = share.access.iter().map(|a| a.principal.as_str()).collect();
        property(
            host,
            out,
            S,
            &m.name,
            "protocol",
            m.protocol.as_ref(),
            Some(&share.protocol),
            text,
        )
        .and(property(
            host,
            out,
            S,
            &m.name,
            "path",
            m.path.as_ref(),
            Some(&share.path),
            text,
        ))
        .and(property(
            host,
            out,
            S,
            &m.name,
            "read_only",
            m.read_only.as_ref(),
            share.read_only.as_ref(),
            bool::to_string,
        ))
        .and(property(
            host,
            out,
            S,
            &m.name,
            "guest_ok",
            m.guest_ok.as_ref(),
            Some(&share.guest_ok.unwrap_or(false)),
            bool::to_string,
        ))
        .and(includes(
            host,
            out,
            S,
            &m.name,
            "valid_users",
            &m.valid_users,
            &valid,
        ))
        .and(includes(
            host,
            out,
            S,
            &m.name,
            "write_list",
            &m.write_list,
            &write,
        ))
        .and(includes(
            host, out, S, &m.name, "access", &m.access, &access,
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};

    #[test]
    fn passes_on_the_lab_share() {
        insta::assert_snapshot!(kind_case(
            r#"share: {name: compta, protocol: smb, path: /srv/compta, valid_users: ["@compta"], write_list: ["@compta"], guest_ok: false, read_only: false}"#,
            &lab()
        ));
    }

    #[test]
    fn fails_on_the_recorded_homes_share() {
        insta::assert_snapshot!(kind_case(
            r#"all: [{share: {name: homes, read_only: false}}, {share: {name: compta}}]"#,
            &fixture()
        ));
    }

    #[test]
    fn is_not_assessable_without_shares() {
        insta::assert_snapshot!(kind_case(
            "share: {name: compta}",
            &without(lab(), "shares")
        ));
    }
}
