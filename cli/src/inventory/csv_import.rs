//! Candidates from a CSV file (`id,name[,variable...]`, header required): each extra column
//! becomes a per-candidate variable for `${...}` templates.

use super::model::Candidate;
use crate::errors::CliError;
use crate::i18n::{t, tf};
use std::collections::BTreeMap;
use std::path::Path;

/// Reads candidates from `path`.
pub fn import_candidates(path: &Path) -> anyhow::Result<Vec<Candidate>> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::Error::new(e).context(tf("csv.unreadable", &[("file", &shown)])))?;
    parse_candidates(&text, &shown)
}

/// Parses candidates CSV text; `origin` names it in errors.
pub fn parse_candidates(text: &str, origin: &str) -> anyhow::Result<Vec<Candidate>> {
    let delimiter = if text.lines().next().is_some_and(|l| l.contains(';')) {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(origin, &e))?
        .iter()
        .map(str::to_owned)
        .collect();
    if headers.first().map(String::as_str) != Some("id")
        || headers.get(1).map(String::as_str) != Some("name")
    {
        return Err(CliError::input(
            tf("csv.bad_header", &[("file", &origin)]),
            t("csv.bad_header_hint"),
        )
        .into());
    }
    let mut candidates = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(origin, &e))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
        let vars: BTreeMap<String, String> = headers
            .iter()
            .enumerate()
            .skip(2)
            .map(|(i, name)| (name.clone(), field(i)))
            .collect();
        if field(0).is_empty() {
            return Err(CliError::input(
                tf("csv.empty_id", &[("file", &origin), ("line", &line)]),
                t("csv.bad_header_hint"),
            )
            .into());
        }
        candidates.push(Candidate {
            id: field(0),
            name: field(1),
            vars,
            hosts: BTreeMap::new(),
        });
    }
    Ok(candidates)
}

fn csv_error(origin: &str, error: &csv::Error) -> anyhow::Error {
    let line = error.position().map(|p| p.line()).unwrap_or(0);
    CliError::input(
        tf(
            "csv.invalid",
            &[("file", &origin), ("line", &line), ("message", &error)],
        ),
        t("csv.bad_header_hint"),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_after_name_become_variables() {
        let candidates = parse_candidates(
            "id;name;num\nc01;Alice Martin;1\nc02; Bruno Petit ;2\n",
            "c.csv",
        )
        .unwrap();
        insta::assert_debug_snapshot!(candidates);
    }

    #[test]
    fn a_missing_header_is_explained() {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let error = parse_candidates("c01,Alice\n", "c.csv").unwrap_err();
        insta::assert_snapshot!(format!("{error:#}"));
    }
}
