//! Test helper for kinds: one expectation in YAML + a fixture snapshot → rendered outcome.

use crate::eval::host::{HostState, HostView, Hosts};
use crate::expect::{compile, evaluate};
use crate::kinds::RawExpect;
use crate::pack::Diagnostics;
use crate::pack::compile::Compile;
use crate::pack::raw::HostOs;
use crate::pack::span::Sp;
use constat_snapshot::Snapshot;
use constat_snapshot::section::Section;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The real recording of the test machine (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn fixture() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/linux-real.json"
    ))
    .expect("fixture parses")
}

/// The derived end-of-lab variant (edited copy of the real recording).
pub(crate) fn lab() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/linux-lab.json"
    ))
    .expect("fixture parses")
}

/// The real LDAP collection of a Samba AD DC (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn ad() -> Snapshot {
    Snapshot::from_json(include_str!("../../tests/fixtures/snapshots/ad-samba.json"))
        .expect("fixture parses")
}

/// Probe outputs on real recorded Windows data (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn windows_probe() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/windows-probe.json"
    ))
    .expect("fixture parses")
}

/// The derived end-of-lab Windows DC (recorded probe outputs + documented shapes).
pub(crate) fn windows_lab() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/windows-lab.json"
    ))
    .expect("fixture parses")
}

/// `linux-real.json` with the derived storage section of `storage-lab.storage.json`
/// (recorded RAID and LVM parts plus a written scenario; see `tests/fixtures/FIXTURES.md`).
pub(crate) fn storage_lab() -> Snapshot {
    let mut snap = fixture();
    let storage = serde_json::from_str(include_str!(
        "../../tests/fixtures/snapshots/storage-lab.storage.json"
    ))
    .expect("storage-lab fixture parses");
    snap.sections.storage = Section::collected(storage);
    snap
}

/// The snapshot with one section replaced by `not_collected` (derived variant).
/// The parser's output on real pfSense `config.xml` excerpts (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn appliance_pfsense() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/appliance-pfsense.json"
    ))
    .expect("appliance-pfsense fixture parses")
}

/// The parser's output on a real OPNsense 25 export (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn appliance_opnsense() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/appliance-opnsense.json"
    ))
    .expect("appliance-opnsense fixture parses")
}

/// The parser's output on real Icinga2 API answers (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn supervision_icinga2() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/supervision-icinga2.json"
    ))
    .expect("supervision-icinga2 fixture parses")
}

/// The agent's collection of a real Nagios 4.4 over SSH, the backup flag's check CRITICAL then
/// OK (`tests/tests/supervision_nagios.rs`, see `tests/fixtures/FIXTURES.md`).
pub(crate) fn supervision_nagios() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/supervision-nagios.json"
    ))
    .expect("supervision-nagios fixture parses")
}

/// The Zabbix reader's output on real Zabbix 6.0 answers (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn supervision_zabbix() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/supervision-zabbix.json"
    ))
    .expect("supervision-zabbix fixture parses")
}

/// The parser's output on Proxmox API answers (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn hypervisor_proxmox() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/hypervisor-proxmox.json"
    ))
    .expect("hypervisor-proxmox fixture parses")
}

/// The parser's output on a real GLPI Ticket list and lists derived from GLPI's tables
/// (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn helpdesk_glpi() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/helpdesk-glpi.json"
    ))
    .expect("helpdesk-glpi fixture parses")
}

/// The Linux agent's collection of the repository host of
/// `tests/tests/agent_package_repository.rs` (see `tests/fixtures/FIXTURES.md`).
pub(crate) fn package_repository_lab() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/package-repository-lab.json"
    ))
    .expect("package-repository-lab fixture parses")
}

/// The probe normaliser's output on real MDT control files (see
/// `tests/fixtures/FIXTURES.md`).
pub(crate) fn deployment_mdt() -> Snapshot {
    Snapshot::from_json(include_str!(
        "../../tests/fixtures/snapshots/deployment-mdt.json"
    ))
    .expect("deployment-mdt fixture parses")
}

pub(crate) fn without(mut s: Snapshot, section: &str) -> Snapshot {
    let reason = format!("{section}: not collected (derived fixture)");
    let x = &mut s.sections;
    match section {
        "users" => x.users = Section::not_collected(reason),
        "groups" => x.groups = Section::not_collected(reason),
        "sudo" => x.sudo = Section::error("sudoers: permission denied (derived fixture)"),
        "services" => x.services = Section::not_collected(reason),
        "listening" => x.listening = Section::not_collected(reason),
        "packages" => x.packages = Section::error("dpkg-query: exit 2 (derived fixture)"),
        "firewall" => x.firewall = Section::error("nft: permission denied (derived fixture)"),
        "scheduled_jobs" => x.scheduled_jobs = Section::not_collected(reason),
        "backups" => x.backups = Section::not_collected(reason),
        "network" => x.network = Section::not_collected(reason),
        "shares" => x.shares = Section::not_collected(reason),
        "sshd" => {
            x.sshd = Section::error(
                "sshd -T: Missing privilege separation directory: /run/sshd (derived fixture)",
            )
        }
        "files" => x.files = Section::not_collected(reason),
        "storage" => x.storage = Section::error("df: exit 1 (derived fixture)"),
        "directory" => {
            x.directory = Section::error("ldap bind: invalid credentials (derived fixture)")
        }
        "gpos" => x.gpos = Section::not_collected(reason),
        "domain_membership" => x.domain_membership = Section::not_collected(reason),
        "windows_features" => {
            x.windows_features =
                Section::error("Get-WindowsFeature: access denied (derived fixture)")
        }
        "wsus_client" => x.wsus_client = Section::not_collected(reason),
        "wsus_server" => x.wsus_server = Section::not_collected(reason),
        "dhcp_server" => x.dhcp_server = Section::not_collected(reason),
        "dns_server" => x.dns_server = Section::not_collected(reason),
        "windows_backup" => x.windows_backup = Section::not_collected(reason),
        "rsop" => x.rsop = Section::error("gpresult: exit 1 (derived fixture)"),
        "hypervisor" => {
            x.hypervisor = Section::error(
                "proxmox https://127.0.0.1:8006: 401 authentication failure (derived fixture)",
            )
        }
        "supervision" => {
            x.supervision =
                Section::error("icinga2 https://127.0.0.1:5665: 401 Unauthorized (derived fixture)")
        }
        "helpdesk" => {
            x.helpdesk = Section::error(
                "glpi https://127.0.0.1/apirest.php: 401 ERROR_SESSION_TOKEN_INVALID (derived fixture)",
            )
        }
        "appliance" => {
            x.appliance = Section::error("ssh fw1: cat /conf/config.xml: exit 1 (derived fixture)")
        }
        "package_repositories" => {
            x.package_repositories = Section::error(
                "collector package_repositories: timed out after 15.0 s (derived fixture)",
            )
        }
        "deployment" => {
            x.deployment = Section::error("deployment : Access is denied (derived fixture)")
        }
        other => panic!("unknown section {other}"),
    }
    s
}

/// Compiles `expect_yaml` for a `linux` role, evaluates it on `snapshot`, renders the outcome.
pub(crate) fn kind_case(expect_yaml: &str, snapshot: &Snapshot) -> String {
    kind_case_as("linux", expect_yaml, snapshot)
}

/// Same as [`kind_case`], the snapshot being the host of `role` (`dc` for AD kinds).
pub(crate) fn kind_case_as(role: &str, expect_yaml: &str, snapshot: &Snapshot) -> String {
    kind_case_with_vars(role, &BTreeMap::new(), expect_yaml, snapshot)
}

/// Same as [`kind_case_as`], with pack variables for `${name}` templates.
pub(crate) fn kind_case_with_vars(
    role: &str,
    vars: &BTreeMap<String, String>,
    expect_yaml: &str,
    snapshot: &Snapshot,
) -> String {
    let raw: Sp<RawExpect> = serde_saphyr::from_str_with_options(
        expect_yaml,
        serde_saphyr::options! { strict_booleans: true },
    )
    .expect("expectation parses");
    let roles = BTreeMap::from([
        ("linux".to_owned(), HostOs::Linux),
        ("dc".to_owned(), HostOs::Windows),
    ]);
    let mut diags = Diagnostics::new("test.yaml");
    let compiled = compile(
        &raw,
        &mut Compile {
            vars,
            roles: &roles,
            diags: &mut diags,
        },
    );
    let Some(compiled) = compiled else {
        return diags
            .finish()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
    };
    let zone = crate::eval::ExamZone::default();
    let view = HostView::new(role, snapshot, Some(1_795_455_000), &zone);
    let hosts = Hosts {
        by_role: BTreeMap::from([("dc", HostState::Missing)]),
    };
    let mut out = Vec::new();
    let (status, fraction) = evaluate(&compiled, &view, &hosts, &mut out);
    one_language(expect_yaml, snapshot, &out);
    let mut text = format!("{status:?} ({fraction:.2})\n");
    for e in out {
        let _ = writeln!(
            text,
            "- [{:?}] {}/{} {} {}: attendu « {} », observé « {} »",
            e.status, e.host, e.section, e.path, e.property, e.expected, e.actual
        );
    }
    text
}

/// One language at a time (issue 14 item 5), on every kind case: what the kind wrote into the
/// model (expected, actual, path, look-alike) holds no French, and each value that holds one
/// of constat's English words is shown in French through `eval/words.rs`. Host and pack text
/// may be French or English: every string of the snapshot and every word of the expectation
/// is removed from a value before its words are judged.
fn one_language(expect_yaml: &str, snapshot: &Snapshot, evidence: &[crate::eval::Evidence]) {
    use crate::i18n::Lang;
    use crate::i18n::one_language::{english, french, words};
    // The first kind the expectation names (`all: [{user: …}]` names `user`).
    let names: Vec<String> = crate::kinds::kind_docs()
        .into_iter()
        .map(|(name, _)| name.to_owned())
        .chain(["select".to_owned(), "fact".to_owned()])
        .collect();
    let kind = names
        .iter()
        .filter_map(|n| {
            expect_yaml
                .match_indices(&format!("{n}:"))
                .find(|(at, _)| {
                    expect_yaml[..*at]
                        .chars()
                        .last()
                        .is_none_or(|c| !c.is_alphanumeric() && c != '_')
                })
                .map(|(at, _)| (at, n.as_str()))
        })
        .min()
        .map_or("?", |(_, n)| n);
    let check = std::thread::current()
        .name()
        .unwrap_or("(unnamed test)")
        .to_owned();
    let host: std::cell::OnceCell<Vec<String>> = std::cell::OnceCell::new();
    let host_strings = || -> Vec<String> {
        host.get_or_init(|| {
            let mut all = Vec::new();
            strings(
                &serde_json::to_value(snapshot).expect("snapshot serializes"),
                &mut all,
            );
            // A program's output is shown line by line (`stderr` without its newline).
            let lines: Vec<String> = all
                .iter()
                .filter(|s| s.contains('\n'))
                .flat_map(|s| s.lines().map(|l| l.trim().to_owned()))
                .collect();
            all.extend(lines);
            all.retain(|s| s.chars().count() >= 2);
            for s in &mut all {
                *s = s.to_lowercase();
            }
            all.sort_by_key(|s| std::cmp::Reverse(s.len()));
            all.dedup();
            all
        })
        .clone()
    };
    let pack: std::collections::BTreeSet<String> = words(expect_yaml).collect();
    // The expectation's keys (`min_priority` in `{min_priority: 3}`), less those the French
    // catalogue itself names as keys (« donnez since: dans le pack »).
    let catalogue: String = crate::eval::words::french_forms().collect();
    let pack_keys: Vec<String> = expect_yaml
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .filter_map(|w| w.strip_suffix(':'))
        .filter(|k| !k.is_empty() && !k.contains(':'))
        .filter(|k| !catalogue.contains(&format!("{k}:")))
        .map(str::to_owned)
        .collect();
    // English words the French display itself uses (« snapshot », « start »).
    let french_too: std::collections::BTreeSet<String> =
        crate::eval::words::french_forms().flat_map(words).collect();
    let english = |w: &str| english(w) && !french_too.contains(w);
    // The words of `value` that neither the host nor the pack wrote and that `bad` finds.
    let written = |value: &str, bad: &dyn Fn(&str) -> bool| -> Vec<String> {
        if !words(value).any(|w| bad(&w) && !pack.contains(&w)) {
            return Vec::new();
        }
        let mut rest = value.to_lowercase();
        for s in host_strings() {
            rest = without_whole(&rest, &s);
        }
        words(&rest)
            .filter(|w| bad(w) && !pack.contains(w))
            .collect()
    };
    // Property names are keys in the model (`read (other accounts)`), shown through their
    // display names (`i18n/properties.rs`): every one a kind writes has one.
    let properties: std::collections::BTreeSet<String> =
        evidence.iter().flat_map(|e| words(&e.property)).collect();
    let english = |w: &str| english(w) && !properties.contains(w);
    let mut problems = Vec::new();
    for e in evidence {
        if !e.section.is_empty() && Lang::Fr.section_noun(&e.section).is_none() {
            problems.push(format!(
                "section `{}` has no noun: add it to i18n.rs `section_noun` in both languages",
                e.section
            ));
        }
        if Lang::Fr.property_words(&e.section, &e.property).is_none() {
            problems.push(format!(
                "property `{}` (section `{}`) has no display name: add it to \
                 i18n/properties.rs in both languages",
                e.property, e.section
            ));
        } else if let Some(fr) = Lang::Fr.property_words(&e.section, &e.property) {
            let found = written(&fr, &english);
            if !found.is_empty() {
                problems.push(format!(
                    "English {found:?} in the French name of property `{}`: {fr}",
                    e.property
                ));
            }
        }
        let fields = [
            ("expected", Some(e.expected.as_ref())),
            ("actual", Some(e.actual.as_ref())),
            ("path", Some(e.path.as_str())),
            ("look_alike", e.look_alike.as_deref()),
        ];
        for (field, value) in fields {
            let Some(value) = value else { continue };
            let found = written(value, &french);
            if !found.is_empty() {
                problems.push(format!(
                    "French {found:?} in the model ({field} of {}): {value}",
                    e.property
                ));
            }
            if field == "path" {
                continue;
            }
            let shown =
                crate::eval::words::display(Lang::Fr, value).unwrap_or_else(|| value.to_owned());
            let found = written(&shown, &english);
            if !found.is_empty() {
                problems.push(format!(
                    "English {found:?} left in French ({field} of {}): {value} → {shown}",
                    e.property
                ));
            }
            let forms = if crate::i18n::one_language::untranslated(&shown).is_empty() {
                Vec::new()
            } else {
                let mut rest = shown.to_lowercase();
                for s in host_strings() {
                    rest = without_whole(&rest, &s);
                }
                crate::i18n::one_language::untranslated(&rest)
            };
            if !forms.is_empty() {
                problems.push(format!(
                    "untranslated {forms:?} in French ({field} of {}): {value} → {shown}",
                    e.property
                ));
            }
            // The pack's own keys (`category: any`) are English words the pack wrote: shown
            // as labels, they read in French (`eval/key_lists.rs`).
            let keys = written_keys(&shown, &pack_keys, &host_strings);
            if !keys.is_empty() {
                problems.push(format!(
                    "pack key(s) {keys:?} left as labels in French ({field} of {}): {value} → {shown}",
                    e.property
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "kind `{kind}`, check {check}: one language at a time (write the English in the kind, \
         its French in eval/words.rs PHRASES or WORDS):\n  {}",
        problems.join("\n  ")
    );
}

/// The pack keys written `key: ` in `shown` once the host's strings are removed.
fn written_keys(
    shown: &str,
    keys: &[String],
    host_strings: &dyn Fn() -> Vec<String>,
) -> Vec<String> {
    let label = |text: &str, key: &str| {
        text.match_indices(&format!("{key}: ")).any(|(at, _)| {
            text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric() && c != '_')
        })
    };
    let lower = shown.to_lowercase();
    if !keys.iter().any(|k| label(&lower, k)) {
        return Vec::new();
    }
    let mut rest = lower;
    for s in host_strings() {
        rest = without_whole(&rest, &s);
    }
    keys.iter().filter(|k| label(&rest, k)).cloned().collect()
}

/// `text` with every occurrence of `part` that does not cut a word replaced by a space.
fn without_whole(text: &str, part: &str) -> String {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(part) {
        let end = at + part.len();
        let cuts = (alnum(rest[..at].chars().next_back()) && alnum(part.chars().next()))
            || (alnum(rest[end..].chars().next()) && alnum(part.chars().next_back()));
        out.push_str(&rest[..at]);
        out.push_str(if cuts { part } else { " " });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Every string and object key of a JSON value.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
            out.push(k.clone());
            strings(v, out);
        }),
        _ => {}
    }
}

/// The real Samba DC (`ad()`) with one NETLOGON logon script as the LDAP collector records
/// it (section shape of `constat_windows::logon_scripts::assemble`), run by mmartin's
/// `scriptPath`, mapping S: to \\srv-file01\Compta at line 3.
pub(crate) fn with_netlogon_script(
    mut snapshot: constat_snapshot::Snapshot,
) -> constat_snapshot::Snapshot {
    use constat_snapshot::logon_scripts::{
        DriveMapMethod, LogonScript, LogonScripts, ScriptDriveMap, ScriptLanguage, ScriptSource,
    };
    if let constat_snapshot::section::Section::Collected { data } = &mut snapshot.sections.directory
    {
        for user in &mut data.users {
            if user.sam_account_name == "mmartin" {
                user.script_path = Some("compta\\lecteurs.bat".to_owned());
            }
        }
    }
    snapshot.sections.logon_scripts = constat_snapshot::section::Section::collected(LogonScripts {
        scripts: vec![LogonScript {
            source: ScriptSource::Netlogon,
            gpo_guid: None,
            path: "Compta\\lecteurs.bat".to_owned(),
            language: ScriptLanguage::Batch,
            size: 96,
            sha256: "0".repeat(64),
            drive_maps: vec![ScriptDriveMap {
                letter: "S".to_owned(),
                path: "\\\\srv-file01\\Compta".to_owned(),
                line: 3,
                method: DriveMapMethod::NetUse,
                persistent: Some(true),
                user: None,
                statement: "net use S: \\\\srv-file01\\Compta /persistent:yes".to_owned(),
            }],
        }],
        skipped: Vec::new(),
    });
    snapshot
}

/// A Windows client (`windows-probe.json`, domain tssr.lan) with the `profile_mappings`
/// section in the shape of the probe normaliser (`windows/src/probe/profiles.rs`, its test
/// data written in the probe's output format: no Windows host runs here): alefevre's hive
/// loaded (S: and H:, a printer, MountPoints2 shares), bmoreau's not loaded.
pub(crate) fn windows_client_profiles() -> Snapshot {
    let mut snapshot = windows_probe();
    snapshot.host.domain = Some("tssr.lan".to_owned());
    snapshot.sections.profile_mappings = Section::Collected {
        data: serde_json::from_value(serde_json::json!([
            {"sid": "S-1-5-21-1004336348-1177238915-682003330-1121", "account": "TSSR\\alefevre",
             "profile_path": "C:\\Users\\alefevre", "loaded": true,
             "drives": [{"letter": "H", "remote_path": "\\\\SRV-AD\\Perso$\\alefevre", "provider": "Microsoft Windows Network"},
                        {"letter": "S", "remote_path": "\\\\SRV-AD\\Commercial", "provider": "Microsoft Windows Network"}],
             "printers": ["\\\\SRV-AD\\Imprimante-RDC"],
             "mounted_shares": ["\\\\SRV-AD\\Commercial", "\\\\SRV-AD\\Perso$"]},
            {"sid": "S-1-5-21-1004336348-1177238915-682003330-1122", "account": "TSSR\\bmoreau",
             "profile_path": "C:\\Users\\bmoreau", "loaded": false, "drives": [], "printers": []}
        ]))
        .expect("profiles parse"),
    };
    snapshot
}
