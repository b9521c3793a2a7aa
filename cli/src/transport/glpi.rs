//! The `glpi` transport: reads a GLPI server (9.5, 10) through its legacy REST API
//! (`apirest.php`) into one snapshot with the `helpdesk` section (`constat_systems::glpi`).
//!
//! Read-only: `GET initSession` with the user's API token (`cred` without `user:`, sent as
//! `Authorization: user_token …`) or the account's login and password (`user:` and its
//! password in `cred`, sent as `Authorization: Basic …`, GLPI's other `initSession`
//! method), and the API client's application token (`app_token_cred`,
//! sent as `App-Token`, when the API client defines one), `GET getFullSession` (only its
//! `glpi_currenttime` is kept: the server's clock gives its time offset), the `GET` of the
//! lists in [`LISTS`] (each with `range=0-N` and `get_hateoas=false`; a longer list is cut
//! and said so in `helpdesk.truncated`), and `GET killSession` to close the session. Nothing
//! else is ever sent. URL: `https://address:443/apirest.php` by default (`tls: plain` = HTTP
//! on port 80; `api_path` changes the path, e.g. `/glpi/apirest.php`).

use super::cause;
use super::collector::{CollectContext, CollectFuture, Collected, RemoteCollector};
use super::host_error::{HostError, HostErrorKind};
use super::http_api::{ApiClient, channel_label, excerpt};
use crate::i18n::tf;
use crate::inventory::HostTarget;
use crate::secret::Secret;
use constat_systems::glpi::{GlpiAnswers, ServerOffset, offset_from_session, parse_glpi};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Default path of the API.
pub(super) const DEFAULT_API_PATH: &str = "/apirest.php";

/// The lists read: item type, largest range end, and whether the reading fails without it
/// (an optional list the account may not read is recorded in `helpdesk.unread`).
pub(super) const LISTS: &[(&str, u32, bool)] = &[
    ("Ticket", 1999, true),
    ("ITILCategory", 1999, false),
    ("Ticket_User", 9999, false),
    ("User", 4999, false),
    ("ITILFollowup", 9999, false),
    ("ITILSolution", 9999, false),
    ("KnowbaseItem", 1999, true),
    // GLPI 10; GLPI 9.5 keeps the category on the article and answers 400 here.
    ("KnowbaseItem_KnowbaseItemCategory", 4999, false),
    ("KnowbaseItemCategory", 1999, false),
];

/// Collects `glpi` hosts.
#[derive(Debug, Clone, Copy, Default)]
pub struct GlpiCollector;

impl RemoteCollector for GlpiCollector {
    fn collect<'a>(&'a self, target: &'a HostTarget, ctx: &'a CollectContext) -> CollectFuture<'a> {
        Box::pin(collect_glpi(target, ctx))
    }
}

/// What GLPI said in an error answer (`["ERROR_…", "message"]`), or an excerpt.
fn glpi_error(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(parts)) => parts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        _ => excerpt(body),
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `initSession`'s `Authorization` header: `user_token …` for an API token (no `user:`),
/// else HTTP Basic with the login and its password. Both stay [`Secret`]s.
fn initsession_authorization(user: &str, credential: &Secret) -> Secret {
    use base64::Engine as _;
    if user.is_empty() {
        return Secret::new(format!("user_token {}", credential.expose()));
    }
    let pair = Secret::new(format!("{user}:{}", credential.expose()));
    Secret::new(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair.expose())
    ))
}

/// One read of the API.
struct Reading {
    lists: BTreeMap<&'static str, Vec<u8>>,
    truncated: Vec<String>,
    unread: Vec<String>,
    offset: ServerOffset,
}

/// Collects one `glpi` host.
pub async fn collect_glpi(
    target: &HostTarget,
    ctx: &CollectContext,
) -> Result<Collected, HostError> {
    let credential = ctx.required_password(target, "glpi.needs_cred")?;
    let app_token = target
        .app_token_cred
        .as_deref()
        .map(|c| ctx.password(c))
        .transpose()?;
    let started = Instant::now();
    let started_at = crate::grading::now_rfc3339();
    let api = ApiClient::new(target, ctx)?;
    let path = target.api_path.as_deref().unwrap_or(DEFAULT_API_PATH);
    let base = api.url(path);
    let bad = |url: &str, error: String| {
        HostError::new(
            HostErrorKind::BadOutput,
            tf(
                "glpi.bad_answer",
                &[("host", &api.label()), ("url", &url), ("error", &error)],
            ),
        )
    };
    let work = async {
        let authorization = initsession_authorization(&target.user, &credential);
        let mut headers: Vec<(&str, &Secret)> = vec![("Authorization", &authorization)];
        if let Some(app) = &app_token {
            headers.push(("App-Token", app));
        }
        let init = format!("{path}/initSession");
        let (status, _, body) = api.get_with_headers(&init, &headers).await?;
        if !(200..300).contains(&status) {
            return Err(HostError::new(
                HostErrorKind::AuthRefused,
                tf(
                    "glpi.auth_refused",
                    &[
                        ("host", &api.label()),
                        ("url", &api.url(&init)),
                        ("status", &status),
                        ("error", &glpi_error(&body)),
                    ],
                ),
            ));
        }
        let session = serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|v| v["session_token"].as_str().map(Secret::new))
            .ok_or_else(|| {
                bad(
                    &api.url(&init),
                    cause::detailed(&cause::answer(status, &body), &excerpt(&body)),
                )
            })?;
        let mut headers: Vec<(&str, &Secret)> = vec![("Session-Token", &session)];
        if let Some(app) = &app_token {
            headers.push(("App-Token", app));
        }
        let result = read_lists(&api, path, &headers).await;
        // Closes the session initSession opened; its failure changes nothing read.
        let _ = api
            .get_with_headers(&format!("{path}/killSession"), &headers)
            .await;
        result
    };
    let reading = super::http_api::within_host_timeout(ctx, target, &base, work).await?;
    let list = |name: &str| reading.lists.get(name).map(Vec::as_slice);
    let mut helpdesk = parse_glpi(
        GlpiAnswers {
            tickets: list("Ticket").unwrap_or_default(),
            ticket_categories: list("ITILCategory"),
            ticket_users: list("Ticket_User"),
            users: list("User"),
            followups: list("ITILFollowup"),
            solutions: list("ITILSolution"),
            kb_items: list("KnowbaseItem").unwrap_or_default(),
            kb_item_categories: list("KnowbaseItem_KnowbaseItemCategory"),
            kb_categories: list("KnowbaseItemCategory"),
        },
        &reading.offset,
        &base,
    )
    .map_err(|e| {
        let bodies: Vec<&[u8]> = reading.lists.values().map(Vec::as_slice).collect();
        bad(
            &base,
            cause::detailed(&cause::shape(&bodies), &e.to_string()),
        )
    })?;
    helpdesk.truncated = reading.truncated;
    helpdesk.unread = reading.unread;
    let mut snapshot =
        constat_systems::glpi::helpdesk_snapshot(helpdesk, &target.address, &base, &started_at);
    snapshot.collection.agent = "constat-glpi".to_owned();
    snapshot.collection.finished_at = crate::grading::now_rfc3339();
    snapshot.collection.duration_ms = started.elapsed().as_millis() as u64;
    snapshot.collection.transport = Some(channel_label("glpi api", target));
    Collected::from_snapshot(&snapshot, 3 + LISTS.len() as u32)
}

/// Reads the server's clock and every list of [`LISTS`] within one session.
async fn read_lists(
    api: &ApiClient,
    path: &str,
    headers: &[(&str, &Secret)],
) -> Result<Reading, HostError> {
    let bad = |url: &str, error: String| {
        HostError::new(
            HostErrorKind::BadOutput,
            tf(
                "glpi.bad_answer",
                &[("host", &api.label()), ("url", &url), ("error", &error)],
            ),
        )
    };
    let session_path = format!("{path}/getFullSession");
    let asked = unix_now();
    let (status, _, body) = api.get_with_headers(&session_path, headers).await?;
    let answered = unix_now();
    let offset = if (200..300).contains(&status) {
        let minutes = offset_from_session(&body, asked + (answered - asked) / 2).map_err(|e| {
            bad(
                &api.url(&session_path),
                cause::detailed(&cause::shape(&[&body]), &e.to_string()),
            )
        })?;
        ServerOffset {
            minutes,
            source: minutes.map(|_| "server clock".to_owned()),
        }
    } else {
        ServerOffset::default()
    };
    let mut reading = Reading {
        lists: BTreeMap::new(),
        truncated: Vec::new(),
        unread: Vec::new(),
        offset,
    };
    for (name, last, required) in LISTS {
        let list_path = format!("{path}/{name}?range=0-{last}&get_hateoas=false");
        let url = api.url(&list_path);
        let (status, total, body) = api.get_with_headers(&list_path, headers).await?;
        match status {
            200..=299 => {}
            401 => {
                return Err(HostError::new(
                    HostErrorKind::AuthRefused,
                    tf(
                        "glpi.auth_refused",
                        &[
                            ("host", &api.label()),
                            ("url", &url),
                            ("status", &status),
                            ("error", &glpi_error(&body)),
                        ],
                    ),
                ));
            }
            _ if !required => {
                reading
                    .unread
                    .push(format!("{name}: HTTP {status} {}", glpi_error(&body)));
                continue;
            }
            _ => {
                return Err(bad(
                    &url,
                    cause::detailed(
                        &cause::answer(status, &body),
                        &format!("HTTP {status} {}", glpi_error(&body)),
                    ),
                ));
            }
        }
        if let Some(total) = total
            && total > u64::from(*last) + 1
        {
            reading
                .truncated
                .push(format!("{name}: {} of {total} read", last + 1));
        }
        reading.lists.insert(name, body);
    }
    Ok(reading)
}
