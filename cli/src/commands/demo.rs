//! `constat demo`: the whole loop on this machine — collect with the local agent, grade with
//! the embedded `demo` pack, write `constat-demo/report.html`, print the summary.

use crate::commands::check::pick_role;
use crate::exit_status::ExitStatus;
use crate::grading::{grade_this_machine, load_pack, render_options};
use crate::i18n::tf;
use crate::output::{Format, write_json};
use clap::Args;
use constat_checker_core::render::Audience;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Dossier de sortie.
    #[arg(long, default_value = "constat-demo")]
    pub out: PathBuf,
    /// Rapports à écrire (report.html toujours).
    #[command(flatten)]
    pub reports: crate::reports::ReportArgs,
}

/// Runs the demo.
pub fn run(args: DemoArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let pack = load_pack("demo")?;
    let role = pick_role(&pack, None)?;
    let report = grade_this_machine(&pack, role, "demo", Some(&args.out), false)?;
    let color = crate::output::stdout_color(format);
    let options = render_options(Audience::Trainer, color);
    // report.html is what the demo points to: always written, beside any --report asked.
    let mut reports = args.reports.clone();
    if !reports.report.is_empty() {
        reports.report.push("html".to_owned());
    }
    let written =
        crate::reports::write_single(&reports, Some(&args.out), "report", &report, &options)?;
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
            writeln!(
                out,
                "{}",
                tf(
                    "demo.written",
                    &[("html", &args.out.join("report.html").display())]
                )
            )?;
            if !args.reports.report.is_empty() {
                writeln!(out, "{}", crate::commands::grade::written_line(&written))?;
            }
        }
        Format::Json => write_json(out, &report)?,
    }
    // The demo always succeeds when it ran: failed checks on this machine are the point.
    Ok(ExitStatus::Success)
}
