//! The `icinga2` transport: reads an Icinga2 (2.13) server through its REST API into one
//! snapshot with the `supervision` section (`constat_systems::supervision::parse_icinga2`).
//!
//! Read-only: three `GET`s with HTTP basic authentication (an `ApiUser`; `permissions =
//! [ "objects/query/Host", "objects/query/Service", "objects/query/Downtime" ]`):
//! [`HOSTS_PATH`], [`SERVICES_PATH`] and [`DOWNTIMES_PATH`] (refused or failing, the
//! downtimes are marked not read, the rest kept), asking only for the attributes read (states, last check output, check
//! command, `downtime_depth` for downtimes, `acknowledgement`, and each service's
//! `last_state_warning|critical|unknown` and `last_state_change` for `monitoring_alert`'s
//! `resolved`). URL:
//! `https://address:5665`; Icinga2's own CA (`/var/lib/icinga2/certs/ca.crt`) goes in
//! `ca_file`, and the address must be the name in the server's certificate.

use super::cause;
use super::collector::{CollectContext, CollectFuture, Collected, RemoteCollector};
use super::host_error::{HostError, HostErrorKind};
use super::http_api::{ApiClient, channel_label, excerpt};
use crate::i18n::tf;
use crate::inventory::HostTarget;
use std::time::Instant;

/// Hosts and the attributes read.
pub(super) const HOSTS_PATH: &str = "/v1/objects/hosts?attrs=name&attrs=address&attrs=state&attrs=last_check&attrs=last_check_result&attrs=downtime_depth&attrs=acknowledgement";

/// Services and the attributes read.
pub(super) const SERVICES_PATH: &str = "/v1/objects/services?attrs=name&attrs=host_name&attrs=state&attrs=last_check&attrs=last_check_result&attrs=check_command&attrs=downtime_depth&attrs=acknowledgement&attrs=last_state_warning&attrs=last_state_critical&attrs=last_state_unknown&attrs=last_state_change";

/// Scheduled downtimes and the attributes read (needs `objects/query/Downtime`; without it
/// the section says `downtimes_read: false`).
pub(super) const DOWNTIMES_PATH: &str = "/v1/objects/downtimes?attrs=host_name&attrs=service_name&attrs=author&attrs=comment&attrs=start_time&attrs=end_time&attrs=fixed";

/// Collects `icinga2` hosts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Icinga2Collector;

impl RemoteCollector for Icinga2Collector {
    fn collect<'a>(&'a self, target: &'a HostTarget, ctx: &'a CollectContext) -> CollectFuture<'a> {
        Box::pin(collect_icinga2(target, ctx))
    }
}

/// Collects one `icinga2` host.
pub async fn collect_icinga2(
    target: &HostTarget,
    ctx: &CollectContext,
) -> Result<Collected, HostError> {
    let password = ctx.required_password(target, "icinga2.needs_cred")?;
    let started = Instant::now();
    let started_at = crate::grading::now_rfc3339();
    let api = ApiClient::new(target, ctx)?;
    let base = api.url("");
    let get = |path: &'static str| {
        let api = &api;
        let password = &password;
        async move {
            let (status, body) = api.get_basic(path, &target.user, password).await?;
            let url = api.url(path);
            match status {
                200..=299 => Ok(body),
                401 | 403 => Err(HostError::new(
                    HostErrorKind::AuthRefused,
                    tf(
                        "icinga2.auth_refused",
                        &[
                            ("host", &api.label()),
                            ("user", &target.user),
                            ("url", &url),
                            ("status", &status),
                        ],
                    ),
                )),
                _ => Err(HostError::new(
                    HostErrorKind::BadOutput,
                    tf(
                        "icinga2.bad_answer",
                        &[
                            ("host", &api.label()),
                            ("url", &url),
                            (
                                "error",
                                &cause::detailed(
                                    &cause::answer(status, &body),
                                    &format!("HTTP {status} {}", excerpt(&body)),
                                ),
                            ),
                        ],
                    ),
                )),
            }
        }
    };
    let work = async {
        let hosts = get(HOSTS_PATH).await?;
        let services = get(SERVICES_PATH).await?;
        // An ApiUser without objects/query/Downtime: the downtimes stay not read.
        let downtimes = match get(DOWNTIMES_PATH).await {
            Ok(d) => Some(d),
            Err(e)
                if matches!(
                    e.kind,
                    HostErrorKind::AuthRefused | HostErrorKind::BadOutput
                ) =>
            {
                None
            }
            Err(e) => return Err(e),
        };
        Ok::<_, HostError>((hosts, services, downtimes))
    };
    let (hosts, services, downtimes) =
        super::http_api::within_host_timeout(ctx, target, &base, work).await?;
    let bad = |e: &dyn std::fmt::Display| {
        HostError::new(
            HostErrorKind::BadOutput,
            tf(
                "icinga2.bad_answer",
                &[("host", &target.label()), ("url", &base), ("error", &e)],
            ),
        )
    };
    let reader_error = |e| bad(&crate::supervision_errors::supervision_error(&e));
    let mut supervision = constat_systems::supervision::parse_icinga2(&hosts, &services, &base)
        .map_err(reader_error)?;
    if let Some(d) = downtimes {
        constat_systems::supervision::parse_icinga2_downtimes(&mut supervision, &d, &base)
            .map_err(reader_error)?;
    }
    let mut snapshot = constat_systems::supervision::supervision_snapshot(
        supervision,
        &target.address,
        &base,
        &started_at,
    );
    snapshot.collection.agent = "constat-icinga2".to_owned();
    snapshot.collection.finished_at = crate::grading::now_rfc3339();
    snapshot.collection.duration_ms = started.elapsed().as_millis() as u64;
    snapshot.collection.transport = Some(channel_label("icinga2 api", target));
    Collected::from_snapshot(&snapshot, 3)
}
