//! `GET /classes/{id}/events`: the grid's Server-Sent Events. Each stored result of the
//! class becomes a `row` event carrying that learner's row, rendered by the same template
//! as the page (escaped); a stream that fell behind, or whose store may have missed events
//! ([`ClassEvent::RESYNC`]), gets `reload`.

use crate::extract::PagePath;
use crate::grading::ClassPack;
use crate::i18n::{Lang, ReaderLang};
use crate::pages::grid_model::{parse_report, row};
use crate::pages::guard::{logged_in, owned_class};
use crate::state::AppState;
use crate::store::{ClassEvent, Id};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use minijinja::value::Serde;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::broadcast::{Receiver, error::RecvError};

struct Listener {
    state: AppState,
    class_id: Id,
    pack: Arc<ClassPack>,
    lang: Lang,
    events: Receiver<ClassEvent>,
}

/// The rendered row of one learner, on one line (an SSE `data:` field).
pub(crate) async fn rendered_row(
    state: &AppState,
    pack: &ClassPack,
    class_id: Id,
    learner_id: Id,
    lang: Lang,
) -> Option<String> {
    let learner = state.store.learner(learner_id).await.ok().flatten()?;
    let result = state.store.latest_result(learner_id).await.ok().flatten();
    let report = result.as_ref().and_then(parse_report);
    let pulls = state.store.pull_hosts(learner_id).await.unwrap_or_default();
    let row = row(pack, &learner, report.as_ref(), &pulls, state.now(), lang);
    let html = state
        .templates
        .render(
            "grid_row.html",
            minijinja::context! { row => Serde(row), class_id },
        )
        .inspect_err(|e| eprintln!("constat serve: grid row: {e:#}"))
        .ok()?;
    Some(html.replace(['\r', '\n'], ""))
}

async fn next_event(mut listener: Listener) -> Option<(Result<Event, Infallible>, Listener)> {
    loop {
        match listener.events.recv().await {
            // Events may have been missed (another instance's, while the store could not
            // listen): the page reloads from the store.
            Ok(event) if event.is_resync() => {
                return Some((Ok(Event::default().event("reload").data("")), listener));
            }
            Ok(event) if event.class_id == listener.class_id => {
                let html = rendered_row(
                    &listener.state,
                    &listener.pack,
                    listener.class_id,
                    event.learner_id,
                    listener.lang,
                )
                .await;
                if let Some(html) = html {
                    let event = Event::default().event("row").data(html);
                    return Some((Ok(event), listener));
                }
            }
            Ok(_) => {}
            Err(RecvError::Lagged(_)) => {
                return Some((Ok(Event::default().event("reload").data("")), listener));
            }
            Err(RecvError::Closed) => return None,
        }
    }
}

/// `GET /classes/{id}/events`.
pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PagePath(id): PagePath<i64>,
) -> Response {
    let me = match logged_in(&state, &headers, lang).await {
        Ok(me) => me,
        Err(redirect) => return redirect,
    };
    let class = match owned_class(&state, &me.trainer, id, lang).await {
        Ok(c) => c,
        Err(refused) => return refused,
    };
    let pack = match state.packs.get(&class) {
        Ok(p) => p,
        Err(e) => return crate::page::internal_error(&state, lang, &e),
    };
    let listener = Listener {
        events: state.store.subscribe(),
        state,
        class_id: id,
        pack,
        lang,
    };
    // A first comment so that the browser (and a test) knows the stream is open.
    let hello = stream::once(async { Ok::<_, Infallible>(Event::default().comment("constat")) });
    let rows = stream::unfold(listener, next_event);
    Sse::new(futures_util::StreamExt::chain(hello, rows))
        .keep_alive(KeepAlive::default())
        .into_response()
}
