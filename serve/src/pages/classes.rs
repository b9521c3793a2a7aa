//! A trainer's classes: the list and the creation form (name, shipped or pasted pack with
//! `validate`'s diagnostics, référentiel profile, dates) → an enrolment code.

use crate::extract::PageForm;
use crate::grading::{shipped_pack_ids, validate_pack};
use crate::i18n::{Lang, ReaderLang, t, tf};
use crate::page::{Page, internal_error};
use crate::pages::guard::{MAX_NAME_CHARS, check_csrf, clean_name, logged_in, see_other};
use crate::random::enrolment_code;
use crate::state::AppState;
use crate::store::{Class, NewClass, StoreError};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

/// The creation form.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ClassForm {
    #[serde(skip_serializing)]
    csrf: String,
    name: String,
    pack: String,
    pack_yaml: String,
    profile: String,
    starts_on: String,
    ends_on: String,
}

#[derive(Serialize)]
struct ClassLine {
    id: i64,
    name: String,
    code: String,
    pack: String,
    dates: String,
}

/// « 2026-12-01 → 2026-12-05 », or one side, or nothing.
pub(crate) fn dates(class: &Class) -> String {
    match (&class.fields.starts_on, &class.fields.ends_on) {
        (Some(a), Some(b)) => format!("{a} → {b}"),
        (Some(a), None) => format!("{a} →"),
        (None, Some(b)) => format!("→ {b}"),
        (None, None) => String::new(),
    }
}

#[derive(Serialize)]
struct ClassesPage<'a> {
    classes: Vec<ClassLine>,
    packs: Vec<&'static str>,
    form: &'a ClassForm,
    diagnostics: Option<&'a str>,
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    form: &ClassForm,
    diagnostics: Option<&str>,
    status: StatusCode,
) -> Response {
    let me = match logged_in(state, headers, lang).await {
        Ok(me) => me,
        Err(redirect) => return redirect,
    };
    let classes = match state.store.classes_of(me.trainer.id).await {
        Ok(c) => c,
        Err(e) => return internal_error(state, lang, &e),
    };
    let classes = classes
        .iter()
        .map(|c| ClassLine {
            id: c.id,
            name: c.fields.name.clone(),
            code: c.fields.code.clone(),
            pack: c.fields.pack_id.clone(),
            dates: dates(c),
        })
        .collect();
    Page {
        visitor: Some(&me.visitor),
        trainer: Some(&me.trainer.name),
        status,
        ..Page::new("classes.html", t(lang, "classes_title"), lang)
    }
    .render(
        state,
        ClassesPage {
            classes,
            packs: shipped_pack_ids(),
            form,
            diagnostics,
        },
    )
}

/// `GET /classes`.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
) -> Response {
    let form = ClassForm {
        pack: "lab-cp3-linux".to_owned(),
        ..ClassForm::default()
    };
    page(&state, &headers, lang, &form, None, StatusCode::OK).await
}

/// A date typed as `YYYY-MM-DD` (empty: none).
fn date(text: &str, lang: Lang) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && {
            let month: u32 = text[5..7].parse().unwrap_or(0);
            let day: u32 = text[8..10].parse().unwrap_or(0);
            (1..=12).contains(&month) && (1..=31).contains(&day)
        };
    if ok {
        Ok(Some(text.to_owned()))
    } else {
        Err(tf(lang, "err_date", &[("date", &text)]))
    }
}

/// The new class the form describes, or what is wrong with it.
fn checked_class(
    form: &ClassForm,
    trainer_id: i64,
    lang: Lang,
    now: i64,
) -> Result<NewClass, String> {
    let name = clean_name(&form.name, MAX_NAME_CHARS)
        .ok_or_else(|| tf(lang, "err_name", &[("max", &MAX_NAME_CHARS)]))?;
    let (pack, source, yaml) = validate_pack(&form.pack, &form.pack_yaml, lang)?;
    let profile = Some(form.profile.trim().to_owned()).filter(|p| !p.is_empty());
    if let Some(profile) = &profile
        && pack.referentiel.profile(profile).is_none()
    {
        let profiles: Vec<&str> = pack
            .referentiel
            .profiles
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        return Err(tf(
            lang,
            "err_profile",
            &[("profile", profile), ("profiles", &profiles.join(", "))],
        ));
    }
    let starts_on = date(&form.starts_on, lang)?;
    let ends_on = date(&form.ends_on, lang)?;
    if let (Some(a), Some(b)) = (&starts_on, &ends_on)
        && b < a
    {
        return Err(t(lang, "err_dates_order").to_owned());
    }
    Ok(NewClass {
        trainer_id,
        name,
        code: String::new(),
        pack_id: pack.id.clone(),
        pack_source: source,
        pack_yaml: yaml,
        profile,
        starts_on,
        ends_on,
        created_at: now,
    })
}

/// `POST /classes`.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    ReaderLang(lang): ReaderLang,
    PageForm(form): PageForm<ClassForm>,
) -> Response {
    let me = match logged_in(&state, &headers, lang).await {
        Ok(me) => me,
        Err(redirect) => return redirect,
    };
    if let Err(refused) = check_csrf(&state, &me.visitor, &form.csrf, lang) {
        return refused;
    }
    let mut new = match checked_class(&form, me.trainer.id, lang, state.now()) {
        Ok(new) => new,
        Err(message) => {
            return page(
                &state,
                &headers,
                lang,
                &form,
                Some(&message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    // A code already taken (one chance in billions) is drawn again.
    for _ in 0..4 {
        new.code = match enrolment_code() {
            Ok(code) => code,
            Err(e) => return internal_error(&state, lang, &e),
        };
        match state.store.create_class(new.clone()).await {
            Ok(class) => return see_other(&format!("/classes/{}", class.id), None),
            Err(StoreError::Conflict(_)) => continue,
            Err(e) => return internal_error(&state, lang, &e),
        }
    }
    internal_error(&state, lang, &"no free enrolment code after 4 draws")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            date("2026-12-01", Lang::Fr),
            Ok(Some("2026-12-01".to_owned()))
        );
        assert_eq!(date(" ", Lang::Fr), Ok(None));
        assert!(
            date("01/12/2026", Lang::En)
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(date("2026-13-01", Lang::Fr).is_err());
    }
}
