//! `constat explain KIND|CHECK`: the documentation of a check kind, or of a check of an
//! embedded pack (title, critères, points, hint, explanation).

use crate::errors::CliError;
use crate::exit_status::ExitStatus;
use crate::grading::{core_lang, load_pack};
use crate::i18n::tf;
use crate::output::{Format, write_json};
use clap::Args;
use std::io::Write;

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Type de contrôle (ex. `user`, `firewall`) ou identifiant de contrôle d'un pack intégré
    /// (`cp3-users`, ou `tssr-2023-msp-titre/cp3-users` pour un seul pack).
    pub name: String,
}

/// Prints the documentation in the `--lang` language (with `--format json`:
/// `{"kind", "lang", "doc"}` for a kind, or the list of matching checks with neutral fields).
pub fn run(args: ExplainArgs, format: Format, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let lang = core_lang();
    if let Some((kind, doc)) = constat_checker_core::kind_docs_in(lang)
        .into_iter()
        .find(|(kind, _)| *kind == args.name)
    {
        let lang_code = match lang {
            constat_checker_core::i18n::Lang::Fr => "fr",
            constat_checker_core::i18n::Lang::En => "en",
        };
        match format {
            Format::Json => write_json(
                out,
                &serde_json::json!({ "kind": kind, "lang": lang_code, "doc": doc }),
            )?,
            Format::Human => writeln!(out, "{}", doc.trim_end())?,
        }
        return Ok(ExitStatus::Success);
    }
    // `PACK/CHECK` names one check; a bare id is looked up in every embedded pack (the
    // exam packs reuse the ids of the labs: each match is printed).
    let (wanted_pack, wanted_check) = match args.name.split_once('/') {
        Some((p, c)) => (Some(p), c),
        None => (None, args.name.as_str()),
    };
    let mut found = Vec::new();
    for embedded in constat_checks::packs() {
        if wanted_pack.is_some_and(|p| p != embedded.id) {
            continue;
        }
        let pack = load_pack(embedded.id)?;
        if let Some(check) = pack.checks().find(|c| c.id == wanted_check) {
            // The pack author's English forms in English, where written (else French).
            found.push(serde_json::json!({
                "id": check.id,
                "title": check.title_in(lang),
                "pack": pack.id,
                "pack_title": pack.title_in(lang),
                "criteres": check.criteres,
                "hosts": check.hosts,
                "points": check.points,
                "penalty": check.penalty,
                "requires": check.requires,
                "active": check.active,
                "hint": check.hint_in(lang),
                "explanation": check.explanation_in(lang),
                "origin": check.origin.as_ref().map(|o| serde_json::json!({
                    "file": o.file,
                    "line": o.line,
                    "col": o.col,
                    "renamed_from": o.renamed_from,
                    "included_line": o.included_line,
                    "included_col": o.included_col,
                    "overridden": o.overridden.iter().map(|(field, at)| {
                        serde_json::json!({"field": field, "at": at})
                    }).collect::<Vec<_>>(),
                })),
            }));
        }
    }
    if found.is_empty() {
        let kinds: Vec<&str> = constat_checker_core::kind_docs()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        return Err(CliError::input(
            tf("explain.unknown", &[("name", &args.name)]),
            tf("explain.unknown_hint", &[("kinds", &kinds.join(", "))]),
        )
        .into());
    }
    if format == Format::Json {
        write_json(out, &found)?;
        return Ok(ExitStatus::Success);
    }
    for (i, c) in found.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let text = |key: &str| c[key].as_str().unwrap_or_default().to_owned();
        let list = |key: &str| {
            c[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        };
        writeln!(out, "{} — {}", text("id"), text("title"))?;
        writeln!(
            out,
            "{}",
            tf(
                "explain.pack",
                &[("pack", &text("pack")), ("title", &text("pack_title"))]
            )
        )?;
        writeln!(
            out,
            "{}",
            tf("explain.criteres", &[("list", &list("criteres"))])
        )?;
        writeln!(out, "{}", tf("explain.hosts", &[("list", &list("hosts"))]))?;
        writeln!(
            out,
            "{}",
            tf(
                "explain.points",
                &[("points", &c["points"].as_f64().unwrap_or_default())]
            )
        )?;
        if c["penalty"].as_f64().unwrap_or(0.0) > 0.0 {
            writeln!(
                out,
                "{}",
                tf(
                    "explain.penalty",
                    &[("points", &c["penalty"].as_f64().unwrap_or_default())]
                )
            )?;
        }
        if !list("requires").is_empty() {
            writeln!(
                out,
                "{}",
                tf("explain.requires", &[("list", &list("requires"))])
            )?;
        }
        if c["active"].as_bool() == Some(true) {
            writeln!(out, "{}", tf("explain.active", &[]))?;
        }
        write_origin(out, &c["origin"])?;
        if c["hint"].is_string() {
            writeln!(out, "{}", tf("explain.hint", &[("text", &text("hint"))]))?;
        }
        if c["explanation"].is_string() {
            writeln!(
                out,
                "{}",
                tf("explain.explanation", &[("text", &text("explanation"))])
            )?;
        }
    }
    Ok(ExitStatus::Success)
}

/// Where an included check comes from (`origin` of the JSON form), and what was overridden.
fn write_origin(out: &mut dyn Write, origin: &serde_json::Value) -> anyhow::Result<()> {
    if !origin.is_object() {
        return Ok(());
    }
    let text = |key: &str| origin[key].as_str().unwrap_or_default().to_owned();
    let number = |key: &str| origin[key].as_u64().unwrap_or_default();
    writeln!(
        out,
        "{}",
        tf(
            "explain.origin",
            &[
                ("file", &text("file")),
                ("line", &number("line")),
                ("col", &number("col")),
                ("included", &number("included_line")),
            ]
        )
    )?;
    if origin["renamed_from"].is_string() {
        writeln!(
            out,
            "{}",
            tf("explain.renamed", &[("id", &text("renamed_from"))])
        )?;
    }
    for o in origin["overridden"].as_array().into_iter().flatten() {
        let field = o["field"].as_str().unwrap_or_default();
        let at = o["at"].as_str().unwrap_or_default();
        writeln!(
            out,
            "{}",
            tf("explain.overridden", &[("field", &field), ("at", &at)])
        )?;
    }
    Ok(())
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
            Format::Human,
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

    /// `explain`, `coverage` and `propose` honour `--format json` (issue 14 item 7).
    #[test]
    fn explain_speaks_json() {
        let mut out = Vec::new();
        run(
            ExplainArgs {
                name: "cp3-users".to_owned(),
            },
            Format::Json,
            &mut out,
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(value.as_array().is_some_and(|a| !a.is_empty()), "{value}");
        assert!(value[0]["criteres"].is_array());
        let mut out = Vec::new();
        run(
            ExplainArgs {
                name: "user".to_owned(),
            },
            Format::Json,
            &mut out,
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["kind"], "user");
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
