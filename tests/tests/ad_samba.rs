//! Real AD test: a Samba AD DC in namespaces (tests/src/samba.rs), populated with OUs,
//! users with flags and logon hours, nested groups (AGDLP), a computer, GPOs with links
//! (enforced, disabled, blocked inheritance), GptTmpl.inf, Registry.pol, Drives.xml with and
//! without its CSE registered, a fine-grained password policy and DNS records
//! (tests/scripts/samba-dc-build.sh). The collector runs in a client namespace with no
//! default route and talks LDAPS + SMB to the DC only.
//!
//! Issue 15: a `logonHours` of 168 bytes written with `ldapmodify` and a PSO applied to a
//! global group with `samba-tool` are collected and graded for real.

use constat_tests::real::real_tests_enabled;
use constat_tests::samba::{ADMIN_PASSWORD, DC_IP, SambaDc};
use regex::Regex;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;

fn collector() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_constat-ldap-collect"))
}

fn collect(dc: &SambaDc, settings: Value) -> Value {
    dc.collect_json(collector(), &settings)
}

/// Replaces what changes between provisionings: GUIDs of GPOs (by order of appearance,
/// well-known ones kept), the domain SID, times, durations and SOA serials.
fn normalise(value: &mut Value) {
    let text = value.to_string();
    let guid = Regex::new(
        r"\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}",
    )
    .unwrap();
    let keep = [
        "{31B2F340-016D-11D2-945F-00C04FB984F9}", // Default Domain Policy
        "{6AC1786C-016F-11D2-945F-00C04FB984F9}", // Default Domain Controllers Policy
    ];
    let known: Vec<&str> = constat_windows::gpo::gplink::KNOWN_CSES
        .iter()
        .map(|(g, _)| *g)
        .collect();
    let mut seen: HashMap<String, String> = HashMap::new();
    let text = guid
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let upper = c[0].to_ascii_uppercase();
            if keep.contains(&upper.as_str())
                || known.contains(&upper.as_str())
                || upper.starts_with("{D02B1F7")
                || upper.starts_with("{803E14A0")
                || upper.starts_with("{2EA1A81B")
                || upper.starts_with("{00000000")
                // Software installation: the snap-in's tool GUIDs, 7-Zip's product code and
                // the fixed ids the build script gives packages.
                || upper.starts_with("{942A8E4F")
                || upper.starts_with("{BACF5C8A")
                || upper.starts_with("{23170F69")
                || upper.starts_with("{5E7C0A11")
                // Group Policy Preferences Registry: its tool GUID.
                || upper.starts_with("{BEE07A6A")
            {
                return c[0].to_owned();
            }
            let n = seen.len() + 1;
            seen.entry(upper)
                .or_insert_with(|| format!("{{GUID-{n}}}"))
                .clone()
        })
        .into_owned();
    // Bare lower-case UUIDs in DNS names (_msdcs records of the DC's NTDS settings object).
    let uuid =
        Regex::new(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b").unwrap();
    let text = uuid.replace_all(&text, "[uuid]").into_owned();
    let sid = Regex::new(r"S-1-5-21-\d+-\d+-\d+").unwrap();
    let text = sid.replace_all(&text, "S-1-5-21-[domain]").into_owned();
    let time = Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").unwrap();
    let text = time
        .replace_all(&text, |c: &regex::Captures<'_>| {
            // accountExpires set by the build script: data, not a clock reading.
            if &c[0] == "2025-01-01T00:00:00Z" {
                c[0].to_owned()
            } else {
                "[time]".to_owned()
            }
        })
        .into_owned();
    *value = serde_json::from_str(&text).unwrap();
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.get("record_type") == Some(&json!("SOA")) {
                    map.insert("data".to_owned(), json!("[soa]"));
                }
                for (key, v) in map.iter_mut() {
                    if key == "duration_ms" {
                        *v = json!(0);
                    } else {
                        walk(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(value);
    // The collector sorts DNS records by their real names; some names hold the DC's random
    // UUIDs, so once those are redacted the order would follow the GUID of whichever DC the
    // cache holds. Sort again on what the snapshot shows.
    if let Some(zones) = value
        .pointer_mut("/sections/directory/data/dns_zones")
        .and_then(Value::as_array_mut)
    {
        for zone in zones {
            if let Some(records) = zone.get_mut("records").and_then(Value::as_array_mut) {
                records.sort_by_key(|r| {
                    (
                        r["name"].as_str().unwrap_or_default().to_ascii_lowercase(),
                        r["record_type"].to_string(),
                        r["data"].to_string(),
                    )
                });
            }
        }
    }
}

fn admin(tls: &str, url: &str) -> Value {
    json!({
        "url": url,
        "bind_dn": "Administrator@tssr.lan",
        "password": ADMIN_PASSWORD,
        "tls": tls,
    })
}

#[test]
fn directory_over_ldaps_and_sysvol_over_smb() {
    if !real_tests_enabled() {
        return;
    }
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    let mut result = collect(&dc, admin("insecure", &format!("ldaps://{DC_IP}")));
    assert!(result.get("error").is_none(), "{result}");
    let stats = result["stats"].clone();
    assert!(
        stats["pages"].as_u64().unwrap_or(0) >= stats["searches"].as_u64().unwrap_or(99),
        "{stats}"
    );
    normalise(&mut result["snapshot"]);
    insta::assert_json_snapshot!("ldaps_snapshot", result["snapshot"]);
}

#[test]
fn starttls_and_failures_are_explained() {
    if !real_tests_enabled() {
        return;
    }
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    let url = format!("ldap://{DC_IP}");
    // StartTLS on 389, directory only.
    let mut starttls = admin("insecure", &url);
    starttls["sysvol"] = json!(false);
    let result = collect(&dc, starttls);
    let users = result["snapshot"]["sections"]["directory"]["data"]["users"]
        .as_array()
        .map_or(0, Vec::len);
    let transport = result["snapshot"]["collection"]["transport"].clone();
    // Plain LDAP: Samba's default "ldap server require strong auth" refuses the bind.
    let plain = collect(&dc, admin("plain", &url));
    // Wrong password.
    let mut wrong = admin("insecure", &format!("ldaps://{DC_IP}"));
    wrong["password"] = json!("not-the-password");
    let wrong = collect(&dc, wrong);
    // Verification on: the DC's self-signed certificate names DC01.tssr.lan, not the IP.
    let ca = dc.dir().join("private/tls/ca.pem");
    let verified = collect(
        &dc,
        admin(&ca.display().to_string(), &format!("ldaps://{DC_IP}")),
    );
    let verified = verified["error"]
        .as_str()
        .unwrap_or_default()
        .replace(&dc.dir().display().to_string(), "[dc]");
    insta::assert_yaml_snapshot!(
        "failures",
        json!({
            "starttls_users": users,
            "starttls_transport": transport,
            "plain": plain["error"],
            "wrong_password": wrong["error"],
            "verify_with_ca_by_ip": verified,
        })
    );
}

/// A student's script that wrote one byte per hour (168 bytes) into `logonHours`, and a
/// fine-grained password policy applied to the global group GG_Compta: both written on the
/// real DC, collected over LDAPS, graded with `ad_user` and `password_policy`.
#[test]
fn malformed_logon_hours_and_a_pso_on_a_group_are_graded_for_real() {
    if !real_tests_enabled() {
        return;
    }
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    let script = format!(
        r#"set -e
PASS='{ADMIN_PASSWORD}'
HOURS=$(head -c 168 /dev/zero | tr '\0' '\1' | base64 -w0)
ldapmodify -x -H ldaps://{DC_IP} -D Administrator@tssr.lan -w "$PASS" -o tls_reqcert=never >/dev/null <<LDIF
dn: CN=Marie Martin,OU=Comptabilite,DC=tssr,DC=lan
changetype: modify
replace: logonHours
logonHours:: $HOURS
LDIF
samba-tool domain passwordsettings pso create PSO_Compta 20 --min-pwd-length=14 --complexity=on -H ldap://{DC_IP} -U "Administrator%$PASS" >/dev/null
samba-tool domain passwordsettings pso apply PSO_Compta GG_Compta -H ldap://{DC_IP} -U "Administrator%$PASS" >/dev/null
"#
    );
    dc.run_in_dc(&script).unwrap_or_else(|e| panic!("{e}"));
    let result = collect(&dc, admin("insecure", &format!("ldaps://{DC_IP}")));
    assert!(result.get("error").is_none(), "{result}");
    let mmartin = result["snapshot"]["sections"]["directory"]["data"]["users"]
        .as_array()
        .and_then(|users| {
            users
                .iter()
                .find(|u| u["sam_account_name"] == "mmartin")
                .cloned()
        })
        .unwrap_or_default();
    let snapshot = constat_snapshot::Snapshot::from_json(&result["snapshot"].to_string())
        .unwrap_or_else(|e| panic!("snapshot: {e}"));
    let pack = constat_checker_core::pack::load(
        "real.yaml",
        r#"pack: {id: real, title: Réel, referentiel: tssr-2023, profile: lab}
hosts: {dc: {os: windows}}
checks:
  - id: hours
    title: Horaires
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    points: 1
    expect:
      ad_user: {name: mmartin, logon_hours: ["Mon-Fri 08:00-18:00"]}
  - id: pso
    title: PSO
    criteres: [tssr-2023/CP2/C1]
    hosts: [dc]
    points: 1
    expect:
      all:
        - password_policy: {applies_to: GG_Compta, min_length: 14, complexity: true}
        - password_policy: {applies_to: mmartin, min_length: 14}
        - password_policy: {applies_to: adminit, min_length: 15}
"#,
    )
    .unwrap_or_else(|d| panic!("{d:?}"));
    let input = constat_checker_core::CandidateInput {
        id: "c".to_owned(),
        hosts: std::collections::BTreeMap::from([(
            "dc".to_owned(),
            constat_checker_core::HostObservation {
                end: constat_checker_core::Observed::Snapshot(Box::new(snapshot)),
                start: None,
            },
        )]),
        ..Default::default()
    };
    let report = constat_checker_core::grade(
        &pack,
        &input,
        &constat_checker_core::GradeOptions {
            graded_at: "2026-12-02T12:00:00Z".to_owned(),
            profile: None,
            timezone: None,
        },
    );
    let lines: Vec<String> = report
        .checks
        .iter()
        .flat_map(|c| {
            c.evidence.iter().map(move |e| {
                format!(
                    "{} {:?} {} {}: {} | {}",
                    c.id,
                    e.status,
                    e.path,
                    e.property,
                    e.actual,
                    // The zone's offset depends on the day the test runs.
                    Regex::new(r"UTC[+-]\d\d:\d\d on \d{4}-\d\d-\d\d")
                        .unwrap()
                        .replace(&e.expected, "UTC[offset] on [date]")
                )
            })
        })
        .collect();
    insta::assert_yaml_snapshot!(
        "malformed_hours_and_group_pso",
        json!({
            "logon_hours": mmartin["logon_hours"],
            "graded": lines,
        })
    );
}
