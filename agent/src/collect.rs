//! Runs every collector with its own time budget and assembles the snapshot.
//!
//! Collectors run on worker threads: one per collector by default (the agent), or a few
//! (`CollectOptions::workers`: `constat check`, whose peak memory grows with each thread's
//! heap). A collector's budget counts from its own start. A collector that panics or overruns
//! its budget has its sections recorded as `error`; the others go on (a worker stuck past a
//! budget is abandoned and replaced). Results are applied in registry order, so the snapshot
//! does not depend on thread timing or on the number of workers.

use crate::collectors::{self, identity};
use crate::host::Host;
use constat_snapshot::{
    CollectionMeta, CollectorRun, FileRequest, SCHEMA_VERSION, Section, Sections, Snapshot,
    time::rfc3339_utc,
};
use std::collections::VecDeque;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::context::{Collector, Context, Update};

/// Options of one collection.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// Files the checker asked for.
    pub request: FileRequest,
    /// Collect only these collectors (by name); all when empty.
    pub only: Vec<String>,
    /// Worker threads running the collectors; 0 = one per collector (every collector
    /// starts at once). Fewer workers hold fewer thread heaps and stacks: `constat check`
    /// runs its in-process collection on [`FEW_WORKERS`].
    pub workers: usize,
}

/// Workers of an in-process collection that shares the process with grading (`constat
/// check`): half the peak memory of one thread per collector (BENCHMARKS.md), the same
/// wall time on a 2-core machine.
pub const FEW_WORKERS: usize = 2;

/// What a worker tells the collection.
enum Event {
    /// Collector `index` starts now.
    Started(usize, Instant),
    /// Collector `index` finished (its update, or the panic message) after this long.
    Done(usize, Result<Update, String>, Duration),
}

/// Collectors not started yet: registry index and function.
type Queue = Arc<Mutex<VecDeque<(usize, fn(&Context) -> Update)>>>;

/// Starts one worker: it takes collectors from `queue` until none is left.
fn spawn_worker(queue: &Queue, ctx: &Context, tx: &mpsc::Sender<Event>) {
    let (queue, ctx, tx) = (Arc::clone(queue), ctx.clone(), tx.clone());
    thread::spawn(move || {
        loop {
            let next = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None);
            let Some((index, run)) = next else { break };
            let start = Instant::now();
            if tx.send(Event::Started(index, start)).is_err() {
                break;
            }
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&ctx)))
                .map_err(|payload| panic_message(&*payload));
            if tx
                .send(Event::Done(index, result, start.elapsed()))
                .is_err()
            {
                break;
            }
        }
    });
}

/// Collects a snapshot of `host`.
pub fn collect(host: Arc<dyn Host>, options: &CollectOptions) -> Snapshot {
    let started = SystemTime::now();
    let t0 = Instant::now();
    let ctx = Context {
        host,
        request: Arc::new(options.request.clone()),
    };
    let identity = identity::collect(&ctx);
    let registry = collectors::registry();
    let mut sections = Sections::default();
    let mut runs = Vec::new();
    // Applied once every status is set: each writes only its collector's sections.
    let mut updates: Vec<Update> = Vec::new();
    let (tx, rx) = mpsc::channel::<Event>();
    let mut pending = Vec::new();
    let mut unrequested: Vec<&str> = Vec::new();
    let queue: Queue = Arc::new(Mutex::new(VecDeque::new()));
    for (index, collector) in registry.iter().enumerate() {
        if !options.only.is_empty() && !options.only.iter().any(|o| o == collector.name) {
            continue;
        }
        if !requested(collector, &options.request) {
            unrequested.extend(collector.sections.iter().copied());
            continue;
        }
        pending.push(index);
        if let Ok(mut q) = queue.lock() {
            q.push_back((index, collector.run));
        }
    }
    let workers = match options.workers {
        0 => pending.len(),
        n => n.min(pending.len()),
    };
    for _ in 0..workers {
        spawn_worker(&queue, &ctx, &tx);
    }
    // Wait for each collector up to its budget, counted from its own start.
    let mut began: Vec<Option<Instant>> = registry.iter().map(|_| None).collect();
    let mut done: Vec<Option<(Result<Update, String>, Duration)>> =
        registry.iter().map(|_| None).collect();
    while pending.iter().any(|&i| done[i].is_none()) {
        let next_deadline = pending
            .iter()
            .filter(|&&i| done[i].is_none())
            .filter_map(|&i| Some(began[i]? + registry[i].budget))
            .min();
        // Nothing running yet: a worker is about to say which collector it started.
        let wait = next_deadline.map_or(Duration::from_secs(1), |d| {
            d.saturating_duration_since(Instant::now())
        });
        match rx.recv_timeout(wait) {
            Ok(Event::Started(i, at)) => began[i] = Some(at),
            Ok(Event::Done(i, result, elapsed)) => {
                if done[i].is_none() {
                    done[i] = Some((result, elapsed));
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) if next_deadline.is_none() => {
                // Collectors wait in the queue and none runs: no worker is left to take them.
                spawn_worker(&queue, &ctx, &tx);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                for &i in &pending {
                    let overrun = began[i].is_some_and(|at| at + registry[i].budget <= now);
                    if done[i].is_none() && overrun {
                        let budget = registry[i].budget.as_secs_f64();
                        done[i] = Some((
                            Err(format!("timed out after {budget:.1} s")),
                            registry[i].budget,
                        ));
                        // Its worker may never come back: another one takes the queue.
                        spawn_worker(&queue, &ctx, &tx);
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    drop(tx);
    for &i in &pending {
        let collector = &registry[i];
        let (result, elapsed) = done[i]
            .take()
            .unwrap_or_else(|| (Err("collector vanished".to_owned()), Duration::ZERO));
        let timed_out = matches!(&result, Err(m) if m.starts_with("timed out"));
        match result {
            Ok(update) => updates.push(update),
            Err(message) => {
                for name in collector.sections {
                    set_error(
                        &mut sections,
                        name,
                        &format!("collector {}: {message}", collector.name),
                    );
                }
            }
        }
        runs.push(CollectorRun {
            name: collector.name.to_owned(),
            duration_ms: elapsed.as_millis() as u64,
            status: collector
                .sections
                .first()
                .copied()
                .unwrap_or_default()
                .to_owned(),
            timed_out,
        });
    }
    mark_not_applicable(&mut sections, registry);
    let skipped: Vec<&str> = registry
        .iter()
        .enumerate()
        .filter(|(i, _)| !pending.contains(i))
        .flat_map(|(_, c)| c.sections.iter().copied())
        .filter(|name| !unrequested.contains(name))
        .collect();
    if !unrequested.is_empty() {
        set_sections(
            &mut sections,
            &unrequested,
            &Section::not_collected("not requested (the checks read no data from this section)"),
        );
    }
    if !skipped.is_empty() {
        set_sections(
            &mut sections,
            &skipped,
            &Section::not_collected("not requested (collection limited with --only)"),
        );
    }
    for update in updates {
        update(&mut sections);
    }
    // What constat never keeps: secret-looking values in any text a collector kept.
    if let Err(e) = constat_snapshot::secrets::scrub_sections(&mut sections) {
        let all: Vec<&str> = registry
            .iter()
            .flat_map(|c| c.sections.iter().copied())
            .collect();
        sections = Sections::default();
        set_sections(
            &mut sections,
            &all,
            &Section::error(format!(
                "internal error: secret scrubbing failed ({e}); nothing kept, please report it"
            )),
        );
    }
    // Statuses are read once, after every update: `status` holds the first section's key
    // until here.
    for run in &mut runs {
        run.status = match sections.status_of(&run.status) {
            Some("collected") => "collected",
            Some("not_collected") => "not_collected",
            _ => "error",
        }
        .to_owned();
    }
    let finished = SystemTime::now();
    Snapshot {
        schema_version: SCHEMA_VERSION,
        host: identity,
        collection: CollectionMeta {
            agent: "constat-agent".to_owned(),
            agent_version: env!("CARGO_PKG_VERSION").to_owned(),
            started_at: rfc3339_utc(unix(started)),
            finished_at: rfc3339_utc(unix(finished)),
            duration_ms: t0.elapsed().as_millis() as u64,
            root: (!ctx.host.is_live()).then(|| ctx.host.root().display().to_string()),
            transport: None,
            privileged: is_privileged(&*ctx.host),
            collectors: runs,
            request: (!options.request.paths.is_empty()
                || options.request.sections.is_some()
                || !options.request.without.is_empty())
            .then(|| options.request.clone()),
            // Transport evidence: the CLI records it, never the agent.
            ssh_server: None,
        },
        sections,
    }
}

/// Whether the request asks for one of the collector's sections: every collector when the
/// request names no sections; `files` also whenever paths are requested.
fn requested(collector: &Collector, request: &FileRequest) -> bool {
    let Some(wanted) = &request.sections else {
        return true;
    };
    collector
        .sections
        .iter()
        .any(|s| wanted.iter().any(|w| w == s) || (*s == "files" && !request.paths.is_empty()))
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn is_privileged(host: &dyn Host) -> bool {
    // Effective uid 0 of this process, read without libc.
    if !host.is_live() {
        return std::fs::read_to_string("/proc/self/status")
            .map(|s| effective_uid_is_zero(&s))
            .unwrap_or(false);
    }
    host.read_to_string("/proc/self/status")
        .map(|s| effective_uid_is_zero(&s))
        .unwrap_or(false)
}

fn effective_uid_is_zero(status: &str) -> bool {
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|rest| rest.split_whitespace().nth(1))
        == Some("0")
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("internal error (panic: {text}); please report it")
}

/// Marks one section as failed, by JSON key.
pub fn set_error(sections: &mut Sections, name: &str, message: &str) {
    set_sections(sections, &[name], &Section::<()>::error(message));
}

/// Sets the status of several sections, by JSON key.
fn set_sections(sections: &mut Sections, names: &[&str], status: &Section<()>) {
    for name in names {
        sections.set_missing(name, status);
    }
}

/// Sections no Linux collector fills (directory, GPOs, Windows roles): said so explicitly.
fn mark_not_applicable(sections: &mut Sections, registry: &[Collector]) {
    let foreign: Vec<&str> = Sections::NAMES
        .iter()
        .copied()
        .filter(|name| !registry.iter().any(|c| c.sections.contains(name)))
        .collect();
    set_sections(
        sections,
        &foreign,
        &Section::not_collected("not applicable: the Linux agent does not collect this section"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::LocalHost;
    use crate::test_root::write;

    /// Sections outside the request are `not_collected` with the reason, their collectors
    /// never run, and requested paths still bring the `files` section.
    #[test]
    fn only_requested_sections_are_collected() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("etc")).unwrap();
        std::fs::write(
            dir.path().join("etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\n",
        )
        .unwrap();
        let options = CollectOptions {
            request: FileRequest {
                paths: vec!["/etc/passwd".to_owned()],
                head_bytes: None,
                sections: Some(vec!["users".to_owned()]),
                home_paths: Vec::new(),
                without: Vec::new(),
            },
            only: Vec::new(),
            workers: 0,
        };
        let snapshot = collect(Arc::new(LocalHost::offline(dir.path())), &options);
        let json = serde_json::to_value(&snapshot.sections).unwrap();
        let status = |name: &str| {
            (
                json[name]["status"].as_str().unwrap_or_default().to_owned(),
                json[name]["reason"].as_str().unwrap_or_default().to_owned(),
            )
        };
        assert_eq!(status("users").0, "collected");
        assert_eq!(status("files").0, "collected");
        assert_eq!(
            status("packages"),
            (
                "not_collected".to_owned(),
                "not requested (the checks read no data from this section)".to_owned()
            )
        );
        let ran: Vec<&str> = snapshot
            .collection
            .collectors
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert!(!ran.contains(&"packages"), "{ran:?}");
        assert_eq!(
            snapshot.collection.request.unwrap().sections,
            Some(vec!["users".to_owned()])
        );
        // Without `sections`, everything is collected as before.
        let all = collect(
            Arc::new(LocalHost::offline(dir.path())),
            &CollectOptions::default(),
        );
        assert!(
            all.collection
                .collectors
                .iter()
                .any(|c| c.name == "packages")
        );
    }

    /// Every collector that keeps host text goes through the scrubber: cron lines, the backup
    /// scripts they call, sudo rules, smb.conf, network files, requested file heads.
    #[test]
    fn no_collector_keeps_a_secret_looking_value() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(r, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n", 0o644);
        write(r, "/etc/group", "root:x:0:\n", 0o644);
        write(
            r,
            "/etc/shadow",
            "root:$6$saltsalt$Jt1Wl5b7eYQk0kX1bq1S9cF8e7jv6Gm7o0V4lP9z.Q2rY3sT4uV5wX6yZ7aB8cD9e:19000::::::\n",
            0o640,
        );
        write(
            r,
            "/etc/crontab",
            "30 2 * * * root mysqldump -uroot -pCRONSECRET --all-databases > /srv/db.sql\n0 3 * * * root /usr/local/bin/save.sh\n",
            0o644,
        );
        write(
            r,
            "/usr/local/bin/save.sh",
            "#!/bin/sh\nsshpass -p SCRIPTSECRET rsync -a /srv backup@nas:/srv\nrsync -a /etc rsync://svc:URLSECRET@nas/etc\n",
            0o755,
        );
        write(
            r,
            "/etc/sudoers",
            "root ALL=(ALL:ALL) ALL\nDefaults env_keep += \"DB_PASSWORD\"\n",
            0o440,
        );
        write(
            r,
            "/etc/samba/smb.conf",
            "[global]\n   workgroup = TSSR\n   ldap admin password = SMBSECRET\n",
            0o644,
        );
        write(
            r,
            "/etc/network/interfaces",
            "auto wlan0\niface wlan0 inet dhcp\n    wpa-ssid lab\n    wpa-psk=NETSECRET\n",
            0o644,
        );
        write(r, "/srv/app/.env", "DB_PASSWORD=FILESECRET\n", 0o600);
        let options = CollectOptions {
            request: FileRequest {
                paths: vec![
                    "/etc/shadow".to_owned(),
                    "/srv/app/.env".to_owned(),
                    "/usr/local/bin/save.sh".to_owned(),
                ],
                head_bytes: None,
                sections: None,
                home_paths: Vec::new(),
                without: Vec::new(),
            },
            only: Vec::new(),
            workers: 0,
        };
        let snapshot = collect(Arc::new(crate::LocalHost::offline(r)), &options);
        let text = serde_json::to_string(&snapshot).unwrap();
        for secret in [
            "$6$saltsalt",
            "CRONSECRET",
            "SCRIPTSECRET",
            "URLSECRET",
            "SMBSECRET",
            "NETSECRET",
            "FILESECRET",
        ] {
            assert!(!text.contains(secret), "{secret} kept in the snapshot");
        }
        // The cron job is still there, its password masked.
        assert!(text.contains("mysqldump -uroot -p***"), "{text}");
        // One worker (or two) takes the collectors in turn: the same sections, the same
        // collectors in the same order.
        for workers in [1, FEW_WORKERS] {
            let few = collect(
                Arc::new(crate::LocalHost::offline(r)),
                &CollectOptions {
                    workers,
                    ..options.clone()
                },
            );
            assert_eq!(few.sections, snapshot.sections, "{workers} worker(s)");
            let names = |s: &Snapshot| {
                s.collection
                    .collectors
                    .iter()
                    .map(|c| (c.name.clone(), c.status.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(&few), names(&snapshot), "{workers} worker(s)");
        }
    }
}
