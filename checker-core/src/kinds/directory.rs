//! Helpers shared by the Active Directory kinds: DN comparisons, account names and the `in OU`
//! property.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;

/// A DN normalised for comparison: lower case, no spaces around `,` and `=`.
pub(crate) fn normalize_dn(dn: &str) -> String {
    dn.split(',')
        .map(|rdn| {
            let (k, v) = rdn.split_once('=').unwrap_or((rdn, ""));
            format!("{}={}", k.trim(), v.trim())
        })
        .collect::<Vec<_>>()
        .join(",")
        .to_lowercase()
}

/// The value of the first RDN (`CN=GG_Compta,OU=…` → `GG_Compta`).
pub(crate) fn rdn_value(dn: &str) -> &str {
    let first = dn.split(',').next().unwrap_or(dn);
    first.split_once('=').map_or(first, |(_, v)| v.trim())
}

/// Whether the container `ou_dn` is `expected` or lies below it (DN suffix, case-insensitive).
pub(crate) fn is_within(ou_dn: &str, expected: &str) -> bool {
    let actual = normalize_dn(ou_dn);
    let expected = normalize_dn(expected);
    actual == expected || actual.ends_with(&format!(",{expected}"))
}

/// `OU=Postes,OU=Comptabilite,DC=tssr,DC=lan` → `Comptabilite/Postes` (parents first).
pub(crate) fn name_path(dn: &str) -> String {
    let mut names: Vec<&str> = dn
        .split(',')
        .filter_map(|rdn| rdn.split_once('='))
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case("ou"))
        .map(|(_, v)| v.trim())
        .collect();
    names.reverse();
    names.join("/")
}

/// Whether `dn` is the container an expectation names: a DN when it has `=`, else a name path.
pub(crate) fn names_container(dn: &str, reference: &str) -> bool {
    if reference.contains('=') {
        normalize_dn(dn) == normalize_dn(reference)
    } else {
        name_path(dn).eq_ignore_ascii_case(reference.trim_matches('/'))
    }
}

/// The account an account name designates, for comparison: lower case, without a
/// `DOMAIN\` prefix, an `@domain` suffix or a computer's trailing `$`, so that `CLIENT1`,
/// `CLIENT1$`, `TSSR\client1$` and `client1@tssr.lan` are the same computer.
pub(crate) fn account_key(name: &str) -> String {
    let name = name.trim();
    let name = name.rsplit_once('\\').map_or(name, |(_, n)| n);
    let name = name.split_once('@').map_or(name, |(n, _)| n);
    name.trim().trim_end_matches('$').to_lowercase()
}

/// Whether two account names designate the same account (see [`account_key`]).
pub(crate) fn same_account(a: &str, b: &str) -> bool {
    account_key(a) == account_key(b)
}

/// Records the `ou` property: the object's container is the expected OU or below it.
pub(crate) fn in_ou(
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    path: &str,
    expected: Option<&String>,
    ou_dn: &str,
) -> Status {
    let Some(expected) = expected else {
        return Status::Pass;
    };
    let status = Status::from_bool(is_within(ou_dn, expected));
    out.push(host.evidence(
        "directory",
        path,
        "ou",
        format!("in {expected}"),
        ou_dn.to_owned(),
        status,
    ));
    status
}

#[cfg(test)]
mod tests {
    use super::{is_within, rdn_value, same_account};

    #[test]
    fn account_names_accept_every_spelling_of_a_computer() {
        for spelling in [
            "CLIENT1",
            "CLIENT1$",
            "client1$",
            "TSSR\\CLIENT1$",
            "client1@tssr.lan",
        ] {
            assert!(same_account(spelling, "CLIENT1$"), "{spelling}");
            assert!(same_account("client1", spelling), "{spelling}");
        }
        assert!(!same_account("CLIENT1", "CLIENT10$"));
        assert!(same_account("TSSR\\GG_Compta", "gg_compta"));
    }

    #[test]
    fn dn_suffix_is_case_and_space_insensitive() {
        assert!(is_within(
            "OU=Postes,OU=Comptabilite,DC=tssr,DC=lan",
            "ou=comptabilite, dc=tssr, dc=lan"
        ));
        assert!(!is_within(
            "OU=SousComptabilite,DC=tssr,DC=lan",
            "OU=Comptabilite,DC=tssr,DC=lan"
        ));
        assert_eq!(
            rdn_value("CN=GG_Compta,OU=Comptabilite,DC=tssr,DC=lan"),
            "GG_Compta"
        );
    }
}
