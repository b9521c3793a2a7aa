//! DHCP servers authorised in Active Directory ([MS-DHCPE] 7.3, 7.8): `dHCPClass` objects
//! under `CN=NetServices,CN=Services,<configuration>`. `CN=DhcpRoot` lists the authorised
//! servers in `dhcpServers`, one value per server: `i<ip>$rcn=<object name>$f<flags>$s<server>$`
//! (later Windows versions may append fields); each server also has its own object.

use crate::ldap::session::Entry;
use constat_snapshot::ad::{AuthorizedDhcpServer, DhcpAuthorizations};

/// Attributes read from the `dHCPClass` objects.
pub const DHCP_CLASS_ATTRS: &[&str] = &["cn", "dhcpServers"];

/// One `dhcpServers` value, or `None` when it does not follow the format.
fn parse(value: &str) -> Option<AuthorizedDhcpServer> {
    let mut address = None;
    let mut object = None;
    let mut server = None;
    for field in value.split('$') {
        match field.chars().next() {
            Some('i') => address = Some(field[1..].trim().to_owned()),
            Some('r') => {
                object = Some(
                    field[1..]
                        .trim()
                        .trim_start_matches("cn=")
                        .trim_start_matches("CN=")
                        .to_owned(),
                )
            }
            Some('s') => server = Some(field[1..].trim().to_owned()),
            _ => {}
        }
    }
    let address = address.filter(|a| !a.is_empty())?;
    let name = server.filter(|s| !s.is_empty()).or(object)?;
    (!name.is_empty() && value.starts_with('i')).then_some(AuthorizedDhcpServer { name, address })
}

/// Interprets the `dHCPClass` objects of `CN=NetServices`.
pub fn authorizations(entries: &[Entry]) -> DhcpAuthorizations {
    let mut out = DhcpAuthorizations::default();
    let mut others = Vec::new();
    for entry in entries {
        let root = entry
            .string("cn")
            .is_some_and(|cn| cn.eq_ignore_ascii_case("DhcpRoot"));
        for value in entry.strs("dhcpservers") {
            match parse(&value) {
                Some(server) if root => out.servers.push(server),
                Some(server) => others.push(server),
                None => out.malformed.push(format!(
                    "{}: {}",
                    entry.dn,
                    value.chars().take(256).collect::<String>()
                )),
            }
        }
    }
    let key = |s: &AuthorizedDhcpServer| (s.name.to_ascii_lowercase(), s.address.clone());
    out.servers.sort_by_key(key);
    out.servers.dedup();
    others.retain(|o| !out.servers.iter().any(|s| key(s) == key(o)));
    others.sort_by_key(key);
    others.dedup();
    out.unlisted = others;
    out.malformed.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn entry(dn: &str, cn: &str, values: &[&str]) -> Entry {
        let mut attrs = HashMap::new();
        attrs.insert("cn".to_owned(), vec![cn.to_owned()]);
        attrs.insert(
            "dhcpservers".to_owned(),
            values.iter().map(|v| (*v).to_owned()).collect(),
        );
        Entry {
            dn: dn.to_owned(),
            attrs: attrs.into_iter().collect(),
            bin: HashMap::new(),
        }
    }

    /// The value format is [MS-DHCPE] 7.3's, with its example server.
    #[test]
    fn root_lists_the_authorised_servers() {
        let base = "CN=NetServices,CN=Services,CN=Configuration,DC=tssr,DC=lan";
        let read = authorizations(&[
            entry(
                &format!("CN=DhcpRoot,{base}"),
                "DhcpRoot",
                &[
                    "i57.60.41.211$rcn=dhcpserver.contoso.com$f0x00000000$sdhcpserver.contoso.com$",
                    "i10.204.0.10$rcn=dc01.tssr.lan$f0x00000000$sdc01.tssr.lan$",
                    "garbage",
                ],
            ),
            entry(
                &format!("CN=dc01.tssr.lan,{base}"),
                "dc01.tssr.lan",
                &["i10.204.0.10$rcn=dc01.tssr.lan$f0x00000000$sdc01.tssr.lan$"],
            ),
            entry(
                &format!("CN=old.tssr.lan,{base}"),
                "old.tssr.lan",
                &["i10.204.0.99$rcn=old.tssr.lan$f0x00000000$sold.tssr.lan$"],
            ),
        ]);
        let names: Vec<&str> = read.servers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["dc01.tssr.lan", "dhcpserver.contoso.com"]);
        assert_eq!(read.unlisted.len(), 1);
        assert_eq!(read.unlisted[0].address, "10.204.0.99");
        assert_eq!(read.malformed.len(), 1, "{:?}", read.malformed);
    }

    /// Whatever text a hostile DC holds, each value is read or listed as malformed.
    #[test]
    fn any_text_is_read_or_listed_as_malformed() {
        let base = "i10.204.0.10$rcn=dc01.tssr.lan$f0x00000000$sdc01.tssr.lan$";
        let mut values: Vec<String> = (0..=base.len()).map(|n| base[..n].to_owned()).collect();
        values.extend(
            [
                "",
                "$",
                "i$",
                "i$r$s$",
                "ié$rcn=é$sé$",
                "s\u{202e}x$i1$",
                "i1$s\0$",
            ]
            .map(str::to_owned),
        );
        for value in values {
            let read =
                authorizations(&[entry("CN=DhcpRoot,CN=NetServices", "DhcpRoot", &[&value])]);
            assert_eq!(read.servers.len() + read.malformed.len(), 1, "{value:?}");
        }
    }
}
