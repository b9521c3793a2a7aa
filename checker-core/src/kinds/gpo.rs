//! Check kind `gpo`: a GPO exists, is linked where expected, and sets the expected settings.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::directory::names_container;
use crate::kinds::drive_look_alike::drive_look_alikes;
use crate::kinds::env_path;
use crate::kinds::gpo_filtering::{
    AppliesToExpect, AppliesToMatcher, WmiFilterExpect, WmiFilterMatcher, check_applies_to,
    check_wmi_filter, linked_elsewhere,
};
use crate::kinds::gpo_software::{SoftwareExpect, SoftwareMatcher, check_software};
use crate::kinds::kind::{Kind, property};
use crate::kinds::policy_sources::unread_files;
use crate::kinds::registry_data::{
    DataMatcher, HostNames, Observed, json_text, same_path, show_observed,
};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::ad::{Directory, GpLink, GpoContainer};
use constat_snapshot::gpo::{
    GpoSettings, PolicyScope, Preference, RegistryAction, SecurityTemplate,
};
use schemars::JsonSchema;
use serde::Deserialize;
use std::fmt::Write;

/// `gpo: {name: GPO_Lecteurs, linked_to: [{ou: Comptabilite}], drives: [{letter: S}]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GpoExpect {
    /// Display name (case-insensitive).
    pub name: Sp<String>,
    /// Whether the GPO must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// Where it must be linked.
    #[serde(default)]
    pub linked_to: Vec<LinkExpect>,
    /// Computer configuration enabled (not disabled in the GPO status).
    #[serde(default)]
    pub computer_enabled: Option<bool>,
    /// User configuration enabled.
    #[serde(default)]
    pub user_enabled: Option<bool>,
    /// Registry policies (Administrative Templates) it must set.
    #[serde(default)]
    pub registry: Vec<RegistryExpect>,
    /// Security settings (GptTmpl.inf) it must set.
    #[serde(default)]
    pub security: Vec<SecurityExpect>,
    /// Drive mappings (Group Policy Preferences) it must contain.
    #[serde(default)]
    pub drives: Vec<DriveExpect>,
    /// Security filtering: who the GPO applies to (`includes`, `excludes`, `exactly`).
    #[serde(default)]
    pub applies_to: Option<AppliesToExpect>,
    /// The WMI filter linked to it.
    #[serde(default)]
    pub wmi_filter: Option<WmiFilterExpect>,
    /// Software installation packages it must deploy.
    #[serde(default)]
    pub software: Vec<SoftwareExpect>,
}

/// One expected link.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkExpect {
    /// The OU or domain: a DN (`OU=Comptabilite,DC=tssr,DC=lan`, `DC=tssr,DC=lan`) or an OU
    /// name path (`Comptabilite/Postes`), case-insensitive.
    pub ou: Sp<String>,
    /// Link enabled (default: must be).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Link enforced ("No Override").
    #[serde(default)]
    pub enforced: Option<bool>,
    /// Link order as GPMC shows it (1 = highest precedence).
    #[serde(default)]
    pub order: Option<u32>,
}

/// One expected registry policy.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistryExpect {
    /// `machine` or `user`; either when absent.
    #[serde(default)]
    pub scope: Option<PolicyScope>,
    /// Key under the hive (`Software\Policies\Microsoft\Windows\WindowsUpdate`), case-insensitive.
    pub key: Sp<String>,
    /// Value name (`WUServer`), case-insensitive.
    pub value: Sp<String>,
    /// Data (`http://srv-wsus:8530`, `1`); any data when absent. Compared as text,
    /// case-insensitive (a number also equals the same number written in hexadecimal).
    #[serde(default)]
    pub data: Option<serde_json::Value>,
    /// The data equals this number (DWORD/QWORD, compared as a number) or text (ignoring case).
    #[serde(default)]
    pub equals: Option<serde_json::Value>,
    /// Every bit of this mask is set in the DWORD (`NoDrives` hiding C: = `bits_set: 4`).
    #[serde(default)]
    pub bits_set: Option<u64>,
    /// No bit of this mask is set in the DWORD.
    #[serde(default)]
    pub bits_clear: Option<u64>,
    /// The data is one of these (texts ignoring case, numbers as numbers).
    #[serde(default)]
    pub one_of: Vec<serde_json::Value>,
    /// The data matches this regular expression.
    #[serde(default)]
    pub regex: Option<Sp<String>>,
    /// The data is this path: UNC paths compared ignoring case, the server named by its
    /// short name or its FQDN (`\\WINSERV1\Ressources` = `\\winserv1.lab.lan\ressources`).
    #[serde(default)]
    pub path: Option<Sp<String>>,
}

/// One expected security setting.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityExpect {
    /// `system_access`, `kerberos_policy`, `event_audit`, `privilege_rights`,
    /// `registry_values`, or another section as written (`Service General Setting`).
    pub section: Sp<String>,
    /// Key (`MinimumPasswordLength`), case-insensitive.
    pub key: Sp<String>,
    /// Value as written in the file (`12`; principals joined with `,` for privilege rights).
    pub value: serde_json::Value,
}

/// One expected drive mapping.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DriveExpect {
    /// Drive letter (`S` or `S:`).
    pub letter: Sp<String>,
    /// UNC path (`\\srv-file01\Compta`), case-insensitive.
    #[serde(default)]
    pub path: Option<Sp<String>>,
    /// Require that clients apply it: the Drive Maps extension is registered in the GPO
    /// (default true).
    #[serde(default = "yes")]
    pub effective: bool,
}

fn yes() -> bool {
    true
}

/// Compiled link expectation.
#[derive(Debug, Clone)]
pub struct LinkMatcher {
    ou: String,
    enabled: bool,
    enforced: Option<bool>,
    order: Option<u32>,
}

/// Compiled `gpo` expectation.
#[derive(Debug, Clone)]
pub struct GpoMatcher {
    name: String,
    exists: bool,
    links: Vec<LinkMatcher>,
    computer_enabled: Option<bool>,
    user_enabled: Option<bool>,
    registry: Vec<(Option<PolicyScope>, String, String, DataMatcher)>,
    security: Vec<(String, String, String)>,
    drives: Vec<(String, Option<String>, bool)>,
    applies_to: Option<AppliesToMatcher>,
    wmi_filter: Option<WmiFilterMatcher>,
    software: Vec<SoftwareMatcher>,
}

// YAML examples written once for DOC and DOC_FR (the registry test requires them identical).
macro_rules! gpo_example_1 {
    () => {
        r##"```yaml
expect:
  gpo:
    name: GPO_Lecteurs
    linked_to: [{ou: Comptabilite, order: 2}]
    drives: [{letter: "S:", path: '\\srv-file01\Compta'}]
```"##
    };
}

macro_rules! gpo_example_2 {
    () => {
        r##"```yaml
expect:
  all:
    - gpo: {name: GPO_Compta_Securite, applies_to: {exactly: [GG_Compta]}}
    - gpo:
        name: GPO_Informatique_Restrictions
        wmi_filter: {name: Postes clients uniquement, query: 'ProductType\s*=\s*1'}
```"##
    };
}

macro_rules! gpo_example_3 {
    () => {
        r##"```yaml
expect:
  gpo:
    name: GPO_Restrictions_Postes
    registry:
      - {scope: user, key: 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer', value: NoDrives, bits_set: 4}
      - {scope: user, key: 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer', value: NoControlPanel, equals: 1}
      - {scope: user, key: 'Software\Policies\Microsoft\Windows\Control Panel\Desktop', value: ScreenSaveTimeOut, one_of: [600, 900]}
      - {scope: user, key: 'Software\Microsoft\Windows\CurrentVersion\Policies\System', value: Wallpaper, path: '\\WINSERV1\Ressources\fond.jpg'}
```"##
    };
}

macro_rules! gpo_example_4 {
    () => {
        r##"```yaml
expect:
  all:
    - gpo:
        name: GPO_Informatique_Restrictions
        software: [{name: 7-Zip, deployment: assigned, scope: computer, source: '\\srv-file01.tssr.lan\Deploiement\7z2301-x64.msi'}]
    - gpo:
        name: GPO_Lecteurs
        software: [{name: Google Chrome, deployment: published, scope: user, uninstall_when_out_of_scope: true}]
```"##
    };
}

impl Kind for GpoExpect {
    const NAME: &'static str = "gpo";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory", "gpos", "logon_scripts"]);
    const DOC: &'static str = concat!(
        r#"# gpo

## What it checks
A Group Policy Object (by display name) exists, or does not; it is linked to the expected
OUs or domain (link enabled unless `enabled: false`, optionally enforced and at a given link
order); its computer and user parts are enabled; and it sets the expected settings:
registry policies (`key`, `value`, `data`), security settings from GptTmpl.inf
(`section`, `key`, `value`) and drive mappings from the preferences (`letter`, `path`), which
by default must also be *effective* (the Drive Maps client-side extension is registered in
the GPO, otherwise clients ignore the item).

Security filtering (`applies_to`) is read from the GPO container's security descriptor: the
GPO applies to a trustee allowed both Read and the *Apply Group Policy* extended right and
denied neither. `includes` lists trustees it must apply to, `excludes` those it must not
(`Authenticated Users` for a filtered GPO; French names and SIDs such as `S-1-5-11` are
understood; an account listed there also fails while a trustee it belongs to, such as
Authenticated Users, still applies the GPO to it), `exactly` the complete list. The evidence shows the effective target — each
trustee with the users and computers inside the scope of the GPO's enabled links (blocked
inheritance honoured unless the link is enforced), counting only the enabled parts (GPO
status) and leaving out denied accounts: « s'applique à : GG_Compta (3 utilisateurs) ».
`wmi_filter` checks the linked WMI filter (`msWMI-Som`): its name and a regex one of its WQL
queries must match, or `exists: false` for none. A link that is not where expected says
where the GPO is linked instead (« liée à : Informatique », « liée nulle part »).

Registry data is compared by type (`registry`, on Registry.pol records first, then on Group
Policy Preferences Registry items, whose DWORDs are hex digits): `data` as text ignoring
case; `equals` a number (compared as a number: `1`, `0x1`, `00000001` are equal) or a text;
`bits_set` / `bits_clear` a DWORD mask (YAML accepts `0x3FFFFFF`); `one_of` a list; `regex`
a pattern of the text; `path` a path, UNC compared ignoring case with the server written by
its short name or FQDN. Every condition given must hold. The policies subjects use
(Explorer = `Software\Microsoft\Windows\CurrentVersion\Policies\Explorer`, user part
unless said):

| Subject says | Key, value | Semantics and check |
|---|---|---|
| hide drive C: | Explorer, `NoDrives` | bitmask, A = bit 0 (1), B = 2, C = 4, D = 8 … Z = 0x2000000; "all drives" = 0x3FFFFFF. "C: hidden" accepts 4 and every mask containing C: `bits_set: 4` |
| forbid access to C: | Explorer, `NoViewOnDrive` | same bitmask as `NoDrives` |
| no Control Panel | Explorer, `NoControlPanel` | DWORD 1 = forbidden: `equals: 1` |
| no Run command | Explorer, `NoRun` | DWORD 1: `equals: 1` |
| no Task Manager | `…\Policies\System`, `DisableTaskMgr` | DWORD 1: `equals: 1` |
| wallpaper | `…\Policies\System`, `Wallpaper` (and `WallpaperStyle`, `0` centred … `2` stretched, `10` fill) | a path: `path: '\\WINSERV1\Ressources\fond.jpg'` or `regex` |
| screensaver on | `Software\Policies\Microsoft\Windows\Control Panel\Desktop`, `ScreenSaveActive` | string `1` |
| password on resume | same key, `ScreenSaverIsSecure` | string `1` |
| after N minutes | same key, `ScreenSaveTimeOut` | seconds as a string: 10 min = `600`; `one_of: [600, 900]` accepts either |
| screensaver file | same key, `SCRNSAVE.EXE` | `regex: '(?i)scrnsave\.scr$'` |

`software` checks software installation packages, read from the `packageRegistration`
objects of the GPO's class stores (`CN=Packages,CN=Class Store,CN=Machine|User,<GPO>`):
`name` (`packageName`, case-insensitive; `7-Zip` matches `7-Zip 23.01 (x64 edition)`),
`source` (the `.msi`, the `0:` entry of `msiFileList`; compared ignoring case, with the
server written as its short name or its FQDN: `\\SRV-FILE01\Deploiement\7z.msi` equals
`\\srv-file01.tssr.lan\deploiement\7z.msi`), `deployment` (`assigned` or `published`),
`scope` (`machine` — `computer` is accepted — or `user`) and `uninstall_when_out_of_scope`.
Deployment comes from `packageFlags` as [MS-GPSI] 2.2.2.4.3 defines it: `ACTFLG_Assigned`
= 0x400, `ACTFLG_Published` = 0x8 (never both), `ACTFLG_UninstallOnPolicyRemoval` = 0x1000,
`ACTFLG_InstallUserAssign` = 0x2000 (an assigned user package installed at logon),
`ACTFLG_OnDemandInstall` = 0x40. Windows only publishes to users: a computer package is
always assigned. By default the package must also be *effective* (the Software
Installation extension `{C6DC5466-…}` is registered in that part of the GPO). A missing
package lists the packages the GPO does deploy.

A missing drive map names its look-alikes, the other mechanisms found mapping that letter
on the same host (issue 15): a logon script of NETLOGON or of a GPO folder (section
`logon_scripts`: `net use`, `New-PSDrive`, `New-SmbMapping`, `MapNetworkDrive`) with its
line and who runs it (accounts whose `scriptPath` names it, GPOs whose scripts.ini lists
it), and the home folder of AD accounts (`homeDrive`). The line stays failed; a check may
give points for it with `near_miss: {points: 1}` (optionally `mechanisms: [logon_script]` or
`[home_folder]`): the check is then partial, at those points.

## Why it matters
A GPO that is created but not linked, linked with the link disabled, or whose preference was
written by a tool that did not register its extension, applies to nobody: the jury sees the
settings in the editor but the workstation never gets them.

## Passing example
"#,
        gpo_example_1!(),
        r#"
A GPO filtered to a group instead of Authenticated Users, and one with a WMI filter:
"#,
        gpo_example_2!(),
        r#"
"Drive C: hidden" as one check (passes with 4 or 0x3FFFFFF), the Control Panel denied and
the screensaver locked after 10 or 15 minutes:
"#,
        gpo_example_3!(),
        r#"
7-Zip assigned to the computers, Chrome published to the users:
"#,
        gpo_example_4!(),
        r#"

## Failing example
`gpo: {name: GPO_Lecteurs_NonApplique, drives: [{letter: S}]}` when the drive item is there
but the Drive Maps extension is not registered: `drives` fails with observed
« S: → \\srv-file01\Compta, non effectif ».

`gpo: {name: GPO_Commercial, drives: [{letter: S}]}` when the candidate mapped S: in a
NETLOGON batch file instead: `drives S` fails with observed « (absent) ; trouvé à la place :
lecteur S: → \\SRV-AD\Commercial mappé par le script de connexion NETLOGON\map.bat
(ligne 3), pas par une préférence de GPO ; lancé pour alefevre (scriptPath) ».

`registry: [{value: NoDrives, bits_set: 4, …}]` when the candidate hid only A: and B:
(`NoDrives` = 3): fails with observed « 3 (0x3) (utilisateur) ».

`gpo: {name: GPO_Lecteurs, software: [{name: Google Chrome, deployment: published}]}` when
Chrome was assigned instead: `software Google Chrome` fails with observed « Google Chrome :
attribué (utilisateur), source \\srv-file01\Deploiement\chrome.msi, effectif ».

`gpo: {name: GPO_Lecteurs, applies_to: {excludes: [Authenticated Users]}}` when the GPO was
left on its default filtering: `applies_to` fails with observed « s'applique à :
Authenticated Users (2 utilisateurs, 1 ordinateur) ».

## Critères
`tssr-2023/CP2/C2` (mettre en place les stratégies de groupe; filtrage de sécurité et
filtres WMI compris; déploiement de logiciels par stratégie de groupe).
"#
    );
    const DOC_FR: &'static str = concat!(
        r#"# gpo

## Ce qui est vérifié
Un objet de stratégie de groupe (par son nom d'affichage) existe, ou n'existe pas ; il est
lié aux UO ou au domaine attendus (lien activé sauf `enabled: false`, éventuellement appliqué
(enforced) et à un ordre de liaison donné) ; ses parties ordinateur et utilisateur sont
activées ; et il pose les paramètres attendus : stratégies de registre (`key`, `value`,
`data`), paramètres de sécurité de GptTmpl.inf (`section`, `key`, `value`) et mappages de
lecteurs des préférences (`letter`, `path`), qui par défaut doivent aussi être *effectifs*
(l'extension côté client Drive Maps est enregistrée dans la GPO, sinon les postes ignorent
l'élément).

Le filtrage de sécurité (`applies_to`) est lu dans le descripteur de sécurité du conteneur de
la GPO : la GPO s'applique à un principal autorisé à la fois en lecture et pour le droit
étendu *Appliquer la stratégie de groupe*, et refusé pour aucun des deux. `includes` liste
les principaux auxquels elle doit s'appliquer, `excludes` ceux auxquels elle ne doit pas
s'appliquer (`Authenticated Users` pour une GPO filtrée ; les noms français et les SID comme
`S-1-5-11` sont compris ; un compte listé là échoue aussi tant qu'un principal dont il est
membre, comme Utilisateurs authentifiés, lui applique encore la GPO), `exactly` la liste
complète. La preuve montre la cible effective — chaque principal avec les utilisateurs et
ordinateurs compris dans la portée des liens activés de la GPO (blocage de l'héritage respecté
sauf lien appliqué), en ne comptant que les parties activées (état de la GPO) et en laissant
de côté les comptes refusés : « s'applique à : GG_Compta (3 utilisateurs) ». `wmi_filter`
vérifie le filtre WMI lié (`msWMI-Som`) : son nom et une expression régulière à laquelle l'une
de ses requêtes WQL doit correspondre, ou `exists: false` pour aucun filtre. Un lien absent là
où il est attendu indique où la GPO est liée à la place (« liée à : Informatique », « liée
nulle part »).

Les données de registre sont comparées selon leur type (`registry`, d'abord sur les
enregistrements de Registry.pol, puis sur les éléments Registre des préférences de stratégie
de groupe, dont les DWORD sont en chiffres hexadécimaux) : `data` en texte sans tenir compte
de la casse ; `equals` un nombre (comparé comme nombre : `1`, `0x1`, `00000001` sont égaux)
ou un texte ; `bits_set` / `bits_clear` un masque DWORD (le YAML accepte `0x3FFFFFF`) ;
`one_of` une liste ; `regex` un motif du texte ; `path` un chemin, UNC comparé sans tenir
compte de la casse, le serveur écrit par son nom court ou son FQDN. Chaque condition donnée
doit tenir. Les stratégies qu'emploient les sujets (Explorer =
`Software\Microsoft\Windows\CurrentVersion\Policies\Explorer`, partie utilisateur sauf mention
contraire) :

| Le sujet dit | Clé, valeur | Sens et vérification |
|---|---|---|
| masquer le lecteur C: | Explorer, `NoDrives` | masque de bits, A = bit 0 (1), B = 2, C = 4, D = 8 … Z = 0x2000000 ; « tous les lecteurs » = 0x3FFFFFF. « C: masqué » accepte 4 et tout masque contenant C : `bits_set: 4` |
| interdire l'accès à C: | Explorer, `NoViewOnDrive` | même masque que `NoDrives` |
| pas de Panneau de configuration | Explorer, `NoControlPanel` | DWORD 1 = interdit : `equals: 1` |
| pas de commande Exécuter | Explorer, `NoRun` | DWORD 1 : `equals: 1` |
| pas de Gestionnaire des tâches | `…\Policies\System`, `DisableTaskMgr` | DWORD 1 : `equals: 1` |
| fond d'écran | `…\Policies\System`, `Wallpaper` (et `WallpaperStyle`, `0` centré … `2` étiré, `10` remplir) | un chemin : `path: '\\WINSERV1\Ressources\fond.jpg'` ou `regex` |
| écran de veille activé | `Software\Policies\Microsoft\Windows\Control Panel\Desktop`, `ScreenSaveActive` | chaîne `1` |
| mot de passe à la sortie de veille | même clé, `ScreenSaverIsSecure` | chaîne `1` |
| au bout de N minutes | même clé, `ScreenSaveTimeOut` | secondes en chaîne : 10 min = `600` ; `one_of: [600, 900]` accepte l'une ou l'autre |
| fichier de l'écran de veille | même clé, `SCRNSAVE.EXE` | `regex: '(?i)scrnsave\.scr$'` |

`software` vérifie les packages d'installation de logiciels, lus dans les objets
`packageRegistration` des magasins de classes de la GPO
(`CN=Packages,CN=Class Store,CN=Machine|User,<GPO>`) : `name` (`packageName`, sans tenir
compte de la casse ; `7-Zip` correspond à `7-Zip 23.01 (x64 edition)`), `source` (le `.msi`,
l'entrée `0:` de `msiFileList` ; comparée sans tenir compte de la casse, le serveur écrit par
son nom court ou son FQDN : `\\SRV-FILE01\Deploiement\7z.msi` égale
`\\srv-file01.tssr.lan\deploiement\7z.msi`), `deployment` (`assigned`, attribué, ou
`published`, publié), `scope` (`machine` — `computer` est accepté — ou `user`) et
`uninstall_when_out_of_scope`. Le mode de déploiement vient de `packageFlags` tel que le
définit [MS-GPSI] 2.2.2.4.3 : `ACTFLG_Assigned` = 0x400, `ACTFLG_Published` = 0x8 (jamais les
deux), `ACTFLG_UninstallOnPolicyRemoval` = 0x1000, `ACTFLG_InstallUserAssign` = 0x2000 (un
package utilisateur attribué installé à l'ouverture de session), `ACTFLG_OnDemandInstall` =
0x40. Windows ne publie qu'aux utilisateurs : un package ordinateur est toujours attribué. Par
défaut le package doit aussi être *effectif* (l'extension Installation de logiciels
`{C6DC5466-…}` est enregistrée dans cette partie de la GPO). Un package manquant liste les
packages que la GPO déploie réellement.

## Pourquoi c'est important
Une GPO créée mais non liée, liée avec le lien désactivé, ou dont la préférence a été écrite
par un outil qui n'a pas enregistré son extension, ne s'applique à personne : le jury voit les
paramètres dans l'éditeur mais le poste ne les reçoit jamais.

## Exemple conforme
"#,
        gpo_example_1!(),
        r#"
Une GPO filtrée sur un groupe au lieu d'Utilisateurs authentifiés, et une avec un filtre WMI :
"#,
        gpo_example_2!(),
        r#"
« Lecteur C: masqué » en une seule vérification (réussit avec 4 ou 0x3FFFFFF), le Panneau de
configuration interdit et l'écran de veille verrouillé au bout de 10 ou 15 minutes :
"#,
        gpo_example_3!(),
        r#"
7-Zip attribué aux ordinateurs, Chrome publié aux utilisateurs :
"#,
        gpo_example_4!(),
        r#"

## Exemple non conforme
`gpo: {name: GPO_Lecteurs_NonApplique, drives: [{letter: S}]}` quand l'élément de lecteur est
là mais que l'extension Drive Maps n'est pas enregistrée : `drives` échoue avec observé
« S: → \\srv-file01\Compta, non effectif ».

`registry: [{value: NoDrives, bits_set: 4, …}]` quand le candidat n'a masqué que A: et B:
(`NoDrives` = 3) : échoue avec observé « 3 (0x3) (utilisateur) ».

`gpo: {name: GPO_Lecteurs, software: [{name: Google Chrome, deployment: published}]}` quand
Chrome a été attribué à la place : `software Google Chrome` échoue avec observé « Google
Chrome : attribué (utilisateur), source \\srv-file01\Deploiement\chrome.msi, effectif ».

`gpo: {name: GPO_Lecteurs, applies_to: {excludes: [Authenticated Users]}}` quand la GPO a
gardé son filtrage par défaut : `applies_to` échoue avec observé « s'applique à :
Authenticated Users (2 utilisateurs, 1 ordinateur) ».

## Critères
`tssr-2023/CP2/C2` (mettre en place les stratégies de groupe ; filtrage de sécurité et
filtres WMI compris ; déploiement de logiciels par stratégie de groupe).
"#
    );
    type Compiled = GpoMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<GpoMatcher> {
        let links = self
            .linked_to
            .iter()
            .map(|l| LinkMatcher {
                ou: cx.text(&l.ou),
                enabled: l.enabled,
                enforced: l.enforced,
                order: l.order,
            })
            .collect();
        let mut registry = Vec::new();
        for r in &self.registry {
            // Data has no position of its own: a bad `${name}` is reported at the key.
            let mut text_at_key = |v: &serde_json::Value| {
                let text = cx.text(&r.key.with_value(as_text(v)));
                if v.is_string() {
                    serde_json::Value::String(text)
                } else {
                    v.clone()
                }
            };
            let data = DataMatcher {
                data: r.data.as_ref().map(|d| as_text(&text_at_key(d))),
                equals: r.equals.as_ref().map(&mut text_at_key),
                one_of: r.one_of.iter().map(&mut text_at_key).collect(),
                bits_set: r.bits_set,
                bits_clear: r.bits_clear,
                regex: match &r.regex {
                    Some(re) => Some(cx.regex(re)?),
                    None => None,
                },
                path: cx.opt_text(&r.path),
            };
            registry.push((r.scope, cx.text(&r.key), cx.text(&r.value), data));
        }
        let security = self
            .security
            .iter()
            .map(|s| {
                let value = cx.text(&s.key.with_value(as_text(&s.value)));
                (cx.text(&s.section), cx.text(&s.key), value)
            })
            .collect();
        let drives = self
            .drives
            .iter()
            .map(|d| {
                let letter = cx.text(&d.letter);
                (
                    letter.trim_end_matches(':').to_uppercase(),
                    cx.opt_text(&d.path),
                    d.effective,
                )
            })
            .collect();
        let applies_to = match &self.applies_to {
            Some(a) => Some(a.compile(cx)?),
            None => None,
        };
        let wmi_filter = match &self.wmi_filter {
            Some(w) => Some(w.compile(cx)?),
            None => None,
        };
        let software = self.software.iter().map(|s| s.compile(cx)).collect();
        Some(GpoMatcher {
            software,
            applies_to,
            wmi_filter,
            name: cx.text(&self.name),
            exists: self.exists,
            links,
            computer_enabled: self.computer_enabled,
            user_enabled: self.user_enabled,
            registry,
            security,
            drives,
        })
    }

    fn evaluate(m: &GpoMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "directory";
        let p = m.name.as_str();
        let Some(dir) = host.section(S, p, &host.snapshot.sections.directory, out) else {
            return Status::NotAssessable;
        };
        let gpo = dir
            .gpos
            .iter()
            .find(|g| g.display_name.eq_ignore_ascii_case(&m.name));
        let exists = Status::from_bool(gpo.is_some() == m.exists);
        out.push(host.evidence(
            S,
            p,
            "exists",
            if m.exists { "present" } else { "absent" },
            gpo.map_or_else(|| "absent".to_owned(), |g| format!("present ({})", g.guid)),
            exists,
        ));
        let Some(gpo) = gpo.filter(|_| m.exists) else {
            if m.exists {
                // No GPO at all: a logon script mapping the expected drive is still shown.
                for (letter, unc, _) in &m.drives {
                    push_drive_look_alike(host, out, p, letter, unc.as_deref(), "(GPO absent)");
                }
            }
            return exists;
        };
        let mut status = Status::Pass;
        for link in &m.links {
            status = status.and(check_link(host, out, p, dir, gpo, link));
        }
        if let Some(applies_to) = &m.applies_to {
            status = status.and(check_applies_to(host, out, p, dir, gpo, applies_to));
        }
        if let Some(wmi) = &m.wmi_filter {
            status = status.and(check_wmi_filter(host, out, p, gpo, wmi));
        }
        for software in &m.software {
            status = status.and(check_software(host, out, p, gpo, software));
        }
        status = status.and(property(
            host,
            out,
            S,
            p,
            "computer_enabled",
            m.computer_enabled.as_ref(),
            Some(&!gpo.computer_disabled),
            bool::to_string,
        ));
        status = status.and(property(
            host,
            out,
            S,
            p,
            "user_enabled",
            m.user_enabled.as_ref(),
            Some(&!gpo.user_disabled),
            bool::to_string,
        ));
        if m.registry.is_empty() && m.security.is_empty() && m.drives.is_empty() {
            return status;
        }
        let Some(all) = host.section("gpos", p, &host.snapshot.sections.gpos, out) else {
            return status.and(Status::NotAssessable);
        };
        let Some(settings) = all.iter().find(|s| s.guid.eq_ignore_ascii_case(&gpo.guid)) else {
            out.push(host.evidence(
                "gpos",
                p,
                "settings",
                "read in SYSVOL",
                format!("no folder {} observed", gpo.guid),
                Status::NotAssessable,
            ));
            return status.and(Status::NotAssessable);
        };
        for expected in &m.registry {
            status = status.and(check_registry(host, out, p, settings, expected));
        }
        for (section, key, value) in &m.security {
            status = status.and(check_security(host, out, p, settings, section, key, value));
        }
        for expected in &m.drives {
            status = status.and(check_drive(host, out, p, settings, expected));
        }
        status
    }
}

/// A YAML scalar as the text a GPO file holds (`1`, `http://…`); lists joined with `,`.
fn as_text(value: &serde_json::Value) -> String {
    json_text(value)
}

fn show_link(l: &GpLink) -> String {
    format!(
        "linked ({}, {}, order {})",
        if l.enabled { "enabled" } else { "disabled" },
        if l.enforced {
            "enforced"
        } else {
            "not enforced"
        },
        l.link_order
    )
}

fn check_link(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    dir: &Directory,
    gpo: &GpoContainer,
    link: &LinkMatcher,
) -> Status {
    let guid = gpo.guid.as_str();
    let mut expected = format!(
        "linked to {} ({}",
        link.ou,
        if link.enabled { "enabled" } else { "disabled" }
    );
    if let Some(enforced) = link.enforced {
        expected.push_str(if enforced {
            ", enforced"
        } else {
            ", not enforced"
        });
    }
    if let Some(order) = link.order {
        let _ = write!(expected, ", order {order}");
    }
    expected.push(')');
    let links: Option<&[GpLink]> = if names_container(&dir.domain.dn, &link.ou) {
        Some(&dir.domain.gp_links)
    } else {
        dir.ous
            .iter()
            .find(|ou| names_container(&ou.dn, &link.ou))
            .map(|ou| ou.gp_links.as_slice())
    };
    let (actual, status) = match links {
        None => (
            format!("OU absent; {}", linked_elsewhere(dir, gpo)),
            Status::Fail,
        ),
        Some(links) => match links.iter().find(|l| l.gpo_guid.eq_ignore_ascii_case(guid)) {
            None if gpo.linked_to.is_empty() => ("linked nowhere".to_owned(), Status::Fail),
            None => (
                format!("not linked here; {}", linked_elsewhere(dir, gpo)),
                Status::Fail,
            ),
            Some(l) => {
                let holds = l.enabled == link.enabled
                    && link.enforced.is_none_or(|e| e == l.enforced)
                    && link.order.is_none_or(|o| o == l.link_order);
                (show_link(l), Status::from_bool(holds))
            }
        },
    };
    out.push(host.evidence("directory", path, "linked_to", expected, actual, status));
    status
}

fn check_registry(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    settings: &GpoSettings,
    (scope, key, value, data): &(Option<PolicyScope>, String, String, DataMatcher),
) -> Status {
    let scope_name = |s: &PolicyScope| match s {
        PolicyScope::Machine => "computer",
        PolicyScope::User => "user",
    };
    let name = format!("registry {key}\\{value}");
    let expected = format!(
        "{}{}",
        data.describe(),
        scope.map_or_else(String::new, |s| format!(" ({})", scope_name(&s)))
    );
    let names = HostNames::of(host);
    // Registry.pol first (Administrative Templates), then Group Policy Preferences Registry
    // items, which set the same value another way.
    let policy = settings.registry.iter().find(|r| {
        scope.is_none_or(|s| s == r.scope)
            && r.key.eq_ignore_ascii_case(key)
            && r.value_name.eq_ignore_ascii_case(value)
    });
    let preference = settings.preferences.iter().find(|p| {
        p.kind == "registry"
            && scope.is_none_or(|s| s == p.scope)
            && prop(p, "key").is_some_and(|k| k.trim_matches('\\').eq_ignore_ascii_case(key))
            && prop(p, "name").is_some_and(|n| n.eq_ignore_ascii_case(value))
    });
    let (actual, status) = match (policy, preference) {
        (Some(r), _) if !matches!(r.action, RegistryAction::Set | RegistryAction::SoftSet) => (
            format!("{:?} ({})", r.action, scope_name(&r.scope)),
            Status::Fail,
        ),
        (Some(r), _) => {
            let observed = Observed::from_json(&r.data, &r.value_type);
            (
                format!(
                    "{} ({})",
                    show_observed(data, &observed),
                    scope_name(&r.scope)
                ),
                Status::from_bool(data.holds(&names, &observed)),
            )
        }
        (None, Some(p)) => {
            let value_type = prop(p, "type").unwrap_or("REG_SZ");
            let observed =
                Observed::from_preference(prop(p, "value").unwrap_or_default(), value_type);
            let mut status = Status::from_bool(data.holds(&names, &observed));
            // Notes after the source (`eval/words.rs` NOTES): `…, Registry preference), item
            // disabled`.
            let mut actual = format!(
                "{} ({value_type}, {}, Registry preference)",
                show_observed(data, &observed),
                scope_name(&p.scope)
            );
            if p.action.as_deref() == Some("delete") {
                actual.push_str(", delete action");
                status = Status::Fail;
            }
            if p.disabled {
                actual.push_str(", item disabled");
                status = Status::Fail;
            }
            if p.effective == Some(false) {
                actual.push_str(", not effective (preferences Registry extension not registered)");
                status = Status::Fail;
            }
            (actual, status)
        }
        (None, None) => match unread_files(settings) {
            Some(unread) => (format!("not read: {unread}"), Status::NotAssessable),
            None => ("(absent)".to_owned(), Status::Fail),
        },
    };
    out.push(host.evidence("gpos", path, name, expected, actual, status));
    status
}

fn prop<'p>(p: &'p constat_snapshot::gpo::Preference, name: &str) -> Option<&'p str> {
    p.properties
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn security_value(t: &SecurityTemplate, section: &str, key: &str) -> Option<String> {
    let find = |map: &std::collections::BTreeMap<String, String>| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
    };
    match section.to_lowercase().replace(' ', "_").as_str() {
        "system_access" => find(&t.system_access),
        "kerberos_policy" => find(&t.kerberos_policy),
        "event_audit" => find(&t.event_audit),
        "registry_values" => find(&t.registry_values),
        "privilege_rights" => t
            .privilege_rights
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.join(",")),
        _ => t
            .other
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(section))
            .and_then(|(_, map)| find(map)),
    }
}

fn check_security(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    settings: &GpoSettings,
    section: &str,
    key: &str,
    value: &str,
) -> Status {
    let actual = settings
        .security
        .as_ref()
        .and_then(|t| security_value(t, section, key));
    let mut status = Status::from_bool(
        actual
            .as_deref()
            .is_some_and(|a| a.trim().eq_ignore_ascii_case(value.trim())),
    );
    let unread = unread_files(settings).filter(|_| actual.is_none());
    if unread.is_some() {
        status = Status::NotAssessable;
    }
    out.push(host.evidence(
        "gpos",
        path,
        format!("security [{section}] {key}"),
        value.to_owned(),
        match unread {
            Some(unread) => format!("not read: {unread}"),
            None => actual.unwrap_or_else(|| "(absent)".to_owned()),
        },
        status,
    ));
    status
}

fn check_drive(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    settings: &GpoSettings,
    (letter, unc, effective): &(String, Option<String>, bool),
) -> Status {
    let drives: Vec<_> = settings
        .preferences
        .iter()
        .filter(|p| p.kind == "drives")
        .filter(|p| {
            p.letter
                .as_deref()
                .is_some_and(|l| l.trim_end_matches(':').eq_ignore_ascii_case(letter))
        })
        .collect();
    let mut expected = format!("{letter}:");
    if let Some(unc) = unc {
        let _ = write!(expected, " → {unc}");
    }
    if *effective {
        expected.push_str(", effective");
    }
    let name = format!("drives {letter}");
    // `%LogonUser%` and `%USERNAME%` (any case) are one path; the server by any of its names.
    let names = HostNames::of(host);
    let shown_path = |d: &&Preference| {
        d.path.as_deref().map_or_else(
            || "?".to_owned(),
            |p| env_path::shown(p, &env_path::canonical(p)),
        )
    };
    let Some(drive) = drives.iter().find(|d| {
        unc.as_ref()
            .is_none_or(|u| d.path.as_deref().is_some_and(|p| same_path(&names, p, u)))
    }) else {
        if drives.is_empty()
            && let Some(unread) = unread_files(settings)
        {
            out.push(host.evidence(
                "gpos",
                path,
                name,
                expected,
                format!("not read: {unread}"),
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        }
        let actual = if drives.is_empty() {
            "(absent)".to_owned()
        } else {
            drives
                .iter()
                .map(|d| format!("{letter}: → {}", shown_path(d)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let found = drive_look_alikes(host.snapshot, letter);
        let mut line = host.evidence("gpos", path, name, expected, actual, Status::Fail);
        if let Some((mechanism, _)) = found.first() {
            line.actual = format!("{}; found instead: {}", line.actual, joined(&found)).into();
            line.look_alike = Some((*mechanism).into());
        }
        out.push(line);
        return Status::Fail;
    };
    let mut actual = format!("{letter}: → {}", shown_path(drive));
    let mut status = Status::Pass;
    if drive.disabled {
        actual.push_str(", item disabled");
        status = Status::Fail;
    }
    if *effective {
        match drive.effective {
            Some(true) => actual.push_str(", effective"),
            Some(false) => {
                actual.push_str(", not effective (Drive Maps extension not registered)");
                status = Status::Fail;
            }
            None => {
                actual.push_str(", effect unknown (GPO container not read)");
                status = status.and(Status::NotAssessable);
            }
        }
    }
    out.push(host.evidence("gpos", path, name, expected, actual, status));
    status
}

/// The GPO is absent: when a logon script maps the expected letter, one failed `drives`
/// line names it (the `exists` line already fails the check).
fn push_drive_look_alike(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    letter: &str,
    unc: Option<&str>,
    why: &str,
) {
    let found = drive_look_alikes(host.snapshot, letter);
    let Some((mechanism, _)) = found.first() else {
        return;
    };
    let mut expected = format!("{letter}:");
    if let Some(unc) = unc {
        let _ = write!(expected, " → {unc}");
    }
    let mut line = host.evidence(
        "gpos",
        path,
        format!("drives {letter}"),
        expected,
        format!("{why}; found instead: {}", joined(&found)),
        Status::Fail,
    );
    line.look_alike = Some((*mechanism).into());
    out.push(line);
}

fn joined(found: &[(&'static str, String)]) -> String {
    found
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{
        ad, kind_case_as, kind_case_with_vars, with_netlogon_script, without,
    };
    use std::collections::BTreeMap;

    /// Registry data and security values take `${variables}` like every other text (an
    /// unknown one is reported at the setting's key, as `Compile::text` does everywhere).
    #[test]
    fn setting_values_take_variables() {
        let yaml = r#"gpo:
  name: GPO_Compta_Securite
  registry:
    - {key: 'Software\Policies\Microsoft\Windows\WindowsUpdate', value: WUServer, data: "${wsus}"}
  security: [{section: system_access, key: MinimumPasswordLength, value: "${min_length}"}]"#;
        let vars = BTreeMap::from([
            (
                "wsus".to_owned(),
                "http://srv-wsus.tssr.lan:8530".to_owned(),
            ),
            ("min_length".to_owned(), "12".to_owned()),
        ]);
        let out = kind_case_with_vars("dc", &vars, yaml, &ad());
        assert!(out.starts_with("Pass"), "{out}");
    }

    // Fixture: the real Samba AD DC collection (tests/fixtures/snapshots/ad-samba.json).

    #[test]
    fn passes_on_the_recorded_gpos() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - gpo:
      name: gpo_lecteurs
      linked_to: [{ou: Comptabilite, order: 2, enforced: false}]
      user_enabled: true
      drives: [{letter: "s:", path: '\\srv-file01\compta'}]
  - gpo:
      name: GPO_Compta_Securite
      linked_to: [{ou: "OU=Comptabilite,DC=tssr,DC=lan", order: 1}]
      registry:
        - {scope: machine, key: 'Software\Policies\Microsoft\Windows\WindowsUpdate', value: WUServer, data: "http://srv-wsus.tssr.lan:8530"}
        - {key: 'Software\Policies\Microsoft\Windows\WindowsUpdate\AU', value: AUOptions, data: 4}
      security: [{section: system_access, key: MinimumPasswordLength, value: 12}]
  - gpo:
      name: GPO_Informatique_Restrictions
      linked_to: [{ou: Informatique, enforced: true}, {ou: Comptabilite/Postes, enabled: false}]
      user_enabled: false
      security: [{section: privilege_rights, key: SeRemoteInteractiveLogonRight, value: "*S-1-5-32-544,*S-1-5-32-555"}]
  - gpo: {name: Default Domain Policy, linked_to: [{ou: "DC=tssr,DC=lan"}]}
  - gpo: {name: GPO_Inexistante, exists: false}"#,
            &ad()
        ));
    }

    #[test]
    fn fails_on_ineffective_drive_links_and_settings() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - gpo: {name: GPO_Lecteurs_NonApplique, linked_to: [{ou: Comptabilite}], drives: [{letter: S}]}
  - gpo:
      name: GPO_Informatique_Restrictions
      linked_to: [{ou: Comptabilite/Postes}, {ou: Direction}]
      user_enabled: true
      computer_enabled: true
  - gpo:
      name: GPO_Compta_Securite
      registry:
        - {scope: user, key: 'Software\Policies\Microsoft\Windows\WindowsUpdate', value: WUServer}
        - {key: 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer', value: RestrictRun}
        - {key: 'Software\Policies\Microsoft\Windows\WindowsUpdate\AU', value: AUOptions, data: 3}
      security: [{section: system_access, key: MinimumPasswordLength, value: 14}, {section: event_audit, key: AuditLogonEvents, value: 3}]
      drives: [{letter: H, effective: false}]
  - gpo: {name: GPO_Absente}"#,
            &ad()
        ));
    }

    /// Security filtering and the WMI filter as the real Samba DC holds them: GPO_Compta_Securite
    /// filtered to GG_Compta, GPO_Lecteurs left on Authenticated Users with PC-COMPTA01 denied,
    /// a WMI filter on GPO_Informatique_Restrictions (tests/scripts/samba-dc-build.sh).
    #[test]
    fn security_filtering_and_wmi_filter_pass_on_the_recorded_gpos() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - gpo: {name: GPO_Compta_Securite, applies_to: {exactly: ['TSSR\GG_Compta'], excludes: [Utilisateurs authentifiés]}, wmi_filter: {exists: false}}
  - gpo: {name: GPO_Lecteurs, applies_to: {includes: [S-1-5-11], excludes: [PC-COMPTA01]}}
  - gpo: {name: GPO_Informatique_Restrictions, wmi_filter: {name: postes clients uniquement, query: 'ProductType\s*=\s*1'}}"#,
            &ad()
        ));
    }

    /// A GPO left applying to Authenticated Users fails with evidence naming who it applies
    /// to; a link elsewhere names where the GPO is linked.
    #[test]
    fn filtering_and_link_failures_name_what_was_found() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - gpo: {name: GPO_Lecteurs, applies_to: {exactly: [GG_Compta], excludes: [Authenticated Users]}}
  - gpo: {name: GPO_Lecteurs_NonApplique, linked_to: [{ou: Comptabilite}]}
  - gpo: {name: GPO_Compta_Securite, linked_to: [{ou: Direction}], wmi_filter: {name: Postes}}
  - gpo: {name: GPO_Lecteurs, applies_to: {excludes: [jdupont]}}
  - gpo: {name: GPO_Lecteurs_NonApplique, applies_to: {excludes: [jdupont]}}
  - gpo: {name: GPO_Informatique_Restrictions, wmi_filter: {query: 'ProductType = 2'}}"#,
            &ad()
        ));
    }

    /// Typed registry data on the real Registry.pol files of the Samba DC (AUOptions = 4,
    /// DisableTaskMgr = 1, WUServer = http://srv-wsus.tssr.lan:8530).
    #[test]
    fn registry_data_by_type_on_the_recorded_registry_pol() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"gpo:
  name: GPO_Compta_Securite
  registry:
    - {key: 'Software\Policies\Microsoft\Windows\WindowsUpdate\AU', value: AUOptions, bits_set: 4, one_of: [3, 4]}
    - {key: 'Software\Policies\Microsoft\Windows\WindowsUpdate\AU', value: AUOptions, bits_set: 8}
    - {key: 'Software\Policies\Microsoft\Windows\WindowsUpdate\AU', value: AUOptions, bits_clear: 0x4}
    - {scope: user, key: 'Software\Microsoft\Windows\CurrentVersion\Policies\System', value: DisableTaskMgr, equals: 1}
    - {key: 'Software\Policies\Microsoft\Windows\WindowsUpdate', value: WUServer, regex: '^https?://srv-wsus(\.tssr\.lan)?:8530$'}
    - {key: 'Software\Policies\Microsoft\Windows\WindowsUpdate', value: WUServer, one_of: ['http://srv-wsus:8530']}"#,
            &ad()
        ));
    }

    /// The real Samba DC: GPO_Compta_Securite's user Registry.pol sets NoDrives = 4 and
    /// NoControlPanel = 1; GPO_Lecteurs' Group Policy Preferences Registry.xml sets NoDrives =
    /// 0x3FFFFFF and ScreenSaveTimeOut = "600" (tests/scripts/samba-dc-build.sh). "C: hidden"
    /// is one check that passes on both masks.
    #[test]
    fn registry_semantics_on_the_recorded_policies_and_preferences() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - gpo:
      name: GPO_Compta_Securite
      registry:
        - {scope: user, key: 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer', value: NoDrives, bits_set: 4}
        - {scope: user, key: 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer', value: NoControlPanel, equals: 1}
  - gpo:
      name: GPO_Lecteurs
      registry:
        - {scope: user, key: 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer', value: NoDrives, bits_set: 4}
        - {scope: user, key: 'Software\Policies\Microsoft\Windows\Control Panel\Desktop', value: ScreenSaveTimeOut, one_of: [600, 900]}
        - {scope: user, key: 'Software\Microsoft\Windows\CurrentVersion\Policies\Explorer', value: NoDrives, bits_clear: 0x8}"#,
            &ad()
        ));
    }

    /// Software installation as the real Samba DC holds it: 7-Zip assigned to computers in
    /// GPO_Informatique_Restrictions, Chrome published to users in GPO_Lecteurs (real
    /// packageRegistration objects written by tests/scripts/samba-dc-build.sh). The source is
    /// written with the FQDN and another case on purpose.
    #[test]
    fn software_installation_passes_on_the_recorded_packages() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - gpo:
      name: GPO_Informatique_Restrictions
      software: [{name: 7-zip, deployment: assigned, scope: computer, source: '\\SRV-FILE01.tssr.lan\deploiement\7Z2301-X64.MSI', uninstall_when_out_of_scope: false}]
  - gpo:
      name: GPO_Lecteurs
      software: [{name: Google Chrome, deployment: published, scope: user, source: '//srv-file01/Deploiement/googlechromestandaloneenterprise64.msi'}]"#,
            &ad()
        ));
    }

    /// "Assigned instead of published" (and the reverse, a wrong part, a wrong server, a
    /// missing package) fails with what the class store holds.
    #[test]
    fn software_installation_failures_show_the_deployment() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - gpo: {name: GPO_Lecteurs, software: [{name: Google Chrome, deployment: assigned}]}
  - gpo: {name: GPO_Informatique_Restrictions, software: [{name: 7-Zip, deployment: published, scope: user}]}
  - gpo: {name: GPO_Informatique_Restrictions, software: [{name: 7-Zip, source: '\\srv-file02\Deploiement\7z2301-x64.msi'}]}
  - gpo: {name: GPO_Lecteurs, software: [{name: Mozilla Firefox}]}
  - gpo: {name: GPO_Compta_Securite, software: [{name: 7-Zip}]}"#,
            &ad()
        ));
    }

    /// A snapshot written before class stores were read: not assessable, with the reason.
    #[test]
    fn software_is_not_assessable_when_class_stores_were_not_read() {
        let mut snapshot = ad();
        if let constat_snapshot::section::Section::Collected { data } =
            &mut snapshot.sections.directory
        {
            for gpo in &mut data.gpos {
                gpo.software = constat_snapshot::section::Section::not_collected(
                    "the collector that wrote this snapshot does not read GPO software installation",
                );
            }
        }
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "gpo: {name: GPO_Lecteurs, software: [{name: Google Chrome, deployment: published}]}",
            &snapshot
        ));
    }

    /// The real Samba DC with a NETLOGON script as the collector records it (the batch
    /// script of `tests/tests/ad_samba.rs`, section shape of `constat_windows`'s
    /// `logon_scripts::assemble`), run by mmartin's `scriptPath`; jdupont's recorded
    /// `homeDrive` is H:. A missing drive map names each look-alike, also when the GPO
    /// itself is missing; a drive no mechanism maps stays plainly absent.
    #[test]
    fn a_missing_drive_map_names_its_look_alikes() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r#"all:
  - gpo: {name: GPO_Compta_Securite, drives: [{letter: "S:", path: '\\srv-file01\Compta'}, {letter: H}, {letter: Q}]}
  - gpo: {name: GPO_Commercial, drives: [{letter: S}]}"#,
            &with_netlogon_script(ad())
        ));
    }

    #[test]
    fn rejects_exactly_with_includes() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "gpo: {name: GPO_Lecteurs, applies_to: {exactly: [GG_Compta], includes: [GG_Compta]}}",
            &ad()
        ));
    }

    /// A snapshot whose collector did not read the descriptor: not assessable, with the reason.
    #[test]
    fn filtering_is_not_assessable_when_the_descriptor_was_not_read() {
        let mut snapshot = ad();
        if let constat_snapshot::section::Section::Collected { data } =
            &mut snapshot.sections.directory
        {
            for gpo in &mut data.gpos {
                gpo.security = constat_snapshot::section::Section::not_collected(
                    "the DC returned no nTSecurityDescriptor for this GPO to the collecting account",
                );
            }
        }
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "gpo: {name: GPO_Lecteurs, applies_to: {excludes: [Authenticated Users]}}",
            &snapshot
        ));
    }

    #[test]
    fn settings_are_not_assessable_without_sysvol() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "gpo: {name: GPO_Lecteurs, linked_to: [{ou: Comptabilite}], drives: [{letter: S}]}",
            &without(ad(), "gpos")
        ));
    }

    #[test]
    fn is_not_assessable_without_the_directory() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "gpo: {name: GPO_Lecteurs}",
            &without(ad(), "directory")
        ));
    }

    /// A drive map written with `%LogonUser%` (derived from the real recording: the path of
    /// GPO_Lecteurs' S: drive edited) matches the pack's `%USERNAME%` with the server's FQDN;
    /// `%USERDOMAIN%` is another variable. The evidence shows the raw and normalised path.
    #[test]
    fn drive_paths_compare_environment_variables() {
        let mut snap = ad();
        let mut gpos = snap.sections.gpos.data().cloned().expect("gpos collected");
        for gpo in &mut gpos {
            for p in &mut gpo.preferences {
                if p.kind == "drives" {
                    p.path = Some(r"\\srv-file01\perso$\%LogonUser%".to_owned());
                }
            }
        }
        snap.sections.gpos = constat_snapshot::section::Section::collected(gpos);
        insta::assert_snapshot!(kind_case_as(
            "dc",
            r"all: [{gpo: {name: GPO_Lecteurs, drives: [{letter: S, path: '\\SRV-FILE01.tssr.lan\Perso$\%USERNAME%'}]}}, {gpo: {name: GPO_Lecteurs, drives: [{letter: S, path: '\\srv-file01\perso$\%USERDOMAIN%'}]}}]",
            &snap
        ));
    }
}
