//! Resultant set of policy from `gpresult /x` XML (language-independent, preferred) or from
//! `gpresult /r` text, in French or English (the labels are matched on both; typographic
//! apostrophes and dotted leaders are tolerated).

use crate::gpo::text::strip_xml_declaration;
use crate::probe::value::text;
use constat_snapshot::windows::{AppliedGpo, Rsop};
use roxmltree::{Document, Node};
use serde_json::Value;

const RSOP_NS: &str = "http://www.microsoft.com/GroupPolicy/Rsop";
const TYPES_NS: &str = "http://www.microsoft.com/GroupPolicy/Types";

#[derive(Clone, Copy, PartialEq)]
enum Part {
    None,
    Computer,
    User,
}

#[derive(Clone, Copy, PartialEq)]
enum List {
    None,
    Applied,
    Denied,
    Groups,
}

/// Parses `gpresult /r` output.
pub fn parse_gpresult_r(output: &str) -> Rsop {
    let mut rsop = Rsop::default();
    let mut part = Part::None;
    let mut list = List::None;
    for raw in output.lines() {
        let line = raw.replace('\u{2019}', "'").replace('\u{a0}', " ");
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();
        if let Some(rest) = trimmed
            .strip_prefix("Données RSOP pour ")
            .or_else(|| trimmed.strip_prefix("RSOP data for "))
        {
            let user = rest
                .split(" sur ")
                .next()
                .unwrap_or(rest)
                .split(" on ")
                .next()
                .unwrap_or(rest);
            rsop.user = Some(user.trim().to_owned());
            continue;
        }
        if lower == "paramètres utilisateurs" || lower == "user settings" {
            (part, list) = (Part::User, List::None);
            continue;
        }
        if lower.starts_with("paramètres de l'ordinateur") || lower == "computer settings" {
            (part, list) = (Part::Computer, List::None);
            continue;
        }
        if trimmed.is_empty() {
            if list != List::Denied {
                list = List::None;
            }
            continue;
        }
        if trimmed.chars().all(|c| c == '-') {
            continue;
        }
        if lower.contains("dernière application")
            || lower.starts_with("last time group policy was applied")
        {
            let value = trimmed.split_once(": ").map(|(_, v)| v.trim().to_owned());
            match part {
                Part::User => rsop.user_last_applied = value,
                Part::Computer => rsop.computer_last_applied = value,
                Part::None => {}
            }
            continue;
        }
        if lower.starts_with("objets stratégie de groupe appliqués")
            || lower.starts_with("applied group policy objects")
        {
            list = List::Applied;
            continue;
        }
        if lower.contains("n'ont pas été appliqués") || lower.contains("were not applied") {
            list = List::Denied;
            continue;
        }
        if lower.contains("groupes de sécurité suivants")
            || lower.contains("following security groups")
        {
            list = List::Groups;
            continue;
        }
        if list == List::Denied && (lower.starts_with("car ils") || lower.starts_with("because")) {
            continue;
        }
        let target = match part {
            Part::User => &mut rsop.user_gpos,
            _ => &mut rsop.computer_gpos,
        };
        match list {
            List::Applied if trimmed != "N/A" => target.push(AppliedGpo {
                name: trimmed.to_owned(),
                applied: true,
                ..AppliedGpo::default()
            }),
            List::Denied => {
                if let Some((_, reason)) = trimmed
                    .split_once(':')
                    .filter(|_| lower.starts_with("filtrage") || lower.starts_with("filtering"))
                {
                    if let Some(last) = target.last_mut().filter(|g| !g.applied) {
                        last.filter_reason = Some(reason.trim().to_owned());
                    }
                } else if raw.starts_with("        ") && !raw.starts_with("          ") {
                    target.push(AppliedGpo {
                        name: trimmed.to_owned(),
                        applied: false,
                        ..AppliedGpo::default()
                    });
                } else {
                    list = List::None;
                }
            }
            List::Groups => rsop.user_groups.push(trimmed.to_owned()),
            _ => {}
        }
    }
    rsop
}

/// Whether `node` is the element `name` of namespace `ns` (never matched by prefix).
fn is(node: Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

/// The trimmed text of the first child element `name` of namespace `ns`.
fn child_text(node: Node<'_, '_>, ns: &str, name: &str) -> Option<String> {
    node.children()
        .find(|c| is(*c, ns, name))
        .and_then(|c| c.text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn child_bool(node: Node<'_, '_>, name: &str) -> Option<bool> {
    child_text(node, RSOP_NS, name).map(|t| t.eq_ignore_ascii_case("true"))
}

/// One `<GPO>` of `ComputerResults`/`UserResults` and its application order (0: not applied).
fn applied_gpo(gpo: Node<'_, '_>) -> (u32, AppliedGpo) {
    let links: Vec<Node<'_, '_>> = gpo.children().filter(|c| is(*c, RSOP_NS, "Link")).collect();
    let order_of = |link: &Node<'_, '_>| {
        child_text(*link, RSOP_NS, "AppliedOrder")
            .and_then(|o| o.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let applied_link = links.iter().find(|l| order_of(l) > 0);
    let order = applied_link.map_or(0, order_of);
    let link = applied_link
        .or(links.first())
        .and_then(|l| child_text(*l, RSOP_NS, "SOMPath"));
    let filter_reason = (order == 0).then(|| {
        if child_bool(gpo, "AccessDenied") == Some(true) {
            "Denied (Security)"
        } else if child_bool(gpo, "IsValid") == Some(false) {
            "Not valid (inaccessible)"
        } else if child_bool(gpo, "FilterAllowed") == Some(false) {
            "Denied (WMI Filter)"
        } else if child_bool(gpo, "Enabled") == Some(false) {
            "Disabled GPO"
        } else if !links.is_empty()
            && links
                .iter()
                .all(|l| child_bool(*l, "Enabled") == Some(false))
        {
            "Disabled link"
        } else {
            "Empty"
        }
        .to_owned()
    });
    let guid = gpo
        .children()
        .find(|c| is(*c, RSOP_NS, "Path"))
        .and_then(|p| child_text(p, TYPES_NS, "Identifier"));
    (
        order,
        AppliedGpo {
            name: child_text(gpo, RSOP_NS, "Name")
                .or_else(|| guid.clone())
                .unwrap_or_default(),
            guid,
            applied: order > 0,
            filter_reason,
            link,
        },
    )
}

/// The GPOs of one results part: applied ones in application order, then the others.
fn gpos_of(part: Node<'_, '_>) -> Vec<AppliedGpo> {
    // Only direct children: `ExtensionData` nests other `<GPO>` references.
    let mut gpos: Vec<(u32, AppliedGpo)> = part
        .children()
        .filter(|c| is(*c, RSOP_NS, "GPO"))
        .map(applied_gpo)
        .collect();
    gpos.sort_by_key(|(order, _)| if *order == 0 { u32::MAX } else { *order });
    gpos.into_iter().map(|(_, g)| g).collect()
}

/// Parses `gpresult /x` XML (root `Rsop` in namespace `http://www.microsoft.com/GroupPolicy/Rsop`;
/// elements matched by namespace URI, never by prefix).
pub fn parse_gpresult_x(xml: &str) -> Result<Rsop, String> {
    let doc = Document::parse(strip_xml_declaration(xml))
        .map_err(|e| format!("gpresult /x: unreadable XML: {e}"))?;
    let root = doc.root_element();
    if !is(root, RSOP_NS, "Rsop") {
        return Err(format!(
            "gpresult /x: root <{}> ({}) instead of <Rsop> in namespace {RSOP_NS}",
            root.tag_name().name(),
            root.tag_name().namespace().unwrap_or("no namespace")
        ));
    }
    let mut rsop = Rsop::default();
    for part in root.children().filter(|c| c.is_element()) {
        if is(part, RSOP_NS, "ComputerResults") {
            rsop.computer_gpos = gpos_of(part);
        } else if is(part, RSOP_NS, "UserResults") {
            rsop.user = child_text(part, RSOP_NS, "Name");
            rsop.user_gpos = gpos_of(part);
            rsop.user_groups = part
                .children()
                .filter(|c| is(*c, RSOP_NS, "SecurityGroup"))
                .filter_map(|g| child_text(g, TYPES_NS, "Name"))
                .collect();
        }
    }
    Ok(rsop)
}

/// The probe's `rsop` data: `{User, GpresultR, GpresultX}`. The XML is preferred (its element
/// names do not depend on the display language); the text adds the "last applied" times.
pub fn normalise_rsop(data: &Value) -> Result<Rsop, String> {
    let from_text = text(data, "GpresultR").map(|output| parse_gpresult_r(&output));
    let mut rsop = match (text(data, "GpresultX"), from_text) {
        (Some(xml), from_text) => {
            let mut rsop = parse_gpresult_x(&xml)?;
            if let Some(t) = from_text {
                rsop.computer_last_applied = t.computer_last_applied;
                rsop.user_last_applied = t.user_last_applied;
                if rsop.user.is_none() {
                    rsop.user = t.user;
                }
            }
            rsop
        }
        (None, Some(rsop)) => rsop,
        (None, None) => return Err("gpresult /x and gpresult /r printed nothing".to_owned()),
    };
    if rsop.user.is_none() {
        rsop.user = text(data, "User");
    }
    Ok(rsop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// Recorded real French `gpresult /r` (SOURCES.md §3.13): a domain user, then a local
    /// account on a workgroup machine with the local policy filtered out.
    #[test]
    fn recorded_french_gpresult() {
        // The sample file annotates the output with `#` lines: they are not gpresult's.
        let text: String = sample("gpresult_R_fr-FR__WCS_atelier_AD.txt")
            .lines()
            .filter(|l| !l.starts_with("# ") || l.starts_with("# --- same command"))
            .map(|l| format!("{l}\n"))
            .collect();
        let (domain, local) = text.split_once("# --- same command").unwrap_or((&text, ""));
        insta::assert_yaml_snapshot!((parse_gpresult_r(domain), parse_gpresult_r(local)));
    }

    /// `gpresult /x` in the shape of Microsoft's RSoP XML schema (namespace
    /// `http://www.microsoft.com/GroupPolicy/Rsop`, identifiers in `.../Types`): no recording
    /// of `gpresult /x` is in the samples, so this document is written for the test. It has a
    /// GPO applied through a link, one denied by security, an empty local policy, a nested
    /// `<GPO>` reference under `ExtensionData` that must be ignored, and uses a prefix for
    /// the Rsop namespace on the user part to show that prefixes do not matter.
    #[test]
    fn gpresult_x_by_namespace() {
        let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-16\"?>
<Rsop xmlns=\"http://www.microsoft.com/GroupPolicy/Rsop\" xmlns:q=\"http://www.microsoft.com/GroupPolicy/Rsop\" xmlns:t=\"http://www.microsoft.com/GroupPolicy/Types\">
  <ReadTime>2026-11-23T16:00:00.0000000Z</ReadTime>
  <DataType>LoggedData</DataType>
  <ComputerResults>
    <Name>TSSR\\PC-COMPTA01$</Name>
    <GPO>
      <Name>Default Domain Policy</Name>
      <Path><t:Identifier>{31B2F340-016D-11D2-945F-00C04FB984F9}</t:Identifier><t:Domain>tssr.lan</t:Domain></Path>
      <Enabled>true</Enabled><IsValid>true</IsValid><FilterAllowed>true</FilterAllowed><AccessDenied>false</AccessDenied>
      <Link><SOMPath>tssr.lan</SOMPath><AppliedOrder>1</AppliedOrder><Enabled>true</Enabled></Link>
    </GPO>
    <ExtensionData><Extension><GPO><Name>Default Domain Policy</Name></GPO></Extension></ExtensionData>
  </ComputerResults>
  <q:UserResults>
    <q:Name>TSSR\\alefevre</q:Name>
    <q:SecurityGroup><t:SID>S-1-5-21-1-2-3-513</t:SID><t:Name>TSSR\\Domain Users</t:Name></q:SecurityGroup>
    <q:SecurityGroup><t:SID>S-1-5-21-1-2-3-1105</t:SID><t:Name>TSSR\\GG_Commercial</t:Name></q:SecurityGroup>
    <q:GPO>
      <q:Name>Local Group Policy</q:Name>
      <q:Path><t:Identifier>LocalGPO</t:Identifier></q:Path>
      <q:Enabled>true</q:Enabled><q:IsValid>true</q:IsValid><q:FilterAllowed>true</q:FilterAllowed><q:AccessDenied>false</q:AccessDenied>
      <q:Link><q:SOMPath>Local</q:SOMPath><q:AppliedOrder>0</q:AppliedOrder><q:Enabled>true</q:Enabled></q:Link>
    </q:GPO>
    <q:GPO>
      <q:Name>GPO_Compta</q:Name>
      <q:Path><t:Identifier>{0F1D2C3B-4A59-6877-8695-A4B3C2D1E0F9}</t:Identifier></q:Path>
      <q:Enabled>true</q:Enabled><q:IsValid>true</q:IsValid><q:FilterAllowed>true</q:FilterAllowed><q:AccessDenied>true</q:AccessDenied>
      <q:Link><q:SOMPath>tssr.lan/Comptabilite</q:SOMPath><q:AppliedOrder>0</q:AppliedOrder><q:Enabled>true</q:Enabled></q:Link>
    </q:GPO>
    <q:GPO>
      <q:Name>GPO_Commercial</q:Name>
      <q:Path><t:Identifier>{6E7F8091-A2B3-4C5D-8E9F-A0B1C2D3E4F5}</t:Identifier></q:Path>
      <q:Enabled>true</q:Enabled><q:IsValid>true</q:IsValid><q:FilterAllowed>true</q:FilterAllowed><q:AccessDenied>false</q:AccessDenied>
      <q:Link><q:SOMPath>tssr.lan/Commercial</q:SOMPath><q:AppliedOrder>1</q:AppliedOrder><q:Enabled>true</q:Enabled></q:Link>
    </q:GPO>
  </q:UserResults>
</Rsop>";
        let other_namespace = "<Rsop xmlns=\"urn:not-rsop\"><UserResults/></Rsop>";
        insta::assert_yaml_snapshot!((
            parse_gpresult_x(xml),
            parse_gpresult_x(other_namespace),
            parse_gpresult_x("<Rsop"),
        ));
    }

    /// Both outputs: the XML gives the GPOs, the recorded French text the "last applied" time.
    #[test]
    fn xml_preferred_over_text() {
        let text: String = sample("gpresult_R_fr-FR__WCS_atelier_AD.txt")
            .lines()
            .filter(|l| !l.starts_with("# ") || l.starts_with("# --- same command"))
            .map(|l| format!("{l}\n"))
            .collect();
        let domain = text
            .split_once("# --- same command")
            .map_or(&*text, |(d, _)| d);
        let xml = "<Rsop xmlns=\"http://www.microsoft.com/GroupPolicy/Rsop\"><UserResults><Name>LAB\\user1</Name></UserResults></Rsop>";
        let data = serde_json::json!({"User": "LAB\\user1", "GpresultR": domain, "GpresultX": xml});
        insta::assert_yaml_snapshot!(normalise_rsop(&data));
    }
}
