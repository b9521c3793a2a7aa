//! Glue between the CLI and the checker core: load a pack (embedded id or file), collect this
//! machine for a pack's role, grade, and write report files.

use crate::errors::CliError;
use crate::i18n::{Lang, lang, tf};
use crate::local_input::{InputKind, read_local};
use crate::session::write_atomically;
use constat_agent::{CollectOptions, FEW_WORKERS, LocalHost};
use constat_checker_core::pack::{
    Pack, file_requests, load_with, narrow_request, render_diagnostics_in, script_run_requests,
};
use constat_checker_core::render::{Audience, RenderOptions};
use constat_checker_core::report::Report;
use constat_snapshot::{FileRequest, Snapshot, time::rfc3339_utc};
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Loads a pack: an embedded pack id (`demo`, `lab-cp3-linux`) or a YAML file path.
pub fn load_pack(spec: &str) -> anyhow::Result<Pack> {
    let (name, text) = match constat_checks::find(spec) {
        Some(embedded) => (embedded.file_name.to_owned(), embedded.text.to_owned()),
        None => {
            let path = Path::new(spec);
            if !path.exists() {
                return Err(CliError::input(
                    tf("pack.unreadable", &[("pack", &spec)]),
                    tf("pack.unreadable_hint", &[("ids", &embedded_ids())]),
                )
                .into());
            }
            let text = read_local(path, InputKind::Pack)?;
            (spec.to_owned(), text)
        }
    };
    crate::output::verbose(&tf("verbose.pack", &[("pack", &name)]));
    load_with(&name, &text, &crate::pack_sources::CliSources).map_err(|diagnostics| {
        CliError::input(
            format!(
                "{}\n{}",
                tf(
                    "pack.invalid",
                    &[("pack", &name), ("count", &diagnostics.len())]
                ),
                render_diagnostics_in(&diagnostics, core_lang()).trim_end()
            ),
            tf("pack.invalid_hint", &[]),
        )
        .into()
    })
}

/// The CLI's language for the core's texts.
pub fn core_lang() -> constat_checker_core::i18n::Lang {
    match lang() {
        Lang::Fr => constat_checker_core::i18n::Lang::Fr,
        Lang::En => constat_checker_core::i18n::Lang::En,
    }
}

/// Sections the Linux agent collects (the others are Windows or appliance sections).
const LINUX_SECTIONS: &[&str] = &[
    "users",
    "groups",
    "sudo",
    "files",
    "services",
    "processes",
    "packages",
    "scheduled_jobs",
    "backups",
    "listening",
    "network",
    "firewall",
    "shares",
    "sshd",
    "storage",
];

/// Sections a non-root collection could not read fully (`not_collected`/`error`, or what
/// only root may read), named to the user.
fn unseen_sections(snapshot: &Snapshot) -> Vec<String> {
    let value = serde_json::to_value(&snapshot.sections).unwrap_or_default();
    let mut unseen: Vec<String> = value
        .as_object()
        .map(|sections| {
            sections
                .iter()
                .filter(|(name, _)| LINUX_SECTIONS.contains(&name.as_str()))
                .filter(|(_, s)| s.get("status").and_then(|v| v.as_str()) != Some("collected"))
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    unseen.sort();
    unseen
}

/// `constat check` as a non-root user sees less (shadow, sudoers, other users' crontabs, the
/// owners of sockets): says so on stderr, with what it could not see, instead of grading a
/// partial view silently.
pub(crate) fn warn_when_not_root(snapshot: &Snapshot) {
    if is_root() {
        return;
    }
    let unseen = unseen_sections(snapshot);
    let list = if unseen.is_empty() {
        "-".to_owned()
    } else {
        unseen.join(", ")
    };
    eprintln!(
        "{}",
        constat_checker_core::render::escape::terminal_lines(&tf(
            "check.not_root",
            &[("sections", &list)]
        ))
        .trim_end()
    );
}

/// Whether this process runs as root: effective uid 0 in /proc/self/status (`Uid:` real,
/// effective, saved, fs). Unreadable: assumed root, so no false warning.
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|e| e == "0"))
        })
        .unwrap_or(true)
}

/// Ids of the packs embedded in this build, comma-separated.
pub fn embedded_ids() -> String {
    constat_checks::packs()
        .iter()
        .map(|p| p.id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collects this machine with the file requests the pack needs for `role`, and only the
/// sections (and optional parts, such as pending updates) its checks read (no start
/// snapshot is diffed here).
pub fn collect_local_for(pack: &Pack, role: &str) -> anyhow::Result<Snapshot> {
    let mut request = file_requests(pack).remove(role).unwrap_or_default();
    narrow_request(pack, role, false, &mut request);
    collect_local_with(request)
}

/// Collects this machine as `request` says (paths, sections): a `constat serve` class's
/// collection plan.
pub fn collect_local_with(request: FileRequest) -> anyhow::Result<Snapshot> {
    Ok(constat_agent::collect(
        Arc::new(LocalHost::live()),
        &CollectOptions {
            request,
            only: Vec::new(),
            workers: collect_workers(std::env::var("CONSTAT_COLLECT_WORKERS"))?,
        },
    ))
}

/// Worker threads of the in-process collection: grading shares the process, so a few
/// ([`FEW_WORKERS`]), not one thread heap per collector; `CONSTAT_COLLECT_WORKERS` (0 = one
/// per collector, as the agent) overrides it, for a machine with more cores or to compare
/// (BENCHMARKS.md).
fn collect_workers(var: Result<String, std::env::VarError>) -> anyhow::Result<usize> {
    let value = match var {
        Err(std::env::VarError::NotPresent) => return Ok(FEW_WORKERS),
        Ok(value) => value,
        Err(std::env::VarError::NotUnicode(v)) => v.to_string_lossy().into_owned(),
    };
    value
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| *n <= 64)
        .ok_or_else(|| anyhow::anyhow!(tf("error.collect_workers", &[("value", &value)])))
}

/// The current time in RFC 3339 UTC (the core never reads a clock; the CLI does).
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    rfc3339_utc(secs)
}

/// Render options in the CLI's language.
pub fn render_options(audience: Audience, color: bool) -> RenderOptions {
    RenderOptions {
        lang: match lang() {
            Lang::Fr => constat_checker_core::i18n::Lang::Fr,
            Lang::En => constat_checker_core::i18n::Lang::En,
        },
        audience,
        color,
    }
}

/// Whether every assessable check of the report passed (skipped and not assessable checks
/// are not failures).
pub fn all_passed(report: &Report) -> bool {
    use constat_checker_core::report::Outcome;
    report
        .checks
        .iter()
        .all(|c| !matches!(c.outcome, Outcome::Fail | Outcome::Partial { .. }))
}

/// Collects this machine as `role` of the pack and grades it; with `keep_snapshot`, the
/// snapshot is also written there as `snapshot.json`. With `active_tests` (the caller checked
/// that the pack allows them), the pack's script runs are performed and recorded in the
/// snapshot's `script_runs` section first.
pub fn grade_this_machine(
    pack: &Pack,
    role: String,
    candidate_id: &str,
    keep_snapshot: Option<&Path>,
    active_tests: bool,
) -> anyhow::Result<Report> {
    crate::output::verbose(&tf("verbose.collect", &[("role", &role)]));
    let mut snapshot = collect_local_for(pack, &role)?;
    warn_when_not_root(&snapshot);
    if active_tests {
        let requests = script_run_requests(pack).remove(&role).unwrap_or_default();
        snapshot.sections.script_runs = match crate::script_runner::RunAs::unprivileged() {
            Ok(run_as) => constat_snapshot::Section::collected(crate::script_runner::run_all(
                &requests, &run_as,
            )),
            Err(e) => constat_snapshot::Section::error(e),
        };
    }
    if let Some(dir) = keep_snapshot {
        crate::private_fs::create_private_dir_all(dir)
            .map_err(|e| crate::errors::cannot_use_dir(dir, e))?;
        let mut json = serde_json::to_vec_pretty(&snapshot)?;
        json.push(b'\n');
        let path = dir.join("snapshot.json");
        write_atomically(&path, &json).map_err(|e| crate::errors::cannot_write(&path, e))?;
    }
    Ok(grade_snapshot(pack, role, candidate_id, snapshot))
}

/// Grades one snapshot as `role` of the pack (no start snapshot, no variables).
pub fn grade_snapshot(pack: &Pack, role: String, candidate_id: &str, snapshot: Snapshot) -> Report {
    use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
    let mut hosts = std::collections::BTreeMap::new();
    hosts.insert(
        role,
        HostObservation {
            end: Observed::Snapshot(Box::new(snapshot)),
            start: None,
        },
    );
    let input = CandidateInput {
        id: candidate_id.to_owned(),
        name: None,
        variables: std::collections::BTreeMap::new(),
        expected_identity: Default::default(),
        hosts,
    };
    grade(
        pack,
        &input,
        &GradeOptions {
            graded_at: now_rfc3339(),
            profile: None,
            timezone: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::collect_workers;
    use std::env::VarError;

    /// Unset: a few workers; a number up to 64 is taken; anything else is refused with the
    /// value and the accepted range.
    #[test]
    fn collect_workers_from_the_environment() {
        assert_eq!(
            collect_workers(Err(VarError::NotPresent)).unwrap(),
            constat_agent::FEW_WORKERS
        );
        assert_eq!(collect_workers(Ok("0".to_owned())).unwrap(), 0);
        assert_eq!(collect_workers(Ok(" 4 ".to_owned())).unwrap(), 4);
        for bad in ["", "two", "-1", "65"] {
            let e = collect_workers(Ok(bad.to_owned())).unwrap_err().to_string();
            assert!(
                e.contains(bad) && e.contains("CONSTAT_COLLECT_WORKERS"),
                "{e}"
            );
        }
    }
}
