//! `constat coverage [PACK…]`: per critère of the référentiel, which checks cover it (A/B)
//! and which are left to the jury (C or uncovered).

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::grading::load_pack;
use crate::i18n::tf;
use clap::Args;
use std::io::Write;

/// Arguments of `coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Packs (identifiants intégrés ou fichiers) ; tous les packs intégrés si aucun.
    pub packs: Vec<String>,
}

/// Prints the coverage table.
pub fn run(
    args: CoverageArgs,
    format: crate::output::Format,
    out: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let specs: Vec<String> = if args.packs.is_empty() {
        constat_checks::packs()
            .iter()
            .map(|p| p.id.to_owned())
            .collect()
    } else {
        args.packs
    };
    let packs = specs
        .iter()
        .map(|s| load_pack(s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let refs: Vec<&constat_checker_core::pack::Pack> = packs.iter().collect();
    let coverage = constat_checks::coverage(&refs).ok_or_else(|| {
        anyhow::Error::from(CliError::input(
            tf("coverage.mixed", &[]),
            tf("coverage.mixed_hint", &[]),
        ))
    })?;
    if format == crate::output::Format::Json {
        crate::output::write_json(out, &coverage_json(&coverage))?;
        return Ok(ExitStatus::Success);
    }
    write!(
        out,
        "{}",
        constat_checks::render_coverage_in(&coverage, crate::grading::core_lang())
    )?;
    Ok(ExitStatus::Success)
}

/// The coverage as JSON: language-neutral assessments (`machine`, `machine_and_jury`, `jury`,
/// `uncovered`) and classes as the référentiel writes them.
fn coverage_json(coverage: &constat_checks::Coverage) -> serde_json::Value {
    use constat_checks::Assessment;
    let criteres: Vec<serde_json::Value> = coverage
        .criteres
        .iter()
        .map(|c| {
            serde_json::json!({
                "critere": c.critere,
                "class": constat_checks::docs::class(c.class),
                "scored": c.scored,
                "checks": c.checks,
                "assessment": match c.assessment {
                    Assessment::Machine => "machine",
                    Assessment::MachineAndJury => "machine_and_jury",
                    Assessment::Jury => "jury",
                    Assessment::Uncovered => "uncovered",
                },
            })
        })
        .collect();
    serde_json::json!({
        "referentiel": coverage.referentiel,
        "packs": coverage.packs,
        "profiles": coverage.profiles,
        "criteres": criteres,
    })
}
