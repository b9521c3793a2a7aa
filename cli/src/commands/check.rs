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
    /// Pack : identifiant d'un pack intégré ou fichier YAML (avec --submit, facultatif : le
    /// serveur dit alors quoi collecter).
    #[arg(long, required_unless_present = "submit")]
    pub pack: Option<String>,
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
    /// Envoie l'instantané au serveur du formateur (constat serve), qui le note : son adresse.
    #[arg(long, value_name = "URL")]
    pub submit: Option<String>,
    /// Code d'inscription de la classe (avec --submit).
    #[arg(long, requires = "submit", value_name = "CODE")]
    pub class: Option<String>,
    /// Fichier de la clé d'apprenant reçue à l'inscription (par défaut ~/constat-CODE.key).
    #[arg(long, requires = "submit", value_name = "FICHIER")]
    pub key: Option<PathBuf>,
    /// Empreinte SHA-256 du certificat du serveur à épingler (celle qu'affiche constat serve).
    #[arg(long, requires = "submit", value_name = "SHA256")]
    pub pin: Option<String>,
    /// Renvoie toutes les N secondes (5 au moins), jusqu'à Ctrl-C.
    #[arg(long, requires = "submit", value_name = "SECS")]
    pub watch: Option<u64>,
    /// Un hôte distant (SSH) au lieu de cette machine.
    #[command(flatten)]
    pub remote: crate::commands::check_remote::RemoteArgs,
}

/// Shortest `--watch` interval.
const MIN_WATCH_SECS: u64 = 5;

/// What `check --submit` collects: what a local pack reads, or what the server's collection
/// plan says (no `--pack`: the class's pack may exist only on the server).
enum Collection<'a> {
    /// `--pack`, and this machine's role in it.
    Pack(&'a constat_checker_core::pack::Pack, String),
    /// The server's plan.
    Server,
}

/// `check --submit`: collects, sends, prints the server's grading; with `--watch`, again
/// every N seconds (a refused or failed submission is reported and the loop goes on).
fn submit(
    args: &CheckArgs,
    collection: Collection<'_>,
    url: &str,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    use crate::submit_client::SubmitTarget;
    if let Some(secs) = args.watch
        && secs < MIN_WATCH_SECS
    {
        return Err(CliError::input(
            tf("submit.watch_too_short", &[("min", &MIN_WATCH_SECS)]),
            tf("submit.watch_hint", &[("min", &MIN_WATCH_SECS)]),
        )
        .into());
    }
    let target = SubmitTarget::new(
        url,
        args.class.as_deref(),
        args.key.as_deref(),
        args.pin.as_deref(),
    )?;
    let runtime = crate::runtime()?;
    runtime.block_on(target.check_reachable())?;
    let (pack, role, request) = match collection {
        Collection::Pack(pack, role) => (Some(pack), role, None),
        Collection::Server => {
            let plan = runtime.block_on(target.collection_plan())?;
            let roles: Vec<&str> = plan.roles.keys().map(String::as_str).collect();
            let role = pick_role_among(&plan.pack, &roles, args.role.as_deref())?;
            let request = plan.roles.get(&role).cloned().unwrap_or_default();
            (None, role, Some(request))
        }
    };
    let options = render_options(
        constat_checker_core::render::Audience::Learner,
        crate::output::stdout_color(format),
    );
    loop {
        let snapshot = match (pack, &request) {
            (Some(pack), _) => crate::grading::collect_local_for(pack, &role)?,
            (None, request) => {
                crate::grading::collect_local_with(request.clone().unwrap_or_default())?
            }
        };
        crate::grading::warn_when_not_root(&snapshot);
        let body = serde_json::to_vec(&snapshot)?;
        let outcome = runtime.block_on(target.submit(&role, body));
        let report = match (outcome, args.watch) {
            (Ok(report), _) => report,
            (Err(e), None) => return Err(e),
            (Err(e), Some(_)) => {
                crate::errors::report(&e, format, &mut std::io::stderr());
                std::thread::sleep(std::time::Duration::from_secs(
                    args.watch.unwrap_or(MIN_WATCH_SECS),
                ));
                continue;
            }
        };
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
                let page = target.page_url().unwrap_or_default();
                writeln!(
                    out,
                    "{}",
                    tf("submit.sent", &[("url", &target.url), ("page", &page)])
                )?;
            }
            Format::Json => write_json(out, &report)?,
        }
        out.flush()?;
        let Some(secs) = args.watch else {
            return Ok(if all_passed(&report) {
                ExitStatus::Success
            } else {
                ExitStatus::Failures
            });
        };
        std::thread::sleep(std::time::Duration::from_secs(secs));
    }
}

/// The role this machine plays: `--role`, else the pack's only role.
pub fn pick_role(
    pack: &constat_checker_core::pack::Pack,
    wanted: Option<&str>,
) -> anyhow::Result<String> {
    let roles: Vec<&str> = pack.hosts.keys().map(String::as_str).collect();
    pick_role_among(&pack.id, &roles, wanted)
}

/// `--role` if it is one of `roles`, else the only role.
fn pick_role_among(pack_id: &str, roles: &[&str], wanted: Option<&str>) -> anyhow::Result<String> {
    match wanted {
        Some(role) if roles.contains(&role) => Ok(role.to_owned()),
        None if roles.len() == 1 => Ok(roles[0].to_owned()),
        _ => Err(CliError::input(
            tf("check.role_needed", &[("pack", &pack_id)]),
            tf("grade.unknown_role_hint", &[("roles", &roles.join(", "))]),
        )
        .into()),
    }
}

/// Collects this machine and grades it.
pub fn run(args: CheckArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    // Without --pack (clap allows it only with --submit) the server says what to collect.
    let Some(pack_arg) = args.pack.as_deref() else {
        let url = args.submit.clone().unwrap_or_default();
        return submit(&args, Collection::Server, &url, format, out);
    };
    let pack = load_pack(pack_arg)?;
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
    if let Some(url) = &args.submit {
        return submit(&args, Collection::Pack(&pack, role), url, format, out);
    }
    let report = match &args.remote.host {
        Some(url) => crate::commands::check_remote::grade_remote_host(
            &pack,
            role,
            &args.remote,
            url,
            args.out.as_deref(),
        )?,
        None => grade_this_machine(&pack, role, "local", args.out.as_deref(), args.active_tests)?,
    };
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
                constat_checker_core::render::terminal(
                    &constat_checker_core::render::for_reader(&report, &options),
                    &options,
                )
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
