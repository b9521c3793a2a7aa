//! Sections reached by their JSON key, without going through `serde_json::Value`: a
//! collector sets the status of the sections it did not fill, and reads them back, in place
//! (a round trip through `Value` copied every section's data).

use crate::section::Section;
use crate::sections::Sections;

/// `&field` (`shared`) or `&mut field` (`exclusive`).
macro_rules! borrow {
    (shared $place:expr) => {
        &$place
    };
    (exclusive $place:expr) => {
        &mut $place
    };
}

/// `f(field)` for the field named `$name`, one arm per section; `None` for an unknown name.
macro_rules! by_name {
    ($mode:ident $sections:expr, $name:expr, |$field:ident| $body:expr, $($key:ident),* $(,)?) => {
        match $name {
            $(stringify!($key) => {
                let $field = borrow!($mode $sections.$key);
                Some($body)
            })*
            _ => None,
        }
    };
}

/// Every field of [`Sections`] (its JSON keys: no field is renamed).
macro_rules! for_every_section {
    ($mode:ident $sections:expr, $name:expr, |$field:ident| $body:expr) => {
        by_name!(
            $mode $sections, $name, |$field| $body,
            users, groups, sudo, services, processes, listening, packages, firewall,
            scheduled_jobs, backups, network, shares, sshd, storage, files, directory, gpos,
            domain_membership, windows_features, windows_updates, wsus_client, wsus_server,
            dhcp_server, dns_server, windows_backup, rsop, script_runs, appliance, supervision,
            hypervisor, logon_scripts, profile_mappings, helpdesk,
        )
    };
}

/// `status` with another data type: only a section without data can be retyped.
fn retyped<T>(status: &Section<()>) -> Option<Section<T>> {
    match status {
        Section::Collected { .. } => None,
        Section::NotCollected { reason } => Some(Section::not_collected(reason.clone())),
        Section::Error { message } => Some(Section::error(message.clone())),
    }
}

impl Sections {
    /// The status keyword (`collected`, `not_collected`, `error`) of the section whose JSON
    /// key is `name`; `None` for an unknown name.
    pub fn status_of(&self, name: &str) -> Option<&'static str> {
        for_every_section!(shared self, name, |field| field.status())
    }

    /// Replaces the section whose JSON key is `name` by `status` (`not_collected` or
    /// `error`, with its text). False for an unknown name or a `collected` status (which
    /// has no data to give).
    pub fn set_missing(&mut self, name: &str, status: &Section<()>) -> bool {
        for_every_section!(exclusive self, name, |field| match retyped(status) {
            Some(section) => {
                *field = section;
                true
            }
            None => false,
        })
        .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every JSON key of a full snapshot's sections is reached by name, with the status the
    /// JSON says, and setting it shows in the JSON.
    #[test]
    fn every_json_key_is_reached_by_name() {
        let mut sections = Sections::default();
        let mut names: Vec<String> = Vec::new();
        let json = serde_json::to_value(&sections).unwrap();
        names.extend(json.as_object().unwrap().keys().cloned());
        // The optional sections, left out of the JSON while absent.
        for name in [
            "script_runs",
            "appliance",
            "supervision",
            "hypervisor",
            "logon_scripts",
            "profile_mappings",
            "helpdesk",
        ] {
            names.push(name.to_owned());
        }
        for name in &names {
            assert!(
                sections.set_missing(name, &Section::error(format!("e-{name}"))),
                "{name}"
            );
            assert_eq!(sections.status_of(name), Some("error"), "{name}");
        }
        let json = serde_json::to_value(&sections).unwrap();
        let keys = json.as_object().unwrap();
        assert_eq!(keys.len(), names.len(), "no section left out of the list");
        for name in &names {
            assert_eq!(keys[name.as_str()]["message"], format!("e-{name}"));
        }
        assert_eq!(sections.status_of("nope"), None);
        assert!(!sections.set_missing("nope", &Section::error("x")));
        assert!(!sections.set_missing("users", &Section::collected(())));
        assert_eq!(sections.status_of("users"), Some("error"));
    }
}
