//! Real AD test of selections (issue 15 item 1): on the lab Samba AD DC
//! (tests/src/samba.rs), `samba-tool` creates a sales department whose accounts are found
//! only by relation — a global group nested in another and in a domain-local group, a
//! member through its primary group, one in a sub-OU, one left in `CN=Users`, one
//! disabled — and `ldapmodify` sets logon hours on some. The LDAP collector reads the DC
//! from the client namespace; a pack of `select` checks is graded on that real collection
//! and compared with the full expected report.

use constat_snapshot::Snapshot;
use constat_tests::grading::grade_snapshot;
use constat_tests::real::real_tests_enabled;
use constat_tests::samba::{ADMIN_PASSWORD, DC_IP, SambaDc};
use std::path::Path;

/// What the trainer's subject asks, written with selections (no account named).
const PACK: &str = r#"
pack:
  id: ad-select-vente
  title: "Service commercial : groupes, OU et horaires par groupe"
  referentiel: tssr-2023
  profile: titre
hosts:
  dc:
    os: windows
checks:
  - id: vente-horaires
    title: "Les membres actifs de GG_Vente se connectent du lundi au vendredi de 8 h à 18 h"
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    points: 5
    partial: true
    expect:
      select:
        ad_user: {member_of: GG_Vente, enabled: true}
        all: {ad_user: {name: "${member}", logon_hours: ["Mon-Fri 08:00-18:00"]}}
  - id: vente-partage
    title: "Le groupe de partage GL_Vente_RW atteint au moins cinq comptes (AGDLP)"
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    expect:
      select:
        ad_user: {member_of: GL_Vente_RW}
        count: {min: 5}
  - id: vente-directs
    title: "GG_Vente a entre deux et cinq membres directs (primaire compris)"
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    expect:
      select:
        ad_user: {member_of: GG_Vente, nested: false}
        count: {min: 2, max: 5}
  - id: vente-ou
    title: "Au moins deux comptes de l'OU Vente (sous-OU comprises) sont actifs dans GG_Vente"
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    expect:
      select:
        ad_user: {ou: "Siege/Vente"}
        at_least: {n: 2, expect: {ad_user: {name: "${member}", enabled: true, member_of: [GG_Vente], nested: true}}}
  - id: vente-ou-directe
    title: "L'OU Vente elle-même (sans sous-OU) contient au plus trois comptes actifs"
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    expect:
      select:
        ad_user: {ou: "OU=Vente,OU=Siege", recursive: false, enabled: true}
        count: {max: 3}
  - id: achats-horaires
    title: "Les membres de GG_Achats ont leurs horaires"
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    expect:
      select:
        ad_user: {member_of: GG_Achats}
        all: {ad_user: {name: "${member}", logon_hours: ["Mon-Fri 08:00-18:00"]}}
"#;

/// Builds the sales department on the running DC with the real tools.
fn populate(dc: &SambaDc) {
    // Mon-Fri 08:00-18:00 Europe/Paris winter time (UTC+1) = 07:00-17:00 UTC, as in
    // tests/scripts/samba-dc-build.sh.
    let mut bits = [0u8; 21];
    for day in 1..=5 {
        for hour in 7..17 {
            let i = day * 24 + hour;
            bits[i / 8] |= 1 << (i % 8);
        }
    }
    let hours = base64(&bits);
    let script = format!(
        r#"set -e
st() {{ samba-tool "$@" -H ldap://{DC_IP} -U 'Administrator%{ADMIN_PASSWORD}' >/dev/null; }}
st ou create "OU=Siege,DC=tssr,DC=lan"
st ou create "OU=Vente,OU=Siege,DC=tssr,DC=lan"
st ou create "OU=Export,OU=Vente,OU=Siege,DC=tssr,DC=lan"
st group add GG_Vente --groupou="OU=Vente,OU=Siege"
st group add GG_Vente_Export --groupou="OU=Export,OU=Vente,OU=Siege"
st group add GL_Vente_RW --groupou="OU=Vente,OU=Siege" --group-scope=Domain
for u in avente bvente dprimaire edesactive; do
  st user create $u 'Vente2026!Commercial' --userou="OU=Vente,OU=Siege"
done
st user create cexport 'Vente2026!Commercial' --userou="OU=Export,OU=Vente,OU=Siege"
st user create fhors 'Vente2026!Commercial'
st group addmembers GG_Vente avente,bvente,dprimaire,edesactive,fhors
st group addmembers GG_Vente_Export cexport
st group addmembers GG_Vente GG_Vente_Export
st group addmembers GL_Vente_RW GG_Vente
st user setprimarygroup dprimaire GG_Vente
st user disable edesactive
LDAPTLS_REQCERT=never ldapmodify -x -H ldaps://{DC_IP} -D Administrator@tssr.lan -w '{ADMIN_PASSWORD}' >/dev/null <<LDIF
dn: CN=avente,OU=Vente,OU=Siege,DC=tssr,DC=lan
changetype: modify
replace: logonHours
logonHours:: {hours}

dn: CN=cexport,OU=Export,OU=Vente,OU=Siege,DC=tssr,DC=lan
changetype: modify
replace: logonHours
logonHours:: {hours}

dn: CN=dprimaire,OU=Vente,OU=Siege,DC=tssr,DC=lan
changetype: modify
replace: logonHours
logonHours:: {hours}
LDIF
"#
    );
    dc.run_in_dc(&script).unwrap_or_else(|e| panic!("{e}"));
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn collector() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_constat-ldap-collect"))
}

fn collect(dc: &SambaDc) -> Snapshot {
    let mut settings = dc.admin_settings();
    settings["offset_minutes"] = 60.into();
    settings["sysvol"] = false.into();
    dc.collect_snapshot(collector(), &settings)
}

#[test]
fn selections_by_nested_group_primary_group_and_ou_on_a_real_dc() {
    if !real_tests_enabled() {
        return;
    }
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    populate(&dc);
    let mut snapshot = collect(&dc);
    // Logon hours are read at the offset in force when the directory was collected: a
    // fixed winter instant keeps the verdicts and the evidence the same whatever the day.
    snapshot.collection.started_at = "2026-12-02T13:00:00Z".to_owned();
    let pack = constat_checker_core::pack::load("ad-select-vente.yaml", PACK)
        .unwrap_or_else(|d| panic!("{}", constat_checker_core::pack::render_diagnostics(&d)));
    let report = grade_snapshot(&pack, "cand-1", "dc", snapshot, "2026-12-02T14:00:00Z");
    let mut value = serde_json::to_value(&report).unwrap_or_else(|e| panic!("{e}"));
    // What describes the machine (its name, SID, collection times) and the tool's version
    // is not what is graded here.
    if let Some(map) = value.as_object_mut() {
        map.remove("hosts");
        map.remove("tool");
    }
    insta::assert_json_snapshot!("graded_report", value);
}
