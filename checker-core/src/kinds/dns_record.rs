//! Check kind `dns_record`: a DNS record exists (or not) in a zone, AD-integrated or not.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::{listed, same};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::ad::DnsZone;
use schemars::JsonSchema;
use serde::Deserialize;

/// `dns_record: {zone: tssr.lan, name: intranet, type: A, data: "192.168.10.20"}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsRecordExpect {
    /// Zone name (`tssr.lan`, `10.168.192.in-addr.arpa`).
    pub zone: Sp<String>,
    /// Owner name relative to the zone (`intranet`, `@` for the apex); a full name ending
    /// with the zone is accepted too. Case-insensitive.
    pub name: Sp<String>,
    /// Record type (default `A`).
    #[serde(default, rename = "type")]
    pub record_type: Option<Sp<String>>,
    /// Record data as presented (`192.168.10.20`, `srv-ad01.tssr.lan.`); case and a final
    /// `.` ignored.
    #[serde(default)]
    pub data: Option<Sp<String>>,
    /// Whether such a record must exist (default) or must not.
    #[serde(default = "yes")]
    pub exists: bool,
}

fn yes() -> bool {
    true
}

/// Compiled `dns_record` expectation.
#[derive(Debug, Clone)]
pub struct DnsRecordMatcher {
    zone: String,
    name: String,
    record_type: String,
    data: Option<String>,
    exists: bool,
}

pub(crate) fn bare(s: &str) -> &str {
    s.trim().trim_end_matches('.')
}

/// Record data equal, or for MX and SRV the target host alone (`mail.tssr.lan` matches
/// `10 mail.tssr.lan.`).
pub(crate) fn same_data(actual: &str, expected: &str) -> bool {
    same(bare(actual), bare(expected))
        || (!expected.trim().contains(' ')
            && actual
                .split_whitespace()
                .last()
                .is_some_and(|host| same(bare(host), bare(expected))))
}

/// The owner name relative to `zone`: `intranet.tssr.lan.` → `intranet`, `tssr.lan` → `@`.
pub(crate) fn relative(name: &str, zone: &str) -> String {
    let name = bare(name);
    let zone = bare(zone);
    if name.is_empty() || same(name, zone) {
        return "@".to_owned();
    }
    let lower = name.to_ascii_lowercase();
    let suffix = format!(".{}", zone.to_ascii_lowercase());
    match lower.strip_suffix(&suffix) {
        Some(stem) => name[..stem.len()].to_owned(),
        None => name.to_owned(),
    }
}

impl Kind for DnsRecordExpect {
    const NAME: &'static str = "dns_record";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["directory", "dns_server"]);
    const DOC: &'static str = r#"# dns_record

## What it checks
The zone `zone` holds a record `name` (relative to the zone, `@` for the apex,
case-insensitive) of type `type` (default `A`), with the data `data` when given (case and
final `.` ignored; for MX and SRV records the target host alone is enough); with `exists: false`, no such record exists. Records are read from the
AD-integrated zones of the `directory` section (LDAP) when it was collected and holds the
zone, else from the DNS server role (`dns_server`, `Get-DnsServerResourceRecord`). The evidence
says which.

## Why it matters
« Le serveur et les services sont opérationnels » (CP2): clients reach the intranet, the mail
server or the domain controllers by name; a record missing or pointing to the wrong address
breaks them all.

## Passing example
```yaml
expect:
  dns_record: {zone: tssr.lan, name: intranet, type: A, data: "192.168.10.20"}
```

## Failing example
The same when `intranet` points to `192.168.10.21`: `records` fails (expected
intranet A 192.168.10.20, actual 192.168.10.21).

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    const DOC_FR: &'static str = r#"# dns_record

## Ce qui est vérifié
La zone `zone` contient un enregistrement `name` (relatif à la zone, `@` pour l'apex, sans
tenir compte de la casse) de type `type` (`A` par défaut), avec la donnée `data` quand elle est
donnée (casse et `.` final ignorés ; pour les enregistrements MX et SRV, l'hôte cible seul
suffit) ; avec `exists: false`, aucun enregistrement de ce genre n'existe. Les enregistrements
sont lus dans les zones intégrées à AD de la section `directory` (LDAP) quand elle a été
collectée et contient la zone, sinon dans le rôle de serveur DNS (`dns_server`,
`Get-DnsServerResourceRecord`). La preuve indique laquelle.

## Pourquoi c'est important
« Le serveur et les services sont opérationnels » (CP2) : les clients joignent l'intranet, le
serveur de messagerie ou les contrôleurs de domaine par leur nom ; un enregistrement manquant
ou qui pointe vers la mauvaise adresse les coupe tous.

## Exemple conforme
```yaml
expect:
  dns_record: {zone: tssr.lan, name: intranet, type: A, data: "192.168.10.20"}
```

## Exemple non conforme
La même attente quand `intranet` pointe vers `192.168.10.21` : `records` échoue (attendu
intranet A 192.168.10.20, observé 192.168.10.21).

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    type Compiled = DnsRecordMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<DnsRecordMatcher> {
        let zone = cx.text(&self.zone);
        let name = relative(&cx.text(&self.name), &zone);
        Some(DnsRecordMatcher {
            name,
            zone,
            record_type: cx
                .opt_text(&self.record_type)
                .map_or_else(|| "A".to_owned(), |t| t.trim().to_ascii_uppercase()),
            data: cx.opt_text(&self.data),
            exists: self.exists,
        })
    }

    fn evaluate(m: &DnsRecordMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        let path = format!("{}/{}", m.zone, m.name);
        let sections = &host.snapshot.sections;
        let has_zone = |zones: &[DnsZone]| zones.iter().any(|z| same(bare(&z.name), bare(&m.zone)));
        // AD-integrated zones first; a zone only the DNS role knows (file-backed) from there.
        let (section, zones): (&str, &[DnsZone]) =
            match (sections.directory.data(), sections.dns_server.data()) {
                (Some(d), Some(r)) if !has_zone(&d.dns_zones) && has_zone(&r.zones) => {
                    ("dns_server", &r.zones)
                }
                (Some(d), _) => ("directory", &d.dns_zones),
                (None, Some(r)) => ("dns_server", &r.zones),
                (None, None) => {
                    host.section("directory", &path, &sections.directory, out);
                    host.section("dns_server", &path, &sections.dns_server, out);
                    return Status::NotAssessable;
                }
            };
        let Some(zone) = zones.iter().find(|z| same(bare(&z.name), bare(&m.zone))) else {
            let names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
            let status = Status::from_bool(!m.exists);
            out.push(host.evidence(
                section,
                &path,
                "zone",
                if m.exists {
                    m.zone.clone()
                } else {
                    format!("no record in {}", m.zone)
                },
                format!("zone absent (zones: {})", listed(&names)),
                status,
            ));
            return status;
        };
        let candidates: Vec<&str> = zone
            .records
            .iter()
            .filter(|r| same(&r.name, &m.name) && same(&r.record_type, &m.record_type))
            .map(|r| r.data.as_str())
            .collect();
        let found = candidates
            .iter()
            .any(|d| m.data.as_ref().is_none_or(|want| same_data(d, want)));
        let wanted = format!(
            "{} {}{}",
            m.name,
            m.record_type,
            m.data.as_ref().map(|d| format!(" {d}")).unwrap_or_default()
        );
        let status = Status::from_bool(found == m.exists);
        out.push(host.evidence(
            section,
            &path,
            "records",
            if m.exists {
                wanted
            } else {
                format!("no record {wanted}")
            },
            if candidates.is_empty() {
                format!("no record {} {}", m.name, m.record_type)
            } else {
                candidates.join(", ")
            },
            status,
        ));
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{ad, kind_case_as, windows_lab, windows_probe, without};

    /// `ad-samba.json` is the real LDAP recording of a Samba AD DC (AD-integrated zones).
    #[test]
    fn passes_on_the_recorded_ad_zones() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{dns_record: {zone: tssr.lan, name: '@', type: mx, data: 'MAIL.tssr.lan'}}, {dns_record: {zone: tssr.lan, name: GC._msdcs.tssr.lan., exists: false}}, {dns_record: {zone: 0.204.10.in-addr.arpa, name: '20', type: PTR, data: srv-wsus.tssr.lan}}]",
            &ad()
        ));
    }

    /// Without a directory, the DNS role's zones (shape from Microsoft's documentation).
    #[test]
    fn fails_on_a_wrong_address_or_zone_from_the_dns_role() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{dns_record: {zone: tssr.lan, name: intranet, data: 192.168.10.21}}, {dns_record: {zone: tssr.lan, name: intranet.tssr.lan}}, {dns_record: {zone: corp.lan, name: intranet}}]",
            &without(windows_lab(), "directory")
        ));
    }

    /// The directory (real recording) has no `lab.local` zone: read from the DNS role instead.
    #[test]
    fn falls_back_to_the_dns_role_for_a_zone_not_in_ad() {
        let mut snapshot = windows_lab();
        if let Some(role) = snapshot.sections.dns_server.data().cloned() {
            let mut role = role;
            for zone in &mut role.zones {
                zone.name = "lab.local".to_owned();
            }
            snapshot.sections.dns_server = constat_snapshot::section::Section::collected(role);
        }
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{dns_record: {zone: lab.local, name: intranet, data: 192.168.10.20}}, {dns_record: {zone: tssr.lan, name: intranet}}]",
            &snapshot
        ));
    }

    #[test]
    fn is_not_assessable_without_directory_nor_dns_role() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "dns_record: {zone: tssr.lan, name: intranet}",
            &windows_probe()
        ));
    }
}
