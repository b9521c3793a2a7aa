//! What a GPO container's security descriptor means for Group Policy: who it applies to
//! (security filtering: Read + the Apply Group Policy extended right), who is denied, who may
//! edit it; and its WMI filter (`gPCWQLFilter` → `msWMI-Som`). Pure functions of the raw values.

use crate::ldap::security_descriptor::{self, Ace, INHERITED, rights};
use constat_snapshot::ad::{GpoAce, GpoSecurity, GpoTrustee, WmiFilter, WmiQuery};
use constat_snapshot::section::Section;

/// The Apply Group Policy extended right.
pub const APPLY_GROUP_POLICY: &str = "{EDACFD8F-FFB3-11D1-B41D-00A0C968F939}";

const RP: u32 = 0x10;
const WP: u32 = 0x20;
const CR: u32 = 0x100;
const WD: u32 = 0x4_0000;
const WO: u32 = 0x8_0000;
const GA: u32 = 0x1000_0000;
const GW: u32 = 0x4000_0000;
const GR: u32 = 0x8000_0000;

/// Well-known SIDs a GPO's DACL uses, with the names GPMC shows.
pub fn well_known(sid: &str) -> Option<&'static str> {
    Some(match sid {
        "S-1-1-0" => "Everyone",
        "S-1-3-0" => "CREATOR OWNER",
        "S-1-5-9" => "ENTERPRISE DOMAIN CONTROLLERS",
        "S-1-5-10" => "SELF",
        "S-1-5-11" => "Authenticated Users",
        "S-1-5-18" => "SYSTEM",
        "S-1-5-32-544" => "Administrators",
        "S-1-5-32-545" => "Users",
        _ => return None,
    })
}

/// Decodes `nTSecurityDescriptor` into the GPO's security filtering and delegation.
/// `name_of` resolves a SID to an account or group name (the collected directory).
pub fn gpo_security(
    value: Option<&[u8]>,
    name_of: &dyn Fn(&str) -> Option<String>,
) -> Section<GpoSecurity> {
    let Some(bytes) = value else {
        return Section::not_collected(
            "the DC returned no nTSecurityDescriptor for this GPO to the collecting account",
        );
    };
    let sd = match security_descriptor::parse(bytes) {
        Ok(sd) => sd,
        Err(e) => return Section::error(e.to_string()),
    };
    let Some(dacl) = sd.dacl else {
        return Section::not_collected("the descriptor returned holds no DACL");
    };
    let name = |sid: &str| {
        name_of(sid)
            .or_else(|| well_known(sid).map(str::to_owned))
            .unwrap_or_else(|| sid.to_owned())
    };
    let own: Vec<&Ace> = dacl
        .iter()
        .filter(|a| a.applies_to_object() && a.sid.is_some())
        .collect();
    let mut sids: Vec<&str> = own.iter().filter_map(|a| a.sid.as_deref()).collect();
    sids.sort_unstable();
    sids.dedup();
    let (mut apply_to, mut denied, mut edit) = (Vec::new(), Vec::new(), Vec::new());
    for sid in sids {
        let aces: Vec<&&Ace> = own
            .iter()
            .filter(|a| a.sid.as_deref() == Some(sid))
            .collect();
        let any = |allow: bool, test: &dyn Fn(&Ace) -> bool| {
            aces.iter()
                .any(|a| if allow { a.is_allow() } else { a.is_deny() } && test(a))
        };
        let read = |a: &Ace| a.object_type.is_none() && a.mask & (RP | GA | GR) != 0;
        let apply = |a: &Ace| {
            a.mask & GA != 0
                || (a.mask & CR != 0
                    && a.object_type
                        .as_deref()
                        .is_none_or(|t| t.eq_ignore_ascii_case(APPLY_GROUP_POLICY)))
        };
        let writes = |a: &Ace| a.object_type.is_none() && a.mask & (WP | WD | WO | GA | GW) != 0;
        let trustee = GpoTrustee {
            name: name(sid),
            sid: sid.to_owned(),
        };
        let is_denied = any(false, &read) || any(false, &apply);
        if any(true, &read) && any(true, &apply) && !is_denied {
            apply_to.push(trustee.clone());
        }
        if is_denied {
            denied.push(trustee.clone());
        }
        if any(true, &writes) {
            edit.push(trustee);
        }
    }
    for list in [&mut apply_to, &mut denied, &mut edit] {
        list.sort_by_key(|t| (t.name.to_lowercase(), t.sid.clone()));
    }
    let aces = own
        .iter()
        .filter(|a| a.is_allow() || a.is_deny())
        .map(|a| {
            let sid = a.sid.clone().unwrap_or_default();
            GpoAce {
                trustee: name(&sid),
                sid,
                allow: a.is_allow(),
                rights: rights(a.mask),
                object_type: a.object_type.as_deref().map(|t| {
                    if t.eq_ignore_ascii_case(APPLY_GROUP_POLICY) {
                        "Apply Group Policy".to_owned()
                    } else {
                        t.to_owned()
                    }
                }),
                inherited: a.flags & INHERITED != 0,
            }
        })
        .collect();
    Section::collected(GpoSecurity {
        owner: sd.owner.as_deref().map(name),
        apply_to,
        denied,
        edit,
        aces,
    })
}

/// The filter GUID of `gPCWQLFilter` (`[tssr.lan;{GUID};0]`), upper case in braces.
pub fn wql_filter_id(value: &str) -> Option<String> {
    let inner = value.trim().trim_start_matches('[').trim_end_matches(']');
    inner
        .split(';')
        .find(|p| p.starts_with('{') && p.ends_with('}'))
        .map(str::to_ascii_uppercase)
}

/// Splits `msWMI-Parm2`: `<n>;` then per query `3;<len ns>;<len query>;WQL;<ns>;<query>;`
/// (lengths in characters). `None` when it does not follow that layout.
pub fn wmi_queries(parm2: &str) -> Option<Vec<WmiQuery>> {
    let chars: Vec<char> = parm2.chars().collect();
    let mut pos = 0;
    let field = |pos: &mut usize| -> Option<String> {
        let end = chars.get(*pos..)?.iter().position(|c| *c == ';')? + *pos;
        let text: String = chars[*pos..end].iter().collect();
        *pos = end + 1;
        Some(text)
    };
    let number = |pos: &mut usize| -> Option<usize> { field(pos)?.trim().parse().ok() };
    let count = number(&mut pos)?;
    let mut lengths = Vec::new();
    for _ in 0..count.min(64) {
        lengths.push((number(&mut pos)?, number(&mut pos)?, number(&mut pos)?));
    }
    let take = |pos: &mut usize, n: usize| -> Option<String> {
        let text: String = chars.get(*pos..*pos + n)?.iter().collect();
        if chars.get(*pos + n) != Some(&';') {
            return None;
        }
        *pos += n + 1;
        Some(text)
    };
    let mut out = Vec::new();
    for (lang, ns, query) in lengths {
        take(&mut pos, lang)?;
        let namespace = take(&mut pos, ns)?;
        let query = take(&mut pos, query)?;
        out.push(WmiQuery { namespace, query });
    }
    Some(out)
}

/// A `msWMI-Som` object's attributes → [`WmiFilter`].
pub fn wmi_filter(
    id: &str,
    name: Option<String>,
    description: Option<String>,
    parm2: Option<&str>,
) -> WmiFilter {
    let queries = parm2.and_then(wmi_queries);
    WmiFilter {
        id: id.trim().to_ascii_uppercase(),
        name,
        description,
        raw_queries: if queries.is_none() {
            parm2.map(str::to_owned)
        } else {
            None
        },
        queries: queries.unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::{gpo_security, wmi_queries, wql_filter_id};
    use base64::Engine;

    fn fixture(text: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .unwrap()
    }

    fn names(sid: &str) -> Option<String> {
        let rid = sid.strip_prefix("S-1-5-21-2833712038-3527783458-2302335099-")?;
        Some(
            match rid {
                "512" => "Domain Admins",
                "519" => "Enterprise Admins",
                "1107" => "GG_Compta",
                "1110" => "PC-COMPTA01$",
                _ => return None,
            }
            .to_owned(),
        )
    }

    /// Real descriptors written by Samba (testdata/SOURCES.md): a new GPO applies to
    /// Authenticated Users; the filtered one to GG_Compta only, PC-COMPTA01 denied.
    #[test]
    fn security_filtering_of_real_descriptors() {
        let default = gpo_security(
            Some(&fixture(include_str!("testdata/gpo-sd-default.b64"))),
            &names,
        );
        let filtered = gpo_security(
            Some(&fixture(include_str!("testdata/gpo-sd-filtered.b64"))),
            &names,
        );
        insta::assert_yaml_snapshot!((default, filtered));
    }

    #[test]
    fn missing_or_malformed_descriptors_are_not_silent() {
        insta::assert_yaml_snapshot!((
            gpo_security(None, &names),
            gpo_security(Some(&[1, 0, 4, 0x80, 0, 0]), &names),
        ));
    }

    /// The layout GPMC writes (Microsoft's documented example of `msWMI-Parm2`).
    #[test]
    fn splits_wmi_filter_queries() {
        let q =
            r#"1;3;10;61;WQL;root\CIMv2;SELECT * FROM Win32_OperatingSystem WHERE ProductType=1;"#;
        let mut q = q.to_owned();
        // The example's length field is the query's length: rebuild it to stay exact.
        let query = "SELECT * FROM Win32_OperatingSystem WHERE ProductType=1";
        q = q.replace(";61;", &format!(";{};", query.chars().count()));
        let parsed = wmi_queries(&q).unwrap();
        assert_eq!(parsed[0].namespace, r"root\CIMv2");
        assert_eq!(parsed[0].query, query);
        assert!(wmi_queries("1;3;10;999;WQL;root\\CIMv2;SELECT;").is_none());
        assert!(wmi_queries("garbage").is_none());
        assert_eq!(
            wql_filter_id("[tssr.lan;{3e2f7a9c-1b2d-4c5e-8f90-a1b2c3d4e5f6};0]").as_deref(),
            Some("{3E2F7A9C-1B2D-4C5E-8F90-A1B2C3D4E5F6}")
        );
    }
}
