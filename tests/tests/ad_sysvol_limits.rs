//! Real SYSVOL bound (issue 15, security): on the Samba AD DC of `ad_samba.rs`, a GPO made
//! with `samba-tool gpo create` gets a Registry.pol larger than the per-file limit (put over
//! SMB as an administrator would) and a sparse 1 GiB junk file beside it. The collector
//! (client namespace, LDAPS + SMB) lists both, downloads neither, names the Registry.pol in
//! the GPO's `skipped` with the limit, and a check on that GPO's registry is not assessable
//! (unknown, never "absent"). The other GPOs are read as before.

use constat_tests::grading::grade_snapshot;
use constat_tests::real::real_tests_enabled;
use constat_tests::samba::{SambaDc, with_gpo_create};
use std::path::Path;

/// What the candidate does on the DC: a GPO whose Registry.pol is 5 MiB (the limit is 4),
/// and a 1 GiB file in its folder (sparse on the DC's disk: never downloaded, so free).
const CANDIDATE: &str = r#"set -e
IP=10.204.0.10
A="Administrator%Passw0rd!TSSR"
W=$(mktemp -d)
GUID=$(gpo_create GPO_Volumineux -H "ldap://$IP" -U "$A")
samba-tool gpo setlink "OU=Comptabilite,DC=tssr,DC=lan" "$GUID" -H "ldap://$IP" -U "$A" >/dev/null
head -c 5242880 /dev/zero > "$W/Registry.pol"
smbclient "//$IP/sysvol" -U "$A" -c "cd tssr.lan\\Policies\\$GUID\\Machine; put $W/Registry.pol Registry.pol" >/dev/null
DIR=$(find "$DC_DIR" -type d -ipath "*/sysvol/tssr.lan/policies/$GUID" | head -n 1)
truncate -s 1G "$DIR/Machine/image.iso"
rm -rf "$W"
"#;

const PACK: &str = r#"
pack: {id: sysvol-limits, title: "GPO volumineuse", referentiel: tssr-2023, profile: titre}
hosts:
  dc: {os: windows}
checks:
  - id: volumineux-registry
    title: "GPO_Volumineux fixe une valeur de registre"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    expect:
      gpo:
        name: GPO_Volumineux
        registry:
          - {scope: machine, key: 'Software\Policies\Microsoft\Windows\WindowsUpdate', value: WUServer, equals: 'http://wsus'}
  - id: compta-registry
    title: "GPO_Compta_Securite fixe WUServer"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    expect:
      gpo:
        name: GPO_Compta_Securite
        registry:
          - {scope: machine, key: 'Software\Policies\Microsoft\Windows\WindowsUpdate', value: WUServer, equals: 'http://srv-wsus.tssr.lan:8530'}
"#;

fn collector() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_constat-ldap-collect"))
}

#[test]
fn oversized_sysvol_files_are_named_and_never_downloaded() {
    if !real_tests_enabled() {
        return;
    }
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    let script = format!("DC_DIR='{}'\n{CANDIDATE}", dc.dir().display());
    dc.run_in_dc(&with_gpo_create(&script))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut settings = dc.admin_settings();
    settings["offset_minutes"] = 60.into();
    let snapshot = dc.collect_snapshot(collector(), &settings);
    let gpos = snapshot.sections.gpos.data().expect("gpos collected");
    let big = gpos
        .iter()
        .find(|g| g.display_name.as_deref() == Some("GPO_Volumineux"))
        .expect("GPO_Volumineux collected");
    let compta = gpos
        .iter()
        .find(|g| g.display_name.as_deref() == Some("GPO_Compta_Securite"))
        .expect("GPO_Compta_Securite collected");
    assert!(!compta.registry.is_empty(), "the other GPOs are still read");

    let pack = constat_checker_core::pack::load("sysvol.yaml", PACK).expect("pack");
    let report = grade_snapshot(&pack, "a", "dc", snapshot.clone(), "2026-11-23T18:00:00Z");
    let mut graded = String::new();
    for check in &report.checks {
        graded.push_str(&format!("{} {:?}\n", check.id, check.outcome));
        for e in check
            .evidence
            .iter()
            .filter(|e| e.property.starts_with("registry"))
        {
            graded.push_str(&format!("  [{:?}] {}\n", e.status, e.actual));
        }
    }
    insta::assert_snapshot!(
        "oversized_sysvol_files",
        format!(
            "files: {:?}\nskipped: {:#?}\nregistry: {:?}\n\n{graded}",
            big.files, big.skipped, big.registry
        )
    );
}
