//! Packet walk for the `firewall` kind: the verdict the effective ruleset gives a new incoming
//! connection (family, source, destination, port, input interface), rule by rule in order.
//!
//! Model: every base chain hooked on `input` whose table family sees the packet (`ip` = IPv4,
//! `ip6` = IPv6, `inet` = both; iptables `ip`/`ip6`) is walked in rule order; `jump`/`goto`
//! enter regular chains of the same table (`return` and the end of a jumped chain come back,
//! the end of a `goto` target ends the calling chain), the first `accept`/`drop`/`reject`
//! decides, else the chain's policy. A drop in any input base chain is final; an accept lets
//! the packet on to the next base chain. Rules matching only `ct state established,related`
//! do not see a new connection. A rule the normaliser did not fully understand decides
//! nothing: when its understood matches cover the packet, the verdict is unknown.
//!
//! Sets of cases: a source network is cut into "atoms" at every boundary a rule mentions
//! (prefixes, ranges, single addresses; ports likewise), so one representative per atom
//! gets the same verdict as every address of it; the answer is exact, not sampled.
//!
//! Not modelled (the verdict is unknown when such a rule could match): `netdev` ingress and
//! `prerouting` drops, marks, rate limits, `meta nfproto`, ICMP types, verdict maps.

use constat_snapshot::firewall::{FirewallChain, FirewallRule};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::fmt;

/// IP version of a packet or an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Family {
    /// IPv4.
    V4,
    /// IPv6.
    V6,
}

impl Family {
    fn max(self) -> u128 {
        match self {
            Family::V4 => u32::MAX as u128,
            Family::V6 => u128::MAX,
        }
    }

    /// Whether a chain of this table family sees packets of `self`.
    fn seen_by(self, table_family: &str) -> bool {
        match table_family {
            "inet" => true,
            "ip" => self == Family::V4,
            "ip6" => self == Family::V6,
            _ => false,
        }
    }
}

/// An inclusive interval of addresses of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Span {
    /// IP version.
    pub family: Family,
    /// First address.
    pub lo: u128,
    /// Last address.
    pub hi: u128,
}

fn ip(text: &str) -> Option<(Family, u128)> {
    match text.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => Some((Family::V4, u32::from(a) as u128)),
        IpAddr::V6(a) => Some((Family::V6, u128::from(a))),
    }
}

impl Span {
    /// Every address of a family.
    pub(crate) fn all(family: Family) -> Span {
        Span {
            family,
            lo: 0,
            hi: family.max(),
        }
    }

    /// Parses `10.0.0.0/8`, `10.0.0.1`, `10.0.0.1-10.0.0.9` (and the IPv6 forms).
    pub(crate) fn parse(text: &str) -> Option<Span> {
        let text = text.trim();
        if let Some((addr, len)) = text.split_once('/') {
            let (family, value) = ip(addr)?;
            let bits = if family == Family::V4 { 32 } else { 128 };
            let len: u32 = len.parse().ok().filter(|l| *l <= bits)?;
            let host_bits = bits - len;
            let mask = if host_bits == 128 {
                u128::MAX
            } else {
                (1u128 << host_bits) - 1
            };
            return Some(Span {
                family,
                lo: value & !mask & family.max(),
                hi: (value | mask) & family.max(),
            });
        }
        if let Some((a, b)) = text.split_once('-') {
            let ((fa, lo), (fb, hi)) = (ip(a)?, ip(b)?);
            return (fa == fb && lo <= hi).then_some(Span { family: fa, lo, hi });
        }
        let (family, value) = ip(text)?;
        Some(Span {
            family,
            lo: value,
            hi: value,
        })
    }

    fn contains(&self, family: Family, addr: u128) -> bool {
        self.family == family && self.lo <= addr && addr <= self.hi
    }
}

fn addr_text(family: Family, value: u128) -> String {
    match family {
        Family::V4 => Ipv4Addr::from(value as u32).to_string(),
        Family::V6 => Ipv6Addr::from(value).to_string(),
    }
}

impl fmt::Display for Span {
    /// A prefix when the interval is one (`10.0.0.0/8`), else `first-last` or one address.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bits: u32 = if self.family == Family::V4 { 32 } else { 128 };
        if self.lo == self.hi {
            return f.write_str(&addr_text(self.family, self.lo));
        }
        let size = self.hi - self.lo;
        if size.wrapping_add(1) & size == 0 && self.lo & size == 0 {
            let host_bits = if size == u128::MAX {
                128
            } else {
                (size + 1).trailing_zeros()
            };
            return write!(
                f,
                "{}/{}",
                addr_text(self.family, self.lo),
                bits - host_bits
            );
        }
        write!(
            f,
            "{}-{}",
            addr_text(self.family, self.lo),
            addr_text(self.family, self.hi)
        )
    }
}

/// Every address of `family` outside `spans`.
pub(crate) fn complement(family: Family, spans: &[Span]) -> Vec<Span> {
    let mut own: Vec<Span> = spans
        .iter()
        .filter(|s| s.family == family)
        .copied()
        .collect();
    own.sort();
    let mut out = Vec::new();
    let mut next: Option<u128> = Some(0);
    for s in own {
        if let Some(start) = next
            && s.lo > start
        {
            out.push(Span {
                family,
                lo: start,
                hi: s.lo - 1,
            });
        }
        next = match next {
            Some(n) if s.hi < n => Some(n),
            _ => s.hi.checked_add(1).filter(|n| *n <= family.max()),
        };
    }
    if let Some(start) = next {
        out.push(Span {
            family,
            lo: start,
            hi: family.max(),
        });
    }
    out
}

/// A new incoming connection.
#[derive(Debug, Clone)]
pub(crate) struct Packet<'a> {
    /// IP version.
    pub family: Family,
    /// Source address.
    pub src: u128,
    /// Destination address, when known.
    pub dst: Option<u128>,
    /// Destination port.
    pub port: u16,
    /// `tcp` or `udp`.
    pub proto: &'a str,
    /// Input interface, when known.
    pub iif: Option<&'a str>,
}

/// What the ruleset does with a packet, and which rule or policy says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Accepted by every input base chain (the last reason is kept).
    Accept(String),
    /// Dropped or rejected.
    Deny(String),
    /// A rule that could match was not understood, or needs what the query does not know.
    Unknown(String),
}

/// `inet filter input` (the chain's family, table and name).
pub(crate) fn chain_label(chain: &FirewallChain) -> String {
    format!("{} {} {}", chain.family, chain.table, chain.name)
}

/// A rule for the jury: its chain, handle and readable text (raw text when none).
pub(crate) fn rule_label(chain: &FirewallChain, rule: &FirewallRule) -> String {
    let handle = rule
        .handle
        .map(|h| format!(" [handle {h}]"))
        .unwrap_or_default();
    let text = rule.text.as_deref().unwrap_or(&rule.raw);
    format!("{}{handle}: {text}", chain_label(chain))
}

enum Match {
    Yes,
    No,
    Unknown(String),
}

fn port_range(text: &str) -> Option<(u16, u16)> {
    match text.split_once('-') {
        Some((a, b)) => Some((a.trim().parse().ok()?, b.trim().parse().ok()?)),
        None => {
            let p = text.trim().parse().ok()?;
            Some((p, p))
        }
    }
}

fn addresses(entries: &[String], family: Family, addr: Option<u128>, what: &str) -> Match {
    if entries.is_empty() {
        return Match::Yes;
    }
    let Some(addr) = addr else {
        return Match::Unknown(format!(
            "the rule depends on the {what} address ({}): give it in the expectation",
            entries.join(", ")
        ));
    };
    let mut positive_seen = false;
    let mut positive_hit = false;
    for entry in entries {
        let (negated, text) = match entry.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, entry.as_str()),
        };
        let Some(span) = Span::parse(text) else {
            return Match::Unknown(format!("address not interpreted \"{entry}\""));
        };
        if negated {
            // nft's `ip saddr != X` only sees IPv4 packets (and `ip6` IPv6 ones).
            if span.family != family || span.contains(family, addr) {
                return Match::No;
            }
        } else {
            positive_seen = true;
            positive_hit |= span.contains(family, addr);
        }
    }
    if positive_seen && !positive_hit {
        Match::No
    } else {
        Match::Yes
    }
}

fn interface_matches(pattern: &str, name: &str) -> bool {
    // nft `iifname "eth*"`, iptables `-i eth+`.
    match pattern
        .strip_suffix('*')
        .or_else(|| pattern.strip_suffix('+'))
    {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

fn matches(rule: &FirewallRule, p: &Packet<'_>) -> Match {
    if !rule.ct_states.is_empty() && !rule.ct_states.iter().any(|s| s == "new") {
        return Match::No;
    }
    if let Some(proto) = rule.protocol.as_deref()
        && proto != p.proto
    {
        return Match::No;
    }
    if !rule.dports.is_empty() {
        let mut hit = false;
        for d in &rule.dports {
            match port_range(d) {
                Some((a, b)) => hit |= a <= p.port && p.port <= b,
                None => return Match::Unknown(format!("port not interpreted \"{d}\"")),
            }
        }
        if !hit {
            return Match::No;
        }
    }
    for (entries, addr, what) in [
        (&rule.sources, Some(p.src), "source"),
        (&rule.destinations, p.dst, "destination"),
    ] {
        match addresses(entries, p.family, addr, what) {
            Match::Yes => {}
            other => return other,
        }
    }
    if let Some(pattern) = rule.in_interface.as_deref() {
        match p.iif {
            Some(name) if !interface_matches(pattern, name) => return Match::No,
            Some(_) => {}
            None => {
                return Match::Unknown(format!(
                    "the rule depends on the input interface ({pattern}): give `iif`"
                ));
            }
        }
    }
    Match::Yes
}

const MAX_DEPTH: u8 = 16;

/// Walks one chain; `None` when the packet falls off its end or meets `return`.
fn walk(
    all: &[FirewallChain],
    chain: &FirewallChain,
    p: &Packet<'_>,
    depth: u8,
) -> Option<Verdict> {
    for rule in &chain.rules {
        let action = rule.action.as_str();
        // Statements that never end the walk (logging, counters, NAT in a nat chain).
        let passes_on = matches!(action, "log" | "masquerade" | "snat" | "dnat" | "redirect")
            || (action == "other" && rule.complete);
        if passes_on {
            continue;
        }
        match matches(rule, p) {
            Match::No => continue,
            Match::Unknown(why) => {
                return Some(Verdict::Unknown(format!(
                    "{why} — {}",
                    rule_label(chain, rule)
                )));
            }
            Match::Yes => {}
        }
        if !rule.complete {
            return Some(Verdict::Unknown(format!(
                "rule not interpreted: {}",
                rule_label(chain, rule)
            )));
        }
        match action {
            "accept" => return Some(Verdict::Accept(rule_label(chain, rule))),
            "drop" | "reject" => return Some(Verdict::Deny(rule_label(chain, rule))),
            "return" => return None,
            _ => {}
        }
        let Some((kind, target)) = action.split_once(':') else {
            return Some(Verdict::Unknown(format!(
                "action \"{action}\" not interpreted: {}",
                rule_label(chain, rule)
            )));
        };
        let Some(next) = all.iter().find(|c| {
            c.backend == chain.backend
                && c.family == chain.family
                && c.table == chain.table
                && c.name == target
        }) else {
            return Some(Verdict::Unknown(format!(
                "chain \"{target}\" not found: {}",
                rule_label(chain, rule)
            )));
        };
        if depth >= MAX_DEPTH {
            return Some(Verdict::Unknown(format!(
                "more than {MAX_DEPTH} chain jumps: {}",
                rule_label(chain, rule)
            )));
        }
        match walk(all, next, p, depth + 1) {
            Some(v) => return Some(v),
            None if kind == "goto" => return None,
            None => {}
        }
    }
    None
}

/// The verdict for one packet across every input base chain that sees it.
pub(crate) fn verdict(all: &[FirewallChain], p: &Packet<'_>) -> Verdict {
    let mut accepted: Option<String> = None;
    let mut unknown: Option<String> = None;
    for chain in all
        .iter()
        .filter(|c| c.hook.as_deref() == Some("input") && p.family.seen_by(&c.family))
    {
        let v = walk(all, chain, p, 0).unwrap_or_else(|| {
            match chain.policy.as_deref().unwrap_or("accept") {
                "drop" => Verdict::Deny(format!("policy drop of {}", chain_label(chain))),
                other => Verdict::Accept(format!("policy {other} of {}", chain_label(chain))),
            }
        });
        match v {
            Verdict::Deny(_) => return v,
            Verdict::Unknown(why) => unknown = unknown.or(Some(why)),
            // A rule that accepts says more than a policy.
            Verdict::Accept(why) => {
                if accepted.as_deref().is_none_or(|a| a.starts_with("policy ")) {
                    accepted = Some(why);
                }
            }
        }
    }
    match (unknown, accepted) {
        (Some(why), _) => Verdict::Unknown(why),
        (None, Some(why)) => Verdict::Accept(why),
        (None, None) => Verdict::Accept("no input chain (no filtering)".to_owned()),
    }
}

/// Cuts `domain` at every boundary the rules' addresses (sources when `source`, else
/// destinations) put inside it: every address of one piece gets the same verdict.
pub(crate) fn address_atoms(all: &[FirewallChain], domain: &[Span], source: bool) -> Vec<Span> {
    let mut cuts: Vec<(Family, u128)> = Vec::new();
    for rule in all.iter().flat_map(|c| &c.rules) {
        let entries = if source {
            &rule.sources
        } else {
            &rule.destinations
        };
        for e in entries {
            if let Some(s) = Span::parse(e.trim_start_matches('!')) {
                cuts.push((s.family, s.lo));
                if let Some(after) = s.hi.checked_add(1).filter(|a| *a <= s.family.max()) {
                    cuts.push((s.family, after));
                }
            }
        }
    }
    cuts.sort();
    cuts.dedup();
    let mut atoms = Vec::new();
    for d in domain {
        let mut lo = d.lo;
        for &(f, cut) in &cuts {
            if f == d.family && cut > lo && cut <= d.hi {
                atoms.push(Span {
                    family: d.family,
                    lo,
                    hi: cut - 1,
                });
                lo = cut;
            }
        }
        atoms.push(Span {
            family: d.family,
            lo,
            hi: d.hi,
        });
    }
    atoms
}

/// Cuts the port range `[lo, hi]` at every boundary the rules' ports put inside it.
pub(crate) fn port_atoms(all: &[FirewallChain], lo: u16, hi: u16) -> Vec<(u16, u16)> {
    let mut cuts: Vec<u32> = all
        .iter()
        .flat_map(|c| &c.rules)
        .flat_map(|r| &r.dports)
        .filter_map(|d| port_range(d))
        .flat_map(|(a, b)| [a as u32, b as u32 + 1])
        .filter(|c| *c > lo as u32 && *c <= hi as u32)
        .collect();
    cuts.sort();
    cuts.dedup();
    let mut atoms = Vec::new();
    let mut start = lo as u32;
    for cut in cuts {
        atoms.push((start as u16, (cut - 1) as u16));
        start = cut;
    }
    atoms.push((start as u16, hi));
    atoms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_parse_and_print() {
        for (text, shown) in [
            ("192.168.1.0/24", "192.168.1.0/24"),
            ("192.168.1.7/24", "192.168.1.0/24"),
            ("10.0.0.1", "10.0.0.1"),
            ("10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9"),
            ("0.0.0.0/0", "0.0.0.0/0"),
            ("::/0", "::/0"),
            ("fd00::/8", "fd00::/8"),
        ] {
            assert_eq!(Span::parse(text).unwrap().to_string(), shown, "{text}");
        }
        for bad in ["192.168.1.0/33", "lan", "10.0.0.9-10.0.0.1", "@allowed", ""] {
            assert!(Span::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn complement_of_a_lan() {
        let lan = Span::parse("192.168.1.0/24").unwrap();
        let rest: Vec<String> = complement(Family::V4, &[lan])
            .iter()
            .map(Span::to_string)
            .collect();
        assert_eq!(
            rest,
            ["0.0.0.0-192.168.0.255", "192.168.2.0-255.255.255.255"]
        );
        assert_eq!(
            complement(Family::V4, &[Span::all(Family::V4)]),
            Vec::<Span>::new()
        );
    }

    #[test]
    fn port_atoms_follow_rule_boundaries() {
        let chain = FirewallChain {
            rules: vec![FirewallRule {
                dports: vec!["9102".to_owned()],
                ..FirewallRule::default()
            }],
            ..FirewallChain::default()
        };
        assert_eq!(
            port_atoms(&[chain], 9101, 9103),
            [(9101, 9101), (9102, 9102), (9103, 9103)]
        );
    }
}
