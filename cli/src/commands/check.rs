//! `constat check`: collect this machine and grade it against a pack, with hints — the
//! learner's and trainer's everyday command.

use crate::commands::grade::AudienceArg;
use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::grading::{all_passed, grade_this_machine, load_pack, render_options};
use crate::i18n::tf;
use crate::output::{Format, write_json};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Pack : identifiant d'un pack intégré ou fichier YAML.
    #[arg(long)]
    pub pack: String,
    /// Rôle de cette machine dans le pack (par défaut le seul rôle Linux du pack).
    #[arg(long)]
    pub role: Option<String>,
    /// Public du rapport (apprenant par défaut : indices, sans les valeurs attendues).
    #[arg(long, value_enum, default_value_t = AudienceArg::Learner)]
    pub audience: AudienceArg,
    /// Dossier où écrire report.json, report.html, report.md et snapshot.json.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Exécute les scripts des tests actifs du pack (seulement si le pack l'autorise), en tant
    /// que nobody, dans un dossier jetable, avec une limite de temps.
    #[arg(long)]
    pub active_tests: bool,
    /// Rapports à écrire.
    #[command(flatten)]
    pub reports: crate::reports::ReportArgs,
}

/// The role this machine plays: `--role`, else the pack's only role.
pub fn pick_role(
    pack: &constat_checker_core::pack::Pack,
    wanted: Option<&str>,
) -> anyhow::Result<String> {
    let roles: Vec<&String> = pack.hosts.keys().collect();
    match wanted {
        Some(role) if pack.hosts.contains_key(role) => Ok(role.to_owned()),
        None if roles.len() == 1 => Ok(roles[0].clone()),
        _ => Err(CliError::input(
            tf("check.role_needed", &[("pack", &pack.id)]),
            tf(
                "grade.unknown_role_hint",
                &[(
                    "roles",
                    &roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            ),
        )
        .into()),
    }
}

/// Collects this machine and grades it.
pub fn run(args: CheckArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let pack = load_pack(&args.pack)?;
    let role = pick_role(&pack, args.role.as_deref())?;
    // A bad --report is refused before anything is collected.
    args.reports.requests()?;
    if args.active_tests && !pack.active_tests {
        return Err(CliError::input(
            tf("check.active_refused", &[("pack", &pack.id)]),
            tf("check.active_refused_hint", &[]),
        )
        .into());
    }
    let report = grade_this_machine(&pack, role, "local", args.out.as_deref(), args.active_tests)?;
    let color = crate::output::stdout_color(format);
    let options = render_options(args.audience.into(), color);
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
                constat_checker_core::render::terminal(&report, &options)
            )?;
            if !args.reports.report.is_empty() {
                writeln!(out, "{}", crate::commands::grade::written_line(&written))?;
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
