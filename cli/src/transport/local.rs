//! The `local` transport: the agent library runs in-process on this machine.

use super::collector::{CollectContext, Collected};
use super::host_error::{HostError, HostErrorKind};
use constat_agent::{CollectOptions, FEW_WORKERS, LocalHost, collect};
use std::sync::Arc;

/// Collects this machine.
pub async fn collect_local(ctx: &CollectContext) -> Result<Collected, HostError> {
    let options = CollectOptions {
        request: ctx.request.clone(),
        only: Vec::new(),
        workers: FEW_WORKERS,
    };
    let snapshot =
        tokio::task::spawn_blocking(move || collect(Arc::new(LocalHost::live()), &options))
            .await
            .map_err(|e| HostError::new(HostErrorKind::Other, e.to_string()))?;
    Collected::from_snapshot(&snapshot, 0)
}
