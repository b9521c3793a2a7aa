//! Property tests of every parser that reads a file a person or a host wrote: the pack loader
//! (YAML of the shipped packs, mutated, and arbitrary text), the snapshot parser (JSON of the
//! real fixtures, mutated in text and in structure), the inventory loader and the candidates
//! CSV import, and the deployment readers (MDT control files, APT/yum sources, web server
//! configurations). Properties: no panic, and every error is located (`file:line:col` with a line
//! and column, or the CSV line, or the file and the value at fault).
//!
//! Bounded for CI (`CASES` per property, fixed seed); failures found are kept in
//! `parsers_prop.proptest-regressions` (beside this file) and replayed first. Longer local run:
//! `PROPTEST_CASES=20000 cargo test -p constat-tests --test parsers_prop`.

use constat_snapshot::{Snapshot, SnapshotError};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};
use serde_json::Value;

/// Cases per property in CI.
const CASES: u32 = 128;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x636f_6e73_7461_7400),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

/// The shipped packs and the checker's fixture packs (real text trainers write).
const PACKS: &[(&str, &str)] = &[
    ("demo.yaml", include_str!("../../checks/packs/demo.yaml")),
    (
        "lab-cp3-linux.yaml",
        include_str!("../../checks/packs/lab-cp3-linux.yaml"),
    ),
    (
        "lab-cp5-gpo.yaml",
        include_str!("../../checks/packs/lab-cp5-gpo.yaml"),
    ),
    (
        "lab-cp7-firewall.yaml",
        include_str!("../../checks/packs/lab-cp7-firewall.yaml"),
    ),
    (
        "tssr-2023-msp-ccp2.yaml",
        include_str!("../../checks/packs/tssr-2023-msp-ccp2.yaml"),
    ),
    (
        "tssr-2023-msp-titre.yaml",
        include_str!("../../checks/packs/tssr-2023-msp-titre.yaml"),
    ),
    (
        "lab-cp2-windows.yaml",
        include_str!("../../checks/packs/lab-cp2-windows.yaml"),
    ),
    (
        "lab-cp4-network.yaml",
        include_str!("../../checks/packs/lab-cp4-network.yaml"),
    ),
    (
        "lab-cp6-scripts.yaml",
        include_str!("../../checks/packs/lab-cp6-scripts.yaml"),
    ),
    (
        "lab-cp8-backup.yaml",
        include_str!("../../checks/packs/lab-cp8-backup.yaml"),
    ),
    (
        "lab-cp9-deploy.yaml",
        include_str!("../../checks/packs/lab-cp9-deploy.yaml"),
    ),
    (
        "tssr-2023-msp-ccp1.yaml",
        include_str!("../../checks/packs/tssr-2023-msp-ccp1.yaml"),
    ),
    (
        "lab-linux.yaml",
        include_str!("../../checker-core/tests/fixtures/packs/lab-linux.yaml"),
    ),
];

/// Real snapshots (checker-core/tests/fixtures/FIXTURES.md says where each comes from).
const SNAPSHOTS: &[&str] = &[
    include_str!("../../checker-core/tests/fixtures/snapshots/linux-real.json"),
    include_str!("../../checker-core/tests/fixtures/snapshots/ad-samba.json"),
    include_str!("../../checker-core/tests/fixtures/snapshots/windows-probe.json"),
];

/// Inventories as the README and the session tests write them.
const INVENTORIES: &[&str] = &[
    r#"session: { id: tssr-2026-11, referentiel: tssr-2023, profile: titre, pack: packs/tssr.yaml }
settings: { concurrency: 16, connect_timeout_s: 10, host_timeout_s: 300 }
defaults:
  linux: { transport: ssh, address: "10.0.${num}.20", user: admin, cred: lab-linux, sudo: true }
candidates:
  - { id: c01, name: Alice Martin, vars: { num: "1" } }
  - id: c02
    name: Bruno Petit
    vars: { num: "2" }
    hosts: { linux: { address: 10.0.2.21, user: root, key: /home/jury/.ssh/id_ed25519 } }
"#,
    r#"session: { id: s, referentiel: tssr-2023, profile: titre, pack: p.yaml }
defaults:
  dc: { transport: ldap, address: 10.0.1.10, user: Administrator@tssr.lan, cred: lab-dc, tls: insecure, base_dn: "DC=tssr,DC=lan", sysvol: true, utc_offset_minutes: 60 }
  win: { transport: winrm, address: "10.0.1.${num}", user: Administrator, cred: lab-win }
candidates:
  - { id: c01, name: Alice Martin, vars: { num: "11" } }
"#,
];

/// Text pieces that matter to YAML, JSON and CSV parsers.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    ":", ": ", "- ", "-", "{", "}", "[", "]", ",", ";", "\"", "'", "\n", "\r\n", "  ", "\t", "#",
    "&a ", "*a", "<<: *a", "!!str ", "!!binary ", "~", "null", "true", "yes", "1e308", "-1e308",
    "NaN", ".inf", "-0", "18446744073709551616", "-9223372036854775809", "0x1F", "é", "\u{0}",
    "\u{1b}[2J", "\u{feff}", "\u{2028}", "${", "${num}", "}}", "%", "@", "|", ">", "---", "...",
    "? ", "=", "＝", "\\", "\\u0000", "\\ud800",
];

/// One edit of a text, on character boundaries.
#[derive(Debug, Clone)]
enum Edit {
    /// Insert a token at a proportional position (0..=1000 ‰ of the length).
    Insert(usize, &'static str),
    /// Insert arbitrary text.
    InsertText(usize, String),
    /// Delete a span (start ‰, length in chars).
    Delete(usize, usize),
    /// Duplicate a line.
    DuplicateLine(usize),
    /// Remove a line.
    RemoveLine(usize),
    /// Swap two lines.
    SwapLines(usize, usize),
    /// Cut the text at a position.
    Truncate(usize),
    /// Replace the value of a `key: value` line with another scalar or collection.
    ReplaceValue(usize, &'static str),
}

/// Values put in place of a `key: value` line's value.
#[rustfmt::skip]
const VALUES: &[&str] = &[
    "0", "-1", "1e308", "-1e308", ".nan", ".inf", "99999999999999999999", "4294967296", "0.5",
    "\"\"", "''", "~", "null", "[]", "{}", "[a, b]", "{a: 1}", "true", "no", "\"${x}\"",
    "\"\\u001b[2J\"", "|\n  bloc\n", "*nope", "!!int x", "\"é\"", "-", "[[[[[[]]]]]]",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0..=1000usize, proptest::sample::select(TOKENS)).prop_map(|(p, t)| Edit::Insert(p, t)),
        2 => (0..=1000usize, ".{0,12}").prop_map(|(p, t)| Edit::InsertText(p, t)),
        2 => (0..=1000usize, 1..40usize).prop_map(|(p, n)| Edit::Delete(p, n)),
        1 => (0..=1000usize).prop_map(Edit::DuplicateLine),
        1 => (0..=1000usize).prop_map(Edit::RemoveLine),
        1 => (0..=1000usize, 0..=1000usize).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => (0..=1000usize).prop_map(Edit::Truncate),
        4 => (0..=1000usize, proptest::sample::select(VALUES)).prop_map(|(p, v)| Edit::ReplaceValue(p, v)),
    ]
}

/// The byte offset of the char boundary at `permille` of `text`.
fn at(text: &str, permille: usize) -> usize {
    let chars = text.chars().count();
    text.char_indices()
        .nth(chars * permille / 1000)
        .map_or(text.len(), |(i, _)| i)
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_owned();
    for e in edits {
        match e {
            Edit::Insert(p, t) => {
                let i = at(&text, *p);
                text.insert_str(i, t);
            }
            Edit::InsertText(p, t) => {
                let i = at(&text, *p);
                text.insert_str(i, t);
            }
            Edit::Delete(p, n) => {
                let i = at(&text, *p);
                let end = text[i..]
                    .char_indices()
                    .nth(*n)
                    .map_or(text.len(), |(j, _)| i + j);
                text.replace_range(i..end, "");
            }
            Edit::DuplicateLine(p) | Edit::RemoveLine(p) => {
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if lines.is_empty() {
                    continue;
                }
                let n = (lines.len() - 1) * p / 1000;
                if matches!(e, Edit::DuplicateLine(_)) {
                    lines.insert(n, lines[n]);
                } else {
                    lines.remove(n);
                }
                text = lines.concat();
            }
            Edit::SwapLines(a, b) => {
                let mut lines: Vec<String> =
                    text.split_inclusive('\n').map(str::to_owned).collect();
                if lines.is_empty() {
                    continue;
                }
                let (a, b) = ((lines.len() - 1) * a / 1000, (lines.len() - 1) * b / 1000);
                lines.swap(a, b);
                text = lines.concat();
            }
            Edit::Truncate(p) => {
                let i = at(&text, *p);
                text.truncate(i);
            }
            Edit::ReplaceValue(p, v) => {
                let mut lines: Vec<String> =
                    text.split_inclusive('\n').map(str::to_owned).collect();
                let keyed: Vec<usize> = (0..lines.len())
                    .filter(|&i| lines[i].contains(": "))
                    .collect();
                if keyed.is_empty() {
                    continue;
                }
                let n = keyed[(keyed.len() - 1) * p / 1000];
                let line = &lines[n];
                let colon = line.find(": ").expect("filtered on it") + 2;
                let end = if line.ends_with('\n') { "\n" } else { "" };
                lines[n] = format!("{}{v}{end}", &line[..colon]);
                text = lines.concat();
            }
        }
    }
    text
}

/// A pack loader result: either a pack, or diagnostics that all carry a line and a column.
/// Includes resolve among the shipped packs (unmutated: their errors could only be of the
/// mutated includer, under its own name).
fn check_pack(name: &str, text: &str) -> Result<(), TestCaseError> {
    let loaded =
        constat_checker_core::pack::load_with(name, text, &constat_checks::EmbeddedSources);
    if let Err(diags) = loaded {
        prop_assert!(!diags.is_empty(), "an error without any diagnostic");
        for d in &diags {
            prop_assert!(
                d.line > 0 && d.col > 0,
                "diagnostic without a position: {d}\n--- text\n{text}"
            );
            prop_assert_eq!(&d.file, name);
            prop_assert!(!d.message.trim().is_empty(), "empty diagnostic: {d}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_mutated_shipped_pack_loads_or_says_where(
        pack in proptest::sample::select(PACKS),
        edits in proptest::collection::vec(edit(), 1..5),
    ) {
        let text = apply(pack.1, &edits);
        check_pack(pack.0, &text)?;
    }

    #[test]
    fn arbitrary_text_as_a_pack_loads_or_says_where(text in "(?s).{0,300}") {
        check_pack("any.yaml", &text)?;
    }
}

/// A snapshot parser result: a snapshot, or an error that locates itself.
fn check_snapshot(text: &str) -> Result<(), TestCaseError> {
    match Snapshot::from_json(text) {
        Ok(_) => {}
        Err(SnapshotError::Json { line, column, .. }) => {
            prop_assert!(
                line > 0 && column > 0,
                "JSON error without a position ({line}:{column})"
            );
        }
        // Whole-document refusals: the top level is not a snapshot of this version.
        Err(SnapshotError::Version { .. } | SnapshotError::NotASnapshot) => {}
        Err(other) => {
            prop_assert!(
                !other.to_string().trim().is_empty(),
                "an empty error: {other:?}"
            );
        }
    }
    Ok(())
}

/// A JSON value a hostile agent could send in place of any node.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
        Just(Value::String("\u{1b}]52;c;AAAA\u{7}".to_owned())),
        Just(Value::String("1970-01-01T00:00:00Z".to_owned())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the node reached by following `path` (each step picks a child by index modulo
/// the number of children; stops at a leaf) with `new`, or removes it from its parent.
fn replace_node(node: &mut Value, path: &[usize], new: Option<Value>) {
    let Some((step, rest)) = path.split_first() else {
        if let Some(v) = new {
            *node = v;
        }
        return;
    };
    match node {
        Value::Object(map) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(step % map.len())
                .cloned()
                .unwrap_or_default();
            if rest.is_empty() {
                match new {
                    Some(v) => {
                        map.insert(key, v);
                    }
                    None => {
                        map.remove(&key);
                    }
                }
            } else if let Some(child) = map.get_mut(&key) {
                replace_node(child, rest, new);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = step % items.len();
            if rest.is_empty() {
                match new {
                    Some(v) => items[i] = v,
                    None => {
                        items.remove(i);
                    }
                }
            } else {
                replace_node(&mut items[i], rest, new);
            }
        }
        leaf => {
            if let Some(v) = new {
                *leaf = v;
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_snapshot_with_a_node_replaced_parses_or_says_where(
        which in 0..SNAPSHOTS.len(),
        path in proptest::collection::vec(any::<usize>(), 1..8),
        new in proptest::option::weighted(0.8, json_value()),
    ) {
        let mut value: Value = serde_json::from_str(SNAPSHOTS[which]).expect("fixture is JSON");
        replace_node(&mut value, &path, new);
        let text = serde_json::to_string_pretty(&value).expect("serialise");
        check_snapshot(&text)?;
    }

    #[test]
    fn a_snapshot_edited_as_text_parses_or_says_where(
        which in 0..SNAPSHOTS.len(),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let text = apply(SNAPSHOTS[which], &edits);
        check_snapshot(&text)?;
    }
}

/// An error of the CLI's loaders, with its whole chain, must name the file; a parse error
/// must also give a real line and column (never `:0:0`).
fn check_cli_error(error: &anyhow::Error, origin: &str) -> Result<(), TestCaseError> {
    let text = format!("{error:#}");
    prop_assert!(
        text.contains(origin),
        "the error does not name {origin}: {text}"
    );
    prop_assert!(
        !text.contains(&format!("{origin}:0:")) && !text.contains(":0:0"),
        "the error has no position: {text}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_mutated_inventory_loads_or_says_where(
        which in 0..INVENTORIES.len(),
        edits in proptest::collection::vec(edit(), 1..5),
    ) {
        let text = apply(INVENTORIES[which], &edits);
        if let Err(e) = constat_cli::inventory::parse_inventory(&text, "session.yaml") {
            check_cli_error(&e, "session.yaml")?;
        }
    }

    #[test]
    fn arbitrary_text_as_an_inventory_loads_or_says_where(text in "(?s).{0,200}") {
        if let Err(e) = constat_cli::inventory::parse_inventory(&text, "session.yaml") {
            check_cli_error(&e, "session.yaml")?;
        }
    }

    #[test]
    fn a_candidates_csv_imports_or_says_which_line(
        delimiter in proptest::sample::select(&[",", ";"][..]),
        extra in proptest::collection::vec("[a-z]{1,6}", 0..3),
        rows in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    "[a-zA-Z0-9 éÉ-]{0,12}",
                    proptest::sample::select(TOKENS).prop_map(str::to_owned),
                    "\"[^\"]{0,8}\"",
                    "\"[^\"]{0,4}",
                    "=[A-Z]{1,4}\\(\\)",
                ],
                0..6,
            ),
            0..8,
        ),
        edits in proptest::collection::vec(edit(), 0..3),
    ) {
        let mut text = format!("id{delimiter}name");
        for e in &extra {
            text.push_str(delimiter);
            text.push_str(e);
        }
        text.push('\n');
        for row in &rows {
            text.push_str(&row.join(delimiter));
            text.push('\n');
        }
        let text = apply(&text, &edits);
        match constat_cli::inventory::parse_candidates(&text, "candidats.csv") {
            Ok(candidates) => {
                for c in &candidates {
                    prop_assert!(!c.id.is_empty(), "a candidate without an id: {c:?}");
                }
            }
            Err(e) => {
                let shown = format!("{e:#}");
                prop_assert!(shown.contains("candidats.csv"), "no file: {shown}");
                // A header problem is on line 1 by definition; any other names its line.
                prop_assert!(
                    shown.contains("id,name") || names_a_line(&shown),
                    "no line number: {shown}\n--- text\n{text}"
                );
            }
        }
    }
}

/// Whether `text` names a line of the CSV (`candidats.csv:N`, N ≥ 1).
fn names_a_line(text: &str) -> bool {
    let re = regex::Regex::new(r"candidats\.csv:([0-9]+)").expect("valid regex");
    re.captures_iter(text)
        .any(|c| c[1].parse::<u64>().is_ok_and(|n| n > 0))
}

/// Deployment readers (issue 16): real MDT control files (the probe's `deployment` section)
/// and APT/yum sources and web server configurations (the agent's `package_repositories`),
/// mutated byte by byte and cut: no panic; an XML control file is read or refused with
/// `line:col`.
const DEPLOYMENT_SAMPLES: &[&str] = &[
    include_str!(
        "../../windows/tests/fixtures/samples/technology-toolbox_MDT-Deploy__Control_CustomSettings.ini"
    ),
    include_str!(
        "../../windows/tests/fixtures/samples/technology-toolbox_MDT-Deploy__Control_TaskSequences.xml"
    ),
    include_str!(
        "../../windows/tests/fixtures/samples/technology-toolbox_MDT-Deploy__Control_Applications_excerpt.xml"
    ),
    include_str!(
        "../../windows/tests/fixtures/samples/Folinics_MDT-Windows11-Deployment__Control_Settings.xml"
    ),
    "Types: deb deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n",
    "deb [trusted=yes arch=amd64] http://10.0.0.5/depot ./\n[local]\nbaseurl=http://10.0.0.5/rpm/\nenabled=1\n",
    "server {\n root /var/www/html;\n location /debian/ { alias /srv/depot/; }\n}\n<VirtualHost *:80>\n DocumentRoot /var/www/html\n Alias /depot \"/srv/depot\"\n</VirtualHost>\nalias.url += ( \"/d\" => \"/srv/d\" )\n",
];

fn read_deployment(text: &str) -> Result<(), TestCaseError> {
    use constat_agent::collectors::{package_sources, web_roots};
    use constat_windows::deployment::{mdt_ini, mdt_xml};
    let _ = mdt_ini::parse(text);
    for result in [
        mdt_xml::task_sequences(text).map(|_| ()),
        mdt_xml::applications(text).map(|_| ()),
        mdt_xml::settings(text).map(|_| ()),
    ] {
        if let Err(e) = result {
            let located = e.split(':').take(2).all(|n| n.parse::<u32>().is_ok())
                || e.starts_with("root element");
            prop_assert!(located, "unlocated XML error: {e}");
        }
    }
    let _ = package_sources::parse_one_line("F", text);
    let _ = package_sources::parse_deb822("F", text);
    let _ = package_sources::parse_yum_repo("F", text);
    let _ = web_roots::nginx("F", text);
    let _ = web_roots::apache("F", text);
    let _ = web_roots::lighttpd("F", text);
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn deployment_files_mutated_never_panic(
        which in 0..DEPLOYMENT_SAMPLES.len(),
        edits in proptest::collection::vec(edit(), 0..4),
    ) {
        read_deployment(&apply(DEPLOYMENT_SAMPLES[which], &edits))?;
    }

    #[test]
    fn arbitrary_text_as_deployment_files_never_panics(text in "(?s).{0,300}") {
        read_deployment(&text)?;
    }
}

/// The Nagios collector of the agent on what a hostile host writes: a main configuration and
/// a status file (Debian's Nagios 4.4.6 recording, `agent/src/collectors/testdata/`) mutated,
/// in an offline root. Never a panic; the section is collected or an `error` naming the file
/// (and `line:col` when the status file is malformed).
fn read_nagios(config: &str, status: &str) -> Result<(), TestCaseError> {
    use constat_agent::collectors::nagios;
    let root = tempfile::tempdir().expect("temp root");
    let write = |path: &str, text: &str| {
        let p = root.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("etc/nagios4/nagios.cfg", config);
    write("var/lib/nagios4/status.dat", status);
    write("srv/status.dat", status);
    let section = nagios::read(&constat_agent::LocalHost::offline(root.path()));
    let value = serde_json::to_value(&section).expect("section JSON");
    match value["status"].as_str() {
        Some("collected") => {}
        Some("error") => {
            let message = value["message"].as_str().unwrap_or_default();
            prop_assert!(
                message.contains("status.dat") || message.contains("nagios.cfg"),
                "error names no file: {message}"
            );
        }
        other => prop_assert!(false, "unexpected status {other:?}: {value}"),
    }
    Ok(())
}

const NAGIOS_STATUS: &str =
    include_str!("../../agent/src/collectors/testdata/recorded_nagios-4.4__status.dat");
const NAGIOS_CONFIGS: &[&str] = &[
    "status_file=/var/lib/nagios4/status.dat\n",
    "log_file=/var/log/nagios4/nagios.log\n# status_file=/nowhere\n",
    "status_file=/srv/status.dat\nstatus_file = /srv/status.dat\n",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn nagios_files_mutated_are_read_or_an_error_naming_them(
        which in 0..NAGIOS_CONFIGS.len(),
        config_edits in proptest::collection::vec(edit(), 0..3),
        status_edits in proptest::collection::vec(edit(), 0..4),
    ) {
        read_nagios(
            &apply(NAGIOS_CONFIGS[which], &config_edits),
            &apply(NAGIOS_STATUS, &status_edits),
        )?;
    }
}
