//! Check kind `vlan`: a firewall appliance has an 802.1Q VLAN, assigned to an interface with
//! the expected address.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::appliance::{find_interface, interface_label};
use crate::kinds::kind::Kind;
use crate::kinds::windows::{bool_property, listed, text_property};
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `vlan: {tag: 10, parent: vtnet1, interface: USER, address: 192.168.10.1/24}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VlanExpect {
    /// 802.1Q tag (1–4094).
    pub tag: Sp<u16>,
    /// Parent device (`vtnet1`, `em1`), when the subject fixes it.
    #[serde(default)]
    pub parent: Option<Sp<String>>,
    /// Interface the VLAN must be assigned to: logical key (`opt1`), description (`USER`)
    /// or device, case-insensitive.
    #[serde(default)]
    pub interface: Option<Sp<String>>,
    /// IPv4 address with prefix of that interface (`192.168.10.1/24`).
    #[serde(default)]
    pub address: Option<Sp<String>>,
    /// Whether the interface must be enabled (default: true when assigned).
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// Compiled `vlan` expectation.
#[derive(Debug, Clone)]
pub struct VlanMatcher {
    tag: u16,
    parent: Option<String>,
    interface: Option<String>,
    address: Option<String>,
    enabled: Option<bool>,
}

impl Kind for VlanExpect {
    const NAME: &'static str = "vlan";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["appliance"]);
    const DOC: &'static str = r#"# vlan

## What it checks
The firewall appliance (pfSense or OPNsense `config.xml`, section `appliance`) has a VLAN with
tag `tag` (on device `parent` when given), assigned to an interface (named by its key `opt1`,
its description `USER` or its device, case-insensitive) that is enabled and has the IPv4
address `address` (with prefix). A VLAN device that exists but is assigned to no interface
fails `assigned`: it carries no traffic.

## Why it matters
« Maintenir et sécuriser les accès à Internet et les interconnexions des réseaux » (CP7): segmenting users, servers and guests into
VLANs routed and filtered by the appliance is the usual subject; a VLAN created but never
assigned, or with the wrong gateway address, leaves its hosts without a network.

## Passing example
```yaml
expect:
  vlan: {tag: 10, parent: vtnet1, interface: USER, address: ${lan_prefix}.10.1/24}
```

## Failing example
`vlan: {tag: 40}` on an appliance with VLANs 10, 20 and 30: `exists` fails (expected tag 40,
actual "absent (VLAN: vtnet1.10, vtnet1.20, vtnet1.30)").

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP7/C2`.
"#;
    const DOC_FR: &'static str = r#"# vlan

## Ce qui est vérifié
Le pare-feu matériel (`config.xml` de pfSense ou d'OPNsense, section `appliance`) a un VLAN
d'étiquette `tag` (sur le périphérique `parent` quand il est donné), affecté à une interface
(désignée par sa clé `opt1`, sa description `USER` ou son périphérique, sans tenir compte de
la casse) activée et qui a l'adresse IPv4 `address` (avec préfixe). Un VLAN qui existe mais
n'est affecté à aucune interface échoue à `assigned` : il ne transporte aucun trafic.

## Pourquoi c'est important
« Maintenir et sécuriser les accès à Internet et les interconnexions des réseaux » (CP7) :
segmenter utilisateurs, serveurs et invités en VLAN routés et filtrés par le pare-feu est le
sujet habituel ; un VLAN créé mais jamais affecté, ou avec une mauvaise adresse de passerelle,
laisse ses machines sans réseau.

## Exemple conforme
```yaml
expect:
  vlan: {tag: 10, parent: vtnet1, interface: USER, address: ${lan_prefix}.10.1/24}
```

## Exemple non conforme
`vlan: {tag: 40}` sur un pare-feu qui a les VLAN 10, 20 et 30 : `exists` échoue (attendu
étiquette 40, observé « absent (VLAN : vtnet1.10, vtnet1.20, vtnet1.30) »).

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP7/C2`.
"#;
    type Compiled = VlanMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<VlanMatcher> {
        if !(1..=4094).contains(&self.tag.value) {
            cx.error(
                &self.tag,
                (
                    format!("étiquette VLAN {} hors limites", self.tag.value),
                    format!("VLAN tag {} is out of range", self.tag.value),
                ),
                Some((
                    "une étiquette 802.1Q est un nombre de 1 à 4094".to_owned(),
                    "an 802.1Q tag is a number from 1 to 4094".to_owned(),
                )),
            );
            return None;
        }
        Some(VlanMatcher {
            tag: self.tag.value,
            parent: cx.opt_text(&self.parent),
            interface: cx.opt_text(&self.interface),
            address: cx.opt_text(&self.address),
            enabled: self.enabled,
        })
    }

    fn evaluate(m: &VlanMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "appliance";
        let path = format!("vlan {}", m.tag);
        let Some(a) = host.section(S, &path, &host.snapshot.sections.appliance, out) else {
            return Status::NotAssessable;
        };
        let vlan = a.vlans.iter().find(|v| {
            v.tag == m.tag
                && m.parent
                    .as_deref()
                    .is_none_or(|p| v.parent.eq_ignore_ascii_case(p))
        });
        let all: Vec<String> = a
            .vlans
            .iter()
            .map(|v| format!("{}.{}", v.parent, v.tag))
            .collect();
        let expected = match &m.parent {
            Some(p) => format!("{p}.{}", m.tag),
            None => format!("tag {}", m.tag),
        };
        out.push(host.evidence(
            S,
            &path,
            "exists",
            expected,
            match vlan {
                Some(v) => format!("{} ({})", v.device, v.parent),
                None => format!("absent (VLAN: {})", listed(&all)),
            },
            Status::from_bool(vlan.is_some()),
        ));
        let Some(vlan) = vlan else {
            return Status::Fail;
        };
        let iface = vlan
            .interface
            .as_deref()
            .and_then(|k| a.interfaces.iter().find(|i| i.key == k));
        let status = Status::from_bool(iface.is_some());
        out.push(host.evidence(
            S,
            &path,
            "assigned",
            "assigned to an interface",
            iface.map_or_else(
                || format!("{} assigned to no interface", vlan.device),
                interface_label,
            ),
            status,
        ));
        let Some(iface) = iface else {
            return Status::Fail;
        };
        let mut status = Status::Pass;
        if let Some(wanted) = &m.interface {
            let same = find_interface(a, wanted).is_some_and(|i| i.key == iface.key);
            let s = Status::from_bool(same);
            out.push(host.evidence(
                S,
                &path,
                "interface",
                wanted.clone(),
                interface_label(iface),
                s,
            ));
            status = status.and(s);
        }
        let at = (S, path.as_str());
        status
            .and(bool_property(
                host,
                out,
                at,
                "enabled",
                Some(m.enabled.unwrap_or(true)),
                Some(iface.enabled),
            ))
            .and(text_property(
                host,
                out,
                at,
                "address",
                m.address.as_deref(),
                iface.ipv4.as_deref(),
            ))
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{appliance_opnsense, appliance_pfsense, kind_case, without};

    /// `appliance-opnsense.json` is the parser's output on a real OPNsense 25 export.
    #[test]
    fn passes_on_assigned_vlans_of_a_real_opnsense() {
        insta::assert_snapshot!(kind_case(
            "all: [{vlan: {tag: 10, parent: vtnet1, interface: USER, address: '##LANNET##.10.1/24'}}, {vlan: {tag: 30, interface: opt3}}]",
            &appliance_opnsense()
        ));
    }

    /// The real pfSense fixture has VLAN devices assigned to no interface.
    #[test]
    fn fails_on_a_missing_or_unassigned_vlan_or_a_wrong_interface() {
        insta::assert_snapshot!(kind_case(
            "all: [{vlan: {tag: 40}}, {vlan: {tag: 100, parent: vmx0}}, {vlan: {tag: 1100, parent: vmx1, interface: lan, address: 172.16.151.1/24}}]",
            &appliance_pfsense()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_appliance_section() {
        insta::assert_snapshot!(kind_case(
            "vlan: {tag: 10}",
            &without(appliance_opnsense(), "appliance")
        ));
    }
}
