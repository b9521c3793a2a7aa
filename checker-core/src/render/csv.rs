//! CSV renderer: the jury grid of one candidate, one row per critère (RFC 4180 quoting).

use crate::render::escape::csv_field as field;
use crate::render::options::RenderOptions;
use crate::report::Report;

pub(crate) fn number(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| format!("{x}"))
}

/// Header of the jury grid.
pub(crate) const HEADER: &str = "candidat,nom,pack,critere,competence,classe,statut,pourcentage,points_obtenus,points_max,verifications_evaluables,verifications,identite\n";

/// Appends one candidate's rows.
pub(crate) fn rows(report: &Report, options: &RenderOptions, out: &mut String) {
    // Identity warnings, short (`linux : nom d'hôte (début)`), repeated on each row of the
    // candidate so that a filtered spreadsheet still shows them.
    let identity: Vec<String> = report
        .identity_warnings
        .iter()
        .map(|w| options.lang.identity_short(w))
        .collect();
    let identity = field(&identity.join("; "));
    for k in &report.criteres {
        let class = match k.class {
            crate::referentiel::Verifiability::A => "A",
            crate::referentiel::Verifiability::AB => "A+B",
            crate::referentiel::Verifiability::B => "B",
            crate::referentiel::Verifiability::C => "C",
        };
        let line = [
            field(&report.candidate.id),
            field(report.candidate.name.as_deref().unwrap_or("")),
            field(&report.pack.id),
            field(&k.id),
            field(&k.competence),
            class.to_owned(),
            field(options.lang.critere_status(k.status)),
            number(k.score.percent),
            number(k.score.percent.map(|_| k.score.earned)),
            number(k.score.percent.map(|_| k.score.max)),
            k.assessable.to_string(),
            k.checks.len().to_string(),
            identity.clone(),
        ];
        out.push_str(&line.join(","));
        out.push('\n');
    }
}

/// Renders one candidate's jury grid (one row per critère).
pub fn csv(report: &Report, options: &RenderOptions) -> String {
    let mut out = HEADER.to_owned();
    rows(report, options, &mut out);
    out
}
