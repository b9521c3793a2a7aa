//! Check kind `dns_zone`: a DNS zone exists (or not), forward or reverse, stored in Active
//! Directory or not, with its dynamic-update setting and the records asked.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::dns_record::{bare, relative, same_data};
use crate::kinds::kind::Kind;
use crate::kinds::windows::{listed, same};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::ad::DnsZone;
use schemars::JsonSchema;
use serde::Deserialize;

/// `dns_zone: {zone: 10.168.192.in-addr.arpa, reverse: true, ad_integrated: true,
/// dynamic_update: secure, records: [{name: '10', type: PTR, data: srv-ad01.tssr.lan}]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsZoneExpect {
    /// Zone name (`tssr.lan`, `10.168.192.in-addr.arpa`), or for a reverse zone the network
    /// it serves (`192.168.10.0/24`; prefix 8, 16 or 24). Case and a final `.` ignored.
    pub zone: Sp<String>,
    /// Whether the zone must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
    /// Reverse lookup zone (`in-addr.arpa` / `ip6.arpa`).
    #[serde(default)]
    pub reverse: Option<bool>,
    /// Stored in Active Directory (an application partition) rather than in a file.
    #[serde(default)]
    pub ad_integrated: Option<bool>,
    /// Dynamic updates: `none`, `secure` (secure only) or `nonsecure_and_secure`.
    #[serde(default)]
    pub dynamic_update: Option<DynamicUpdate>,
    /// Records the zone must hold (others allowed).
    #[serde(default)]
    pub records: Vec<ZoneRecordExpect>,
}

fn yes() -> bool {
    true
}

/// A zone's dynamic-update setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DynamicUpdate {
    /// No dynamic update.
    None,
    /// Secure updates only (Kerberos-signed, AD-integrated zones).
    Secure,
    /// Secure and nonsecure updates (anyone may register a name).
    NonsecureAndSecure,
}

impl DynamicUpdate {
    /// The name `Get-DnsServerZone` writes (and the LDAP collector too).
    fn windows_name(self) -> &'static str {
        match self {
            DynamicUpdate::None => "None",
            DynamicUpdate::Secure => "Secure",
            DynamicUpdate::NonsecureAndSecure => "NonsecureAndSecure",
        }
    }
}

/// One record a zone must hold.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneRecordExpect {
    /// Owner name relative to the zone (`intranet`, `@`), or a full name ending with it.
    pub name: Sp<String>,
    /// Record type (default `A`).
    #[serde(default, rename = "type")]
    pub record_type: Option<Sp<String>>,
    /// Data as presented (`192.168.10.20`, `srv-ad01.tssr.lan.`); for MX and SRV the target
    /// host alone is enough.
    #[serde(default)]
    pub data: Option<Sp<String>>,
}

/// Compiled `dns_zone` expectation.
#[derive(Debug, Clone)]
pub struct DnsZoneMatcher {
    zone: String,
    exists: bool,
    reverse: Option<bool>,
    ad_integrated: Option<bool>,
    dynamic_update: Option<DynamicUpdate>,
    records: Vec<(String, String, Option<String>)>,
}

/// `192.168.10.0/24` → `10.168.192.in-addr.arpa`; `Err` for a prefix that is not 8, 16 or
/// 24 or an address that is not IPv4. `Ok(None)` when the text is not a network at all.
fn reverse_zone_of(text: &str) -> Result<Option<String>, (String, String)> {
    let Some((address, prefix)) = text.trim().split_once('/') else {
        return Ok(None);
    };
    let octets: Vec<u8> = address
        .split('.')
        .map(|o| o.parse().ok())
        .collect::<Option<_>>()
        .filter(|o: &Vec<u8>| o.len() == 4)
        .ok_or_else(|| {
            (
                format!("{address:?} n'est pas une adresse IPv4"),
                format!("{address:?} is not an IPv4 address"),
            )
        })?;
    let keep = match prefix.trim() {
        "8" => 1,
        "16" => 2,
        "24" => 3,
        other => {
            return Err((
                format!("préfixe /{other} : une zone inverse IPv4 couvre /8, /16 ou /24"),
                format!("prefix /{other}: an IPv4 reverse zone covers /8, /16 or /24"),
            ));
        }
    };
    let mut labels: Vec<String> = octets[..keep].iter().map(u8::to_string).collect();
    labels.reverse();
    Ok(Some(format!("{}.in-addr.arpa", labels.join("."))))
}

impl Kind for DnsZoneExpect {
    const NAME: &'static str = "dns_zone";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory", "dns_server"]);
    const DOC: &'static str = r#"# dns_zone

## What it checks
The DNS zone `zone` exists (or, with `exists: false`, does not); when given, it is a reverse
zone or not (`reverse`), stored in Active Directory or in a file (`ad_integrated`), accepts
the dynamic updates asked (`dynamic_update`: `none`, `secure`, `nonsecure_and_secure`) and
holds each record of `records` (name relative to the zone, type, data as `dns_record`
compares them). A reverse zone may be named by its network: `zone: 192.168.10.0/24` is
`10.168.192.in-addr.arpa`.
Zones are read from the AD-integrated zones of the `directory` section (LDAP: the `dnsZone`
objects of DomainDnsZones, ForestDnsZones and the legacy System container, the update setting
from their `dnsProperty`) when the zone is there, else from the DNS server role
(`dns_server`, `Get-DnsServerZone`). Over LDAP alone a zone stored in a file cannot be seen:
a missing zone then fails unless `ad_integrated: false` is asked, which is not assessable
there. A `dnsProperty` that cannot be read is shown as such, not as a setting.

## Why it matters
« Le serveur et les services sont opérationnels » (CP2): without its reverse zone a network
has no PTR records (tools and logs show addresses, some services refuse clients); a zone not
stored in AD is not replicated to the other domain controllers; a zone open to nonsecure
updates lets any machine register or hijack a name.

## Passing example
```yaml
expect:
  dns_zone: {zone: 192.168.10.0/24, reverse: true, ad_integrated: true,
             dynamic_update: secure,
             records: [{name: "10", type: PTR, data: srv-ad01.tssr.lan}]}
```

## Failing example
The same when the reverse zone accepts nonsecure updates: `dynamic_update` fails (expected
Secure, actual NonsecureAndSecure); when the zone was never created: `exists` fails and names
the zones found.

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    const DOC_FR: &'static str = r#"# dns_zone

## Ce qui est vérifié
La zone DNS `zone` existe (ou, avec `exists: false`, n'existe pas) ; quand c'est demandé, elle
est ou non une zone de recherche inversée (`reverse`), stockée dans Active Directory ou dans un
fichier (`ad_integrated`), accepte les mises à jour dynamiques voulues (`dynamic_update` :
`none`, `secure`, `nonsecure_and_secure`) et contient chaque enregistrement de `records` (nom
relatif à la zone, type, donnée, comparés comme le fait `dns_record`). Une zone inversée peut
être désignée par son réseau : `zone: 192.168.10.0/24` désigne `10.168.192.in-addr.arpa`.
Les zones sont lues dans les zones intégrées à AD de la section `directory` (LDAP : les objets
`dnsZone` de DomainDnsZones, de ForestDnsZones et de l'ancien conteneur System, le réglage des
mises à jour étant tiré de leur `dnsProperty`) quand la zone s'y trouve, sinon dans le rôle de
serveur DNS (`dns_server`, `Get-DnsServerZone`). Par LDAP seul, une zone stockée dans un
fichier est invisible : une zone absente échoue alors, sauf si `ad_integrated: false` est
demandé, ce qui est alors non évaluable. Un `dnsProperty` illisible est affiché comme tel, et
non comme un réglage.

## Pourquoi c'est important
« Le serveur et les services sont opérationnels » (CP2) : sans sa zone inversée, un réseau n'a
pas d'enregistrements PTR (les outils et les journaux affichent des adresses, certains services
refusent les clients) ; une zone qui n'est pas stockée dans AD n'est pas répliquée vers les
autres contrôleurs de domaine ; une zone ouverte aux mises à jour non sécurisées permet à
n'importe quelle machine d'enregistrer ou de détourner un nom.

## Exemple conforme
```yaml
expect:
  dns_zone: {zone: 192.168.10.0/24, reverse: true, ad_integrated: true,
             dynamic_update: secure,
             records: [{name: "10", type: PTR, data: srv-ad01.tssr.lan}]}
```

## Exemple non conforme
La même attente quand la zone inversée accepte les mises à jour non sécurisées :
`dynamic_update` échoue (attendu Secure, observé NonsecureAndSecure) ; quand la zone n'a jamais
été créée : `exists` échoue et cite les zones trouvées.

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    type Compiled = DnsZoneMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<DnsZoneMatcher> {
        let written = cx.text(&self.zone);
        let zone = match reverse_zone_of(&written) {
            Ok(Some(zone)) => zone,
            Ok(None) => bare(&written).to_owned(),
            Err(message) => {
                cx.error(
                    &self.zone,
                    (
                        format!("zone {written:?} : {}", message.0),
                        format!("zone {written:?}: {}", message.1),
                    ),
                    Some((
                        "écrire le nom de la zone (10.168.192.in-addr.arpa) ou un réseau /8, /16, /24".to_owned(),
                        "write the zone's name (10.168.192.in-addr.arpa) or a /8, /16, /24 network".to_owned(),
                    )),
                );
                return None;
            }
        };
        let records = self
            .records
            .iter()
            .map(|r| {
                let name = relative(&cx.text(&r.name), &zone);
                let record_type = cx
                    .opt_text(&r.record_type)
                    .map_or_else(|| "A".to_owned(), |t| t.trim().to_ascii_uppercase());
                (name, record_type, cx.opt_text(&r.data))
            })
            .collect();
        Some(DnsZoneMatcher {
            zone,
            exists: self.exists,
            reverse: self.reverse,
            ad_integrated: self.ad_integrated,
            dynamic_update: self.dynamic_update,
            records,
        })
    }

    fn evaluate(m: &DnsZoneMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        let sections = &host.snapshot.sections;
        let directory = sections.directory.data().map(|d| d.dns_zones.as_slice());
        let role = sections.dns_server.data().map(|r| r.zones.as_slice());
        let found = directory
            .and_then(|zones| named(zones, &m.zone))
            .map(|z| ("directory", z, true))
            .or_else(|| {
                role.and_then(|zones| named(zones, &m.zone))
                    .map(|z| ("dns_server", z, z.storage.eq_ignore_ascii_case("ad")))
            });
        let Some((section, zone, in_ad)) = found else {
            return absent(m, host, out, directory, role);
        };
        out.push(host.evidence(
            section,
            &m.zone,
            "exists",
            if m.exists { "present" } else { "absent" },
            format!("present ({})", zone.storage),
            Status::from_bool(m.exists),
        ));
        if !m.exists {
            return Status::Fail;
        }
        let mut status = Status::Pass;
        let mut flag = |name: &'static str, want: Option<bool>, actual: bool, words: [&str; 2]| {
            let Some(want) = want else { return };
            let st = Status::from_bool(want == actual);
            let say = |b: bool| words[usize::from(!b)].to_owned();
            out.push(host.evidence(section, &m.zone, name, say(want), say(actual), st));
            status = status.and(st);
        };
        flag(
            "reverse",
            m.reverse,
            zone.reverse,
            ["reverse lookup zone", "forward lookup zone"],
        );
        flag(
            "ad_integrated",
            m.ad_integrated,
            in_ad,
            ["AD-integrated", "stored in a file"],
        );
        if let Some(want) = m.dynamic_update {
            status = status.and(dynamic_update(host, out, section, m, zone, want));
        }
        for (name, record_type, data) in &m.records {
            status = status.and(record(
                host,
                out,
                section,
                m,
                zone,
                (name, record_type, data.as_deref()),
            ));
        }
        status
    }
}

fn named<'z>(zones: &'z [DnsZone], name: &str) -> Option<&'z DnsZone> {
    zones.iter().find(|z| same(bare(&z.name), name))
}

/// The zone was found nowhere: absent where every zone can be seen, not assessable where a
/// file-backed zone could hide (LDAP only) unless it had to be in AD anyway.
fn absent(
    m: &DnsZoneMatcher,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    directory: Option<&[DnsZone]>,
    role: Option<&[DnsZone]>,
) -> Status {
    let sections = &host.snapshot.sections;
    let (section, zones, only_ad) = match (directory, role) {
        (_, Some(r)) => ("dns_server", r, false),
        (Some(d), None) => ("directory", d, true),
        (None, None) => {
            host.section("directory", &m.zone, &sections.directory, out);
            host.section("dns_server", &m.zone, &sections.dns_server, out);
            return Status::NotAssessable;
        }
    };
    let mut names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let mut actual = format!("absent (zones: {})", listed(&names));
    let status = if !m.exists {
        Status::Pass
    } else if only_ad && m.ad_integrated != Some(true) {
        actual.push_str(
            "; AD-integrated zones read through LDAP: a zone stored in a file is not seen there",
        );
        if m.ad_integrated == Some(false) {
            Status::NotAssessable
        } else {
            Status::Fail
        }
    } else {
        Status::Fail
    };
    out.push(host.evidence(
        section,
        &m.zone,
        "exists",
        if m.exists { "present" } else { "absent" },
        actual,
        status,
    ));
    status
}

fn dynamic_update(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    section: &'static str,
    m: &DnsZoneMatcher,
    zone: &DnsZone,
    want: DynamicUpdate,
) -> Status {
    let normalised = zone.dynamic_update.as_deref().map(|d| {
        match d
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '_'], "")
            .as_str()
        {
            "0" | "none" => "None",
            "1" | "nonsecureandsecure" => "NonsecureAndSecure",
            "2" | "secure" | "secureonly" => "Secure",
            _ => "?",
        }
    });
    let (status, actual) = match (zone.dynamic_update.as_deref(), normalised) {
        (Some(raw), Some("?")) => (Status::NotAssessable, format!("{raw} (unknown value)")),
        (Some(raw), Some(n)) => (Status::from_bool(n == want.windows_name()), raw.to_owned()),
        _ if !zone.errors.is_empty() => (
            Status::NotAssessable,
            format!("unreadable: {}", zone.errors.join("; ")),
        ),
        _ => (
            Status::NotAssessable,
            "(not set: no ALLOW_UPDATE property read)".to_owned(),
        ),
    };
    out.push(host.evidence(
        section,
        &m.zone,
        "dynamic_update",
        want.windows_name(),
        actual,
        status,
    ));
    status
}

fn record(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    section: &'static str,
    m: &DnsZoneMatcher,
    zone: &DnsZone,
    (name, record_type, data): (&str, &str, Option<&str>),
) -> Status {
    let candidates: Vec<&str> = zone
        .records
        .iter()
        .filter(|r| same(&r.name, name) && same(&r.record_type, record_type))
        .map(|r| r.data.as_str())
        .collect();
    let found = candidates
        .iter()
        .any(|d| data.is_none_or(|want| same_data(d, want)));
    let status = Status::from_bool(found);
    out.push(host.evidence(
        section,
        &m.zone,
        format!("records {name} {record_type}"),
        data.map_or_else(|| "present".to_owned(), str::to_owned),
        if candidates.is_empty() {
            "(absent)".to_owned()
        } else {
            candidates.join(", ")
        },
        status,
    ));
    status
}

#[cfg(test)]
mod tests {
    use super::reverse_zone_of;
    use crate::kinds::testing::{ad, kind_case_as, windows_lab, without};

    #[test]
    fn networks_name_their_reverse_zone() {
        assert_eq!(
            reverse_zone_of("192.168.10.0/24").unwrap().as_deref(),
            Some("10.168.192.in-addr.arpa")
        );
        assert_eq!(
            reverse_zone_of("10.0.0.0/8").unwrap().as_deref(),
            Some("10.in-addr.arpa")
        );
        assert_eq!(reverse_zone_of("tssr.lan").unwrap(), None);
        assert!(reverse_zone_of("192.168.10.0/23").is_err());
        assert!(reverse_zone_of("192.168.10/24").is_err());
    }

    /// `ad-samba.json` is the real LDAP recording of a Samba AD DC: `tssr.lan` and the
    /// reverse zone `0.204.10.in-addr.arpa` the build script created with `samba-tool`.
    #[test]
    fn passes_on_the_recorded_ad_zones() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{dns_zone: {zone: 10.204.0.0/24, reverse: true, ad_integrated: true, records: [{name: '20', type: PTR, data: srv-wsus.tssr.lan}]}}, {dns_zone: {zone: TSSR.lan., reverse: false, records: [{name: intranet, type: CNAME, data: srv-wsus.tssr.lan}, {name: '@', type: MX, data: mail.tssr.lan}]}}, {dns_zone: {zone: 10.168.192.in-addr.arpa, exists: false}}]",
            &ad()
        ));
    }

    /// Over LDAP alone: a missing zone fails, named among those found; a file-backed zone
    /// (`ad_integrated: false`) cannot be seen there.
    #[test]
    fn a_missing_zone_over_ldap() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "any: [{dns_zone: {zone: 192.168.10.0/24}}, {dns_zone: {zone: 192.168.10.0/24, ad_integrated: false}}]",
            &ad()
        ));
    }

    /// From the DNS role (`Get-DnsServerZone` shape of Microsoft's documentation, derived
    /// fixture): update setting and storage.
    #[test]
    fn reads_the_dns_role_without_a_directory() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{dns_zone: {zone: tssr.lan, ad_integrated: true, dynamic_update: nonsecure_and_secure}}, {dns_zone: {zone: tssr.lan, dynamic_update: secure, records: [{name: intranet, data: 192.168.10.20}]}}, {dns_zone: {zone: corp.lan}}]",
            &without(windows_lab(), "directory")
        ));
    }

    #[test]
    fn is_not_assessable_without_directory_nor_dns_role() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "dns_zone: {zone: tssr.lan}",
            &without(without(windows_lab(), "directory"), "dns_server")
        ));
    }
}
