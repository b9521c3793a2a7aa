//! Moodle gradebook CSV: what Moodle's « Importer des notes → Fichier CSV » accepts.
//!
//! One header row, one row per candidate (sorted by candidate id), `,` between cells, decimal
//! point, UTF-8 without BOM (Moodle asks for the encoding and the separator; these are its
//! defaults). Columns:
//!
//! | column | content | Moodle mapping |
//! |---|---|---|
//! | `ID number` | the inventory's `idnumber` of the candidate (empty when absent) | « Identifier from file » → `useridnumber` |
//! | `Email address` | the inventory's `email` (empty when absent) | → `useremail` |
//! | `constat candidate` | the candidate id of the session | not mapped (for the examiner) |
//! | `Full name` | the candidate's name | not mapped |
//! | `<pack> total (points)` | indicative total, points | a grade item whose maximum is the pack's total |
//! | `<pack> total (%)` | indicative total, 0–100 | a grade item out of 100 |
//! | `<pack> <competence> (%)` | each competence the pack scores, 0–100 | a grade item out of 100 each |
//!
//! A cell is empty when nothing was assessable (Moodle then leaves the grade unchanged). Text
//! cells are formula-guarded like every CSV cell (`escape::csv_field`).

use crate::render::csv::CsvDialect;
use crate::render::escape::csv_field as field;
use crate::report::Report;
use std::collections::BTreeMap;

/// How a candidate is known to the gradebook (from the inventory's candidates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GradebookId {
    /// Moodle's user « ID number » (`idnumber`).
    pub idnumber: Option<String>,
    /// Moodle's user email address.
    pub email: Option<String>,
}

fn percent(p: Option<f64>) -> String {
    p.filter(|p| p.is_finite())
        .map_or_else(String::new, |p| CsvDialect::International.number(p * 100.0))
}

/// Renders the gradebook of `reports`; `ids` maps candidate ids to their gradebook identity.
pub fn moodle_csv(reports: &[Report], ids: &BTreeMap<String, GradebookId>) -> String {
    let mut sorted: Vec<&Report> = reports.iter().collect();
    sorted.sort_by(|a, b| {
        a.candidate
            .id
            .cmp(&b.candidate.id)
            .then(a.pack.id.cmp(&b.pack.id))
    });
    // Grade item columns: per pack, its total, then the competences it scores, in the
    // référentiel's order of the first report that has them.
    let mut items: Vec<(String, Option<String>)> = Vec::new();
    for r in &sorted {
        if !items.iter().any(|(p, _)| *p == r.pack.id) {
            items.push((r.pack.id.clone(), None));
        }
        for c in r
            .competences
            .iter()
            .filter(|c| c.in_profile && c.score.max > 0.0)
        {
            let item = (r.pack.id.clone(), Some(c.id.clone()));
            if !items.contains(&item) {
                items.push(item);
            }
        }
    }
    items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.is_some().cmp(&b.1.is_some())));
    let mut header = vec![
        "ID number".to_owned(),
        "Email address".to_owned(),
        "constat candidate".to_owned(),
        "Full name".to_owned(),
    ];
    for (pack, competence) in &items {
        match competence {
            None => {
                header.push(field(&format!("{pack} total (points)")));
                header.push(field(&format!("{pack} total (%)")));
            }
            Some(c) => header.push(field(&format!("{pack} {c} (%)"))),
        }
    }
    let mut out = header.join(",");
    out.push('\n');
    let none = GradebookId::default();
    for r in sorted {
        let id = ids.get(&r.candidate.id).unwrap_or(&none);
        let mut line = vec![
            field(id.idnumber.as_deref().unwrap_or("")),
            field(id.email.as_deref().unwrap_or("")),
            field(&r.candidate.id),
            field(r.candidate.name.as_deref().unwrap_or("")),
        ];
        for (pack, competence) in &items {
            let mine = *pack == r.pack.id;
            match competence {
                None => {
                    let assessed = r.total.percent.filter(|p| mine && p.is_finite());
                    line.push(assessed.map_or_else(String::new, |_| {
                        CsvDialect::International.number(r.total.earned)
                    }));
                    line.push(percent(assessed));
                }
                Some(c) => line.push(percent(
                    r.competences
                        .iter()
                        .find(|x| mine && x.id == *c)
                        .and_then(|x| x.score.percent),
                )),
            }
        }
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}
