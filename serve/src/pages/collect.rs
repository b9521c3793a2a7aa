//! What a learner's VM must collect for their class, and the exact `constat check` command
//! that does it: `GET /api/classes/{code}/collect` (JSON [`CollectionPlan`], read by
//! `constat check --submit` when no `--pack` is given) and the command shown on the
//! join-success page. A shipped pack, unchanged, is named (`--pack ID`: the learner can also
//! check alone); a pasted pack exists only on the server, so its command names none and the
//! client asks this endpoint what to collect. Section names and paths only: the answer key
//! stays on the server.

use crate::extract::{ApiPath, api_refusal};
use crate::i18n::{ReaderLang, t};
use crate::pages::grid::base_url;
use crate::protocol::CollectionPlan;
use crate::random::normalise_code;
use crate::state::AppState;
use crate::store::Class;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use constat_checker_core::pack::{Pack, file_requests, sections_for, unread_parts_for};
use constat_snapshot::FileRequest;

/// Whether the class's pack is a shipped one, unchanged.
fn is_shipped(class: &Class) -> bool {
    constat_checks::find(&class.fields.pack_id)
        .is_some_and(|p| p.text.replace("\r\n", "\n") == class.fields.pack_yaml)
}

/// The `constat check` command of a class, for a server reached at `base`.
pub(crate) fn check_command(state: &AppState, base: &str, class: &Class) -> String {
    let code = &class.fields.code;
    let pack = if is_shipped(class) {
        format!(" --pack {}", class.fields.pack_id)
    } else {
        String::new()
    };
    let pin = state
        .settings
        .fingerprint
        .as_ref()
        .map(|f| format!(" --pin {f}"))
        .unwrap_or_default();
    format!(
        "sudo constat check{pack} --submit {base}/ --class {code} --key ~/constat-{code}.key{pin}"
    )
}

/// Every role's paths and sections.
fn role_requests(pack: &Pack) -> std::collections::BTreeMap<String, FileRequest> {
    let mut files = file_requests(pack);
    pack.hosts
        .keys()
        .map(|role| {
            let asked = files.remove(role).unwrap_or_default();
            let request = FileRequest {
                paths: asked.paths,
                home_paths: asked.home_paths,
                head_bytes: None,
                sections: sections_for(pack, role, false),
                without: unread_parts_for(pack, role, false),
            };
            (role.clone(), request)
        })
        .collect()
}

/// `GET /api/classes/{code}/collect`.
pub async fn plan(
    State(state): State<AppState>,
    ReaderLang(lang): ReaderLang,
    headers: HeaderMap,
    ApiPath(code): ApiPath<String>,
) -> Response {
    let unknown = || {
        api_refusal(
            StatusCode::NOT_FOUND,
            t(lang, "err_code_unknown").to_owned(),
            t(lang, "help_join").to_owned(),
        )
    };
    let Some(code) = normalise_code(&code) else {
        return unknown();
    };
    let class = match state.store.class_by_code(code).await {
        Ok(Some(class)) => class,
        Ok(None) => return unknown(),
        Err(e) => {
            eprintln!("constat serve: collection plan: {e}");
            return api_refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                t(lang, "err_internal").to_owned(),
                t(lang, "help_internal").to_owned(),
            );
        }
    };
    let pack = match state.packs.get(&class) {
        Ok(pack) => pack,
        Err(e) => {
            eprintln!("constat serve: collection plan: {e}");
            return api_refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                t(lang, "err_internal").to_owned(),
                t(lang, "help_internal").to_owned(),
            );
        }
    };
    let base = base_url(&state, &headers);
    Json(CollectionPlan {
        class: class.fields.code.clone(),
        pack: class.fields.pack_id.clone(),
        shipped: is_shipped(&class),
        roles: role_requests(&pack.pack),
        command: check_command(&state, &base, &class),
    })
    .into_response()
}
