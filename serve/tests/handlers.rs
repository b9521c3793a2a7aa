//! The web application driven through its router (`tower::ServiceExt::oneshot`), as a
//! browser and `constat check --submit` use it: setup, login, CSRF, classes, enrolment,
//! signed submissions and their limits, authorisation (a learner never sees another's
//! result nor any expected value), the live stream and the exports. The store is a real
//! SQLite database (in memory); the pack and snapshot are the checker core's fixtures (the
//! real recorded Linux snapshot's end-of-lab variant).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Harness, START, fixture, harness_with, session_of};
use constat_serve::protocol::{
    HEADER_LEARNER, HEADER_ROLE, HEADER_SIGNATURE, HEADER_TIMESTAMP, LearnerKey,
};
use constat_serve::state::Limits;
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

fn harness() -> Harness {
    harness_with(Limits {
        max_submission_bytes: 4 << 20,
        ..Limits::default()
    })
}

fn snapshot() -> String {
    fixture("snapshots/linux-lab.json")
}

/// Every expected value of a trainer's report that a learner must not see (values also
/// observed somewhere are the learner's own state and left out).
fn expected_values(report: &serde_json::Value) -> Vec<String> {
    let checks = report["checks"].as_array().unwrap();
    let observed: Vec<String> = checks
        .iter()
        .flat_map(|c| c["evidence"].as_array().unwrap().iter())
        .flat_map(|e| {
            ["actual", "path", "property", "section"]
                .map(|k| e[k].as_str().unwrap_or("").to_owned())
        })
        .collect();
    let mut out: Vec<String> = checks
        .iter()
        .flat_map(|c| c["evidence"].as_array().unwrap().iter())
        .filter_map(|e| e["expected"].as_str().map(str::to_owned))
        .filter(|e| e.len() > 3 && !observed.iter().any(|o| o.contains(e.as_str())))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn a_new_server_sets_up_the_first_trainer_then_only_logs_in() {
    let h = harness();
    let home = h.get("/", None).await;
    assert_eq!(home.headers[header::LOCATION], "/setup");
    let cookie = h.trainer().await;
    let classes = h.get("/classes", Some(&cookie)).await;
    assert_eq!(classes.status, StatusCode::OK);
    assert!(classes.body.contains("Mme Martin"));
    // The setup page is closed once a trainer exists.
    assert_eq!(
        h.get("/setup", None).await.headers[header::LOCATION],
        "/login"
    );
    // Login: a wrong password is refused, the right one gives a new strict session cookie.
    let (anon, csrf) = h.form_page("/login", None).await;
    let wrong = h
        .post_form(
            "/login",
            Some(&anon),
            &[
                ("csrf", &csrf),
                ("name", "Mme Martin"),
                ("password", "mauvais!!!!"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.body.contains("Nom ou mot de passe incorrect"),
        "{}",
        wrong.body
    );
    let right = h
        .post_form(
            "/login",
            Some(&anon),
            &[
                ("csrf", &csrf),
                ("name", "Mme Martin"),
                ("password", "un mot de passe"),
            ],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    let set = right
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    for part in ["HttpOnly", "SameSite=Strict", "Secure"] {
        assert!(set.contains(part), "{set}");
    }
    let fresh = session_of(&right.headers).unwrap();
    assert_ne!(fresh, anon, "a login never keeps the anonymous token");
    // The anonymous session is gone.
    let reuse = h.get("/classes", Some(&anon)).await;
    assert_eq!(reuse.headers[header::LOCATION], "/login");
}

#[tokio::test]
async fn every_form_needs_its_sessions_csrf_token() {
    let h = harness();
    let (cookie, csrf) = h.form_page("/setup", None).await;
    let fields = |token: &'static str| {
        [
            ("csrf", token),
            ("name", "x"),
            ("password", "aaaaaaaaaaaa"),
            ("password_again", "aaaaaaaaaaaa"),
        ]
    };
    // No token, another token, no cookie at all.
    let none = h.post_form("/setup", Some(&cookie), &fields("")).await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    assert!(none.body.contains("Formulaire expiré"), "{}", none.body);
    let other = h
        .post_form("/setup", Some(&cookie), &fields("forged"))
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let leaked: &'static str = Box::leak(csrf.clone().into_boxed_str());
    let no_cookie = h.post_form("/setup", None, &fields(leaked)).await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);
    // Logged in, creating a class without the token is refused too.
    let trainer = h.trainer().await;
    let forged = h
        .post_form(
            "/classes",
            Some(&trainer),
            &[("csrf", "x"), ("name", "c"), ("pack", "demo")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // And in English when asked.
    let english = h
        .post_form(
            "/classes?lang=en",
            Some(&trainer),
            &[("csrf", "x"), ("name", "c"), ("pack", "demo")],
        )
        .await;
    assert!(
        english.body.contains("The form expired"),
        "{}",
        english.body
    );
}

#[tokio::test]
async fn an_uploaded_pack_gets_validates_diagnostics_and_pages_are_escaped() {
    let h = harness();
    let cookie = h.trainer().await;
    let (_, csrf) = h.form_page("/classes", Some(&cookie)).await;
    let broken = fixture("packs/typo-and-critere.yaml");
    let refused = h
        .post_form(
            "/classes",
            Some(&cookie),
            &[
                ("csrf", &csrf),
                ("name", "c"),
                ("pack", "demo"),
                ("pack_yaml", &broken),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("pack.yaml:"), "{}", refused.body);
    assert!(refused.body.contains("erreur"), "{}", refused.body);
    let (id, code) = h.uploaded_class(&cookie).await;
    assert_eq!(code.len(), 8);
    let grid = h.get(&format!("/classes/{id}"), Some(&cookie)).await;
    assert!(
        grid.body.contains("TSSR &lt;2026&gt;"),
        "the class name is escaped"
    );
    assert!(!grid.body.contains("TSSR <2026>"));
    let csp = grid.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
}

#[tokio::test]
async fn a_class_belongs_to_its_trainer_only() {
    let h = harness();
    let ana = h.trainer().await;
    let (id, _) = h.uploaded_class(&ana).await;
    assert_eq!(
        h.get(&format!("/classes/{id}"), None).await.headers[header::LOCATION],
        "/login"
    );
    // Someone with a session but no trainer account.
    let other = {
        let (anon, csrf) = h.form_page("/login", None).await;
        // Unknown user: refused like a wrong password.
        let refused = h
            .post_form(
                "/login",
                Some(&anon),
                &[
                    ("csrf", &csrf),
                    ("name", "Nobody"),
                    ("password", "whatever12345"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        anon
    };
    for path in [
        format!("/classes/{id}"),
        format!("/classes/{id}/export/jury.csv"),
        format!("/classes/{id}/events"),
    ] {
        let answer = h.get(&path, Some(&other)).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{path}: an anonymous session is not a trainer"
        );
    }
    assert_eq!(
        h.get("/classes/999", Some(&ana)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_signed_submission_is_graded_and_learners_never_see_expected_values() {
    let h = harness();
    let cookie = h.trainer().await;
    let (id, code) = h.uploaded_class(&cookie).await;
    let (alice, alice_page) = h.join(&code.to_lowercase(), "Alice <b>").await;
    let (bob, bob_page) = h.join(&code, "Bob").await;
    let answer = h
        .submit_signed(&alice, snapshot().as_bytes(), START, "fr")
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let learner_json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();

    // The trainer's view has the expected values; the learner's answer, page and report none.
    let trainer_page = h
        .get(
            &format!("/classes/{id}/learners/{}", alice.learner),
            Some(&cookie),
        )
        .await;
    assert_eq!(trainer_page.status, StatusCode::OK);
    let trainer_report = h
        .get(
            &format!("/classes/{id}/learners/{}/report", alice.learner),
            Some(&cookie),
        )
        .await;
    assert_eq!(trainer_report.status, StatusCode::OK);
    let jury = h
        .get(&format!("/classes/{id}/export/jury.csv"), Some(&cookie))
        .await;
    assert!(jury.body.contains("Alice <b>"), "{}", jury.body);
    let checks = learner_json["report"]["checks"].as_array().unwrap();
    assert!(!checks.is_empty());
    assert!(
        checks
            .iter()
            .flat_map(|c| c["evidence"].as_array().unwrap())
            .all(|e| e.get("expected").is_none()),
        "no expected field in the learner's JSON"
    );
    let self_page = h.get(&alice_page, None).await;
    assert_eq!(self_page.status, StatusCode::OK);
    let self_report = h.get(&format!("{alice_page}/report"), None).await;
    assert_eq!(self_report.status, StatusCode::OK);
    let pack_expected = expected_values(&graded_for_trainer());
    assert!(
        pack_expected.len() > 3,
        "the fixture has expected values to hide"
    );
    assert!(
        pack_expected.iter().any(|v| trainer_page.body.contains(
            &v.replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        )),
        "the trainer sees expected values"
    );
    for value in &pack_expected {
        assert!(
            !self_page.body.contains(value.as_str()),
            "learner page shows expected {value:?}"
        );
        assert!(
            !self_report.body.contains(value.as_str()),
            "learner report shows expected {value:?}"
        );
        assert!(
            !answer.body.contains(value.as_str()),
            "learner answer shows expected {value:?}"
        );
    }
    assert!(self_page.body.contains("Alice &lt;b&gt;"));
    // Bob's page shows no result of Alice's; a made-up token reaches nothing.
    let bob_view = h.get(&bob_page, None).await;
    assert!(
        bob_view.body.contains("Aucun envoi reçu"),
        "{}",
        bob_view.body
    );
    assert!(!bob_view.body.contains("Alice"));
    assert_eq!(
        h.get("/l/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Bob's key cannot submit for Alice.
    let forged = LearnerKey::parse(&bob.to_file_text().replace(
        &format!("learner={}", bob.learner),
        &format!("learner={}", alice.learner),
    ))
    .unwrap();
    let refused = h
        .submit_signed(&forged, snapshot().as_bytes(), h.tick(10), "fr")
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    // The grid and the per-check view show the result.
    let grid = h.get(&format!("/classes/{id}"), Some(&cookie)).await;
    assert!(
        grid.body
            .contains(&format!("id=\"learner-{}\"", alice.learner))
    );
    assert!(grid.body.contains("s-pass") || grid.body.contains("s-fail"));
    let check = h
        .get(&format!("/classes/{id}/checks/lnx-users"), Some(&cookie))
        .await;
    assert_eq!(check.status, StatusCode::OK);
    assert!(
        check.body.contains("sur 1 bloqués sur lnx-users"),
        "{}",
        check.body
    );
    let moodle = h
        .get(&format!("/classes/{id}/export/moodle.csv"), Some(&cookie))
        .await;
    assert!(moodle.body.starts_with("ID number"), "{}", moodle.body);
}

/// The trainer's report of the fixture snapshot, graded here with the core.
fn graded_for_trainer() -> serde_json::Value {
    use constat_checker_core::{CandidateInput, GradeOptions, HostObservation, Observed, grade};
    let pack = constat_checker_core::pack::load("lab-linux.yaml", &fixture("packs/lab-linux.yaml"))
        .unwrap();
    let snapshot = constat_snapshot::Snapshot::from_json(&snapshot()).unwrap();
    let input = CandidateInput {
        id: "x".into(),
        name: None,
        variables: Default::default(),
        expected_identity: Default::default(),
        hosts: [(
            "linux".to_owned(),
            HostObservation {
                end: Observed::Snapshot(Box::new(snapshot)),
                start: None,
            },
        )]
        .into(),
    };
    let report = grade(
        &pack,
        &input,
        &GradeOptions {
            graded_at: "2026-12-01T00:00:00Z".into(),
            profile: None,
            timezone: None,
        },
    );
    serde_json::to_value(report).unwrap()
}

#[tokio::test]
async fn submissions_are_bounded_and_every_refusal_says_why() {
    let h = harness();
    let cookie = h.trainer().await;
    let (_, code) = h.uploaded_class(&cookie).await;
    let (key, _) = h.join(&code, "Chloé").await;
    let body = snapshot();

    let tampered = {
        let signature = key.sign("linux", START, body.as_bytes());
        let request = Request::post(format!("/api/classes/{}/submissions", key.class))
            .header(HEADER_LEARNER, key.learner.to_string())
            .header(HEADER_ROLE, "linux")
            .header(HEADER_TIMESTAMP, START.to_string())
            .header(HEADER_SIGNATURE, signature)
            .body(Body::from(body.replace("\"hostname\"", "\"hostname\" ")))
            .unwrap();
        h.send(request).await
    };
    assert_eq!(tampered.status, StatusCode::UNAUTHORIZED);
    assert!(
        tampered.body.contains("Signature refusée"),
        "{}",
        tampered.body
    );

    let english = h
        .submit_signed(&key, body.as_bytes(), START - 3600, "en-GB,en;q=0.9")
        .await;
    assert_eq!(english.status, StatusCode::BAD_REQUEST);
    assert!(english.body.contains("clock differs"), "{}", english.body);

    let ok = h.submit_signed(&key, body.as_bytes(), START, "fr").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    // Sent again at once (the same signed second): told to wait, not called a replay.
    let again = h.submit_signed(&key, body.as_bytes(), START, "fr").await;
    assert_eq!(
        again.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        again.body
    );
    let hurried = h
        .submit_signed(&key, body.as_bytes(), START + 1, "fr")
        .await;
    assert_eq!(
        hurried.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        hurried.body
    );
    assert_eq!(hurried.headers[header::RETRY_AFTER], "2");

    let at = h.tick(5);
    // The same signed submission later: a replay.
    let replay = h.submit_signed(&key, body.as_bytes(), START, "fr").await;
    assert_eq!(replay.status, StatusCode::CONFLICT, "{}", replay.body);
    let malformed = h
        .submit_signed(&key, b"{\"schema_version\": 1, \"host\": ", at, "fr")
        .await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        malformed.body.contains("Instantané illisible : 1:"),
        "{}",
        malformed.body
    );

    let at = h.tick(5);
    let huge = vec![b' '; (4 << 20) + 1];
    let too_large = h.submit_signed(&key, &huge, at, "fr").await;
    assert_eq!(
        too_large.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        too_large.body
    );

    let stranger = LearnerKey::from_seed(key.class.clone(), 9999, None, [1; 32]);
    let unknown = h
        .submit_signed(&stranger, body.as_bytes(), h.tick(5), "fr")
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(
        unknown.body.contains("Apprenant inconnu"),
        "{}",
        unknown.body
    );

    let bad_join = h
        .send(
            Request::post("/api/join")
                .body(Body::from("{\"code\": 1"))
                .unwrap(),
        )
        .await;
    assert_eq!(bad_join.status, StatusCode::BAD_REQUEST);
    assert!(bad_join.body.contains("JSON invalide"), "{}", bad_join.body);

    let no_headers = h
        .send(
            Request::post(format!("/api/classes/{code}/submissions"))
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(no_headers.status, StatusCode::BAD_REQUEST);
    assert!(
        no_headers.body.contains("x-constat-learner"),
        "{}",
        no_headers.body
    );
}

#[tokio::test]
async fn the_grid_stream_receives_a_row_when_a_learner_submits() {
    let h = harness();
    let cookie = h.trainer().await;
    let (id, code) = h.uploaded_class(&cookie).await;
    let (key, _) = h.join(&code, "Dan").await;
    let response = h
        .app
        .clone()
        .oneshot(
            Request::get(format!("/classes/{id}/events"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut body = response.into_body();
    // The opening comment arrives first.
    let first = tokio::time::timeout(Duration::from_secs(5), body.frame())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(first.data_ref().unwrap()).starts_with(':'));
    let answer = h
        .submit_signed(&key, snapshot().as_bytes(), START, "fr")
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let mut received = String::new();
    while !received.contains("\n\n") {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Some(data) = frame.data_ref() {
            received.push_str(&String::from_utf8_lossy(data));
        }
    }
    assert!(
        received.starts_with("event: row\ndata: <tr id=\"learner-"),
        "{received}"
    );
    assert!(received.contains("Dan"), "{received}");
    assert_eq!(
        received.matches("\ndata:").count(),
        1,
        "one line of data: {received}"
    );
}

#[tokio::test]
async fn pull_pages_need_the_owner_and_csrf_and_say_when_pulling_is_off() {
    let h = harness();
    let ana = h.trainer().await;
    let (id, _) = h.uploaded_class(&ana).await;
    let path = format!("/classes/{id}/pull");
    assert_eq!(h.get(&path, None).await.headers[header::LOCATION], "/login");
    let (_, csrf) = h.form_page(&format!("{path}?lang=en"), Some(&ana)).await;
    let page = h.get(&format!("{path}?lang=en"), Some(&ana)).await;
    // This router has no pull engine: the page says so, the grid offers the page.
    assert!(
        page.body
            .contains("Pulling over SSH is not available on this server."),
        "{}",
        page.body
    );
    let grid = h.get(&format!("/classes/{id}?lang=en"), Some(&ana)).await;
    assert!(
        grid.body.contains(&format!("href=\"{path}\"")),
        "{}",
        grid.body
    );
    for (target, fields) in [
        (
            format!("{path}/inventory"),
            vec![("inventory", "candidates: []")],
        ),
        (format!("{path}/schedule"), vec![("interval", "5")]),
        (path.clone(), vec![]),
    ] {
        let mut forged = fields.clone();
        forged.push(("csrf", "forged"));
        let refused = h.post_form(&target, Some(&ana), &forged).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{target}");
        let mut sent = fields.clone();
        sent.push(("csrf", csrf.as_str()));
        let answer = h
            .post_form(&format!("{target}?lang=en"), Some(&ana), &sent)
            .await;
        assert!(
            matches!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
            ),
            "{target}: {}",
            answer.status
        );
    }
    let refused = h
        .post_form(&format!("{path}?lang=en"), Some(&ana), &[("csrf", &csrf)])
        .await;
    assert!(
        refused.body.contains("not available on this server"),
        "{}",
        refused.body
    );
    let interval = h
        .post_form(
            &format!("{path}/schedule?lang=en"),
            Some(&ana),
            &[("csrf", &csrf), ("interval", "0")],
        )
        .await;
    assert!(
        interval.body.contains("Interval “0” refused"),
        "{}",
        interval.body
    );
}

#[tokio::test]
async fn a_changed_host_key_is_shown_on_the_class_page_until_the_trainer_accepts_it() {
    use constat_serve::store::SeenHostKey;
    let h = harness();
    let ana = h.trainer().await;
    let (id, _) = h.uploaded_class(&ana).await;
    let learners = h
        .store
        .pull_learners(id, vec![("c01".into(), "Alice <Martin>".into())], START)
        .await
        .unwrap();
    let seen = |n: u8| SeenHostKey {
        host: "[10.0.1.20]:22".into(),
        key: format!("ssh-ed25519 AAAA{n}"),
        fingerprint: format!("SHA256:k/{n}+x"),
        learner_id: learners[0].1,
        role: "linux".into(),
    };
    // What a pull run records: trusted on first use, then another key refused.
    h.store.trust_host_key(id, seen(1), START).await.unwrap();
    let grid_path = format!("/classes/{id}?lang=en");
    let grid = h.get(&grid_path, Some(&ana)).await;
    assert!(
        !grid.body.contains("SSH host keys refused"),
        "{}",
        grid.body
    );
    h.store
        .offer_host_key(id, seen(2), h.tick(60))
        .await
        .unwrap();
    let grid = h.get(&grid_path, Some(&ana)).await;
    let section = grid
        .body
        .split("<section id=\"host-keys\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_else(|| panic!("no refused key: {}", grid.body));
    for shown in [
        "Alice &lt;Martin&gt;",
        "<td>linux</td>",
        "[10.0.1.20]:22",
        "SHA256:k&#x2f;1+x",
        "SHA256:k&#x2f;2+x",
        "Accept the new key",
        "ssh-keygen -lf",
    ] {
        assert!(section.contains(shown), "{shown}: {section}");
    }
    let accept = format!("/classes/{id}/pull/host-key?lang=en");
    let (_, csrf) = h.form_page(&grid_path, Some(&ana)).await;
    let csrf = csrf.as_str();
    // Without the page's token, or without a trainer's session: refused, nothing changes.
    let forged = h
        .post_form(
            &accept,
            Some(&ana),
            &host_key_form("forged", "SHA256:k/2+x"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let anonymous = h
        .post_form(&accept, None, &host_key_form(csrf, "SHA256:k/2+x"))
        .await;
    assert_eq!(anonymous.headers[header::LOCATION], "/login");
    // Another key than the one shown: refused with what to do.
    let stale = h
        .post_form(&accept, Some(&ana), &host_key_form(csrf, "SHA256:k/3+x"))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale
            .body
            .contains("reload the class page and check the fingerprint"),
        "{}",
        stale.body
    );
    let accepted = h
        .post_form(&accept, Some(&ana), &host_key_form(csrf, "SHA256:k/2+x"))
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(accepted.headers[header::LOCATION], format!("/classes/{id}"));
    let keys = h.store.pull_host_keys(id).await.unwrap();
    assert_eq!(
        (keys[0].fingerprint.as_str(), keys[0].offered.is_none()),
        ("SHA256:k/2+x", true)
    );
    let grid = h.get(&grid_path, Some(&ana)).await;
    assert!(
        !grid.body.contains("SSH host keys refused"),
        "{}",
        grid.body
    );
}

/// The class page's form accepting the key of `[10.0.1.20]:22`.
fn host_key_form<'a>(csrf: &'a str, fingerprint: &'a str) -> [(&'a str, &'a str); 3] {
    [
        ("csrf", csrf),
        ("host", "[10.0.1.20]:22"),
        ("fingerprint", fingerprint),
    ]
}

/// A pull engine standing for the SSH session engine: one candidate, one host, whose key is
/// seen for the first time on the first run and changed on the next ones; with `strict`,
/// refused on every run as unknown to an inventory that accepts known keys only.
struct KeyChangingEngine {
    runs: std::sync::atomic::AtomicUsize,
    strict: bool,
}

impl constat_serve::pull::PullEngine for KeyChangingEngine {
    fn check_inventory(
        &self,
        _text: &str,
        _origin: &str,
        _lang: constat_serve::i18n::Lang,
    ) -> Result<constat_serve::pull::InventoryPlan, String> {
        use constat_serve::pull::{InventoryPlan, PlannedCandidate, PlannedHost};
        Ok(InventoryPlan {
            candidates: vec![PlannedCandidate {
                id: "c01".into(),
                name: "Alice Martin".into(),
                hosts: vec![PlannedHost {
                    role: "linux".into(),
                    address: "10.0.1.20:22".into(),
                    user: "root".into(),
                    auth: "key lab".into(),
                }],
            }],
            pack: None,
            timezone: None,
            time_limit_secs: 60,
        })
    }

    fn collect(
        &self,
        job: constat_serve::pull::PullJob,
        hosts: tokio::sync::mpsc::UnboundedSender<constat_serve::pull::PulledHost>,
    ) -> constat_serve::pull::PullFuture {
        use constat_serve::pull::{HostKey, HostKeySeen, PulledHost};
        use constat_serve::store::PullFailure;
        let run = self.runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let key = |n: u8| HostKey {
            host: "[10.0.1.20]:22".into(),
            key: format!("ssh-ed25519 AAAA{n}"),
            fingerprint: format!("SHA256:key{n}"),
        };
        let (outcome, host_key) = if self.strict {
            let failure = PullFailure {
                status: "collection_failed".into(),
                kind: "host_key".into(),
                cause: "the session's known_hosts wording, replaced".into(),
            };
            (Err(failure), Some(HostKeySeen::Unknown(key(3))))
        } else if run == 0 {
            assert!(job.host_keys.is_empty(), "{:?}", job.host_keys);
            let failure = PullFailure {
                status: "unreachable".into(),
                kind: "timeout".into(),
                cause: "no answer".into(),
            };
            (Err(failure), Some(HostKeySeen::FirstUse(key(1))))
        } else {
            // The class's trusted key is handed to the engine.
            assert_eq!(
                job.host_keys.get("[10.0.1.20]:22").map(String::as_str),
                Some("ssh-ed25519 AAAA1")
            );
            let failure = PullFailure {
                status: "collection_failed".into(),
                kind: "host_key".into(),
                cause: "the engine's own words, replaced".into(),
            };
            (Err(failure), Some(HostKeySeen::Refused(key(2))))
        };
        let _ = hosts.send(PulledHost {
            candidate: "c01".into(),
            role: "linux".into(),
            outcome,
            host_key,
        });
        Box::pin(async { Ok(()) })
    }
}

/// A harness pulling with `engine`, its trainer's session and a class with an inventory.
async fn class_pulled_by(engine: KeyChangingEngine) -> (common::Harness, String, i64) {
    use constat_serve::store::PullInventory;
    let h = common::harness_with_pull(Limits::default(), Some(Arc::new(engine)));
    let ana = h.trainer().await;
    let (id, _) = h.uploaded_class(&ana).await;
    h.store
        .set_pull_inventory(
            id,
            PullInventory {
                source: "lab.yaml".into(),
                yaml: "candidates: []".into(),
                uploaded_at: START,
            },
        )
        .await
        .unwrap();
    (h, ana, id)
}

/// Presses « pull now » and waits until the store has the run's end (the run goes on in
/// the background).
async fn pull_and_wait(h: &Harness, id: i64, cookie: &str, runs: i64) {
    let (_, csrf) = h.form_page(&format!("/classes/{id}"), Some(cookie)).await;
    let pressed = h
        .post_form(
            &format!("/classes/{id}/pull"),
            Some(cookie),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(pressed.status, StatusCode::SEE_OTHER, "{}", pressed.body);
    for _ in 0..500 {
        let config = h.store.pull_config(id).await.unwrap().unwrap();
        if config.running_until.is_none() && config.last.is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("pull {runs} did not end");
}

#[tokio::test]
async fn a_pull_trusts_a_host_key_on_first_use_and_refuses_a_changed_one_in_the_readers_words() {
    let (h, ana, id) = class_pulled_by(KeyChangingEngine {
        runs: Default::default(),
        strict: false,
    })
    .await;
    pull_and_wait(&h, id, &ana, 1).await;
    let keys = h.store.pull_host_keys(id).await.unwrap();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(
        (keys[0].fingerprint.as_str(), keys[0].role.as_str()),
        ("SHA256:key1", "linux")
    );
    // The host failed for another reason: its own cause stays.
    let grid = h.get(&format!("/classes/{id}"), Some(&ana)).await;
    assert!(grid.body.contains("no answer"), "{}", grid.body);

    h.tick(120);
    pull_and_wait(&h, id, &ana, 2).await;
    let keys = h.store.pull_host_keys(id).await.unwrap();
    assert_eq!(keys[0].fingerprint, "SHA256:key1", "still the trusted key");
    assert_eq!(
        keys[0].offered.as_ref().map(|o| o.fingerprint.as_str()),
        Some("SHA256:key2")
    );
    // In the reader's language (French by default): whose host, which, both fingerprints.
    let grid = h.get(&format!("/classes/{id}"), Some(&ana)).await;
    assert!(
        grid.body.contains(
            "la clé SSH de l&#x27;hôte linux de Alice Martin ([10.0.1.20]:22) a changé : \
             clé enregistrée SHA256:key1, clé présentée SHA256:key2"
        ),
        "{}",
        grid.body
    );
    assert!(
        !grid.body.contains("the engine's own words"),
        "{}",
        grid.body
    );
    assert!(
        grid.body.contains("Accepter la nouvelle clé"),
        "{}",
        grid.body
    );
}

/// An inventory with `strict_host_keys` meets a host whose key the class has never trusted:
/// the host is refused, nothing is trusted or offered, and the class page says, in the
/// reader's language, which key it was and what the trainer can do there.
#[tokio::test]
async fn a_strict_inventory_refuses_an_unknown_host_key_and_says_what_to_do_on_the_class_page() {
    let (h, ana, id) = class_pulled_by(KeyChangingEngine {
        runs: Default::default(),
        strict: true,
    })
    .await;
    pull_and_wait(&h, id, &ana, 1).await;
    assert!(h.store.pull_host_keys(id).await.unwrap().is_empty());
    let grid = h.get(&format!("/classes/{id}"), Some(&ana)).await;
    // Whole in the grid's cell (the row names the learner, the cell the role).
    assert!(
        grid.body.contains(
            "linux : relevé échoué — clé SSH inconnue SHA256:key3 refusée (strict_host_keys : \
             clés connues seulement). Si c&#x27;est celle de la VM, joignez l&#x27;inventaire sans \
             strict_host_keys (page « Relevé par SSH ») le temps d&#x27;un relevé ("
        ),
        "{}",
        grid.body
    );
    assert!(!grid.body.contains("known_hosts wording"), "{}", grid.body);
    // A pull started by an English reader is worded in English.
    h.tick(120);
    let english = format!("{ana}; lang=en");
    pull_and_wait(&h, id, &english, 2).await;
    let grid = h.get(&format!("/classes/{id}"), Some(&english)).await;
    assert!(
        grid.body.contains(
            "unknown SSH key SHA256:key3 refused (strict_host_keys: known keys only). If it is \
             the VM&#x27;s, attach the inventory without strict_host_keys (“Pull over SSH” page) \
             for one pull"
        ),
        "{}",
        grid.body
    );
}
