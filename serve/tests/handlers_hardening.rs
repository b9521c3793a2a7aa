//! The handlers of issue 17's security gaps, driven through the router like a browser and
//! `constat check --submit` drive them (real SQLite in memory, see `common/`):
//!
//! * the login throttle: failed logins limited per trainer name and per client address,
//!   then « trop de tentatives, réessayez dans N s » (English with the browser's choice)
//!   without checking the password; a success forgets its name's failures;
//! * malformed or oversized forms and API bodies, malformed addresses and wrong methods:
//!   a page (forms) or a JSON `{error, help}` (`/api/…`) in the reader's language, never
//!   axum's plain-text English rejection;
//! * the collection plan and the exact `constat check` command of a class (shipped or
//!   pasted pack), on the join-success page too, never an expected value.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, Harness, fixture, harness_with, json};
use constat_serve::state::Limits;

fn harness() -> Harness {
    harness_with(Limits::default())
}

async fn login(h: &Harness, client: &str, lang: &str, name: &str, password: &str) -> Answer {
    let (cookie, csrf) = h.form_page("/login", None).await;
    h.post_form_from(
        client,
        lang,
        "/login",
        Some(&cookie),
        &[("csrf", &csrf), ("name", name), ("password", password)],
    )
    .await
}

#[tokio::test]
async fn failed_logins_are_limited_per_account_then_the_form_says_when_to_retry() {
    let h = harness();
    h.trainer().await;
    let limits = Limits::default();
    for _ in 0..limits.login_attempts_per_account {
        let wrong = login(&h, "192.0.2.1", "fr", "Mme Martin", "mauvais!!!!").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
        h.tick(1);
    }
    // Over the limit, even from another address and with the right password (not checked).
    let throttled = login(&h, "192.0.2.2", "fr", " mme martin ", "un mot de passe").await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = limits.login_window_secs - limits.login_attempts_per_account;
    assert!(
        throttled
            .body
            .contains(&format!("Trop de tentatives, réessayez dans {wait} s.")),
        "{}",
        throttled.body
    );
    assert_eq!(throttled.headers[header::RETRY_AFTER], wait.to_string());
    assert!(
        throttled.body.contains("name=\"csrf\""),
        "the form is shown again"
    );
    let english = login(&h, "192.0.2.3", "en", "Mme Martin", "un mot de passe").await;
    assert_eq!(english.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        english
            .body
            .contains(&format!("Too many attempts, try again in {wait} s.")),
        "{}",
        english.body
    );
    // Once the first failure is a window old, the right password logs in, which forgets
    // the name's failures: the next mistakes start from zero.
    h.tick(wait);
    let right = login(&h, "192.0.2.4", "fr", "Mme Martin", "un mot de passe").await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    for _ in 0..limits.login_attempts_per_account {
        let wrong = login(&h, "192.0.2.5", "fr", "Mme Martin", "mauvais!!!!").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    }
}

#[tokio::test]
async fn failed_logins_are_limited_per_client_address_whatever_the_name() {
    let h = harness();
    h.trainer().await;
    let limits = Limits::default();
    for n in 0..limits.login_attempts_per_address {
        let guess = login(
            &h,
            "198.51.100.7",
            "fr",
            &format!("nom {n}"),
            "x".repeat(12).as_str(),
        )
        .await;
        assert_eq!(guess.status, StatusCode::UNAUTHORIZED, "{}", guess.body);
    }
    let throttled = login(&h, "198.51.100.7", "fr", "Mme Martin", "un mot de passe").await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    // The trainer at another address is not locked out by that one.
    let elsewhere = login(&h, "198.51.100.8", "fr", "Mme Martin", "un mot de passe").await;
    assert_eq!(
        elsewhere.status,
        StatusCode::SEE_OTHER,
        "{}",
        elsewhere.body
    );
}

/// A raw request from the default client.
async fn raw(h: &Harness, method: &str, path: &str, content_type: &str, body: Vec<u8>) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT_LANGUAGE, "fr")
        .body(Body::from(body))
        .unwrap();
    h.send(request).await
}

fn assert_page(answer: &Answer, status: StatusCode, text: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert!(
        answer.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}",
        answer.headers
    );
    assert!(answer.body.contains(text), "{text} not in {}", answer.body);
}

#[tokio::test]
async fn malformed_oversized_or_mistyped_forms_get_a_page_saying_how_to_fix_them() {
    let h = harness_with(Limits {
        max_form_bytes: 64 << 10,
        ..Limits::default()
    });
    let cookie = h.trainer().await;
    let (_, csrf) = h.form_page("/classes", Some(&cookie)).await;
    // A pasted pack over the limit.
    let body = format!(
        "csrf={csrf}&name=TSSR&pack=demo&pack_yaml={}",
        "a".repeat(65 << 10)
    );
    let request = Request::post("/classes")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .body(Body::from(body))
        .unwrap();
    let big = h.send(request).await;
    assert_page(
        &big,
        StatusCode::PAYLOAD_TOO_LARGE,
        "Formulaire trop gros : plus de 64 Kio",
    );
    // Not a form.
    let json_login = raw(&h, "POST", "/login", "application/json", b"{}".to_vec()).await;
    assert_page(
        &json_login,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Formulaire envoyé dans un format inattendu",
    );
    // A field twice: serde refuses it.
    let twice = raw(
        &h,
        "POST",
        "/login",
        "application/x-www-form-urlencoded",
        b"name=a&name=b".to_vec(),
    )
    .await;
    assert_page(&twice, StatusCode::BAD_REQUEST, "Formulaire illisible");
    let query = h.get("/join?code=A&code=B", None).await;
    assert_page(&query, StatusCode::BAD_REQUEST, "Adresse mal formée");
    // Addresses that do not parse name nothing; wrong methods are said so.
    let id = h.get("/classes/abc", Some(&cookie)).await;
    assert_page(&id, StatusCode::NOT_FOUND, "Page introuvable.");
    let ids = h.get("/classes/1/learners/x%FF", Some(&cookie)).await;
    assert_page(&ids, StatusCode::NOT_FOUND, "Page introuvable.");
    let method = h.get("/logout", Some(&cookie)).await;
    assert_page(
        &method,
        StatusCode::METHOD_NOT_ALLOWED,
        "Cette adresse ne s&#x27;utilise pas ainsi",
    );
    for answer in [&big, &json_login, &twice, &query, &id, &method] {
        assert!(!answer.body.contains("Failed to"), "{}", answer.body);
    }
}

fn assert_api(answer: &Answer, status: StatusCode, error: &str) -> serde_json::Value {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
    let value = json(answer);
    assert!(
        value["error"].as_str().unwrap().contains(error),
        "{error} not in {value}"
    );
    assert!(
        !value["help"].as_str().unwrap_or_default().is_empty(),
        "{value}"
    );
    value
}

#[tokio::test]
async fn malformed_or_oversized_api_calls_get_a_json_error_in_the_readers_language() {
    let h = harness_with(Limits {
        max_form_bytes: 64 << 10,
        ..Limits::default()
    });
    let big = raw(
        &h,
        "POST",
        "/api/join",
        "application/json",
        vec![b' '; 65 << 10],
    )
    .await;
    assert_api(
        &big,
        StatusCode::PAYLOAD_TOO_LARGE,
        "Corps de la requête trop gros : plus de 65536 octets",
    );
    let bad = raw(
        &h,
        "POST",
        "/api/join",
        "application/json",
        b"{\"code\":".to_vec(),
    )
    .await;
    assert_api(&bad, StatusCode::BAD_REQUEST, "JSON invalide");
    let unknown = raw(
        &h,
        "POST",
        "/api/join",
        "application/json",
        br#"{"code":"ZZZZZZZZ","name":"Ada"}"#.to_vec(),
    )
    .await;
    assert_api(
        &unknown,
        StatusCode::NOT_FOUND,
        "Code d'inscription inconnu",
    );
    let path = raw(
        &h,
        "POST",
        "/api/classes/%FF%FE/submissions",
        "application/json",
        Vec::new(),
    )
    .await;
    assert_api(&path, StatusCode::NOT_FOUND, "Adresse d'API inconnue");
    let nowhere = raw(&h, "GET", "/api/nowhere", "application/json", Vec::new()).await;
    assert_api(&nowhere, StatusCode::NOT_FOUND, "Adresse d'API inconnue");
    let method = raw(&h, "GET", "/api/join", "application/json", Vec::new()).await;
    assert_api(
        &method,
        StatusCode::METHOD_NOT_ALLOWED,
        "Cette adresse ne s'utilise pas ainsi",
    );
    let request = Request::post("/api/join")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, "en-GB")
        .body(Body::from("[1, 2"))
        .unwrap();
    let english = h.send(request).await;
    assert_api(&english, StatusCode::BAD_REQUEST, "Invalid JSON");
}

#[tokio::test]
async fn a_class_tells_its_learners_what_to_collect_and_the_exact_command() {
    let h = harness();
    let cookie = h.trainer().await;
    // A shipped pack: named in the command.
    let (_, shipped) = h.class(&cookie, "lab-cp3-linux", "").await;
    let plan = h
        .get(&format!("/api/classes/{shipped}/collect"), None)
        .await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    let plan = json(&plan);
    assert_eq!(plan["shipped"], true);
    let pin = "ab".repeat(32);
    assert_eq!(
        plan["command"],
        format!(
            "sudo constat check --pack lab-cp3-linux --submit https://localhost/ --class {shipped} --key ~/constat-{shipped}.key --pin {pin}"
        )
    );
    // A pasted pack exists only on the server: no --pack, the client asks for the plan.
    let pasted = fixture("packs/lab-linux.yaml");
    let (_, code) = h.class(&cookie, "demo", &pasted).await;
    let answer = h.get(&format!("/api/classes/{code}/collect"), None).await;
    let plan = json(&answer);
    assert_eq!(plan["shipped"], false);
    assert_eq!(plan["class"], code.as_str());
    let command = plan["command"].as_str().unwrap();
    assert!(!command.contains("--pack"), "{command}");
    assert!(command.contains(&format!("--class {code}")), "{command}");
    let linux = &plan["roles"]["linux"];
    let sections: Vec<&str> = linux["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(sections.contains(&"users"), "{sections:?}");
    // Paths and section names only: no check, no expectation.
    for word in ["expect", "shell", "mode", "hint"] {
        assert!(!answer.body.contains(word), "{word} in {}", answer.body);
    }
    // The join-success page shows the same command.
    let (anon, csrf) = h.form_page("/join", None).await;
    let joined = h
        .post_form(
            "/join",
            Some(&anon),
            &[("csrf", &csrf), ("code", &code), ("name", "Ada")],
        )
        .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    // (escaped as every value on a page: `/` is `&#x2f;`)
    let shown = command.replace('/', "&#x2f;");
    assert!(joined.body.contains(&shown), "{}", joined.body);
    let unknown = h.get("/api/classes/ZZZZZZZZ/collect", None).await;
    assert_api(
        &unknown,
        StatusCode::NOT_FOUND,
        "Code d'inscription inconnu",
    );
}
