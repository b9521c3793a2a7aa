//! The HTTP client of the API transports (`zabbix`, `icinga2`, `glpi`, `proxmox`): one `reqwest` client per host
//! with the inventory's TLS policy (`verify` with `ca_file` or the system roots, `insecure`,
//! `plain` = HTTP), no proxy from the environment, no redirect followed, a connect and a
//! whole-request time limit, and answers read in chunks up to the host's output limit (past
//! it the host fails with `output_too_large`, nothing more is read).

use super::cause;
use super::collector::CollectContext;
use super::host_error::{HostError, HostErrorKind};
use crate::i18n::tf;
use crate::inventory::{HostTarget, TlsMode};
use crate::secret::Secret;
use constat_windows::link::LinkFailure;
use std::time::Duration;

/// An API endpoint of one host.
pub(crate) struct ApiClient {
    client: reqwest::Client,
    base: String,
    limit: u64,
    label: String,
    timeout: Duration,
}

/// What the channel was, for `collection.transport`.
pub(crate) fn channel_label(name: &str, target: &HostTarget) -> String {
    match target.tls.unwrap_or_default() {
        TlsMode::Verify => format!("{name} https"),
        TlsMode::Insecure => format!("{name} https, certificate NOT verified (insecure chosen)"),
        TlsMode::Plain => format!("{name} http (no TLS)"),
    }
}

/// The whole chain of an error's sources, on one line.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
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

impl ApiClient {
    /// A client for `target`, with `base` = scheme, host and port.
    pub(crate) fn new(target: &HostTarget, ctx: &CollectContext) -> Result<ApiClient, HostError> {
        let label = target.label();
        let tls = target.tls.unwrap_or_default();
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(ctx.connect_timeout)
            .timeout(ctx.host_timeout)
            .user_agent(concat!("constat/", env!("CARGO_PKG_VERSION")));
        match tls {
            TlsMode::Verify => {
                if let Some(ca_file) = &target.ca_file {
                    let pem = std::fs::read(ca_file).map_err(|e| {
                        HostError::new(
                            HostErrorKind::Tls,
                            tf(
                                "api.ca_file_unreadable",
                                &[
                                    ("host", &label),
                                    ("path", &ca_file),
                                    ("error", &cause::io(&e)),
                                ],
                            ),
                        )
                    })?;
                    let certs = reqwest::Certificate::from_pem_bundle(&pem)
                        .ok()
                        .filter(|c| !c.is_empty())
                        .ok_or_else(|| {
                            HostError::new(
                                HostErrorKind::Tls,
                                tf(
                                    "api.ca_file_unreadable",
                                    &[
                                        ("host", &label),
                                        ("path", &ca_file),
                                        ("error", &"no PEM certificate"),
                                    ],
                                ),
                            )
                        })?;
                    builder = builder.tls_certs_only(certs);
                }
            }
            TlsMode::Insecure => builder = builder.tls_danger_accept_invalid_certs(true),
            TlsMode::Plain => {}
        }
        let client = builder.build().map_err(|e| {
            HostError::new(
                HostErrorKind::Other,
                tf(
                    "api.connect_failed",
                    &[("host", &label), ("error", &chain(&e))],
                ),
            )
        })?;
        let scheme = if tls == TlsMode::Plain {
            "http"
        } else {
            "https"
        };
        let host = if target.address.contains(':') && !target.address.starts_with('[') {
            format!("[{}]", target.address)
        } else {
            target.address.clone()
        };
        Ok(ApiClient {
            client,
            base: format!("{scheme}://{host}:{}", target.port),
            limit: target.output_limit,
            label,
            timeout: ctx.host_timeout,
        })
    }

    /// The URL of `path` on this host.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Maps a `reqwest` failure on `url` to a host error: the kind and our phrase from the
    /// typed error (the I/O or TLS error in its chain), the library's text as the detail.
    fn send_error(&self, url: &str, error: &reqwest::Error) -> HostError {
        let (failure, phrase) = cause::http(error);
        let (kind, key) = match failure {
            LinkFailure::TimedOut => (HostErrorKind::Timeout, "api.timed_out"),
            LinkFailure::TlsNotSpoken => (HostErrorKind::Other, "api.connect_failed"),
            f if f.is_tls() => (HostErrorKind::Tls, "api.tls_refused"),
            LinkFailure::Refused | LinkFailure::Reset | LinkFailure::Unreachable => {
                (HostErrorKind::Unreachable, "api.connect_failed")
            }
            _ if error.is_connect() => (HostErrorKind::Unreachable, "api.connect_failed"),
            _ => (HostErrorKind::Other, "api.connect_failed"),
        };
        HostError::new(
            kind,
            tf(
                key,
                &[
                    ("host", &self.label),
                    (
                        "error",
                        &cause::detailed(phrase, &format!("{url}: {}", chain(error))),
                    ),
                    ("seconds", &self.timeout.as_secs()),
                ],
            ),
        )
    }

    /// Sends `request` and reads the answer up to the output limit: the status and the body.
    async fn read(
        &self,
        url: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<(u16, Vec<u8>), HostError> {
        let response = request.send().await.map_err(|e| self.send_error(url, &e))?;
        self.read_response(url, response).await
    }

    /// Reads an answer up to the output limit: the status and the body.
    async fn read_response(
        &self,
        url: &str,
        mut response: reqwest::Response,
    ) -> Result<(u16, Vec<u8>), HostError> {
        let status = response.status().as_u16();
        let too_large = |size: u64| {
            HostError::new(
                HostErrorKind::OutputTooLarge,
                tf(
                    "api.too_large",
                    &[
                        ("host", &self.label),
                        ("url", &url),
                        ("size", &size),
                        ("limit", &self.limit),
                    ],
                ),
            )
        };
        if let Some(length) = response.content_length()
            && length > self.limit
        {
            return Err(too_large(length));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.send_error(url, &e))?
        {
            if body.len() as u64 + chunk.len() as u64 > self.limit {
                return Err(too_large(body.len() as u64 + chunk.len() as u64));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, body))
    }

    /// `POST path` with a JSON body.
    pub(crate) async fn post_json(
        &self,
        path: &str,
        body: Vec<u8>,
    ) -> Result<(u16, Vec<u8>), HostError> {
        let url = self.url(path);
        let request = self
            .client
            .post(&url)
            .header("Content-Type", "application/json-rpc")
            .body(body);
        self.read(&url, request).await
    }

    /// `GET path` with HTTP basic authentication and `Accept: application/json`.
    pub(crate) async fn get_basic(
        &self,
        path: &str,
        user: &str,
        password: &Secret,
    ) -> Result<(u16, Vec<u8>), HostError> {
        let url = self.url(path);
        let request = self
            .client
            .get(&url)
            .header("Accept", "application/json")
            .basic_auth(user, Some(password.expose()));
        self.read(&url, request).await
    }

    /// `GET path` with these headers (secrets exposed only here): the status, the total
    /// of the answer's `Content-Range: first-last/total` when it has one, and the body.
    pub(crate) async fn get_with_headers(
        &self,
        path: &str,
        headers: &[(&str, &Secret)],
    ) -> Result<(u16, Option<u64>, Vec<u8>), HostError> {
        let url = self.url(path);
        let mut request = self.client.get(&url).header("Accept", "application/json");
        for (name, value) in headers {
            request = request.header(*name, value.expose());
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.send_error(&url, &e))?;
        let total = response
            .headers()
            .get("Content-Range")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit_once('/'))
            .and_then(|(_, total)| total.trim().parse().ok());
        let (status, body) = self.read_response(&url, response).await?;
        Ok((status, total, body))
    }

    /// The host label (`candidate/role`).
    pub(crate) fn label(&self) -> &str {
        &self.label
    }
}

/// The start of an answer, for an error message: at most 200 characters, on one line.
/// Runs an API exchange within the host's time limit; past it, `timeout` naming the host, what
/// was being read and the limit.
pub(crate) async fn within_host_timeout<T>(
    ctx: &CollectContext,
    target: &HostTarget,
    what: &str,
    work: impl std::future::Future<Output = Result<T, HostError>>,
) -> Result<T, HostError> {
    tokio::time::timeout(ctx.host_timeout, work)
        .await
        .map_err(|_| {
            HostError::new(
                HostErrorKind::Timeout,
                tf(
                    "api.timed_out",
                    &[
                        ("host", &target.label()),
                        ("error", &what),
                        ("seconds", &ctx.host_timeout.as_secs()),
                    ],
                ),
            )
        })?
}

pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(800)]);
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    format!("{one_line:?}")
}
