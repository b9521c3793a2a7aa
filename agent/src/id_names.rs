//! Numeric user and group ids to names, read from the host's /etc/passwd and /etc/group.

use crate::host::Host;
use std::collections::HashMap;

/// Id-to-name tables of one host (local files only; unknown ids print as numbers).
#[derive(Debug, Clone, Default)]
pub struct IdNames {
    users: HashMap<u32, String>,
    groups: HashMap<u32, String>,
}

impl IdNames {
    /// Reads /etc/passwd and /etc/group of `host`; missing files give empty tables.
    pub fn load(host: &dyn Host) -> IdNames {
        IdNames {
            users: id_table(&host.read_to_string("/etc/passwd").unwrap_or_default()),
            groups: id_table(&host.read_to_string("/etc/group").unwrap_or_default()),
        }
    }

    /// The user name of `uid`, or the number.
    pub fn user(&self, uid: u32) -> String {
        self.users
            .get(&uid)
            .cloned()
            .unwrap_or_else(|| uid.to_string())
    }

    /// The group name of `gid`, or the number.
    pub fn group(&self, gid: u32) -> String {
        self.groups
            .get(&gid)
            .cloned()
            .unwrap_or_else(|| gid.to_string())
    }
}

/// `name:x:id:...` lines to an id → name map; the first name of an id wins.
fn id_table(text: &str) -> HashMap<u32, String> {
    let mut map = HashMap::new();
    for line in text.lines() {
        let mut fields = line.split(':');
        let (Some(name), Some(_), Some(id)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        if let Ok(id) = id.parse::<u32>() {
            map.entry(id).or_insert_with(|| name.to_owned());
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_name_wins_and_unknown_is_numeric() {
        let names = IdNames {
            users: id_table("root:x:0:0::/root:/bin/bash\ntoor:x:0:0::/:/bin/sh\nbad line\n"),
            groups: HashMap::new(),
        };
        assert_eq!(names.user(0), "root");
        assert_eq!(names.user(1000), "1000");
        assert_eq!(names.group(5), "5");
    }
}
