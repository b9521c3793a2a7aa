//! The `storage` kind on a real mount: an ext4 image labelled BAREOS, loop-mounted in a
//! private mount namespace the test creates (`unshare -m`, nothing leaks to the machine; the
//! loop device is released with the mount), with an /etc/fstab bind-mounted over the real
//! one. The agent collects the `storage` section there and the `constat` CLI grades it:
//! the fstab entry by `LABEL=` passes; an entry naming another file system's UUID, and a
//! mount done by hand with no entry, fail and say why.
//!
//! This machine's kernel has no device-mapper: the LV link is tested on recorded `lvm`
//! output in `checker-core` (`kinds::storage`), not here.

use constat_tests::real::{agent_binary, cli_command, real_tests_enabled, require_programs};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const PACK: &str = r#"pack:
  id: storage-mount
  title: "montage persistant"
  version: "1"
  referentiel: tssr-2023
  profile: titre
hosts:
  linux: {os: linux}
checks:
  - id: bareos-storage
    title: "Stockage des sauvegardes monté de façon persistante"
    criteres: [tssr-2023/CP3/C1]
    hosts: [linux]
    points: 1
    expect:
      storage: {mount: /mnt/constat-storage/bareos, fstype: ext4, label: BAREOS}
"#;

/// The script run in the namespace: `$1` the work directory, `$2` the agent. It prints
/// nothing itself; the snapshots land in `$1/<case>.json`.
const SCRIPT: &str = r#"set -eu
dir=$1; agent=$2
mount --make-rprivate /
truncate -s 16M "$dir/bareos.img"
truncate -s 16M "$dir/other.img"
mkfs.ext4 -q -F -L BAREOS "$dir/bareos.img"
mkfs.ext4 -q -F -L OTHER "$dir/other.img"
mkdir -p /mnt/constat-storage
mount -t tmpfs constat-storage /mnt/constat-storage
mkdir -p /mnt/constat-storage/bareos /mnt/constat-storage/other
mount -o loop "$dir/bareos.img" /mnt/constat-storage/bareos
mount -o loop "$dir/other.img" /mnt/constat-storage/other
other_uuid=$(blkid -s UUID -o value "$(findmnt -n -o SOURCE /mnt/constat-storage/other)")
collect() {
  printf '%s\n' "$2" > "$dir/fstab.$1"
  mount --bind "$dir/fstab.$1" /etc/fstab
  "$agent" collect --only storage > "$dir/$1.json"
  umount /etc/fstab
}
collect label 'LABEL=BAREOS /mnt/constat-storage/bareos ext4 defaults 0 2'
collect wrong-uuid "UUID=$other_uuid /mnt/constat-storage/bareos ext4 defaults 0 2"
collect by-hand '# no entry: mounted by hand'
umount /mnt/constat-storage/bareos /mnt/constat-storage/other
"#;

fn grade(dir: &Path, case: &str) -> Value {
    let report_dir = dir.join(format!("report-{case}"));
    let graded = cli_command()
        .arg("grade")
        .arg("--pack")
        .arg(dir.join("pack.yaml"))
        .arg("--snapshot")
        .arg(format!(
            "linux={}",
            dir.join(format!("{case}.json")).display()
        ))
        .arg("--out")
        .arg(&report_dir)
        .output()
        .expect("run constat grade");
    let report: Value = serde_json::from_slice(
        &std::fs::read(report_dir.join("report.json")).unwrap_or_else(|e| {
            panic!(
                "no report ({e}): {}",
                String::from_utf8_lossy(&graded.stderr)
            )
        }),
    )
    .expect("report is JSON");
    report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "bareos-storage"))
        .cloned()
        .expect("the check is in the report")
}

/// Status and evidence lines, with what differs between runs (loop device numbers,
/// file system UUIDs) replaced.
fn summary(check: &Value) -> String {
    let loop_dev = regex::Regex::new(r"/dev/loop\d+").expect("regex");
    let uuid = regex::Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        .expect("regex");
    let mut out = format!("{}\n", check["outcome"]["status"]);
    for e in check["evidence"].as_array().into_iter().flatten() {
        let line = format!(
            "[{}] {}: attendu « {} », observé « {} »\n",
            e["status"].as_str().unwrap_or_default(),
            e["property"].as_str().unwrap_or_default(),
            e["expected"].as_str().unwrap_or_default(),
            e["actual"].as_str().unwrap_or_default(),
        );
        out.push_str(&uuid.replace_all(&loop_dev.replace_all(&line, "/dev/loopN"), "<uuid>"));
    }
    out
}

#[test]
fn a_label_in_fstab_is_persistent_a_wrong_uuid_or_no_entry_is_not() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&[
        "unshare",
        "mount",
        "mkfs.ext4",
        "blkid",
        "findmnt",
        "losetup",
    ]);
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("pack.yaml"), PACK).expect("write the pack");
    let out = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", SCRIPT, "sh"])
        .arg(dir.path())
        .arg(agent_binary())
        .output()
        .expect("run unshare");
    assert!(
        out.status.success(),
        "namespace script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all = String::new();
    for case in ["label", "wrong-uuid", "by-hand"] {
        let check = grade(dir.path(), case);
        let expected = if case == "label" { "pass" } else { "fail" };
        assert_eq!(check["outcome"]["status"], expected, "{case}: {check:#}");
        all.push_str(&format!("== {case}\n{}", summary(&check)));
    }
    insta::assert_snapshot!(all);
}
