//! Check kind `firewall`: the normalised filter lets a port in or not, default policy, active.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::firewall_walk::{
    Family, Packet, Span, Verdict, address_atoms, complement, port_atoms, verdict,
};
use crate::kinds::kind::Kind;
use crate::kinds::port::Protocol;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::firewall::{FirewallChain, NftablesFile};
use constat_snapshot::network::Network;
use schemars::JsonSchema;
use serde::Deserialize;

/// Default policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Let through what no rule drops.
    Accept,
    /// Drop what no rule accepts.
    Drop,
}

/// Verdict an `access` entry expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Want {
    /// New connections are accepted.
    #[default]
    Allow,
    /// New connections are dropped or rejected.
    Deny,
}

/// One condition judged on the same rule path:
/// `{port: 9101-9103/tcp, from: 192.168.1.0/24, only: true}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessExpect {
    /// Port or range with its protocol: `22/tcp`, `9101-9103/tcp`, `53/udp` (`80` = tcp).
    pub port: Sp<String>,
    /// Sources, comma-separated: `192.168.1.0/24`, `10.0.0.5`, `10.0.0.1-10.0.0.9`, IPv6
    /// too. Anywhere when absent.
    #[serde(default)]
    pub from: Option<Sp<String>>,
    /// Destinations, comma-separated; the host's own addresses (network section) when absent.
    #[serde(default)]
    pub to: Option<Sp<String>>,
    /// Input interface (`eth0`); each of the host's interfaces but loopback when absent.
    #[serde(default)]
    pub iif: Option<Sp<String>>,
    /// `allow` (default) or `deny`.
    #[serde(default)]
    pub verdict: Want,
    /// With `allow` and `from`: every other source (IPv4 and IPv6) must be dropped or
    /// rejected, the policy included.
    #[serde(default)]
    pub only: bool,
}

/// `firewall: {active: true, input_policy: drop, allow: ["22/tcp", "80/tcp"], deny: ["23/tcp"]}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirewallExpect {
    /// Whether a firewall must be active (rules loaded).
    #[serde(default)]
    pub active: Option<bool>,
    /// Default policy of the input chains.
    #[serde(default)]
    pub input_policy: Option<Policy>,
    /// Ports that new incoming connections from anywhere must reach (`22/tcp`, `53/udp`, `80`).
    #[serde(default)]
    pub allow: Vec<Sp<String>>,
    /// Ports that no new incoming connection may reach, from any source.
    #[serde(default)]
    pub deny: Vec<Sp<String>>,
    /// Port, source, destination and interface judged together, on the same rule path.
    #[serde(default)]
    pub access: Vec<AccessExpect>,
    /// Whether the live nftables ruleset is what `/etc/nftables.conf` loads at boot (compared
    /// rule by rule) and nftables.service is enabled.
    #[serde(default)]
    pub persisted: Option<bool>,
}

/// One compiled access condition.
#[derive(Debug, Clone)]
pub struct Access {
    ports: (u16, u16),
    proto: Protocol,
    from: Option<Vec<Span>>,
    to: Option<Vec<Span>>,
    iif: Option<String>,
    allow: bool,
    only: bool,
}

/// Compiled `firewall` expectation.
#[derive(Debug, Clone)]
pub struct FirewallMatcher {
    active: Option<bool>,
    input_policy: Option<Policy>,
    access: Vec<Access>,
    persisted: Option<bool>,
}

fn parse_port(cx: &mut Compile<'_>, s: &Sp<String>) -> Option<((u16, u16), Protocol)> {
    let text = cx.text(s);
    let (port, proto) = text.split_once('/').unwrap_or((&text, "tcp"));
    let proto = match proto {
        "tcp" => Some(Protocol::Tcp),
        "udp" => Some(Protocol::Udp),
        _ => None,
    };
    let range = match port.split_once('-') {
        Some((a, b)) => a.parse::<u16>().ok().zip(b.parse::<u16>().ok()),
        None => port.parse::<u16>().ok().map(|p| (p, p)),
    };
    match (range, proto) {
        (Some((a, b)), Some(proto)) if a <= b => Some(((a, b), proto)),
        _ => {
            cx.error(
                s,
                (
                    format!("port invalide « {text} »"),
                    format!("invalid port \"{text}\""),
                ),
                Some((
                    "écrivez PORT/PROTO ou DÉBUT-FIN/PROTO, par ex. 22/tcp, 53/udp ou \
                     9101-9103/tcp"
                        .to_owned(),
                    "write PORT/PROTO or FIRST-LAST/PROTO, e.g. 22/tcp, 53/udp or 9101-9103/tcp"
                        .to_owned(),
                )),
            );
            None
        }
    }
}

fn parse_spans(cx: &mut Compile<'_>, s: &Sp<String>) -> Option<Vec<Span>> {
    let text = cx.text(s);
    let mut spans = Vec::new();
    for part in text.split(',').map(str::trim) {
        match Span::parse(part) {
            Some(span) => spans.push(span),
            None => {
                cx.error(
                    s,
                    (
                        format!("adresse ou réseau invalide « {part} »"),
                        format!("invalid address or network \"{part}\""),
                    ),
                    Some((
                        "écrivez 192.168.1.0/24, 10.0.0.5, 10.0.0.1-10.0.0.9 ou fd00::/8, \
                         séparés par des virgules"
                            .to_owned(),
                        "write 192.168.1.0/24, 10.0.0.5, 10.0.0.1-10.0.0.9 or fd00::/8, \
                         separated by commas"
                            .to_owned(),
                    )),
                );
                return None;
            }
        }
    }
    Some(spans)
}

fn port_label(ports: (u16, u16), proto: Protocol) -> String {
    if ports.0 == ports.1 {
        format!("{}/{}", ports.0, proto.as_str())
    } else {
        format!("{}-{}/{}", ports.0, ports.1, proto.as_str())
    }
}

fn spans_label(spans: &[Span]) -> String {
    spans
        .iter()
        .map(Span::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the host's network section says about where packets can arrive.
struct HostFacts {
    /// Non-loopback interface names; `None` when the network section is missing.
    interfaces: Option<Vec<String>>,
    /// The host's own addresses (not loopback), per family.
    addresses: Vec<(Family, u128)>,
    /// Whether the host has a global IPv6 address (then "from anywhere" includes IPv6).
    global_v6: bool,
}

impl HostFacts {
    fn of(network: Option<&Network>) -> HostFacts {
        let Some(network) = network else {
            return HostFacts {
                interfaces: None,
                addresses: Vec::new(),
                global_v6: false,
            };
        };
        let mut facts = HostFacts {
            interfaces: Some(Vec::new()),
            addresses: Vec::new(),
            global_v6: false,
        };
        let outside: Vec<_> = network
            .interfaces
            .iter()
            .filter(|i| i.kind.as_deref() != Some("loopback") && i.name != "lo")
            .collect();
        // Packets come in on interfaces that have an address (ifb, down bridges do not
        // receive connections); all of them when none has one.
        let addressed: Vec<_> = outside
            .iter()
            .copied()
            .filter(|i| !i.addresses.is_empty())
            .collect();
        let chosen = if addressed.is_empty() {
            outside
        } else {
            addressed
        };
        for i in chosen {
            if let Some(names) = facts.interfaces.as_mut() {
                names.push(i.name.clone());
            }
            for a in &i.addresses {
                if let Some(span) = Span::parse(&a.address) {
                    facts.addresses.push((span.family, span.lo));
                    facts.global_v6 |=
                        span.family == Family::V6 && a.scope.as_deref() == Some("global");
                }
            }
        }
        facts.addresses.sort();
        facts.addresses.dedup();
        facts
    }
}

/// The outcome of one question over every case it covers.
enum Judged {
    /// Every case got the wanted verdict; the distinct reasons.
    Holds(Vec<String>),
    /// A case got the other verdict: the case and the rule or policy.
    Broken(String),
    /// A case could not be decided.
    Unknown(String),
}

/// Upper bound on cases per question (atoms of sources × ports × destinations × interfaces).
const MAX_CASES: usize = 100_000;

/// Judges every new connection from `sources` to `to` (or the host's addresses) on the
/// ports, arriving on `iif` (or each of the host's interfaces): all accepted when
/// `want_accept`, all dropped or rejected otherwise.
fn judge(
    chains: &[FirewallChain],
    facts: &HostFacts,
    sources: &[Span],
    a: &Access,
    want_accept: bool,
) -> Judged {
    let mut reasons: Vec<String> = Vec::new();
    for family in [Family::V4, Family::V6] {
        let domain: Vec<Span> = sources
            .iter()
            .filter(|s| s.family == family)
            .copied()
            .collect();
        if domain.is_empty() {
            continue;
        }
        let dsts: Vec<(Option<u128>, String)> = match &a.to {
            Some(to) => {
                let own: Vec<Span> = to.iter().filter(|s| s.family == family).copied().collect();
                if own.is_empty() {
                    continue;
                }
                address_atoms(chains, &own, false)
                    .into_iter()
                    .map(|s| (Some(s.lo), s.to_string()))
                    .collect()
            }
            None => {
                let own: Vec<(Option<u128>, String)> = facts
                    .addresses
                    .iter()
                    .filter(|(f, _)| *f == family)
                    .map(|(f, v)| {
                        let span = Span {
                            family: *f,
                            lo: *v,
                            hi: *v,
                        };
                        (Some(*v), span.to_string())
                    })
                    .collect();
                if own.is_empty() {
                    vec![(None, String::new())]
                } else {
                    own
                }
            }
        };
        let iifs: Vec<Option<&str>> = match (&a.iif, &facts.interfaces) {
            (Some(i), _) => vec![Some(i.as_str())],
            (None, Some(names)) if !names.is_empty() => {
                names.iter().map(|n| Some(n.as_str())).collect()
            }
            _ => vec![None],
        };
        let srcs = address_atoms(chains, &domain, true);
        let ports = port_atoms(chains, a.ports.0, a.ports.1);
        if srcs.len() * ports.len() * dsts.len() * iifs.len() > MAX_CASES {
            return Judged::Unknown(format!(
                "more than {MAX_CASES} cases to examine: too many rules"
            ));
        }
        for src in &srcs {
            for &(lo, hi) in &ports {
                for (dst, dst_label) in &dsts {
                    for iif in &iifs {
                        let packet = Packet {
                            family,
                            src: src.lo,
                            dst: *dst,
                            port: lo,
                            proto: a.proto.as_str(),
                            iif: *iif,
                        };
                        let case = || {
                            let mut text = format!("{} from {src}", port_label((lo, hi), a.proto));
                            if !dst_label.is_empty() {
                                text.push_str(&format!(" to {dst_label}"));
                            }
                            if let Some(i) = iif {
                                text.push_str(&format!(" on {i}"));
                            }
                            text
                        };
                        match verdict(chains, &packet) {
                            Verdict::Unknown(why) => {
                                return Judged::Unknown(format!(
                                    "{}: not assessable ({why})",
                                    case()
                                ));
                            }
                            Verdict::Accept(why) if !want_accept => {
                                return Judged::Broken(format!("{}: allowed ({why})", case()));
                            }
                            Verdict::Deny(why) if want_accept => {
                                return Judged::Broken(format!("{}: blocked ({why})", case()));
                            }
                            Verdict::Accept(why) | Verdict::Deny(why) => {
                                if !reasons.contains(&why) {
                                    reasons.push(why);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    Judged::Holds(reasons)
}

/// Every source of the families a question about "anywhere" covers.
fn anywhere(facts: &HostFacts, want_accept: bool) -> Vec<Span> {
    // Denied from anywhere includes IPv6 always (a hole there is a hole); allowed from
    // anywhere asks IPv6 only of a host that has a global IPv6 address.
    let mut out = vec![Span::all(Family::V4)];
    if !want_accept || facts.global_v6 {
        out.push(Span::all(Family::V6));
    }
    out
}

fn judged_evidence(judged: Judged, want_accept: bool, summary: &str) -> (Status, String) {
    match judged {
        Judged::Holds(reasons) => {
            let word = if want_accept { "allowed" } else { "blocked" };
            let mut shown: Vec<String> = reasons.iter().take(3).cloned().collect();
            if reasons.len() > 3 {
                shown.push(format!("+{} more", reasons.len() - 3));
            }
            // Each reason is one item of the phrase's `{;}` list (eval/words.rs).
            for reason in &mut shown {
                *reason = reason.replace("; ", ", ");
            }
            (
                Status::Pass,
                format!("{word} {summary} ({})", shown.join("; ")),
            )
        }
        Judged::Broken(case) => (Status::Fail, case),
        Judged::Unknown(why) => (Status::NotAssessable, why),
    }
}

/// At most `n` lines, then how many more.
fn some_lines(lines: &[String], n: usize) -> String {
    let mut shown: Vec<String> = lines.iter().take(n).cloned().collect();
    if lines.len() > n {
        shown.push(format!("+{} more", lines.len() - n));
    }
    // Not `; `: that separates the items of the evidence's `{;}` list (eval/words.rs).
    shown.join(" | ").replace("; ", ", ")
}

/// `file X modified at T, after the last (re)start of nftables.service (Y): …` when so.
fn edited_after_start(host: &HostView<'_>, file: &NftablesFile) -> Option<String> {
    use constat_snapshot::time::parse_rfc3339;
    let modified = file.modified_at.as_deref()?;
    let service = host.snapshot.sections.services.data().and_then(|list| {
        list.iter()
            .find(|s| matches!(s.name.as_str(), "nftables.service" | "nftables"))
    })?;
    let started = [&service.started_at, &service.reloaded_at]
        .into_iter()
        .filter_map(|t| t.as_deref())
        .filter_map(|t| parse_rfc3339(t).map(|s| (s, t)))
        .max();
    match (started, parse_rfc3339(modified)) {
        (Some((at, text)), Some(m)) if m > at => Some(
            format!(
                "file {} modified at {modified}, after the last (re)start of {} ({text}): \
                 change probably not applied",
                file.path, service.name
            )
            .replace("; ", ", "),
        ),
        _ => None,
    }
}

/// Live ruleset vs `/etc/nftables.conf`, and nftables.service enabled at boot.
fn persisted(
    want: bool,
    fw: &constat_snapshot::firewall::Firewall,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Status {
    const S: &str = "firewall";
    let expected = if want {
        "running rules = rules of the file"
    } else {
        "running rules ≠ rules of the file"
    };
    let Some(file) = &fw.nftables_file else {
        let why = match fw.not_collected.get("nftables") {
            Some(reason) => reason.clone(),
            None if fw.backends.iter().any(|b| b.kind == "nftables") => {
                "comparison missing (older agent or unreadable ruleset)".to_owned()
            }
            None => "nftables is not installed".to_owned(),
        };
        out.push(host.evidence(
            S,
            "nftables",
            "persisted",
            expected,
            why,
            Status::NotAssessable,
        ));
        return Status::NotAssessable;
    };
    let mut status = if !file.present {
        let s = Status::from_bool(!want);
        out.push(host.evidence(
            S,
            &file.path,
            "persisted",
            expected,
            "file absent: nothing is reloaded at boot",
            s,
        ));
        s
    } else if let Some(error) = &file.error {
        out.push(host.evidence(
            S,
            &file.path,
            "persisted",
            expected,
            format!("comparison impossible: {error}"),
            Status::NotAssessable,
        ));
        Status::NotAssessable
    } else {
        let same =
            file.live_only.is_empty() && file.file_only.is_empty() && file.reordered.is_empty();
        // Neutral phrases (eval/words.rs): `differs: {;}` with one item per difference.
        let mut parts = Vec::new();
        if !file.live_only.is_empty() {
            parts.push(format!("running only: {}", some_lines(&file.live_only, 8)));
        }
        if !file.file_only.is_empty() {
            parts.push(format!(
                "in the file only: {}",
                some_lines(&file.file_only, 8)
            ));
        }
        if !file.reordered.is_empty() {
            parts.push(format!(
                "same rules in another order: {}",
                file.reordered.join(", ").replace("; ", ", ")
            ));
        }
        parts.extend(edited_after_start(host, file));
        let actual = match (same, parts.is_empty()) {
            (true, true) => "identical (same chains, policies, rules and sets)".to_owned(),
            (true, false) => format!(
                "identical (same chains, policies, rules and sets); {}",
                parts.join("; ")
            ),
            (false, _) => format!("differs: {}", parts.join("; ")),
        };
        let s = Status::from_bool(same == want);
        out.push(host.evidence(S, &file.path, "persisted", expected, actual, s));
        s
    };
    if want {
        let boot = fw
            .backends
            .iter()
            .find(|b| b.kind == "nftables")
            .and_then(|b| b.enabled_at_boot);
        let s = match boot {
            Some(true) => Status::Pass,
            Some(false) => Status::Fail,
            None => Status::NotAssessable,
        };
        out.push(host.evidence(
            S,
            "nftables.service",
            "enabled",
            "enabled at boot",
            match boot {
                Some(true) => "enabled",
                Some(false) => "not enabled: the file will not be loaded at boot",
                None => "unit nftables.service absent",
            },
            s,
        ));
        status = status.and(s);
    }
    status
}

impl Kind for FirewallExpect {
    const NAME: &'static str = "firewall";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["firewall", "network"]);
    const DOC: &'static str = r#"# firewall

## What it checks
On the normalised view of every active backend (nftables, iptables, ufw...): whether a
firewall is active, the default policy of the input chains, and which new incoming
connections get through. `allow`/`deny` ask about a port from anywhere; `access` ties port,
source (`from`), destination (`to`) and input interface (`iif`) to the same rule path, so
"9101-9103/tcp from the LAN only" is one condition: `only: true` also requires every other
source (IPv4 and IPv6) to be dropped or rejected.

Each question is judged on the effective ruleset in order: every base chain hooked on
`input` whose family sees the packet, rule by rule, following `jump`/`goto` into regular
chains, the first `accept`/`drop`/`reject` deciding, else the chain's policy; a drop in any
input base chain is final. Rules limited to `ct state established,related` do not open new
connections; named and anonymous sets, prefixes and ranges are understood. Sources are cut
at every boundary a rule mentions, so the answer covers every address, not a sample. Without
`to`, the destinations are the host's own addresses and without `iif` each of its
interfaces but loopback (network section); a rule needing what is unknown, or that the
normaliser did not fully understand, makes the condition not assessable rather than
guessed. The evidence names the deciding rule in nft's words with its table, chain and
handle, or the case that breaks the condition.

`persisted: true` compares the live nftables ruleset with what `/etc/nftables.conf` (and its
includes) loads, as nft itself normalises both (the agent loads the file in a throw-away
network namespace): rules, base-chain policies and set contents present on one side only
are listed, chains with the same rules in another order are named, and a file modified
after nftables.service last started is pointed out; nftables.service must also be enabled.
A file that cannot be loaded there (syntax error, `iif` on an interface) is not assessable.

## Why it matters
Opening exactly the ports a service needs, to the networks that need them, without
disabling the firewall, is both a requested change and a security rule; `ufw`, iptables or
raw nftables are equally accepted.

## Passing example
```yaml
expect:
  firewall:
    active: true
    input_policy: drop
    allow: ["22/tcp", "80/tcp"]
    deny: ["23/tcp"]
    access:
      - {port: 9101-9103/tcp, from: 192.168.1.0/24, only: true}
    persisted: true
```

## Failing example
The same when `tcp dport 9101 accept` lets everyone in (the evidence shows the source
outside 192.168.1.0/24 and that rule), when 9101-9103 is open to no one, or when the input
policy is `accept` and nothing drops 23/tcp.

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP7/C2`, `tssr-2023/CP5/C4`; as a penalty ("firewall
disabled") on any CP.
"#;
    const DOC_FR: &'static str = r#"# firewall

## Ce qui est vérifié
Sur la vue normalisée de tous les pare-feu actifs (nftables, iptables, ufw…) : si un
pare-feu est actif, la politique par défaut des chaînes d'entrée, et quelles nouvelles
connexions entrantes passent. `allow`/`deny` portent sur un port depuis n'importe où ;
`access` lie le port, la source (`from`), la destination (`to`) et l'interface d'entrée
(`iif`) au même chemin de règles, si bien que « 9101-9103/tcp depuis le LAN seulement » est
une seule condition : `only: true` exige en plus que toute autre source (IPv4 et IPv6) soit
rejetée (drop ou reject).

Chaque question est jugée sur le jeu de règles effectif, dans l'ordre : chaque chaîne de base
accrochée à `input` dont la famille voit le paquet, règle par règle, en suivant les
`jump`/`goto` vers les chaînes ordinaires ; le premier `accept`/`drop`/`reject` décide, sinon
la politique de la chaîne ; un drop dans n'importe quelle chaîne de base d'entrée est
définitif. Les règles limitées à `ct state established,related` n'ouvrent pas de nouvelles
connexions ; les ensembles nommés et anonymes, les préfixes et les plages sont compris. Les
sources sont découpées à chaque limite que mentionne une règle : la réponse couvre toutes les
adresses, pas un échantillon. Sans `to`, les destinations sont les adresses de la machine
elle-même, et sans `iif` chacune de ses interfaces sauf la boucle locale (section `network`) ;
une règle qui dépend de ce qui est inconnu, ou que le normaliseur n'a pas entièrement comprise,
rend la condition non évaluable plutôt que devinée. La preuve cite la règle qui décide, dans
les termes de nft, avec sa table, sa chaîne et son handle, ou le cas qui met la condition en
défaut.

`persisted: true` compare le jeu de règles nftables en service avec ce que charge
`/etc/nftables.conf` (et ses inclusions), tous deux normalisés par nft lui-même (l'agent
charge le fichier dans un espace de noms réseau jetable) : les règles, politiques de chaînes
de base et contenus d'ensembles présents d'un seul côté sont listés, les chaînes aux mêmes
règles dans un autre ordre sont nommées, et un fichier modifié après le dernier démarrage de
nftables.service est signalé ; nftables.service doit aussi être activé. Un fichier qui ne peut
pas y être chargé (erreur de syntaxe, `iif` sur une interface) est non évaluable.

## Pourquoi c'est important
Ouvrir exactement les ports dont un service a besoin, aux réseaux qui en ont besoin, sans
désactiver le pare-feu, est à la fois une modification demandée et une règle de sécurité ;
`ufw`, iptables ou nftables brut sont également acceptés.

## Exemple conforme
```yaml
expect:
  firewall:
    active: true
    input_policy: drop
    allow: ["22/tcp", "80/tcp"]
    deny: ["23/tcp"]
    access:
      - {port: 9101-9103/tcp, from: 192.168.1.0/24, only: true}
    persisted: true
```

## Exemple non conforme
La même attente quand `tcp dport 9101 accept` laisse entrer tout le monde (la preuve montre
la source hors de 192.168.1.0/24 et cette règle), quand 9101-9103 n'est ouvert à personne, ou
quand la politique d'entrée est `accept` et que rien ne bloque 23/tcp.

## Critères
`tssr-2023/CP7/C1`, `tssr-2023/CP7/C2`, `tssr-2023/CP5/C4` ; en pénalité (« pare-feu
désactivé ») sur n'importe quelle CP.
"#;
    type Compiled = FirewallMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<FirewallMatcher> {
        let mut access = Vec::new();
        let mut ok = true;
        for (list, allow) in [(&self.allow, true), (&self.deny, false)] {
            for p in list {
                match parse_port(cx, p) {
                    Some((ports, proto)) => access.push(Access {
                        ports,
                        proto,
                        from: None,
                        to: None,
                        iif: None,
                        allow,
                        only: false,
                    }),
                    None => ok = false,
                }
            }
        }
        for a in &self.access {
            let port = parse_port(cx, &a.port);
            let from = a.from.as_ref().map(|f| parse_spans(cx, f));
            let to = a.to.as_ref().map(|t| parse_spans(cx, t));
            let allow = a.verdict == Want::Allow;
            if a.only && (!allow || a.from.is_none()) {
                cx.error(
                    &a.port,
                    (
                        "`only` demande `from` et le verdict `allow`".to_owned(),
                        "`only` needs `from` and the verdict `allow`".to_owned(),
                    ),
                    Some((
                        "écrivez {port: 9101-9103/tcp, from: 192.168.1.0/24, only: true} : \
                         autorisé depuis ce réseau, bloqué depuis tout autre"
                            .to_owned(),
                        "write {port: 9101-9103/tcp, from: 192.168.1.0/24, only: true}: \
                         allowed from that network, blocked from any other"
                            .to_owned(),
                    )),
                );
                ok = false;
            }
            match (port, from, to) {
                (Some((ports, proto)), from, to)
                    if !matches!(from, Some(None)) && !matches!(to, Some(None)) =>
                {
                    access.push(Access {
                        ports,
                        proto,
                        from: from.flatten(),
                        to: to.flatten(),
                        iif: a.iif.as_ref().map(|i| cx.text(i)),
                        allow,
                        only: a.only,
                    })
                }
                _ => ok = false,
            }
        }
        ok.then_some(FirewallMatcher {
            active: self.active,
            input_policy: self.input_policy,
            access,
            persisted: self.persisted,
        })
    }

    fn evaluate(m: &FirewallMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "firewall";
        let Some(fw) = host.section(S, "filter", &host.snapshot.sections.firewall, out) else {
            return Status::NotAssessable;
        };
        let mut status = Status::Pass;
        let active = fw.backends.iter().any(|b| b.active) || fw.profiles.iter().any(|p| p.enabled);
        if let Some(want) = m.active {
            let s = Status::from_bool(active == want);
            // `active: nftables; inactive: iptables, ufw` (phrases of `eval/words.rs`).
            let named = |on: bool| {
                let kinds: Vec<String> = fw
                    .backends
                    .iter()
                    .filter(|b| b.active == on)
                    .map(|b| b.kind.clone())
                    .collect();
                kinds.join(", ")
            };
            let (on, off) = (named(true), named(false));
            let actual = match (on.is_empty(), off.is_empty()) {
                (true, true) => "no firewall".to_owned(),
                (false, true) => format!("active: {on}"),
                (true, false) => format!("inactive: {off}"),
                (false, false) => format!("active: {on}; inactive: {off}"),
            };
            out.push(host.evidence(S, "filter", "active", want.to_string(), actual, s));
            status = status.and(s);
        }
        let inputs: Vec<&FirewallChain> = fw
            .chains
            .iter()
            .filter(|c| c.hook.as_deref() == Some("input"))
            .collect();
        if let Some(want) = m.input_policy {
            let want_text = if want == Policy::Drop {
                "drop"
            } else {
                "accept"
            };
            let policies: Vec<String> = inputs
                .iter()
                .map(|c| {
                    format!(
                        "{} {}: {}",
                        c.table,
                        c.name,
                        c.policy.as_deref().unwrap_or("accept")
                    )
                })
                .collect();
            let holds = !inputs.is_empty()
                && inputs
                    .iter()
                    .all(|c| c.policy.as_deref().unwrap_or("accept") == want_text);
            let holds = holds || (inputs.is_empty() && want == Policy::Accept);
            let s = Status::from_bool(holds);
            out.push(host.evidence(
                S,
                "input",
                "policy",
                want_text,
                if policies.is_empty() {
                    "no input chain".to_owned()
                } else {
                    policies.join(", ")
                },
                s,
            ));
            status = status.and(s);
        }
        let facts = HostFacts::of(host.snapshot.sections.network.data());
        for a in &m.access {
            let ports = port_label(a.ports, a.proto);
            let mut questions: Vec<(String, Vec<Span>, bool, String)> = Vec::new();
            match &a.from {
                Some(from) => {
                    let label = spans_label(from);
                    questions.push((
                        format!("{ports} from {label}"),
                        from.clone(),
                        a.allow,
                        format!("from {label}"),
                    ));
                    if a.only {
                        let mut elsewhere = complement(Family::V4, from);
                        elsewhere.extend(complement(Family::V6, from));
                        questions.push((
                            format!("{ports} from anywhere but {label}"),
                            elsewhere,
                            false,
                            "from any other source".to_owned(),
                        ));
                    }
                }
                None => questions.push((
                    ports.clone(),
                    anywhere(&facts, a.allow),
                    a.allow,
                    "from any source".to_owned(),
                )),
            }
            for (path, sources, want_accept, summary) in questions {
                let mut path = path;
                if let Some(to) = &a.to {
                    path.push_str(&format!(" to {}", spans_label(to)));
                }
                if let Some(i) = &a.iif {
                    path.push_str(&format!(" on {i}"));
                }
                let judged = judge(&fw.chains, &facts, &sources, a, want_accept);
                let (s, actual) = judged_evidence(judged, want_accept, &summary);
                out.push(host.evidence(
                    S,
                    &path,
                    "input",
                    if want_accept { "allowed" } else { "blocked" },
                    actual,
                    s,
                ));
                status = status.and(s);
            }
        }
        if let Some(want) = m.persisted {
            status = status.and(persisted(want, fw, host, out));
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};
    use constat_snapshot::Snapshot;
    use constat_snapshot::section::Section;
    use serde_json::{Value, json};

    /// The lab snapshot with its firewall chains replaced (derived fixture: the rules are
    /// written as the agent normalises `nft -j list ruleset`, see agent's firewall_nft.rs;
    /// tests/tests/firewall_live.rs grades the same shapes from a real nft).
    fn lab_with(policy: &str, rules: Value) -> Snapshot {
        let mut s = lab();
        let Section::Collected { data } = &mut s.sections.firewall else {
            panic!("lab firewall collected");
        };
        data.chains = serde_json::from_value(json!([
            {"backend": "nftables", "family": "inet", "table": "filter", "name": "input",
             "hook": "input", "policy": policy, "rules": rules},
            {"backend": "nftables", "family": "inet", "table": "filter", "name": "backup",
             "rules": [
                {"action": "accept", "protocol": "tcp", "dports": ["9101-9103"],
                 "sources": ["192.168.1.0/24"], "handle": 12,
                 "text": "tcp dport 9101-9103 ip saddr 192.168.1.0/24 accept", "raw": "{}"},
                {"action": "reject", "handle": 13, "text": "reject", "raw": "{}"}
             ]}
        ]))
        .expect("chains");
        s
    }

    fn rule(action: &str, fields: Value, handle: u64, text: &str) -> Value {
        let mut r = fields;
        r["action"] = json!(action);
        r["handle"] = json!(handle);
        r["text"] = json!(text);
        r["raw"] = json!("{}");
        r
    }

    fn base() -> Vec<Value> {
        vec![
            rule(
                "accept",
                json!({"ct_states": ["established", "related"]}),
                4,
                "ct state established,related accept",
            ),
            rule(
                "accept",
                json!({"in_interface": "lo"}),
                5,
                "iif \"lo\" accept",
            ),
            rule(
                "accept",
                json!({"protocol": "tcp", "dports": ["22"], "sources": ["192.168.1.0/24"]}),
                6,
                "tcp dport 22 ip saddr 192.168.1.0/24 accept",
            ),
        ]
    }

    const LAN_ONLY: &str =
        "firewall: {access: [{port: 9101-9103/tcp, from: 192.168.1.0/24, only: true}]}";

    #[test]
    fn passes_on_the_lab_filter() {
        insta::assert_snapshot!(kind_case(
            r#"firewall: {active: true, input_policy: drop, allow: ["22/tcp", "80", "443/tcp"], deny: ["23/tcp", "53/udp"], access: [{port: 445/tcp, from: 192.168.10.0/24, only: true}]}"#,
            &lab()
        ));
    }

    #[test]
    fn from_the_lan_only_passes_on_a_lan_rule_and_a_drop_policy() {
        let mut rules = base();
        rules.push(rule(
            "accept",
            json!({"protocol": "tcp", "dports": ["9101-9103"], "sources": ["192.168.1.0/24"]}),
            7,
            "tcp dport 9101-9103 ip saddr 192.168.1.0/24 accept",
        ));
        insta::assert_snapshot!(kind_case(LAN_ONLY, &lab_with("drop", json!(rules))));
    }

    /// The issue's false pass: some rule has saddr LAN, another opens 9101 to everyone.
    #[test]
    fn from_the_lan_only_fails_when_9101_is_open_to_everyone() {
        let mut rules = base();
        rules.push(rule(
            "accept",
            json!({"protocol": "tcp", "dports": ["9101-9103"]}),
            7,
            "tcp dport 9101-9103 accept",
        ));
        insta::assert_snapshot!(kind_case(LAN_ONLY, &lab_with("drop", json!(rules))));
    }

    #[test]
    fn from_the_lan_only_fails_when_half_the_range_is_closed() {
        let mut rules = base();
        rules.push(rule(
            "accept",
            json!({"protocol": "tcp", "dports": ["9101"], "sources": ["192.168.1.0/24"]}),
            7,
            "tcp dport 9101 ip saddr 192.168.1.0/24 accept",
        ));
        insta::assert_snapshot!(kind_case(LAN_ONLY, &lab_with("drop", json!(rules))));
    }

    /// Policy accept: the LAN rule, then a jump to a chain whose end returns, then an
    /// explicit reject of everyone else.
    #[test]
    fn accept_policy_with_a_jump_and_a_reject_after_passes() {
        let mut rules = base();
        rules.push(rule(
            "jump:backup",
            json!({"protocol": "tcp", "dports": ["9101-9103"]}),
            8,
            "tcp dport 9101-9103 jump backup",
        ));
        insta::assert_snapshot!(kind_case(LAN_ONLY, &lab_with("accept", json!(rules))));
    }

    /// A LAN rule that is really wider than the LAN (/16) opens it to other sources.
    #[test]
    fn a_wider_network_than_the_lan_fails_only() {
        let mut rules = base();
        rules.push(rule(
            "accept",
            json!({"protocol": "tcp", "dports": ["9101-9103"], "sources": ["192.168.0.0/16"]}),
            7,
            "tcp dport 9101-9103 ip saddr 192.168.0.0/16 accept",
        ));
        insta::assert_snapshot!(kind_case(LAN_ONLY, &lab_with("drop", json!(rules))));
    }

    /// Without the network section the interface a packet comes in is unknown: a rule on
    /// `iifname` cannot be judged and says how to make it so.
    #[test]
    fn an_interface_rule_without_network_is_not_assessable() {
        let mut rules = base();
        rules.push(rule(
            "accept",
            json!({"protocol": "tcp", "dports": ["9101-9103"], "in_interface": "eth1"}),
            7,
            "iifname \"eth1\" tcp dport 9101-9103 accept",
        ));
        let s = without(lab_with("drop", json!(rules)), "network");
        insta::assert_snapshot!(kind_case(LAN_ONLY, &s));
        insta::assert_snapshot!(
            "with_iif",
            kind_case(
                "firewall: {access: [{port: 9101/tcp, from: 192.168.1.0/24, iif: eth0, to: 192.0.2.2}]}",
                &s
            )
        );
    }

    #[test]
    fn bad_access_entries_are_compile_errors() {
        insta::assert_snapshot!(kind_case(
            "firewall: {access: [{port: 9103-9101/tcp}, {port: 22/tcp, from: lan}, {port: 22/tcp, only: true}]}",
            &lab()
        ));
    }

    fn lab_with_file(file: Value) -> Snapshot {
        let mut s = lab();
        let Section::Collected { data } = &mut s.sections.firewall else {
            panic!("lab firewall collected");
        };
        data.nftables_file = Some(serde_json::from_value(file).expect("nftables_file"));
        s
    }

    /// Derived fixtures: the comparison as the agent writes it (tests/tests/firewall_live.rs
    /// produces it from a real nft).
    #[test]
    fn persisted_compares_the_live_ruleset_with_the_file() {
        let same = lab_with_file(json!({"path": "/etc/nftables.conf", "present": true,
            "modified_at": "2026-11-23T16:00:00Z"}));
        insta::assert_snapshot!(
            "persisted_same",
            kind_case("firewall: {persisted: true}", &same)
        );
        let differs = lab_with_file(json!({"path": "/etc/nftables.conf", "present": true,
            "modified_at": "2026-11-23T16:00:00Z",
            "live_only": ["inet filter input: tcp dport 9101-9103 accept"],
            "file_only": ["inet filter input: tcp dport 9101-9103 ip saddr 192.168.1.0/24 accept"]}));
        insta::assert_snapshot!(
            "persisted_differs",
            kind_case("firewall: {persisted: true}", &differs)
        );
        let broken = lab_with_file(json!({"path": "/etc/nftables.conf", "present": true,
            "error": "/etc/nftables.conf could not be loaded in a throw-away network namespace: `unshare --net -- sh -c ...` failed (exit status 1): /etc/nftables.conf:4:5-8: Error: syntax error"}));
        insta::assert_snapshot!(
            "persisted_error",
            kind_case("firewall: {persisted: true}", &broken)
        );
        let absent = lab_with_file(json!({"path": "/etc/nftables.conf", "present": false}));
        insta::assert_snapshot!(
            "persisted_absent",
            kind_case("firewall: {persisted: true}", &absent)
        );
        insta::assert_snapshot!(
            "persisted_old_agent",
            kind_case("firewall: {persisted: true}", &lab())
        );
    }

    #[test]
    fn fails_on_the_real_host_without_rules() {
        insta::assert_snapshot!(kind_case(
            r#"firewall: {active: true, input_policy: drop, deny: ["23/tcp"]}"#,
            &fixture()
        ));
    }

    #[test]
    fn is_not_assessable_when_nft_failed() {
        insta::assert_snapshot!(kind_case(
            "firewall: {active: true}",
            &without(lab(), "firewall")
        ));
    }
}
