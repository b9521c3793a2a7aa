//! The system collectors against real accounts, sudoers, crontabs and ACLs, created with the
//! real tools (`useradd`, `chpasswd`, `chage`, `crontab`, `setfacl`) inside a private mount
//! namespace whose /etc, /home, /root, /var/spool/cron and /srv are throw-away overlays.

use constat_tests::mountns::OverlayRoot;
use constat_tests::real::{agent_binary, real_tests_enabled, require_programs};
use serde_json::{Value, json};

/// The candidate's work: accounts, a sudo rule, a backup script run by cron, shared folder.
const SCENARIO: &str = r#"set -e
# A known baseline: the machine's own sudoers.d, cron.d and crontabs are hidden.
rm -rf /etc/sudoers.d/* /etc/cron.d/* /var/spool/cron/crontabs/*
printf 'Defaults\tenv_reset\nroot\tALL=(ALL:ALL) ALL\n%%sudo\tALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n' > /etc/sudoers
chmod 0440 /etc/sudoers
groupadd webadmins
useradd -m -s /bin/bash -c 'Alice Martin' -G sudo,webadmins alice
useradd -m -s /bin/sh bob
useradd -m -s /bin/bash -G webadmins carol
printf 'alice:Alice-Pass-1\nbob:Bob-Pass-1\ncarol:Carol-Pass-1\n' | chpasswd
usermod -L bob
chage -d 0 carol
chage -M 90 -W 7 alice
mkdir -p -m 700 /home/alice/.ssh
echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINxQ7uzCDpcOrtQY90vDLH8qsKa/JVBUS7Q81gDuL0bN alice@poste' > /home/alice/.ssh/authorized_keys
chown -R alice: /home/alice/.ssh
cat > /etc/sudoers.d/webadmins <<'EOF'
# Web team may restart the web server
Cmnd_Alias WEB = /usr/bin/systemctl restart apache2, \
                 /usr/bin/systemctl reload apache2
%webadmins ALL=(root) NOPASSWD: WEB
EOF
chmod 0440 /etc/sudoers.d/webadmins
mkdir -p /srv/data /srv/backup /srv/scripts
echo '<h1>Horizon</h1>' > /srv/data/index.html
cat > /srv/scripts/sauvegarde.sh <<'EOF'
#!/bin/bash
# Sauvegarde quotidienne de /srv/data
DEST=/srv/backup
tar -czf "$DEST/data_$(date +%F).tar.gz" -C / srv/data
EOF
chmod 0755 /srv/scripts/sauvegarde.sh
chown alice: /srv/backup
printf 'MAILTO=""\n30 23 * * * /srv/scripts/sauvegarde.sh\n' | crontab -u alice -
printf 'MAILTO=root\n0 2 * * * root rsync -a /srv/data/ /srv/backup/miroir/\n' > /etc/cron.d/backup
/srv/scripts/sauvegarde.sh
mkdir -m 0750 /srv/partage
chgrp webadmins /srv/partage
setfacl -m u:alice:rwx,g:webadmins:r-x /srv/partage
setfacl -d -m g:webadmins:r-x /srv/partage
"#;

/// Keeps the parts of a snapshot the scenario controls (the host's own accounts and
/// timers vary from machine to machine).
fn scenario_view(snapshot: &Value) -> Value {
    let s = &snapshot["sections"];
    let named = |section: &Value, names: &[&str]| -> Value {
        section["data"]
            .as_array()
            .map(|items| {
                // The agent lists accounts by id; the ids hang on the machine's other accounts
                // (and are redacted below), so the view sorts on the names the scenario chose.
                let mut kept: Vec<Value> = items
                    .iter()
                    .filter(|i| names.contains(&i["name"].as_str().unwrap_or_default()))
                    .cloned()
                    .collect();
                kept.sort_by_key(|i| i["name"].as_str().unwrap_or_default().to_owned());
                Value::Array(kept)
            })
            .unwrap_or_else(|| section.clone())
    };
    let ours =
        |source: &str| source.starts_with("/etc/cron.d/") || source.starts_with("/var/spool/cron/");
    let jobs: Vec<Value> = s["scheduled_jobs"]["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|j| ours(j["source"].as_str().unwrap_or_default()))
        .cloned()
        .collect();
    let backups: Vec<Value> = s["backups"]["data"]["jobs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|j| ours(j["job_source"].as_str().unwrap_or_default()))
        .cloned()
        .collect();
    json!({
        "statuses": Sections::statuses(s),
        "users": named(&s["users"], &["alice", "bob", "carol"]),
        "groups": named(&s["groups"], &["webadmins", "alice", "bob", "carol"]),
        "sudo": s["sudo"],
        "scheduled_jobs": jobs,
        "backups": backups,
        "files": s["files"],
    })
}

struct Sections;

impl Sections {
    fn statuses(s: &Value) -> Value {
        s.as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v["status"].clone()))
                    .collect::<serde_json::Map<_, _>>()
                    .into()
            })
            .unwrap_or(Value::Null)
    }
}

#[test]
fn accounts_sudo_cron_backups_and_files_of_a_real_system() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&[
        "unshare", "mount", "useradd", "groupadd", "chpasswd", "chage", "usermod", "crontab",
        "setfacl", "getfacl", "tar",
    ]);
    let agent = agent_binary();
    let root = OverlayRoot::new("system");
    root.run(SCENARIO, &[]);
    let request = root.shared().join("request.json");
    std::fs::write(
        &request,
        r#"{"paths": ["/srv/scripts/sauvegarde.sh", "/srv/partage", "/etc/sudoers.d/webadmins", "/srv/absent"], "head_bytes": 64}"#,
    )
    .expect("write the request");
    let out = root.run(
        r#"exec "$1" collect --only users,sudo,scheduled_jobs,backups,files --request "$2""#,
        &[
            agent.to_str().expect("utf-8 agent path"),
            request.to_str().expect("utf-8 request path"),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for secret in ["$y$", "$6$", "Alice-Pass-1", "AAAAC3NzaC1lZDI1NTE5"] {
        assert!(!text.contains(secret), "{secret} leaked into the snapshot");
    }
    let snapshot: Value = serde_json::from_str(&text).expect("agent output is JSON");
    assert_eq!(snapshot["collection"]["privileged"], json!(true));
    insta::assert_json_snapshot!(scenario_view(&snapshot), {
        ".users[].uid" => "[uid]",
        ".users[].gid" => "[gid]",
        ".groups[].gid" => "[gid]",
        ".users[].password.last_change" => "[today]",
        ".backups[].destinations[].newest_mtime" => "[mtime]",
        ".backups[].destinations[].newest_file" => "[data_<date>.tar.gz]",
        ".backups[].destinations[].total_bytes" => "[bytes]",
        ".files.data[].mtime" => "[mtime]",
        ".files.data[].size" => "[size]",
    });
}

/// Digest of every path under `dir`: name, mode, size, content hash or link target.
fn tree_digest(dir: &std::path::Path, out: &mut Vec<String>) {
    use sha2::{Digest, Sha256};
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let content = if meta.is_file() {
            std::fs::read(&path)
                .map(|b| format!("{:x}", Sha256::digest(&b)))
                .unwrap_or_else(|e| format!("unreadable: {e}"))
        } else if meta.is_symlink() {
            std::fs::read_link(&path)
                .map(|t| t.display().to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        out.push(format!(
            "{} {:o} {} {} {content}",
            path.display(),
            meta.mode(),
            meta.uid(),
            meta.mtime()
        ));
        if meta.is_dir() {
            tree_digest(&path, out);
        }
    }
}

#[test]
fn a_live_collection_changes_no_crontab_and_no_sudoers_file() {
    if !real_tests_enabled() {
        return;
    }
    let agent = agent_binary();
    let watched = ["/var/spool/cron", "/etc/sudoers.d", "/etc/cron.d"];
    let digest = || {
        let mut lines = Vec::new();
        for dir in watched {
            tree_digest(std::path::Path::new(dir), &mut lines);
        }
        lines
    };
    let before = digest();
    let out = std::process::Command::new(&agent)
        .arg("collect")
        .output()
        .expect("run the agent");
    assert!(
        out.status.success(),
        "agent failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(before, digest(), "a live collection changed {watched:?}");
}
