//! `--report FORMAT[=PATH]` and `--csv-dialect`: which report files a grading command writes
//! (`grade`, `check`, `session run`, `session regrade`), and writing them.
//!
//! `--report html,json,junit,md,csv,moodle` (comma-separated, repeatable) writes each format
//! into `--out` (or the session's `reports/`); `--report junit=PATH` writes one format at
//! PATH. Without `--report`, today's files: `json`, `html`, `md` (and `csv` for a session).

use crate::errors::CliError;
use crate::i18n::{t, tf};
use crate::session::write_atomically;
use clap::{Args, ValueEnum};
use constat_checker_core::render::{self, CsvDialect, GradebookId, RenderOptions};
use constat_checker_core::report::Report;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A report file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum ReportFormat {
    /// The report as a web page.
    Html,
    /// The report as JSON (`schemas/report.schema.json`).
    Json,
    /// JUnit XML: one test case per check.
    Junit,
    /// Markdown.
    Md,
    /// The jury grid (one row per critère).
    Csv,
    /// The Moodle gradebook import file.
    Moodle,
}

impl ReportFormat {
    /// Every format, in the order files are written.
    pub const ALL: [ReportFormat; 6] = [
        ReportFormat::Html,
        ReportFormat::Json,
        ReportFormat::Junit,
        ReportFormat::Md,
        ReportFormat::Csv,
        ReportFormat::Moodle,
    ];

    /// The name given on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Json => "json",
            ReportFormat::Junit => "junit",
            ReportFormat::Md => "md",
            ReportFormat::Csv => "csv",
            ReportFormat::Moodle => "moodle",
        }
    }

    /// File name extension (`report.junit.xml`).
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Json => "json",
            ReportFormat::Junit => "junit.xml",
            ReportFormat::Md => "md",
            ReportFormat::Csv => "csv",
            ReportFormat::Moodle => "moodle.csv",
        }
    }

    fn parse(text: &str) -> anyhow::Result<ReportFormat> {
        let text = text.trim();
        ReportFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                CliError::input(
                    tf("report.unknown_format", &[("value", &text)]),
                    tf("report.unknown_format_hint", &[("formats", &names())]),
                )
                .into()
            })
    }
}

fn names() -> String {
    ReportFormat::ALL
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which spreadsheet convention CSV files follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CsvDialectArg {
    /// Tableur français : BOM UTF-8, `;`, virgule décimale.
    #[default]
    Fr,
    /// International : `,`, point décimal, sans BOM.
    Intl,
}

/// The report options shared by every command that grades.
#[derive(Debug, Clone, Default, Args)]
pub struct ReportArgs {
    /// Rapports à écrire : `html,json,junit,md,csv,moodle` (dans --out ou reports/), ou
    /// `FORMAT=CHEMIN` (répétable). Par défaut : json, html et md (et csv pour une session).
    #[arg(long = "report", value_name = "FORMAT[=CHEMIN]")]
    pub report: Vec<String>,
    /// Forme des CSV : `fr` (tableur français : BOM, `;`, virgule décimale) ou `intl`
    /// (`,`, point décimal, sans BOM).
    #[arg(long, value_enum, default_value_t = CsvDialectArg::Fr)]
    pub csv_dialect: CsvDialectArg,
}

/// One file to write: a format, and where when the user said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    /// Format.
    pub format: ReportFormat,
    /// Explicit path (`FORMAT=PATH`).
    pub path: Option<PathBuf>,
}

impl ReportArgs {
    /// The requested files, one per format (a later `--report` for the same format wins),
    /// sorted by format; empty when `--report` was not given.
    pub fn requests(&self) -> anyhow::Result<Vec<ReportRequest>> {
        let mut by_format: BTreeMap<ReportFormat, Option<PathBuf>> = BTreeMap::new();
        for value in &self.report {
            if let Some((format, path)) = value.split_once('=') {
                let format = ReportFormat::parse(format)?;
                if path.trim().is_empty() {
                    return Err(CliError::input(
                        tf("report.empty_path", &[("value", &value)]),
                        t("report.empty_path_hint"),
                    )
                    .into());
                }
                by_format.insert(format, Some(PathBuf::from(path)));
            } else {
                for name in value.split(',').filter(|n| !n.trim().is_empty()) {
                    by_format.insert(ReportFormat::parse(name)?, None);
                }
            }
        }
        Ok(by_format
            .into_iter()
            .map(|(format, path)| ReportRequest { format, path })
            .collect())
    }

    /// The CSV convention.
    pub fn dialect(&self) -> CsvDialect {
        match self.csv_dialect {
            CsvDialectArg::Fr => CsvDialect::French,
            CsvDialectArg::Intl => CsvDialect::International,
        }
    }
}

fn write_named(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomically(path, bytes).map_err(|e| crate::errors::cannot_write(path, e))?;
    crate::output::verbose(&tf("verbose.written", &[("file", &path.display())]));
    Ok(())
}

/// One report in `format`.
pub fn render_one(
    report: &Report,
    options: &RenderOptions,
    format: ReportFormat,
    dialect: CsvDialect,
) -> anyhow::Result<Vec<u8>> {
    // What this audience may see, in every format (a learner's JSON has no expected value
    // either), with neutral words displayed in the report's language.
    let report = &render::for_reader(report, options);
    Ok(match format {
        ReportFormat::Html => render::html(report, options).into_bytes(),
        ReportFormat::Json => {
            let mut json = serde_json::to_vec_pretty(report)?;
            json.push(b'\n');
            json
        }
        ReportFormat::Junit => render::junit(report, options).into_bytes(),
        ReportFormat::Md => render::markdown(report, options).into_bytes(),
        ReportFormat::Csv => render::csv_with(report, options, dialect).into_bytes(),
        ReportFormat::Moodle => {
            render::moodle_csv(std::slice::from_ref(report), &BTreeMap::new()).into_bytes()
        }
    })
}

/// Writes one candidate's report files for `grade` and `check`: the requested formats (at
/// their path, else `<out>/<stem>.<ext>`), or without `--report` today's `json`, `html` and
/// `md` into `out`. Returns the paths written.
pub fn write_single(
    args: &ReportArgs,
    out: Option<&Path>,
    stem: &str,
    report: &Report,
    options: &RenderOptions,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut requests = args.requests()?;
    if requests.is_empty() {
        if out.is_none() {
            return Ok(Vec::new());
        }
        requests = [ReportFormat::Html, ReportFormat::Json, ReportFormat::Md]
            .into_iter()
            .map(|format| ReportRequest { format, path: None })
            .collect();
    }
    let mut written = Vec::new();
    for request in requests {
        let path = match (&request.path, out) {
            (Some(path), _) => path.clone(),
            (None, Some(dir)) => dir.join(format!("{stem}.{}", request.format.extension())),
            (None, None) => {
                return Err(CliError::input(
                    tf("report.needs_out", &[("format", &request.format.name())]),
                    tf(
                        "report.needs_out_hint",
                        &[("format", &request.format.name())],
                    ),
                )
                .into());
            }
        };
        let bytes = render_one(report, options, request.format, args.dialect())?;
        write_named(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// What a session writes: per-candidate formats (`html`, `json`, `md`, `junit`, `csv`) into
/// `reports/<candidate>.<ext>`, and the session files: `summary.html` (with `html`),
/// `jury.csv` (with `csv`), `junit.xml` (with `junit`), `moodle.csv` (with `moodle`); a path
/// is accepted for the session files only.
#[derive(Debug, Clone)]
pub struct SessionReports {
    /// Formats, with an explicit path for the session files.
    pub requests: Vec<ReportRequest>,
    /// CSV convention.
    pub dialect: CsvDialect,
}

impl Default for SessionReports {
    fn default() -> SessionReports {
        SessionReports {
            requests: [
                ReportFormat::Html,
                ReportFormat::Json,
                ReportFormat::Md,
                ReportFormat::Csv,
            ]
            .into_iter()
            .map(|format| ReportRequest { format, path: None })
            .collect(),
            dialect: CsvDialect::French,
        }
    }
}

impl SessionReports {
    /// From the command line: `--report` (default: html, json, md, csv) and `--csv-dialect`.
    pub fn from_args(args: &ReportArgs) -> anyhow::Result<SessionReports> {
        let requests = args.requests()?;
        for request in &requests {
            if request.path.is_some()
                && matches!(
                    request.format,
                    ReportFormat::Html | ReportFormat::Json | ReportFormat::Md
                )
            {
                return Err(CliError::input(
                    tf("report.session_path", &[("format", &request.format.name())]),
                    t("report.session_path_hint"),
                )
                .into());
            }
        }
        let mut reports = SessionReports {
            dialect: args.dialect(),
            ..SessionReports::default()
        };
        if !requests.is_empty() {
            reports.requests = requests;
        }
        Ok(reports)
    }

    /// Whether `format` is written.
    pub fn wants(&self, format: ReportFormat) -> bool {
        self.requests.iter().any(|r| r.format == format)
    }

    /// Where the session file of `format` goes: its explicit path, else `reports/<name>`.
    pub fn session_file(&self, format: ReportFormat, reports: &Path, name: &str) -> PathBuf {
        self.requests
            .iter()
            .find(|r| r.format == format)
            .and_then(|r| r.path.clone())
            .unwrap_or_else(|| reports.join(name))
    }

    /// Writes one candidate's files (the per-candidate formats) into `dir`.
    pub fn write_candidate(
        &self,
        dir: &Path,
        report: &Report,
        options: &RenderOptions,
    ) -> anyhow::Result<()> {
        crate::private_fs::create_private_dir_all(dir).map_err(|e| {
            anyhow::anyhow!(tf(
                "session.write_failed",
                &[("file", &dir.display()), ("error", &e)]
            ))
        })?;
        for request in &self.requests {
            if request.format == ReportFormat::Moodle {
                continue;
            }
            let bytes = render_one(report, options, request.format, self.dialect)?;
            let path = dir.join(format!(
                "{}.{}",
                report.candidate.id,
                request.format.extension()
            ));
            write_named(&path, &bytes)?;
        }
        Ok(())
    }

    /// The session files: `(path, bytes)` for each requested one.
    pub fn session_files(
        &self,
        dir: &Path,
        reports: &[Report],
        summary: &constat_checker_core::report::SessionSummary,
        ids: &BTreeMap<String, GradebookId>,
        options: &RenderOptions,
    ) -> Vec<(PathBuf, String)> {
        let mut files = Vec::new();
        if self.wants(ReportFormat::Html) {
            files.push((
                dir.join("summary.html"),
                render::session_html(summary, options),
            ));
        }
        if self.wants(ReportFormat::Csv) {
            files.push((
                self.session_file(ReportFormat::Csv, dir, "jury.csv"),
                render::session_csv_with(reports, options, self.dialect),
            ));
        }
        if self.wants(ReportFormat::Junit) {
            files.push((
                self.session_file(ReportFormat::Junit, dir, "junit.xml"),
                // The reader's copies, like every single report (English pack texts).
                render::junit_session(
                    &reports
                        .iter()
                        .map(|r| render::for_reader(r, options))
                        .collect::<Vec<_>>(),
                    options,
                ),
            ));
        }
        if self.wants(ReportFormat::Moodle) {
            files.push((
                self.session_file(ReportFormat::Moodle, dir, "moodle.csv"),
                render::moodle_csv(reports, ids),
            ));
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(values: &[&str]) -> ReportArgs {
        ReportArgs {
            report: values.iter().map(|v| (*v).to_owned()).collect(),
            csv_dialect: CsvDialectArg::Fr,
        }
    }

    #[test]
    fn lists_paths_and_repeats() {
        let requests = args(&["json,JUnit", "csv=/tmp/x.csv", "json=out.json"])
            .requests()
            .unwrap();
        assert_eq!(
            requests,
            vec![
                ReportRequest {
                    format: ReportFormat::Json,
                    path: Some(PathBuf::from("out.json"))
                },
                ReportRequest {
                    format: ReportFormat::Junit,
                    path: None
                },
                ReportRequest {
                    format: ReportFormat::Csv,
                    path: Some(PathBuf::from("/tmp/x.csv"))
                },
            ]
        );
        assert!(args(&[]).requests().unwrap().is_empty());
    }

    #[test]
    fn unknown_formats_and_empty_paths_are_named() {
        let e = args(&["html,pdf"]).requests().unwrap_err();
        let e = e.downcast::<CliError>().unwrap();
        assert!(e.message.contains("pdf"), "{}", e.message);
        assert!(e.hint.unwrap().contains("moodle"));
        let e = args(&["junit="]).requests().unwrap_err();
        assert!(e.downcast::<CliError>().unwrap().message.contains("junit="));
        let e = SessionReports::from_args(&args(&["html=x.html"])).unwrap_err();
        assert!(e.downcast::<CliError>().unwrap().message.contains("html"));
    }
}
