//! Check kind `dhcp_reservation`: a DHCP scope reserves an address for a MAC address.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::listed;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `dhcp_reservation: {scope: 192.168.10.0, ip: 192.168.10.50, mac: "00-15-5D-0A-0B-0C"}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DhcpReservationExpect {
    /// Scope id (network address).
    pub scope: Sp<String>,
    /// Reserved address.
    pub ip: Sp<String>,
    /// Client MAC address (case and `-`/`:`/`.` separators ignored).
    #[serde(default)]
    pub mac: Option<Sp<String>>,
}

/// Compiled `dhcp_reservation` expectation.
#[derive(Debug, Clone)]
pub struct DhcpReservationMatcher {
    scope: String,
    ip: String,
    mac: Option<String>,
}

/// A MAC address as twelve lower-case hex digits.
pub(crate) fn normalize_mac(mac: &str) -> String {
    mac.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Kind for DhcpReservationExpect {
    const NAME: &'static str = "dhcp_reservation";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["dhcp_server"]);
    const DOC: &'static str = r#"# dhcp_reservation

## What it checks
The DHCP server has the scope `scope` and, in it, a reservation of address `ip`
(`Get-DhcpServerv4Reservation`), optionally for the MAC address `mac` (compared without case
and separators: `00-15-5D-0A-0B-0C` = `00:15:5d:0a:0b:0c`).

## Why it matters
« Le serveur et les services sont opérationnels » (CP2): printers and servers need a stable
address; a reservation with a mistyped MAC address never serves its client.

## Passing example
```yaml
expect:
  dhcp_reservation: {scope: 192.168.10.0, ip: 192.168.10.50, mac: "00-15-5D-0A-0B-0C"}
```

## Failing example
The same when the reservation was made for another MAC address: `mac` fails.

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    const DOC_FR: &'static str = r#"# dhcp_reservation

## Ce qui est vérifié
Le serveur DHCP a l'étendue `scope` et, dans celle-ci, une réservation de l'adresse `ip`
(`Get-DhcpServerv4Reservation`), éventuellement pour l'adresse MAC `mac` (comparée sans tenir
compte de la casse ni des séparateurs : `00-15-5D-0A-0B-0C` = `00:15:5d:0a:0b:0c`).

## Pourquoi c'est important
« Le serveur et les services sont opérationnels » (CP2) : les imprimantes et les serveurs ont
besoin d'une adresse stable ; une réservation avec une adresse MAC mal saisie ne sert jamais
son client.

## Exemple conforme
```yaml
expect:
  dhcp_reservation: {scope: 192.168.10.0, ip: 192.168.10.50, mac: "00-15-5D-0A-0B-0C"}
```

## Exemple non conforme
La même attente quand la réservation a été faite pour une autre adresse MAC : `mac` échoue.

## Critères
`tssr-2023/CP2/C2`, `tssr-2023/CP4/C3`.
"#;
    type Compiled = DhcpReservationMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<DhcpReservationMatcher> {
        Some(DhcpReservationMatcher {
            scope: cx.text(&self.scope),
            ip: cx.text(&self.ip),
            mac: cx.opt_text(&self.mac),
        })
    }

    fn evaluate(
        m: &DhcpReservationMatcher,
        host: &HostView<'_>,
        out: &mut Vec<Evidence>,
    ) -> Status {
        const S: &str = "dhcp_server";
        let path = format!("{}/{}", m.scope, m.ip);
        let Some(dhcp) = host.section(S, &path, &host.snapshot.sections.dhcp_server, out) else {
            return Status::NotAssessable;
        };
        let Some(scope) = dhcp.scopes.iter().find(|s| s.scope_id == m.scope) else {
            let ids: Vec<&str> = dhcp.scopes.iter().map(|s| s.scope_id.as_str()).collect();
            out.push(host.evidence(
                S,
                &path,
                "scope",
                m.scope.clone(),
                format!("absent (scopes: {})", listed(&ids)),
                Status::Fail,
            ));
            return Status::Fail;
        };
        let Some(reservation) = scope.reservations.iter().find(|r| r.ip_address == m.ip) else {
            let ips: Vec<&str> = scope
                .reservations
                .iter()
                .map(|r| r.ip_address.as_str())
                .collect();
            out.push(host.evidence(
                S,
                &path,
                "reservation",
                format!("reservation of {}", m.ip),
                format!("absent (reservations: {})", listed(&ips)),
                Status::Fail,
            ));
            return Status::Fail;
        };
        out.push(host.evidence(
            S,
            &path,
            "reservation",
            format!("reservation of {}", m.ip),
            format!(
                "present{}",
                reservation
                    .name
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ),
            Status::Pass,
        ));
        let Some(mac) = &m.mac else {
            return Status::Pass;
        };
        let status = Status::from_bool(normalize_mac(mac) == normalize_mac(&reservation.client_id));
        out.push(host.evidence(
            S,
            &path,
            "mac",
            mac.clone(),
            reservation.client_id.clone(),
            status,
        ));
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case_as, windows_lab, windows_probe};

    /// `windows-lab.json`'s DHCP section has the shape of Microsoft's documentation.
    #[test]
    fn passes_with_another_mac_notation() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "dhcp_reservation: {scope: 192.168.10.0, ip: 192.168.10.50, mac: '00:15:5D:0A:0B:0C'}",
            &windows_lab()
        ));
    }

    #[test]
    fn fails_on_a_wrong_mac_a_missing_reservation_or_scope() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "all: [{dhcp_reservation: {scope: 192.168.10.0, ip: 192.168.10.50, mac: '00-15-5D-0A-0B-0D'}}, {dhcp_reservation: {scope: 192.168.10.0, ip: 192.168.10.51}}, {dhcp_reservation: {scope: 192.168.20.0, ip: 192.168.20.50}}]",
            &windows_lab()
        ));
    }

    #[test]
    fn is_not_assessable_when_the_role_is_absent() {
        insta::assert_snapshot!(kind_case_as(
            "dc",
            "dhcp_reservation: {scope: 192.168.10.0, ip: 192.168.10.50}",
            &windows_probe()
        ));
    }
}
