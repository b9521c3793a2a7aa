//! Packs and grading on the server: a class's pack (shipped, or uploaded and validated with
//! the same diagnostics as `constat validate`) compiled once per class and kept in memory
//! (a cache: the YAML in the store is the truth), and a learner's snapshot graded with the
//! checker core. The pack and its expected values never leave the server.

use crate::i18n::{Lang, tf};
use crate::store::{Class, Id};
use constat_checker_core::pack::{Pack, load, render_diagnostics_in};
use constat_checker_core::report::Report;
use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
use constat_snapshot::Snapshot;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Largest pack text accepted in a form.
pub const MAX_PACK_BYTES: usize = 512 * 1024;

/// A class's compiled pack and the grid's columns.
pub struct ClassPack {
    /// The compiled pack.
    pub pack: Pack,
    /// Check columns: id and title, in pack order.
    pub checks: Vec<(String, String)>,
    /// The same in English: the author's `title_en` where written, else the French title.
    pub checks_en: Vec<(String, String)>,
    /// Competence columns the class's profile scores and the pack's checks cite: id, title.
    pub competences: Vec<(String, String)>,
}

/// Compiled packs by class id.
#[derive(Default)]
pub struct PackCache {
    packs: Mutex<HashMap<Id, Arc<ClassPack>>>,
}

impl PackCache {
    /// The class's compiled pack (compiled on first use).
    pub fn get(&self, class: &Class) -> Result<Arc<ClassPack>, String> {
        if let Ok(packs) = self.packs.lock()
            && let Some(found) = packs.get(&class.id)
        {
            return Ok(Arc::clone(found));
        }
        let pack = load(&class.fields.pack_source, &class.fields.pack_yaml)
            .map_err(|d| render_diagnostics_in(&d, constat_checker_core::i18n::Lang::En))?;
        let compiled = Arc::new(class_pack(pack, class.fields.profile.clone()));
        if let Ok(mut packs) = self.packs.lock() {
            packs.insert(class.id, Arc::clone(&compiled));
        }
        Ok(compiled)
    }
}

fn class_pack(pack: Pack, profile: Option<String>) -> ClassPack {
    // The pack's own swap (`CheckMeta::title_in`), as everywhere a pack text is read.
    let columns = |lang| {
        pack.checks()
            .map(|c| (c.id.clone(), c.title_in(lang).to_owned()))
            .collect()
    };
    let checks = columns(constat_checker_core::i18n::Lang::Fr);
    let checks_en = columns(constat_checker_core::i18n::Lang::En);
    // The competences a report of this pack scores: grade nothing and read them off.
    let empty = grade(
        &pack,
        &CandidateInput {
            id: String::new(),
            name: None,
            variables: BTreeMap::new(),
            expected_identity: Default::default(),
            hosts: BTreeMap::new(),
        },
        &GradeOptions {
            graded_at: constat_snapshot::time::rfc3339_utc(0),
            profile,
            timezone: None,
        },
    );
    let cited: Vec<&str> = empty
        .criteres
        .iter()
        .filter(|c| !c.checks.is_empty())
        .map(|c| &*c.competence)
        .collect();
    let competences = empty
        .competences
        .iter()
        .filter(|c| c.in_profile && cited.contains(&c.id.as_str()))
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect();
    ClassPack {
        pack,
        checks,
        checks_en,
        competences,
    }
}

impl ClassPack {
    /// Check columns (id, title) in the reader's language.
    pub fn check_columns(&self, lang: Lang) -> &[(String, String)] {
        match lang {
            Lang::Fr => &self.checks,
            Lang::En => &self.checks_en,
        }
    }
}

/// A new class's pack: `yaml` when the trainer pasted one, else the shipped pack `shipped`.
/// Returns the pack's source name and text, or every diagnostic in the reader's language.
pub fn validate_pack(
    shipped: &str,
    yaml: &str,
    lang: Lang,
) -> Result<(Pack, String, String), String> {
    let (source, text) = if yaml.trim().is_empty() {
        let Some(embedded) = constat_checks::find(shipped.trim()) else {
            return Err(tf(
                lang,
                "err_pack_unknown",
                &[("pack", &shipped), ("ids", &shipped_pack_ids().join(", "))],
            ));
        };
        (embedded.file_name.to_owned(), embedded.text.to_owned())
    } else {
        if yaml.len() > MAX_PACK_BYTES {
            return Err(tf(lang, "err_pack_too_large", &[("max", &MAX_PACK_BYTES)]));
        }
        ("pack.yaml".to_owned(), yaml.replace("\r\n", "\n"))
    };
    match load(&source, &text) {
        Ok(pack) => Ok((pack, source, text)),
        Err(diagnostics) => Err(format!(
            "{}\n{}",
            tf(lang, "err_pack_invalid", &[("count", &diagnostics.len())]),
            render_diagnostics_in(&diagnostics, lang.core()).trim_end()
        )),
    }
}

/// The ids of the shipped packs.
pub fn shipped_pack_ids() -> Vec<&'static str> {
    constat_checks::packs().iter().map(|p| p.id).collect()
}

/// Grades one learner's snapshot for `role` (the pack's other roles are missing).
pub fn grade_learner(
    class_pack: &ClassPack,
    class: &Class,
    learner: (Id, &str),
    role: &str,
    snapshot: Snapshot,
    now: i64,
) -> Report {
    let hosts = BTreeMap::from([(role.to_owned(), Observed::Snapshot(Box::new(snapshot)))]);
    grade_observed(class_pack, class, learner, hosts, None, now)
}

/// Grades one learner from what was observed of each role (a snapshot, or why there is
/// none: a pulled host that failed is graded as such, with its cause); `timezone` is the
/// pulled inventory's `session.timezone`.
pub fn grade_observed(
    class_pack: &ClassPack,
    class: &Class,
    learner: (Id, &str),
    observed: BTreeMap<String, Observed>,
    timezone: Option<String>,
    now: i64,
) -> Report {
    let hosts = observed
        .into_iter()
        .map(|(role, end)| (role, HostObservation { end, start: None }))
        .collect();
    grade(
        &class_pack.pack,
        &CandidateInput {
            id: learner.0.to_string(),
            name: Some(learner.1.to_owned()),
            variables: BTreeMap::new(),
            expected_identity: Default::default(),
            hosts,
        },
        &GradeOptions {
            graded_at: constat_snapshot::time::rfc3339_utc(now),
            profile: class.fields.profile.clone(),
            timezone,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shipped_pack_loads_and_an_unknown_one_is_named() {
        let (pack, source, _) = validate_pack("lab-cp3-linux", "", Lang::Fr).unwrap();
        assert_eq!(pack.id, "lab-cp3-linux");
        assert!(source.ends_with(".yaml"), "{source}");
        let error = validate_pack("nope", "", Lang::En).err().unwrap();
        assert!(
            error.starts_with("Unknown pack: nope. Shipped packs: "),
            "{error}"
        );
    }

    #[test]
    fn an_uploaded_pack_gets_the_validate_diagnostics_in_the_readers_language() {
        let yaml = "id: x\ntitle: X\nreferentiel: tssr-2023\nhosts: {linux: {os: linux}}\nchecks:\n  - id: a\n    titel: A\n";
        let fr = validate_pack("", yaml, Lang::Fr).err().unwrap();
        assert!(fr.contains("pack.yaml:1:1: erreur"), "{fr}");
        let en = validate_pack("", yaml, Lang::En).err().unwrap();
        assert!(en.contains("pack.yaml:1:1: error"), "{en}");
    }

    /// The grid's check columns in the reader's language: the pack's `title_en` in English,
    /// its French title otherwise.
    #[test]
    fn check_columns_are_titled_in_the_readers_language() {
        let (pack, _, _) = validate_pack("demo", "", Lang::Fr).unwrap();
        let class = class_pack(pack, None);
        let title = |lang| {
            class
                .check_columns(lang)
                .iter()
                .find(|(id, _)| id == "demo-firewall-policy")
                .map(|(_, t)| t.clone())
                .unwrap()
        };
        assert_eq!(
            title(Lang::Fr),
            "Le pare-feu rejette par défaut le trafic entrant"
        );
        assert_eq!(
            title(Lang::En),
            "The firewall drops incoming traffic by default"
        );
    }
}
