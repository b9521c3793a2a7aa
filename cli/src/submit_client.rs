//! `constat check --submit URL --class CODE --key FILE`: sends this machine's snapshot to the
//! trainer's `constat serve`, signed with the learner's key, and prints the learner's view
//! of the result the server graded (the pack's expected values never leave the server).
//! `--pin SHA256` trusts exactly the server certificate with that fingerprint (the
//! self-signed one `constat serve` prints); without it the system's roots decide. Without
//! `--pack`, the server's collection plan (`GET /api/classes/CODE/collect`) says what to
//! collect: a pack pasted by the trainer exists only on the server.

use crate::errors::CliError;
use crate::i18n::{lang, t, tf};
use constat_checker_core::report::Report;
use constat_serve::cert_check::{Checked, PinnedCertificate};
use constat_serve::protocol::{
    CollectionPlan, HEADER_LEARNER, HEADER_ROLE, HEADER_SIGNATURE, HEADER_TIMESTAMP, LearnerKey,
    collect_path,
};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Largest key file read.
const MAX_KEY_BYTES: u64 = 4096;

/// Largest answer read from the server.
const MAX_ANSWER_BYTES: usize = 16 << 20;

/// Where and how to submit.
#[derive(Debug)]
pub struct SubmitTarget {
    /// Server base URL (`https://trainer:8443/`).
    pub url: String,
    /// The learner's key.
    pub key: LearnerKey,
    client: reqwest::Client,
}

/// Reads the key file (`--key`, else `~/constat-<CLASS>.key`) and checks it against `--class`.
fn read_key(key: Option<&Path>, class: Option<&str>) -> anyhow::Result<LearnerKey> {
    let path = match (key, class) {
        (Some(path), _) => path.to_owned(),
        (None, Some(class)) => {
            let home = std::env::var_os("HOME").unwrap_or_default();
            Path::new(&home).join(format!("constat-{}.key", class.trim().to_uppercase()))
        }
        (None, None) => {
            return Err(CliError::input(t("submit.key_needed"), t("submit.key_hint")).into());
        }
    };
    let unreadable = |e: &dyn std::fmt::Display| {
        CliError::input(
            tf(
                "submit.key_unreadable",
                &[("file", &path.display()), ("error", e)],
            ),
            t("submit.key_hint"),
        )
    };
    let file = std::fs::File::open(&path).map_err(|e| unreadable(&e))?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(file, MAX_KEY_BYTES), &mut text)
        .map_err(|e| unreadable(&e))?;
    let key = LearnerKey::parse(&text).map_err(|e| unreadable(&e))?;
    if let Some(class) = class
        && constat_serve::random::normalise_code(class).as_deref() != Some(key.class.as_str())
    {
        return Err(CliError::input(
            tf(
                "submit.class_mismatch",
                &[("class", &class), ("key_class", &key.class)],
            ),
            t("submit.key_hint"),
        )
        .into());
    }
    Ok(key)
}

impl SubmitTarget {
    /// The target of `--submit URL --class CODE --key FILE --pin SHA256`.
    pub fn new(
        url: &str,
        class: Option<&str>,
        key: Option<&Path>,
        pin: Option<&str>,
    ) -> anyhow::Result<SubmitTarget> {
        let key = read_key(key, class)?;
        let url = url.trim().trim_end_matches('/').to_owned();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(CliError::input(
                tf("submit.bad_url", &[("url", &url)]),
                t("submit.bad_url_hint"),
            )
            .into());
        }
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("constat/", env!("CARGO_PKG_VERSION")));
        if let Some(pin) = pin {
            let pin = constat_serve::tls::normalise_fingerprint(pin).ok_or_else(|| {
                CliError::input(
                    tf("submit.bad_pin", &[("pin", &pin)]),
                    t("submit.bad_pin_hint"),
                )
            })?;
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
                .with_safe_default_protocol_versions()?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Checked::new(
                    PinnedCertificate(pin),
                    provider,
                )))
                .with_no_client_auth();
            builder = builder.tls_backend_preconfigured(config);
        }
        Ok(SubmitTarget {
            url,
            key,
            client: builder.build()?,
        })
    }

    /// The learner's page on the server, when the key knows it.
    pub fn page_url(&self) -> Option<String> {
        self.key.page.as_ref().map(|p| format!("{}{p}", self.url))
    }

    /// Reaches the server once (TLS handshake, pinned certificate) before anything is
    /// collected: a wrong address or `--pin` fails at once, not after the collection.
    pub async fn check_reachable(&self) -> anyhow::Result<()> {
        self.client
            .get(format!("{}/", self.url))
            .send()
            .await
            .map(drop)
            .map_err(|e| {
                CliError::input(
                    tf(
                        "submit.unreachable",
                        &[("url", &self.url), ("error", &error_chain(&e))],
                    ),
                    t("submit.unreachable_hint"),
                )
                .into()
            })
    }

    /// Sends one snapshot for `role`; returns the learner's view of the graded report.
    pub async fn submit(&self, role: &str, body: Vec<u8>) -> anyhow::Result<Report> {
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let signature = self.key.sign(role, timestamp, &body);
        let endpoint = format!("{}/api/classes/{}/submissions", self.url, self.key.class);
        let response = self
            .client
            .post(&endpoint)
            .header(HEADER_LEARNER, self.key.learner.to_string())
            .header(HEADER_ROLE, role)
            .header(HEADER_TIMESTAMP, timestamp.to_string())
            .header(HEADER_SIGNATURE, signature)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(
                reqwest::header::ACCEPT_LANGUAGE,
                crate::i18n::lang_code(lang()),
            )
            .body(body)
            .send()
            .await
            .map_err(|e| {
                CliError::input(
                    tf(
                        "submit.unreachable",
                        &[("url", &self.url), ("error", &error_chain(&e))],
                    ),
                    t("submit.unreachable_hint"),
                )
            })?;
        #[derive(serde::Deserialize)]
        struct Accepted {
            report: Report,
        }
        let accepted: Accepted = self.answer(response).await?;
        Ok(accepted.report)
    }

    /// What to collect for the class (`constat check --submit` without `--pack`).
    pub async fn collection_plan(&self) -> anyhow::Result<CollectionPlan> {
        let endpoint = format!("{}{}", self.url, collect_path(&self.key.class));
        let response = self
            .client
            .get(&endpoint)
            .header(
                reqwest::header::ACCEPT_LANGUAGE,
                crate::i18n::lang_code(lang()),
            )
            .send()
            .await
            .map_err(|e| {
                CliError::input(
                    tf(
                        "submit.unreachable",
                        &[("url", &self.url), ("error", &error_chain(&e))],
                    ),
                    t("submit.unreachable_hint"),
                )
            })?;
        self.answer(response).await
    }

    /// A successful answer's JSON, or the server's refusal as an error.
    async fn answer<T: serde::de::DeserializeOwned>(
        &self,
        mut response: reqwest::Response,
    ) -> anyhow::Result<T> {
        let status = response.status();
        // The server's answer is bounded like everything a host sends: 16 MiB at most,
        // read chunk by chunk so that a longer one is never held whole.
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                anyhow::bail!("answer too large (more than {MAX_ANSWER_BYTES} bytes)");
            }
            bytes.extend_from_slice(&chunk);
        }
        if status.is_success() {
            return Ok(serde_json::from_slice(&bytes)?);
        }
        let refusal: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let text = |k: &str| {
            refusal
                .get(k)
                .and_then(|v| v.as_str())
                .map(|s| s.chars().take(500).collect::<String>())
        };
        Err(CliError::input(
            tf(
                "submit.refused",
                &[
                    ("status", &status.as_u16()),
                    (
                        "error",
                        &text("error").unwrap_or_else(|| status.to_string()),
                    ),
                ],
            ),
            text("help").unwrap_or_else(|| t("submit.unreachable_hint").to_owned()),
        )
        .into())
    }
}

/// An error and its sources, on one line.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let more = inner.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = inner.source();
    }
    text
}
