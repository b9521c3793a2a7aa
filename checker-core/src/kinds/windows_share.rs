//! Check kind `windows_share`: an SMB share and the effective right of principals on it
//! (the weaker of the share permission and the NTFS permission, through groups, deny first).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::directory::account_key;
use crate::kinds::env_path;
use crate::kinds::existence::existence;
use crate::kinds::kind::Kind;
use crate::kinds::windows::same;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::shares::AccessEntry;
use schemars::JsonSchema;
use serde::Deserialize;

/// `windows_share: {name: Commercial, path: 'D:\Partages\Commercial', access: [{principal:
/// 'TSSR\DL_Commercial_RW', right: modify}]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowsShareExpect {
    /// Share name (case-insensitive).
    pub name: Sp<String>,
    /// Whether it must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// Local path shared (case-insensitive, trailing `\` ignored).
    #[serde(default)]
    pub path: Option<Sp<String>>,
    /// Rights principals must have.
    #[serde(default)]
    pub access: Vec<AccessExpect>,
    /// Which permission is compared (default: effective = the weaker of share and NTFS).
    #[serde(default)]
    pub via: Via,
}

fn yes() -> bool {
    true
}

/// One principal and the right it must have.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessExpect {
    /// User or group (`TSSR\DL_Commercial_RW`, `DL_Commercial_RW`, `Everyone`).
    pub principal: Sp<String>,
    /// The right it must have, exactly.
    pub right: Right,
    /// Overrides the share-level `via` for this entry.
    #[serde(default)]
    pub via: Option<Via>,
}

/// Rights, from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// No access at all (to check that a principal is kept out).
    None,
    /// Read (share `Read`, NTFS `Read`/`ReadAndExecute`).
    Read,
    /// Modify (share `Change`, NTFS `Modify`: read, write and delete).
    Modify,
    /// Full control (share `Full`, NTFS `FullControl`).
    FullControl,
}

impl Right {
    fn word(self) -> &'static str {
        match self {
            Right::None => "none",
            Right::Read => "read",
            Right::Modify => "modify",
            Right::FullControl => "full_control",
        }
    }
}

/// Which permission layer is compared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// Share permission only.
    Share,
    /// NTFS permission only.
    Ntfs,
    /// The weaker of both (what a user reaching the share over the network gets).
    #[default]
    Effective,
}

/// Compiled `windows_share` expectation.
#[derive(Debug, Clone)]
pub struct WindowsShareMatcher {
    name: String,
    exists: bool,
    path: Option<String>,
    access: Vec<(String, Right, Via)>,
}

// Permission bits: read, write, delete, full control.
const R: u8 = 1;
const W: u8 = 2;
const D: u8 = 4;
const F: u8 = 8;

/// Bits granted or denied by one right name (share or NTFS), or by a numeric access mask.
fn bits(right: &str) -> u8 {
    match right.trim().to_ascii_lowercase().as_str() {
        "full" | "fullcontrol" => R | W | D | F,
        "change" | "modify" => R | W | D,
        "read" | "readandexecute" | "readdata" | "listdirectory" | "readattributes" => R,
        "write" | "writedata" | "createfiles" | "appenddata" => W,
        "delete" | "deletesubdirectoriesandfiles" => D,
        other => other.parse::<i64>().map_or(0, |mask| {
            let mask = mask as u32;
            let mut b = 0;
            if mask & 0x1000_0000 != 0 || mask & 0x001F_01FF == 0x001F_01FF {
                b |= R | W | D | F;
            }
            if mask & 0x8000_0000 != 0 || mask & 0x1 != 0 {
                b |= R;
            }
            if mask & 0x4000_0000 != 0 || mask & 0x2 != 0 {
                b |= W;
            }
            if mask & 0x0001_0000 != 0 {
                b |= D;
            }
            b
        }),
    }
}

fn level(b: u8) -> Right {
    if b & (R | W | D | F) == R | W | D | F {
        Right::FullControl
    } else if b & (R | W | D) == R | W | D {
        Right::Modify
    } else if b & R != 0 {
        Right::Read
    } else {
        Right::None
    }
}

/// `TSSR\GG_Compta` → `gg_compta`, `TSSR\PC01$` → `pc01` (as [`account_key`]); well-known
/// names in French or English → one key.
fn key(principal: &str) -> String {
    let short = principal
        .trim()
        .rsplit_once('\\')
        .map_or(principal.trim(), |(_, n)| n);
    match short.to_lowercase().as_str() {
        "everyone" | "tout le monde" | "s-1-1-0" => "everyone".to_owned(),
        "authenticated users" | "utilisateurs authentifiés" | "s-1-5-11" => {
            "authenticated users".to_owned()
        }
        "users" | "utilisateurs" | "s-1-5-32-545" => "users".to_owned(),
        other => account_key(other),
    }
}

/// Every name an ACE may use to reach `principal`: itself, the groups it belongs to
/// (directory groups through `members_transitive`, local groups through `members`), and the
/// identities every authenticated account has (`Everyone`, `Authenticated Users`,
/// `BUILTIN\Users`).
fn identities(host: &HostView<'_>, principal: &str) -> Vec<String> {
    // `Authenticated Users` is a member of `BUILTIN\Users` on every Windows host.
    let mut ids = vec![
        key(principal),
        "everyone".to_owned(),
        "authenticated users".to_owned(),
        "users".to_owned(),
    ];
    let sections = &host.snapshot.sections;
    let directory = sections.directory.data().map(|d| d.groups.as_slice());
    let local = sections.groups.data().map(Vec::as_slice);
    loop {
        let before = ids.len();
        for g in directory.unwrap_or_default() {
            let k = key(&g.name);
            if !ids.contains(&k) && g.members_transitive.iter().any(|m| ids.contains(&key(m))) {
                ids.push(k);
            }
        }
        for g in local.unwrap_or_default() {
            let k = key(&g.name);
            if !ids.contains(&k) && g.members.iter().any(|m| ids.contains(&key(m))) {
                ids.push(k);
            }
        }
        if ids.len() == before {
            return ids;
        }
    }
}

/// Whether an ACE names a domain account or group (`TSSR\GG_Compta`), as opposed to a local
/// or well-known one (`BUILTIN\Users`, `NT AUTHORITY\SYSTEM`, `SRV01\Admins`, `Everyone`).
fn is_domain_principal(principal: &str, hostname: &str) -> bool {
    principal.split_once('\\').is_some_and(|(domain, _)| {
        let d = domain.trim().to_uppercase();
        !matches!(
            d.as_str(),
            "BUILTIN"
                | "NT AUTHORITY"
                | "AUTORITE NT"
                | "NT SERVICE"
                | "APPLICATION PACKAGE AUTHORITY"
        ) && !d.eq_ignore_ascii_case(hostname)
    })
}

/// ACEs naming domain principals that `ids` does not contain: without the directory their
/// members are unknown, so they might apply.
fn unresolved<'a>(acl: &'a [AccessEntry], ids: &[String], hostname: &str) -> Vec<&'a str> {
    acl.iter()
        .filter(|a| {
            is_domain_principal(&a.principal, hostname) && !ids.contains(&key(&a.principal))
        })
        .map(|a| a.principal.as_str())
        .collect()
}

/// Windows' right names (`Get-SmbShareAccess`, `FileSystemRights`) as the French Windows
/// shows them.
const RIGHTS_FR: &[(&str, &str)] = &[
    ("Full", "Contrôle total"),
    ("Change", "Modifier"),
    ("Read", "Lecture"),
    ("FullControl", "Contrôle total"),
    ("Modify", "Modification"),
    ("ReadAndExecute", "Lecture et exécution"),
    ("Write", "Écriture"),
    ("Synchronize", "Synchroniser"),
    ("ReadData", "Lecture de données"),
    ("ListDirectory", "Liste du dossier"),
    ("WriteData", "Écriture de données"),
    ("CreateFiles", "Création de fichiers"),
    ("AppendData", "Ajout de données"),
    ("CreateDirectories", "Création de dossiers"),
    ("ReadAttributes", "Attributs de lecture"),
    ("WriteAttributes", "Attributs d'écriture"),
    ("ReadExtendedAttributes", "Lecture des attributs étendus"),
    ("WriteExtendedAttributes", "Écriture des attributs étendus"),
    ("ExecuteFile", "Exécution de fichiers"),
    ("Traverse", "Parcours du dossier"),
    ("Delete", "Suppression"),
    (
        "DeleteSubdirectoriesAndFiles",
        "Suppression de sous-dossiers et fichiers",
    ),
    ("ReadPermissions", "Autorisations de lecture"),
    ("ChangePermissions", "Modification des autorisations"),
    ("TakeOwnership", "Appropriation"),
];

/// The entries [`right_from`] lists (`deny TSSR\g: Write; TSSR\u: Modify, Synchronize`) in
/// French: the rights as the French Windows names them, a denial said, the principals and
/// numeric masks as is.
pub(crate) fn entries_fr(entries: &str) -> String {
    entries
        .split("; ")
        .map(|entry| {
            let Some((who, rights)) = entry.rsplit_once(": ") else {
                return entry.to_owned();
            };
            let (deny, who) = match who.strip_prefix("deny ") {
                Some(who) => ("refus pour ", who),
                None => ("", who),
            };
            let rights: Vec<&str> = rights
                .split(", ")
                .map(|r| {
                    RIGHTS_FR
                        .iter()
                        .find(|(en, _)| *en == r)
                        .map_or(r, |(_, fr)| fr)
                })
                .collect();
            format!("{deny}{who} : {}", rights.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// The right `ids` get from an ACL, and the ACEs that decided it.
fn right_from(acl: &[AccessEntry], ids: &[String]) -> (Right, String) {
    let (mut allow, mut deny) = (0_u8, 0_u8);
    let mut used = Vec::new();
    for ace in acl.iter().filter(|a| ids.contains(&key(&a.principal))) {
        let b = ace.rights.iter().fold(0, |acc, r| acc | bits(r));
        let denied = same(&ace.kind, "deny");
        if denied {
            deny |= b;
        } else {
            allow |= b;
        }
        used.push(format!(
            "{}{}: {}",
            if denied { "deny " } else { "" },
            ace.principal,
            ace.rights.join(", ")
        ));
    }
    // A denied right also takes full control away.
    let effective = if deny != 0 { allow & !deny & !F } else { allow };
    // No applicable entry: an empty list, the same in both languages.
    let why = used.join("; ");
    (level(effective), why)
}

impl Kind for WindowsShareExpect {
    const NAME: &'static str = "windows_share";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory", "groups", "shares"]);
    const DOC: &'static str = r#"# windows_share

## What it checks
An SMB share of a Windows host (`Get-SmbShare`) exists with the expected path, and each
principal of `access` has exactly the expected right: `read`, `modify`, `full_control`, or
`none` (kept out). By default the right compared is the EFFECTIVE one, the weaker of the share
permission (`Get-SmbShareAccess`: Read, Change, Full) and the NTFS permission of the shared
folder (`Get-Acl`: Read/ReadAndExecute, Modify, FullControl), as a user reaching the share over
the network gets it; `via: share` or `via: ntfs` (for the whole share or per entry) compares
one layer only. A principal gets the entries granted to itself, to the groups it belongs to
(directory groups with nesting when the `directory` section is there, local groups), to
`Everyone`, `Authenticated Users` and `BUILTIN\Users` (which holds Authenticated Users on
every Windows host); deny entries win over allow entries. The evidence
lists the entries that decided each layer. When the host has no `directory` section, the
members of domain groups are unknown: a mismatch that such a group could explain is not
assessable rather than failed. Partial credit per entry: write one
`windows_share` per principal under `all:` with `partial: true`.

## Why it matters
« Configurer les partages, les droits d'accès et les permissions conformément aux demandes
des administrateurs » (CP2): the classic exam fault is a right correct on one layer and blocked (or wide open) on the
other; only the effective right says what the users really get.

## Passing example
```yaml
expect:
  windows_share:
    name: Commercial
    path: 'D:\Partages\Commercial'
    access:
      - {principal: 'TSSR\DL_Commercial_RW', right: modify}
      - {principal: 'TSSR\DL_Commercial_R', right: read}
```

## Failing example
The same when the share permission is `Everyone: Read`: the effective right of
`DL_Commercial_RW` is `read` (share Read, NTFS Modify), `access` fails for it.

## Critères
`tssr-2023/CP2/C1`, `tssr-2023/CP2/C2`.
"#;
    const DOC_FR: &'static str = r#"# windows_share

## Ce qui est vérifié
Un partage SMB d'une machine Windows (`Get-SmbShare`) existe avec le chemin attendu, et chaque
principal de `access` a exactement le droit attendu : `read`, `modify`, `full_control`, ou
`none` (tenu à l'écart). Par défaut le droit comparé est le droit EFFECTIF, le plus faible de
la permission de partage (`Get-SmbShareAccess` : Read, Change, Full) et de la permission NTFS
du dossier partagé (`Get-Acl` : Read/ReadAndExecute, Modify, FullControl), tel que l'obtient
un utilisateur qui accède au partage par le réseau ; `via: share` ou `via: ntfs` (pour tout
le partage ou par entrée) ne compare qu'une couche. Un principal reçoit les entrées accordées
à lui-même, aux groupes dont il est membre (groupes de l'annuaire avec imbrication quand la
section `directory` est là, groupes locaux), à `Everyone`, `Authenticated Users` et
`BUILTIN\Users` (qui contient Utilisateurs authentifiés sur toute machine Windows) ; les
entrées de refus l'emportent sur les entrées d'autorisation. La preuve liste les entrées qui
ont décidé chaque couche. Quand la machine n'a pas de section `directory`, les membres des
groupes du domaine sont inconnus : un écart qu'un tel groupe pourrait expliquer est non
évaluable plutôt qu'échoué. Points partiels par entrée : écrire un `windows_share` par
principal sous `all:` avec `partial: true`.

## Pourquoi c'est important
« Configurer les partages, les droits d'accès et les permissions conformément aux demandes
des administrateurs » (CP2) : la faute classique à l'épreuve est un droit correct sur une
couche et bloqué (ou grand ouvert) sur l'autre ; seul le droit effectif dit ce que les
utilisateurs obtiennent réellement.

## Exemple conforme
```yaml
expect:
  windows_share:
    name: Commercial
    path: 'D:\Partages\Commercial'
    access:
      - {principal: 'TSSR\DL_Commercial_RW', right: modify}
      - {principal: 'TSSR\DL_Commercial_R', right: read}
```

## Exemple non conforme
La même attente quand la permission de partage est `Everyone: Read` : le droit effectif de
`DL_Commercial_RW` est `read` (partage Read, NTFS Modify), `access` échoue pour lui.

## Critères
`tssr-2023/CP2/C1`, `tssr-2023/CP2/C2`.
"#;
    type Compiled = WindowsShareMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<WindowsShareMatcher> {
        Some(WindowsShareMatcher {
            name: cx.text(&self.name),
            exists: self.exists,
            path: cx.opt_text(&self.path),
            access: self
                .access
                .iter()
                .map(|a| (cx.text(&a.principal), a.right, a.via.unwrap_or(self.via)))
                .collect(),
        })
    }

    fn evaluate(m: &WindowsShareMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "shares";
        let Some(shares) = host.section(S, &m.name, &host.snapshot.sections.shares, out) else {
            return Status::NotAssessable;
        };
        let share = shares
            .iter()
            .find(|s| s.protocol == "smb" && same(&s.name, &m.name));
        let exists = existence(host, out, S, &m.name, m.exists, share.is_some());
        let Some(share) = share.filter(|_| m.exists) else {
            return exists;
        };
        let mut status = Status::Pass;
        if let Some(path) = &m.path {
            // Variables by their canonical name (`%systemdrive%` = `%SystemDrive%`); a host
            // variable is not expanded (`%SystemDrive%\Partages` is not `C:\Partages`).
            let trim = |p: &str| {
                env_path::canonical(p.trim())
                    .trim_end_matches('\\')
                    .to_owned()
            };
            let s = Status::from_bool(same(&trim(&share.path), &trim(path)));
            out.push(host.evidence(
                S,
                &m.name,
                "path",
                path.clone(),
                env_path::shown(&share.path, &env_path::canonical(&share.path)),
                s,
            ));
            status = status.and(s);
        }
        let directory_known = host.snapshot.sections.directory.data().is_some();
        for (principal, right, via) in &m.access {
            let ids = identities(host, principal);
            let (share_right, share_why) = right_from(&share.access, &ids);
            let (ntfs_right, ntfs_why) = right_from(&share.ntfs, &ids);
            let layer = |name: &str, r: Right, why: &str| format!("{name} {} [{why}]", r.word());
            let (actual, shown, unknown) = match via {
                Via::Share => (
                    share_right,
                    layer("share", share_right, &share_why),
                    share.access.is_empty(),
                ),
                Via::Ntfs => (
                    ntfs_right,
                    layer("NTFS", ntfs_right, &ntfs_why),
                    share.ntfs.is_empty(),
                ),
                Via::Effective => {
                    let eff = share_right.min(ntfs_right);
                    (
                        eff,
                        format!(
                            "{} = min({}; {})",
                            eff.word(),
                            layer("share", share_right, &share_why),
                            layer("NTFS", ntfs_right, &ntfs_why)
                        ),
                        share.access.is_empty() || share.ntfs.is_empty(),
                    )
                }
            };
            // Without the directory, a domain group on the ACL may contain the principal.
            let mut doubtful: Vec<&str> = Vec::new();
            if !directory_known {
                let hostname = host.snapshot.host.hostname.as_str();
                if *via != Via::Ntfs {
                    doubtful.extend(unresolved(&share.access, &ids, hostname));
                }
                if *via != Via::Share {
                    doubtful.extend(unresolved(&share.ntfs, &ids, hostname));
                }
            }
            // An empty ACL means the probe could not read it (Windows always has entries).
            let s = if unknown || (actual != *right && !doubtful.is_empty()) {
                Status::NotAssessable
            } else {
                Status::from_bool(actual == *right)
            };
            let shown = if s == Status::NotAssessable && !unknown {
                format!(
                    "{shown}; membership of {} unknown (no directory section on this host)",
                    doubtful.join(", ")
                )
            } else {
                shown
            };
            let what = match via {
                Via::Share => "share",
                Via::Ntfs => "NTFS",
                Via::Effective => "effective",
            };
            out.push(host.evidence(
                S,
                &format!("{}/{principal}", m.name),
                format!("access ({what})"),
                right.word(),
                if unknown {
                    format!("ACL not collected ({shown})")
                } else {
                    shown
                },
                s,
            ));
            status = status.and(s);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, windows_lab, windows_probe, without};

    /// The rights of the recorded ACLs read in French; principals and masks as is.
    #[test]
    fn access_entries_read_in_french() {
        use crate::i18n::Lang;
        let value = "read = min(share full_control [Everyone: Full]; NTFS read [deny \
                     TSSR\\GG_Compta: Write; TSSR\\U_Tous: Modify, Synchronize; NT \
                     AUTHORITY\\Authenticated Users: -536805376])";
        assert_eq!(
            Lang::Fr.shown(value),
            "lecture = min(partage contrôle total [Everyone : Contrôle total] ; NTFS lecture \
             [refus pour TSSR\\GG_Compta : Écriture ; TSSR\\U_Tous : Modification, \
             Synchroniser ; NT AUTHORITY\\Authenticated Users : -536805376])"
        );
        assert_eq!(Lang::En.shown(value), value);
        assert_eq!(Lang::Fr.shown("full_control"), "contrôle total");
    }

    /// The Compta share's ACLs come from a recorded Get-Acl and Get-SmbShareAccess; the
    /// directory (groups of jdupont) is the real Samba AD recording.
    #[test]
    fn passes_through_groups_on_the_recorded_acls() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r"windows_share: {name: compta, path: 'C:\acltest\', access: [{principal: 'TSSR\jdupont', right: modify}, {principal: DL_Partage_Compta_RW, right: modify, via: ntfs}, {principal: 'TSSR\GG_Compta', right: modify, via: share}]}",
            &windows_lab()
        ));
    }

    #[test]
    fn fails_when_a_deny_or_the_share_layer_restricts() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r"all: [{windows_share: {name: Direction, access: [{principal: 'TSSR\mmartin', right: modify}, {principal: 'TSSR\adminit', right: modify}]}}, {windows_share: {name: Compta, access: [{principal: 'TSSR\adminit', right: modify}]}}, {windows_share: {name: Commercial}}]",
            &windows_lab()
        ));
    }

    /// windows-probe.json has no directory: GG_Compta's members are unknown there.
    #[test]
    fn is_not_assessable_when_domain_groups_cannot_be_resolved() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r"windows_share: {name: Compta, access: [{principal: 'TSSR\jdupont', right: modify, via: share}, {principal: 'TSSR\GG_Compta', right: modify}]}",
            &windows_probe()
        ));
    }

    #[test]
    fn is_not_assessable_without_shares() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "windows_share: {name: Compta, access: [{principal: jdupont, right: read}]}",
            &without(windows_probe(), "shares")
        ));
    }
}
