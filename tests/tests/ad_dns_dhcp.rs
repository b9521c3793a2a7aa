//! Real AD test of the `dns_zone` kind and of `dhcp_scope`'s authorisation in AD, on the
//! Samba AD DC of `tests/src/samba.rs`: after restore, the test creates a reverse zone with
//! `samba-tool dns zonecreate` (Samba writes its `dnsProperty`, dynamic updates "secure"),
//! opens it to nonsecure updates by rewriting that property over LDAP with Samba's own Python
//! bindings, and writes the `dHCPClass` objects of [MS-DHCPE] 7.8 under
//! `CN=NetServices,CN=Services` (`DhcpRoot` listing dc01, plus a server object DhcpRoot does
//! not list). The LDAP collector reads them from the client namespace; the checker grades
//! them. No Windows DHCP server exists here: the scope itself is not collected over LDAP.

use constat_snapshot::Snapshot;
use constat_tests::grading::grade_snapshot;
use constat_tests::real::real_tests_enabled;
use constat_tests::samba::{ADMIN_PASSWORD, DC_IP, SambaDc};
use serde_json::{Value, json};
use std::fmt::Write;
use std::path::Path;

const PACK: &str = r#"
pack:
  id: lab-dns-dhcp
  title: "DNS et DHCP dans l'annuaire"
  version: "1"
  referentiel: tssr-2023
  profile: titre
hosts:
  dc: {os: windows}
checks:
  - id: reverse-zone
    title: "Zone inverse 192.168.10.0/24 intégrée à AD, mises à jour sécurisées"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    expect:
      dns_zone: {zone: 192.168.10.0/24, reverse: true, ad_integrated: true, dynamic_update: secure,
                 records: [{name: '10', type: PTR, data: dc01.tssr.lan}]}
  - id: forward-zone
    title: "Zone tssr.lan sécurisée"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    expect:
      dns_zone: {zone: tssr.lan, reverse: false, dynamic_update: secure,
                 records: [{name: srv-wsus, data: 10.204.0.20}]}
  - id: missing-zone
    title: "Zone inverse 10.99.0.0/16"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    expect:
      dns_zone: {zone: 10.99.0.0/16}
  - id: dhcp-authorized
    title: "Serveur DHCP autorisé dans AD"
    criteres: [tssr-2023/CP2/C2]
    hosts: [dc]
    expect:
      dhcp_scope: {scope: 192.168.10.0, authorized: true}
"#;

/// Run in the DC namespace: the zone, its update setting, the DHCP authorisation objects.
fn prepare(dc: &SambaDc) {
    let conf = dc.dir().join("client-smb.conf");
    dc.run_in_dc(&format!(
        "samba-tool dns zonecreate {DC_IP} 10.168.192.in-addr.arpa -U 'Administrator%{ADMIN_PASSWORD}' >/dev/null && \
         samba-tool dns add {DC_IP} 10.168.192.in-addr.arpa 10 PTR dc01.tssr.lan -U 'Administrator%{ADMIN_PASSWORD}' >/dev/null"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let script = format!(
        r#"/usr/bin/python3 - <<'PY'
import ldb
from samba import Ldb
from samba.credentials import Credentials
from samba.param import LoadParm
lp = LoadParm(); lp.load("{conf}")
creds = Credentials(); creds.guess(lp)
creds.set_username("Administrator"); creds.set_password("{ADMIN_PASSWORD}"); creds.set_domain("TSSR")
db = Ldb(url="ldap://{DC_IP}", credentials=creds, lp=lp)
# tssr.lan opened to nonsecure updates: DSPROPERTY_ZONE_ALLOW_UPDATE (id 2) data = 1.
zone = "DC=tssr.lan,CN=MicrosoftDNS,DC=DomainDnsZones,DC=tssr,DC=lan"
res = db.search(base=zone, scope=ldb.SCOPE_BASE, attrs=["dNSProperty"])
values = []
for v in res[0]["dNSProperty"]:
    v = bytes(v)
    if int.from_bytes(v[16:20], "little") == 2:
        v = v[:20] + bytes([1]) + v[21:]
    values.append(v)
m = ldb.Message(); m.dn = ldb.Dn(db, zone)
m["dNSProperty"] = ldb.MessageElement(values, ldb.FLAG_MOD_REPLACE, "dNSProperty")
db.modify(m)
# [MS-DHCPE] 7.8: DhcpRoot lists the authorised servers; each server has its own object.
base = "CN=NetServices,CN=Services,CN=Configuration,DC=tssr,DC=lan"
def dhcp(cn, servers):
    db.add({{"dn": "CN=%s,%s" % (cn, base), "objectClass": "dHCPClass",
             "dhcpUniqueKey": "0", "dhcpType": "0", "dhcpFlags": "0",
             "dhcpIdentification": "DHCP Server Object", "dhcpServers": servers}})
dhcp("DhcpRoot", ["i10.204.0.10$rcn=dc01.tssr.lan$f0x00000000$sdc01.tssr.lan$"])
dhcp("dc01.tssr.lan", ["i10.204.0.10$rcn=dc01.tssr.lan$f0x00000000$sdc01.tssr.lan$"])
dhcp("old-dhcp.tssr.lan", ["i10.204.0.99$rcn=old-dhcp.tssr.lan$f0x00000000$sold-dhcp.tssr.lan$"])
PY"#,
        conf = conf.display()
    );
    dc.run_in_dc(&script).unwrap_or_else(|e| panic!("{e}"));
}

fn collect(dc: &SambaDc) -> Snapshot {
    let mut settings = dc.admin_settings();
    settings["sysvol"] = false.into();
    dc.collect_snapshot(
        Path::new(env!("CARGO_BIN_EXE_constat-ldap-collect")),
        &settings,
    )
}

#[test]
fn zones_and_dhcp_authorisation_over_ldap() {
    if !real_tests_enabled() {
        return;
    }
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    prepare(&dc);
    let snapshot = collect(&dc);
    let directory = snapshot.sections.directory.data().expect("directory");
    // What the collector read, before any grading.
    let zones: Vec<Value> = directory
        .dns_zones
        .iter()
        .map(|z| json!({"name": z.name, "reverse": z.reverse, "dynamic_update": z.dynamic_update, "errors": z.errors}))
        .collect();
    let pack = constat_checker_core::pack::load("lab-dns-dhcp.yaml", PACK).expect("pack");
    let report = grade_snapshot(&pack, "a", "dc", snapshot.clone(), "2026-12-02T12:00:00Z");
    let mut graded = String::new();
    for check in &report.checks {
        let _ = writeln!(graded, "{} {:?}", check.id, check.outcome);
        for e in &check.evidence {
            let _ = writeln!(
                graded,
                "  [{:?}] {} {}: attendu « {} », observé « {} »",
                e.status, e.path, e.property, e.expected, e.actual
            );
        }
    }
    insta::assert_yaml_snapshot!(
        "zones_and_dhcp",
        json!({
            "zones": zones,
            "dhcp_authorizations": directory.dhcp_authorizations,
            "graded": graded.lines().collect::<Vec<_>>(),
        })
    );
}
