//! `constat grade`: pack + snapshot files → report (terminal, JSON, and files with `--out`).

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::grading::{all_passed, load_pack, now_rfc3339, render_options};
use crate::i18n::tf;
use crate::output::{Format, write_json};
use clap::{Args, ValueEnum};
use constat_checker_core::render::Audience;
use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
use constat_snapshot::Snapshot;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Who reads the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    /// Jury : tout, avec les explications.
    Examiner,
    /// Formateur : tout, avec les indices.
    Trainer,
    /// Apprenant : indices, jamais les valeurs attendues.
    Learner,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Audience {
        match a {
            AudienceArg::Examiner => Audience::Examiner,
            AudienceArg::Trainer => Audience::Trainer,
            AudienceArg::Learner => Audience::Learner,
        }
    }
}

/// Arguments of `grade`.
#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Pack : identifiant d'un pack intégré (ex. `demo`) ou fichier YAML.
    #[arg(long)]
    pub pack: String,
    /// Instantané de fin par rôle : `ROLE=fichier.json` (répétable).
    #[arg(long = "snapshot", value_name = "ROLE=FICHIER", required = true)]
    pub snapshots: Vec<String>,
    /// Instantané de début par rôle : `ROLE=fichier.json` (répétable).
    #[arg(long = "start", value_name = "ROLE=FICHIER")]
    pub starts: Vec<String>,
    /// Identifiant du candidat.
    #[arg(long, default_value = "candidat")]
    pub candidate: String,
    /// Variable propre au candidat : `NOM=valeur` (répétable).
    #[arg(long = "var", value_name = "NOM=VALEUR")]
    pub vars: Vec<String>,
    /// Profil de session (titre, ccp1, ccp2, lab) à la place de celui du pack.
    #[arg(long)]
    pub profile: Option<String>,
    /// Public du rapport.
    #[arg(long, value_enum, default_value_t = AudienceArg::Examiner)]
    pub audience: AudienceArg,
    /// Dossier où écrire report.json, report.html et report.md (ou les formats de --report).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Rapports à écrire.
    #[command(flatten)]
    pub reports: crate::reports::ReportArgs,
}

/// Splits `ROLE=VALUE`.
pub fn split_pair(text: &str) -> anyhow::Result<(String, String)> {
    text.split_once('=')
        .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .ok_or_else(|| {
            CliError::input(
                tf("grade.bad_pair", &[("value", &text)]),
                tf("grade.bad_pair_hint", &[]),
            )
            .into()
        })
}

fn read_snapshot(path: &str) -> anyhow::Result<Snapshot> {
    let text = crate::local_input::read_local(
        std::path::Path::new(path),
        crate::local_input::InputKind::Snapshot,
    )?;
    Snapshot::from_json(&text).map_err(|e| {
        CliError::input(
            tf("grade.snapshot_invalid", &[("file", &path), ("error", &e)]),
            tf("grade.snapshot_unreadable_hint", &[]),
        )
        .into()
    })
}

/// « Fichiers écrits : a, b » (paths terminal-escaped: they come from the command line).
pub fn written_line(written: &[PathBuf]) -> String {
    let files: Vec<String> = written
        .iter()
        .map(|p| {
            constat_checker_core::render::escape::terminal(&p.display().to_string()).into_owned()
        })
        .collect();
    tf("report.written", &[("files", &files.join(", "))])
}

/// Grades snapshot files.
pub fn run(args: GradeArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let pack = load_pack(&args.pack)?;
    // A bad --report is refused before anything is read.
    args.reports.requests()?;
    let mut hosts: BTreeMap<String, HostObservation> = BTreeMap::new();
    for pair in &args.snapshots {
        let (role, file) = split_pair(pair)?;
        if !pack.hosts.contains_key(&role) {
            return Err(CliError::input(
                tf("grade.unknown_role", &[("role", &role), ("pack", &pack.id)]),
                tf(
                    "grade.unknown_role_hint",
                    &[(
                        "roles",
                        &pack.hosts.keys().cloned().collect::<Vec<_>>().join(", "),
                    )],
                ),
            )
            .into());
        }
        let snapshot = read_snapshot(&file)?;
        hosts.insert(
            role,
            HostObservation {
                end: Observed::Snapshot(Box::new(snapshot)),
                start: None,
            },
        );
    }
    for pair in &args.starts {
        let (role, file) = split_pair(pair)?;
        let snapshot = read_snapshot(&file)?;
        if let Some(host) = hosts.get_mut(&role) {
            host.start = Some(Observed::Snapshot(Box::new(snapshot)));
        }
    }
    let mut variables = BTreeMap::new();
    for pair in &args.vars {
        let (k, v) = split_pair(pair)?;
        variables.insert(k, v);
    }
    let input = CandidateInput {
        id: args.candidate.clone(),
        name: None,
        variables,
        hosts,
        expected_identity: BTreeMap::new(),
    };
    let report = grade(
        &pack,
        &input,
        &GradeOptions {
            graded_at: now_rfc3339(),
            profile: args.profile.clone(),
            timezone: None,
        },
    );
    let options = render_options(args.audience.into(), crate::output::stdout_color(format));
    let written = crate::reports::write_single(
        &args.reports,
        args.out.as_deref(),
        "report",
        &report,
        &options,
    )?;
    match format {
        Format::Human => {
            write!(
                out,
                "{}",
                constat_checker_core::render::terminal(
                    &constat_checker_core::render::for_reader(&report, &options),
                    &options,
                )
            )?;
            if let Some(dir) = &args.out
                && args.reports.report.is_empty()
            {
                writeln!(out, "{}", tf("grade.written", &[("dir", &dir.display())]))?;
            } else if !written.is_empty() {
                writeln!(out, "{}", written_line(&written))?;
            }
        }
        Format::Json => write_json(
            out,
            &constat_checker_core::render::for_reader(&report, &options),
        )?,
    }
    Ok(if all_passed(&report) {
        ExitStatus::Success
    } else {
        ExitStatus::Failures
    })
}
