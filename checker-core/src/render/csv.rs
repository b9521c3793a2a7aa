//! CSV renderer: the jury grid of one candidate, one row per critère (RFC 4180 quoting), in
//! the French spreadsheet form by default (UTF-8 BOM, `;`, decimal comma) or the
//! international form (`,`, decimal point, no BOM).

use crate::render::escape::csv_field as field;
use crate::render::options::RenderOptions;
use crate::report::{HostStatus, Report};

/// Which spreadsheet convention a CSV file follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvDialect {
    /// What a French Excel or LibreOffice opens as is: UTF-8 with a BOM (else Excel reads
    /// Windows-1252), `;` between cells, decimal comma.
    #[default]
    French,
    /// RFC 4180 as most tools expect it: `,` between cells, decimal point, no BOM.
    International,
}

impl CsvDialect {
    /// Cell separator.
    pub fn separator(self) -> &'static str {
        match self {
            CsvDialect::French => ";",
            CsvDialect::International => ",",
        }
    }

    /// What the file starts with: the UTF-8 BOM in the French form.
    pub fn preamble(self) -> &'static str {
        match self {
            CsvDialect::French => "\u{feff}",
            CsvDialect::International => "",
        }
    }

    /// A number as this dialect writes it: at most two decimals, no useless zeros, decimal
    /// comma in the French form. Never a formula (a negative number is a plain number).
    pub fn number(self, x: f64) -> String {
        let text = format!("{:.2}", x);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        let text = if text == "-0" { "0" } else { text };
        match self {
            CsvDialect::French => text.replace('.', ","),
            CsvDialect::International => text.to_owned(),
        }
    }
}

fn optional(dialect: CsvDialect, x: Option<f64>) -> String {
    x.filter(|x| x.is_finite())
        .map_or_else(String::new, |x| dialect.number(x))
}

/// Header of the jury grid.
pub(crate) const HEADER: [&str; 14] = [
    "candidat",
    "nom",
    "pack",
    "critere",
    "competence",
    "classe",
    "statut",
    "pourcentage",
    "points_obtenus",
    "points_max",
    "verifications_evaluables",
    "verifications",
    "identite",
    "hotes",
];

/// The same columns named in English, for `--lang en` (one language at a time).
pub(crate) const HEADER_EN: [&str; 14] = [
    "candidate",
    "name",
    "pack",
    "criterion",
    "competence",
    "class",
    "status",
    "percent",
    "points_earned",
    "points_max",
    "checks_assessable",
    "checks",
    "identity",
    "hosts",
];

/// The header line in `dialect` and the report's language, with the preamble.
pub(crate) fn header(dialect: CsvDialect, lang: crate::i18n::Lang) -> String {
    let names = match lang {
        crate::i18n::Lang::Fr => HEADER,
        crate::i18n::Lang::En => HEADER_EN,
    };
    format!(
        "{}{}\n",
        dialect.preamble(),
        names.join(dialect.separator())
    )
}

/// The candidate's hosts that gave no snapshot, with their state and cause
/// (`linux : injoignable (connection refused)`), `; `-separated.
fn host_states(report: &Report, options: &RenderOptions) -> String {
    let strings = options.lang.strings();
    let colon = if options.lang == crate::i18n::Lang::Fr {
        " :"
    } else {
        ":"
    };
    report
        .hosts
        .iter()
        .filter(|h| h.status != HostStatus::Observed)
        .map(|h| {
            let state = strings.host_failure(h.status).unwrap_or(strings.missing);
            match h.cause.as_deref().filter(|c| !c.is_empty()) {
                Some(cause) => format!("{}{colon} {state} ({})", h.role, options.lang.shown(cause)),
                None => format!("{}{colon} {state}", h.role),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Appends one candidate's rows.
pub(crate) fn rows(
    report: &Report,
    options: &RenderOptions,
    dialect: CsvDialect,
    out: &mut String,
) {
    // Identity warnings and host states, short (`linux : nom d'hôte (début)`), repeated on
    // each row of the candidate so that a filtered spreadsheet still shows them.
    let identity: Vec<String> = report
        .identity_warnings
        .iter()
        .map(|w| options.lang.identity_short(w))
        .collect();
    let identity = field(&identity.join("; "));
    let hosts = field(&host_states(report, options));
    for k in &report.criteres {
        let class = match k.class {
            crate::referentiel::Verifiability::A => "A",
            crate::referentiel::Verifiability::AB => "A+B",
            crate::referentiel::Verifiability::B => "B",
            crate::referentiel::Verifiability::C => "C",
        };
        let assessed = k.score.percent.filter(|p| p.is_finite());
        let line = [
            field(&report.candidate.id),
            field(report.candidate.name.as_deref().unwrap_or("")),
            field(&report.pack.id),
            field(&k.id),
            field(&k.competence),
            class.to_owned(),
            field(options.lang.critere_status(k.status)),
            // A percentage as a number of percent (a French spreadsheet shows 0,855 as 0,855,
            // not 85,5 %).
            optional(dialect, assessed.map(|p| p * 100.0)),
            optional(dialect, assessed.map(|_| k.score.earned)),
            optional(dialect, assessed.map(|_| k.score.max)),
            k.assessable.to_string(),
            k.checks.len().to_string(),
            identity.clone(),
            hosts.clone(),
        ];
        out.push_str(&line.join(dialect.separator()));
        out.push('\n');
    }
}

/// Renders one candidate's jury grid (one row per critère) in the French form.
pub fn csv(report: &Report, options: &RenderOptions) -> String {
    csv_with(report, options, CsvDialect::French)
}

/// Renders one candidate's jury grid in `dialect`.
pub fn csv_with(report: &Report, options: &RenderOptions, dialect: CsvDialect) -> String {
    let mut out = header(dialect, options.lang);
    rows(report, options, dialect, &mut out);
    out
}
