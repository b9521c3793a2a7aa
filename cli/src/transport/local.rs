//! The `local` transport: the agent library runs in-process on this machine.

use super::dispatch::{CollectContext, Collected, validate_snapshot};
use super::host_error::{HostError, HostErrorKind};
use constat_agent::{CollectOptions, LocalHost, collect};
use std::sync::Arc;

/// Collects this machine.
pub async fn collect_local(ctx: &CollectContext) -> Result<Collected, HostError> {
    let options = CollectOptions {
        request: ctx.request.clone(),
        only: Vec::new(),
    };
    let snapshot =
        tokio::task::spawn_blocking(move || collect(Arc::new(LocalHost::live()), &options))
            .await
            .map_err(|e| HostError::new(HostErrorKind::Other, e.to_string()))?;
    let mut json = serde_json::to_vec_pretty(&snapshot)
        .map_err(|e| HostError::new(HostErrorKind::Other, e.to_string()))?;
    json.push(b'\n');
    validate_snapshot(&json)?;
    Ok(Collected {
        json,
        round_trips: 0,
    })
}
