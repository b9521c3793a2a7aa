//! Check kind `appliance_rule`: what a firewall appliance does with a flow arriving on an
//! interface — the first enabled rule that covers it, or the default deny.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::appliance::{
    endpoint_covers, endpoint_label, find_interface, interface_names, port_covers,
};
use crate::kinds::kind::Kind;
use crate::kinds::windows::listed;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::appliance::{Appliance, ApplianceRule};
use schemars::JsonSchema;
use serde::Deserialize;

/// `appliance_rule: {interface: wan, protocol: tcp, port: 22, action: block}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplianceRuleExpect {
    /// Interface the traffic arrives on: key (`lan`), description (`DMZ`) or device.
    pub interface: Sp<String>,
    /// What must happen to the flow.
    pub action: RuleVerdict,
    /// `tcp`, `udp` or `icmp`; not given = a rule of any protocol counts.
    #[serde(default)]
    pub protocol: Option<Sp<String>>,
    /// Destination port (needs `protocol`).
    #[serde(default)]
    pub port: Option<Sp<u16>>,
    /// Source as the subject names it: an address (`192.168.10.5`), or an appliance network
    /// keyword or alias (`lan`, `srv_admin`); not given = any source rule counts.
    #[serde(default)]
    pub source: Option<Sp<String>>,
    /// Destination, as `source`.
    #[serde(default)]
    pub destination: Option<Sp<String>>,
}

/// The expected fate of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleVerdict {
    /// Allowed by a `pass` rule.
    Pass,
    /// Dropped or rejected (a `block` or `reject` rule, or no rule: default deny).
    Block,
    /// Refused with a reset/unreachable (a `reject` rule).
    Reject,
}

/// Compiled `appliance_rule` expectation.
#[derive(Debug, Clone)]
pub struct ApplianceRuleMatcher {
    interface: String,
    action: RuleVerdict,
    protocol: Option<String>,
    port: Option<u16>,
    source: Option<String>,
    destination: Option<String>,
}

impl ApplianceRuleMatcher {
    /// The flow, in a notation that reads the same in both languages:
    /// `tcp any → wanip:443 (interface wan)`.
    fn flow(&self) -> String {
        let mut s = format!(
            "{} {} → {}",
            self.protocol.as_deref().unwrap_or("any"),
            self.source.as_deref().unwrap_or("any"),
            self.destination.as_deref().unwrap_or("any"),
        );
        if let Some(p) = self.port {
            s.push_str(&format!(":{p}"));
        }
        s.push_str(&format!(" (interface {})", self.interface));
        s
    }

    fn covers(&self, a: &Appliance, key: &str, r: &ApplianceRule) -> bool {
        let protocol_ok = match (&self.protocol, &r.protocol) {
            (_, None) | (None, _) => true,
            (Some(want), Some(have)) => have.split('/').any(|h| h.eq_ignore_ascii_case(want)),
        };
        r.enabled
            && !r.floating
            && r.ip_protocol.as_deref() != Some("inet6")
            && r.interfaces.iter().any(|i| i == key)
            && protocol_ok
            // A client's source port is ephemeral: a rule restricted to one covers no flow
            // the subject names.
            && r.source.port.is_none()
            && self.port.is_none_or(|p| {
                r.destination
                    .port
                    .as_deref()
                    .is_none_or(|spec| port_covers(a, spec, p))
            })
            && self
                .source
                .as_deref()
                .is_none_or(|s| endpoint_covers(a, &r.source, s))
            && self
                .destination
                .as_deref()
                .is_none_or(|d| endpoint_covers(a, &r.destination, d))
    }
}

fn rule_label(r: &ApplianceRule) -> String {
    let mut s = format!(
        "rule #{} {} {} {} → {}",
        r.position,
        r.action,
        r.protocol.as_deref().unwrap_or("any"),
        endpoint_label(&r.source),
        endpoint_label(&r.destination)
    );
    if let Some(d) = &r.description {
        s.push_str(&format!(" \"{d}\""));
    }
    if let Some(sched) = &r.schedule {
        s.push_str(&format!(", only during \"{sched}\""));
    }
    s
}

impl Kind for ApplianceRuleExpect {
    const NAME: &'static str = "appliance_rule";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["appliance"]);
    const DOC: &'static str = r#"# appliance_rule

## What it checks
What the firewall appliance (pfSense or OPNsense `config.xml`, section `appliance`) does with
a flow arriving on `interface` (key `lan`, description `DMZ` or device, case-insensitive):
the rules of that interface are read in order and the first enabled one that covers the flow
decides (interface rules are « quick »: first match wins); when none does, the appliance's
default deny blocks it. A rule covers the flow when its protocol is the flow's (`tcp/udp`
covers both; a rule without protocol covers all), its destination port (number, range or port
alias) contains `port`, and its source/destination (`any`, an address or network, an alias,
a network keyword such as `lan`/`lanip`; `<not/>` inverts) contains what the subject names.
What the check does not give is not compared; a rule restricted to a source port covers no
flow (clients use ephemeral ports). When the file holds filter rules the reader does not read
yet (OPNsense automation/MVC rules, named in the snapshot's `unread`), the check is not
assessable rather than guessed. Floating rules and IPv6-only rules are not
evaluated (floating rules are listed for the jury as evidence in the snapshot).
A rule with a schedule counts as if always active; the evidence names its schedule.
`action: block` passes on `block`, `reject` or the default deny; `reject` only on `reject`.

## Why it matters
« Maintenir et sécuriser les accès à Internet et les interconnexions des réseaux » (CP7): the subject asks for a filtering policy
(« le WAN n'accepte que HTTPS vers la DMZ », « les invités n'atteignent pas le LAN »);
what counts is the verdict for each flow, which depends on the order of the rules, not on the
presence of one rule.

## Passing example
```yaml
expect:
  all:
    - appliance_rule: {interface: wan, protocol: tcp, port: 443, action: pass}
    - appliance_rule: {interface: wan, protocol: tcp, port: 3389, action: block}
```

## Failing example
`appliance_rule: {interface: wan, protocol: tcp, port: 22, action: block}` when an earlier
rule passes SSH on WAN: `verdict` fails (expected block, actual "pass (rule #2 pass tcp
wan → wanip:22)").

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP7/C2`.
"#;
    const DOC_FR: &'static str = r#"# appliance_rule

## Ce qui est vérifié
Ce que le pare-feu matériel (`config.xml` de pfSense ou d'OPNsense, section `appliance`) fait
d'un flux qui arrive sur `interface` (clé `lan`, description `DMZ` ou périphérique, sans
tenir compte de la casse) : les règles de cette interface sont lues dans l'ordre et la
première règle activée qui couvre le flux décide (les règles d'interface sont « quick » : la
première qui correspond l'emporte) ; quand aucune ne le couvre, le refus par défaut du
pare-feu le bloque. Une règle couvre le flux quand son protocole est celui du flux (`tcp/udp`
couvre les deux ; une règle sans protocole les couvre tous), que son port de destination
(numéro, plage ou alias de ports) contient `port`, et que sa source/destination (`any`, une
adresse ou un réseau, un alias, un mot-clé de réseau comme `lan`/`lanip` ; `<not/>` inverse)
contient ce que nomme le sujet. Ce que la vérification ne donne pas n'est pas comparé ; une
règle restreinte à un port source ne couvre aucun flux (les clients utilisent des ports
éphémères). Quand le fichier contient des règles de filtrage que le lecteur ne lit pas encore
(règles automation/MVC d'OPNsense, nommées dans la liste `unread` du relevé), la vérification
est non évaluable plutôt que devinée. Les règles flottantes et les règles IPv6 seules ne sont
pas évaluées (les règles flottantes sont listées pour le jury comme preuves dans le relevé).
Une règle avec un calendrier compte comme toujours active ; la preuve nomme son calendrier.
`action: block` réussit sur `block`, `reject` ou le refus par défaut ; `reject` seulement sur
`reject`.

## Pourquoi c'est important
« Maintenir et sécuriser les accès à Internet et les interconnexions des réseaux » (CP7) : le
sujet demande une politique de filtrage (« le WAN n'accepte que HTTPS vers la DMZ », « les
invités n'atteignent pas le LAN ») ; ce qui compte est le verdict pour chaque flux, qui dépend
de l'ordre des règles, pas de la présence d'une règle.

## Exemple conforme
```yaml
expect:
  all:
    - appliance_rule: {interface: wan, protocol: tcp, port: 443, action: pass}
    - appliance_rule: {interface: wan, protocol: tcp, port: 3389, action: block}
```

## Exemple non conforme
`appliance_rule: {interface: wan, protocol: tcp, port: 22, action: block}` quand une règle
précédente laisse passer SSH sur le WAN : `verdict` échoue (attendu block, observé « pass
(règle n°2 pass tcp wan → wanip:22) »).

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP7/C2`.
"#;
    type Compiled = ApplianceRuleMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<ApplianceRuleMatcher> {
        if let (Some(port), None) = (&self.port, &self.protocol) {
            cx.error(
                port,
                (
                    "un port sans protocole".to_owned(),
                    "a port without a protocol".to_owned(),
                ),
                Some((
                    "ajoutez `protocol: tcp` ou `protocol: udp`".to_owned(),
                    "add `protocol: tcp` or `protocol: udp`".to_owned(),
                )),
            );
            return None;
        }
        Some(ApplianceRuleMatcher {
            interface: cx.text(&self.interface),
            action: self.action,
            protocol: cx.opt_text(&self.protocol).map(|p| p.to_ascii_lowercase()),
            port: self.port.as_ref().map(|p| p.value),
            source: cx.opt_text(&self.source),
            destination: cx.opt_text(&self.destination),
        })
    }

    fn evaluate(m: &ApplianceRuleMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "appliance";
        let path = m.flow();
        let Some(a) = host.section(S, &path, &host.snapshot.sections.appliance, out) else {
            return Status::NotAssessable;
        };
        let Some(iface) = find_interface(a, &m.interface) else {
            out.push(host.evidence(
                S,
                &path,
                "interface",
                m.interface.clone(),
                format!("absent (interfaces: {})", listed(&interface_names(a))),
                Status::Fail,
            ));
            return Status::Fail;
        };
        // Rules the reader could not read (OPNsense MVC filter rules) may decide the flow:
        // no verdict rather than a wrong one.
        if let Some(u) = a.unread.iter().find(|u| u.contains("filter rules")) {
            out.push(host.evidence(
                S,
                &path,
                "verdict",
                "readable",
                format!("not read: {u}"),
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        }
        let first = a.rules.iter().find(|r| m.covers(a, &iface.key, r));
        let action = first.map_or("block", |r| r.action.as_str());
        let ok = match m.action {
            RuleVerdict::Pass => action == "pass",
            RuleVerdict::Block => action == "block" || action == "reject",
            RuleVerdict::Reject => action == "reject",
        };
        let expected = match m.action {
            RuleVerdict::Pass => "pass",
            RuleVerdict::Block => "block",
            RuleVerdict::Reject => "reject",
        };
        let actual = match first {
            Some(r) => format!("{action} ({})", rule_label(r)),
            None => format!("block (no rule of {} matches: default deny)", iface.key),
        };
        let status = Status::from_bool(ok);
        out.push(host.evidence(S, &path, "verdict", expected, actual, status));
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{appliance_opnsense, appliance_pfsense, kind_case, without};

    /// Rules of a real OPNsense 25 export: HTTPS and SSH to the WAN address, DNS on LAN.
    #[test]
    fn passes_on_the_verdicts_of_a_real_opnsense() {
        insta::assert_snapshot!(kind_case(
            "all: [{appliance_rule: {interface: wan, protocol: tcp, port: 443, destination: wanip, action: pass}}, {appliance_rule: {interface: WAN, protocol: tcp, port: 3389, action: block}}, {appliance_rule: {interface: LAN, protocol: udp, port: 53, source: lan, action: pass}}]",
            &appliance_opnsense()
        ));
    }

    /// The real pfSense rules: aliases for ports and hosts, a negated destination, a
    /// disabled rule skipped.
    #[test]
    fn first_match_with_aliases_negation_and_disabled_rules() {
        insta::assert_snapshot!(kind_case(
            "all: [{appliance_rule: {interface: lan, protocol: tcp, port: 22, destination: 192.168.1.165, action: pass}}, {appliance_rule: {interface: wan, protocol: tcp, port: 22, action: block}}, {appliance_rule: {interface: lan_1100, protocol: udp, port: 53, action: pass}}, {appliance_rule: {interface: opt3, protocol: tcp, port: 80, action: pass}}, {appliance_rule: {interface: dmz, protocol: tcp, action: pass}}]",
            &appliance_pfsense()
        ));
    }

    /// The current OPNsense sample keeps its default rules in the MVC container.
    #[test]
    fn is_not_assessable_when_filter_rules_were_not_read() {
        let mut s = appliance_opnsense();
        if let constat_snapshot::Section::Collected { data } = &mut s.sections.appliance {
            data.unread.push(
                "OPNsense automation filter rules (Firewall > Automation > Filter): present, not read by this version".to_owned(),
            );
        }
        insta::assert_snapshot!(kind_case(
            "appliance_rule: {interface: lan, protocol: udp, port: 53, action: pass}",
            &s
        ));
    }

    #[test]
    fn is_not_assessable_without_the_appliance_section() {
        insta::assert_snapshot!(kind_case(
            "appliance_rule: {interface: wan, protocol: tcp, port: 22, action: block}",
            &without(appliance_pfsense(), "appliance")
        ));
    }
}
