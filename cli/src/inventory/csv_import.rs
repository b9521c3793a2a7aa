//! Candidates from a CSV file (`id,name[,variable...]`, header required): each extra column
//! becomes a per-candidate variable for `${...}` templates, except `idnumber` and `email`, the
//! candidate's gradebook identity (`--report moodle`).

use super::model::Candidate;
use super::names::{NameProblem, check_display_name, check_name};
use crate::errors::CliError;
use crate::i18n::{t, tf};
use crate::local_input::{InputKind, read_local};
use std::collections::BTreeMap;
use std::path::Path;

/// Columns that are the candidate's gradebook identity, not variables.
const GRADEBOOK_COLUMNS: [&str; 2] = ["idnumber", "email"];

/// Reads candidates from `path`.
pub fn import_candidates(path: &Path) -> anyhow::Result<Vec<Candidate>> {
    let shown = path.display().to_string();
    let text = read_local(path, InputKind::Csv)?;
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
    let mut seen: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(origin, &e))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
        let vars: BTreeMap<String, String> = headers
            .iter()
            .enumerate()
            .skip(2)
            .filter(|(_, name)| !GRADEBOOK_COLUMNS.contains(&name.as_str()))
            .map(|(i, name)| (name.clone(), field(i)))
            .collect();
        let gradebook = |column: &str| {
            headers
                .iter()
                .position(|h| h == column)
                .map(field)
                .filter(|v| !v.is_empty())
        };
        if field(0).is_empty() {
            return Err(CliError::input(
                tf("csv.empty_id", &[("file", &origin), ("line", &line)]),
                t("csv.bad_header_hint"),
            )
            .into());
        }
        let bad = |what: &str, value: &str, problem: NameProblem| -> anyhow::Error {
            CliError::input(
                tf(
                    "csv.bad_name",
                    &[
                        ("file", &origin),
                        ("line", &line),
                        ("what", &what),
                        ("value", &value),
                        ("reason", &problem.describe()),
                    ],
                ),
                t("inventory.bad_name_at_hint"),
            )
            .into()
        };
        check_name(&field(0)).map_err(|p| bad("id", &field(0), p))?;
        check_display_name(&field(1)).map_err(|p| bad("name", &field(1), p))?;
        let folded = field(0).to_ascii_lowercase();
        if let Some((first, first_line)) = seen.get(&folded) {
            return Err(CliError::input(
                tf(
                    "csv.duplicate",
                    &[
                        ("file", &origin),
                        ("line", &line),
                        ("id", &field(0)),
                        ("first", first),
                        ("first_line", first_line),
                    ],
                ),
                t("inventory.duplicate_candidate_hint"),
            )
            .into());
        }
        seen.insert(folded, (field(0), line));
        candidates.push(Candidate {
            id: field(0),
            name: field(1),
            vars,
            idnumber: gradebook("idnumber"),
            email: gradebook("email"),
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

    /// `idnumber` and `email` columns are the gradebook identity, not variables.
    #[test]
    fn gradebook_columns_are_not_variables() {
        let candidates = parse_candidates(
            "id,name,email,num,idnumber\nc01,Alice Martin,alice@example.org,1,2026-001\nc02,Bruno Petit,,2,\n",
            "c.csv",
        )
        .unwrap();
        assert_eq!(candidates[0].email.as_deref(), Some("alice@example.org"));
        assert_eq!(candidates[0].idnumber.as_deref(), Some("2026-001"));
        assert_eq!(candidates[1].email, None);
        assert_eq!(candidates[0].vars.keys().collect::<Vec<_>>(), vec!["num"]);
    }

    /// Ids that would collide with the session's files or each other, or exceed a file-name
    /// limit, are refused with the CSV line.
    #[test]
    fn reserved_long_and_duplicate_ids_name_their_line() {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let long = "a".repeat(252);
        let mut out = String::new();
        for body in [
            "c01,A\nknown_hosts,B\n".to_owned(),
            "c01,A\nSummary,B\n".to_owned(),
            format!("c01,A\n{long},B\n"),
            "c01,A\nc02,B\nC01,C\n".to_owned(),
            "c01,A\n.hidden,B\n".to_owned(),
            "c01,\"A\u{1b}]0;x\u{7}\"\n".to_owned(),
        ] {
            let error = parse_candidates(&format!("id,name\n{body}"), "c.csv").unwrap_err();
            out.push_str(&format!("{error:#}\n"));
        }
        insta::assert_snapshot!(constat_checker_core::render::escape::terminal_lines(&out));
    }

    #[test]
    fn a_missing_header_is_explained() {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let error = parse_candidates("c01,Alice\n", "c.csv").unwrap_err();
        insta::assert_snapshot!(format!("{error:#}"));
    }
}
