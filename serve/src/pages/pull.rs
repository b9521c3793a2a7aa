//! Pull mode's page (`/classes/{id}/pull`): attach an inventory (checked by the pull engine
//! with `constat validate`'s diagnostics, then against the class's pack), set the schedule,
//! pull now. The inventory names credentials and key files, never a secret: the server's
//! own credential sources (`constat serve --credentials`, `CONSTAT_CRED_*`, `--pull-key`)
//! hold them.

use crate::i18n::{Lang, ReaderLang, t, tf};
use crate::page::{Page, internal_error};
use crate::pages::grid_model::ago;
use crate::pages::guard::{LoggedIn, check_csrf, logged_in, owned_class, see_other};
use crate::pull::{InventoryPlan, PlannedCandidate, PullStart, start_pull};
use crate::state::AppState;
use crate::store::{Class, PullConfig, PullInventory};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

/// Largest inventory accepted in the form.
pub const MAX_INVENTORY_BYTES: usize = 512 * 1024;
/// Longest schedule interval, in minutes (a day).
pub const MAX_INTERVAL_MINUTES: i64 = 24 * 60;

/// The grid's line about pull mode.
#[derive(Debug, Serialize)]
pub struct PullLine {
    /// « inventaire.yaml · toutes les 10 min · dernier relevé il y a 2 min : 11 relevés, 1 échec ».
    pub summary: String,
}

/// The grid's line about a class's pull mode.
pub fn pull_line(config: &PullConfig, now: i64, lang: Lang) -> PullLine {
    let mut parts = vec![tf(
        lang,
        "pull_inventory_line",
        &[("source", &config.inventory.source)],
    )];
    parts.push(match config.interval_minutes {
        Some(minutes) => tf(lang, "pull_every", &[("minutes", &minutes)]),
        None => t(lang, "pull_on_demand").to_owned(),
    });
    if config.running_until.is_some_and(|until| until > now) {
        parts.push(t(lang, "pull_running").to_owned());
    } else if let Some(last) = &config.last {
        let mut line = tf(
            lang,
            "pull_last",
            &[
                ("ago", &ago(lang, Some(last.finished_at), now)),
                ("collected", &last.collected),
                ("failed", &last.failed),
            ],
        );
        if let Some(error) = &last.error {
            line.push_str(" — ");
            line.push_str(error);
        }
        parts.push(line);
    }
    PullLine {
        summary: parts.join(" · "),
    }
}

/// The inventory form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InventoryForm {
    csrf: String,
    source: String,
    inventory: String,
}

/// The schedule form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ScheduleForm {
    csrf: String,
    interval: String,
}

/// The form accepting a host's new SSH key (the fingerprint the page showed).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HostKeyForm {
    csrf: String,
    host: String,
    fingerprint: String,
}

/// A refused host key, as the class page shows it.
#[derive(Debug, Serialize)]
pub struct RefusedKey {
    /// Learner whose host it is.
    pub learner: String,
    /// Pack role.
    pub role: String,
    /// `[address]:port`.
    pub host: String,
    /// Fingerprint of the trusted key.
    pub recorded: String,
    /// Fingerprint of the key presented.
    pub presented: String,
    /// « il y a 2 min ».
    pub ago: String,
}

/// The host keys of a class that presented another key than the trusted one.
pub fn refused_keys(
    keys: &[crate::store::PullHostKey],
    learners: &[crate::store::Learner],
    now: i64,
    lang: Lang,
) -> Vec<RefusedKey> {
    keys.iter()
        .filter_map(|k| {
            let offered = k.offered.as_ref()?;
            let learner = k
                .learner_id
                .and_then(|id| learners.iter().find(|l| l.id == id))
                .map_or_else(String::new, |l| l.fields.name.clone());
            Some(RefusedKey {
                learner,
                role: k.role.clone(),
                host: k.host.clone(),
                recorded: k.fingerprint.clone(),
                presented: offered.fingerprint.clone(),
                ago: ago(lang, Some(offered.at), now),
            })
        })
        .collect()
}

/// The run-now form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RunForm {
    csrf: String,
}

#[derive(Serialize)]
struct PullPage<'a> {
    class_id: i64,
    class_name: &'a str,
    enabled: bool,
    line: Option<PullLine>,
    source: &'a str,
    inventory: &'a str,
    interval: String,
    candidates: Vec<PlannedCandidate>,
    diagnostics: Option<&'a str>,
}

/// What the page shows besides the stored state: the text in the form and its problems.
struct Shown<'a> {
    source: &'a str,
    inventory: Option<&'a str>,
    diagnostics: Option<&'a str>,
    status: StatusCode,
}

async fn render(
    state: &AppState,
    me: &LoggedIn,
    class: &Class,
    lang: Lang,
    shown: Shown<'_>,
) -> Response {
    let config = match state.store.pull_config(class.id).await {
        Ok(config) => config,
        Err(e) => return internal_error(state, lang, &e),
    };
    let now = state.now();
    let stored = config.as_ref().map(|c| &c.inventory);
    // The stored inventory as the engine reads it today (a key or credential source of the
    // server may have changed since it was attached).
    let (candidates, stored_problem) = match (&state.pull, stored) {
        (Some(engine), Some(inventory)) => {
            match engine.check_inventory(&inventory.yaml, &inventory.source, lang) {
                Ok(plan) => (plan.candidates, None),
                Err(diagnostics) => (Vec::new(), Some(diagnostics)),
            }
        }
        _ => (Vec::new(), None),
    };
    let diagnostics = shown.diagnostics.or(stored_problem.as_deref());
    let inventory = shown
        .inventory
        .or(stored.map(|i| i.yaml.as_str()))
        .unwrap_or_default();
    let source = if shown.source.is_empty() {
        stored.map_or("inventory.yaml", |i| i.source.as_str())
    } else {
        shown.source
    };
    Page {
        visitor: Some(&me.visitor),
        trainer: Some(&me.trainer.name),
        status: shown.status,
        ..Page::new("pull.html", t(lang, "pull_title"), lang)
    }
    .render(
        state,
        PullPage {
            class_id: class.id,
            class_name: &class.fields.name,
            enabled: state.pull.is_some(),
            line: config.as_ref().map(|c| pull_line(c, now, lang)),
            source,
            inventory,
            interval: config
                .as_ref()
                .and_then(|c| c.interval_minutes)
                .map(|m| m.to_string())
                .unwrap_or_default(),
            candidates,
            diagnostics,
        },
    )
}

/// The logged-in trainer and their class `id`, or the page that refuses.
async fn trainer_and_class(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    id: i64,
) -> Result<(LoggedIn, Class), Response> {
    let me = logged_in(state, headers, lang).await?;
    let class = owned_class(state, &me.trainer, id, lang).await?;
    Ok((me, class))
}

/// [`trainer_and_class`] for a form: its CSRF token checked too.
async fn trainer_and_class_posting(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    id: i64,
    csrf: &str,
) -> Result<(LoggedIn, Class), Response> {
    let (me, class) = trainer_and_class(state, headers, lang, id).await?;
    check_csrf(state, &me.visitor, csrf, lang)?;
    Ok((me, class))
}

/// `GET /classes/{id}/pull`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    Path(id): Path<i64>,
) -> Response {
    let (me, class) = match trainer_and_class(&state, &headers, lang, id).await {
        Ok(both) => both,
        Err(refused) => return refused,
    };
    let shown = Shown {
        source: "",
        inventory: None,
        diagnostics: None,
        status: StatusCode::OK,
    };
    render(&state, &me, &class, lang, shown).await
}

/// The class-side checks of a plan the engine accepted: the pack's roles, the pack named.
fn check_plan(
    plan: &InventoryPlan,
    class: &Class,
    roles: &[&str],
    lang: Lang,
) -> Result<(), String> {
    if let Some(pack) = &plan.pack
        && pack != &class.fields.pack_id
        && pack != &class.fields.pack_source
    {
        return Err(tf(
            lang,
            "pull_err_pack",
            &[("pack", pack), ("class_pack", &class.fields.pack_id)],
        ));
    }
    if plan.candidates.is_empty() {
        return Err(t(lang, "pull_err_no_candidate").to_owned());
    }
    for candidate in &plan.candidates {
        if candidate.hosts.is_empty() {
            return Err(tf(
                lang,
                "pull_err_no_host",
                &[("candidate", &candidate.id)],
            ));
        }
        for host in &candidate.hosts {
            if !roles.contains(&host.role.as_str()) {
                return Err(tf(
                    lang,
                    "pull_err_role",
                    &[
                        ("candidate", &candidate.id),
                        ("role", &host.role),
                        ("roles", &roles.join(", ")),
                    ],
                ));
            }
        }
    }
    Ok(())
}

/// A file name as typed (the one shown on the pages): 1 to 80 characters without `/` or
/// control characters, else `inventory.yaml`.
fn source_name(typed: &str) -> String {
    let name = typed.trim();
    if (1..=80).contains(&name.chars().count())
        && !name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
    {
        name.to_owned()
    } else {
        "inventory.yaml".to_owned()
    }
}

/// `POST /classes/{id}/pull/inventory`.
pub async fn attach(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    Path(id): Path<i64>,
    Form(form): Form<InventoryForm>,
) -> Response {
    let (me, class) = match trainer_and_class_posting(&state, &headers, lang, id, &form.csrf).await
    {
        Ok(both) => both,
        Err(refused) => return refused,
    };
    let source = source_name(&form.source);
    let text = form.inventory.replace("\r\n", "\n");
    let checked = match &state.pull {
        None => Err(t(lang, "pull_disabled").to_owned()),
        Some(_) if text.len() > MAX_INVENTORY_BYTES => Err(tf(
            lang,
            "pull_err_too_large",
            &[("max", &MAX_INVENTORY_BYTES)],
        )),
        Some(engine) => {
            let pack = match state.packs.get(&class) {
                Ok(pack) => pack,
                Err(e) => return internal_error(&state, lang, &e),
            };
            let roles: Vec<&str> = pack.pack.hosts.keys().map(String::as_str).collect();
            engine
                .check_inventory(&text, &source, lang)
                .and_then(|plan| check_plan(&plan, &class, &roles, lang).map(|()| plan))
        }
    };
    let plan = match checked {
        Ok(plan) => plan,
        Err(message) => {
            let shown = Shown {
                source: &source,
                inventory: Some(&text),
                diagnostics: Some(&message),
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            return render(&state, &me, &class, lang, shown).await;
        }
    };
    let now = state.now();
    let inventory = PullInventory {
        source: source.clone(),
        yaml: text.clone(),
        uploaded_at: now,
    };
    let candidates = plan
        .candidates
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let stored = async {
        state.store.set_pull_inventory(class.id, inventory).await?;
        state.store.pull_learners(class.id, candidates, now).await
    };
    if let Err(e) = stored.await {
        return internal_error(&state, lang, &e);
    }
    see_other(&format!("/classes/{}/pull", class.id), None)
}

/// `POST /classes/{id}/pull/schedule`: minutes between pulls, empty for on demand only.
pub async fn schedule(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    Path(id): Path<i64>,
    Form(form): Form<ScheduleForm>,
) -> Response {
    let (me, class) = match trainer_and_class_posting(&state, &headers, lang, id, &form.csrf).await
    {
        Ok(both) => both,
        Err(refused) => return refused,
    };
    let typed = form.interval.trim();
    let minutes = if typed.is_empty() {
        None
    } else {
        match typed.parse::<i64>() {
            Ok(m) if (1..=MAX_INTERVAL_MINUTES).contains(&m) => Some(m),
            _ => {
                let message = tf(
                    lang,
                    "pull_err_interval",
                    &[("value", &typed), ("max", &MAX_INTERVAL_MINUTES)],
                );
                let shown = Shown {
                    source: "",
                    inventory: None,
                    diagnostics: Some(&message),
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                };
                return render(&state, &me, &class, lang, shown).await;
            }
        }
    };
    match state.store.pull_config(class.id).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            let message = t(lang, "pull_none").to_owned();
            let shown = Shown {
                source: "",
                inventory: None,
                diagnostics: Some(&message),
                status: StatusCode::CONFLICT,
            };
            return render(&state, &me, &class, lang, shown).await;
        }
        Err(e) => return internal_error(&state, lang, &e),
    }
    if let Err(e) = state.store.set_pull_interval(class.id, minutes).await {
        return internal_error(&state, lang, &e);
    }
    see_other(&format!("/classes/{}/pull", class.id), None)
}

/// `POST /classes/{id}/pull`: pull now, then back to the grid, which fills in live.
pub async fn run_now(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    Path(id): Path<i64>,
    Form(form): Form<RunForm>,
) -> Response {
    let (me, class) = match trainer_and_class_posting(&state, &headers, lang, id, &form.csrf).await
    {
        Ok(both) => both,
        Err(refused) => return refused,
    };
    let (message, status) = match start_pull(&state, &class, lang).await {
        PullStart::Started => return see_other(&format!("/classes/{}", class.id), None),
        PullStart::AlreadyRunning => (t(lang, "pull_running").to_owned(), StatusCode::CONFLICT),
        PullStart::NoInventory => (t(lang, "pull_none").to_owned(), StatusCode::CONFLICT),
        PullStart::Disabled => (t(lang, "pull_disabled").to_owned(), StatusCode::CONFLICT),
        PullStart::Refused(why) => (why, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let shown = Shown {
        source: "",
        inventory: None,
        diagnostics: Some(&message),
        status,
    };
    render(&state, &me, &class, lang, shown).await
}

/// `POST /classes/{id}/pull/host-key`: the trainer accepts the key a host presented in place
/// of the trusted one, if it is still the one the page showed.
pub async fn accept_host_key(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    Path(id): Path<i64>,
    Form(form): Form<HostKeyForm>,
) -> Response {
    let (_, class) = match trainer_and_class_posting(&state, &headers, lang, id, &form.csrf).await {
        Ok(both) => both,
        Err(refused) => return refused,
    };
    let host = form.host.chars().take(300).collect::<String>();
    let fingerprint = form.fingerprint.chars().take(100).collect::<String>();
    match state
        .store
        .accept_host_key(class.id, host.clone(), fingerprint.clone(), state.now())
        .await
    {
        Ok(true) => see_other(&format!("/classes/{}", class.id), None),
        Ok(false) => crate::page::error_page(
            &state,
            lang,
            StatusCode::CONFLICT,
            &tf(
                lang,
                "host_key_stale",
                &[("host", &host), ("fingerprint", &fingerprint)],
            ),
        ),
        Err(e) => internal_error(&state, lang, &e),
    }
}
