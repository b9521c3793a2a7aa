//! Test driver: runs `constat_windows::ldap::collect::collect_directory` and prints
//! `{"snapshot": …, "stats": …}` (or `{"error": "…"}`) on stdout.
//!
//! The real AD tests start it with `ip netns exec <client namespace>` so that the collector
//! runs where only the test DC is reachable. Its settings, password included, arrive as JSON
//! on stdin, never on the command line:
//! `{"url", "bind_dn", "password", "tls": "insecure"|"plain"|"<CA file>", "sysvol"}`.

use constat_windows::ldap::collect::collect_directory;
use constat_windows::ldap::target::{DirectoryOptions, LdapTarget, Secret, TlsPolicy};
use serde_json::{Value, json};
use std::io::Read;

fn main() {
    let mut input = String::new();
    let config: Value = match std::io::stdin()
        .read_to_string(&mut input)
        .map(|_| serde_json::from_str(&input))
    {
        Ok(Ok(value)) => value,
        _ => {
            println!("{}", json!({"error": "stdin must hold the JSON settings"}));
            std::process::exit(2);
        }
    };
    let text = |key: &str| {
        config
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let tls = match text("tls").as_str() {
        "insecure" => TlsPolicy::Insecure,
        "plain" => TlsPolicy::Plain,
        "" => TlsPolicy::Verify { ca_file: None },
        path => TlsPolicy::Verify {
            ca_file: Some(path.into()),
        },
    };
    let target = LdapTarget {
        url: text("url"),
        bind_dn: text("bind_dn"),
        password: Secret::new(text("password")),
        tls,
        base_dn: None,
    };
    let options = DirectoryOptions {
        sysvol: config
            .get("sysvol")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        ..DirectoryOptions::default()
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            println!("{}", json!({"error": format!("tokio runtime: {e}")}));
            std::process::exit(2);
        }
    };
    match runtime.block_on(collect_directory(&target, &options)) {
        Ok(collection) => println!(
            "{}",
            json!({"snapshot": collection.snapshot, "stats": collection.stats})
        ),
        Err(e) => {
            println!("{}", json!({"error": e.to_string()}));
            std::process::exit(1);
        }
    }
}
