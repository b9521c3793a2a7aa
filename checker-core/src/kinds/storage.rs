//! Check kind `storage`: LV → file system → live mount point → fstab entry as one chain, and
//! software RAID arrays (level, state, members).

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::storage_raid::{RaidExpect, RaidMatcher};
use crate::kinds::storage_size::{parse_size, parse_tolerance, show_size};
use crate::kinds::windows::listed;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::storage::{BlockDevice, FstabEntry, LogicalVolume, Mount, Storage};
use schemars::JsonSchema;
use serde::Deserialize;

/// `storage: {mount: /var/lib/bareos/storage, lv: {size: 2GiB}, label: BAREOS}` or
/// `storage: {raid: {device: md0, level: raid1, state: clean}}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StorageExpect {
    /// Mount point the file system must be mounted on (live, /proc/self/mountinfo).
    #[serde(default)]
    pub mount: Option<Sp<String>>,
    /// Whether it must be mounted now (default true; false = only the fstab entry).
    #[serde(default = "yes")]
    pub mounted: bool,
    /// Whether an /etc/fstab entry must mount that same file system there (default true),
    /// by device path, /dev/mapper name, `UUID=` or `LABEL=`, without `noauto`.
    #[serde(default = "yes")]
    pub persistent: bool,
    /// File system type (`ext4`, `xfs`).
    #[serde(default)]
    pub fstype: Option<Sp<String>>,
    /// File system label.
    #[serde(default)]
    pub label: Option<Sp<String>>,
    /// The file system is on this LVM logical volume.
    #[serde(default)]
    pub lv: Option<LvExpect>,
    /// A software RAID array.
    #[serde(default)]
    pub raid: Option<RaidExpect>,
}

/// The logical volume under the mount point.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LvExpect {
    /// LV name (any, when absent: the candidate chose it).
    #[serde(default)]
    pub name: Option<Sp<String>>,
    /// Volume group (any, when absent).
    #[serde(default)]
    pub vg: Option<Sp<String>>,
    /// Size: `2GiB`, `2G`, `2 Go`, `2048M`, or bytes; K, M, G, T are powers of 1024 as
    /// for `lvcreate -L`.
    #[serde(default)]
    pub size: Option<Sp<String>>,
    /// Accepted difference on the size: `5%` (default) or a size (`64M`).
    #[serde(default)]
    pub tolerance: Option<Sp<String>>,
}

fn yes() -> bool {
    true
}

/// Compiled `storage` expectation.
#[derive(Debug, Clone)]
pub struct StorageMatcher {
    mount: Option<String>,
    mounted: bool,
    persistent: bool,
    fstype: Option<String>,
    label: Option<String>,
    lv: Option<LvMatcher>,
    raid: Option<RaidMatcher>,
}

#[derive(Debug, Clone)]
struct LvMatcher {
    name: Option<String>,
    vg: Option<String>,
    size: Option<(u64, u64)>,
}

impl Kind for StorageExpect {
    const NAME: &'static str = "storage";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["storage"]);
    const DOC: &'static str = r#"# storage

## What it checks
One chain, as a subject says it: the file system mounted **now** on `mount`
(/proc/self/mountinfo), of type `fstype` and label `label` (blkid), lies on the LVM logical
volume `lv` (name, VG, `size` within `tolerance`, default 5 %), and an /etc/fstab entry
mounts **that same file system** on `mount` (`persistent`, default true) — whether it names
it by device path, `/dev/mapper` name, `/dev/VG/LV`, `UUID=`, `LABEL=` or
`/dev/disk/by-*`; an entry with `noauto` is not persistent. Names the candidate chose may be
left out (`lv: {size: 2GiB}`).
With `raid`, a software RAID array (/proc/mdstat): `level`, `state` (`clean`, `degraded`,
`recovering`, `resyncing`, `reshaping`, `checking`, `inactive`), `active_devices` and the
`members` that must be active in it.
A part the agent could not read (LVM tools absent, blkid refused) is not assessable, never
failed.

## Why it matters
« Le LV de 2 Gio est celui monté de façon persistante sur /var/lib/bareos/storage » is one
requirement: a mount done by hand disappears at reboot, an fstab entry with the wrong UUID
or label leaves the server in emergency mode, a 200 Mio volume does not hold the backups,
and a degraded array is one disk away from losing the data.

## Passing example
```yaml
expect:
  storage:
    mount: /var/lib/bareos/storage
    fstype: ext4
    lv: {vg: vg_data, size: 2GiB}
```
`/dev/mapper/vg_data-bareos` (2 GiB) is mounted there and fstab says
`LABEL=BAREOS /var/lib/bareos/storage ext4 defaults 0 2` with blkid giving that label to
`/dev/mapper/vg_data-bareos`.

## Failing example
The same when the volume was mounted by hand and fstab has no line for the mount point:
`fstab` fails with « aucune entrée pour /var/lib/bareos/storage » (not persistent). Or
`storage: {raid: {device: md0, state: clean}}` when /proc/mdstat shows `[2/1] [U_]`: `state`
fails with actual `degraded`.

## Critères
`tssr-2023/CP3/C1` (configurer un serveur : stockage), `tssr-2023/CP7/C2` (sauvegarde :
l'espace de stockage des sauvegardes).
"#;
    const DOC_FR: &'static str = r#"# storage

## Ce qui est vérifié
Une chaîne, telle qu'un sujet l'énonce : le système de fichiers monté **maintenant** sur
`mount` (/proc/self/mountinfo), de type `fstype` et d'étiquette `label` (blkid), repose sur le
volume logique LVM `lv` (nom, VG, taille `size` à `tolerance` près, 5 % par défaut), et une
entrée d'/etc/fstab monte **ce même système de fichiers** sur `mount` (`persistent`, vrai par
défaut) — qu'elle le désigne par chemin de périphérique, nom `/dev/mapper`, `/dev/VG/LV`,
`UUID=`, `LABEL=` ou `/dev/disk/by-*` ; une entrée avec `noauto` n'est pas persistante. Les
noms laissés au choix du candidat peuvent être omis (`lv: {size: 2GiB}`).
Avec `raid`, une grappe RAID logicielle (/proc/mdstat) : `level`, `state` (`clean`,
`degraded`, `recovering`, `resyncing`, `reshaping`, `checking`, `inactive`),
`active_devices` et les membres (`members`) qui doivent y être actifs.
Une partie que l'agent n'a pas pu lire (outils LVM absents, blkid refusé) est non évaluable,
jamais échouée.

## Pourquoi c'est important
« Le LV de 2 Gio est celui monté de façon persistante sur /var/lib/bareos/storage » est une
seule exigence : un montage fait à la main disparaît au redémarrage, une entrée fstab avec le
mauvais UUID ou la mauvaise étiquette laisse le serveur en mode de secours, un volume de
200 Mio ne contient pas les sauvegardes, et une grappe dégradée est à un disque de perdre les
données.

## Exemple conforme
```yaml
expect:
  storage:
    mount: /var/lib/bareos/storage
    fstype: ext4
    lv: {vg: vg_data, size: 2GiB}
```
`/dev/mapper/vg_data-bareos` (2 Gio) y est monté et fstab indique
`LABEL=BAREOS /var/lib/bareos/storage ext4 defaults 0 2`, blkid donnant cette étiquette à
`/dev/mapper/vg_data-bareos`.

## Exemple non conforme
La même attente quand le volume a été monté à la main et que fstab n'a pas de ligne pour le
point de montage : `fstab` échoue avec « aucune entrée pour /var/lib/bareos/storage » (non
persistant). Ou `storage: {raid: {device: md0, state: clean}}` quand /proc/mdstat montre
`[2/1] [U_]` : `state` échoue avec observé `degraded`.

## Critères
`tssr-2023/CP3/C1` (configurer un serveur : stockage), `tssr-2023/CP7/C2` (sauvegarde :
l'espace de stockage des sauvegardes).
"#;
    type Compiled = StorageMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<StorageMatcher> {
        let lv = match &self.lv {
            None => None,
            Some(lv) => {
                let size = match &lv.size {
                    None => None,
                    Some(s) => {
                        let text = cx.text(s);
                        let bytes = size_or_error(cx, s, &text)?;
                        let tolerance = match &lv.tolerance {
                            None => bytes / 20,
                            Some(t) => {
                                let text = cx.text(t);
                                match parse_tolerance(&text, bytes) {
                                    Ok(t) => t,
                                    Err(e) => {
                                        cx.error(
                                            t,
                                            (
                                                format!("tolérance « {text} » illisible : {}", e.0),
                                                format!("unreadable tolerance \"{text}\": {}", e.1),
                                            ),
                                            Some((
                                                "écrivez un pourcentage (`5%`) ou une taille (`64M`)".to_owned(),
                                                "write a percentage (`5%`) or a size (`64M`)".to_owned(),
                                            )),
                                        );
                                        return None;
                                    }
                                }
                            }
                        };
                        Some((bytes, tolerance))
                    }
                };
                Some(LvMatcher {
                    name: cx.opt_text(&lv.name),
                    vg: cx.opt_text(&lv.vg),
                    size,
                })
            }
        };
        let raid = self.raid.as_ref().map(|r| r.compile(cx));
        if self.mount.is_none() && lv.is_none() && raid.is_none() {
            cx.diags.push_both(
                0,
                0,
                (
                    "`storage` sans `mount`, `lv` ni `raid` : rien à vérifier".to_owned(),
                    "`storage` without `mount`, `lv` or `raid`: nothing to check".to_owned(),
                ),
                Some((
                    "ajoutez `mount: /chemin`, `lv: {size: 2GiB}` ou `raid: {device: md0}`"
                        .to_owned(),
                    "add `mount: /path`, `lv: {size: 2GiB}` or `raid: {device: md0}`".to_owned(),
                )),
            );
            return None;
        }
        Some(StorageMatcher {
            mount: cx.opt_text(&self.mount).map(|m| normal_mount_point(&m)),
            mounted: self.mounted,
            persistent: self.persistent,
            fstype: cx.opt_text(&self.fstype),
            label: cx.opt_text(&self.label),
            lv,
            raid,
        })
    }

    fn evaluate(m: &StorageMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "storage";
        let path = m
            .mount
            .clone()
            .or_else(|| m.raid.as_ref().and_then(|r| r.device.clone()))
            .unwrap_or_else(|| "lv".to_owned());
        let Some(storage) = host.section(S, &path, &host.snapshot.sections.storage, out) else {
            return Status::NotAssessable;
        };
        let mut status = Status::Pass;
        if m.mount.is_some() || m.lv.is_some() {
            status = status.and(chain(m, storage, host, &path, out));
        }
        if let Some(raid) = &m.raid {
            status = status.and(raid.evaluate(storage, host, out));
        }
        status
    }
}

fn size_or_error(cx: &mut Compile<'_>, at: &Sp<String>, text: &str) -> Option<u64> {
    match parse_size(text) {
        Ok(b) => Some(b),
        Err(e) => {
            cx.error(
                at,
                (
                    format!("taille « {text} » illisible : {}", e.0),
                    format!("unreadable size \"{text}\": {}", e.1),
                ),
                Some((
                    "écrivez par exemple `2GiB`, `2G`, `500M` ou un nombre d'octets".to_owned(),
                    "write for example `2GiB`, `2G`, `500M` or a number of bytes".to_owned(),
                )),
            );
            None
        }
    }
}

fn normal_mount_point(m: &str) -> String {
    let t = m.trim_end_matches('/');
    if t.is_empty() {
        "/".to_owned()
    } else {
        t.to_owned()
    }
}

/// Every path that names the same block device: `/dev/mapper/vg-lv` and `/dev/vg/lv`
/// (dashes doubled inside names), plus the LV's own paths.
fn aliases(source: &str, lv: Option<&LogicalVolume>) -> Vec<String> {
    let mut out = vec![source.to_owned()];
    if let Some(name) = source.strip_prefix("/dev/mapper/")
        && let Some((vg, lv)) = split_dm_name(name)
    {
        out.push(format!("/dev/{vg}/{lv}"));
    } else if let Some(rest) = source.strip_prefix("/dev/")
        && let Some((vg, lv)) = rest.split_once('/')
        && !lv.contains('/')
        && !["disk", "mapper"].contains(&vg)
    {
        out.push(format!(
            "/dev/mapper/{}-{}",
            vg.replace('-', "--"),
            lv.replace('-', "--")
        ));
    }
    if let Some(lv) = lv {
        out.extend(lv.path.iter().cloned());
        out.extend(lv.dm_path.iter().cloned());
        out.push(format!("/dev/{}/{}", lv.vg, lv.lv));
    }
    out.sort();
    out.dedup();
    out
}

/// `vg--a-lv--b` → (`vg-a`, `lv-b`): the first single dash separates VG and LV.
fn split_dm_name(name: &str) -> Option<(String, String)> {
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'-' {
            if bytes.get(i + 1) == Some(&b'-') {
                i += 2;
                continue;
            }
            let (vg, lv) = (&name[..i], &name[i + 1..]);
            if vg.is_empty() || lv.is_empty() {
                return None;
            }
            return Some((vg.replace("--", "-"), lv.replace("--", "-")));
        }
        i += 1;
    }
    None
}

fn lv_of<'s>(storage: &'s Storage, mount: &Mount) -> Option<&'s LogicalVolume> {
    let names = aliases(&mount.source, None);
    storage.logical_volumes.iter().find(|lv| {
        (mount.dev.is_some() && lv.dev == mount.dev)
            || lv_paths(lv).iter().any(|p| names.contains(p))
    })
}

fn lv_paths(lv: &LogicalVolume) -> Vec<String> {
    aliases(&format!("/dev/{}/{}", lv.vg, lv.lv), Some(lv))
}

fn lv_name(lv: &LogicalVolume) -> String {
    format!("{}/{} ({})", lv.vg, lv.lv, show_size(lv.size_bytes))
}

fn lv_expected(e: &LvMatcher) -> String {
    let name = match (&e.vg, &e.name) {
        (Some(vg), Some(n)) => format!("{vg}/{n}"),
        (Some(vg), None) => format!("{vg}/*"),
        (None, Some(n)) => format!("*/{n}"),
        (None, None) => "a logical volume".to_owned(),
    };
    match e.size {
        Some((size, tol)) => format!("{name} of {} ± {}", show_size(size), show_size(tol)),
        None => name,
    }
}

fn lv_matches(e: &LvMatcher, lv: &LogicalVolume) -> bool {
    e.name.as_deref().is_none_or(|n| n == lv.lv) && e.vg.as_deref().is_none_or(|v| v == lv.vg)
}

/// The mount → LV → file system → fstab chain.
fn chain(
    m: &StorageMatcher,
    storage: &Storage,
    host: &HostView<'_>,
    path: &str,
    out: &mut Vec<Evidence>,
) -> Status {
    const S: &str = "storage";
    let unknown = |part: &str| storage.not_collected.get(part);
    let mut status = Status::Pass;
    // 1. The live mount.
    let mount = m.mount.as_deref().and_then(|target| {
        storage
            .mounts
            .iter()
            .find(|mt| normal_mount_point(&mt.target) == target)
    });
    if let Some(target) = &m.mount {
        let s = if let Some(cause) = unknown("mounts") {
            out.push(host.evidence(
                S,
                path,
                "mounted",
                "mounted",
                format!("not collected: {cause}"),
                Status::NotAssessable,
            ));
            Status::NotAssessable
        } else {
            let s = Status::from_bool(mount.is_some() == m.mounted);
            out.push(host.evidence(
                S,
                path,
                "mounted",
                if m.mounted {
                    format!("mounted on {target}")
                } else {
                    format!("not mounted on {target}")
                },
                match mount {
                    Some(mt) => format!("{} ({}, {})", mt.source, mt.fstype, mt.options),
                    None => "not mounted".to_owned(),
                },
                s,
            ));
            s
        };
        status = status.and(s);
    }
    // 2. The logical volume: the one under the mount, else (not mounted) by name.
    let lv = match mount {
        Some(mt) => lv_of(storage, mt),
        None => m.lv.as_ref().and_then(|e| {
            let found: Vec<&LogicalVolume> = storage
                .logical_volumes
                .iter()
                .filter(|lv| lv_matches(e, lv))
                .collect();
            (e.name.is_some() && found.len() == 1).then(|| found[0])
        }),
    };
    if let Some(e) = &m.lv {
        let s = if let Some(cause) = unknown("logical_volumes") {
            out.push(host.evidence(
                S,
                path,
                "lv",
                lv_expected(e),
                format!("not collected: {cause}"),
                Status::NotAssessable,
            ));
            Status::NotAssessable
        } else {
            let (s, actual) = match (lv, mount) {
                (Some(lv), _) => {
                    let size_ok = e
                        .size
                        .is_none_or(|(size, tol)| lv.size_bytes.abs_diff(size) <= tol);
                    (Status::from_bool(lv_matches(e, lv) && size_ok), lv_name(lv))
                }
                (None, Some(mt)) => (
                    Status::Fail,
                    format!("{} is not a logical volume", mt.source),
                ),
                (None, None) => {
                    let all: Vec<String> = storage.logical_volumes.iter().map(lv_name).collect();
                    (
                        Status::Fail,
                        format!("not found (volumes: {})", listed(&all)),
                    )
                }
            };
            out.push(host.evidence(S, path, "lv", lv_expected(e), actual, s));
            s
        };
        status = status.and(s);
    }
    // The names of the device: the mount's source, else the LV's paths.
    let (primary, names): (Option<String>, Vec<String>) = match (mount, lv) {
        (Some(mt), lv) => (Some(mt.source.clone()), aliases(&mt.source, lv)),
        (None, Some(lv)) => (
            Some(
                lv.dm_path
                    .clone()
                    .unwrap_or_else(|| format!("/dev/{}/{}", lv.vg, lv.lv)),
            ),
            lv_paths(lv),
        ),
        (None, None) => (None, Vec::new()),
    };
    let block: Option<&BlockDevice> = storage
        .block_devices
        .iter()
        .find(|b| names.contains(&b.device));
    // 3. The file system: type (mount, else blkid) and label (blkid).
    if let Some(expected) = &m.fstype {
        let actual = mount
            .map(|mt| mt.fstype.clone())
            .or_else(|| block.and_then(|b| b.fstype.clone()));
        let s = match &actual {
            Some(a) => Status::from_bool(a == expected),
            None if names.is_empty() => Status::Fail,
            None => Status::NotAssessable,
        };
        out.push(host.evidence(
            S,
            path,
            "fstype",
            expected.clone(),
            actual.unwrap_or_else(|| "(unknown)".to_owned()),
            s,
        ));
        status = status.and(s);
    }
    if let Some(expected) = &m.label {
        let s = if let Some(cause) = unknown("block_devices") {
            out.push(host.evidence(
                S,
                path,
                "label",
                expected.clone(),
                format!("not collected: {cause}"),
                Status::NotAssessable,
            ));
            Status::NotAssessable
        } else {
            let actual = block.and_then(|b| b.label.clone());
            let s = Status::from_bool(actual.as_deref() == Some(expected));
            out.push(host.evidence(
                S,
                path,
                "label",
                expected.clone(),
                actual.unwrap_or_else(|| "(none)".to_owned()),
                s,
            ));
            s
        };
        status = status.and(s);
    }
    // 4. Persistence: an fstab entry for the mount point that designates this device.
    if m.persistent
        && let Some(target) = &m.mount
    {
        let s = if let Some(cause) = unknown("fstab") {
            out.push(host.evidence(
                S,
                path,
                "fstab",
                format!("an entry for {target}"),
                format!("not collected: {cause}"),
                Status::NotAssessable,
            ));
            Status::NotAssessable
        } else {
            persistent(storage, target, primary.as_deref(), &names, host, path, out)
        };
        status = status.and(s);
    }
    status
}

/// What device an fstab source designates: `Some(true)` this one, `Some(false)` another,
/// `None` unknown (UUID or label without blkid).
fn designates(entry: &FstabEntry, names: &[String], storage: &Storage) -> Option<bool> {
    let src = entry.source.trim();
    let by = |value: &str, uuid: bool| -> Option<bool> {
        if storage.not_collected.contains_key("block_devices") {
            return None;
        }
        let wanted = value.trim_matches('"');
        Some(storage.block_devices.iter().any(|b| {
            names.contains(&b.device)
                && if uuid {
                    b.uuid
                        .as_deref()
                        .is_some_and(|u| u.eq_ignore_ascii_case(wanted))
                } else {
                    b.label.as_deref() == Some(wanted)
                }
        }))
    };
    if let Some(u) = src
        .strip_prefix("UUID=")
        .or_else(|| src.strip_prefix("/dev/disk/by-uuid/"))
    {
        return by(u, true);
    }
    if let Some(l) = src
        .strip_prefix("LABEL=")
        .or_else(|| src.strip_prefix("/dev/disk/by-label/"))
    {
        return by(l, false);
    }
    Some(aliases(src, None).iter().any(|a| names.contains(a)))
}

/// The device an fstab `UUID=`/`LABEL=` source designates, when blkid lists it.
fn designated(entry: &FstabEntry, storage: &Storage) -> Option<String> {
    let src = entry.source.trim();
    let (value, uuid) = if let Some(u) = src
        .strip_prefix("UUID=")
        .or_else(|| src.strip_prefix("/dev/disk/by-uuid/"))
    {
        (u, true)
    } else if let Some(l) = src
        .strip_prefix("LABEL=")
        .or_else(|| src.strip_prefix("/dev/disk/by-label/"))
    {
        (l, false)
    } else {
        return Some(src.to_owned());
    };
    let value = value.trim_matches('"');
    storage
        .block_devices
        .iter()
        .find(|b| {
            if uuid {
                b.uuid
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(value))
            } else {
                b.label.as_deref() == Some(value)
            }
        })
        .map(|b| b.device.clone())
}

fn persistent(
    storage: &Storage,
    target: &str,
    primary: Option<&str>,
    names: &[String],
    host: &HostView<'_>,
    path: &str,
    out: &mut Vec<Evidence>,
) -> Status {
    const S: &str = "storage";
    let expected = format!(
        "an fstab entry for {target} naming {}",
        primary.unwrap_or("this file system")
    );
    let entries: Vec<&FstabEntry> = storage
        .fstab
        .iter()
        .filter(|e| normal_mount_point(&e.target) == target)
        .collect();
    let Some(entry) = entries.last() else {
        out.push(host.evidence(
            S,
            path,
            "fstab",
            expected,
            format!("no entry for {target}"),
            Status::Fail,
        ));
        return Status::Fail;
    };
    let line = format!(
        "{} {} {} {}",
        entry.source, entry.target, entry.fstype, entry.options
    );
    if entry.options.split(',').any(|o| o == "noauto") {
        out.push(host.evidence(
            S,
            path,
            "fstab",
            expected,
            format!("{line} (noauto: not mounted at boot)"),
            Status::Fail,
        ));
        return Status::Fail;
    }
    let (s, actual) = match designates(entry, names, storage) {
        _ if names.is_empty() => (
            Status::Fail,
            format!("{line} (no file system to compare with)"),
        ),
        Some(true) => (Status::Pass, line),
        Some(false) => (
            Status::Fail,
            match designated(entry, storage) {
                Some(other) => format!("{line} (names {other})"),
                None => format!("{line} (names another device, absent from blkid)"),
            },
        ),
        None => (
            Status::NotAssessable,
            format!("{line} (UUID/LABEL not verifiable: blkid not collected)"),
        ),
    };
    out.push(host.evidence(S, path, "fstab", expected, actual, s));
    s
}

#[cfg(test)]
mod tests {
    use super::split_dm_name;
    use crate::kinds::testing::{kind_case, storage_lab};

    #[test]
    fn dm_names_split_on_the_single_dash() {
        assert_eq!(
            split_dm_name("vg--a-lv--b"),
            Some(("vg-a".into(), "lv-b".into()))
        );
        assert_eq!(
            split_dm_name("vgdata-lvdata"),
            Some(("vgdata".into(), "lvdata".into()))
        );
        assert_eq!(split_dm_name("nodash"), None);
    }

    #[test]
    fn passes_on_the_lv_mounted_persistently_by_label() {
        insta::assert_snapshot!(kind_case(
            "storage: {mount: /var/lib/bareos/storage, fstype: ext4, label: BAREOS, lv: {vg: vg_data, size: 2GiB}}",
            &storage_lab()
        ));
    }

    #[test]
    fn fails_a_manual_mount_without_fstab_entry_and_a_wrong_size() {
        insta::assert_snapshot!(kind_case(
            "storage: {mount: /srv/manuel, lv: {size: 2G, tolerance: 1%}}",
            &storage_lab()
        ));
    }

    #[test]
    fn fails_an_fstab_uuid_of_another_file_system() {
        insta::assert_snapshot!(kind_case("storage: {mount: /srv/archives}", &storage_lab()));
    }

    #[test]
    fn passes_an_fstab_entry_by_mapper_path_when_not_mounted_yet() {
        insta::assert_snapshot!(kind_case(
            "storage: {mount: /srv/data, mounted: false, lv: {name: data, vg: vgaaa}}",
            &storage_lab()
        ));
    }

    #[test]
    fn raid_states_and_members() {
        insta::assert_snapshot!(kind_case(
            "all: [{storage: {raid: {device: md0, level: 1, state: clean, members: [sdi1, sdj1]}}}, {storage: {raid: {device: /dev/md6, state: clean, active_devices: 2, members: [sdb2]}}}]",
            &storage_lab()
        ));
    }

    #[test]
    fn is_not_assessable_when_lvm_was_not_collected() {
        let mut snap = storage_lab();
        if let constat_snapshot::Section::Collected { data } = &mut snap.sections.storage {
            data.not_collected
                .insert("logical_volumes".into(), "lvs: not installed".into());
            data.logical_volumes.clear();
        }
        insta::assert_snapshot!(kind_case(
            "storage: {mount: /var/lib/bareos/storage, lv: {size: 2GiB}}",
            &snap
        ));
    }
}
