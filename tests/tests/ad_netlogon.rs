//! Real NETLOGON test (issue 15 items 1-3): on the Samba AD DC of `ad_samba.rs`
//! (tests/src/samba.rs), real logon scripts are written into the DC's NETLOGON share and
//! into a real GPO made with `samba-tool gpo create` (no drive map), over SMB as an
//! administrator would; alefevre gets `scriptPath`. The collector (client namespace, LDAPS +
//! SMB) records them in `logon_scripts`, and grading a pack that expects the drives from
//! GPO_Commercial's preferences shows each look-alike, with the `near_miss` credit.

use constat_tests::grading::grade_snapshot;
use constat_tests::real::real_tests_enabled;
use constat_tests::samba::{SambaDc, with_gpo_create};
use regex::Regex;
use std::path::Path;

/// What the candidate does on the DC: a batch file and a VBScript in NETLOGON, a user whose
/// logon script is the batch file, a GPO with a PowerShell logon script and no drive map.
const CANDIDATE: &str = r#"set -e
IP=10.204.0.10
A="Administrator%Passw0rd!TSSR"
W=$(mktemp -d)
cat > "$W/lecteurs.bat" <<'EOF'
@echo off
rem Lecteurs du service commercial
net use S: \\SRV-AD\Commercial /persistent:yes
net use H: "\\SRV-AD\Perso$\%USERNAME%"
EOF
cat > "$W/map.vbs" <<'EOF'
Set objNetwork = CreateObject("WScript.Network")
strUser = objNetwork.UserName
objNetwork.MapNetworkDrive "T:", "\\SRV-AD\Transfert\" & strUser, True
EOF
cat > "$W/lecteurs.ps1" <<'EOF'
# Lecteur P: pour le service commercial
New-PSDrive -Name P -PSProvider FileSystem -Root '\\SRV-AD\Public' -Persist | Out-Null
EOF
sed -i 's/$/\r/' "$W/lecteurs.bat" "$W/map.vbs" "$W/lecteurs.ps1"
printf '\377\376' > "$W/psscripts.ini"
printf '\r\n[Logon]\r\n0CmdLine=lecteurs.ps1\r\n0Parameters=\r\n' | iconv -t UTF-16LE >> "$W/psscripts.ini"
smbclient "//$IP/netlogon" -U "$A" -c "put $W/lecteurs.bat lecteurs.bat; mkdir Commercial; put $W/map.vbs Commercial\\map.vbs" >/dev/null
samba-tool user create alefevre 'Commercial2024!' --script-path=lecteurs.bat -H "ldap://$IP" -U "$A" >/dev/null
GUID=$(gpo_create GPO_Commercial -H "ldap://$IP" -U "$A")
smbclient "//$IP/sysvol" -U "$A" -c "cd tssr.lan\\Policies\\$GUID\\User; mkdir Scripts; cd Scripts; put $W/psscripts.ini psscripts.ini; mkdir Logon; cd Logon; put $W/lecteurs.ps1 lecteurs.ps1" >/dev/null
rm -rf "$W"
"#;

const PACK: &str = r#"
pack: {id: netlogon, title: "Lecteurs du service commercial", referentiel: tssr-2023, profile: titre}
hosts:
  dc: {os: windows}
checks:
  - id: drive-s
    title: "GPO_Commercial connecte S: à \\\\SRV-AD\\Commercial (préférence)"
    criteres: [tssr-2023/CP5/C2]
    hosts: [dc]
    points: 2
    near_miss: {points: 1, mechanisms: [logon_script]}
    expect: {gpo: {name: GPO_Commercial, drives: [{letter: "S:", path: '\\SRV-AD\Commercial'}]}}
  - id: drive-p
    title: "GPO_Commercial connecte P: (préférence)"
    criteres: [tssr-2023/CP5/C2]
    hosts: [dc]
    expect: {gpo: {name: GPO_Commercial, drives: [{letter: P}]}}
  - id: drive-t-absent-gpo
    title: "GPO_Transfert connecte T: (préférence)"
    criteres: [tssr-2023/CP5/C2]
    hosts: [dc]
    expect: {gpo: {name: GPO_Transfert, drives: [{letter: T}]}}
  - id: drive-x
    title: "GPO_Commercial connecte X: (préférence)"
    criteres: [tssr-2023/CP5/C2]
    hosts: [dc]
    expect: {gpo: {name: GPO_Commercial, drives: [{letter: X}]}}
"#;

fn collector() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_constat-ldap-collect"))
}

fn redact_guids(text: &str) -> String {
    let guid = Regex::new(
        r"\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}",
    )
    .unwrap();
    guid.replace_all(text, "{GUID}").into_owned()
}

#[test]
fn netlogon_scripts_are_collected_and_named_as_look_alikes() {
    if !real_tests_enabled() {
        return;
    }
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    dc.run_in_dc(&with_gpo_create(CANDIDATE))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut settings = dc.admin_settings();
    settings["offset_minutes"] = 60.into();
    let snapshot = dc.collect_snapshot(collector(), &settings);
    let scripts = serde_json::to_string_pretty(&snapshot.sections.logon_scripts).unwrap();

    let pack = constat_checker_core::pack::load("netlogon.yaml", PACK).expect("pack");
    let report = grade_snapshot(&pack, "a", "dc", snapshot, "2026-11-23T18:00:00Z");
    let mut graded = String::new();
    for check in &report.checks {
        graded.push_str(&format!(
            "{} {:?} earned {}\n",
            check.id, check.outcome, check.earned
        ));
        for e in check
            .evidence
            .iter()
            .filter(|e| e.property.starts_with("drives"))
        {
            graded.push_str(&format!(
                "  {} [{:?}] look_alike={:?}: {}\n",
                e.property, e.status, e.look_alike, e.actual
            ));
        }
    }
    insta::assert_snapshot!(
        "netlogon_look_alikes",
        redact_guids(&format!("{scripts}\n\n{graded}"))
    );
}
