//! `constat explain KIND|CHECK`: the documentation of a check kind, or of a check of an
//! embedded pack (title, critères, points, hint, explanation).

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::grading::load_pack;
use crate::i18n::tf;
use clap::Args;
use std::io::Write;

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Type de contrôle (ex. `user`, `firewall`) ou identifiant de contrôle d'un pack intégré
    /// (`cp3-users`, ou `tssr-2023-msp-titre/cp3-users` pour un seul pack).
    pub name: String,
}

/// Prints the documentation.
pub fn run(args: ExplainArgs, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    if let Some((_, doc)) = constat_checker_core::kind_docs()
        .into_iter()
        .find(|(kind, _)| *kind == args.name)
    {
        writeln!(out, "{}", doc.trim_end())?;
        return Ok(ExitStatus::Success);
    }
    // `PACK/CHECK` names one check; a bare id is looked up in every embedded pack (the
    // exam packs reuse the ids of the labs: each match is printed).
    let (wanted_pack, wanted_check) = match args.name.split_once('/') {
        Some((p, c)) => (Some(p), c),
        None => (None, args.name.as_str()),
    };
    let mut found = 0;
    for embedded in constat_checks::packs() {
        if wanted_pack.is_some_and(|p| p != embedded.id) {
            continue;
        }
        let pack = load_pack(embedded.id)?;
        if let Some(check) = pack.checks().find(|c| c.id == wanted_check) {
            if found > 0 {
                writeln!(out)?;
            }
            found += 1;
            writeln!(out, "{} — {}", check.id, check.title)?;
            writeln!(out, "pack : {} ({})", pack.id, pack.title)?;
            writeln!(out, "critères : {}", check.criteres.join(", "))?;
            writeln!(out, "hôtes : {}", check.hosts.join(", "))?;
            writeln!(out, "points : {}", check.points)?;
            if check.penalty > 0.0 {
                writeln!(out, "pénalité : {}", check.penalty)?;
            }
            if !check.requires.is_empty() {
                writeln!(out, "prérequis : {}", check.requires.join(", "))?;
            }
            if check.active {
                writeln!(out, "test actif : exécute le script avec --active-tests")?;
            }
            if let Some(h) = &check.hint {
                writeln!(out, "indice : {h}")?;
            }
            if let Some(e) = &check.explanation {
                writeln!(out, "explication : {e}")?;
            }
        }
    }
    if found > 0 {
        return Ok(ExitStatus::Success);
    }
    let kinds: Vec<&str> = constat_checker_core::kind_docs()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    Err(CliError::input(
        tf("explain.unknown", &[("name", &args.name)]),
        tf("explain.unknown_hint", &[("kinds", &kinds.join(", "))]),
    )
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(name: &str) -> String {
        let mut out = Vec::new();
        run(
            ExplainArgs {
                name: name.to_owned(),
            },
            &mut out,
        )
        .unwrap_or_else(|e| panic!("explain {name}: {e}"));
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn explains_the_script_kind_with_its_active_test() {
        insta::assert_snapshot!(explained("script"));
    }

    #[test]
    fn explains_the_ad_user_kind() {
        insta::assert_snapshot!(explained("ad_user"));
    }

    #[test]
    fn explains_a_check_of_one_pack_or_of_every_pack_using_the_id() {
        insta::assert_snapshot!(format!(
            "{}\n=====\n{}",
            explained("tssr-2023-msp-titre/cp4-firewall-not-open"),
            explained("cp3-users")
        ));
    }
}
