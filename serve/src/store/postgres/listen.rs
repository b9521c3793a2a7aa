//! Live fan-out between instances: every write that changes a class sends
//! `NOTIFY constat_class, 'class_id:learner_id'` in its transaction; each instance LISTENs
//! on a dedicated connection and feeds its broadcast channel, its own writes included (one
//! path for every event). When that connection drops, the listener says so in the log,
//! reconnects with a growing delay and then sends [`ClassEvent::RESYNC`]: what was
//! notified meanwhile is not replayed, so the open grids reload from the database.

use super::target::PgTarget;
use crate::store::{ClassEvent, StoreError};
use futures_util::StreamExt;
use std::time::Duration;
use tokio::sync::{broadcast, oneshot};
use tokio_postgres::AsyncMessage;

/// The channel.
pub const CHANNEL: &str = "constat_class";
/// First delay before reconnecting; doubled up to [`MAX_BACKOFF`].
pub const MIN_BACKOFF: Duration = Duration::from_millis(500);
/// Longest delay between two reconnection attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// How often the listening connection is checked (a half-open TCP connection is silent).
pub const PING_EVERY: Duration = Duration::from_secs(15);
/// How long a check may take.
pub const PING_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest payload read (ours are two numbers).
const MAX_PAYLOAD: usize = 64;

/// The payload of an event: `class_id:learner_id`.
pub fn payload(event: &ClassEvent) -> String {
    format!("{}:{}", event.class_id, event.learner_id)
}

/// An event from a payload; `None` when it is not ours (anyone who may write to the
/// database may notify the channel).
pub fn parse_payload(payload: &str) -> Option<ClassEvent> {
    if payload.len() > MAX_PAYLOAD {
        return None;
    }
    let (class, learner) = payload.split_once(':')?;
    let event = ClassEvent {
        class_id: class.parse().ok()?,
        learner_id: learner.parse().ok()?,
    };
    (event.class_id > 0 && event.learner_id > 0).then_some(event)
}

/// Listens until the task is aborted. `ready` is told once the first LISTEN is in place
/// (or why it could not be).
pub async fn listen_forever(
    target: PgTarget,
    events: broadcast::Sender<ClassEvent>,
    ready: oneshot::Sender<Result<(), StoreError>>,
) {
    let mut ready = Some(ready);
    let mut backoff = MIN_BACKOFF;
    let mut listened_before = false;
    loop {
        let mut listening = false;
        let ended = listen_once(&target, &events, || {
            listening = true;
            if let Some(ready) = ready.take() {
                let _ = ready.send(Ok(()));
            } else if listened_before {
                eprintln!(
                    "constat serve: live updates: listening again on {}; open grids reload",
                    target.shown()
                );
                let _ = events.send(ClassEvent::RESYNC);
            }
        })
        .await;
        if let Some(ready) = ready.take() {
            let _ = ready.send(Err(StoreError::Database(format!(
                "{}: cannot listen for live updates: {ended}",
                target.shown()
            ))));
            return;
        }
        if listening {
            listened_before = true;
            backoff = MIN_BACKOFF;
        }
        eprintln!(
            "constat serve: live updates: connection to {} lost ({ended}); reconnecting in {} ms",
            target.shown(),
            backoff.as_millis()
        );
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// One listening connection, until it fails: why it ended.
async fn listen_once(
    target: &PgTarget,
    events: &broadcast::Sender<ClassEvent>,
    on_listening: impl FnOnce(),
) -> String {
    let (client, mut connection) = match target.connect().await {
        Ok(pair) => pair,
        Err(message) => return message,
    };
    let driver = async {
        let mut messages = futures_util::stream::poll_fn(|cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) if n.channel() == CHANNEL => {
                    match parse_payload(n.payload()) {
                        // No grid open: nobody to tell, not an error.
                        Some(event) => {
                            let _ = events.send(event);
                        }
                        None => eprintln!(
                            "constat serve: live updates: ignored a notification that is not class_id:learner_id ({} bytes)",
                            n.payload().len()
                        ),
                    }
                }
                Ok(_) => {}
                Err(e) => return e.to_string(),
            }
        }
        "closed by the server".to_owned()
    };
    let watch = async {
        if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")).await {
            return e.to_string();
        }
        on_listening();
        loop {
            tokio::time::sleep(PING_EVERY).await;
            match tokio::time::timeout(PING_TIMEOUT, client.simple_query("SELECT 1")).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => return e.to_string(),
                Err(_) => {
                    return format!("no answer to a check within {} s", PING_TIMEOUT.as_secs());
                }
            }
        }
    };
    tokio::select! {
        why = driver => why,
        why = watch => why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_foreign_ones_are_ignored() {
        let event = ClassEvent {
            class_id: 12,
            learner_id: 345,
        };
        assert_eq!(payload(&event), "12:345");
        assert_eq!(parse_payload("12:345"), Some(event));
        for foreign in [
            "",
            "12",
            "12:",
            ":3",
            "a:b",
            "0:0",
            "-1:2",
            "1:2:3",
            &"9".repeat(100),
        ] {
            assert_eq!(parse_payload(foreign), None, "{foreign}");
        }
    }
}
