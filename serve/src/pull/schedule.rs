//! The pull schedule: every [`TICK_SECS`], the classes whose interval has elapsed (as the
//! store says, so instances sharing a database agree) are pulled. A class that cannot be
//! pulled is logged and tried again at its next due time.

use super::runner::{PullStart, start_pull};
use crate::i18n::Lang;
use crate::state::AppState;
use std::time::Duration;

/// How often the schedule looks for due pulls.
pub const TICK_SECS: u64 = 15;

/// Runs the schedule until the process ends.
pub async fn run_schedule(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(TICK_SECS));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let due = match state.store.due_pulls(state.now()).await {
            Ok(due) => due,
            Err(e) => {
                eprintln!("constat serve: pull schedule: {e}");
                continue;
            }
        };
        for class_id in due {
            let class = match state.store.class(class_id).await {
                Ok(Some(class)) => class,
                Ok(None) => continue,
                Err(e) => {
                    eprintln!("constat serve: pull schedule: {e}");
                    continue;
                }
            };
            match start_pull(&state, &class, Lang::default()).await {
                PullStart::Started | PullStart::AlreadyRunning => {}
                other => eprintln!("constat serve: scheduled pull of class {class_id}: {other:?}"),
            }
        }
    }
}
