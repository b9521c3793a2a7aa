//! Registry-style data comparison shared by every kind that compares such data (GPO
//! Registry.pol and preference items, software installation sources, the probe's registry
//! reads): UNC paths compared case-insensitively with the host part matched against the
//! server's known names (short name, FQDN) from the snapshot.

use crate::eval::host::HostView;

/// The names each server of the snapshot is known by: the host itself (hostname, FQDN) and,
/// on a domain controller's snapshot, every computer account (`SRV-FILE01$`,
/// `srv-file01.tssr.lan`). A host name maps to one key, the short name in lower case.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostNames {
    /// Each group: the short name first, then the other spellings, lower case.
    groups: Vec<Vec<String>>,
    /// DNS domain names whose suffix is dropped (`tssr.lan`).
    domains: Vec<String>,
}

fn clean(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

impl HostNames {
    /// The names known from the host's own snapshot.
    pub(crate) fn of(host: &HostView<'_>) -> HostNames {
        let mut names = HostNames::default();
        let identity = &host.snapshot.host;
        names.add(&identity.hostname, identity.fqdn.as_deref());
        if let Some(domain) = &identity.domain {
            names.domains.push(clean(domain));
        }
        if let Some(dir) = host.snapshot.sections.directory.data() {
            names.domains.push(clean(&dir.domain.dns_name));
            for computer in &dir.computers {
                names.add(
                    computer.sam_account_name.trim_end_matches('$'),
                    computer.dns_host_name.as_deref(),
                );
            }
        }
        names.domains.retain(|d| !d.is_empty());
        names.domains.sort();
        names.domains.dedup();
        names
    }

    fn add(&mut self, short: &str, fqdn: Option<&str>) {
        let short = clean(short.split('.').next().unwrap_or(short));
        if short.is_empty() {
            return;
        }
        let mut group = vec![short];
        group.extend(fqdn.map(clean).filter(|f| !f.is_empty()));
        self.groups.push(group);
    }

    /// The key of a host name: the short name of the server it names, else the name in
    /// lower case without a known domain suffix.
    pub(crate) fn key(&self, name: &str) -> String {
        let name = clean(name);
        if let Some(group) = self.groups.iter().find(|g| g.contains(&name)) {
            return group[0].clone();
        }
        for domain in &self.domains {
            if let Some(short) = name
                .strip_suffix(domain.as_str())
                .and_then(|s| s.strip_suffix('.'))
            {
                return short.to_owned();
            }
        }
        name
    }
}

/// `\\host\share\path` → (host, rest) with `/` read as `\`; `None` when not a UNC path.
fn split_unc(path: &str) -> Option<(String, String)> {
    let path = path.trim().replace('/', "\\");
    let rest = path.strip_prefix("\\\\")?;
    let (host, tail) = rest.split_once('\\').unwrap_or((rest, ""));
    Some((host.to_owned(), tail.trim_end_matches('\\').to_lowercase()))
}

/// Two paths are the same: UNC paths when their hosts have the same key and the rest is
/// equal ignoring case (`\\WINSERV1\Ressources` = `\\winserv1.lab.lan\ressources\`); other
/// paths equal ignoring case and the slash direction.
pub(crate) fn same_path(names: &HostNames, a: &str, b: &str) -> bool {
    match (split_unc(a), split_unc(b)) {
        (Some((host_a, rest_a)), Some((host_b, rest_b))) => {
            rest_a == rest_b && names.key(&host_a) == names.key(&host_b)
        }
        (None, None) => {
            let norm = |p: &str| {
                p.trim()
                    .replace('/', "\\")
                    .trim_end_matches('\\')
                    .to_lowercase()
            };
            norm(a) == norm(b)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> HostNames {
        let mut names = HostNames {
            domains: vec!["lab.lan".to_owned()],
            ..HostNames::default()
        };
        names.add("WINSERV1", Some("winserv1.lab.lan"));
        names.add("FS", Some("files.other.net"));
        names
    }

    #[test]
    fn unc_hosts_match_by_short_name_and_fqdn() {
        let n = names();
        for (a, b, same) in [
            (
                r"\\WINSERV1\Ressources",
                r"\\winserv1.lab.lan\ressources\",
                true,
            ),
            (
                r"\\winserv1\Ressources\Logiciels",
                r"//WinServ1/ressources/logiciels",
                true,
            ),
            (
                r"\\FS\Deploiement\7z.msi",
                r"\\files.other.net\deploiement\7z.msi",
                true,
            ),
            (r"\\srv2\Deploiement", r"\\srv2.lab.lan\Deploiement", true),
            (r"\\WINSERV1\Ressources", r"\\winserv2\Ressources", false),
            (r"\\WINSERV1\Ressources", r"\\winserv1\Ressources2", false),
            (r"\\WINSERV1\Ressources", r"C:\Ressources", false),
            (r"C:\Windows\Web\wall.jpg", r"c:/windows/web/WALL.jpg", true),
        ] {
            assert_eq!(same_path(&n, a, b), same, "{a} vs {b}");
        }
    }
}
