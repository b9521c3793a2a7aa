//! The router driven as a browser and scripts drive it (`tower::ServiceExt::oneshot`), over a
//! real SQLite store in memory and a clock the test moves: shared by the handler tests.
//! Every request carries a client address (`ClientAddr`), as the accept loop adds it.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use constat_serve::client_addr::ClientAddr;
use constat_serve::protocol::{
    HEADER_LEARNER, HEADER_ROLE, HEADER_SIGNATURE, HEADER_TIMESTAMP, LearnerKey,
};
use constat_serve::router::router;
use constat_serve::state::{AppState, Clock, Limits, Settings};
use constat_serve::store::{SqliteStore, Store};
use http_body_util::BodyExt;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use tower::ServiceExt;

/// The clock's start (2026-11-29).
pub(crate) const START: i64 = 1_796_000_000;

/// The application and its clock.
pub(crate) struct Harness {
    pub(crate) app: Router,
    pub(crate) clock: Arc<AtomicI64>,
    /// The store behind the pages (to set up what a pull run would have recorded).
    pub(crate) store: Arc<dyn Store>,
}

/// An answer, read whole.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

/// A fixture of the checker core.
pub(crate) fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../checker-core/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A server with TLS settings, a fingerprint and `limits`.
pub(crate) fn harness_with(limits: Limits) -> Harness {
    harness_with_pull(limits, None)
}

/// The same, pulling through `engine` when given.
pub(crate) fn harness_with_pull(
    limits: Limits,
    engine: Option<Arc<dyn constat_serve::pull::PullEngine>>,
) -> Harness {
    let store = SqliteStore::in_memory().unwrap();
    let clock = Arc::new(AtomicI64::new(START));
    let read = Arc::clone(&clock);
    let settings = Settings {
        tls: true,
        fingerprint: Some("ab".repeat(32)),
        limits,
        clock: Arc::new(move || read.load(Ordering::SeqCst)) as Clock,
    };
    let store = Arc::new(store) as Arc<dyn Store>;
    let mut state = AppState::new(Arc::clone(&store), settings).unwrap();
    if let Some(engine) = engine {
        state = state.with_pull(engine);
    }
    Harness {
        app: router(state),
        clock,
        store,
    }
}

/// The default address of requests.
pub(crate) const CLIENT: &str = "192.0.2.10";

impl Harness {
    /// Sends `request` from `client`.
    pub(crate) async fn send_from(&self, client: &str, mut request: Request<Body>) -> Answer {
        let ip: IpAddr = client.parse().unwrap();
        request.extensions_mut().insert(ClientAddr(Some(ip)));
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// Sends `request` from [`CLIENT`].
    pub(crate) async fn send(&self, request: Request<Body>) -> Answer {
        self.send_from(CLIENT, request).await
    }

    pub(crate) async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A form posted from `client` (`lang` as `Accept-Language`).
    pub(crate) async fn post_form_from(
        &self,
        client: &str,
        lang: &str,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Answer {
        let body: String = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT_LANGUAGE, lang);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send_from(client, request.body(Body::from(body)).unwrap())
            .await
    }

    pub(crate) async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Answer {
        self.post_form_from(CLIENT, "fr", path, cookie, fields)
            .await
    }

    /// A page's session cookie (new, or the one given) and its form's CSRF token.
    pub(crate) async fn form_page(&self, path: &str, cookie: Option<&str>) -> (String, String) {
        let page = self.get(path, cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        let cookie = session_of(&page.headers)
            .or_else(|| cookie.map(str::to_owned))
            .unwrap();
        (cookie, csrf_of(&page.body))
    }

    /// A trainer (« Mme Martin », « un mot de passe ») set up on a new server, logged in.
    pub(crate) async fn trainer(&self) -> String {
        let (cookie, csrf) = self.form_page("/setup", None).await;
        let done = self
            .post_form(
                "/setup",
                Some(&cookie),
                &[
                    ("csrf", &csrf),
                    ("name", "Mme Martin"),
                    ("password", "un mot de passe"),
                    ("password_again", "un mot de passe"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        session_of(&done.headers).unwrap()
    }

    /// A class with `pack` (shipped id) or `pack_yaml` (pasted): its id and enrolment code.
    pub(crate) async fn class(&self, cookie: &str, pack: &str, pack_yaml: &str) -> (i64, String) {
        self.class_from(
            cookie,
            &[("name", "TSSR"), ("pack", pack), ("pack_yaml", pack_yaml)],
        )
        .await
    }

    /// A class « TSSR <2026> » from 2026-12-01 with the checker core's fixture pack pasted.
    pub(crate) async fn uploaded_class(&self, cookie: &str) -> (i64, String) {
        let pack = fixture("packs/lab-linux.yaml");
        self.class_from(
            cookie,
            &[
                ("name", "TSSR <2026>"),
                ("pack", "demo"),
                ("pack_yaml", &pack),
                ("starts_on", "2026-12-01"),
            ],
        )
        .await
    }

    /// A class made with the form `fields`: its id and enrolment code.
    pub(crate) async fn class_from(&self, cookie: &str, fields: &[(&str, &str)]) -> (i64, String) {
        let (_, csrf) = self.form_page("/classes", Some(cookie)).await;
        let mut sent = vec![("csrf", csrf.as_str())];
        sent.extend_from_slice(fields);
        let done = self.post_form("/classes", Some(cookie), &sent).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let location = done.headers[header::LOCATION].to_str().unwrap().to_owned();
        let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
        let grid = self.get(&location, Some(cookie)).await;
        let code = grid
            .body
            .split("<p class=\"code\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_owned();
        (id, code)
    }

    /// A learner enrolled through `/api/join`: their key and page.
    pub(crate) async fn join(&self, code: &str, name: &str) -> (LearnerKey, String) {
        let request = Request::post("/api/join")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                serde_json::json!({ "code": code, "name": name }).to_string(),
            ))
            .unwrap();
        let answer = self.send(request).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        let value = json(&answer);
        let key = LearnerKey::parse(value["key"].as_str().unwrap()).unwrap();
        (key, value["page"].as_str().unwrap().to_owned())
    }

    /// `body` submitted as `constat check --submit` sends it, signed at `signed_at`.
    pub(crate) async fn submit_signed(
        &self,
        key: &LearnerKey,
        body: &[u8],
        signed_at: i64,
        lang: &str,
    ) -> Answer {
        let signature = key.sign("linux", signed_at, body);
        let request = Request::post(format!("/api/classes/{}/submissions", key.class))
            .header(HEADER_LEARNER, key.learner.to_string())
            .header(HEADER_ROLE, "linux")
            .header(HEADER_TIMESTAMP, signed_at.to_string())
            .header(HEADER_SIGNATURE, signature)
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::from(body.to_vec()))
            .unwrap();
        self.send(request).await
    }

    pub(crate) fn tick(&self, secs: i64) -> i64 {
        self.clock.fetch_add(secs, Ordering::SeqCst) + secs
    }
}

pub(crate) fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn session_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("constat_session=") && !v.starts_with("constat_session=;"))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

pub(crate) fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

/// The JSON of an API answer.
pub(crate) fn json(answer: &Answer) -> serde_json::Value {
    serde_json::from_str(&answer.body).unwrap_or_else(|e| panic!("{e}: {}", answer.body))
}
