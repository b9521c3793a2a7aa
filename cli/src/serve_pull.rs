//! Pull mode of `constat serve` (issue 17): the exam session engine behind
//! [`constat_serve::pull::PullEngine`].
//!
//! `constat-serve` defines the seam and the `constat` command plugs this in (the server
//! crate never depends on the command's crate). An uploaded inventory is read by the
//! session's own loader (`parse_inventory` + `resolve_hosts`, the diagnostics of `constat
//! validate`, in the reader's language) and held to what a server may do: SSH only; a `key:`
//! must be one of the key files given at start (`--pull-key`), so that a web form can never
//! make the server read another file; passwords come from `CONSTAT_CRED_*` or
//! `--credentials` (0600), never from a prompt. Hosts are collected with `collect_host`, as
//! `session run` does (per-host time limits, bounded output, credentials scrubbed), with at
//! most the inventory's concurrency, each outcome sent as soon as it is known; the snapshot
//! size is capped by the server's submission limit. Host keys are trusted on first use per
//! class and kept in the server's store (shared by every instance on one database): a run
//! starts from the class's trusted keys ([`PullJob::host_keys`]) and reports each host's key
//! first seen or refused, for the server to record or show.

use crate::credentials::CredentialStore;
use crate::errors::report;
use crate::i18n::{t, tf, with_lang};
use crate::inventory::{HostTarget, Inventory, TransportKind, parse_inventory, resolve_hosts};
use crate::output::Format;
use crate::transport::{
    CollectContext, HostError, HostErrorKind, KeyCheck, KnownHosts, collect_host,
};
use constat_serve::i18n::Lang as ReaderLang;
use constat_serve::pull::{
    HostKey, HostKeySeen, InventoryPlan, PlannedCandidate, PlannedHost, PullEngine, PullFuture,
    PullJob, PulledHost,
};
use constat_serve::store::PullFailure;
use constat_snapshot::FileRequest;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

/// Most hosts of one class pulled at once, whatever the inventory says.
pub const MAX_PULL_CONCURRENCY: usize = 32;

/// The session engine as a pull engine.
#[derive(Clone)]
pub struct SessionPullEngine {
    credentials: Arc<CredentialStore>,
    keys: Arc<[PathBuf]>,
}

impl SessionPullEngine {
    /// An engine with the server's credential sources (`CONSTAT_CRED_*`, `credentials_file`)
    /// and the key files inventories may name.
    pub fn new(
        credentials_file: Option<&Path>,
        keys: Vec<PathBuf>,
    ) -> anyhow::Result<SessionPullEngine> {
        Ok(SessionPullEngine {
            credentials: Arc::new(CredentialStore::without_prompt(credentials_file)?),
            keys: keys.into(),
        })
    }

    /// The key file `named` in an inventory, if it is one of the server's: the same path, or
    /// the same file name.
    fn allowed_key(&self, named: &str) -> Option<&PathBuf> {
        self.keys.iter().find(|key| {
            key.as_path() == Path::new(named)
                || key.file_name().is_some_and(|n| n.to_str() == Some(named))
        })
    }

    /// Reads an inventory and holds it to pull mode's rules (in this thread's language).
    fn plan(
        &self,
        text: &str,
        origin: &str,
    ) -> anyhow::Result<(Inventory, Vec<HostTarget>, InventoryPlan)> {
        let inventory = parse_inventory(text, origin)?;
        let mut hosts = resolve_hosts(&inventory)?;
        for host in &mut hosts {
            if host.transport != TransportKind::Ssh {
                return Err(crate::errors::CliError::input(
                    tf(
                        "pull.transport",
                        &[
                            ("host", &host.label()),
                            ("transport", &host.transport.as_str()),
                        ],
                    ),
                    t("pull.transport_hint"),
                )
                .into());
            }
            if let Some(named) = &host.key {
                let Some(path) = self.allowed_key(named) else {
                    let mut known: Vec<String> = self
                        .keys
                        .iter()
                        .filter_map(|k| k.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .collect();
                    if known.is_empty() {
                        known.push(t("pull.no_keys").to_owned());
                    }
                    return Err(crate::errors::CliError::input(
                        tf(
                            "pull.key_not_allowed",
                            &[
                                ("host", &host.label()),
                                ("key", named),
                                ("keys", &known.join(", ")),
                            ],
                        ),
                        t("pull.key_not_allowed_hint"),
                    )
                    .into());
                };
                host.key = Some(path.display().to_string());
            }
        }
        let plan = plan_of(&inventory, &hosts);
        Ok((inventory, hosts, plan))
    }
}

/// What the pages may show of the resolved hosts: addresses, accounts, the names of keys
/// and credentials (never a value).
fn plan_of(inventory: &Inventory, hosts: &[HostTarget]) -> InventoryPlan {
    let candidates = inventory
        .candidates
        .iter()
        .map(|candidate| PlannedCandidate {
            id: candidate.id.clone(),
            name: candidate.name.clone(),
            hosts: hosts
                .iter()
                .filter(|h| h.candidate == candidate.id)
                .map(|h| {
                    let key = h.key.as_deref().map(|k| {
                        Path::new(k)
                            .file_name()
                            .map_or_else(|| k.to_owned(), |n| n.to_string_lossy().into_owned())
                    });
                    let auth = match (&key, &h.cred) {
                        (Some(key), Some(cred)) => format!(
                            "{} + {}",
                            tf("pull.auth_key", &[("key", key)]),
                            tf("pull.auth_cred", &[("cred", cred)])
                        ),
                        (Some(key), None) => tf("pull.auth_key", &[("key", key)]),
                        (None, Some(cred)) => tf("pull.auth_cred", &[("cred", cred)]),
                        (None, None) => t("pull.auth_none").to_owned(),
                    };
                    PlannedHost {
                        role: h.role.clone(),
                        address: format!("{}:{}", h.address, h.port),
                        user: h.user.clone(),
                        auth,
                    }
                })
                .collect(),
        })
        .collect();
    let settings = &inventory.settings;
    let concurrency = settings.concurrency.clamp(1, MAX_PULL_CONCURRENCY);
    let waves = hosts.len().div_ceil(concurrency).max(1) as i64;
    InventoryPlan {
        candidates,
        pack: inventory.session.pack.clone(),
        timezone: inventory.session.timezone.clone(),
        time_limit_secs: waves.saturating_mul(settings.host_timeout_s.min(86_400) as i64 + 5),
    }
}

fn cli_lang(lang: ReaderLang) -> crate::i18n::Lang {
    match lang {
        ReaderLang::Fr => crate::i18n::Lang::Fr,
        ReaderLang::En => crate::i18n::Lang::En,
    }
}

/// An error as `constat validate` prints it (« erreur : … / que faire : … »).
fn rendered(error: &anyhow::Error) -> String {
    let mut text = Vec::new();
    report(error, Format::Human, &mut text);
    String::from_utf8_lossy(&text).trim_end().to_owned()
}

/// A transport failure as the server records it: the report's host status (as
/// `session regrade` decides it) and the neutral kind, with the cause.
fn failure_of(error: &HostError) -> PullFailure {
    let status = match error.kind {
        HostErrorKind::Unreachable | HostErrorKind::Timeout => "unreachable",
        HostErrorKind::AuthRefused | HostErrorKind::Credentials => "auth_refused",
        HostErrorKind::SudoRefused => "sudo_refused",
        _ => "collection_failed",
    };
    let kind = serde_json::to_value(error.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "other".to_owned());
    PullFailure {
        status: status.to_owned(),
        kind,
        cause: crate::i18n::os_errors(&error.message),
    }
}

/// What the server must record of `host`'s key after its collection: refused (another key
/// than the trusted one, or none trusted under `strict_host_keys`), or first seen.
fn host_key_seen(known_hosts: &KnownHosts, host: &str) -> Option<HostKeySeen> {
    let described = |key: String| HostKey {
        host: host.to_owned(),
        fingerprint: russh::keys::PublicKey::from_openssh(&key)
            .map(|k| k.fingerprint(russh::keys::HashAlg::Sha256).to_string())
            .unwrap_or_else(|_| key.clone()),
        key,
    };
    if let Some(key) = known_hosts.refused(host) {
        return Some(match known_hosts.check(host, &key) {
            KeyCheck::Unknown => HostKeySeen::Unknown(described(key)),
            _ => HostKeySeen::Refused(described(key)),
        });
    }
    known_hosts
        .first_seen(host)
        .map(|key| HostKeySeen::FirstUse(described(key)))
}

impl PullEngine for SessionPullEngine {
    fn check_inventory(
        &self,
        text: &str,
        origin: &str,
        lang: ReaderLang,
    ) -> Result<InventoryPlan, String> {
        with_lang(cli_lang(lang), || {
            self.plan(text, origin)
                .map(|(_, _, plan)| plan)
                .map_err(|e| rendered(&e))
        })
    }

    fn collect(&self, job: PullJob, sender: UnboundedSender<PulledHost>) -> PullFuture {
        let engine = self.clone();
        Box::pin(async move { engine.collect_all(job, sender).await })
    }
}

impl SessionPullEngine {
    async fn collect_all(
        &self,
        job: PullJob,
        sender: UnboundedSender<PulledHost>,
    ) -> Result<(), String> {
        let (inventory, hosts, _) = self
            .plan(&job.inventory, "inventory.yaml")
            .map_err(|e| rendered(&e))?;
        let known_hosts = Arc::new(KnownHosts::in_memory(job.host_keys.clone()));
        let settings = &inventory.settings;
        let ctx = CollectContext {
            credentials: Arc::clone(&self.credentials),
            known_hosts: Arc::clone(&known_hosts),
            strict_host_keys: settings.strict_host_keys,
            connect_timeout: Duration::from_secs(settings.connect_timeout_s),
            host_timeout: Duration::from_secs(settings.host_timeout_s),
            request: FileRequest {
                paths: settings.request.clone(),
                head_bytes: None,
                sections: None,
                home_paths: Vec::new(),
                without: Vec::new(),
            },
            plugged: BTreeMap::new(),
            session_id: Some(format!("constat-serve-class-{}", job.class_id)),
        };
        let semaphore = Arc::new(Semaphore::new(
            settings.concurrency.clamp(1, MAX_PULL_CONCURRENCY),
        ));
        let mut tasks = JoinSet::new();
        let mut labels = HashMap::new();
        for mut target in hosts {
            target.output_limit = target.output_limit.min(job.max_snapshot_bytes);
            let mut ctx = ctx.clone();
            if let Some(request) = job.requests.get(&target.role) {
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
                ctx.request.without = request.without.clone();
            }
            ctx.request.sections = job.sections.get(&target.role).cloned().flatten();
            let semaphore = Arc::clone(&semaphore);
            let sender = sender.clone();
            let known_hosts = Arc::clone(&known_hosts);
            let label = (target.candidate.clone(), target.role.clone());
            let handle = tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                let outcome = collect_host(&target, &ctx).await;
                let outcome = match outcome {
                    Ok(collected) => String::from_utf8(collected.json).map_err(|e| {
                        failure_of(&HostError::new(HostErrorKind::BadOutput, e.to_string()))
                    }),
                    Err(error) => Err(failure_of(&error)),
                };
                let host = KnownHosts::host_field(&target.address, target.port);
                let _ = sender.send(PulledHost {
                    candidate: target.candidate,
                    role: target.role,
                    outcome,
                    host_key: host_key_seen(&known_hosts, &host),
                });
            });
            labels.insert(handle.id(), label);
        }
        // A host task that panicked is that host's failure, never the class's.
        while let Some(joined) = tasks.join_next_with_id().await {
            if let Err(e) = joined
                && let Some((candidate, role)) = labels.remove(&e.id())
            {
                let error = HostError::new(
                    HostErrorKind::Other,
                    tf("pull.host_failed", &[("error", &e)]),
                );
                let _ = sender.send(PulledHost {
                    candidate,
                    role,
                    outcome: Err(failure_of(&error)),
                    host_key: None,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(keys: &[&str]) -> SessionPullEngine {
        SessionPullEngine {
            credentials: Arc::new(CredentialStore::default()),
            keys: keys.iter().map(PathBuf::from).collect::<Vec<_>>().into(),
        }
    }

    const INVENTORY: &str = "session: { id: bts-1, referentiel: TSSR }
settings: { concurrency: 2, host_timeout_s: 60 }
defaults:
  linux: { transport: ssh, address: '10.0.${num}.20', user: root, key: lab_ed25519 }
candidates:
  - { id: c01, name: Alice Martin, vars: { num: '1' } }
  - id: c02
    name: Bruno Petit
    vars: { num: '2' }
    hosts: { linux: { user: exam, cred: lab-linux, sudo: true } }
";

    /// A key refused with none trusted (`strict_host_keys`) is reported as unknown, for the
    /// server to word for its class page; one refused in place of the trusted key as refused.
    #[test]
    fn a_refused_key_is_unknown_or_changed_after_what_the_class_trusted() {
        let host = "[10.0.1.20]:22";
        let strict = KnownHosts::in_memory(BTreeMap::new());
        strict.refuse(host, "ssh-ed25519 AAAA3");
        assert!(matches!(
            host_key_seen(&strict, host),
            Some(HostKeySeen::Unknown(key)) if key.key == "ssh-ed25519 AAAA3"
        ));
        let trusted = KnownHosts::in_memory(BTreeMap::from([(
            host.to_owned(),
            "ssh-ed25519 AAAA1".to_owned(),
        )]));
        trusted.refuse(host, "ssh-ed25519 AAAA2");
        assert!(matches!(
            host_key_seen(&trusted, host),
            Some(HostKeySeen::Refused(key)) if key.key == "ssh-ed25519 AAAA2"
        ));
    }

    #[test]
    fn an_inventory_becomes_a_plan_without_any_secret() {
        let engine = engine(&["/etc/constat/lab_ed25519"]);
        let plan = engine
            .check_inventory(INVENTORY, "inventory.yaml", ReaderLang::En)
            .unwrap();
        assert_eq!(plan.candidates.len(), 2);
        assert_eq!(
            plan.candidates[1].hosts,
            vec![PlannedHost {
                role: "linux".into(),
                address: "10.0.2.20:22".into(),
                user: "exam".into(),
                auth: "key lab_ed25519 + credential lab-linux".into(),
            }]
        );
        // Two hosts, two at once: one wave of at most 60 s (+ 5).
        assert_eq!(plan.time_limit_secs, 65);
    }

    #[test]
    fn a_key_the_server_was_not_given_is_refused_in_the_readers_language() {
        let engine = engine(&["/etc/constat/other_key"]);
        let fr = engine
            .check_inventory(INVENTORY, "inventory.yaml", ReaderLang::Fr)
            .unwrap_err();
        assert!(
            fr.contains("hôte c01/linux : la clé lab_ed25519 n'est pas une clé donnée au serveur (clés : other_key)"),
            "{fr}"
        );
        assert!(fr.contains("--pull-key"), "{fr}");
        let en = engine
            .check_inventory(INVENTORY, "inventory.yaml", ReaderLang::En)
            .unwrap_err();
        assert!(en.contains("is not a key given to the server"), "{en}");
    }

    #[test]
    fn other_transports_and_broken_yaml_get_validates_diagnostics() {
        let engine = engine(&[]);
        let local = "session: { id: s, referentiel: TSSR }\ndefaults:\n  linux: { transport: local }\ncandidates:\n  - { id: c01, name: A }\n";
        let error = engine
            .check_inventory(local, "inventory.yaml", ReaderLang::En)
            .unwrap_err();
        assert!(
            error.contains("pulls over SSH only (transport local)"),
            "{error}"
        );
        let broken = "session: { id: s, referentiel: TSSR }\ncandidats: []\n";
        let error = engine
            .check_inventory(broken, "inventory.yaml", ReaderLang::En)
            .unwrap_err();
        assert!(error.contains("inventory.yaml:2:1"), "{error}");
    }

    #[test]
    fn a_refused_login_is_an_auth_failure_and_a_timeout_an_unreachable_host() {
        let refused = failure_of(&HostError::new(HostErrorKind::Credentials, "no cred"));
        assert_eq!(
            (refused.status.as_str(), refused.kind.as_str()),
            ("auth_refused", "credentials")
        );
        let slow = failure_of(&HostError::new(HostErrorKind::Timeout, "60 s"));
        assert_eq!(
            (slow.status.as_str(), slow.kind.as_str()),
            ("unreachable", "timeout")
        );
        let big = failure_of(&HostError::new(HostErrorKind::OutputTooLarge, "8 MiB"));
        assert_eq!(big.status, "collection_failed");
    }
}
