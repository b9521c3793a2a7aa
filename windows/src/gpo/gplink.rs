//! `gPLink` (GPO links of an OU or domain) and `gPC*ExtensionNames` (registered client-side
//! extensions) attribute parsers.

use crate::error::ParseError;
use constat_snapshot::ad::{CseRegistration, GpLink};

/// Parses a `gPLink` value: `[LDAP://cn={GUID},cn=policies,cn=system,DC=…;opts]…`.
/// Options bit 1 = link disabled, bit 2 = enforced. Links are returned in the order they
/// apply: the string order, whose last entry is GPMC's link order 1 (it wins).
pub fn parse_gplink(value: &str, owner_dn: &str) -> Result<Vec<GpLink>, ParseError> {
    let error = |message: String| ParseError::Text {
        file: format!("gPLink of {owner_dn}"),
        line: 1,
        message,
    };
    let mut links = Vec::new();
    for part in value.split('[').map(str::trim).filter(|p| !p.is_empty()) {
        let body = part
            .strip_suffix(']')
            .ok_or_else(|| error(format!("link {part:?} has no closing ']'")))?;
        let (path, options) = body
            .rsplit_once(';')
            .ok_or_else(|| error(format!("link {body:?} has no ';options' part")))?;
        let options: u32 = options
            .trim()
            .parse()
            .map_err(|_| error(format!("link options {options:?} are not a number")))?;
        let dn = match path.get(..7) {
            Some(scheme) if scheme.eq_ignore_ascii_case("LDAP://") => &path[7..],
            _ => path,
        };
        let guid = dn
            .find('{')
            .and_then(|start| dn[start..].find('}').map(|end| &dn[start..=start + end]))
            .ok_or_else(|| error(format!("link {dn:?} names no {{GUID}}")))?;
        links.push(GpLink {
            gpo_guid: guid.to_ascii_uppercase(),
            gpo_dn: dn.to_owned(),
            gpo_name: None,
            enabled: options & 1 == 0,
            enforced: options & 2 != 0,
            link_order: 0,
        });
    }
    let count = links.len() as u32;
    for (index, link) in links.iter_mut().enumerate() {
        link.link_order = count - index as u32;
    }
    Ok(links)
}

/// Parses `gPCMachineExtensionNames` / `gPCUserExtensionNames`: `[{CSE}{tool}…][…]`.
pub fn parse_extension_names(value: &str) -> Vec<CseRegistration> {
    value
        .split('[')
        .filter_map(|group| {
            let guids: Vec<String> = group
                .split('{')
                .filter_map(|g| {
                    g.split_once('}')
                        .map(|(guid, _)| format!("{{{}}}", guid.to_ascii_uppercase()))
                })
                .collect();
            let (cse, tools) = guids.split_first()?;
            Some(CseRegistration {
                cse: cse.clone(),
                name: cse_name(cse).map(str::to_owned),
                tools: tools.to_vec(),
            })
        })
        .collect()
}

/// Well-known client-side extensions and Group Policy Preferences families.
pub const KNOWN_CSES: &[(&str, &str)] = &[
    ("{35378EAC-683F-11D2-A89A-00C04FBBCFA2}", "Registry"),
    ("{827D319E-6EAC-11D2-A4EA-00C04F79F83A}", "Security"),
    ("{42B5FAAE-6536-11D2-AE5A-0000F87571E3}", "Scripts"),
    (
        "{25537BA6-77A8-11D2-9B6C-0000F8080861}",
        "Folder Redirection",
    ),
    (
        "{C6DC5466-785A-11D2-84D0-00C04FB169F7}",
        "Software Installation",
    ),
    ("{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}", "EFS Recovery"),
    (
        "{F3CCC681-B74C-4060-9F26-CD84525DCA2A}",
        "Audit Policy Configuration",
    ),
    ("{5794DAFD-BE60-433F-88A2-1A31939AC01F}", "Drive Maps"),
    (
        "{17D89FEC-5C44-4972-B12D-241CAEF74509}",
        "Local Users and Groups",
    ),
    ("{AADCED64-746C-4633-A97C-D61349046527}", "Scheduled Tasks"),
    ("{7150F9BF-48AD-4DA4-A49C-29EF4A8369BA}", "Files"),
    ("{6232C319-91AC-4931-9385-E70C2B099F0E}", "Folders"),
    ("{BC75B1ED-5833-4858-9BB8-CBF0B166DF9D}", "Printers"),
    ("{C418DD9D-0D14-4EFB-8FBF-CFE535C8FAC7}", "Shortcuts"),
    (
        "{B087BE9D-ED37-454F-AF9C-04291E351182}",
        "Registry (Preferences)",
    ),
    ("{6A4C88C6-C502-4F74-8F60-2CB23EDC24E2}", "Network Shares"),
    (
        "{0E28E245-9368-4853-AD84-6DA3BA35BB75}",
        "Environment Variables",
    ),
    ("{74EE6C03-5363-4554-B161-627540339CAB}", "Ini Files"),
    ("{91FBB303-0CD5-4055-BF42-E512A681B325}", "Services"),
    ("{728EE579-943C-4519-9EF7-AB56765798ED}", "Data Sources"),
    ("{1A6364EB-776B-4120-ADE1-B63A406A76B5}", "Devices"),
    ("{E62688F0-25FD-4C90-BFF5-F508B9D2E31F}", "Power Options"),
    ("{E5094040-C46C-4115-B030-04FB2E545B00}", "Regional Options"),
    ("{E4F48E54-F38D-4884-BFB9-D4D2E5729C18}", "Start Menu"),
    ("{A3F3E39B-5D83-4940-B954-28315B82F0A8}", "Folder Options"),
    ("{3A0DBA37-F8B2-4356-83DE-3E90BD5C261F}", "Network Options"),
    (
        "{E47248BA-94CC-49C4-BBB5-9EB7F05183D0}",
        "Internet Settings",
    ),
];

/// Name of a well-known CSE GUID (any case, braces required).
pub fn cse_name(guid: &str) -> Option<&'static str> {
    KNOWN_CSES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(guid))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gplinks_in_application_order() {
        // Values as Samba 4.17 wrote them in the lab (lab.md §1.5), three links in one.
        let value = "[LDAP://CN={73B42F42-2FAC-438B-ADC5-E5A80F2B29A1},CN=Policies,CN=System,DC=tssr,DC=lan;0][LDAP://cn={69b8d919-0000-4000-8000-000000000001},cn=policies,cn=system,DC=tssr,DC=lan;1][LDAP://CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=tssr,DC=lan;2]";
        insta::assert_yaml_snapshot!((
            parse_gplink(value, "OU=Comptabilite,DC=tssr,DC=lan").map_err(|e| e.to_string()),
            parse_gplink(" ", "DC=tssr,DC=lan").map_err(|e| e.to_string()),
            parse_gplink("[LDAP://CN=x;zz]", "OU=Bad,DC=tssr,DC=lan").map_err(|e| e.to_string()),
        ));
    }

    #[test]
    fn extension_names() {
        // From lab-recipes/gpo-push-pol.sh.
        insta::assert_yaml_snapshot!(parse_extension_names(
            "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}][{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}][{5794dafd-be60-433f-88a2-1a31939ac01f}{2EA1A81B-48E5-45E9-8BB7-A6E3AC170006}]"
        ));
    }
}
