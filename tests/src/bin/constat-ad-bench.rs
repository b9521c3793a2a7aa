//! AD collection benchmark (run by `scripts/bench-ad`): starts the lab DC, adds 1,000 users
//! and 100 groups with one `ldapadd` of a generated LDIF, then runs the LDAP collector from
//! the client namespace several times and prints wall time and LDAP round trips.

use constat_tests::samba::{ADMIN_PASSWORD, DC_IP, SambaDc};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::time::Instant;

const USERS: usize = 1000;
const GROUPS: usize = 100;
const RUNS: usize = 5;

fn ldif() -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "dn: OU=Bench,DC=tssr,DC=lan\nobjectClass: organizationalUnit\nou: Bench\n"
    );
    for i in 0..USERS {
        let _ = writeln!(
            out,
            "dn: CN=bench{i:04},OU=Bench,DC=tssr,DC=lan\nobjectClass: user\nsAMAccountName: bench{i:04}\n\
             userPrincipalName: bench{i:04}@tssr.lan\ngivenName: Bench\nsn: User{i:04}\n\
             department: Service{}\nuserAccountControl: 514\n",
            i % 10
        );
    }
    for g in 0..GROUPS {
        let _ = writeln!(
            out,
            "dn: CN=GG_Bench{g:03},OU=Bench,DC=tssr,DC=lan\nobjectClass: group\nsAMAccountName: GG_Bench{g:03}\ngroupType: -2147483646"
        );
        for i in (g * USERS / GROUPS)..((g + 1) * USERS / GROUPS) {
            let _ = writeln!(out, "member: CN=bench{i:04},OU=Bench,DC=tssr,DC=lan");
        }
        // Nesting: every tenth group contains the previous nine (AGDLP-like chains).
        if g % 10 == 9 {
            for n in (g - 9)..g {
                let _ = writeln!(out, "member: CN=GG_Bench{n:03},OU=Bench,DC=tssr,DC=lan");
            }
        }
        out.push('\n');
    }
    out
}

fn main() {
    let dc = SambaDc::start().unwrap_or_else(|e| panic!("{e}"));
    let file = dc.dir().join("bench.ldif");
    std::fs::write(&file, ldif()).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let started = Instant::now();
    dc.run_in_dc(&format!(
        "LDAPTLS_REQCERT=never ldapadd -x -H ldaps://{DC_IP} -D Administrator@tssr.lan -w '{ADMIN_PASSWORD}' -f '{}' >/dev/null",
        file.display()
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "ldapadd of {USERS} users + {GROUPS} groups: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    // Built next to this binary by scripts/bench-ad.
    let collector = std::env::current_exe()
        .map(|p| p.with_file_name("constat-ldap-collect"))
        .unwrap_or_else(|e| panic!("current_exe: {e}"));
    let collector = collector.as_path();
    for sysvol in [false, true] {
        let mut times = Vec::new();
        let mut last: Value = Value::Null;
        for _ in 0..RUNS {
            let settings = json!({"url": format!("ldaps://{DC_IP}"), "bind_dn": "Administrator@tssr.lan",
                                  "password": ADMIN_PASSWORD, "tls": "insecure", "sysvol": sysvol});
            let started = Instant::now();
            let output = dc
                .run_in_client(collector, &[], &settings.to_string())
                .unwrap_or_else(|e| panic!("{e}"));
            times.push(started.elapsed().as_secs_f64());
            last = serde_json::from_slice(&output.stdout).unwrap_or_default();
            assert!(last.get("error").is_none(), "{last}");
        }
        times.sort_by(f64::total_cmp);
        let directory = &last["snapshot"]["sections"]["directory"]["data"];
        println!(
            "collection (sysvol: {sysvol}), {RUNS} runs: min {:.2} s, median {:.2} s, max {:.2} s; users {}, groups {}; LDAP searches {}, pages (round trips) {}, entries {}",
            times[0],
            times[RUNS / 2],
            times[RUNS - 1],
            directory["users"].as_array().map_or(0, Vec::len),
            directory["groups"].as_array().map_or(0, Vec::len),
            last["stats"]["searches"],
            last["stats"]["pages"],
            last["stats"]["entries"],
        );
    }
}
