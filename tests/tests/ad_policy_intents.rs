//! Real policy intents (issue 15 items 2 and 4): on the Samba AD DC of `ad_samba.rs`, real
//! GPOs written as an administrator would over SMB: the security setting
//! `ForceLogoffWhenHourExpire = 1` in the Default Domain Policy's GptTmpl.inf (UTF-16LE,
//! as GPMC writes it), a GPO_Ecran linked to OU=Comptabilite whose user Registry.pol
//! (written with Samba's NDR bindings, `tests/scripts/make_registry_pol.py`) holds the
//! three Administrative Templates screen saver values, and a GPO_Veille_Utilisateur whose
//! Registry.pol writes the same values under the user's own `Control Panel\Desktop` (a
//! look-alike). The collector reads them over LDAPS + SMB; `forced_logoff` and
//! `screensaver` grade the collection.

use constat_tests::grading::grade_snapshot;
use constat_tests::real::real_tests_enabled;
use constat_tests::samba::{SambaDc, with_gpo_create};
use std::path::Path;

/// What the candidate does on the DC (`$POL` is the Registry.pol writer).
const CANDIDATE: &str = r#"set -e
IP=10.204.0.10
A="Administrator%Passw0rd!TSSR"
W=$(mktemp -d)
DDP='{31B2F340-016D-11D2-945F-00C04FB984F9}'
printf '[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nForceLogoffWhenHourExpire = 1\r\n[Version]\r\nsignature="$CHICAGO$"\r\nRevision=1\r\n' \
  | iconv -f UTF-8 -t UTF-16LE | { printf '\377\376'; cat; } > "$W/GptTmpl.inf"
smbclient "//$IP/sysvol" -U "$A" -c "cd tssr.lan\\Policies\\$DDP; mkdir Machine; mkdir Machine\\Microsoft; mkdir \"Machine\\Microsoft\\Windows NT\"; mkdir \"Machine\\Microsoft\\Windows NT\\SecEdit\"; put $W/GptTmpl.inf \"Machine\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf\"" >/dev/null 2>&1
/usr/bin/python3 "$POL" "$W/ecran.pol" \
  'Software\Policies\Microsoft\Windows\Control Panel\Desktop;ScreenSaveActive;SZ;1' \
  'Software\Policies\Microsoft\Windows\Control Panel\Desktop;ScreenSaverIsSecure;SZ;1' \
  'Software\Policies\Microsoft\Windows\Control Panel\Desktop;ScreenSaveTimeOut;SZ;600' >/dev/null
/usr/bin/python3 "$POL" "$W/veille.pol" \
  'Control Panel\Desktop;ScreenSaveActive;SZ;1' \
  'Control Panel\Desktop;ScreenSaverIsSecure;SZ;1' \
  'Control Panel\Desktop;ScreenSaveTimeOut;SZ;300' >/dev/null
for pair in "GPO_Ecran ecran.pol" "GPO_Veille_Utilisateur veille.pol"; do
  set -- $pair
  GUID=$(gpo_create "$1" -H "ldap://$IP" -U "$A")
  samba-tool gpo setlink "OU=Comptabilite,DC=tssr,DC=lan" "$GUID" -H "ldap://$IP" -U "$A" >/dev/null
  smbclient "//$IP/sysvol" -U "$A" -c "cd tssr.lan\\Policies\\$GUID\\User; put $W/$2 Registry.pol" >/dev/null
done
rm -rf "$W"
"#;

const PACK: &str = r#"
pack: {id: intents, title: "Stratégies du sujet", referentiel: tssr-2023, profile: titre}
hosts:
  dc: {os: windows}
checks:
  - id: forced-logoff
    title: "Fermeture de session forcée à la fin des horaires"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    expect: {forced_logoff: {}}
  - id: screensaver-10
    title: "Écran de veille verrouillé après 10 minutes"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    expect: {screensaver: {minutes: 10}}
  - id: screensaver-5
    title: "Écran de veille verrouillé après 5 minutes"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    expect: {screensaver: {minutes: 5}}
"#;

fn collector() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_constat-ldap-collect"))
}

#[test]
fn forced_logoff_and_screensaver_from_real_gpos() {
    if !real_tests_enabled() {
        return;
    }
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    let script = format!(
        "POL='{}/scripts/make_registry_pol.py'\n{CANDIDATE}",
        env!("CARGO_MANIFEST_DIR")
    );
    dc.run_in_dc(&with_gpo_create(&script))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut settings = dc.admin_settings();
    settings["offset_minutes"] = 60.into();
    let snapshot = dc.collect_snapshot(collector(), &settings);
    let gpos = snapshot.sections.gpos.data().expect("gpos collected");
    let mut collected = String::new();
    for gpo in gpos.iter().filter(|g| {
        matches!(
            g.display_name.as_deref(),
            Some("Default Domain Policy" | "GPO_Ecran" | "GPO_Veille_Utilisateur")
        )
    }) {
        collected.push_str(&format!(
            "{}: system_access {:?}, registry {:?}\n",
            gpo.display_name.as_deref().unwrap_or_default(),
            gpo.security.as_ref().map(|s| &s.system_access),
            gpo.registry
                .iter()
                .map(|r| format!("{}\\{} = {}", r.key, r.value_name, r.data))
                .collect::<Vec<_>>()
        ));
    }

    let pack = constat_checker_core::pack::load("intents.yaml", PACK).expect("pack");
    let report = grade_snapshot(&pack, "a", "dc", snapshot.clone(), "2026-11-23T18:00:00Z");
    let mut graded = String::new();
    for check in &report.checks {
        graded.push_str(&format!("{} {:?}\n", check.id, check.outcome));
        for e in &check.evidence {
            graded.push_str(&format!(
                "  [{:?}] {}: expected {} / observed {}\n",
                e.status, e.property, e.expected, e.actual
            ));
        }
    }
    insta::assert_snapshot!("policy_intents", format!("{collected}\n{graded}"));
}
