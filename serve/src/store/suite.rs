//! The store's behaviour, one suite for every backend: each case gets a new, empty store and
//! checks what the pages and the submission endpoint rely on through the [`Store`] trait
//! only. SQLite runs it in this crate's unit tests; PostgreSQL in the real tier
//! (`tests/tests/serve_postgres.rs`, a cluster on loopback), with the `store-suite` feature.

use super::{Claim, ClassEvent, Id, NewClass, NewLearner, NewSubmission, Store, StoreError};
use super::{KEPT_BODIES_PER_LEARNER, WebSession};
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
    // The same signed submission sent eight times at once (to as many instances).
    let claims =
        futures_util::future::join_all((0..8).map(|_| store.claim_submission(l.id, 5000, 5000, 2)))
            .await;
    let accepted = claims
        .iter()
        .filter(|c| matches!(c, Ok(Claim::Accepted)))
        .count();
    assert_eq!(accepted, 1, "{claims:?}");
    assert!(
        claims
            .iter()
            .all(|c| matches!(c, Ok(Claim::Accepted | Claim::Replayed))),
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
