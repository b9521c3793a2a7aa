//! GLPI REST API answers (legacy `apirest.php`, GLPI 9.5 and 10) → [`Helpdesk`]: tickets with
//! their category, type, urgency, impact, priority, status, requesters, follow-ups and
//! solutions, and knowledge-base articles with their categories and dates.
//!
//! The answers are lists of rows read without `expand_dropdowns` (so that the links between
//! lists stay ids): `Ticket`, `ITILCategory` (category names), `Ticket_User` (actors; type 1
//! = requester), `User` (names), `ITILFollowup`, `ITILSolution`, `KnowbaseItem`,
//! `KnowbaseItem_KnowbaseItemCategory` (GLPI 10; GLPI 9.5 has the category on the article)
//! and `KnowbaseItemCategory`. Every list but `Ticket` and `KnowbaseItem` may be missing
//! (`None`): what it would have told is then marked not read, never empty.
//! Pure functions of bytes, bounded in size; texts (ticket contents, follow-ups, article
//! answers) are never kept, only titles, names, counts and dates.
//!
//! GLPI writes dates in the server's local time without a zone; [`offset_from_session`]
//! derives the server's offset from `getFullSession`'s `glpi_currenttime` and the caller's
//! clock, and dates are then also given as RFC 3339 UTC instants.

use constat_snapshot::helpdesk::{Helpdesk, KbArticle, Ticket, TicketSolution};
use constat_snapshot::time::{days_from_civil, rfc3339_utc};
use constat_snapshot::{HostIdentity, SCHEMA_VERSION, Section, Sections, Snapshot};
use serde_json::Value;
use std::collections::BTreeMap;

/// Largest answer accepted.
pub const MAX_GLPI_BYTES: usize = 16 * 1024 * 1024;

/// Longest title kept, in characters (the rest is cut, marked with `…`).
const MAX_TITLE_CHARS: usize = 200;

/// Why a GLPI answer could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GlpiError {
    /// Malformed, too large or not the expected answer, located.
    #[error("{source_name}:{line}:{col}: {what}")]
    Malformed {
        /// API path or file.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong and how to fix it.
        what: String,
    },
}

fn malformed(source_name: &str, line: usize, col: usize, what: String) -> GlpiError {
    GlpiError::Malformed {
        source_name: source_name.to_owned(),
        line,
        col,
        what,
    }
}

/// Parses one answer: bounded, JSON, and a list of objects (an `["ERROR_…", "message"]`
/// answer is reported as what GLPI said).
fn rows(bytes: &[u8], source_name: &str) -> Result<Vec<Value>, GlpiError> {
    if bytes.len() > MAX_GLPI_BYTES {
        return Err(malformed(
            source_name,
            1,
            1,
            format!(
                "{} bytes, over the {MAX_GLPI_BYTES}-byte limit",
                bytes.len()
            ),
        ));
    }
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        malformed(
            source_name,
            e.line().max(1),
            e.column().max(1),
            format!("not a GLPI API answer ({e})"),
        )
    })?;
    let Value::Array(list) = v else {
        return Err(malformed(
            source_name,
            1,
            1,
            "not a list of items: pass the answer of GET /<itemtype>?range=…".to_owned(),
        ));
    };
    if let Some(Value::String(code)) = list.first()
        && code.starts_with("ERROR")
    {
        let message = list.get(1).and_then(Value::as_str).unwrap_or_default();
        return Err(malformed(
            source_name,
            1,
            1,
            format!("GLPI refused the request: {code} {message}"),
        ));
    }
    if let Some(i) = list.iter().position(|r| !r.is_object()) {
        return Err(malformed(
            source_name,
            1,
            1,
            format!("item {i} is not an object"),
        ));
    }
    Ok(list)
}

/// A number written as a number or a string.
fn num(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn small(v: &Value) -> Option<u8> {
    num(v).and_then(|n| u8::try_from(n).ok()).filter(|n| *n > 0)
}

/// A text, trimmed and cut to [`MAX_TITLE_CHARS`]; empty when absent.
fn text(v: &Value) -> String {
    let s = v.as_str().unwrap_or_default().trim();
    if s.chars().count() > MAX_TITLE_CHARS {
        let mut cut: String = s.chars().take(MAX_TITLE_CHARS).collect();
        cut.push('…');
        cut
    } else {
        s.to_owned()
    }
}

/// The id of a required field, or a located error naming the item.
fn id_of(row: &Value, field: &str, source_name: &str, i: usize) -> Result<u64, GlpiError> {
    num(&row[field]).ok_or_else(|| {
        malformed(
            source_name,
            1,
            1,
            format!("item {i}: « {field} » is missing or not a number"),
        )
    })
}

/// `id → complete name` of a dropdown list (`completename`, else `name`).
fn names(bytes: &[u8], source_name: &str) -> Result<BTreeMap<u64, String>, GlpiError> {
    let mut out = BTreeMap::new();
    for (i, row) in rows(bytes, source_name)?.iter().enumerate() {
        let id = id_of(row, "id", source_name, i)?;
        let name = Some(text(&row["completename"]))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| text(&row["name"]));
        out.insert(id, name);
    }
    Ok(out)
}

/// A foreign key named from `names` (`#N` when the name is unknown); `None` for 0 or
/// nothing.
fn named(v: &Value, names: Option<&BTreeMap<u64, String>>) -> Option<String> {
    let id = num(v).filter(|n| *n > 0)?;
    Some(
        names
            .and_then(|n| n.get(&id))
            .filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("#{id}")),
    )
}

/// `YYYY-MM-DD HH:MM:SS` (local) → Unix seconds as if UTC.
fn local_seconds(local: &str) -> Option<i64> {
    let b = local.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| local.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss) = (n(11..13)?, n(14..16)?, n(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// A local date as an RFC 3339 UTC instant, when the offset is known and the date reads.
fn instant(local: &str, offset_minutes: Option<i32>) -> Option<String> {
    let offset = i64::from(offset_minutes?);
    Some(rfc3339_utc(local_seconds(local)? - offset * 60))
}

/// The server's offset from UTC, in minutes, from the `getFullSession` answer's
/// `session.glpi_currenttime` (the server's local time when it answered) and `now_unix`
/// (the caller's clock then), rounded to the quarter hour; `None` when the answer has no
/// readable time or the difference is not a real offset (−12 h to +14 h).
pub fn offset_from_session(full_session: &[u8], now_unix: i64) -> Result<Option<i32>, GlpiError> {
    const SOURCE: &str = "getFullSession";
    if full_session.len() > MAX_GLPI_BYTES {
        return Err(malformed(
            SOURCE,
            1,
            1,
            format!("{} bytes, over the limit", full_session.len()),
        ));
    }
    let v: Value = serde_json::from_slice(full_session).map_err(|e| {
        malformed(
            SOURCE,
            e.line().max(1),
            e.column().max(1),
            format!("not a GLPI API answer ({e})"),
        )
    })?;
    let Some(local) = v["session"]["glpi_currenttime"]
        .as_str()
        .and_then(local_seconds)
    else {
        return Ok(None);
    };
    let minutes = (local - now_unix) as f64 / 60.0;
    let rounded = ((minutes / 15.0).round() * 15.0) as i64;
    Ok(i32::try_from(rounded)
        .ok()
        .filter(|m| (-720..=840).contains(m)))
}

/// The answers of one reading; `None` = that list was not read.
#[derive(Debug, Clone, Copy, Default)]
pub struct GlpiAnswers<'a> {
    /// `GET /Ticket`.
    pub tickets: &'a [u8],
    /// `GET /ITILCategory`.
    pub ticket_categories: Option<&'a [u8]>,
    /// `GET /Ticket_User`.
    pub ticket_users: Option<&'a [u8]>,
    /// `GET /User`.
    pub users: Option<&'a [u8]>,
    /// `GET /ITILFollowup`.
    pub followups: Option<&'a [u8]>,
    /// `GET /ITILSolution`.
    pub solutions: Option<&'a [u8]>,
    /// `GET /KnowbaseItem`.
    pub kb_items: &'a [u8],
    /// `GET /KnowbaseItem_KnowbaseItemCategory` (GLPI 10).
    pub kb_item_categories: Option<&'a [u8]>,
    /// `GET /KnowbaseItemCategory`.
    pub kb_categories: Option<&'a [u8]>,
}

/// The server's time offset and where it came from.
#[derive(Debug, Clone, Default)]
pub struct ServerOffset {
    /// Minutes east of UTC.
    pub minutes: Option<i32>,
    /// `server clock`, `inventory`…
    pub source: Option<String>,
}

/// A status of GLPI's `CommonITILObject` (1 to 6).
fn ticket_status(code: Option<u64>) -> String {
    match code {
        Some(1) => "new".to_owned(),
        Some(2) => "assigned".to_owned(),
        Some(3) => "planned".to_owned(),
        Some(4) => "waiting".to_owned(),
        Some(5) => "solved".to_owned(),
        Some(6) => "closed".to_owned(),
        Some(n) => format!("status {n}"),
        None => String::new(),
    }
}

/// A solution's approval status (`CommonITILValidation`).
fn solution_status(code: Option<u64>) -> String {
    match code {
        Some(1) => "none".to_owned(),
        Some(2) => "waiting".to_owned(),
        Some(3) => "accepted".to_owned(),
        Some(4) => "refused".to_owned(),
        Some(n) => format!("status {n}"),
        None => String::new(),
    }
}

/// Rows of an ITIL timeline list that belong to a ticket, by ticket id.
fn ticket_rows(bytes: &[u8], source_name: &str) -> Result<BTreeMap<u64, Vec<Value>>, GlpiError> {
    let mut out: BTreeMap<u64, Vec<Value>> = BTreeMap::new();
    for (i, row) in rows(bytes, source_name)?.into_iter().enumerate() {
        if row["itemtype"].as_str() != Some("Ticket") {
            continue;
        }
        let id = id_of(&row, "items_id", source_name, i)?;
        out.entry(id).or_default().push(row);
    }
    Ok(out)
}

/// Reads the answers into the helpdesk section; `base` names the API in errors.
pub fn parse_glpi(
    answers: GlpiAnswers<'_>,
    offset: &ServerOffset,
    base: &str,
) -> Result<Helpdesk, GlpiError> {
    let src = |what: &str| format!("{base}/{what}");
    let categories = answers
        .ticket_categories
        .map(|b| names(b, &src("ITILCategory")))
        .transpose()?;
    let users = answers
        .users
        .map(|b| {
            let source = src("User");
            let mut out = BTreeMap::new();
            for (i, row) in rows(b, &source)?.iter().enumerate() {
                out.insert(id_of(row, "id", &source, i)?, text(&row["name"]));
            }
            Ok::<_, GlpiError>(out)
        })
        .transpose()?;
    let requesters = answers
        .ticket_users
        .map(|b| {
            let source = src("Ticket_User");
            let mut out: BTreeMap<u64, Vec<String>> = BTreeMap::new();
            for (i, row) in rows(b, &source)?.iter().enumerate() {
                let ticket = id_of(row, "tickets_id", &source, i)?;
                if num(&row["type"]) == Some(1)
                    && let Some(name) = named(&row["users_id"], users.as_ref())
                {
                    out.entry(ticket).or_default().push(name);
                }
            }
            Ok::<_, GlpiError>(out)
        })
        .transpose()?;
    let followups = answers
        .followups
        .map(|b| ticket_rows(b, &src("ITILFollowup")))
        .transpose()?;
    let solutions = answers
        .solutions
        .map(|b| ticket_rows(b, &src("ITILSolution")))
        .transpose()?;
    let timeline_read = followups.is_some() && solutions.is_some();

    let ticket_source = src("Ticket");
    let mut tickets = Vec::new();
    for (i, row) in rows(answers.tickets, &ticket_source)?.iter().enumerate() {
        if num(&row["is_deleted"]) == Some(1) {
            continue;
        }
        let id = id_of(row, "id", &ticket_source, i)?;
        let created_local = text(&row["date"]);
        let mut ticket_requesters = requesters
            .as_ref()
            .and_then(|r| r.get(&id).cloned())
            .unwrap_or_default();
        ticket_requesters.sort();
        ticket_requesters.dedup();
        let mut ticket_solutions: Vec<TicketSolution> = solutions
            .as_ref()
            .and_then(|s| s.get(&id))
            .into_iter()
            .flatten()
            .map(|s| TicketSolution {
                status: solution_status(num(&s["status"])),
                created_local: text(&s["date_creation"]),
            })
            .collect();
        ticket_solutions.sort_by(|a, b| a.created_local.cmp(&b.created_local));
        tickets.push(Ticket {
            id,
            title: text(&row["name"]),
            created: instant(&created_local, offset.minutes),
            created_local,
            ticket_type: match num(&row["type"]) {
                Some(1) => "incident".to_owned(),
                Some(2) => "request".to_owned(),
                _ => String::new(),
            },
            category: named(&row["itilcategories_id"], categories.as_ref()),
            urgency: small(&row["urgency"]),
            impact: small(&row["impact"]),
            priority: small(&row["priority"]),
            status: ticket_status(num(&row["status"])),
            requesters: ticket_requesters,
            actors_read: requesters.is_some(),
            followups: followups
                .as_ref()
                .and_then(|f| f.get(&id))
                .map_or(0, |v| u32::try_from(v.len()).unwrap_or(u32::MAX)),
            solutions: ticket_solutions,
            timeline_read,
        });
    }
    tickets.sort_by_key(|t| t.id);

    let kb_categories = answers
        .kb_categories
        .map(|b| names(b, &src("KnowbaseItemCategory")))
        .transpose()?;
    let kb_links = answers
        .kb_item_categories
        .map(|b| {
            let source = src("KnowbaseItem_KnowbaseItemCategory");
            let mut out: BTreeMap<u64, Vec<String>> = BTreeMap::new();
            for (i, row) in rows(b, &source)?.iter().enumerate() {
                let article = id_of(row, "knowbaseitems_id", &source, i)?;
                if let Some(name) = named(&row["knowbaseitemcategories_id"], kb_categories.as_ref())
                {
                    out.entry(article).or_default().push(name);
                }
            }
            Ok::<_, GlpiError>(out)
        })
        .transpose()?;
    let kb_source = src("KnowbaseItem");
    let mut kb_articles = Vec::new();
    for (i, row) in rows(answers.kb_items, &kb_source)?.iter().enumerate() {
        let id = id_of(row, "id", &kb_source, i)?;
        // GLPI 10 links categories through its relation list; 9.5 has one on the article.
        let mut categories = kb_links
            .as_ref()
            .and_then(|l| l.get(&id).cloned())
            .unwrap_or_default();
        if let Some(own) = named(&row["knowbaseitemcategories_id"], kb_categories.as_ref()) {
            categories.push(own);
        }
        categories.sort();
        categories.dedup();
        // GLPI 10 writes `date_creation`; 9.5 wrote `date`.
        let created_local = Some(text(&row["date_creation"]))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| text(&row["date"]));
        let modified_local = Some(text(&row["date_mod"])).filter(|s| !s.is_empty());
        kb_articles.push(KbArticle {
            id,
            title: text(&row["name"]),
            categories,
            faq: num(&row["is_faq"]) == Some(1),
            created: instant(&created_local, offset.minutes),
            created_local,
            modified: modified_local
                .as_deref()
                .and_then(|m| instant(m, offset.minutes)),
            modified_local,
            answer_chars: row["answer"]
                .as_str()
                .map_or(0, |a| a.chars().count() as u64),
        });
    }
    kb_articles.sort_by_key(|a| a.id);
    Ok(Helpdesk {
        product: "glpi".to_owned(),
        utc_offset_minutes: offset.minutes,
        utc_offset_source: offset.minutes.and(offset.source.clone()),
        tickets,
        kb_articles,
        truncated: Vec::new(),
        unread: Vec::new(),
    })
}

/// A snapshot of the helpdesk `hostname` (its API address) read from `source` (the API
/// URL) at `started_at` (RFC 3339, the caller's clock).
pub fn helpdesk_snapshot(
    helpdesk: Helpdesk,
    hostname: &str,
    source: &str,
    started_at: &str,
) -> Snapshot {
    Snapshot {
        schema_version: SCHEMA_VERSION,
        host: HostIdentity {
            hostname: hostname.to_owned(),
            ..HostIdentity::default()
        },
        collection: crate::collection::read_at(started_at, Some(source)),
        sections: Sections {
            helpdesk: Section::collected(helpdesk),
            ..Sections::default()
        },
    }
}

#[cfg(test)]
mod tests {
    //! GLPI cannot run here (not in Debian; its PHP dependencies need a registry we do not
    //! reach). The tickets are a real `GET /Ticket` answer of a production GLPI; the other
    //! lists are derived from GLPI's table definitions for those same tickets (see
    //! `testdata/SOURCES.md`).
    use super::*;

    pub(crate) fn sample(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    pub(crate) struct Recorded {
        pub(crate) lists: BTreeMap<&'static str, Vec<u8>>,
    }

    pub(crate) fn recorded() -> Recorded {
        let mut lists = BTreeMap::new();
        lists.insert(
            "Ticket",
            sample("jozadaque_glpi_hoiol__apirest_Ticket_list_excerpt.json"),
        );
        for name in [
            "ITILCategory",
            "Ticket_User",
            "User",
            "ITILFollowup",
            "ITILSolution",
            "KnowbaseItem",
            "KnowbaseItem_KnowbaseItemCategory",
            "KnowbaseItemCategory",
        ] {
            lists.insert(
                name,
                sample(&format!("glpi-schema-derived__{name}_list.json")),
            );
        }
        Recorded { lists }
    }

    impl Recorded {
        pub(crate) fn answers(&self) -> GlpiAnswers<'_> {
            let l = |n: &str| self.lists.get(n).map(Vec::as_slice);
            GlpiAnswers {
                tickets: l("Ticket").unwrap(),
                ticket_categories: l("ITILCategory"),
                ticket_users: l("Ticket_User"),
                users: l("User"),
                followups: l("ITILFollowup"),
                solutions: l("ITILSolution"),
                kb_items: l("KnowbaseItem").unwrap(),
                kb_item_categories: l("KnowbaseItem_KnowbaseItemCategory"),
                kb_categories: l("KnowbaseItemCategory"),
            }
        }
    }

    fn brazil() -> ServerOffset {
        ServerOffset {
            minutes: Some(-180),
            source: Some("server clock".to_owned()),
        }
    }

    #[test]
    fn tickets_qualified_with_their_timeline_and_the_knowledge_base() {
        let r = recorded();
        insta::assert_json_snapshot!(
            parse_glpi(r.answers(), &brazil(), "http://glpi/apirest.php").unwrap()
        );
    }

    #[test]
    fn lists_not_read_are_marked_not_read() {
        let r = recorded();
        let answers = GlpiAnswers {
            ticket_users: None,
            followups: None,
            users: None,
            ticket_categories: None,
            kb_item_categories: None,
            kb_categories: None,
            ..r.answers()
        };
        let h = parse_glpi(answers, &ServerOffset::default(), "glpi").unwrap();
        let t = &h.tickets[0];
        assert!(!t.actors_read && !t.timeline_read && t.requesters.is_empty());
        assert_eq!(t.category.as_deref(), Some("#7"));
        assert_eq!(t.created, None);
        assert_eq!(h.utc_offset_minutes, None);
        assert!(h.kb_articles.iter().all(|a| a.categories.is_empty()));
    }

    #[test]
    fn the_server_offset_comes_from_its_session_clock() {
        let session = sample("glpi-schema-derived__getFullSession_excerpt.json");
        // 2022-07-28 10:12:00 local, 13:11:40 UTC on the caller's clock: UTC−3.
        let now = local_seconds("2022-07-28 13:11:40").unwrap();
        assert_eq!(offset_from_session(&session, now), Ok(Some(-180)));
        assert_eq!(offset_from_session(b"{\"session\":{}}", now), Ok(None));
        // A difference of two days is no offset.
        assert_eq!(offset_from_session(&session, now + 2 * 86_400), Ok(None));
        assert!(offset_from_session(b"<html>", now).is_err());
    }

    #[test]
    fn bad_answers_are_located_errors() {
        let r = recorded();
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("not json", b"<html>502</html>".to_vec()),
            (
                "glpi error",
                br#"["ERROR_SESSION_TOKEN_INVALID","session_token seems invalid"]"#.to_vec(),
            ),
            ("object", br#"{"id": 1}"#.to_vec()),
            ("no id", br#"[{"name": "x"}]"#.to_vec()),
            ("not an object", b"[1]".to_vec()),
        ];
        let mut out = String::new();
        for (what, bytes) in cases {
            let answers = GlpiAnswers {
                tickets: &bytes,
                ..r.answers()
            };
            let e = parse_glpi(answers, &brazil(), "http://glpi/apirest.php").unwrap_err();
            out.push_str(&format!("{what}: {e}\n"));
        }
        let big = vec![b' '; MAX_GLPI_BYTES + 1];
        let answers = GlpiAnswers {
            kb_items: &big,
            ..r.answers()
        };
        let e = parse_glpi(answers, &brazil(), "http://glpi/apirest.php").unwrap_err();
        out.push_str(&format!("too large: {e}\n"));
        insta::assert_snapshot!(out);
    }
}
