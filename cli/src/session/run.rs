//! `session run`: collects every host of a phase with bounded concurrency.
//!
//! Each host runs in its own task (at most `concurrency` at once); a host's failure is
//! recorded and never stops the others. Snapshots are written atomically with a `.sha256`
//! sidecar, and the manifest is rewritten after each host. With `resume`, a host whose
//! snapshot is on disk with a matching sha256 is not collected again.

use super::atomic::{sha256_hex, write_atomically};
use super::layout::SessionDir;
use super::manifest::{HostEntry, HostStatus, Manifest, Phase, PhaseRecord};
use super::progress::{Progress, ProgressMode};
use crate::credentials::CredentialStore;
use crate::grading::load_pack;
use crate::i18n::{t, tf};
use crate::inventory::{HostTarget, load_inventory, resolve_hosts};
use crate::transport::{CollectContext, HostError, KnownHosts, collect_host};
use constat_checker_core::pack::{file_requests, sections_for, unread_parts_for};
use constat_snapshot::FileRequest;
use constat_snapshot::time::rfc3339_utc;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Options of one run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Phase collected.
    pub phase: Phase,
    /// Skip hosts already collected.
    pub resume: bool,
    /// Override of the inventory's concurrency.
    pub concurrency: Option<usize>,
    /// Refuse unknown host keys (also enabled by the inventory).
    pub strict_host_keys: bool,
    /// Host keys the examiner accepts by fingerprint (`--accept-host-key`), by host field.
    pub accepted_host_keys: std::collections::BTreeMap<String, String>,
    /// Credentials file.
    pub credentials_file: Option<PathBuf>,
    /// Override of the per-host time limit, in seconds.
    pub host_timeout_s: Option<u64>,
    /// Override of the connect time limit, in seconds.
    pub connect_timeout_s: Option<u64>,
    /// Progress display.
    pub progress: ProgressMode,
    /// Only these candidates (empty: all); the others' snapshots are kept as they are.
    pub candidates: Vec<String>,
    /// Only these roles (empty: all).
    pub roles: Vec<String>,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunSummary {
    /// Phase.
    pub phase: Phase,
    /// Wall time of the run in milliseconds.
    pub duration_ms: u64,
    /// Hosts collected by this run.
    pub collected: Vec<String>,
    /// Hosts skipped because already collected (`--resume`).
    pub skipped: Vec<String>,
    /// Hosts that failed, with the cause.
    pub failed: Vec<FailedHost>,
}

/// A host that failed, with the cause.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FailedHost {
    /// `candidate/role`.
    pub host: String,
    /// Why.
    #[serde(flatten)]
    pub error: HostError,
}

pub(crate) fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    rfc3339_utc(secs)
}

/// Whether `entry`'s snapshot is on disk, intact.
pub(crate) fn is_intact(dir: &SessionDir, entry: &HostEntry) -> bool {
    let (Some(file), Some(sha)) = (&entry.file, &entry.sha256) else {
        return false;
    };
    let Ok(bytes) = std::fs::read(dir.file(file)) else {
        return false;
    };
    let sidecar = std::fs::read_to_string(dir.file(&format!("{file}.sha256"))).unwrap_or_default();
    let actual = sha256_hex(&bytes);
    &actual == sha && sidecar.split_whitespace().next() == Some(actual.as_str())
}

/// Keeps the hosts of `--candidates` and `--roles` (each empty = all); a name that matches no
/// host of the inventory is an error that lists the known ones.
fn select_subset(hosts: &mut Vec<HostTarget>, options: &RunOptions) -> anyhow::Result<()> {
    for (wanted, what, known) in [
        (
            &options.candidates,
            "--candidates",
            hosts
                .iter()
                .map(|h| h.candidate.clone())
                .collect::<Vec<_>>(),
        ),
        (
            &options.roles,
            "--roles",
            hosts.iter().map(|h| h.role.clone()).collect::<Vec<_>>(),
        ),
    ] {
        for name in wanted {
            if !known.contains(name) {
                let mut known = known.clone();
                known.sort();
                known.dedup();
                return Err(crate::errors::CliError::input(
                    tf("run.unknown_subset", &[("what", &what), ("name", name)]),
                    tf("run.unknown_subset_hint", &[("known", &known.join(", "))]),
                )
                .into());
            }
        }
    }
    hosts.retain(|h| {
        (options.candidates.is_empty() || options.candidates.contains(&h.candidate))
            && (options.roles.is_empty() || options.roles.contains(&h.role))
    });
    Ok(())
}

/// Collects one phase of the session in `dir`.
pub async fn run_phase(dir: &SessionDir, options: &RunOptions) -> anyhow::Result<RunSummary> {
    let started = Instant::now();
    dir.ensure_exists()?;
    let inventory = load_inventory(&dir.inventory())?;
    let mut hosts = resolve_hosts(&inventory)?;
    select_subset(&mut hosts, options)?;
    let manifest_path = dir.manifest();
    let mut manifest = if manifest_path.exists() {
        Manifest::load(&manifest_path)?
    } else {
        Manifest::new(inventory.session.clone())
    };
    let record = manifest
        .phases
        .entry(options.phase)
        .or_insert_with(|| PhaseRecord {
            frozen_at: now_rfc3339(),
            finished_at: None,
            runs: 0,
        });
    record.runs += 1;
    manifest
        .save(&manifest_path)
        .map_err(|e| crate::errors::cannot_write(&manifest_path, e))?;

    let credentials = Arc::new(CredentialStore::open(options.credentials_file.as_deref())?);
    credentials.prefetch(hosts.iter().filter_map(|h| h.cred.as_deref()));
    let known_hosts = Arc::new(
        KnownHosts::open(&dir.known_hosts())
            .map_err(|e| {
                anyhow::Error::new(e).context(tf(
                    "session.known_hosts",
                    &[("file", &dir.known_hosts().display())],
                ))
            })?
            .accepting(options.accepted_host_keys.clone()),
    );
    let settings = &inventory.settings;
    let ctx = CollectContext {
        credentials,
        known_hosts,
        strict_host_keys: options.strict_host_keys || settings.strict_host_keys,
        connect_timeout: Duration::from_secs(
            options
                .connect_timeout_s
                .unwrap_or(settings.connect_timeout_s),
        ),
        host_timeout: Duration::from_secs(
            options.host_timeout_s.unwrap_or(settings.host_timeout_s),
        ),
        request: FileRequest {
            paths: settings.request.clone(),
            head_bytes: None,
            sections: None,
            home_paths: Vec::new(),
            without: Vec::new(),
        },
        plugged: crate::transport::plugged_collectors(),
        session_id: Some(inventory.session.id.clone()),
    };
    // The files the pack's checks read, per role (only paths leave this machine, never
    // the pack), added to the inventory's own `settings.request`.
    // At the end phase, also only the sections the pack reads plus those the start/end
    // diff compares (the start phase stays full: it is the reference of every diff).
    let pack = match &inventory.session.pack {
        Some(spec) => Some(load_pack(&dir.pack_location(spec))?),
        None => None,
    };
    let pack_requests = pack.as_ref().map(file_requests).unwrap_or_default();
    let end_sections = |role: &str| match (&pack, options.phase) {
        (Some(pack), Phase::End) => (
            sections_for(pack, role, true),
            unread_parts_for(pack, role, true),
        ),
        _ => (None, Vec::new()),
    };
    let concurrency = options.concurrency.unwrap_or(settings.concurrency).max(1);
    let progress = Arc::new(Progress::new(options.progress));
    let manifest = Arc::new(Mutex::new(manifest));
    let mut summary = RunSummary {
        phase: options.phase,
        duration_ms: 0,
        collected: Vec::new(),
        skipped: Vec::new(),
        failed: Vec::new(),
    };
    let semaphore = Arc::new(Semaphore::new(concurrency));
    let mut tasks = JoinSet::new();
    for target in hosts {
        let label = target.label();
        if options.resume {
            let guard = manifest.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(entry) = guard.entry(&target.candidate, options.phase, &target.role)
                && entry.status == HostStatus::Collected
                && is_intact(dir, entry)
            {
                summary.skipped.push(label);
                continue;
            }
        }
        progress.start(&label, t("progress.waiting"));
        let semaphore = semaphore.clone();
        let mut ctx = ctx.clone();
        if let Some(request) = pack_requests.get(&target.role) {
            for path in &request.paths {
                if !ctx.request.paths.contains(path) {
                    ctx.request.paths.push(path.clone());
                }
            }
            for template in &request.home_paths {
                if !ctx.request.home_paths.contains(template) {
                    ctx.request.home_paths.push(template.clone());
                }
            }
            ctx.request.head_bytes = ctx.request.head_bytes.max(request.head_bytes);
        }
        (ctx.request.sections, ctx.request.without) = end_sections(&target.role);
        let progress = progress.clone();
        let manifest = manifest.clone();
        let dir = dir.clone();
        let phase = options.phase;
        tasks.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            progress.update(&label, t("progress.collecting"));
            let outcome = collect_and_store(&dir, &target, phase, &ctx, &manifest).await;
            match &outcome {
                Ok((ms, removed)) => {
                    let mut line = tf(
                        "progress.collected",
                        &[("seconds", &format!("{:.1}", *ms as f64 / 1000.0))],
                    );
                    if *removed > 0 {
                        line.push_str(&tf("progress.removed_stale", &[("count", removed)]));
                    }
                    progress.finish(&label, &line)
                }
                Err(error) => progress.finish(&label, &tf("progress.failed", &[("error", &error)])),
            }
            (label, outcome)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((label, Ok(_))) => summary.collected.push(label),
            Ok((label, Err(error))) => summary.failed.push(FailedHost { host: label, error }),
            Err(e) => return Err(anyhow::Error::new(e).context(t("session.task_failed"))),
        }
    }
    summary.collected.sort();
    summary.skipped.sort();
    summary.failed.sort_by(|a, b| a.host.cmp(&b.host));
    let mut guard = manifest.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(record) = guard.phases.get_mut(&options.phase) {
        record.finished_at = Some(now_rfc3339());
    }
    guard
        .save(&manifest_path)
        .map_err(|e| crate::errors::cannot_write(&manifest_path, e))?;
    summary.duration_ms = started.elapsed().as_millis() as u64;
    Ok(summary)
}

/// Collects one host and records the outcome; returns the duration in ms and the number
/// of stale files removed from the host.
async fn collect_and_store(
    dir: &SessionDir,
    target: &HostTarget,
    phase: Phase,
    ctx: &CollectContext,
    manifest: &Mutex<Manifest>,
) -> Result<(u64, usize), HostError> {
    let started = Instant::now();
    let result = collect_host(target, ctx).await;
    let duration_ms = started.elapsed().as_millis() as u64;
    let relative = SessionDir::snapshot_relative(&target.candidate, phase, &target.role);
    let previous = manifest
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(&target.candidate, phase, &target.role)
        .cloned();
    let previous_attempts = previous.as_ref().map(|e| e.attempts).unwrap_or(0);
    let mut entry = HostEntry {
        candidate: target.candidate.clone(),
        role: target.role.clone(),
        phase,
        transport: target.transport.as_str().to_owned(),
        address: target.address.clone(),
        status: HostStatus::Failed,
        file: None,
        sha256: None,
        collected_at: None,
        duration_ms,
        round_trips: 0,
        attempts: previous_attempts + 1,
        error: None,
        removed_stale: Vec::new(),
    };
    let outcome = match result {
        Ok(collected) => {
            let sha = sha256_hex(&collected.json);
            let written = write_atomically(&dir.file(&relative), &collected.json).and_then(|()| {
                write_atomically(
                    &dir.file(&format!("{relative}.sha256")),
                    format!("{sha}  {}.json\n", target.role).as_bytes(),
                )
            });
            entry.round_trips = collected.round_trips;
            entry.removed_stale = collected.removed_stale.clone();
            match written {
                Ok(()) => {
                    entry.status = HostStatus::Collected;
                    entry.file = Some(relative);
                    entry.sha256 = Some(sha);
                    entry.collected_at = Some(now_rfc3339());
                    Ok((duration_ms, collected.removed_stale.len()))
                }
                Err(e) => Err(HostError::new(
                    crate::transport::HostErrorKind::Other,
                    tf(
                        "session.write_failed",
                        &[("file", &relative), ("error", &e)],
                    ),
                )),
            }
        }
        Err(error) => Err(error),
    };
    if let Err(error) = &outcome {
        entry.error = Some(error.clone());
        // A failed retry never hides a snapshot collected earlier.
        if let Some(previous) = previous {
            entry.file = previous.file;
            entry.sha256 = previous.sha256;
            entry.collected_at = previous.collected_at;
        }
    }
    let mut guard = manifest.lock().unwrap_or_else(|p| p.into_inner());
    guard.upsert(entry);
    if let Err(e) = guard.save(&dir.manifest()) {
        return Err(HostError::new(
            crate::transport::HostErrorKind::Other,
            tf(
                "session.write_failed",
                &[("file", &"manifest.json"), ("error", &e)],
            ),
        ));
    }
    outcome
}
