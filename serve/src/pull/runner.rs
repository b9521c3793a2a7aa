//! One pull run of a class: claimed in the store (never two at once, even across instances
//! sharing a database), its hosts collected by the [`PullEngine`], each candidate graded as
//! soon as all its hosts are in — the same grading, storage and live fan-out as a learner's
//! submission — and each host's failure recorded with its cause for the grid. A run is
//! bounded by the inventory's own time limits; past them, the hosts still out are failed.

use super::engine::{HostKey, HostKeySeen, InventoryPlan, PullJob, PulledHost};
use crate::grading::{ClassPack, grade_observed};
use crate::i18n::{Lang, tf};
use crate::random::hex;
use crate::state::AppState;
use crate::store::{
    Class, Id, NewSubmission, PullFailure, PullHostKey, PullHostStatus, PullRun, SeenHostKey,
};
use constat_checker_core::pack::{file_requests, sections_for, unread_parts_for};
use constat_checker_core::{HostFailure, Observed};
use constat_snapshot::Snapshot;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Extra time a run is given beyond the inventory's limits before its lease ends.
const LEASE_MARGIN_SECS: i64 = 60;

/// Whether a pull started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullStart {
    /// Running in the background.
    Started,
    /// Another run holds the class.
    AlreadyRunning,
    /// The class has no inventory.
    NoInventory,
    /// This server was started without a pull engine.
    Disabled,
    /// The stored inventory is no longer accepted (its diagnostics), or the store failed.
    Refused(String),
}

/// Starts a pull of `class` in the background.
pub async fn start_pull(state: &AppState, class: &Class, lang: Lang) -> PullStart {
    let Some(engine) = state.pull.clone() else {
        return PullStart::Disabled;
    };
    let config = match state.store.pull_config(class.id).await {
        Ok(Some(config)) => config,
        Ok(None) => return PullStart::NoInventory,
        Err(e) => return PullStart::Refused(e.to_string()),
    };
    let plan = match engine.check_inventory(&config.inventory.yaml, &config.inventory.source, lang)
    {
        Ok(plan) => plan,
        Err(diagnostics) => return PullStart::Refused(diagnostics),
    };
    let now = state.now();
    let lease = plan.time_limit_secs + LEASE_MARGIN_SECS;
    match state.store.claim_pull(class.id, now, lease).await {
        Ok(true) => {}
        Ok(false) => return PullStart::AlreadyRunning,
        Err(e) => return PullStart::Refused(e.to_string()),
    }
    let state = state.clone();
    let class = class.clone();
    tokio::spawn(async move {
        let run = run(&state, &class, plan, config.inventory.yaml, now, lang).await;
        if let Err(e) = state.store.finish_pull(class.id, run).await {
            eprintln!("constat serve: pull of class {}: {e}", class.id);
        }
    });
    PullStart::Started
}

/// The candidates of a run and what is known of their hosts so far.
struct Pending {
    learner: Id,
    name: String,
    roles: Vec<String>,
    hosts: BTreeMap<String, Result<String, PullFailure>>,
}

async fn run(
    state: &AppState,
    class: &Class,
    plan: InventoryPlan,
    inventory: String,
    started_at: i64,
    lang: Lang,
) -> PullRun {
    let mut summary = PullRun {
        started_at,
        finished_at: started_at,
        collected: 0,
        failed: 0,
        error: None,
    };
    let ended = |mut summary: PullRun, error: Option<String>| {
        summary.finished_at = state.now();
        summary.error = error;
        summary
    };
    let Some(engine) = state.pull.clone() else {
        return ended(summary, None);
    };
    let pack = match state.packs.get(class) {
        Ok(pack) => pack,
        Err(e) => return ended(summary, Some(e)),
    };
    let candidates = plan
        .candidates
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let learners = match state
        .store
        .pull_learners(class.id, candidates, started_at)
        .await
    {
        Ok(learners) => learners.into_iter().collect::<HashMap<_, _>>(),
        Err(e) => return ended(summary, Some(e.to_string())),
    };
    let mut pending: HashMap<String, Pending> = plan
        .candidates
        .iter()
        .filter_map(|c| {
            Some((
                c.id.clone(),
                Pending {
                    learner: *learners.get(&c.id)?,
                    name: c.name.clone(),
                    roles: c.hosts.iter().map(|h| h.role.clone()).collect(),
                    hosts: BTreeMap::new(),
                },
            ))
        })
        .collect();
    let trusted = match state.store.pull_host_keys(class.id).await {
        Ok(keys) => keys
            .into_iter()
            .map(|k| (k.host.clone(), k))
            .collect::<HashMap<_, _>>(),
        Err(e) => return ended(summary, Some(e.to_string())),
    };
    let job = PullJob {
        class_id: class.id,
        inventory,
        requests: {
            // Each role's paths, and the optional parts (pending updates) no check reads.
            let mut requests = file_requests(&pack.pack);
            for role in pack.pack.hosts.keys() {
                let without = unread_parts_for(&pack.pack, role, false);
                if !without.is_empty() {
                    requests.entry(role.clone()).or_default().without = without;
                }
            }
            requests
        },
        sections: pack
            .pack
            .hosts
            .keys()
            .map(|role| (role.clone(), sections_for(&pack.pack, role, false)))
            .collect(),
        max_snapshot_bytes: state.settings.limits.max_submission_bytes as u64,
        host_keys: trusted
            .iter()
            .map(|(host, k)| (host.clone(), k.key.clone()))
            .collect(),
    };
    let (sender, mut outcomes) = mpsc::unbounded_channel::<PulledHost>();
    let mut collecting = tokio::spawn(engine.collect(job, sender));
    let deadline = tokio::time::Instant::now()
        + Duration::from_secs(plan.time_limit_secs.max(1).unsigned_abs());
    let mut error = None;
    loop {
        tokio::select! {
            host = outcomes.recv() => {
                let Some(host) = host else { break };
                let Some(candidate) = pending.get_mut(&host.candidate) else { continue };
                let outcome = match host.host_key {
                    Some(seen) => {
                        let whose = (candidate.learner, candidate.name.as_str(), host.role.as_str());
                        host_key(state, class.id, whose, seen, &trusted, lang, host.outcome).await
                    }
                    None => host.outcome,
                };
                candidate.hosts.insert(host.role, outcome);
                if candidate.roles.iter().all(|r| candidate.hosts.contains_key(r))
                    && let Some(done) = pending.remove(&host.candidate)
                {
                    let (collected, failed) =
                        record(state, class, &pack, done, plan.timezone.clone()).await;
                    summary.collected += collected;
                    summary.failed += failed;
                }
            }
            () = tokio::time::sleep_until(deadline) => {
                collecting.abort();
                error = Some(tf(lang, "pull_err_overtime", &[("secs", &plan.time_limit_secs)]));
                break;
            }
        }
    }
    if error.is_none() {
        match (&mut collecting).await {
            Ok(Ok(())) => {}
            Ok(Err(cause)) => error = Some(cause),
            Err(e) => error = Some(e.to_string()),
        }
    }
    // Hosts that never reported (the run stopped): failed, with the run's cause.
    let cause = error.clone().unwrap_or_default();
    for (_, mut candidate) in pending.drain() {
        for role in candidate.roles.clone() {
            candidate.hosts.entry(role).or_insert_with(|| {
                Err(PullFailure {
                    status: "collection_failed".to_owned(),
                    kind: "other".to_owned(),
                    cause: cause.clone(),
                })
            });
        }
        let (collected, failed) =
            record(state, class, &pack, candidate, plan.timezone.clone()).await;
        summary.collected += collected;
        summary.failed += failed;
    }
    ended(summary, error)
}

/// Records a host key the engine saw for the first time (trust on first use, shared by the
/// instances on the store) or refused (kept for the trainer to accept on the class page);
/// answers the host's outcome, refused when another key won meanwhile, and worded for the
/// class page when the key changed (whose host, which, both fingerprints, how to accept) or
/// was unknown to an inventory that accepts known keys only (how to have it trusted).
async fn host_key(
    state: &AppState,
    class_id: Id,
    (learner_id, learner, role): (Id, &str, &str),
    seen: HostKeySeen,
    trusted: &HashMap<String, PullHostKey>,
    lang: Lang,
    outcome: Result<String, PullFailure>,
) -> Result<String, PullFailure> {
    let now = state.now();
    let stored = |key: &HostKey| SeenHostKey {
        host: key.host.clone(),
        key: key.key.clone(),
        fingerprint: key.fingerprint.clone(),
        learner_id,
        role: role.to_owned(),
    };
    let (presented, old) = match seen {
        HostKeySeen::FirstUse(key) => {
            match state
                .store
                .trust_host_key(class_id, stored(&key), now)
                .await
            {
                Ok(None) => return outcome,
                Ok(Some(recorded)) => (key, recorded.fingerprint),
                Err(e) => {
                    return Err(PullFailure {
                        status: "collection_failed".to_owned(),
                        kind: "host_key".to_owned(),
                        cause: tf(lang, "pull_host_key_unsaved", &[("error", &e)]),
                    });
                }
            }
        }
        HostKeySeen::Unknown(key) => {
            return Err(PullFailure {
                status: "collection_failed".to_owned(),
                kind: "host_key".to_owned(),
                // Short enough for the grid cell, which names the learner and the role.
                cause: tf(
                    lang,
                    "pull_host_key_unknown",
                    &[("fingerprint", &key.fingerprint)],
                ),
            });
        }
        HostKeySeen::Refused(key) => {
            let old = trusted
                .get(&key.host)
                .map_or_else(String::new, |k| k.fingerprint.clone());
            (key, old)
        }
    };
    if let Err(e) = state
        .store
        .offer_host_key(class_id, stored(&presented), now)
        .await
    {
        eprintln!("constat serve: pull of class {class_id}: {e}");
    }
    Err(PullFailure {
        status: "collection_failed".to_owned(),
        kind: "host_key".to_owned(),
        cause: tf(
            lang,
            "pull_host_key_changed",
            &[
                ("learner", &learner),
                ("role", &role),
                ("host", &presented.host),
                ("old", &old),
                ("new", &presented.fingerprint),
            ],
        ),
    })
}

/// What a failed host is for the checker core.
fn observed_failure(failure: &PullFailure) -> Observed {
    let cause = failure.cause.clone();
    match failure.status.as_str() {
        "unreachable" => Observed::Unreachable { cause },
        "auth_refused" => Observed::Failed {
            failure: HostFailure::AuthRefused,
            cause,
        },
        "sudo_refused" => Observed::Failed {
            failure: HostFailure::SudoRefused,
            cause,
        },
        _ => Observed::Failed {
            failure: HostFailure::CollectionFailed,
            cause,
        },
    }
}

/// A snapshot as a host sent it: parsed and scrubbed again (the candidate is root on the
/// VM and may have replaced the agent), or why it is refused.
fn checked_snapshot(json: &str) -> Result<Snapshot, PullFailure> {
    let refused = |cause: String| PullFailure {
        status: "collection_failed".to_owned(),
        kind: "bad_output".to_owned(),
        cause,
    };
    let mut snapshot = Snapshot::from_json(json).map_err(|e| refused(e.to_string()))?;
    constat_snapshot::secrets::scrub_sections(&mut snapshot.sections)
        .map_err(|e| refused(e.to_string()))?;
    Ok(snapshot)
}

/// Grades and stores one candidate whose hosts are all in; returns the hosts collected and
/// failed. With no snapshot at all, only the failures are recorded: the learner's last
/// graded result stays on the grid (a failed pull never hides an earlier one).
async fn record(
    state: &AppState,
    class: &Class,
    pack: &Arc<ClassPack>,
    candidate: Pending,
    timezone: Option<String>,
) -> (i64, i64) {
    let now = state.now();
    let mut statuses = Vec::new();
    let mut observed = BTreeMap::new();
    let mut snapshots = BTreeMap::new();
    for (role, outcome) in candidate.hosts {
        let checked = outcome.and_then(|json| checked_snapshot(&json));
        statuses.push(PullHostStatus {
            learner_id: candidate.learner,
            role: role.clone(),
            attempted_at: now,
            failure: checked.as_ref().err().cloned(),
        });
        match checked {
            Ok(snapshot) => {
                snapshots.insert(role.clone(), serde_json::to_value(&snapshot).ok());
                observed.insert(role, Observed::Snapshot(Box::new(snapshot)));
            }
            Err(failure) => {
                observed.insert(role, observed_failure(&failure));
            }
        }
    }
    let collected = snapshots.len() as i64;
    let failed = statuses.len() as i64 - collected;
    let store = &state.store;
    if snapshots.is_empty() {
        if let Err(e) = store
            .record_pull_hosts(class.id, candidate.learner, statuses, true)
            .await
        {
            eprintln!("constat serve: pull of class {}: {e}", class.id);
        }
        return (collected, failed);
    }
    let roles: Vec<&str> = snapshots.keys().map(String::as_str).collect();
    let role = roles.join("+");
    // One host: its snapshot; several: an object by role.
    let snapshot_json = if snapshots.len() == 1 {
        snapshots.values().next().cloned().flatten()
    } else {
        serde_json::to_value(&snapshots).ok()
    }
    .map(|v| v.to_string())
    .unwrap_or_default();
    let graded_pack = Arc::clone(pack);
    let graded_class = class.clone();
    let learner = (candidate.learner, candidate.name.clone());
    let report = tokio::task::spawn_blocking(move || {
        grade_observed(
            &graded_pack,
            &graded_class,
            (learner.0, &learner.1),
            observed,
            timezone,
            now,
        )
    })
    .await;
    let report = match report {
        Ok(report) => report,
        Err(e) => {
            eprintln!("constat serve: pull of class {}: grading: {e}", class.id);
            return (collected, failed);
        }
    };
    let stored = async {
        store
            .record_pull_hosts(class.id, candidate.learner, statuses, false)
            .await?;
        let report_json = serde_json::to_string(&report)
            .map_err(|e| crate::store::StoreError::Database(e.to_string()))?;
        store
            .record_submission(NewSubmission {
                learner_id: candidate.learner,
                class_id: class.id,
                received_at: now,
                role,
                body_sha256: hex(&Sha256::digest(snapshot_json.as_bytes())),
                snapshot_json,
                report_json,
                percent: report.total.percent,
            })
            .await
    };
    if let Err(e) = stored.await {
        eprintln!("constat serve: pull of class {}: {e}", class.id);
    }
    (collected, failed)
}
