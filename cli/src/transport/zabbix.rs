//! The `zabbix` transport: reads a Zabbix server (6.0) through its JSON-RPC API into one
//! snapshot with the `supervision` section (`constat_systems::zabbix`).
//!
//! Read-only: the methods called are `user.login` (only when the inventory names a `user`;
//! without one the credential is an API token), `host.get`, `item.get`, `trigger.get`,
//! `problem.get`, and `user.logout` to close the session `user.login` opened. Nothing else
//! is ever sent. Zabbix 6.0 wants the session or API token in the request body (`auth`), not
//! in an `Authorization` header. URL: `https://address:443/zabbix/api_jsonrpc.php` by default
//! (`tls: plain` = HTTP on port 80; `api_path` changes the path).

use super::cause;
use super::collector::{CollectContext, CollectFuture, Collected, RemoteCollector};
use super::host_error::{HostError, HostErrorKind};
use super::http_api::{ApiClient, channel_label, excerpt};
use crate::i18n::tf;
use crate::inventory::HostTarget;
use crate::secret::Secret;
use constat_systems::zabbix::{ZabbixAnswers, parse_zabbix, read_requests};
use serde_json::{Value, json};
use std::time::Instant;

/// Default path of the API (Debian/Ubuntu `zabbix-frontend-php` under Apache).
pub(super) const DEFAULT_API_PATH: &str = "/zabbix/api_jsonrpc.php";

/// Collects `zabbix` hosts.
#[derive(Debug, Clone, Copy, Default)]
pub struct ZabbixCollector;

impl RemoteCollector for ZabbixCollector {
    fn collect<'a>(&'a self, target: &'a HostTarget, ctx: &'a CollectContext) -> CollectFuture<'a> {
        Box::pin(collect_zabbix(target, ctx))
    }
}

/// One JSON-RPC session with the server.
struct Rpc<'a> {
    api: ApiClient,
    path: &'a str,
    next_id: u64,
}

impl Rpc<'_> {
    /// Calls `method`; the raw answer when it is a JSON-RPC success, else a host error
    /// (`auth_refused` for a refused login or token, `bad_output` otherwise).
    async fn call(
        &mut self,
        method: &str,
        params: Value,
        auth: Option<&Secret>,
    ) -> Result<Vec<u8>, HostError> {
        self.next_id += 1;
        let mut request =
            json!({"jsonrpc": "2.0", "method": method, "params": params, "id": self.next_id});
        if let Some(token) = auth {
            request["auth"] = Value::String(token.expose().to_owned());
        }
        let body = serde_json::to_vec(&request)
            .map_err(|e| HostError::new(HostErrorKind::Other, e.to_string()))?;
        let (status, answer) = self.api.post_json(self.path, body).await?;
        let url = self.api.url(self.path);
        let bad = |what: String| {
            HostError::new(
                HostErrorKind::BadOutput,
                tf(
                    "zabbix.bad_answer",
                    &[
                        ("host", &self.api.label()),
                        ("url", &url),
                        ("method", &method),
                        ("error", &what),
                    ],
                ),
            )
        };
        if !(200..300).contains(&status) {
            return Err(bad(cause::detailed(
                &cause::answer(status, &answer),
                &format!("HTTP {status} {}", excerpt(&answer)),
            )));
        }
        let value: Value = serde_json::from_slice(&answer).map_err(|e| {
            bad(cause::detailed(
                &cause::answer(status, &answer),
                &format!("{e} {}", excerpt(&answer)),
            ))
        })?;
        if let Some(error) = value.get("error") {
            let text = |k: &str| match error.get(k) {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            let detail = format!("{} {} {}", text("code"), text("message"), text("data"));
            let lower = detail.to_ascii_lowercase();
            if method == "user.login"
                || lower.contains("not authori")
                || lower.contains("session terminated")
                || lower.contains("re-login")
            {
                return Err(HostError::new(
                    HostErrorKind::AuthRefused,
                    tf(
                        "zabbix.auth_refused",
                        &[
                            ("host", &self.api.label()),
                            ("url", &url),
                            ("error", &detail),
                        ],
                    ),
                ));
            }
            return Err(bad(detail));
        }
        if value.get("result").is_none() {
            return Err(bad(format!("no « result » {}", excerpt(&answer))));
        }
        Ok(answer)
    }
}

/// Collects one `zabbix` host.
pub async fn collect_zabbix(
    target: &HostTarget,
    ctx: &CollectContext,
) -> Result<Collected, HostError> {
    let secret = ctx.required_password(target, "zabbix.needs_cred")?;
    let started = Instant::now();
    let started_at = crate::grading::now_rfc3339();
    let path = target.api_path.as_deref().unwrap_or(DEFAULT_API_PATH);
    let mut rpc = Rpc {
        api: ApiClient::new(target, ctx)?,
        path,
        next_id: 0,
    };
    let url = rpc.api.url(path);
    let work = async {
        // With a user, a session token from user.login; without, the credential is an API
        // token used as is.
        let (token, logged_in) = if target.user.is_empty() {
            (secret.clone(), false)
        } else {
            let answer = rpc
                .call(
                    "user.login",
                    json!({"username": target.user, "password": secret.expose()}),
                    None,
                )
                .await?;
            let token = serde_json::from_slice::<Value>(&answer)
                .ok()
                .and_then(|v| v.get("result").and_then(Value::as_str).map(Secret::new))
                .ok_or_else(|| {
                    HostError::new(
                        HostErrorKind::BadOutput,
                        tf(
                            "zabbix.bad_answer",
                            &[
                                ("host", &target.label()),
                                ("url", &url),
                                ("method", &"user.login"),
                                (
                                    "error",
                                    &cause::detailed(
                                        &cause::answer(200, &answer),
                                        &excerpt(&answer),
                                    ),
                                ),
                            ],
                        ),
                    )
                })?;
            (token, true)
        };
        let mut answers = Vec::new();
        let mut failure = None;
        for (method, params) in read_requests() {
            match rpc.call(method, params, Some(&token)).await {
                Ok(answer) => answers.push(answer),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if logged_in {
            // Closes the session user.login opened; its failure changes nothing read.
            let _ = rpc.call("user.logout", json!([]), Some(&token)).await;
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(answers),
        }
    };
    let answers = super::http_api::within_host_timeout(ctx, target, &url, work).await?;
    let [hosts, items, triggers, problems] = <[Vec<u8>; 4]>::try_from(answers)
        .map_err(|_| HostError::new(HostErrorKind::Other, "zabbix: 4 answers expected"))?;
    let supervision = parse_zabbix(
        ZabbixAnswers {
            hosts: &hosts,
            items: &items,
            triggers: &triggers,
            problems: &problems,
        },
        &url,
    )
    .map_err(|e| {
        HostError::new(
            HostErrorKind::BadOutput,
            tf(
                "zabbix.bad_answer",
                &[
                    ("host", &target.label()),
                    ("url", &url),
                    ("method", &"*.get"),
                    ("error", &crate::supervision_errors::supervision_error(&e)),
                ],
            ),
        )
    })?;
    let mut snapshot = constat_systems::supervision::supervision_snapshot(
        supervision,
        &target.address,
        &url,
        &started_at,
    );
    snapshot.collection.agent = "constat-zabbix".to_owned();
    snapshot.collection.finished_at = crate::grading::now_rfc3339();
    snapshot.collection.duration_ms = started.elapsed().as_millis() as u64;
    snapshot.collection.transport = Some(channel_label("zabbix api", target));
    Collected::from_snapshot(&snapshot, 4 + 2 * u32::from(!target.user.is_empty()))
}
