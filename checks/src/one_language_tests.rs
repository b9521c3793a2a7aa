//! One language at a time (issue 14 item 5): every shipped pack graded on every fixture
//! (each fixture set as every role the pack has, so that every kind also meets sections it
//! cannot read) gives a report whose JSON holds no French written by constat, whose English
//! rendering holds no French and whose French rendering shows no English evidence phrase.
//!
//! "Written by constat": a word that appears in no fixture string and no pack text (host and
//! pack data may be French: a GPO named « Restrictions », a check titled « Comptes »).

use crate::embedded::packs;
use crate::one_language::{ENGLISH, FRENCH, accented, untranslated, words};
use crate::pack_tests::pack;
use constat_checker_core::i18n::Lang;
use constat_checker_core::render::{Audience, RenderOptions, for_reader, html, markdown, terminal};
use constat_checker_core::report::Report;
use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
use constat_snapshot::Snapshot;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every fixture set: `(name, role → snapshot file)`; a flat file is an empty map (it
/// stands for every role).
fn fixture_sets() -> Vec<(String, Option<PathBuf>, BTreeMap<String, PathBuf>)> {
    let mut sets = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            let name = entry.strip_prefix(root()).unwrap().display().to_string();
            if entry.extension().is_some_and(|x| x == "json") {
                sets.push((name, Some(entry), BTreeMap::new()));
            } else if entry.is_dir() && !entry.ends_with("start") {
                let roles = std::fs::read_dir(&entry)
                    .unwrap()
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
                    .collect();
                sets.push((name, None, roles));
            }
        }
    }
    sets
}

fn load(path: &Path) -> Snapshot {
    Snapshot::from_json(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every string of a JSON value, for the words the host wrote.
fn strings(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
            out.push_str(k);
            out.push('\n');
            strings(v, out);
        }),
        _ => {}
    }
}

/// Every text the host or the pack wrote.
fn source_words() -> BTreeSet<String> {
    let mut text = String::new();
    for (_, flat, roles) in fixture_sets() {
        for path in flat.iter().chain(roles.values()) {
            let value: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            strings(&value, &mut text);
        }
    }
    for p in packs() {
        text.push_str(p.text);
    }
    // The référentiels' official texts (critères, competences, profiles) exist in French only.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../checker-core/data");
    for entry in std::fs::read_dir(&data).unwrap().flatten() {
        text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    words(&text).collect()
}

fn reports() -> Vec<(String, Report)> {
    let mut out = Vec::new();
    let sets = fixture_sets();
    for p in packs() {
        let pack = pack(p.id);
        for (name, flat, roles) in &sets {
            let mut hosts = BTreeMap::new();
            for role in pack.hosts.keys() {
                let file = match flat {
                    Some(f) => f,
                    None => match roles.get(role) {
                        Some(f) => f,
                        None => continue,
                    },
                };
                hosts.insert(
                    role.clone(),
                    HostObservation {
                        end: Observed::Snapshot(Box::new(load(file))),
                        start: None,
                    },
                );
            }
            if hosts.is_empty() {
                continue;
            }
            let input = CandidateInput {
                id: "c01".to_owned(),
                name: None,
                variables: BTreeMap::new(),
                expected_identity: Default::default(),
                hosts,
            };
            let options = GradeOptions {
                graded_at: "2026-11-23T18:00:00Z".to_owned(),
                profile: None,
                timezone: None,
            };
            out.push((format!("{} × {name}", p.id), grade(&pack, &input, &options)));
        }
    }
    out
}

/// The evidence values of a report, as the JSON carries them.
fn evidence_values(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for c in &report.checks {
        for e in &c.evidence {
            out.push(e.expected.to_string());
            out.push(e.actual.to_string());
        }
    }
    for h in &report.hosts {
        out.extend(h.cause.clone());
    }
    out.extend(report.warnings.iter().cloned());
    out
}

fn render(report: &Report, lang: Lang) -> String {
    let options = RenderOptions {
        lang,
        audience: Audience::Examiner,
        color: false,
    };
    let shown = for_reader(report, &options);
    format!(
        "{}\n{}",
        terminal(&shown, &options),
        markdown(&shown, &options)
    )
}

/// Each offending word with one value or line that holds it, sorted.
fn offenders<'t>(
    texts: impl Iterator<Item = &'t str>,
    bad: impl Fn(&str) -> bool,
    known: &BTreeSet<String>,
    found: &mut BTreeMap<String, String>,
) {
    for text in texts {
        for w in words(text) {
            if bad(&w) && !known.contains(&w) {
                found
                    .entry(w)
                    .or_insert_with(|| text.chars().take(160).collect());
            }
        }
    }
}

#[test]
fn the_json_and_the_english_reports_hold_no_french_and_the_french_no_english_phrase() {
    let known = source_words();
    let french = |w: &str| accented(w) || FRENCH.contains(&w);
    let english = |w: &str| ENGLISH.contains(&w);
    let mut json = BTreeMap::new();
    let mut in_english = BTreeMap::new();
    let mut in_french = BTreeMap::new();
    let all = reports();
    assert!(all.len() > 100, "{} reports", all.len());
    for (_, report) in &all {
        let values = evidence_values(report);
        offenders(values.iter().map(String::as_str), french, &known, &mut json);
        let en = render(report, Lang::En);
        offenders(en.lines(), french, &known, &mut in_english);
        // French output: the evidence values as shown (an untranslated English phrase).
        let fr = for_reader(
            report,
            &RenderOptions {
                lang: Lang::Fr,
                audience: Audience::Examiner,
                color: false,
            },
        );
        let shown: Vec<String> = fr
            .checks
            .iter()
            .flat_map(|c| &c.evidence)
            .map(|e| {
                e.display
                    .as_ref()
                    .and_then(|d| d.actual.clone())
                    .unwrap_or_else(|| e.actual.to_string())
            })
            .collect();
        offenders(
            shown.iter().map(String::as_str),
            english,
            &known,
            &mut in_french,
        );
        // Forms no French report shows, whoever wrote them (a host's text after « tel quel »).
        for line in render(report, Lang::Fr).lines() {
            for form in untranslated(line) {
                in_french
                    .entry(form.trim().to_owned())
                    .or_insert_with(|| line.chars().take(160).collect());
            }
        }
    }
    let list = |m: &BTreeMap<String, String>| {
        m.iter()
            .map(|(w, t)| format!("  {w}: {t}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        json.is_empty() && in_english.is_empty() && in_french.is_empty(),
        "French in the JSON evidence ({}):\n{}\nFrench in --lang en ({}):\n{}\nEnglish phrases in French ({}):\n{}",
        json.len(),
        list(&json),
        in_english.len(),
        list(&in_english),
        in_french.len(),
        list(&in_french),
    );
}

/// The pack's own French texts (title, each check's title, hint and explanation) that differ
/// from their English form: none may show in an English report.
fn french_pack_texts(pack: &constat_checker_core::pack::Pack) -> Vec<String> {
    let en = Lang::En;
    let mut out = vec![pack.title.clone()];
    for c in pack.checks() {
        for (fr, en) in [
            (Some(c.title.as_str()), Some(c.title_in(en))),
            (c.hint.as_deref(), c.hint_in(en)),
            (c.explanation.as_deref(), c.explanation_in(en)),
        ] {
            if let Some(fr) = fr
                && Some(fr) != en
            {
                out.push(fr.to_owned());
            }
        }
    }
    out
}

/// One language at a time for the packs' own texts: every shipped pack on every fixture,
/// rendered in English for a trainer (hints and explanations shown) in every text format,
/// shows none of the pack's French titles, hints or explanations.
#[test]
fn english_reports_show_none_of_the_packs_french_texts() {
    let options = RenderOptions {
        lang: Lang::En,
        audience: Audience::Trainer,
        color: false,
    };
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut shown = BTreeSet::new();
    for (name, report) in reports() {
        let french = texts
            .entry(report.pack.id.clone())
            .or_insert_with(|| french_pack_texts(&pack(&report.pack.id)));
        let seen = for_reader(&report, &options);
        let rendered = [
            terminal(&seen, &options),
            markdown(&seen, &options),
            html(&seen, &options),
            serde_json::to_string(&seen).unwrap(),
        ];
        for text in french.iter() {
            let escaped = text.replace('\'', "&#39;").replace('"', "&quot;");
            if rendered
                .iter()
                .any(|r| r.contains(text.as_str()) || r.contains(&escaped))
            {
                shown.insert(format!("{name}: {text}"));
            }
        }
    }
    assert!(
        shown.is_empty(),
        "French pack texts in English reports:\n{}",
        shown.into_iter().collect::<Vec<_>>().join("\n")
    );
}
