//! The store's behaviour, one suite for every backend: each case gets a new, empty store and
//! checks what the pages and the submission endpoint rely on through the [`Store`] trait
//! only. SQLite runs it in this crate's unit tests; PostgreSQL in the real tier
//! (`tests/tests/serve_postgres.rs`, a cluster on loopback), with the `store-suite` feature.

use super::SeenHostKey;
use super::{Claim, ClassEvent, Id, NewClass, NewLearner, NewSubmission, Store, StoreError};
use super::{KEPT_BODIES_PER_LEARNER, LoginClaim, WebSession};
use super::{OfferedHostKey, PullFailure, PullHostKey, PullHostStatus, PullInventory, PullRun};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// One case, run on a new empty store.
pub type Case = for<'a> fn(&'a dyn Store) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Every case, by name.
pub const CASES: &[(&str, Case)] = &[
    ("names_and_codes_are_unique", |s| {
        Box::pin(names_and_codes_are_unique(s))
    }),
    ("sessions_expire", |s| Box::pin(sessions_expire(s))),
    ("classes_and_learners_are_found_and_ordered", |s| {
        Box::pin(classes_and_learners_are_found_and_ordered(s))
    }),
    ("claims_refuse_replays_and_hurried_submissions", |s| {
        Box::pin(claims_refuse_replays_and_hurried_submissions(s))
    }),
    ("concurrent_claims_accept_one", |s| {
        Box::pin(concurrent_claims_accept_one(s))
    }),
    (
        "results_keep_the_latest_and_the_whole_history_and_are_announced",
        |s| Box::pin(results_keep_the_latest_and_the_whole_history_and_are_announced(s)),
    ),
    ("the_first_trainer_is_created_once", |s| {
        Box::pin(the_first_trainer_is_created_once(s))
    }),
    (
        "login_attempts_are_limited_per_key_within_the_window_and_forgotten_on_success",
        |s| {
            Box::pin(
                login_attempts_are_limited_per_key_within_the_window_and_forgotten_on_success(s),
            )
        },
    ),
    ("concurrent_login_attempts_never_pass_the_limit", |s| {
        Box::pin(concurrent_login_attempts_never_pass_the_limit(s))
    }),
    ("pulls_are_claimed_once_and_scheduled", |s| {
        Box::pin(pulls_are_claimed_once_and_scheduled(s))
    }),
    ("concurrent_pull_claims_accept_one", |s| {
        Box::pin(concurrent_pull_claims_accept_one(s))
    }),
    ("pulled_learners_and_their_hosts_are_remembered", |s| {
        Box::pin(pulled_learners_and_their_hosts_are_remembered(s))
    }),
    (
        "host_keys_are_trusted_on_first_use_per_class_and_changes_wait_for_the_trainer",
        |s| {
            Box::pin(
                host_keys_are_trusted_on_first_use_per_class_and_changes_wait_for_the_trainer(s),
            )
        },
    ),
    ("concurrent_first_uses_trust_one_key", |s| {
        Box::pin(concurrent_first_uses_trust_one_key(s))
    }),
];

/// How long an announced event may take to arrive (PostgreSQL: through LISTEN/NOTIFY).
const EVENT_WAIT: Duration = Duration::from_secs(10);

/// A class of `trainer_id` with enrolment code `code`.
pub fn class(trainer_id: Id, code: &str) -> NewClass {
    NewClass {
        trainer_id,
        name: "BTS 1".to_owned(),
        code: code.to_owned(),
        pack_id: "demo".to_owned(),
        pack_source: "demo".to_owned(),
        pack_yaml: "id: demo".to_owned(),
        profile: None,
        starts_on: Some("2026-12-01".to_owned()),
        ends_on: None,
        created_at: 10,
    }
}

/// A learner of `class_id` named `name`.
pub fn learner(class_id: Id, name: &str) -> NewLearner {
    NewLearner {
        class_id,
        name: name.to_owned(),
        public_key: vec![7; 32],
        page_token_hash: format!("page-{name}"),
        created_at: 20,
    }
}

/// A graded submission received at `at`.
pub fn submission(learner_id: Id, class_id: Id, at: i64) -> NewSubmission {
    NewSubmission {
        learner_id,
        class_id,
        received_at: at,
        role: "linux".to_owned(),
        snapshot_json: format!("{{\"at\":{at}}}"),
        body_sha256: "00".to_owned(),
        report_json: format!("{{\"report\":{at}}}"),
        percent: Some(at as f64 / 100.0),
    }
}

async fn names_and_codes_are_unique(store: &dyn Store) {
    let t = store
        .create_trainer("ana".into(), "h".into(), 1)
        .await
        .unwrap();
    let again = store.create_trainer("ana".into(), "h".into(), 1).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    store.create_class(class(t, "ABC")).await.unwrap();
    let again = store.create_class(class(t, "ABC")).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(store.trainer_count().await.unwrap(), 1);
    let ana = store.trainer_by_name("ana".into()).await.unwrap().unwrap();
    assert_eq!((ana.id, ana.password_hash.as_str()), (t, "h"));
    assert_eq!(store.trainer(t).await.unwrap(), Some(ana));
    assert_eq!(store.trainer_by_name("bob".into()).await.unwrap(), None);
}

async fn sessions_expire(store: &dyn Store) {
    let t = store
        .create_trainer("ana".into(), "h".into(), 1)
        .await
        .unwrap();
    let session = WebSession {
        token_hash: "t".into(),
        trainer_id: Some(t),
        csrf: "c".into(),
        expires_at: 100,
    };
    store.create_session(session.clone(), 50).await.unwrap();
    assert_eq!(store.session("t".into(), 99).await.unwrap(), Some(session));
    assert_eq!(store.session("t".into(), 100).await.unwrap(), None);
    // A new session forgets the expired ones.
    let anonymous = WebSession {
        token_hash: "u".into(),
        trainer_id: None,
        csrf: "d".into(),
        expires_at: 300,
    };
    store.create_session(anonymous.clone(), 200).await.unwrap();
    assert_eq!(store.session("t".into(), 0).await.unwrap(), None);
    assert_eq!(store.session("u".into(), 0).await.unwrap(), Some(anonymous));
    store.delete_session("u".into()).await.unwrap();
    assert_eq!(store.session("u".into(), 0).await.unwrap(), None);
}

async fn classes_and_learners_are_found_and_ordered(store: &dyn Store) {
    let t = store
        .create_trainer("ana".into(), "h".into(), 1)
        .await
        .unwrap();
    let first = store.create_class(class(t, "ABC")).await.unwrap();
    let second = store.create_class(class(t, "DEF")).await.unwrap();
    let ids: Vec<Id> = store
        .classes_of(t)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, vec![second.id, first.id], "newest first");
    assert_eq!(store.class(first.id).await.unwrap(), Some(first.clone()));
    assert_eq!(
        store.class_by_code("DEF".into()).await.unwrap(),
        Some(second)
    );
    assert_eq!(store.class_by_code("XYZ".into()).await.unwrap(), None);
    // Byte order (upper case before lower case, accents last), then id.
    let mut made = Vec::new();
    for name in ["zoé", "Bob", "alice", "Zoe", "Bob"] {
        let mut l = learner(first.id, name);
        l.page_token_hash = format!("page-{}", made.len());
        made.push(store.create_learner(l).await.unwrap());
    }
    let listed: Vec<(String, Id)> = store
        .learners_of(first.id)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.fields.name, l.id))
        .collect();
    let expected = vec![
        ("Bob".to_owned(), made[1].id),
        ("Bob".to_owned(), made[4].id),
        ("Zoe".to_owned(), made[3].id),
        ("alice".to_owned(), made[2].id),
        ("zoé".to_owned(), made[0].id),
    ];
    assert_eq!(listed, expected);
    let found = store
        .learner_by_page_token("page-2".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found, made[2]);
    assert_eq!(found.fields.public_key, vec![7; 32]);
    assert_eq!(
        store.learner(made[0].id).await.unwrap(),
        Some(made[0].clone())
    );
    assert_eq!(store.learner(made[0].id + 100).await.unwrap(), None);
}

async fn claims_refuse_replays_and_hurried_submissions(store: &dyn Store) {
    let t = store
        .create_trainer("ana".into(), "h".into(), 1)
        .await
        .unwrap();
    let c = store.create_class(class(t, "ABC")).await.unwrap();
    let l = store.create_learner(learner(c.id, "bob")).await.unwrap();
    assert_eq!(
        store.claim_submission(l.id, 1000, 1000, 2).await.unwrap(),
        Claim::Accepted
    );
    // Sent again within the same second: the same signed time, told to wait.
    assert_eq!(
        store.claim_submission(l.id, 1000, 1000, 2).await.unwrap(),
        Claim::TooSoon { retry_after: 2 }
    );
    assert_eq!(
        store.claim_submission(l.id, 1000, 1005, 2).await.unwrap(),
        Claim::Replayed
    );
    assert_eq!(
        store.claim_submission(l.id, 1001, 1001, 2).await.unwrap(),
        Claim::TooSoon { retry_after: 1 }
    );
    assert_eq!(
        store.claim_submission(l.id, 1002, 1002, 2).await.unwrap(),
        Claim::Accepted
    );
    assert_eq!(
        store.learner(l.id).await.unwrap().unwrap().last_seen,
        Some(1002)
    );
}

async fn concurrent_claims_accept_one(store: &dyn Store) {
    let t = store
        .create_trainer("ana".into(), "h".into(), 1)
        .await
        .unwrap();
    let c = store.create_class(class(t, "ABC")).await.unwrap();
    let l = store.create_learner(learner(c.id, "bob")).await.unwrap();
    // The same signed submission sent eight times at once (to as many instances): one is
    // accepted, the others refused (too soon after it).
    let claims =
        futures_util::future::join_all((0..8).map(|_| store.claim_submission(l.id, 5000, 5000, 2)))
            .await;
    let accepted = claims
        .iter()
        .filter(|c| matches!(c, Ok(Claim::Accepted)))
        .count();
    assert_eq!(accepted, 1, "{claims:?}");
    assert!(
        claims.iter().all(|c| matches!(
            c,
            Ok(Claim::Accepted | Claim::TooSoon { .. } | Claim::Replayed)
        )),
        "{claims:?}"
    );
}

async fn next_event(events: &mut tokio::sync::broadcast::Receiver<ClassEvent>) -> ClassEvent {
    tokio::time::timeout(EVENT_WAIT, events.recv())
        .await
        .expect("an event within the wait")
        .expect("the channel is open")
}

async fn results_keep_the_latest_and_the_whole_history_and_are_announced(store: &dyn Store) {
    let mut events = store.subscribe();
    let t = store
        .create_trainer("ana".into(), "h".into(), 1)
        .await
        .unwrap();
    let c = store.create_class(class(t, "ABC")).await.unwrap();
    let bob = store.create_learner(learner(c.id, "bob")).await.unwrap();
    let zoe = store.create_learner(learner(c.id, "zoe")).await.unwrap();
    assert_eq!(store.latest_result(bob.id).await.unwrap(), None);
    for at in 1..=5 {
        store
            .record_submission(submission(bob.id, c.id, at))
            .await
            .unwrap();
    }
    store
        .record_submission(submission(zoe.id, c.id, 9))
        .await
        .unwrap();
    let bob_event = ClassEvent {
        class_id: c.id,
        learner_id: bob.id,
    };
    for _ in 1..=5 {
        assert_eq!(next_event(&mut events).await, bob_event);
    }
    assert_eq!(
        next_event(&mut events).await,
        ClassEvent {
            class_id: c.id,
            learner_id: zoe.id
        }
    );
    let latest = store.latest_results(c.id).await.unwrap();
    let got: Vec<(Id, i64, &str)> = latest
        .iter()
        .map(|r| (r.learner_id, r.received_at, r.report_json.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![(bob.id, 5, "{\"report\":5}"), (zoe.id, 9, "{\"report\":9}")]
    );
    let history = store.history(bob.id).await.unwrap();
    let points: Vec<(i64, Option<f64>)> =
        history.iter().map(|p| (p.received_at, p.percent)).collect();
    assert_eq!(
        points,
        (1..=5)
            .map(|at| (at, Some(at as f64 / 100.0)))
            .collect::<Vec<_>>(),
        "the whole history, oldest first, though only {KEPT_BODIES_PER_LEARNER} bodies are kept"
    );
    let seen = store.learner(bob.id).await.unwrap().unwrap().last_seen;
    assert_eq!(seen, Some(5));
    let latest_bob = store.latest_result(bob.id).await.unwrap().unwrap();
    assert_eq!(latest_bob.received_at, 5);
}

async fn the_first_trainer_is_created_once(store: &dyn Store) {
    // Two setup forms posted at once (to two instances): one account.
    let made = futures_util::future::join_all(
        ["ana", "bob"]
            .into_iter()
            .map(|name| store.create_first_trainer(name.into(), "h".into(), 1)),
    )
    .await;
    let created: Vec<&Id> = made
        .iter()
        .filter_map(|r| r.as_ref().unwrap().as_ref())
        .collect();
    assert_eq!(created.len(), 1, "{made:?}");
    assert_eq!(store.trainer_count().await.unwrap(), 1);
    assert_eq!(
        store
            .create_first_trainer("carl".into(), "h".into(), 2)
            .await
            .unwrap(),
        None
    );
}

fn login_keys(account: &str) -> Vec<(String, i64)> {
    vec![
        (format!("account:{account}"), 2),
        ("address:192.0.2.7".to_owned(), 3),
    ]
}

async fn login_attempts_are_limited_per_key_within_the_window_and_forgotten_on_success(
    store: &dyn Store,
) {
    for at in [100, 110] {
        let claim = store.claim_login_attempt(login_keys("ana"), at, 60).await;
        assert!(matches!(claim, Ok(LoginClaim::Allowed { .. })), "{claim:?}");
    }
    // The account is at its limit: free again 60 s after its first attempt.
    assert_eq!(
        store
            .claim_login_attempt(login_keys("ana"), 120, 60)
            .await
            .unwrap(),
        LoginClaim::Throttled { retry_after: 40 }
    );
    // Another account from the same address: one more, then the address is full.
    let LoginClaim::Allowed { attempt_ids } = store
        .claim_login_attempt(login_keys("bob"), 125, 60)
        .await
        .unwrap()
    else {
        panic!("bob's first attempt is allowed");
    };
    assert_eq!(attempt_ids.len(), 2, "one record per key");
    assert_eq!(
        store
            .claim_login_attempt(login_keys("bob"), 126, 60)
            .await
            .unwrap(),
        LoginClaim::Throttled { retry_after: 34 }
    );
    // Bob's attempt succeeded: his records and this attempt's address record go.
    store
        .forget_login_attempts("account:bob".to_owned(), attempt_ids)
        .await
        .unwrap();
    assert!(matches!(
        store
            .claim_login_attempt(login_keys("bob"), 127, 60)
            .await
            .unwrap(),
        LoginClaim::Allowed { .. }
    ));
    // Past the window everything is forgotten.
    assert!(matches!(
        store
            .claim_login_attempt(login_keys("ana"), 200, 60)
            .await
            .unwrap(),
        LoginClaim::Allowed { .. }
    ));
}

async fn concurrent_login_attempts_never_pass_the_limit(store: &dyn Store) {
    // Ten guesses at once on one account (sent to as many instances): its limit, 2, pass.
    let keys = || vec![("account:ana".to_owned(), 2)];
    let claims = futures_util::future::join_all(
        (0..10).map(|_| store.claim_login_attempt(keys(), 1000, 60)),
    )
    .await;
    let allowed = claims
        .iter()
        .filter(|c| matches!(c, Ok(LoginClaim::Allowed { .. })))
        .count();
    assert_eq!(allowed, 2, "{claims:?}");
    assert!(
        claims.iter().all(|c| matches!(
            c,
            Ok(LoginClaim::Allowed { .. } | LoginClaim::Throttled { retry_after: 60 })
        )),
        "{claims:?}"
    );
}

/// A class with an inventory attached at 100.
async fn class_with_inventory(store: &dyn Store) -> (Id, PullInventory) {
    let t = store
        .create_trainer("ana".into(), "h".into(), 1)
        .await
        .unwrap();
    let c = store.create_class(class(t, "ABC")).await.unwrap();
    let inventory = PullInventory {
        source: "inventory.yaml".into(),
        yaml: "session: {}".into(),
        uploaded_at: 100,
    };
    store
        .set_pull_inventory(c.id, inventory.clone())
        .await
        .unwrap();
    (c.id, inventory)
}

async fn pulls_are_claimed_once_and_scheduled(store: &dyn Store) {
    let t = store
        .create_trainer("bob".into(), "h".into(), 1)
        .await
        .unwrap();
    let bare = store.create_class(class(t, "XYZ")).await.unwrap();
    assert_eq!(store.pull_config(bare.id).await.unwrap(), None);
    // No inventory: nothing to claim, nothing due.
    assert!(!store.claim_pull(bare.id, 100, 60).await.unwrap());
    let (c, inventory) = class_with_inventory(store).await;
    assert!(store.due_pulls(100).await.unwrap().is_empty(), "on demand");
    store.set_pull_interval(c, Some(5)).await.unwrap();
    assert_eq!(store.due_pulls(100).await.unwrap(), vec![c]);
    assert!(store.claim_pull(c, 100, 60).await.unwrap());
    assert!(!store.claim_pull(c, 159, 60).await.unwrap(), "held");
    assert!(store.due_pulls(159).await.unwrap().is_empty(), "running");
    let running = store.pull_config(c).await.unwrap().unwrap();
    assert_eq!(running.running_until, Some(160));
    assert_eq!(running.last_started_at, Some(100));
    let run = PullRun {
        started_at: 100,
        finished_at: 130,
        collected: 1,
        failed: 1,
        error: Some("cause".into()),
    };
    store.finish_pull(c, run.clone()).await.unwrap();
    // Due again 5 minutes after the last start.
    assert!(store.due_pulls(399).await.unwrap().is_empty());
    assert_eq!(store.due_pulls(400).await.unwrap(), vec![c]);
    let config = store.pull_config(c).await.unwrap().unwrap();
    assert_eq!(config.inventory, inventory);
    assert_eq!(config.interval_minutes, Some(5));
    assert_eq!(config.running_until, None);
    assert_eq!(config.last, Some(run));
    // A crashed run frees the class when its lease ends.
    assert!(store.claim_pull(c, 500, 60).await.unwrap());
    assert!(store.claim_pull(c, 560, 60).await.unwrap());
    // Back to on demand; a new inventory keeps the schedule.
    store.set_pull_interval(c, None).await.unwrap();
    assert!(store.due_pulls(10_000).await.unwrap().is_empty());
    store.set_pull_interval(c, Some(5)).await.unwrap();
    let replaced = PullInventory {
        source: "other.yaml".into(),
        yaml: "session: { id: x }".into(),
        uploaded_at: 600,
    };
    store.set_pull_inventory(c, replaced.clone()).await.unwrap();
    let config = store.pull_config(c).await.unwrap().unwrap();
    assert_eq!(
        (config.inventory, config.interval_minutes),
        (replaced, Some(5))
    );
}

async fn concurrent_pull_claims_accept_one(store: &dyn Store) {
    let (c, _) = class_with_inventory(store).await;
    // « Pull now » pressed on eight instances at once: one run.
    let claims =
        futures_util::future::join_all((0..8).map(|_| store.claim_pull(c, 1000, 60))).await;
    let claimed = claims.iter().filter(|c| matches!(c, Ok(true))).count();
    assert_eq!(claimed, 1, "{claims:?}");
    assert!(claims.iter().all(Result::is_ok), "{claims:?}");
}

async fn pulled_learners_and_their_hosts_are_remembered(store: &dyn Store) {
    let mut events = store.subscribe();
    let (c, _) = class_with_inventory(store).await;
    let first = store
        .pull_learners(
            c,
            vec![("c01".into(), "Alice".into()), ("c02".into(), "Bob".into())],
            100,
        )
        .await
        .unwrap();
    assert_eq!(
        first.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        ["c01", "c02"]
    );
    let again = store
        .pull_learners(c, vec![("c01".into(), "Alice Martin".into())], 200)
        .await
        .unwrap();
    assert_eq!(again, vec![first[0].clone()], "the same learner");
    let alice = store.learner(first[0].1).await.unwrap().unwrap();
    assert_eq!(alice.fields.name, "Alice Martin", "renamed");
    assert!(
        alice.fields.public_key.is_empty(),
        "a pulled learner has no key"
    );
    assert_eq!(store.learners_of(c).await.unwrap().len(), 2);

    let bob = first[1].1;
    let failed = PullHostStatus {
        learner_id: bob,
        role: "linux".into(),
        attempted_at: 130,
        failure: Some(PullFailure {
            status: "unreachable".into(),
            kind: "unreachable".into(),
            cause: "connection refused".into(),
        }),
    };
    store
        .record_pull_hosts(c, bob, vec![failed.clone()], true)
        .await
        .unwrap();
    let bob_event = ClassEvent {
        class_id: c,
        learner_id: bob,
    };
    assert_eq!(next_event(&mut events).await, bob_event);
    assert_eq!(store.pull_hosts(bob).await.unwrap(), vec![failed.clone()]);
    let ok = PullHostStatus {
        attempted_at: 160,
        failure: None,
        ..failed.clone()
    };
    let windows = PullHostStatus {
        role: "windows".into(),
        ..failed
    };
    store
        .record_pull_hosts(c, bob, vec![windows.clone(), ok.clone()], false)
        .await
        .unwrap();
    let alice_host = PullHostStatus {
        learner_id: alice.id,
        ..ok.clone()
    };
    store
        .record_pull_hosts(c, alice.id, vec![alice_host.clone()], true)
        .await
        .unwrap();
    // Not announced: the next event is Alice's.
    assert_eq!(
        next_event(&mut events).await,
        ClassEvent {
            class_id: c,
            learner_id: alice.id
        }
    );
    assert_eq!(
        store.pull_hosts(bob).await.unwrap(),
        vec![ok.clone(), windows.clone()],
        "by role"
    );
    assert_eq!(
        store.pull_hosts_of(c).await.unwrap(),
        vec![alice_host, ok, windows],
        "by learner then role"
    );
}

/// Key `n` of `host`, seen on `learner`'s `linux` host.
fn seen(host: &str, n: u8, learner_id: Id) -> SeenHostKey {
    SeenHostKey {
        host: host.to_owned(),
        key: format!("ssh-ed25519 AAAA{n}"),
        fingerprint: format!("SHA256:key{n}"),
        learner_id,
        role: "linux".to_owned(),
    }
}

async fn host_keys_are_trusted_on_first_use_per_class_and_changes_wait_for_the_trainer(
    store: &dyn Store,
) {
    let (c, _) = class_with_inventory(store).await;
    let other = store
        .create_class(class(
            store.class(c).await.unwrap().unwrap().fields.trainer_id,
            "DEF",
        ))
        .await
        .unwrap()
        .id;
    let pulled = store
        .pull_learners(c, vec![("c01".into(), "Alice".into())], 100)
        .await
        .unwrap();
    let alice = pulled[0].1;
    let host = "[10.0.1.20]:22";
    assert!(store.pull_host_keys(c).await.unwrap().is_empty());
    // First use: trusted; the same key again: still trusted.
    assert_eq!(
        store
            .trust_host_key(c, seen(host, 1, alice), 100)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .trust_host_key(c, seen(host, 1, alice), 150)
            .await
            .unwrap(),
        None
    );
    let trusted = PullHostKey {
        host: host.to_owned(),
        key: "ssh-ed25519 AAAA1".to_owned(),
        fingerprint: "SHA256:key1".to_owned(),
        learner_id: Some(alice),
        role: "linux".to_owned(),
        trusted_at: 100,
        offered: None,
    };
    assert_eq!(
        store.pull_host_keys(c).await.unwrap(),
        vec![trusted.clone()]
    );
    // Another key as a first use (another instance won): the recorded one, unchanged.
    assert_eq!(
        store
            .trust_host_key(c, seen(host, 2, alice), 160)
            .await
            .unwrap(),
        Some(trusted.clone())
    );
    // Keys are per class.
    assert_eq!(
        store
            .trust_host_key(other, seen(host, 2, alice), 170)
            .await
            .unwrap(),
        None
    );
    // A changed key is kept, refused, until the trainer accepts the key the page showed.
    store
        .offer_host_key(c, seen(host, 2, alice), 200)
        .await
        .unwrap();
    store
        .offer_host_key(c, seen(host, 1, alice), 210)
        .await
        .unwrap();
    let offered = PullHostKey {
        offered: Some(OfferedHostKey {
            key: "ssh-ed25519 AAAA2".to_owned(),
            fingerprint: "SHA256:key2".to_owned(),
            at: 200,
        }),
        ..trusted.clone()
    };
    assert_eq!(
        store.pull_host_keys(c).await.unwrap(),
        vec![offered],
        "the trusted key presented again is no offer"
    );
    store
        .offer_host_key(c, seen(host, 3, alice), 220)
        .await
        .unwrap();
    assert!(
        !store
            .accept_host_key(c, host.into(), "SHA256:key2".into(), 230)
            .await
            .unwrap(),
        "another key was presented since the page was shown"
    );
    assert!(
        !store
            .accept_host_key(other, host.into(), "SHA256:key3".into(), 230)
            .await
            .unwrap(),
        "not offered in that class"
    );
    assert!(
        store
            .accept_host_key(c, host.into(), "SHA256:key3".into(), 240)
            .await
            .unwrap()
    );
    assert!(
        !store
            .accept_host_key(c, host.into(), "SHA256:key3".into(), 250)
            .await
            .unwrap(),
        "accepted once"
    );
    let keys = store.pull_host_keys(c).await.unwrap();
    assert_eq!(
        keys,
        vec![PullHostKey {
            key: "ssh-ed25519 AAAA3".to_owned(),
            fingerprint: "SHA256:key3".to_owned(),
            trusted_at: 240,
            ..trusted
        }]
    );
    assert_eq!(
        store
            .trust_host_key(c, seen(host, 3, alice), 260)
            .await
            .unwrap(),
        None
    );
    // By host, in byte order.
    store
        .trust_host_key(c, seen("[10.0.1.9]:22", 4, alice), 270)
        .await
        .unwrap();
    let hosts: Vec<String> = store
        .pull_host_keys(c)
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.host)
        .collect();
    assert_eq!(hosts, ["[10.0.1.20]:22", "[10.0.1.9]:22"]);
}

async fn concurrent_first_uses_trust_one_key(store: &dyn Store) {
    let (c, _) = class_with_inventory(store).await;
    let alice = store
        .pull_learners(c, vec![("c01".into(), "Alice".into())], 100)
        .await
        .unwrap()[0]
        .1;
    // Two instances meet the host at once, each shown another key (an attacker in between):
    // one key is trusted, the other instance is told which.
    let host = "[10.0.1.20]:22";
    let answers = futures_util::future::join_all(
        (1..=6).map(|n| store.trust_host_key(c, seen(host, n, alice), 100)),
    )
    .await;
    let trusted: Vec<_> = answers.iter().filter(|a| matches!(a, Ok(None))).collect();
    assert_eq!(trusted.len(), 1, "{answers:?}");
    let keys = store.pull_host_keys(c).await.unwrap();
    assert_eq!(keys.len(), 1);
    for answer in &answers {
        if let Ok(Some(recorded)) = answer {
            assert_eq!(recorded, &keys[0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SqliteStore;

    #[tokio::test]
    async fn the_sqlite_store_passes_the_suite() {
        for (name, case) in CASES {
            eprintln!("sqlite: {name}");
            let store = SqliteStore::in_memory().unwrap();
            case(&store).await;
        }
    }
}
