//! Check kind `file_access`: whether an account can read, write or execute a path, decided
//! as the Linux kernel would (owner, named-user ACL entries, the group class through the
//! account's groups, others; every directory above must let it search), with the entry that
//! decided in the evidence.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::file::requested_file;
use crate::kinds::kind::Kind;
use crate::kinds::posix_access::{Account, Decision, Permissions, Right, ancestors};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::users::User;
use schemars::JsonSchema;
use serde::Deserialize;

/// At most this many accounts are judged by one `other_than` (a hostile host cannot make
/// grading slow): past it the expectation is not assessable.
const MAX_ACCOUNTS: usize = 5000;
/// Accounts named in one failed `other_than` line.
const NAMES_SHOWN: usize = 5;

/// `file_access: {path: /srv/compta, user: alice, can: rw, cannot: x}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileAccessExpect {
    /// Absolute path (it and the directories above it are requested from the collector).
    pub path: Sp<String>,
    /// The account judged (login name).
    #[serde(default)]
    pub user: Option<Sp<String>>,
    /// Every account of the host except these and root (`["${member}"]`: everybody else).
    #[serde(default)]
    pub other_than: Option<Vec<Sp<String>>>,
    /// Rights the account(s) must have: letters among `r`, `w`, `x`.
    #[serde(default)]
    pub can: Option<Sp<String>>,
    /// Rights the account(s) must not have: letters among `r`, `w`, `x`.
    #[serde(default)]
    pub cannot: Option<Sp<String>>,
}

/// Who is judged.
#[derive(Debug, Clone)]
enum Who {
    User(String),
    OtherThan(Vec<String>),
}

/// Compiled `file_access` expectation.
#[derive(Debug, Clone)]
pub struct FileAccessMatcher {
    path: String,
    who: Who,
    /// Each right asked about, and whether it must be granted.
    rights: Vec<(Right, bool)>,
}

fn parse_rights(cx: &mut Compile<'_>, at: &Option<Sp<String>>, field: &str) -> Vec<Right> {
    let Some(at) = at else { return Vec::new() };
    let text = cx.text(at);
    let mut out = Vec::new();
    for c in text.chars() {
        match Right::from_letter(c) {
            Some(r) if !out.contains(&r) => out.push(r),
            Some(_) => {}
            None => {
                cx.error(
                    at,
                    (
                        format!("{field} : lettre « {c} » inconnue dans « {text} »"),
                        format!("{field}: unknown letter \"{c}\" in \"{text}\""),
                    ),
                    Some((
                        "écrivez les droits avec les lettres r, w et x (par ex. \"rw\")".to_owned(),
                        "write the rights with the letters r, w and x (e.g. \"rw\")".to_owned(),
                    )),
                );
                return Vec::new();
            }
        }
    }
    out
}

impl Kind for FileAccessExpect {
    const NAME: &'static str = "file_access";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["files", "users"]);
    const DOC: &'static str = r#"# file_access

## What it checks
Whether an account can read (`r`), write (`w`) or execute (`x`; search, for a directory) a
path, as the Linux kernel decides it: the owner's bits alone for the owner; else a named-user
ACL entry (`user:alice:rwx`) masked by `mask::`; else the group class — the owning group
(`group::`) and every named group entry (`group:compta:r-x`) of a group the account belongs
to (primary or supplementary, from the `users` section), granted when one of them grants the
right and the mask does, denied when the account is in one of them but none does; else
`other::`. Every directory above the path must let the account search it (`x`). Root reads,
writes and searches everything and executes a file with at least one execute bit.
`user: NAME` judges one account; `other_than: [NAMES]` judges every account of the host except
those and root. `can` lists the rights that must be granted, `cannot` those that must not.
Each line of evidence names the entry that decided (« granted by group:compta:rw- &
mask::r-x »).

## Why it matters
« Only the accounting group may write, the direction may read, nobody else may enter » is
what a subject asks, and `mode` or an ACL entry compared as text cannot say it: a named entry
cut by the mask, a user in a group whose entry denies (others are then never consulted) or a
parent directory closed to them decide what the kernel really allows.

## Passing example
```yaml
expect:
  all:
    - file_access: {path: /srv/compta, user: alice, can: rwx}
    - file_access: {path: /srv/compta, user: dora, can: rx, cannot: w}
    - file_access: {path: /srv/compta, other_than: [alice, bob, dora], cannot: rwx}
```
with `/srv/compta` owned by `root:compta`, mode `0770` and the ACL `group:direction:r-x`
(alice and bob in `compta`, dora in `direction`).

Per member of a selection (a subject-style « every member of GG_Compta has a private home »;
the agent reports the home of every account, see `select`):
```yaml
expect:
  select:
    user: {member_of: compta, system: false}
    all:
      all:
        - file: {path: "${member.home}", kind: directory, owner: "${member}"}
        - file_access: {path: "${member.home}", user: "${member}", can: rwx}
        - file_access: {path: "${member.home}", other_than: ["${member}"], cannot: rwx}
```
Each member gets its own verdict and partial credit; a member whose home others can enter
fails with the accounts that can and the entry that lets them (« granted to bob (other::r-x) »).

## Failing example
`setfacl -m u:dora:rwx /srv/compta` with a `mask::r-x`: dora's write is denied by
`user:dora:rwx & mask::r-x` — a pack asking `can: w` fails and says so. A home in mode `0755`
fails `other_than: ["${member}"], cannot: rwx` with every other account named. An ACL that
was not read (offline root, `getfacl` missing), a symbolic link, or an account whose groups
are unknown make the line not assessable, never failed.

## Critères
`tssr-2023/CP3/C1` (Linux rights and accounts), `tssr-2023/CP2/C3` (shared folders and their
rights).
"#;
    const DOC_FR: &'static str = r#"# file_access

## Ce qui est vérifié
Si un compte peut lire (`r`), écrire (`w`) ou exécuter (`x` ; traverser, pour un dossier) un
chemin, comme le noyau Linux en décide : les droits du propriétaire seuls pour le
propriétaire ; sinon une entrée d'ACL nommée (`user:alice:rwx`) limitée par `mask::` ; sinon
la classe groupe — le groupe propriétaire (`group::`) et chaque entrée de groupe nommée
(`group:compta:r-x`) d'un groupe du compte (principal ou secondaire, d'après la section
`users`) : accordé quand l'une d'elles accorde le droit et que le masque le laisse passer,
refusé quand le compte est dans l'une d'elles sans qu'aucune ne l'accorde ; sinon `other::`.
Chaque dossier au-dessus du chemin doit laisser le compte le traverser (`x`). Root lit, écrit
et traverse tout, et exécute un fichier qui a au moins un bit d'exécution.
`user: NOM` juge un compte ; `other_than: [NOMS]` juge chaque compte de l'hôte sauf ceux-là et
root. `can` liste les droits qui doivent être accordés, `cannot` ceux qui ne doivent pas
l'être. Chaque ligne de preuve nomme l'entrée qui a décidé (« accordé par group:compta:rw- &
mask::r-x »).

## Pourquoi c'est important
« Seul le groupe comptabilité peut écrire, la direction peut lire, personne d'autre ne peut
entrer » est ce que demande un sujet, et ni `mode` ni une entrée d'ACL comparée comme du texte
ne peuvent le dire : une entrée nommée coupée par le masque, un compte dans un groupe dont
l'entrée refuse (les autres ne sont alors jamais consultés) ou un dossier parent fermé décident
de ce que le noyau permet vraiment.

## Exemple conforme
```yaml
expect:
  all:
    - file_access: {path: /srv/compta, user: alice, can: rwx}
    - file_access: {path: /srv/compta, user: dora, can: rx, cannot: w}
    - file_access: {path: /srv/compta, other_than: [alice, bob, dora], cannot: rwx}
```
avec `/srv/compta` à `root:compta`, en mode `0770`, et l'ACL `group:direction:r-x` (alice et bob
dans `compta`, dora dans `direction`).

Pour chaque membre d'une sélection (un sujet du type « chaque membre de GG_Compta a un dossier
personnel privé » ; l'agent rapporte le dossier personnel de chaque compte, voir `select`) :
```yaml
expect:
  select:
    user: {member_of: compta, system: false}
    all:
      all:
        - file: {path: "${member.home}", kind: directory, owner: "${member}"}
        - file_access: {path: "${member.home}", user: "${member}", can: rwx}
        - file_access: {path: "${member.home}", other_than: ["${member}"], cannot: rwx}
```
Chaque membre reçoit son verdict et des points partiels ; un membre dont d'autres peuvent
ouvrir le dossier personnel échoue, avec les comptes qui le peuvent et l'entrée qui le leur
permet (« accordé à bob (other::r-x) »).

## Exemple non conforme
`setfacl -m u:dora:rwx /srv/compta` avec un `mask::r-x` : l'écriture de dora est refusée par
`user:dora:rwx & mask::r-x` — un pack qui demande `can: w` échoue et le dit. Un dossier
personnel en mode `0755` échoue à `other_than: ["${member}"], cannot: rwx` en nommant chaque
autre compte. Une ACL non lue (racine hors ligne, `getfacl` absent), un lien symbolique ou un
compte dont les groupes sont inconnus rendent la ligne non évaluable, jamais en échec.

## Critères
`tssr-2023/CP3/C1` (droits et comptes Linux), `tssr-2023/CP2/C3` (dossiers partagés et leurs
droits).
"#;
    type Compiled = FileAccessMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<FileAccessMatcher> {
        let path = cx.text(&self.path);
        if !path.starts_with('/') {
            cx.error(
                &self.path,
                (
                    format!("chemin non absolu « {path} »"),
                    format!("path not absolute \"{path}\""),
                ),
                Some((
                    "donnez un chemin absolu (/srv/..., \"${member.home}\")".to_owned(),
                    "give an absolute path (/srv/..., \"${member.home}\")".to_owned(),
                )),
            );
        }
        let who = match (&self.user, &self.other_than) {
            (Some(user), None) => Who::User(cx.text(user)),
            (None, Some(list)) => Who::OtherThan(cx.texts(list)),
            (Some(user), Some(_)) => {
                cx.error(
                    user,
                    (
                        "file_access : `user` et `other_than` ensemble".to_owned(),
                        "file_access: `user` and `other_than` together".to_owned(),
                    ),
                    Some((
                        "un contrôle juge un compte (`user`) ou tous les autres (`other_than`) : écrivez deux contrôles".to_owned(),
                        "a check judges one account (`user`) or all the others (`other_than`): write two checks".to_owned(),
                    )),
                );
                return None;
            }
            (None, None) => {
                cx.error(
                    &self.path,
                    (
                        "file_access : ni `user` ni `other_than`".to_owned(),
                        "file_access: neither `user` nor `other_than`".to_owned(),
                    ),
                    Some((
                        "nommez le compte jugé (`user: alice`) ou ceux qui sont exclus (`other_than: [alice]`)".to_owned(),
                        "name the account judged (`user: alice`) or those excluded (`other_than: [alice]`)".to_owned(),
                    )),
                );
                return None;
            }
        };
        let can = parse_rights(cx, &self.can, "can");
        let cannot = parse_rights(cx, &self.cannot, "cannot");
        if can.is_empty() && cannot.is_empty() {
            cx.error(
                &self.path,
                (
                    "file_access : aucun droit demandé".to_owned(),
                    "file_access: no right asked".to_owned(),
                ),
                Some((
                    "ajoutez `can: rw` (droits accordés) et/ou `cannot: x` (droits refusés)"
                        .to_owned(),
                    "add `can: rw` (rights granted) and/or `cannot: x` (rights denied)".to_owned(),
                )),
            );
            return None;
        }
        if let (Some(r), Some(at)) = (can.iter().find(|r| cannot.contains(r)), &self.cannot) {
            cx.error(
                at,
                (
                    format!(
                        "file_access : « {} » à la fois dans can et cannot",
                        r.letter()
                    ),
                    format!("file_access: \"{}\" in both can and cannot", r.letter()),
                ),
                Some((
                    "un droit est soit accordé, soit refusé".to_owned(),
                    "a right is either granted or denied".to_owned(),
                )),
            );
            return None;
        }
        let mut rights: Vec<(Right, bool)> = can.into_iter().map(|r| (r, true)).collect();
        rights.extend(cannot.into_iter().map(|r| (r, false)));
        rights.sort();
        Some(FileAccessMatcher { path, who, rights })
    }

    fn evaluate(m: &FileAccessMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        let chain = match permission_chain(host, &m.path, out) {
            Ok(chain) => chain,
            Err(status) => return status,
        };
        let Some(users) = host.section("users", &m.path, &host.snapshot.sections.users, out) else {
            return Status::NotAssessable;
        };
        match &m.who {
            Who::User(name) => one_account(m, host, out, &chain, users, name),
            Who::OtherThan(except) => other_accounts(m, host, out, &chain, users, except),
        }
    }

    fn requested_files(m: &FileAccessMatcher, out: &mut Vec<String>) {
        out.extend(ancestors(&m.path));
        out.push(m.path.clone());
    }
}

/// The permissions of every directory above the path, then of the path itself; else the
/// status with the evidence saying why: `Fail` when one of them does not exist,
/// `NotAssessable` when one was not reported or cannot be judged.
fn permission_chain<'a>(
    host: &HostView<'a>,
    path: &str,
    out: &mut Vec<Evidence>,
) -> Result<Vec<Permissions<'a>>, Status> {
    let mut chain = Vec::new();
    let mut all = ancestors(path);
    all.push(path.to_owned());
    let last = all.len() - 1;
    for (i, p) in all.iter().enumerate() {
        let file = requested_file(host, p, out).ok_or(Status::NotAssessable)?;
        if !file.exists {
            out.push(host.evidence(
                "files",
                path,
                "exists",
                "present",
                if i == last {
                    "absent".to_owned()
                } else {
                    format!("absent: {p}")
                },
                Status::Fail,
            ));
            // A missing path is a failed expectation whatever the rights asked.
            return Err(Status::Fail);
        }
        match Permissions::of(file) {
            Ok(perms) => chain.push(perms),
            Err(why) => {
                out.push(host.evidence(
                    "files",
                    path,
                    "permissions",
                    "readable",
                    why,
                    Status::NotAssessable,
                ));
                return Err(Status::NotAssessable);
            }
        }
    }
    Ok(chain)
}

/// The decision for one account and one right: searching every directory above, then the
/// right on the path itself.
fn decide(
    chain: &[Permissions<'_>],
    account: &Account<'_>,
    right: Right,
) -> Result<Decision, String> {
    let (path, parents) = chain.split_last().ok_or("no path")?;
    for dir in parents {
        let d = dir.decide_for(account, Right::Execute)?;
        if !d.granted {
            return Ok(Decision {
                granted: false,
                by: format!("{} on {}", d.by, dir.path()),
            });
        }
    }
    path.decide_for(account, right)
}

fn account_of(user: &User) -> Account<'_> {
    Account {
        name: &user.name,
        uid: user.uid,
        gid: user.gid,
        groups: &user.groups,
    }
}

fn expected_word(granted: bool) -> &'static str {
    if granted { "granted" } else { "denied" }
}

fn one_account(
    m: &FileAccessMatcher,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    chain: &[Permissions<'_>],
    users: &[User],
    name: &str,
) -> Status {
    let Some(user) = users.iter().find(|u| u.name == name) else {
        out.push(host.evidence("users", name, "exists", "present", "absent", Status::Fail));
        return Status::Fail;
    };
    let account = account_of(user);
    let mut status = Status::Pass;
    for (right, wanted) in &m.rights {
        let property = format!("{} ({name})", right.word());
        let (s, actual) = match decide(chain, &account, *right) {
            Ok(d) => (
                Status::from_bool(d.granted == *wanted),
                format!("{} by {}", expected_word(d.granted), d.by),
            ),
            Err(why) => (Status::NotAssessable, why),
        };
        out.push(host.evidence(
            "files",
            &m.path,
            property,
            expected_word(*wanted),
            actual,
            s,
        ));
        status = status.and(s);
    }
    status
}

fn other_accounts(
    m: &FileAccessMatcher,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    chain: &[Permissions<'_>],
    users: &[User],
    except: &[String],
) -> Status {
    let judged: Vec<&User> = users
        .iter()
        .filter(|u| !except.contains(&u.name) && u.uid != Some(0) && u.name != "root")
        .collect();
    if judged.len() > MAX_ACCOUNTS {
        out.push(host.evidence(
            "users",
            &m.path,
            "accounts",
            format!("at most {MAX_ACCOUNTS}"),
            judged.len().to_string(),
            Status::NotAssessable,
        ));
        return Status::NotAssessable;
    }
    let mut status = Status::Pass;
    for (right, wanted) in &m.rights {
        let mut wrong: Vec<String> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        for user in &judged {
            match decide(chain, &account_of(user), *right) {
                Ok(d) if d.granted != *wanted => wrong.push(format!("{} ({})", user.name, d.by)),
                Ok(_) => {}
                Err(why) => unknown.push(format!("{}: {why}", user.name)),
            }
        }
        let (s, actual) = if !wrong.is_empty() {
            let mut shown: Vec<String> = wrong.iter().take(NAMES_SHOWN).cloned().collect();
            if wrong.len() > NAMES_SHOWN {
                shown.push(format!("+{}", wrong.len() - NAMES_SHOWN));
            }
            (
                Status::Fail,
                format!("{} to {}", expected_word(!*wanted), shown.join(", ")),
            )
        } else if let Some(first) = unknown.first() {
            (Status::NotAssessable, first.clone())
        } else {
            (
                Status::Pass,
                format!(
                    "{} to all {} other accounts",
                    expected_word(*wanted),
                    judged.len()
                ),
            )
        };
        out.push(host.evidence(
            "files",
            &m.path,
            format!("{} (other accounts)", right.word()),
            expected_word(*wanted),
            actual,
            s,
        ));
        status = status.and(s);
    }
    status
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case};
    use constat_snapshot::users::User;
    use constat_snapshot::{FileInfo, FileKind, Snapshot};

    fn dir(path: &str, mode: &str, owner: &str, group: &str, acl: &[&str]) -> FileInfo {
        FileInfo {
            path: path.to_owned(),
            exists: true,
            kind: Some(FileKind::Directory),
            mode: Some(mode.to_owned()),
            owner: Some(owner.to_owned()),
            group: Some(group.to_owned()),
            acl: acl.iter().map(|s| (*s).to_owned()).collect(),
            ..FileInfo::default()
        }
    }

    fn user(name: &str, uid: u32, groups: &[&str]) -> User {
        User {
            name: name.to_owned(),
            uid: Some(uid),
            gid: Some(uid),
            groups: groups.iter().map(|s| (*s).to_owned()).collect(),
            ..User::default()
        }
    }

    /// The recorded machine with a written scenario: /srv/compta (root:compta 0770, named
    /// entries under a mask), /srv/compta/budget.ods, and a closed /srv/prive.
    fn scenario() -> Snapshot {
        let mut snap = fixture();
        let files = vec![
            dir("/", "0755", "root", "root", &[]),
            dir("/srv", "0755", "root", "root", &[]),
            dir(
                "/srv/compta",
                "0770",
                "root",
                "compta",
                &[
                    "user:dora:rwx",
                    "group::rwx",
                    "group:direction:r-x",
                    "mask::r-x",
                    "default:group:direction:r-x",
                ],
            ),
            FileInfo {
                kind: Some(FileKind::File),
                ..dir("/srv/compta/budget.ods", "0664", "alice", "compta", &[])
            },
            dir("/srv/prive", "0700", "root", "root", &[]),
            FileInfo {
                path: "/srv/compta/absent".to_owned(),
                ..FileInfo::default()
            },
            FileInfo {
                kind: Some(FileKind::File),
                ..dir("/srv/prive/notes.txt", "0644", "root", "root", &[])
            },
        ];
        snap.sections.files = constat_snapshot::Section::collected(files);
        snap.sections.users = constat_snapshot::Section::collected(vec![
            user("root", 0, &["root"]),
            user("alice", 1001, &["alice", "compta"]),
            user("bob", 1002, &["bob", "compta"]),
            user("dora", 1003, &["dora"]),
            user("eve", 1004, &["direction", "eve"]),
            user("zoe", 1005, &["zoe"]),
        ]);
        snap
    }

    #[test]
    fn decides_through_the_mask_the_groups_and_the_parents() {
        insta::assert_snapshot!(kind_case(
            "all: [{file_access: {path: /srv/compta, user: alice, can: rwx}}, {file_access: {path: /srv/compta, user: dora, can: rwx}}, {file_access: {path: /srv/compta, user: eve, can: rx, cannot: w}}, {file_access: {path: /srv/compta/budget.ods, user: zoe, cannot: r}}, {file_access: {path: /srv/prive/notes.txt, user: zoe, can: r}}, {file_access: {path: /srv/compta, other_than: [alice, bob, dora, eve], cannot: rwx}}, {file_access: {path: /srv/compta/budget.ods, other_than: [alice], cannot: w}}]",
            &scenario()
        ));
    }

    /// The subject-style example of the documentation: every member of compta has a home of
    /// its own that nobody else can enter; alice's (0700) passes, bob's (0755) fails naming
    /// who can enter it, with partial credit per member.
    #[test]
    fn member_homes_are_judged_per_member() {
        let mut snap = scenario();
        if let constat_snapshot::Section::Collected { data } = &mut snap.sections.files {
            data.extend([
                dir("/home", "0755", "root", "root", &[]),
                dir("/home/alice", "0700", "alice", "alice", &[]),
                dir("/home/bob", "0755", "bob", "bob", &[]),
            ]);
        }
        for (name, uid, home) in [("alice", 1001, "/home/alice"), ("bob", 1002, "/home/bob")] {
            if let constat_snapshot::Section::Collected { data } = &mut snap.sections.users
                && let Some(u) = data.iter_mut().find(|u| u.name == name)
            {
                u.home = Some(home.to_owned());
                u.uid = Some(uid);
            }
        }
        snap.sections.groups =
            constat_snapshot::Section::collected(vec![constat_snapshot::users::Group {
                name: "compta".to_owned(),
                gid: Some(2000),
                members: vec!["alice".to_owned(), "bob".to_owned()],
                ..constat_snapshot::users::Group::default()
            }]);
        insta::assert_snapshot!(kind_case(
            r#"select: {user: {member_of: compta}, all: {all: [{file: {path: "${member.home}", kind: directory, owner: "${member}"}}, {file_access: {path: "${member.home}", other_than: ["${member}"], cannot: rwx}}]}}"#,
            &snap
        ));
    }

    #[test]
    fn missing_parts_are_not_assessable_or_absent() {
        let a = kind_case(
            "file_access: {path: /srv/compta/absent, user: alice, can: r}",
            &scenario(),
        );
        let b = kind_case(
            "file_access: {path: /srv/compta, user: nobody-here, can: r}",
            &scenario(),
        );
        let c = kind_case(
            "file_access: {path: /etc/hostname, user: root, can: r}",
            &scenario(),
        );
        insta::assert_snapshot!(format!("{a}{b}{c}"));
    }
}
